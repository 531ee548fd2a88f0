// The A/B/C/D chart of an evaluation run, one stacked bar per park, with the table it draws.
import type { EvaluationDetail } from '../api/evaluations'
import { CLASS_KEYS } from '../api/evaluations'
import type { Chart } from '../dashboard/data'

type T = (k: string) => string
export const CLASS_COLORS = ['#2e9d6f', '#64b5f6', '#f2b134', '#d84343', '#9e9e9e']

export function classLabel(k: string, t: T): string {
  return k === 'not_rated' ? t('evals.notRated') : k
}

export function parkClassesChart(d: EvaluationDetail, t: T): Chart {
  const parks = d.parks // in the server's order
  return {
    option: {
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 20, bottom: 90, top: 40 },
      xAxis: { type: 'category', data: parks.map((p) => p.park_name), axisLabel: { rotate: 35, fontSize: 11 } },
      yAxis: { type: 'value', name: t('evals.enterprises') },
      series: CLASS_KEYS.map((k, i) => ({
        name: classLabel(k, t),
        type: 'bar',
        stack: 'c',
        itemStyle: { color: CLASS_COLORS[i] },
        data: parks.map((p) => p[k] ?? 0),
      })),
    },
    table: {
      columns: [t('dash.parkName'), ...CLASS_KEYS.map((k) => classLabel(k, t)), t('evals.taxPerMu')],
      rows: parks.map((p) => [p.park_name, ...CLASS_KEYS.map((k) => p[k] ?? 0), p.tax_per_mu === null ? null : Number(p.tax_per_mu)]),
    },
  }
}
