// End-to-end: the work screens (issue 8 part 4) on a real `landcycle serve` in Debian's chromium.
// The cases the tests need are opened through the public HTTP API (POST /api/cases) as the city
// bureau, on parcels of two parks, with deadlines chosen to fall in each warning level:
//   overdue (park A), T−7 and T−30 (park B), and one case walked through its steps in the UI.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiClient, shot, startBrowser, startServer } from './harness.mjs'

let server
let browser
let page
let parkA // the demo park user's park
let parkB
const ids = {}

const field = (name) =>
  page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first()

/** YYYY-MM-DD, `days` from today (UTC, as the server counts). */
function day(days) {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

async function signIn(name) {
  await page.goto(`${server.base}/login`)
  if (await page.locator('[data-test=sign-out]').count()) await page.locator('[data-test=sign-out]').click()
  await field('login-user').fill(name)
  await field('login-password').fill(server.passwords[name])
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

before(async () => {
  server = await startServer()
  browser = await startBrowser(server.base)
  page = browser.context.pages()[0] ?? (await browser.context.newPage())

  const city = await apiClient(server.base, 'demo-city', server.passwords['demo-city'])
  const park = await apiClient(server.base, 'demo-park', server.passwords['demo-park'])
  parkA = (await park.get('/api/auth/me')).scope_value
  parkB = (await city.get('/api/parks')).map((p) => p.id).find((id) => id !== parkA)
  const parcelsOf = async (p, n) => (await city.get(`/api/parcels?park=${p}&limit=${n}`)).features.map((f) => f.properties.id)
  const [a1, a2] = await parcelsOf(parkA, 2)
  const [b1, b2] = await parcelsOf(parkB, 2)
  const open = async (key, parcel, discovered, agreedStart) => {
    ids[key] = `E2E-${key}-${Date.now() % 100000}`
    await city.post('/api/cases', {
      id: ids[key], parcel_id: parcel, agreed_start: agreedStart, land_price_yuan: '3600000.00',
      discovered_on: discovered, change: { reason: '端到端测试：疑似闲置立案' },
    })
  }
  // The 30-day clock of 第五条 runs from discovery: due = discovered + 30.
  await open('over', a1, day(-40), day(-800)) // due 10 days ago: overdue
  await open('walk', a2, day(-5), day(-200)) // due in 25 days; started < 1 year ago
  await open('warn', b1, day(-25), day(-900)) // due in 5 days: T−7
  await open('note', b2, day(-10), day(-900)) // due in 20 days: T−30
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** The subject ids listed in the warnings centre, after it has loaded. */
async function listedWarnings() {
  await page.goto(`${server.base}/warnings`)
  await page.locator('[data-test=warnings-table]').waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-test=warning-link]').length > 0, null, { timeout: 30_000 })
  return page.locator('[data-test=warning-link]').allInnerTexts()
}

test('the warnings centre lists the city its due and overdue items in three levels', async () => {
  await signIn('demo-city')
  for (const m of ['warnings', 'cases', 'projects', 'tasks']) await page.locator(`[data-test=menu-${m}]`).waitFor()
  const titles = await listedWarnings()
  for (const k of ['over', 'walk', 'warn', 'note']) {
    assert.ok(titles.some((t) => t.includes(ids[k])), `${ids[k]} listed for the city`)
  }
  const levelOf = async (id) =>
    page.locator('tr', { has: page.locator('[data-test=warning-link]', { hasText: id }) }).locator('[data-level]').getAttribute('data-level')
  assert.equal(await levelOf(ids.over), 'overdue')
  assert.equal(await levelOf(ids.warn), 'warning')
  assert.equal(await levelOf(ids.note), 'notice')
  // The level filter keeps the overdue ones only.
  await page.locator('[data-test=warnings-level-overdue]').click()
  const overdue = await page.locator('[data-test=warnings-table] [data-level]').evaluateAll((els) => els.map((e) => e.dataset.level))
  assert.ok(overdue.length >= 1 && overdue.every((l) => l === 'overdue'), String(overdue))
  await page.locator('[data-test=warnings-level-overdue]').click()
  await page.waitForTimeout(600) // the rows' tags zoom in again
  // The calendar feed and the link to the case.
  const ics = await page.locator('[data-test=warnings-ics]').getAttribute('href')
  const feed = await page.evaluate(async (h) => (await fetch(h)).text(), ics)
  assert.match(feed, /BEGIN:VCALENDAR/)
  assert.ok(feed.includes(ids.over), 'the feed holds the overdue case')
  await shot(page, 'work-01-warnings-city')
  // The same screen in English.
  await page.locator('[data-test=lang-switch]').click()
  await page.locator('[data-test=lang-en]').click()
  await page.locator('[data-test=warnings-level-overdue]', { hasText: 'Overdue' }).waitFor()
  await page.locator('[data-test=menu-cases]', { hasText: 'Disposal cases' }).waitFor()
  await page.locator('[data-test=lang-switch]').click()
  await page.locator('[data-test=lang-zh-CN]').click()
  await page.locator('[data-test=warnings-level-overdue]', { hasText: '逾期' }).waitFor()
  await page.locator('[data-test=warning-link]', { hasText: ids.over }).click()
  await page.waitForURL(new RegExp(`/cases/${ids.over}`))
  await page.locator('[data-test=case-id]').waitFor()
})

test('a park user sees fewer warnings: only its own park', async () => {
  const cityCount = (await listedWarnings()).length
  await signIn('demo-park')
  const titles = await listedWarnings()
  assert.ok(titles.length < cityCount, `park ${titles.length} < city ${cityCount}`)
  assert.ok(titles.some((t) => t.includes(ids.over)), 'its overdue case')
  assert.ok(!titles.some((t) => t.includes(ids.warn) || t.includes(ids.note)), "not another park's cases")
  await shot(page, 'work-02-warnings-park')
  // The park's 管委会 follows the case but the idle-land procedure is the bureau's to take.
  await page.goto(`${server.base}/cases/${ids.over}`)
  await page.locator('[data-test=wf-status][data-status=suspected]').waitFor()
  assert.equal(await page.locator('[data-test^=wf-step-]').count(), 0, 'no step for the park role')
})

test('the case list filters and exports; a case page takes an allowed step with a reason', async () => {
  await signIn('demo-city')
  await page.goto(`${server.base}/cases`)
  await page.locator('[data-test=cases-table] .case-link', { hasText: ids.walk }).waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=cases-xlsx]').click()])
  assert.match(download.suggestedFilename(), /\.xlsx$/)
  await page.locator('[data-test=cases-table] .case-link', { hasText: ids.walk }).click()
  await page.locator('[data-test=wf-status][data-status=suspected]').waitFor()
  // The city bureau may serve the notice or find the parcel not idle; nothing else.
  const steps = await page.locator('[data-test^=wf-step-]').evaluateAll((els) => els.map((e) => e.dataset.test))
  assert.deepEqual(steps.sort(), ['wf-step-not_idle', 'wf-step-notice_issued'])
  const before = await page.locator('[data-test=wf-timeline-item]').count()

  await page.locator('[data-test=wf-step-notice_issued]').click()
  await field('transition-reason').fill('现场踏勘确认未动工，送达调查通知书')
  await field('transition-doc-闲置土地调查通知书').fill('许自然资调〔2026〕7号')
  await page.locator('[data-test=transition-submit]').click()
  await page.locator('[data-test=wf-status][data-status=notice_issued]').waitFor()
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=wf-timeline-item]').length === n + 1, before)
  assert.match(await page.locator('[data-test=wf-timeline]').innerText(), /现场踏勘确认未动工/)
  assert.match(await page.locator('[data-test=wf-timeline]').innerText(), /许自然资调〔2026〕7号/)
  assert.match(await page.locator('[data-test=wf-due]').innerText(), /\d/)

  await page.locator('[data-test=wf-step-under_review]').click()
  await field('transition-reason').fill('使用权人已提交说明材料')
  await page.locator('[data-test=transition-submit]').click()
  await page.locator('[data-test=wf-status][data-status=under_review]').waitFor()
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=wf-timeline-item]').length === n + 2, before)
  await page.waitForTimeout(3500) // the confirmation messages fade
  await shot(page, 'work-03-case-page')
})

