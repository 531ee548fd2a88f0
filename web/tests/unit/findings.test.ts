import { describe, expect, it } from 'vitest'
import { findingsQuery, inputsText, kindTag, KINDS, subjectText } from '../../src/findings/logic'
import { findingsXlsxUrl } from '../../src/api/findings'
import zh from '../../src/i18n/findings.zh-CN'
import en from '../../src/i18n/findings.en'

describe('the findings list', () => {
  it('lists the three inventories of the plan, each with a label in both languages', () => {
    expect(KINDS).toEqual(['idle', 'unsupplied', 'low_efficiency'])
    for (const k of KINDS) {
      expect(zh.kinds[k]).toBeTruthy()
      expect(en.kinds[k]).toBeTruthy()
    }
    expect(zh.kinds.idle).toBe('闲置土地')
    expect(kindTag('idle')).toBe('danger')
    expect(kindTag('other')).toBe('info')
  })
  it('makes the query of a filter and a page, leaving empty fields to the server', () => {
    expect(findingsQuery({ kind: '', park: '', asOf: '', year: null })).toEqual({
      kind: undefined, park: undefined, as_of: undefined, year: undefined, limit: 50, offset: 0,
    })
    expect(findingsQuery({ kind: 'idle', park: 'weidu', asOf: '2025-12-31', year: 2024 }, 3, 50)).toEqual({
      kind: 'idle', park: 'weidu', as_of: '2025-12-31', year: 2024, limit: 50, offset: 100,
    })
    expect(findingsQuery({ kind: '', park: '', asOf: '', year: null }, 0).offset).toBe(0)
  })
  it('downloads the whole filtered list, not the page', () => {
    const url = findingsXlsxUrl(findingsQuery({ kind: 'low_efficiency', park: 'weidu', asOf: '', year: null }, 4))
    expect(url).toBe('/api/findings?kind=low_efficiency&park=weidu&format=xlsx')
  })
  it('names the parcel by its code, else its name, else the subject id', () => {
    const subject = { kind: 'parcel', id: 'de01' }
    expect(subjectText({ subject, parcel: { code: '411002001001GB00001', name: 'A', park_id: null } })).toBe('411002001001GB00001')
    expect(subjectText({ subject, parcel: { code: null, name: '测试地块', park_id: null } })).toBe('测试地块')
    expect(subjectText({ subject: { kind: 'batch', id: '豫政土〔2019〕1号' }, parcel: null })).toBe('豫政土〔2019〕1号')
    expect(inputsText({ inputs: { a: '1', 'tax.2024': '4.9' } })).toBe('a=1; tax.2024=4.9')
  })
})
