// @vitest-environment happy-dom
// The 批次 screens on a mocked API: the per-park summary in 亩 with 供地率, the age chart of the
// whole or of the park picked, the batch list filtered by park with the server's Excel link,
// and a batch's page with its parcels linking to their cards; the pure helpers beside.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mountScreen, until } from './mount'
import { ageChart, bucketLabel, parkRows, statusType } from '../../src/batches/logic'
import type { BatchSummary, BatchTotals } from '../../src/api/batches'

const options: any[] = []
vi.mock('../../src/charts/echarts', () => ({
  echarts: { init: () => ({ setOption: (o: any) => options.push(o), resize: () => undefined, dispose: () => undefined }) },
}))
vi.stubGlobal('ResizeObserver', class { observe() {} disconnect() {} })
vi.mock('../../src/api/parks', () => ({
  loadParks: () => Promise.resolve(),
  parkName: (id: string | null) => ({ weidu: '魏都产业集聚区', changge: '长葛产业集聚区' } as Record<string, string>)[id ?? ''] ?? id ?? '—',
}))

const totals = (approved: string, supplied: string, ages: [string, string, number][]): BatchTotals => ({
  batches: ages.reduce((a, x) => a + x[2], 0), approved_m2: approved, supplied_m2: supplied, deducted_m2: '0',
  unsupplied_m2: String(Number(approved) - Number(supplied)), supply_rate: String((Number(supplied) / Number(approved)).toFixed(4)),
  by_age: ages.map(([bucket, m2, batches]) => ({ bucket, unsupplied_m2: m2, batches })),
  stock_at_from_m2: '0', disposed_m2: '0', disposal_rate: null, kinds_counted: [],
})
// 66 666.67 m² = 100 亩.
const SUMMARY: BatchSummary = {
  as_of: '2026-11-26', from: '2025-12-31',
  by_park: {
    weidu: totals('66666.67', '40000', [['<2', '0', 0], ['2-3', '26666.67', 1], ['3-5', '0', 0], ['>=5', '0', 0]]),
    changge: totals('20000', '20000', [['<2', '0', 0], ['2-3', '0', 0], ['3-5', '0', 0], ['>=5', '0', 0]]),
  },
  total: totals('86666.67', '60000', [['<2', '0', 0], ['2-3', '26666.67', 1], ['3-5', '0', 0], ['>=5', '0', 0]]),
}
const area = (m2: string, mu: string) => ({ m2, mu })
const BATCHES = [
  {
    id: '豫政土〔2022〕15号', name: '2022年第三批次', jurisdiction: '411002', park_id: 'weidu', approved_on: '2022-06-30', acquired_on: null,
    source_doc: '豫政土〔2022〕15号', approved: area('66666.67', '100.0000'), supplied: area('40000', '60.0000'), deducted: area('0', '0'),
    unsupplied: area('26666.67', '40.0000'), supply_rate: '0.6', age_years: 4, age_bucket: '3-5', status: 'withdrawable',
    status_zh: '批准满2年未征收（可撤回批文）', findings: [{ rule_id: 'UNS-NOACQ', reason: 'not acquired', reason_zh: '批准满2年未征收' }],
  },
  {
    id: '豫政土〔2024〕3号', name: '2024年第一批次', jurisdiction: '411082', park_id: 'changge', approved_on: '2024-03-01', acquired_on: '2024-09-01',
    source_doc: null, approved: area('20000', '30.0000'), supplied: area('20000', '30.0000'), deducted: area('0', '0'),
    unsupplied: area('0', '0'), supply_rate: '1', age_years: 2, age_bucket: '2-3', status: 'done', status_zh: '已全部供应或处置', findings: [],
  },
]
const calls: { fn: string; args: any[] }[] = []
vi.mock('../../src/api/batches', async (orig) => {
  const real = await orig<typeof import('../../src/api/batches')>()
  const rec = (fn: string, v: (...a: any[]) => any) => (...args: any[]) => {
    calls.push({ fn, args })
    return Promise.resolve(v(...args))
  }
  return {
    ...real,
    batchSummary: rec('batchSummary', () => SUMMARY),
    batches: rec('batches', (f: any = {}) => ({ as_of: '2026-11-26', batches: BATCHES.filter((b) => !f.park || b.park_id === f.park) })),
    batch: rec('batch', (id: string) => ({
      batch: BATCHES.find((b) => b.id === id),
      parcels: [
        { parcel_id: '0192f0e0-0000-7000-8000-000000000001', area: area('40000', '60.0000'), supplied_on: '2023-05-01' },
        { parcel_id: null, area: area('26666.67', '40.0000'), supplied_on: null },
      ],
      deductions: [],
    })),
    parcelCodes: rec('parcelCodes', (ids: string[]) => Object.fromEntries(ids.map((id) => [id, '411002001001GB00042']))),
  }
})

const t = (k: string, v?: Record<string, unknown>) => (v ? `${k}${JSON.stringify(v)}` : k)

