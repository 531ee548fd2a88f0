// Who is signed in, and which screens their role has (the server enforces the same table).
import { reactive } from 'vue'
import { api, setCsrf } from './api/http'
import type { Me, Role } from './api/types'

export const session = reactive<{ me: Me | null; checked: boolean }>({ me: null, checked: false })

export type Screen =
  | 'map' | 'dashboard' | 'screen' | 'intentions' | 'warnings' | 'cases' | 'projects' | 'tasks' | 'mine'
  | 'imports' | 'evaluations' | 'batches' | 'quota' | 'admin'

/** Screens per role, following the role table of landcycle_domain::access. */
export const SCREENS: Record<Role, Screen[]> = {
  admin: ['map', 'dashboard', 'screen', 'warnings', 'cases', 'projects', 'tasks', 'evaluations', 'imports', 'intentions', 'batches', 'quota', 'admin'],
  city: ['map', 'dashboard', 'screen', 'warnings', 'cases', 'projects', 'tasks', 'evaluations', 'imports', 'intentions', 'batches', 'quota', 'admin'],
  county: ['map', 'dashboard', 'screen', 'warnings', 'cases', 'projects', 'tasks', 'evaluations', 'imports', 'intentions', 'batches', 'quota'],
  park: ['map', 'dashboard', 'screen', 'warnings', 'cases', 'projects', 'tasks', 'evaluations', 'imports', 'intentions', 'batches'],
  department: ['map', 'dashboard', 'tasks', 'imports', 'batches'],
  enterprise: ['mine', 'map', 'projects'],
  auditor: ['map', 'dashboard', 'warnings', 'cases', 'projects', 'tasks', 'evaluations', 'intentions', 'batches', 'quota', 'admin'],
}

export function may(screen: Screen): boolean {
  return !!session.me && SCREENS[session.me.role].includes(screen)
}

export async function refresh(): Promise<Me | null> {
  try {
    session.me = await api<Me>('/api/auth/me')
  } catch {
    session.me = null
  }
  session.checked = true
  return session.me
}

export async function signIn(name: string, password: string): Promise<Me> {
  const r = await api<Me & { csrf: string }>('/api/auth/login', { method: 'POST', body: { name, password } })
  setCsrf(r.csrf)
  return (await refresh()) as Me
}

export async function signOut() {
  try {
    await api('/api/auth/logout', { method: 'POST' })
  } finally {
    setCsrf(null)
    session.me = null
  }
}
