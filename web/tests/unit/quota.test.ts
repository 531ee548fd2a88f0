// The 增存挂钩 page's pure helpers: county names from the parks, the sheet of the allocation and
// the check that the shares and the unallocated rest add up to the total.
import { describe, expect, it } from 'vitest'
import { balances, countyLabel, countyNames, quotaChart, quotaTable } from '../../src/quota/logic'
import type { Allocation, CountyQuota } from '../../src/api/quota'
import type { Park } from '../../src/api/types'

const t = (k: string) => k
const county = (code: string, quota: string, keyOnly = false): CountyQuota => ({
  county: code,
  base_mu: '0',
  base_source: { from: 'rule_set', label_zh: '规则集' },
  task_mu: '0',
  task_source: { from: 'rule_set', label_zh: '规则集' },
  disposed_unsupplied_m2: '0',
  disposed_unsupplied_mu: '12.5',
  disposed_idle_mu: '0',
  idle_cases: [],
  batches: 3,
  window_batches: 2,
  window_approved_m2: '1000',
  window_supplied_m2: '700',
  window_supply_rate: '0.7000',
  steps: [{ label_zh: '基础指标 0', points: '0' }, { label_zh: '批而未供消化奖励 0.5 × 12.5', points: '6.25' }],
  score: '6.25',
  key_projects_only: keyOnly,
  raw_mu: quota,
  remainder_units: 0,
  quota_mu: quota,
})
const alloc = (counties: CountyQuota[], total: string, unallocated: string): Allocation => ({
  year: 2022,
  as_of: '2021-12-31',
  period_from: '2020-12-31',
  period_to: '2021-12-31',
  window_first_year: 2017,
  window_last_year: 2021,
  city: '411000',
  terms: { rule_set_version: 'rv', reward_ratio_unsupplied: '0.5', reward_ratio_idle: '0.5', penalty_ratio: '1', supply_rate_threshold: '0.6', rounding_dp: 4 },
  total_mu: total,
  score_sum: '12.5',
  unallocated_mu: unallocated,
  counties,
})

describe('quota logic', () => {
  it('names counties from the parks and labels unknown codes by code', () => {
    const names = countyNames([{ jurisdiction: '411002', jurisdiction_name: '魏都区' } as Park])
    expect(countyLabel(names, '411002')).toBe('魏都区（411002）')
    expect(countyLabel(names, '411081')).toBe('411081')
  })
  it('checks that the shares and the unallocated rest add up to the total, to the rounding unit', () => {
    expect(balances(alloc([county('411002', '333.3333'), county('411081', '666.6667')], '1000', '0'))).toBe(true)
    expect(balances(alloc([county('411002', '333.3333'), county('411081', '666.6666')], '1000', '0'))).toBe(false)
    expect(balances(alloc([county('411002', '0', true)], '1000', '1000'))).toBe(true)
  })
  it('puts every figure and the score steps in the sheet, and greys a county kept to key projects', () => {
    const a = alloc([county('411002', '1000'), county('411081', '0', true)], '1000', '0')
    const sheet = quotaTable(a, { '411002': '魏都区' }, t)
    expect(sheet.columns).toHaveLength(10)
    expect(sheet.rows[0][0]).toBe('魏都区（411002）')
    expect(sheet.rows[0][5]).toBe(0.7)
    expect(sheet.rows[0][9]).toBe('基础指标 0：0；批而未供消化奖励 0.5 × 12.5：6.25')
    const bars = (quotaChart(a, {}, t).option as any).series[0].data
    expect(bars.map((b: any) => b.value)).toEqual([1000, 0])
    expect(bars[1].itemStyle.color).not.toBe(bars[0].itemStyle.color)
  })
})
