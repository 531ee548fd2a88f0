// End-to-end: 标准地 supply and supervision screens (issue 8 part 4) on a real `landcycle serve`
// in Debian's chromium. An enterprise's application is filed over the public HTTP API; then, in
// the browser and each by its own role: the park passes the admission check, the city records
// the joint review (入驻评审联席会议, one member against) and decides a 20-year grant whose
// 年期修正 price the server computes; an inspection with a photo is recorded on the parcel; the
// contract is signed and its checkpoints met up to 达产复核; the renewal is granted condition by
// condition; and the case list filters 挂牌督办 with each park's count against the plan's minimum.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiClient, shot, startBrowser, startServer } from './harness.mjs'

let server
let browser
let page
let project // the application filed for the test
let parkUserOwnsIt // the demo park user's park is the project's park

const field = (name) =>
  page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first()

async function signIn(name) {
  await page.goto(`${server.base}/login`)
  if (await page.locator('[data-test=sign-out]').count()) await page.locator('[data-test=sign-out]').click()
  await field('login-user').fill(name)
  await field('login-password').fill(server.passwords[name])
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

async function openProject() {
  await page.goto(`${server.base}/projects/${encodeURIComponent(project)}`)
  await page.locator('[data-test=wf-status]').waitFor()
}

/** A 1×1 PNG, the inspection's photo. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

before(async () => {
  server = await startServer()
  browser = await startBrowser(server.base)
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
  const city = await apiClient(server.base, 'demo-city', server.passwords['demo-city'])
  const ent = await apiClient(server.base, 'demo-enterprise', server.passwords['demo-enterprise'])
  const park = await apiClient(server.base, 'demo-park', server.passwords['demo-park'])
  const uscc = (await ent.get('/api/auth/me')).scope_value
  const parkId = (await ent.get(`/api/enterprises/${uscc}`)).enterprise.park_id
  parkUserOwnsIt = (await park.get('/api/auth/me')).scope_value === parkId
  // Land not yet supplied (挂牌 or 批而未供): the contract moves it to 已供应 and on.
  let parcel
  for (const status of ['listed', 'approved_unsupplied', 'reserved']) {
    parcel ??= (await city.get(`/api/parcels?park=${parkId}&status=${status}&limit=1`)).features[0]?.properties.id
  }
  assert.ok(parcel, `park ${parkId} has unsupplied land`)
  const filed = await ent.post('/api/projects', {
    name: '端到端测试智能装备项目', uscc, park_id: parkId, industry: '高端装备制造业', investment_wan: '30000', land_mu: '60',
    parcel_id: parcel, change: { reason: '端到端测试：标准地申请' },
    values: {
      investment_intensity_wan_per_mu: '500', far_min: '1.5', tax_per_mu_wan: '60', building_coverage_min: '0.45',
      admin_land_ratio_max: '0.05', credit_commitment: '1',
    },
  })
  assert.equal(filed.outcome.passed, true, `the admission check passes: ${JSON.stringify(filed.outcome)}`)
  project = filed.id
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

test('the park passes the admission check; the joint review is not its step', async () => {
  await signIn(parkUserOwnsIt ? 'demo-park' : 'demo-city')
  await openProject()
  await page.locator('[data-test=wf-status][data-status=applied]').waitFor()
  await page.locator('[data-test=wf-step-admission_passed]').click()
  await field('transition-reason').fill('准入指标全部达标')
  await page.locator('[data-test=transition-submit]').click()
  await page.locator('[data-test=wf-status][data-status=admission_passed]').waitFor()
  if (parkUserOwnsIt) assert.equal(await page.locator('[data-test=wf-step-reviewed]').count(), 0, 'the review is the city’s')
})

test('the city records the joint review in the UI: members, opinions, the decision', async () => {
  await signIn('demo-city')
  await openProject()
  await page.locator('[data-test=wf-step-reviewed]').click()
  await page.locator('[data-test=review-row]').first().waitFor()
  assert.equal(await page.locator('[data-test=review-row]').count(), 4)
  // One member against, with its reason; three of four approve.
  await page.locator('[data-test=review-vote-3]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '不同意' }).click()
  await field('review-comment-3').fill('排放指标偏高，需补充环评')
  await page.locator('[data-test=review-add]').click()
  await field('review-member-4').fill('园区管委会')
  await page.locator('[data-test=review-tally][data-approved="1"]').waitFor()
  assert.match(await page.locator('[data-test=review-tally]').innerText(), /4\/5/)
  await field('transition-reason').fill('入驻评审联席会议')
  await field('transition-doc-评审会议纪要').fill('许标准地评〔2026〕3号')
  await shot(page, 'supply-01-review-form')
  await page.locator('[data-test=transition-submit]').click()
  await page.locator('[data-test=wf-status][data-status=reviewed]').waitFor()
  await page.locator('[data-test=project-review] [data-test=review-decision]', { hasText: '评审通过' }).waitFor()
  const card = await page.locator('[data-test=project-review]').innerText()
  assert.match(card, /排放指标偏高/)
  assert.match(card, /不同意/)
})

test('the city decides a 20-year grant; the page shows the 年期修正 price the server computed', async () => {
  await page.locator('[data-test=wf-step-scheme_set]').click()
  await page.locator('[data-test=scheme-mode-flexible_grant]').waitFor()
  await field('scheme-price').fill('18000000')
  await field('transition-reason').fill('弹性年期出让20年')
  await page.locator('[data-test=transition-submit]').click()
  await page.locator('[data-test=wf-status][data-status=scheme_set]').waitFor()
  // K(6 %, 20, 50) = 0.727701; 18 000 000 × K = 13 098 617.40 元.
  assert.equal(await page.locator('[data-test=scheme-k]').innerText(), '0.727701')
  assert.match(await page.locator('[data-test=scheme-grant-price]').innerText(), /13,098,617\.40/)
  // The history holds both steps with their reasons; the contract is the next step.
  const history = await page.locator('[data-test=wf-timeline]').innerText()
  assert.match(history, /入驻评审联席会议/)
  assert.match(history, /弹性年期出让20年/)
  await page.locator('[data-test=wf-step-granted]').waitFor()
  await page.waitForTimeout(3500) // the confirmation messages fade
  await page.locator('[data-test=project-scheme]').scrollIntoViewIfNeeded()
  await shot(page, 'supply-02-project-scheme')
})

test('a refused contract shows the server reason and changes nothing', async () => {
  // A daily penalty of 12 ‰ is above the ceiling of 10 ‰: refused with the rule, nothing signed.
  await page.locator('[data-test=wf-step-granted]').click()
  await field('contract-no').fill('许自然资让〔2026〕99号')
  await field('agreement-no').fill('履约〔2026〕99号')
  await field('contract-late-start').fill('12')
  await field('transition-reason').fill('签订出让合同')
  await field('transition-doc-国有建设用地使用权出让合同').fill('许自然资让〔2026〕99号')
  await field('transition-doc-履约监管协议').fill('履约〔2026〕99号')
  await page.locator('[data-test=transition-submit]').click()
  const error = page.locator('[data-test=transition-error]')
  await error.waitFor()
  assert.match(await error.innerText(), /日违约金比例应大于0且不超过千分之10/)
  await page.keyboard.press('Escape')
  await page.reload()
  await page.locator('[data-test=wf-status][data-status=scheme_set]').waitFor()
})

test('an inspection with a photo is recorded on the project parcel', async () => {
  await page.locator('[data-test=inspection-new]').click()
  await page.locator('[data-test=inspection-dialog]').waitFor()
  await field('inspection-inspectors').fill('张三，李四')
  await page.locator('[data-test=inspection-photos]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG })
  await field('inspection-remarks').fill('地块已平整，尚未动工')
  await page.locator('[data-test=inspection-submit]').click()
  await page.locator('[data-test=inspection-item]').first().waitFor()
  const item = await page.locator('[data-test=inspection-item]').first().innerText()
  assert.match(item, /张三、李四/)
  assert.match(item, /尚未动工/)
  assert.equal(await page.locator('[data-test=inspection-photo]').count(), 1)
  const src = await page.locator('[data-test=inspection-photo]').getAttribute('src')
  const status = await page.evaluate(async (u) => (await fetch(u)).status, src)
  assert.equal(status, 200, 'the photo is served from the parcel documents')
})

/** Takes the project's step to `to` in its form: `fill` fills what the step decides; the reason
 *  and every document number it asks for are filled here. */
async function takeStep(to, fill = async () => {}) {
  await page.locator(`[data-test=wf-step-${to}]`).click()
  await field('transition-reason').waitFor()
  await fill()
  await field('transition-reason').fill(`端到端测试：${to}`)
  const docs = page.locator('input[data-test^="transition-doc-"]:visible, [data-test^="transition-doc-"] input:visible')
  let n = 0
  for (const d of await docs.all()) await d.fill(`许测〔2026〕${++n}号`)
  await page.locator('[data-test=transition-submit]').click()
  // The new status, or the server's refusal named in the failure.
  const done = page.locator(`[data-test=wf-status][data-status=${to}]`)
  const refused = page.locator('[data-test=transition-error]')
  await done.or(refused).first().waitFor()
  if (await refused.count()) assert.fail(`step to ${to} refused: ${await refused.innerText()}`)
}

test('the contract is signed; its checkpoints are met in order up to 达产复核 with the measured values', async () => {
  await openProject()
  await page.locator('[data-test=wf-status][data-status=scheme_set]').waitFor()
  await takeStep('granted', async () => {
    await field('contract-no').fill('许自然资让〔2026〕100号')
    await field('agreement-no').fill('履约〔2026〕100号')
  })
  assert.match(await page.locator('[data-test=project-contract]').innerText(), /许自然资让〔2026〕100号/)
  // The §4.3 timeline stored on signing: 交地 … 达产复核, the periodic reviews, 期满.
  await page.locator('[data-test=checkpoint][data-code=delivery][data-state=open]').waitFor()
  assert.ok((await page.locator('[data-test=checkpoint]').count()) >= 8)
  await takeStep('delivered')
  await takeStep('started')
  await takeStep('completed')
  // 对标验收: each agreed indicator measured at or beyond the enterprise's commitment — the form
  // asks for the agreement's own indicators of the stage, 绿地率 among them.
  await takeStep('conformity_checked', async () => {
    await field('checkpoint-value-green_ratio_max').fill('0.15')
    await field('checkpoint-value-far_min').fill('1.6')
    await field('checkpoint-value-investment_intensity_wan_per_mu').fill('520')
    await field('checkpoint-value-building_coverage_min').fill('0.5')
    await field('checkpoint-value-admin_land_ratio_max').fill('0.04')
    await field('checkpoint-investment').fill('310000000')
  })
  await takeStep('in_production')
  // 达产复核: 亩均税收 of three years above the 60 万元/亩 committed.
  await takeStep('capacity_reviewed', async () => {
    for (const i of [0, 1, 2]) await field(`checkpoint-tax-${i}`).fill('65')
  })
  for (const code of ['delivery', 'start', 'completion', 'conformity_check', 'production', 'capacity_review']) {
    await page.locator(`[data-test=checkpoint][data-code=${code}]`).waitFor()
    const state = await page.locator(`[data-test=checkpoint][data-code=${code}]`).getAttribute('data-state')
    if (state !== 'met') {
      const cps = await page.evaluate(async (id) => (await fetch(`/api/projects/${encodeURIComponent(id)}/checkpoints`)).json(), project)
      assert.fail(`${code} ${state}: ${JSON.stringify(cps.items.find((c) => c.doc.code === code)?.doc.result)}`)
    }
  }
  assert.equal(await page.locator('[data-test=checkpoint-penalty]').count(), 0, 'no breach, no penalty')
  await page.waitForTimeout(3500) // the confirmation messages fade
  await page.locator('[data-test=checkpoints]').scrollIntoViewIfNeeded()
  await shot(page, 'supply-04-checkpoints-met')
})

test('the renewal: applied for, decided condition by condition, granted', async () => {
  await takeStep('operating')
  await takeStep('renewal_review')
  await takeStep('renewed', async () => {
    await page.locator('[data-test=renewal-years] input').fill('20')
  })
  const card = page.locator('[data-test=project-renewal]')
  await card.waitFor()
  const text = await card.innerText()
  assert.match(text, /准予续期/)
  // Every condition of §6.4 holds, each with its values.
  assert.doesNotMatch(text, /✗/)
  assert.match(text, /达产复核已通过/)
  assert.match(text, /已出让20年 \+ 申请20年 = 40年（上限50年）/)
  await page.waitForTimeout(3500)
  await card.scrollIntoViewIfNeeded()
  await shot(page, 'supply-05-renewed')
})

test('the case list filters 挂牌督办: the listed plans and each park’s count against 2', async () => {
  await page.goto(`${server.base}/cases`)
  await page.locator('[data-test=cases-table]').waitFor()
  await page.locator('[data-test=cases-supervised]').click()
  await page.locator('[data-test=supervised-table] .el-table__row').first().waitFor()
  const real = await page.evaluate(async () => (await (await fetch('/api/disposal-plans')).json()))
  const listed = real.items.filter((p) => p.doc.supervised).length
  assert.ok(listed > 0, 'the demo lists plans for 挂牌督办')
  assert.equal(await page.locator('[data-test=supervised-table] .el-table__row').count(), Math.min(listed, 1000))
  const counts = page.locator('[data-test=supervised-count]')
  assert.equal(await counts.count(), real.supervised_per_park.length)
  assert.ok((await page.locator('[data-test=supervised-count][data-meets="1"]').count()) >= 1, 'a park meets the minimum')
  assert.ok((await page.locator('[data-test=supervised-count][data-meets="0"]').count()) >= 1, 'a park does not')
  await shot(page, 'supply-03-supervised')
})

test('a park publishes a new version of its 标准地 indicators from the default; the page shows it in force', async () => {
  await signIn('demo-park')
  await page.goto(`${server.base}/projects`)
  await page.locator('[data-test=indicator-sets-link]').click()
  await page.locator('[data-test=is-origin]').waitFor()
  const industry = field('is-industry')
  await industry.fill('新材料产业')
  await industry.press('Enter')
  await page.locator('[data-test=is-origin][data-origin=default]').waitFor()
  const rows = await page.locator('[data-test=is-indicators] .el-table__row').count()
  assert.ok(rows >= 3, 'the default has the three core indicators and more')
  await page.locator('[data-test=is-new]').click()
  await field('is-version').fill('2026版')
  await field('is-source').fill('管委会标准地控制性指标体系（2026）')
  await field('is-edit-investment_intensity_wan_per_mu').fill('260')
  await field('is-reason').fill('端到端测试：提高投资强度')
  await page.locator('[data-test=is-publish]').click()
  await page.locator('[data-test=is-origin][data-origin=stored]').waitFor()
  assert.match(await page.locator('[data-test=is-origin]').innerText(), /2026版/)
  const targets = await page.locator('[data-test=is-target]').allInnerTexts()
  assert.ok(targets.some((x) => /≥ 260/.test(x)), targets.join(' | '))
  assert.equal(await page.locator('[data-test=is-versions] .el-table__row').count(), 1)
  await shot(page, 'supply-06-indicator-sets')
})

test('no request left the server, and no page error or CSP violation', () => {
  assert.deepEqual(browser.foreign, [])
  const problems = browser.problems.filter((p) => !/status of (404|405|409|422)/.test(p))
  assert.deepEqual(problems, [])
})
