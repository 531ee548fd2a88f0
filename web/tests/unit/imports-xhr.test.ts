// sendImport over a stand-in XMLHttpRequest: upload progress reaches the screen, a 422 with the
// report is a report, a 403 problem a refusal, and the CSRF token goes along.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { importForm, sendImport } from '../../src/api/imports'

class FakeXhr {
  static last: FakeXhr
  static reply: { status: number; body: string }
  headers: Record<string, string> = {}
  upload: { onprogress?: (e: any) => void; onload?: () => void } = {}
  onload?: () => void
  status = 0
  responseText = ''
  method = ''
  url = ''
  body: unknown
  constructor() {
    FakeXhr.last = this
  }
  open(m: string, u: string) {
    this.method = m
    this.url = u
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v
  }
  send(b: unknown) {
    this.body = b
    this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 200 })
    this.upload.onprogress?.({ lengthComputable: true, loaded: 200, total: 200 })
    this.status = FakeXhr.reply.status
    this.responseText = FakeXhr.reply.body
    this.onload?.()
  }
  abort() {}
}

const OPTS = { kind: 'figures' as const, crs: ' EPSG:4490 ', encoding: '', layer: '', dryRun: false, reason: '变更调查' }

afterEach(() => vi.unstubAllGlobals())

describe('sendImport', () => {
  it('reports upload progress and reads a 422 as the report', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    vi.stubGlobal('sessionStorage', { getItem: () => 'tok' })
    const report = { dry_run: false, written: false, sources: [], problems: [{ file: 'a.csv', field: 'x', reason: 'r', reason_zh: '因' }], rows: 1, created: 0, updated: 0 }
    FakeXhr.reply = { status: 422, body: JSON.stringify(report) }
    const seen: number[] = []
    const a = await sendImport(importForm([new File(['1'], 'a.csv')], OPTS), (p) => seen.push(p))
    expect(seen).toEqual([0.25, 1])
    expect(a).toEqual({ ok: true, status: 422, report })
    expect(FakeXhr.last.method).toBe('POST')
    expect(FakeXhr.last.url).toBe('/api/imports')
    expect(FakeXhr.last.headers['X-CSRF-Token']).toBe('tok')
    const fd = FakeXhr.last.body as FormData
    expect(fd.get('kind')).toBe('figures')
    expect(fd.get('crs')).toBe('EPSG:4490')
    expect(fd.has('encoding')).toBe(false)
    expect(fd.get('dry_run')).toBe('false')
  })

  it('reads a 403 problem as a refusal', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    vi.stubGlobal('sessionStorage', { getItem: () => null })
    FakeXhr.reply = { status: 403, body: JSON.stringify({ title: 'Forbidden', detail: 'not in your scope' }) }
    const a = await sendImport(importForm([], OPTS), () => undefined)
    expect(a).toEqual({ ok: false, status: 403, problem: { title: 'Forbidden', detail: 'not in your scope' } })
    expect(FakeXhr.last.headers['X-CSRF-Token']).toBeUndefined()
  })
})
