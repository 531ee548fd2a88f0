// Dashboard data from the API and the charts built from it. Every chart comes with the table
// it draws, so that what is seen can be exported as it is.
import { api } from '../api/http'
import type { EfficiencyTable, FindingsSummary, ParkEfficiency, ParkTally } from '../api/types'
import type { ChartOption } from '../charts/echarts'
import type { Table } from '../export/xlsx'
import { formatNumber, type Locale } from '../format'

export interface DashboardData {
  efficiency: EfficiencyTable
  summary: FindingsSummary
  year: number | null
}

export async function loadDashboard(): Promise<DashboardData> {
  const [efficiency, summary] = await Promise.all([
    api<EfficiencyTable>('/api/parks/efficiency'),
    api<FindingsSummary>('/api/findings/summary'),
  ])
  const years = efficiency.parks.flatMap((p) => p.years.map((y) => y.year))
  return { efficiency, summary, year: years.length ? Math.max(...years) : null }
}

type T = (k: string, v?: Record<string, unknown>) => string
export interface Chart { option: ChartOption; table: Table }

const COLORS = { below: '#d84343', within: '#2e9d6f', above: '#3b82c4', none: '#9e9e9e' }
const n = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v))

function yearOf(p: ParkEfficiency, year: number | null) {
  return p.years.find((y) => y.year === year) ?? null
}

export function kpis(d: DashboardData) {
  const tallies = Object.values(d.summary.by_park)
  const sum = (f: (t: ParkTally) => number) => tallies.reduce((a, t) => a + f(t), 0)
  return {
    parcels: sum((t) => t.parcels),
    idle: sum((t) => t.idle),
    unsupplied: sum((t) => t.unsupplied),
    low: sum((t) => t.low_efficiency),
  }
}

export function taxPerMu(d: DashboardData, t: T, loc: Locale, dark = false): Chart {
  const parks = d.efficiency.parks
  const rows = parks.map((p) => {
    const y = yearOf(p, d.year)
    return { p, v: n(y?.tax_per_mu_wan), pos: y?.position ?? null }
  })
  const text = dark ? '#d9f1ff' : '#333'
  return {
    option: {
      tooltip: { trigger: 'axis' },
      legend: { textStyle: { color: text } },
      grid: { left: 50, right: 20, bottom: 90, top: 40 },
      xAxis: { type: 'category', data: parks.map((p) => p.name), axisLabel: { rotate: 35, color: text, fontSize: 11 } },
      yAxis: { type: 'value', name: loc === 'zh-CN' ? '万元/亩' : '10k yuan/mu', axisLabel: { color: text } },
      series: [
        {
          name: t('dash.year', { year: d.year }),
          type: 'bar',
          data: rows.map((r) => ({ value: r.v, itemStyle: { color: COLORS[r.pos ?? 'none'] } })),
        },
        { name: t('dash.targetMin'), type: 'scatter', symbol: 'rect', symbolSize: [26, 3], itemStyle: { color: '#f39c12' }, data: parks.map((p) => n(p.target.min_wan)) },
        { name: t('dash.targetMax'), type: 'scatter', symbol: 'rect', symbolSize: [26, 3], itemStyle: { color: '#8e44ad' }, data: parks.map((p) => n(p.target.max_wan)) },
      ],
    },
    table: {
      columns: [t('dash.parkName'), t('dash.year', { year: d.year }), t('dash.targetMin'), t('dash.targetMax'), t('dash.position')],
      rows: rows.map((r) => [r.p.name, r.v, n(r.p.target.min_wan), n(r.p.target.max_wan), r.pos ? t(`dash.${r.pos}`) : null]),
    },
  }
}

export function findings(d: DashboardData, parkNames: Record<string, string>, t: T, dark = false): Chart {
  const ids = Object.keys(d.summary.by_park).sort()
  const text = dark ? '#d9f1ff' : '#333'
  const series = [
    { key: 'idle', label: t('dash.idle'), color: '#d84343' },
    { key: 'unsupplied', label: t('dash.unsupplied'), color: '#e8a33d' },
    { key: 'low_efficiency', label: t('dash.lowEfficiency'), color: '#7e57c2' },
  ] as const
  return {
    option: {
      tooltip: { trigger: 'axis' },
      legend: { textStyle: { color: text } },
      grid: { left: 40, right: 20, bottom: 90, top: 40 },
      xAxis: { type: 'category', data: ids.map((i) => parkNames[i] ?? i), axisLabel: { rotate: 35, color: text, fontSize: 11 } },
      yAxis: { type: 'value', axisLabel: { color: text } },
      series: series.map((s) => ({ name: s.label, type: 'bar', stack: 'f', itemStyle: { color: s.color }, data: ids.map((i) => d.summary.by_park[i][s.key]) })),
    },
    table: {
      columns: [t('dash.parkName'), ...series.map((s) => s.label)],
      rows: ids.map((i) => [parkNames[i] ?? i, ...series.map((s) => d.summary.by_park[i][s.key])]),
    },
  }
}

