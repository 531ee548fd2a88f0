// The administration endpoints: users, API tokens, warning webhooks and the audit log.
import { api, query } from './http'
import type { Role } from './types'

/** Where a role applies, as the server writes it. */
export type Scope =
  | { kind: 'all' }
  | { kind: 'county'; value: string }
  | { kind: 'park'; value: string }
  | { kind: 'department'; value: string }
  | { kind: 'enterprise'; value: string }

export interface User {
  name: string
  role: Role
  role_zh: string
  scope: Scope
  created_at: string
  disabled: boolean
}

export interface UserIn {
  name: string
  role: Role
  scope?: Scope
  password?: string
}

export interface Token {
  id: string
  user: string
  access: 'read' | 'write'
  created_at: string
  expires_at: string | null
  revoked_at: string | null
}

export interface TokenIn {
  user: string
  access: 'read' | 'write'
  expires_in_days?: number
  never?: boolean
}

export interface Webhook {
  id: string
  url: string
  park: string | null
  county: string | null
  status: 'active' | 'deleted' | string
  delivered: number
  attempts: number
}

export interface WebhookIn {
  id: string
  url: string
  park?: string
  county?: string
}

export interface AuditRecord {
  seq: number
  at: string
  actor: string
  action: string
  target: string | null
  outcome: 'ok' | 'denied' | 'failed' | string
  detail: unknown
}

export interface AuditQuery {
  actor?: string
  action?: string
  from?: string
  to?: string
  limit?: number
  offset?: number
}

export const users = () => api<User[]>('/api/users')
export const createUser = (u: UserIn) => api<{ user: User; password: string | null }>('/api/users', { method: 'POST', body: u })
export const disableUser = (name: string) => api<User>(`/api/users/${encodeURIComponent(name)}/disable`, { method: 'POST' })

export const tokens = () => api<Token[]>('/api/tokens')
export const createToken = (t: TokenIn) => api<{ token: Token; secret: string }>('/api/tokens', { method: 'POST', body: t })
export const revokeToken = (id: string) => api<void>(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' })

export const webhooks = () => api<Webhook[]>('/api/webhooks')
export const createWebhook = (w: WebhookIn) =>
  api<Webhook & { secret: string; signature: string }>('/api/webhooks', { method: 'POST', body: w })
export const deleteWebhook = (id: string) => api<void>(`/api/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' })

export const audit = (q: AuditQuery) => api<{ items: AuditRecord[]; total: number }>(`/api/audit${query({ ...q })}`)
/** The same search as an Excel download (the server's own export, audited). */
export const auditXlsxUrl = (q: AuditQuery) => `/api/audit${query({ ...q, format: 'xlsx', limit: q.limit ?? 10000, offset: undefined })}`
