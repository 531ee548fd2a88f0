// Pure logic of the 批次 screens (tested in tests/unit/batches.test.ts): the per-park summary
// rows in 亩, the unsupplied area by age as a small bar chart with the table it draws, and the
// labels of age buckets and statuses in the reader's language.
import type { BatchSummary, BatchTotals } from '../api/batches'
import type { Chart } from '../dashboard/data'
import { m2ToMu } from '../format'

type T = (k: string, v?: Record<string, unknown>) => string

/** Statuses the server sends; each has a label under `batches.status`. */
export const STATUSES = ['unsupplied', 'withdrawable', 'plan_deduction', 'done'] as const

/** Element Plus tag type of a status: the flagged ones stand out. */
export function statusType(s: string): 'success' | 'info' | 'warning' | 'danger' {
  return s === 'done' ? 'success' : s === 'withdrawable' ? 'danger' : s === 'plan_deduction' ? 'warning' : 'info'
}

/** `<2`, `2-3`, `3-5`, `>=5` (years since approval) in words; another bucket as it is, in years. */
export function bucketLabel(b: string, t: T): string {
  let m = /^<(\d+)$/.exec(b)
  if (m) return t('batches.age.under', { n: m[1] })
  m = /^>=(\d+)$/.exec(b)
  if (m) return t('batches.age.over', { n: m[1] })
  m = /^(\d+)-(\d+)$/.exec(b)
  if (m) return t('batches.age.between', { a: m[1], b: m[2] })
  return b
}

const mu = (m2: string | null | undefined) => (m2 === null || m2 === undefined ? 0 : m2ToMu(Number(m2)))
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d

export interface ParkRow {
  /** The park id; `-` for batches outside parks, `*` for the whole. */
  park: string
  name: string
  batches: number
  approvedMu: number
  suppliedMu: number
  unsuppliedMu: number
  supplyRate: number | null
  disposalRate: number | null
}

function row(park: string, name: string, x: BatchTotals): ParkRow {
  return {
    park,
    name,
    batches: x.batches,
    approvedMu: mu(x.approved_m2),
    suppliedMu: mu(x.supplied_m2),
    unsuppliedMu: mu(x.unsupplied_m2),
    supplyRate: x.supply_rate === null ? null : Number(x.supply_rate),
    disposalRate: x.disposal_rate === null ? null : Number(x.disposal_rate),
  }
}

/** One row per park (by name; batches outside parks last), then the total. */
export function parkRows(s: BatchSummary, name: (id: string) => string, t: T): ParkRow[] {
  const parks = Object.entries(s.by_park)
    .map(([id, x]) => row(id, id === '-' ? t('batches.noPark') : name(id), x))
    .sort((a, b) => (a.park === '-' ? 1 : b.park === '-' ? -1 : a.name.localeCompare(b.name, 'zh-CN')))
  return [...parks, row('*', t('batches.total'), s.total)]
}

/** The totals the chart shows: a park's, or the whole summary's. */
export function totalsOf(s: BatchSummary, park: string): BatchTotals {
  return (park && s.by_park[park]) || s.total
}

/** 批而未供 by age: one bar per bucket (亩), youngest first, with the table it draws. */
export function ageChart(x: BatchTotals, t: T): Chart {
  const labels = x.by_age.map((a) => bucketLabel(a.bucket, t))
  const values = x.by_age.map((a) => round(mu(a.unsupplied_m2), 2))
  return {
    option: {
      tooltip: { trigger: 'axis' },
      grid: { left: 56, right: 16, bottom: 32, top: 32 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', name: t('batches.muUnit') },
      series: [{
        name: t('batches.unsupplied'),
        type: 'bar',
        barMaxWidth: 48,
        // Older unsupplied land is the more urgent: the colours darken with age.
        data: values.map((v, i) => ({ value: v, itemStyle: { color: ['#f2b134', '#e8892b', '#d8612f', '#b8322f'][Math.min(i, 3)] } })),
        label: { show: true, position: 'top' },
      }],
    },
    table: {
      columns: [t('batches.ageCol'), t('batches.count'), `${t('batches.unsupplied')}（${t('batches.muUnit')}）`],
      rows: x.by_age.map((a, i) => [labels[i], a.batches, values[i]]),
    },
  }
}

/** The parks table as an Excel sheet (亩 to 4 places, rates as fractions). */
export function parkTable(rows: ParkRow[], t: T) {
  return {
    columns: ['park', 'count', 'approved', 'supplied', 'unsupplied', 'supplyRate', 'disposalRate'].map((k) =>
      ['approved', 'supplied', 'unsupplied'].includes(k) ? `${t(`batches.${k}`)}（${t('batches.muUnit')}）` : t(`batches.${k}`),
    ),
    rows: rows.map((r) => [r.name, r.batches, round(r.approvedMu, 4), round(r.suppliedMu, 4), round(r.unsuppliedMu, 4), r.supplyRate, r.disposalRate]),
  }
}