test('a step the server refuses shows its reason and changes nothing', async () => {
  // 认定闲置 needs 满一年 since the agreed start (第二条); this parcel started 200 days ago.
  await page.locator('[data-test=wf-step-idle_confirmed]').click()
  await field('transition-reason').fill('拟认定闲置')
  await field('transition-doc-闲置土地认定书').fill('许自然资认〔2026〕1号')
  await page.locator('[data-test=transition-submit]').click()
  const error = page.locator('[data-test=transition-error]')
  await error.waitFor()
  assert.match(await error.innerText(), /不满一年/)
  await shot(page, 'work-04-refused')
  await page.keyboard.press('Escape')
  await page.reload()
  await page.locator('[data-test=wf-status][data-status=under_review]').waitFor()
})

test('a new case opened by hand on a parcel found by its 宗地代码', async () => {
  const { features } = await page.evaluate(async (p) => (await fetch(`/api/parcels?park=${p}&limit=3`)).json(), parkB)
  const code = features[2].properties.code
  await page.goto(`${server.base}/cases`)
  await page.locator('[data-test=case-new]').click()
  await page.locator('[data-test=new-case]').waitFor()
  const id = `E2E-new-${Date.now() % 100000}`
  await field('new-case-id').fill(id)
  await field('new-case-parcel').fill(code)
  await field('new-case-parcel').press('Enter')
  await page.locator('[data-test=new-case-found]', { hasText: code }).waitFor()
  await field('new-case-agreed').fill(day(-500))
  await field('new-case-agreed').press('Enter')
  await field('new-case-price').fill('1250000')
  await field('new-case-reason').fill('巡查发现约定动工日期已过未动工')
  await page.locator('[data-test=new-case-submit]').click()
  await page.waitForURL(new RegExp(`/cases/${id}$`))
  await page.locator('[data-test=wf-status][data-status=suspected]').waitFor()
})

