import { describe, expect, it } from 'vitest'
import { formatDate, formatM2, formatMu, formatWan, formatWanPerMu, formatYuanAsWan, m2ToMu, M2_PER_MU } from '../../src/format'

describe('亩', () => {
  it('1 亩 is 10000/15 m²', () => {
    expect(M2_PER_MU).toBeCloseTo(666.6667, 4)
    expect(m2ToMu(6666.6667)).toBeCloseTo(10, 4)
    expect(m2ToMu(31295.57)).toBeCloseTo(46.9434, 4)
  })
  it('formats areas with the unit of the locale', () => {
    expect(formatMu('46.9434', 'zh-CN')).toBe('46.94 亩')
    expect(formatMu('46.9434', 'en')).toBe('46.94 mu')
    expect(formatMu('12345.678', 'zh-CN')).toBe('12,345.68 亩')
    expect(formatMu('46.9434', 'zh-CN', 4)).toBe('46.9434 亩')
    expect(formatM2('31295.57', 'en')).toBe('31,295.57 m²')
  })
  it('shows a dash for a missing value', () => {
    expect(formatMu(null, 'zh-CN')).toBe('—')
    expect(formatMu('', 'en')).toBe('—')
    expect(formatMu('not a number', 'en')).toBe('—')
  })
})

describe('万元', () => {
  it('turns 元 into 万元 in Chinese and millions in English', () => {
    expect(formatYuanAsWan('6758519.04', 'zh-CN')).toBe('675.85 万元')
    expect(formatYuanAsWan('6758519.04', 'en')).toBe('6.76 M yuan')
  })
  it('formats values already in 万元', () => {
    expect(formatWan('15', 'zh-CN')).toBe('15.00 万元')
    expect(formatWan('15', 'en')).toBe('150.0 k yuan')
    expect(formatWanPerMu('16.94', 'zh-CN')).toBe('16.94 万元/亩')
    expect(formatWanPerMu('16.94', 'en')).toBe('169.4 k yuan/mu')
  })
})

describe('dates', () => {
  it('formats a calendar date for the locale, without shifting the day', () => {
    expect(formatDate('2021-06-30', 'zh-CN')).toBe('2021年6月30日')
    expect(formatDate('2021-06-30', 'en')).toBe('Jun 30, 2021')
    expect(formatDate(null, 'en')).toBe('—')
  })
})
