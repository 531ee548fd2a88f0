// 增存挂钩 page logic: county names, the quota chart and the table as an Excel sheet.
import type { Allocation, CountyQuota } from '../api/quota'
import type { Chart } from '../dashboard/data'
import type { Park } from '../api/types'

type T = (k: string, v?: Record<string, unknown>) => string

/** County code → name, from the parks (each park names its county). */
export function countyNames(parks: Park[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of parks) out[p.jurisdiction] = p.jurisdiction_name
  return out
}

export const countyLabel = (names: Record<string, string>, code: string) => (names[code] ? `${names[code]}（${code}）` : code)

/** Each county's final quota as bars, with its score for the tooltip table. */
export function quotaChart(a: Allocation, names: Record<string, string>, t: T): Chart {
  const labels = a.counties.map((c) => names[c.county] ?? c.county)
  return {
    option: {
      tooltip: { trigger: 'axis' },
      grid: { left: 56, right: 16, bottom: 48, top: 32 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', name: t('quota.mu') },
      series: [{
        name: t('quota.quota'),
        type: 'bar',
        barMaxWidth: 48,
        // A county kept to key projects (供地率 below the threshold) is drawn grey.
        data: a.counties.map((c) => ({ value: Number(c.quota_mu), itemStyle: { color: c.key_projects_only ? '#a0a4ab' : '#2f7d5c' } })),
        label: { show: true, position: 'top' },
      }],
    },
    table: quotaTable(a, names, t),
  }
}

/** The counties' lines as a sheet: every figure the allocation used, and its steps. */
export function quotaTable(a: Allocation, names: Record<string, string>, t: T) {
  return {
    columns: ['county', 'disposedUnsupplied', 'disposedIdle', 'base', 'task', 'supplyRate', 'score', 'raw', 'quota', 'steps'].map((k) => t(`quota.col.${k}`)),
    rows: a.counties.map((c: CountyQuota) => [
      countyLabel(names, c.county),
      Number(c.disposed_unsupplied_mu),
      Number(c.disposed_idle_mu),
      Number(c.base_mu),
      Number(c.task_mu),
      c.window_supply_rate === null ? null : Number(c.window_supply_rate),
      Number(c.score),
      Number(c.raw_mu),
      Number(c.quota_mu),
      c.steps.map((s) => `${s.label_zh}：${s.points}`).join('；'),
    ]),
  }
}

/** Σ quotas + unallocated = total, to the rounding unit: the page shows the check. */
export function balances(a: Allocation): boolean {
  const unit = 10 ** a.terms.rounding_dp
  const sum = a.counties.reduce((s, c) => s + Math.round(Number(c.quota_mu) * unit), 0) + Math.round(Number(a.unallocated_mu) * unit)
  return sum === Math.round(Number(a.total_mu) * unit)
}