test('a 标准地 project page: indicators with the admission check, and the steps of its status', async () => {
  // The demo holds a project taken to a signed contract, with its admission check.
  const list = await page.evaluate(async () => (await (await fetch('/api/projects')).json()))
  assert.ok(list.total > 0, 'the demo has 标准地 projects')
  const id = list.items[0].id
  await page.goto(`${server.base}/projects/${encodeURIComponent(id)}`)
  await page.locator('[data-test=indicators]').waitFor()
  await page.locator('[data-test=wf-status]').waitFor()
  assert.match(await page.locator('[data-test=indicators]').innerText(), /固定资产投资强度/)
  await page.waitForTimeout(500) // the tags zoom in
  await shot(page, 'work-05b-project')
})

test('the plan tasks: a timeline with the overdue marked, and the table', async () => {
  // The demo holds the plan's 27 tasks, some overdue and some done.
  const real = await page.evaluate(async () => (await (await fetch('/api/tasks')).json()).total)
  assert.equal(real, 27)
  await page.locator('[data-test=menu-tasks]').click()
  await page.locator('[data-test=tasks-gantt]').waitFor()
  const rows = page.locator('[data-test=gantt-row]')
  assert.ok((await rows.count()) >= 3)
  assert.ok((await page.locator('[data-test=gantt-row][data-overdue="1"]').count()) >= 1, 'an overdue task')
  assert.ok((await page.locator('[data-test=gantt-row] .mark.overdue').count()) >= 1, 'its deadline marked')
  assert.ok((await page.locator('[data-test=gantt-row] .mark.done').count()) >= 1, 'a done deadline')
  await shot(page, 'work-05-tasks-timeline')
  await page.locator('[data-test=tasks-view-table]').click()
  await page.locator('[data-test=tasks-table] [data-status=overdue]').first().waitFor()
})

test('an enterprise sees its land and obligations; its standard-land application is sent', async () => {
  await signIn('demo-enterprise')
  await page.waitForURL(/\/mine/)
  await page.locator('[data-test=mine-company]').waitFor()
  assert.ok((await page.locator('[data-test=mine-company]').innerText()).length > 0)
  await page.locator('[data-test=mine-parcels]').waitFor()
  await shot(page, 'work-06-enterprise')
  await page.locator('[data-test=menu-projects]').click()
  await page.locator('[data-test=project-apply]').click()
  await page.locator('[data-test=project-apply-form]').waitFor()
  await page.waitForFunction(() => document.querySelector('input[data-test=apply-uscc], [data-test=apply-uscc] input')?.value.length === 18)
  await page.waitForFunction(() => document.querySelector('input[data-test=apply-company], [data-test=apply-company] input')?.value.length > 0)
  const uscc = await field('apply-uscc').inputValue()
  assert.match(uscc, /^[0-9A-Z]{18}$/)
  await page.locator('[data-test=apply-park]').click()
  await page.locator('.el-select-dropdown__item:visible').first().click()
  await field('apply-industry').fill('智能装备')
  await page.keyboard.press('Enter')
  await field('apply-name').fill('年产10万台智能装备项目')
  await field('apply-investment').fill('30000')
  await field('apply-area').fill('60')
  await field('apply-ind-investment_intensity_wan_per_mu').fill('500')
  await field('apply-ind-far_min').fill('1.2')
  await field('apply-ind-tax_per_mu_wan').fill('30')
  await field('apply-reason').fill('申请标准地')
  await page.locator('[data-test=apply-submit]').click()
  // The application is filed and checked at once: the new project opens with its check.
  await page.locator('[data-test=project-page]').waitFor()
  await page.locator('[data-test=indicators]').waitFor()
  assert.match(await page.locator('[data-test=indicators]').innerText(), /固定资产投资强度/)
  await shot(page, 'work-07-apply')
})

