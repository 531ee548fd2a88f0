// @vitest-environment happy-dom
// The step buttons of a 标准地 project: a review is one button whatever it decides, the
// revision is the applicant's only, and a deciding step goes to the page's own form.
import { afterEach, describe, expect, it } from 'vitest'
import { session } from '../../src/session'
import type { WorkflowDef } from '../../src/api/workflow'
import { hiddenStep, stepForm } from '../../src/workflow/projectSteps'
import { mountScreen } from './mount'

const tr = (from: string, to: string, roles: string[], label_zh: string) =>
  ({ from, to, roles, label_zh, required_fields: [], required_documents: [], required_checks: [] }) as any
const DEF: WorkflowDef = {
  code: 'standard_land_project', name_zh: '标准地项目', version: '1', initial: 'applied',
  statuses: ['applied', 'revising', 'admission_passed', 'reviewed', 'rejected'].map((code) => ({ code, label_zh: code, terminal: code === 'rejected', checklist: [], deadline: null })),
  transitions: [
    tr('revising', 'applied', ['enterprise', 'city', 'park'], '重新提交'),
    tr('admission_passed', 'reviewed', ['city'], '联合评审通过'),
    tr('admission_passed', 'rejected', ['city'], '联合评审不通过'),
  ],
}
const special = stepForm

async function steps(role: string, status: string) {
  session.me = { user: 'u', role: role as any, role_zh: '', scope: '', scope_value: null, read_only: false }
  const { default: WorkflowSteps } = await import('../../src/components/work/WorkflowSteps.vue')
  const Host = {
    components: { WorkflowSteps },
    template: '<WorkflowSteps collection="projects" :record="record" :def="def" :special="special" :hide="hide" @special="picked.push($event.to)" />',
    data: () => ({ record: { id: 'P', version: 1, status, parcel_id: null, doc: {} }, def: DEF, special, hide: hiddenStep(role as any), picked: [] as string[] }),
  }
  const { w } = await mountScreen(Host)
  return w
}

afterEach(() => {
  session.me = null
  document.body.innerHTML = ''
})

describe('project step buttons', () => {
  it('shows the city one review button, handed to the review form', async () => {
    const w = await steps('city', 'admission_passed')
    const buttons = w.findAll('[data-test^=wf-step-]')
    expect(buttons.map((b) => b.attributes('data-test'))).toEqual(['wf-step-reviewed'])
    expect(buttons[0].text()).toBe('记录联合评审')
    await buttons[0].trigger('click')
    expect((w.vm as any).picked).toEqual(['reviewed'])
    expect(document.querySelector('[data-test=transition-dialog]')).toBeNull()
  })

  it('gives the resubmission to the applicant only', async () => {
    expect((await steps('enterprise', 'revising')).findAll('[data-test=wf-step-applied]')).toHaveLength(1)
    document.body.innerHTML = ''
    expect((await steps('park', 'revising')).findAll('[data-test^=wf-step-]')).toHaveLength(0)
  })
})
