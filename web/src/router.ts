import { createRouter, createWebHistory } from 'vue-router'
import { may, refresh, session, type Screen } from './session'
import { onUnauthorized } from './api/http'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    screen?: Screen
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    { path: '/public', component: () => import('./views/PortalView.vue'), meta: { public: true } },
    { path: '/public/parcel/:id', component: () => import('./views/PortalParcelView.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./views/AppLayout.vue'),
      children: [
        // The start page by role: an enterprise starts on its own land, everyone else on the map.
        {
          path: '',
          component: () => import('./views/MapView.vue'),
          beforeEnter: async () => {
            if (!session.checked) await refresh()
            return session.me?.role === 'enterprise' ? '/mine' : '/map'
          },
        },
        { path: 'map', component: () => import('./views/MapView.vue'), meta: { screen: 'map' } },
        { path: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { screen: 'dashboard' } },
        { path: 'dashboard/findings', component: () => import('./views/FindingsView.vue'), meta: { screen: 'dashboard' } },
        { path: 'dashboard/park/:id', component: () => import('./views/ParkDashboardView.vue'), meta: { screen: 'dashboard' } },
        { path: 'intentions', component: () => import('./views/IntentionsView.vue'), meta: { screen: 'intentions' } },
        { path: 'warnings', component: () => import('./views/WarningsView.vue'), meta: { screen: 'warnings' } },
        { path: 'cases', component: () => import('./views/CasesView.vue'), meta: { screen: 'cases' } },
        { path: 'cases/:id', component: () => import('./views/CaseView.vue'), meta: { screen: 'cases' } },
        { path: 'projects', component: () => import('./views/ProjectsView.vue'), meta: { screen: 'projects' } },
        { path: 'projects/indicators', component: () => import('./views/IndicatorSetsView.vue'), meta: { screen: 'projects' } },
        { path: 'projects/apply', component: () => import('./views/ProjectApplyView.vue'), meta: { screen: 'projects' } },
        { path: 'projects/:id', component: () => import('./views/ProjectView.vue'), meta: { screen: 'projects' } },
        { path: 'tasks', component: () => import('./views/TasksView.vue'), meta: { screen: 'tasks' } },
        { path: 'imports', component: () => import('./views/ImportView.vue'), meta: { screen: 'imports' } },
        { path: 'evaluations', component: () => import('./views/EvaluationsView.vue'), meta: { screen: 'evaluations' } },
        { path: 'evaluations/:id', component: () => import('./views/EvaluationView.vue'), meta: { screen: 'evaluations' } },
        { path: 'batches', component: () => import('./views/BatchesView.vue'), meta: { screen: 'batches' } },
        { path: 'batches/:id', component: () => import('./views/BatchView.vue'), meta: { screen: 'batches' } },
        { path: 'quota', component: () => import('./views/QuotaView.vue'), meta: { screen: 'quota' } },
        { path: 'admin', component: () => import('./views/AdminView.vue'), meta: { screen: 'admin' } },
        { path: 'mine', component: () => import('./views/MineView.vue'), meta: { screen: 'mine' } },
      ],
    },
    { path: '/screen', component: () => import('./views/BigScreenView.vue'), meta: { screen: 'screen' } },
    { path: '/:rest(.*)*', redirect: '/map' },
  ],
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!session.checked) await refresh()
  if (!session.me) return { path: '/login', query: { next: to.fullPath } }
  if (to.meta.screen && !may(to.meta.screen)) return '/map'
  return true
})

onUnauthorized(() => {
  session.me = null
  const here = router.currentRoute.value
  if (!here.meta.public) void router.push({ path: '/login', query: { next: here.fullPath } })
})