test('系统管理: the administrator adds a park user (password shown once, and it signs in), issues a token that reads the API, subscribes a webhook; the audit log lists them', async () => {
  await page.goto(`${server.base}/login`)
  await signIn('demo-admin')
  await page.locator('[data-test=menu-admin]').click()
  await page.locator('[data-test=admin-users]').waitFor()
  const name = `e2e-park-${Date.now() % 100000}`
  await field('user-name').fill(name)
  await page.locator('[data-test=user-role]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '园区管委会' }).click()
  await page.locator('.el-select-dropdown__item', { hasText: '园区管委会' }).waitFor({ state: 'hidden' })
  await page.locator('[data-test=user-scope]').click()
  await page.locator('.user-scope-options .el-select-dropdown__item:visible').first().click()
  await page.locator('[data-test=user-create]').click()
  const secret = page.locator('[data-test=admin-users] input[data-test=secret-value]')
  await secret.waitFor()
  const password = await secret.inputValue()
  assert.ok(password.length >= 12, `a generated password: ${password}`)
  const users = page.locator('[data-test=users-table]')
  await users.getByText(name).waitFor()
  assert.match(await users.innerText(), new RegExp(`${name}[\\s\\S]*园区管委会[\\s\\S]*园区 `))
  await shot(page, 'work-08-admin-users')

  // A read token for the new user: its secret reads the API as that park, and nothing more.
  await page.locator('[data-test=admin-tab-tokens]').click()
  await page.locator('[data-test=token-user]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: name }).click()
  await page.locator('[data-test=token-create]').click()
  const tokenField = page.locator('[data-test=admin-tokens] input[data-test=secret-value]')
  await tokenField.waitFor()
  const token = await tokenField.inputValue()
  const me = await (await fetch(`${server.base}/api/auth/me`, { headers: { Authorization: `Bearer ${token}` } })).json()
  assert.equal(me.user, name)
  assert.equal(me.role, 'park')
  assert.equal(me.read_only, true)
  assert.match(await page.locator('[data-test=tokens-table]').innerText(), new RegExp(name))

  await page.locator('[data-test=admin-tab-webhooks]').click()
  await field('webhook-id').fill('e2e-hook')
  await field('webhook-url').fill('https://10.0.0.5/h')
  await page.locator('[data-test=webhook-create]').click()
  assert.match(await page.locator('[data-test=admin-webhooks] [data-test=admin-error]').innerText(), /http:\/\//)
  await field('webhook-url').fill('http://10.0.0.5:8080/hooks/landcycle')
  await page.locator('[data-test=webhook-create]').click()
  await page.locator('[data-test=admin-webhooks] input[data-test=secret-value]').waitFor()
  await page.locator('[data-test=webhooks-table]').getByText('e2e-hook').waitFor()

  await page.locator('[data-test=admin-tab-audit]').click()
  await field('audit-actor').fill('demo-admin')
  await page.locator('[data-test=audit-search]').click()
  const log = page.locator('[data-test=audit-table]')
  await log.getByText(name).first().waitFor()
  await shot(page, 'work-09-admin-audit')

  // The new account signs in with the password shown once, and has no 系统管理.
  await page.locator('[data-test=sign-out]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/login'))
  await field('login-user').fill(name)
  await field('login-password').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  assert.match(await page.locator('[data-test=who]').innerText(), new RegExp(name))
  assert.equal(await page.locator('[data-test=menu-admin]').count(), 0)
})

test('no request left the server, and no page error or CSP violation', () => {
  assert.deepEqual(browser.foreign, [])
  // A refused step and an unknown endpoint answer 4xx: the console records the failed fetch.
  const problems = browser.problems.filter((p) => !/status of (404|405|409|422)/.test(p))
  assert.deepEqual(problems, [])
})