beforeEach(() => {
  calls.length = 0
  options.length = 0
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('batch logic', () => {
  it('converts the summary to 亩 per park, sorted, the total last', () => {
    const rows = parkRows(SUMMARY, (id) => ({ weidu: 'B园区', changge: 'A园区' })[id] ?? id, t)
    expect(rows.map((r) => r.park)).toEqual(['changge', 'weidu', '*'])
    const weidu = rows[1]
    expect(weidu.approvedMu).toBeCloseTo(100, 4)
    expect(weidu.unsuppliedMu).toBeCloseTo(40, 4)
    expect(weidu.supplyRate).toBeCloseTo(0.6, 4)
    expect(rows[2].name).toBe('batches.total')
    expect(rows[2].approvedMu).toBeCloseTo(130, 4)
  })

  it('names the age buckets and draws the unsupplied 亩 per bucket', () => {
    expect(bucketLabel('<2', t)).toBe('batches.age.under{"n":"2"}')
    expect(bucketLabel('2-3', t)).toBe('batches.age.between{"a":"2","b":"3"}')
    expect(bucketLabel('>=5', t)).toBe('batches.age.over{"n":"5"}')
    expect(bucketLabel('odd', t)).toBe('odd')
    const c = ageChart(SUMMARY.by_park.weidu, t)
    expect((c.option as any).series[0].data.map((d: any) => d.value)).toEqual([0, 40, 0, 0])
    expect(c.table.rows[1]).toEqual(['batches.age.between{"a":"2","b":"3"}', 1, 40])
    expect(statusType('withdrawable')).toBe('danger')
    expect(statusType('done')).toBe('success')
  })
})

describe('batch screens', () => {
  it('lists the parks with 供地率 and the batches; picking a park filters both', async () => {
    const { default: View } = await import('../../src/views/BatchesView.vue')
    const { w, router } = await mountScreen(View, { path: '/batches', route: '/batches' })
    await until(() => w.findAll('[data-test=batches-table] .el-table__row').length === 2)
    const summary = w.find('[data-test=batches-summary]').text()
    expect(summary).toContain('魏都产业集聚区')
    expect(summary).toContain('100.00 亩')
    expect(summary).toContain('60%')
    expect(summary).toContain('合计')
    const table = w.find('[data-test=batches-table]').text()
    expect(table).toContain('豫政土〔2022〕15号')
    expect(table).toContain('满2年未征收')
    expect(table).toContain('3–5年')
    expect(w.find('[data-test=batches-xlsx]').attributes('href')).toBe('/api/batches?format=xlsx')
    expect(options.at(-1).series[0].data.map((d: any) => d.value)).toEqual([0, 40, 0, 0])
    // Picking 长葛 in the summary asks for its batches, links its Excel and redraws its ages.
    const state = (w.vm as any).$.setupState
    state.pick({ park: 'changge' })
    await until(() => w.findAll('[data-test=batches-table] .el-table__row').length === 1)
    expect(calls.filter((c) => c.fn === 'batches').at(-1)?.args[0]).toEqual({ park: 'changge' })
    expect(w.find('[data-test=batches-xlsx]').attributes('href')).toBe('/api/batches?park=changge&format=xlsx')
    expect(options.at(-1).series[0].data.map((d: any) => d.value)).toEqual([0, 0, 0, 0])
    await until(() => router.currentRoute.value.query.park === 'changge')
  })

  it('shows the headings in English', async () => {
    const { default: View } = await import('../../src/views/BatchesView.vue')
    const { w } = await mountScreen(View, { path: '/batches', route: '/batches', locale: 'en' })
    await until(() => w.findAll('[data-test=batches-table] .el-table__row').length === 2)
    expect(w.text()).toContain('Approval batches and unsupplied land')
    expect(w.find('[data-test=batches-summary]').text()).toContain('100.00 mu')
    expect(w.find('[data-test=batches-table]').text()).toContain('Not acquired after 2 years')
  })

  it('a batch: its accounting, the finding, parcels linking to their cards', async () => {
    const { default: View } = await import('../../src/views/BatchView.vue')
    const id = '豫政土〔2022〕15号'
    const { w } = await mountScreen(View, { path: `/batches/${encodeURIComponent(id)}`, route: '/batches/:id' })
    await until(() => w.find('[data-test=batch-id]').exists())
    expect(calls.find((c) => c.fn === 'batch')?.args).toEqual([id])
    expect(w.find('[data-test=batch-id]').text()).toBe(id)
    expect(w.find('[data-test=batch-unsupplied]').text()).toBe('40.0000 亩')
    expect(w.find('[data-test=batch-rate]').text()).toBe('60%')
    expect(w.find('[data-test=batch-finding]').text()).toContain('批准满2年未征收')
    const links = w.findAll('[data-test=batch-parcel-link]')
    expect(links).toHaveLength(1)
    expect(links[0].attributes('href')).toBe('/map?parcel=0192f0e0-0000-7000-8000-000000000001')
    // Named by its 宗地代码, asked for the registered parcels only.
    expect(links[0].text()).toBe('411002001001GB00042')
    expect(calls.find((c) => c.fn === 'parcelCodes')?.args).toEqual([['0192f0e0-0000-7000-8000-000000000001']])
    expect(w.find('[data-test=batch-parcels]').text()).toContain('未登记宗地')
  })
})
