// The administration screen's rules, kept apart from the components so they can be tested:
// which tabs a role sees (the server enforces the same: manage_users for admin,
// manage_webhooks for admin and city, read_audit for admin and auditor), how a scope is
// written for people, and what state a token is in.
import type { Role } from '../api/types'
import type { Scope, Token } from '../api/admin'

export type AdminTab = 'users' | 'tokens' | 'webhooks' | 'audit'

const TABS: Record<AdminTab, Role[]> = {
  users: ['admin'],
  tokens: ['admin'],
  webhooks: ['admin', 'city'],
  audit: ['admin', 'auditor'],
}

/** The tabs a role may open, in screen order. */
export function adminTabs(role: Role): AdminTab[] {
  return (Object.keys(TABS) as AdminTab[]).filter((t) => TABS[t].includes(role))
}

/** The scope kind a role needs when an account is created (the whole city needs none). */
export function scopeKindOf(role: Role): Scope['kind'] {
  switch (role) {
    case 'county':
      return 'county'
    case 'park':
      return 'park'
    case 'department':
      return 'department'
    case 'enterprise':
      return 'enterprise'
    default:
      return 'all'
  }
}

/** The scope to send for a role and the value typed or picked; `null` when a value is missing. */
export function scopeFor(role: Role, value: string): Scope | null {
  const kind = scopeKindOf(role)
  if (kind === 'all') return { kind: 'all' }
  const v = value.trim()
  return v ? ({ kind, value: v } as Scope) : null
}

/** A scope for people: `全市`, `园区 魏都…`; `names` maps park ids and county codes to names. */
export function scopeText(scope: Scope, t: (k: string) => string, names: Record<string, string> = {}): string {
  if (scope.kind === 'all') return t('admin.scopeAll')
  return `${t(`admin.scopeKind.${scope.kind}`)} ${names[scope.value] ?? scope.value}`
}

export type TokenState = 'active' | 'revoked' | 'expired'

/** Revoked wins over expired: it says someone acted. */
export function tokenState(tk: Token, now: Date = new Date()): TokenState {
  if (tk.revoked_at) return 'revoked'
  if (tk.expires_at && Date.parse(tk.expires_at) <= now.getTime()) return 'expired'
  return 'active'
}

/** Sign-in names the server accepts: 1–64 of `A-Z a-z 0-9 . _ - @`. */
export function validUserName(name: string): boolean {
  return /^[A-Za-z0-9._@-]{1,64}$/.test(name)
}

/** A webhook receiver URL the server accepts: plain `http://` (the build has no TLS stack), a
 *  host, no user or password. */
export function validWebhookUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' && !!u.hostname && !u.username && !u.password && !/\s/.test(url)
  } catch {
    return false
  }
}

/** The counties of the parks, each once: `[code, name]` in park order. */
export function countiesOf(parks: { jurisdiction: string; jurisdiction_name: string }[]): [string, string][] {
  return [...new Map(parks.map((p) => [p.jurisdiction, p.jurisdiction_name])).entries()]
}
