import { describe, expect, it } from 'vitest'
import { adminTabs, countiesOf, scopeFor, scopeKindOf, scopeText, tokenState, validUserName, validWebhookUrl } from '../../src/admin/logic'
import type { Token } from '../../src/api/admin'
import zh from '../../src/i18n/admin.zh-CN'

const t = (k: string) => k.split('.').slice(1).reduce((o: any, p) => o?.[p], zh) as string

describe('administration tabs per role', () => {
  it('follows the server: users and tokens for admin, webhooks for admin and city, audit for admin and auditor', () => {
    expect(adminTabs('admin')).toEqual(['users', 'tokens', 'webhooks', 'audit'])
    expect(adminTabs('city')).toEqual(['webhooks'])
    expect(adminTabs('auditor')).toEqual(['audit'])
    for (const r of ['county', 'park', 'department', 'enterprise'] as const) expect(adminTabs(r)).toEqual([])
  })
})

describe('scopes', () => {
  it('asks a scope value of the roles bound to one place', () => {
    expect(scopeKindOf('park')).toBe('park')
    expect(scopeKindOf('county')).toBe('county')
    expect(scopeKindOf('city')).toBe('all')
    expect(scopeKindOf('auditor')).toBe('all')
    expect(scopeFor('park', ' weidu ')).toEqual({ kind: 'park', value: 'weidu' })
    expect(scopeFor('park', '  ')).toBeNull()
    expect(scopeFor('city', 'ignored')).toEqual({ kind: 'all' })
    expect(scopeFor('enterprise', '91411000MA3X8Q2Y5A')).toEqual({ kind: 'enterprise', value: '91411000MA3X8Q2Y5A' })
  })
  it('writes a scope with names where known', () => {
    expect(scopeText({ kind: 'all' }, t)).toBe('全市')
    expect(scopeText({ kind: 'park', value: 'weidu' }, t, { weidu: '魏都产业集聚区' })).toBe('园区 魏都产业集聚区')
    expect(scopeText({ kind: 'department', value: 'tax' }, t)).toBe('部门 tax')
  })
})

describe('token state', () => {
  const tk = (over: Partial<Token>): Token => ({ id: 'a', user: 'u', access: 'read', created_at: '2026-01-01T00:00:00Z', expires_at: null, revoked_at: null, ...over })
  const now = new Date('2026-06-01T00:00:00Z')
  it('is active, expired at its expiry instant, and revoked whatever its expiry', () => {
    expect(tokenState(tk({}), now)).toBe('active')
    expect(tokenState(tk({ expires_at: '2026-06-01T00:00:01Z' }), now)).toBe('active')
    expect(tokenState(tk({ expires_at: '2026-06-01T00:00:00Z' }), now)).toBe('expired')
    expect(tokenState(tk({ expires_at: '2026-01-01T00:00:00Z', revoked_at: '2026-02-01T00:00:00Z' }), now)).toBe('revoked')
  })
})

describe('input checks', () => {
  it('accepts the user names the server accepts', () => {
    expect(validUserName('park-weidu.01@xc')).toBe(true)
    expect(validUserName('')).toBe(false)
    expect(validUserName('张三')).toBe(false)
    expect(validUserName('a'.repeat(65))).toBe(false)
  })
  it('accepts plain http receivers without credentials only', () => {
    expect(validWebhookUrl('http://10.0.0.5:8080/hooks/landcycle')).toBe(true)
    expect(validWebhookUrl('https://example.org/h')).toBe(false)
    expect(validWebhookUrl('http://user:pw@10.0.0.5/h')).toBe(false)
    expect(validWebhookUrl('http://')).toBe(false)
    expect(validWebhookUrl('not a url')).toBe(false)
  })
})

describe('counties of the parks', () => {
  it('lists each county once, in park order', () => {
    const p = (jurisdiction: string, jurisdiction_name: string) => ({ jurisdiction, jurisdiction_name })
    expect(countiesOf([p('411002', '魏都区'), p('411081', '禹州市'), p('411002', '魏都区')])).toEqual([
      ['411002', '魏都区'],
      ['411081', '禹州市'],
    ])
  })
})
