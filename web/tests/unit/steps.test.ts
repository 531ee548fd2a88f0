// @vitest-environment happy-dom
// The 标准地 step forms: which transitions go through their own endpoint (the server's
// `dedicated` table), the joint review's body and tally, the scheme's body, and a refusal
// shown as the server words it (the API is mocked here; the e2e runs them on a real server).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { dedicatedStep } from '../../src/api/standardLand'
import { ApiError } from '../../src/api/http'
import { field, mountScreen, until } from './mount'

const calls: { fn: string; id: string; body: any }[] = []
let refuse: ApiError | null = null
vi.mock('../../src/api/standardLand', async (orig) => {
  const real = await orig<typeof import('../../src/api/standardLand')>()
  const rec = (fn: string) => (id: string, body: any) => {
    calls.push({ fn, id, body })
    return refuse ? Promise.reject(refuse) : Promise.resolve({ id, outcome: {} })
  }
  return { ...real, review: rec('review'), setScheme: rec('scheme') }
})

const RECORD = {
  kind: 'project', id: 'BZD-weidu-0009', version: 4, park_id: 'weidu', jurisdiction: null, parcel_id: null, enterprise: null,
  status: 'admission_passed', due: null,
  doc: { id: 'BZD-weidu-0009', name: 'x', applicant: 'u', park_id: 'weidu', industry: 'i', area_m2: '40000', parcel_id: null, values: {}, admission: null, state: {}, large_project: false },
}

afterEach(() => {
  calls.length = 0
  refuse = null
  document.body.innerHTML = ''
})

describe('dedicated steps', () => {
  it('routes each deciding step to its endpoint, as the server requires', () => {
    expect(dedicatedStep('reviewed')).toEqual({ kind: 'review' })
    expect(dedicatedStep('rejected')).toEqual({ kind: 'review' })
    expect(dedicatedStep('applied')).toEqual({ kind: 'revision' })
    expect(dedicatedStep('scheme_set')).toEqual({ kind: 'scheme' })
    expect(dedicatedStep('granted')).toEqual({ kind: 'contract' })
    expect(dedicatedStep('expired')).toEqual({ kind: 'renewal' })
    expect(dedicatedStep('started')).toEqual({ kind: 'checkpoint', code: 'start' })
    expect(dedicatedStep('capacity_reviewed')).toEqual({ kind: 'checkpoint', code: 'capacity_review' })
    expect(dedicatedStep('revising')).toBeNull()
    expect(dedicatedStep('operating')).toBeNull()
  })
})

async function dialog(name: 'ReviewDialog' | 'SchemeDialog') {
  const { default: D } = await import(`../../src/components/steps/${name}.vue`)
  const Host = { components: { D }, template: '<D :open="true" :record="record" />', data: () => ({ record: RECORD }) }
  const { w } = await mountScreen(Host)
  await flushPromises()
  return w
}

describe('the joint review form', () => {
  it('sends members, opinions and the meeting meta; the tally follows the votes', async () => {
    const w = await dialog('ReviewDialog')
    expect(w.findAll('[data-test=review-row]')).toHaveLength(4)
    expect(w.find('[data-test=review-tally]').attributes('data-approved')).toBe('1')
    await field(w, 'review-comment-3').setValue('排放指标偏高')
    await field(w, 'transition-reason').setValue('入驻评审联席会议')
    await w.find('[data-test=transition-submit]').trigger('click')
    await until(() => calls.length === 1)
    const { fn, id, body } = calls[0]
    expect([fn, id]).toEqual(['review', 'BZD-weidu-0009'])
    expect(body.members).toHaveLength(4)
    expect(body.opinions[3]).toEqual({ member: '市生态环境局', vote: 'approve', comment: '排放指标偏高' })
    expect(body.phases).toEqual([])
    expect(body.version).toBe(4)
    expect(body.reason).toBe('入驻评审联席会议')
    expect(body.documents).toEqual([{ kind: '评审会议纪要', number: null, sha256: null }])
  })

  it('shows the server refusal field by field in the reader language', async () => {
    refuse = new ApiError(422, {
      title: 'invalid',
      errors: [{ field: 'opinions[1].comment', reason: 'a rejection must give its reason', reason_zh: '不同意须说明理由' }],
    })
    const w = await dialog('ReviewDialog')
    await field(w, 'transition-reason').setValue('评审')
    await w.find('[data-test=transition-submit]').trigger('click')
    await until(() => w.find('[data-test=transition-error]').exists())
    expect(w.find('[data-test=transition-error]').text()).toContain('不同意须说明理由')
  })
})

describe('the supply scheme form', () => {
  it('asks the appraised price, then sends a 20-year flexible grant', async () => {
    const w = await dialog('SchemeDialog')
    await field(w, 'transition-reason').setValue('弹性年期出让')
    await w.find('[data-test=transition-submit]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=transition-error]').text()).toContain('评估地价')
    expect(calls).toHaveLength(0)
    await field(w, 'scheme-price').setValue('18000000')
    await w.find('[data-test=transition-submit]').trigger('click')
    await until(() => calls.length === 1)
    expect(calls[0].body).toMatchObject({ scheme: { mode: 'flexible_grant', years: 20 }, full_term_price_yuan: '18000000', version: 4 })
  })
})