export function classes(d: DashboardData, t: T, dark = false): Chart | null {
  const parks = d.efficiency.parks.filter((p) => p.classes)
  if (!parks.length) return null
  const text = dark ? '#d9f1ff' : '#333'
  const keys = ['A', 'B', 'C', 'D'] as const
  const colors = ['#2e9d6f', '#64b5f6', '#f2b134', '#d84343']
  return {
    option: {
      tooltip: { trigger: 'axis' },
      legend: { textStyle: { color: text } },
      grid: { left: 40, right: 20, bottom: 90, top: 40 },
      xAxis: { type: 'category', data: parks.map((p) => p.name), axisLabel: { rotate: 35, color: text, fontSize: 11 } },
      yAxis: { type: 'value', axisLabel: { color: text } },
      series: keys.map((k, i) => ({ name: k, type: 'bar', stack: 'c', itemStyle: { color: colors[i] }, data: parks.map((p) => p.classes![k]) })),
    },
    table: { columns: [t('dash.parkName'), ...keys], rows: parks.map((p) => [p.name, ...keys.map((k) => p.classes![k])]) },
  }
}

export function ranking(d: DashboardData, t: T, loc: Locale, dark = false): Chart {
  const rows = d.efficiency.parks
    .map((p) => ({ name: p.name, v: n(yearOf(p, d.year)?.tax_per_mu_wan) }))
    .filter((r) => r.v !== null)
    .sort((a, b) => (a.v as number) - (b.v as number))
  const text = dark ? '#d9f1ff' : '#333'
  return {
    option: {
      tooltip: { trigger: 'axis' },
      grid: { left: 150, right: 60, bottom: 20, top: 10 },
      xAxis: { type: 'value', axisLabel: { color: text } },
      yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { color: text, fontSize: 11 } },
      series: [{ type: 'bar', data: rows.map((r) => r.v), itemStyle: { color: '#1f6f5c' }, label: { show: true, position: 'right', color: text, formatter: (p: any) => formatNumber(p.value, loc, 2) } }],
    },
    table: {
      columns: ['#', t('dash.parkName'), t('dash.year', { year: d.year })],
      rows: [...rows].reverse().map((r, i) => [i + 1, r.name, r.v]),
    },
  }
}

export function trend(p: ParkEfficiency, t: T, loc: Locale): Chart {
  const years = p.years.map((y) => String(y.year))
  const min = n(p.target.min_wan)
  const max = n(p.target.max_wan)
  return {
    option: {
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, bottom: 30, top: 30 },
      xAxis: { type: 'category', data: years },
      yAxis: { type: 'value', name: loc === 'zh-CN' ? '万元/亩' : '10k yuan/mu' },
      series: [{
        name: t('dash.trend'),
        type: 'line',
        data: p.years.map((y) => n(y.tax_per_mu_wan)),
        markArea: min !== null ? { itemStyle: { color: 'rgba(46,157,111,0.12)' }, data: [[{ yAxis: min }, { yAxis: max ?? min * 1.5 }]] } : undefined,
      }],
    },
    table: {
      columns: [t('card.year'), t('dash.trend'), t('dash.enterprises'), t('dash.land'), t('dash.position')],
      rows: p.years.map((y) => [y.year, n(y.tax_per_mu_wan), y.enterprises, n(y.land_mu), y.position ? t(`dash.${y.position}`) : null]),
    },
  }
}

export function stock(tally: ParkTally, t: T): Chart {
  const entries = Object.entries(tally.stock)
  return {
    option: {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], data: entries.map(([k, v]) => ({ name: t(`stock.${k}`), value: v })) }],
    },
    table: { columns: [t('dash.stockKind'), t('dash.value')], rows: entries.map(([k, v]) => [t(`stock.${k}`), v]) },
  }
}
