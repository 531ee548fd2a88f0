// @vitest-environment happy-dom
// The evaluation screens on a mocked API (the endpoints live on another branch until merged):
// the runs listed and a run started by the city, a run's A/B/C/D chart per park and its results
// filtered by park and class, the Excel link, and the reproduce check.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { mountScreen, until } from './mount'
import { session } from '../../src/session'
import { parkClassesChart } from '../../src/evaluations/chart'

const options: any[] = []
vi.mock('../../src/charts/echarts', () => ({
  echarts: { init: () => ({ setOption: (o: any) => options.push(o), resize: () => undefined, dispose: () => undefined }) },
}))
vi.stubGlobal('ResizeObserver', class { observe() {} disconnect() {} })

const RUN = {
  id: 'EV-2024-1', year: 2024, rule_set_version: 'xuchang-2024.1', created_at: '2025-03-01T02:00:00Z', created_by: 'demo-city',
  enterprises: 5, classes: { A: 1, B: 2, C: 1, D: 0, not_rated: 1 },
}
const DETAIL = {
  ...RUN,
  parks: [
    { park_id: 'weidu', park_name: '魏都产业集聚区', A: 1, B: 1, C: 0, D: 0, not_rated: 1, tax_per_mu: '21.5' },
    { park_id: 'changge', park_name: '长葛产业集聚区', A: 0, B: 1, C: 1, D: 0, not_rated: 0, tax_per_mu: '12.0' },
  ],
}
const ITEMS = [
  { uscc: '91411000MA00000001', name: '甲公司', park_id: 'weidu', land_mu: '50', tax_yuan: '15000000', tax_per_mu: '30', score: '92.5', class: 'A', rank: 1, not_rated: false },
  { uscc: '91411000MA00000002', name: '乙公司', park_id: 'changge', land_mu: '40', tax_yuan: '2000000', tax_per_mu: '5', score: '51', class: 'C', rank: 4, not_rated: false },
]
const calls: { fn: string; args: any[] }[] = []
vi.mock('../../src/api/evaluations', async (orig) => {
  const real = await orig<typeof import('../../src/api/evaluations')>()
  const rec = (fn: string, v: (...a: any[]) => any) => (...args: any[]) => {
    calls.push({ fn, args })
    return Promise.resolve(v(...args))
  }
  return {
    ...real,
    evaluations: rec('evaluations', () => [RUN]),
    startEvaluation: rec('startEvaluation', (year: number) => ({ ...RUN, id: `EV-${year}-2`, year })),
    evaluation: rec('evaluation', () => DETAIL),
    results: rec('results', (_id: string, f: any) => {
      const items = ITEMS.filter((i) => (!f.park || i.park_id === f.park) && (!f.class || i.class === f.class))
      return { total: items.length, items }
    }),
    reproduce: rec('reproduce', () => ({ identical: true })),
  }
})

beforeEach(() => {
  calls.length = 0
  options.length = 0
})
afterEach(() => {
  document.body.innerHTML = ''
  session.me = null
})

describe('evaluation runs', () => {
  it('lists the runs; the city starts one for a year and lands on it', async () => {
    session.me = { user: 'demo-city', role: 'city', role_zh: '市局', scope: 'all', scope_value: null, read_only: false }
    const { default: View } = await import('../../src/views/EvaluationsView.vue')
    const { w, router } = await mountScreen(View, { path: '/evaluations', route: '/evaluations' })
    const table = w.find('[data-test=evals-table]').text()
    expect(table).toContain('2024')
    expect(table).toContain('xuchang-2024.1')
    expect(table).toContain('不参评')
    await w.find('[data-test=evals-start]').trigger('click')
    const year = new Date().getFullYear() - 1
    await until(() => router.currentRoute.value.path === `/evaluations/EV-${year}-2`)
    expect(calls.find((c) => c.fn === 'startEvaluation')?.args).toEqual([year])
  })

  it('offers no start to an auditor', async () => {
    session.me = { user: 'a', role: 'auditor', role_zh: '审计', scope: 'all', scope_value: null, read_only: true }
    const { default: View } = await import('../../src/views/EvaluationsView.vue')
    const { w } = await mountScreen(View, { path: '/evaluations', route: '/evaluations' })
    expect(w.find('[data-test=evals-table]').exists()).toBe(true)
    expect(w.find('[data-test=evals-start]').exists()).toBe(false)
  })

  it('a run: the chart per park, the results filtered, the Excel link, the reproduce check', async () => {
    const { default: View } = await import('../../src/views/EvaluationView.vue')
    const { w } = await mountScreen(View, { path: '/evaluations/EV-2024-1', route: '/evaluations/:id' })
    await until(() => w.findAll('[data-test=eval-results] .el-table__row').length === 2)
    // The chart: one stacked series per class over the parks, as the table it exports.
    const o = options.at(-1)
    expect(o.series.map((s: any) => s.name)).toEqual(['A', 'B', 'C', 'D', '不参评'])
    expect(o.xAxis.data).toEqual(['魏都产业集聚区', '长葛产业集聚区'])
    expect(o.series[0].data).toEqual([1, 0])
    expect(w.find('[data-test=eval-results]').text()).toContain('甲公司')
    // Filtering by class asks the server again, and the Excel link carries the filter.
    const state = (w.vm as any).$.setupState
    state.f.class = 'C'
    await until(() => w.findAll('[data-test=eval-results] .el-table__row').length === 1)
    expect(calls.filter((c) => c.fn === 'results').at(-1)?.args[1]).toMatchObject({ class: 'C', limit: 50, offset: 0 })
    expect(w.find('[data-test=eval-xlsx]').attributes('href')).toBe('/api/evaluations/EV-2024-1/results?class=C&format=xlsx')
    await w.find('[data-test=eval-reproduce]').trigger('click')
    await until(() => w.find('[data-test=eval-identical]').exists())
    expect(w.find('[data-test=eval-identical]').text()).toContain('一致')
  })

  it('builds the chart table with each park tax per mu', () => {
    const c = parkClassesChart(DETAIL as any, (k) => k)
    expect(c.table.columns).toEqual(['dash.parkName', 'A', 'B', 'C', 'D', 'evals.notRated', 'evals.taxPerMu'])
    expect(c.table.rows[0]).toEqual(['魏都产业集聚区', 1, 1, 0, 0, 1, 21.5])
  })
})
