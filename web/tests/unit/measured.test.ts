// What a 履约 checkpoint asks to measure: the signed agreement's indicators of its stage.
import { describe, expect, it } from 'vitest'
import { measured, stageOf, targetText, type AgreedIndicator } from '../../src/workflow/measured'

const ind = (code: string, stages: string[], direction: AgreedIndicator['direction'] = { kind: 'at_least' }, target = '1', unit = ''): AgreedIndicator =>
  ({ code, name_zh: code.toUpperCase(), unit, direction, target, stages })
// As the server fills a 履约监管协议 from a weidu 标准地 set (绿地率 is among the completion ones).
const AGREED = [
  ind('investment_intensity_wan_per_mu', ['admission', 'completion'], { kind: 'at_least' }, '500', '万元/亩'),
  ind('far_min', ['admission', 'completion', 'periodic'], { kind: 'at_least' }, '1.5'),
  ind('green_ratio_max', ['completion'], { kind: 'at_most' }, '0.20'),
  ind('tax_per_mu_wan', ['admission', 'capacity_review', 'periodic'], { kind: 'at_least' }, '60', '万元/亩'),
  ind('energy_per_mu', ['capacity_review'], { kind: 'range', max: '2' }, '0.5', '吨标煤/亩'),
]

describe('checkpoint measurements', () => {
  it('maps checkpoints to their stage', () => {
    expect(stageOf('conformity_check')).toBe('completion')
    expect(stageOf('capacity_review')).toBe('capacity_review')
    expect(stageOf('periodic_review_2')).toBe('periodic')
    expect(stageOf('start')).toBeNull()
  })

  it('asks at 对标验收 for every agreed completion indicator, 绿地率 included', () => {
    const m = measured(AGREED, 'conformity_check')
    expect(m.map((x) => x.code)).toEqual(['investment_intensity_wan_per_mu', 'far_min', 'green_ratio_max'])
    expect(m[0].target).toBe('≥ 500 万元/亩')
    expect(m[2].target).toBe('≤ 0.20')
  })

  it('leaves 亩均税收 to the yearly figures at 达产复核, asks for it at 定期复核', () => {
    expect(measured(AGREED, 'capacity_review').map((x) => x.code)).toEqual(['energy_per_mu'])
    expect(targetText(AGREED[4])).toBe('0.5–2 吨标煤/亩')
    expect(measured(AGREED, 'periodic_review_1').map((x) => x.code)).toEqual(['far_min', 'tax_per_mu_wan'])
    expect(measured(AGREED, 'start')).toEqual([])
  })

  it('falls back to the physical indicators at 对标验收 when the agreement is not known', () => {
    expect(measured(undefined, 'conformity_check').map((x) => x.code)).toEqual(['far_min', 'investment_intensity_wan_per_mu', 'building_coverage_min', 'admin_land_ratio_max'])
    expect(measured([], 'capacity_review')).toEqual([])
  })
})
