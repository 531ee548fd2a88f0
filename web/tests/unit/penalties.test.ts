// @vitest-environment happy-dom
// The project's penalty panel on a mocked API: a statement partly paid shows due, paid and owed
// with its payments; an official records the rest (the amount offered is what is owed, the
// version read is sent); a refused payment shows the server's reason and keeps the dialog open.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mountScreen, until } from './mount'
import PenaltyPanel from '../../src/components/project/PenaltyPanel.vue'
import { ApiError } from '../../src/api/http'
import { outstanding } from '../../src/api/standardLand'

const statement = (payments: { amount: string; paid_on: string; receipt: string }[], status: string, version: number) => ({
  kind: 'penalty', id: 'BZD-weidu-0001:start:penalty', version, park_id: 'weidu', jurisdiction: '411002', parcel_id: null,
  enterprise: '91411002MA00000001', status, due: null, updated_at: '2026-11-26T00:00:00Z',
  doc: {
    contract_no: '许自然资让〔2021〕18号',
    lines: [{ kind: 'late_start', basis_zh: '迟延动工45日 × 1‰ × 13098617.28元', amount: '589437.78', capped: false }],
    total: '589437.78',
    payments: payments.map((p) => ({ ...p, recorded_by: 'weidu' })),
  },
})
let current = statement([{ amount: '300000', paid_on: '2022-04-10', receipt: '许财缴〔2022〕101号' }], 'partially_paid', 3)
const paid: any[] = []
let refuse: ApiError | null = null
vi.mock('../../src/api/standardLand', async (orig) => {
  const real = await orig<typeof import('../../src/api/standardLand')>()
  return {
    ...real,
    projectPenalties: () => Promise.resolve([current]),
    payPenalty: (id: string, b: any) => {
      if (refuse) return Promise.reject(refuse)
      paid.push({ id, ...b })
      current = statement([...current.doc.payments, { amount: b.amount_yuan, paid_on: b.paid_on, receipt: b.receipt }], 'paid', current.version + 1)
      return Promise.resolve(current)
    },
  }
})

const props = { project: 'BZD-weidu-0001', park: 'weidu', canPay: true, reload: 0 }
beforeEach(() => {
  paid.length = 0
  refuse = null
  current = statement([{ amount: '300000', paid_on: '2022-04-10', receipt: '许财缴〔2022〕101号' }], 'partially_paid', 3)
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('penalty panel', () => {
  it('computes what is owed to the fen', () => {
    expect(outstanding(current.doc)).toBe(289437.78)
  })

  it('shows a partly paid statement and records the rest', async () => {
    const { w: p } = await mountScreen({ components: { PenaltyPanel }, template: '<PenaltyPanel v-bind="p" />', data: () => ({ p: props }) } as any)
    await until(() => p.find('[data-test=penalty]').exists())
    expect(p.find('[data-test=penalty]').attributes('data-status')).toBe('partially_paid')
    expect(p.find('[data-test=penalty-outstanding]').text()).toContain('28.94')
    expect(p.findAll('[data-test=penalty-payment]')).toHaveLength(1)
    await p.find('[data-test=penalty-pay]').trigger('click')
    await until(() => document.querySelector('[data-test=pay-submit]') !== null)
    const amount = document.querySelector('input[data-test=pay-amount], [data-test=pay-amount] input') as HTMLInputElement
    expect(amount.value).toBe('289437.78')
    const receipt = document.querySelector('input[data-test=pay-receipt], [data-test=pay-receipt] input') as HTMLInputElement
    receipt.value = '许财缴〔2022〕102号'
    receipt.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-test=pay-submit]') as HTMLElement).click()
    await until(() => paid.length === 1)
    expect(paid[0]).toMatchObject({ id: 'BZD-weidu-0001:start:penalty', amount_yuan: '289437.78', receipt: '许财缴〔2022〕102号', version: 3 })
    await until(() => p.find('[data-test=penalty]').attributes('data-status') === 'paid')
    expect(p.findAll('[data-test=penalty-payment]')).toHaveLength(2)
    expect(p.find('[data-test=penalty-pay]').exists()).toBe(false)
  })

  it('shows the reason of a refused payment and writes nothing', async () => {
    refuse = new ApiError(422, { title: 'Invalid input', detail: 'receipt: required', errors: [{ field: 'receipt', reason: 'required', reason_zh: '缴款凭证号必填' }] })
    const { w: p } = await mountScreen({ components: { PenaltyPanel }, template: '<PenaltyPanel v-bind="p" />', data: () => ({ p: props }) } as any)
    await until(() => p.find('[data-test=penalty-pay]').exists())
    await p.find('[data-test=penalty-pay]').trigger('click')
    await until(() => document.querySelector('[data-test=pay-submit]') !== null)
    ;(document.querySelector('[data-test=pay-submit]') as HTMLElement).click()
    await until(() => document.querySelector('[data-test=pay-error]') !== null)
    expect(document.querySelector('[data-test=pay-error]')!.textContent).toContain('缴款凭证号')
    expect(paid).toHaveLength(0)
  })
})
