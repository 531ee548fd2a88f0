import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import zhCN from '../../src/i18n/zh-CN'
import en from '../../src/i18n/en'

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

function lookup(o: any, key: string): unknown {
  return key.split('.').reduce((a, k) => (a && typeof a === 'object' ? a[k] : undefined), o)
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : /\.(vue|ts)$/.test(f) ? [p] : []
  })
}

describe('i18n', () => {
  it('has every key in both zh-CN and en', () => {
    const zh = keys(zhCN)
    const e = keys(en)
    expect(zh.filter((k) => !e.includes(k))).toEqual([])
    expect(e.filter((k) => !zh.includes(k))).toEqual([])
  })

  it('has no empty message and the same placeholders in both', () => {
    for (const k of keys(zhCN)) {
      const a = String(lookup(zhCN, k))
      const b = String(lookup(en, k))
      expect(a.length, k).toBeGreaterThan(0)
      expect(b.length, k).toBeGreaterThan(0)
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      expect(ph(b), k).toEqual(ph(a))
    }
  })

  it('defines every literal key the sources use', () => {
    const src = resolve(__dirname, '../../src')
    const used = new Set<string>()
    for (const f of sources(src)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z]+\.[\w.]+)'/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(50)
    const missing = [...used].filter((k) => typeof lookup(zhCN, k) !== 'string' || typeof lookup(en, k) !== 'string')
    expect(missing).toEqual([])
  })
})
