// End-to-end: a real `landcycle serve` and Debian's chromium. One server and one browser for
// the whole file (the demo build is the slow part); each test leaves a screenshot.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { drawnPixels, shot, startBrowser, startServer } from './harness.mjs'

let server
let browser
let page

before(async () => {
  server = await startServer()
  browser = await startBrowser(server.base)
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** An Element Plus input: the attribute lands on the <input> itself or on its wrapper. */
const field = (name) => page.locator(`input[data-test=${name}], [data-test=${name}] input`).first()

const api = (path) => page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).json(), path)

test('sign in as the city bureau; the role sees its menus', async () => {
  await page.goto(`${server.base}/map`)
  await page.waitForURL(/\/login/)
  await field('login-user').fill('demo-city')
  await field('login-password').fill(server.passwords['demo-city'])
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(/\/map/)
  for (const m of ['map', 'dashboard', 'screen', 'intentions']) {
    await page.locator(`[data-test=menu-${m}]`).waitFor()
  }
  assert.match(await page.locator('[data-test=who]').innerText(), /demo-city/)
  await shot(page, '01-signed-in')
})

test('the map draws the parcels of a park; a clicked parcel opens its card', async () => {
  const parks = await api('/api/parks')
  const park = parks[0].id
  await page.goto(`${server.base}/map?park=${park}`)
  await page.locator('[data-test=map] canvas[data-ready="1"]').waitFor({ timeout: 60_000 })
  await page.waitForFunction(() => Number(document.querySelector('[data-test=map] canvas')?.dataset.parcels ?? 0) > 0, null, { timeout: 60_000 })
  await page.waitForTimeout(800)
  assert.ok((await drawnPixels(page, '[data-test=map]')) > 500, 'parcels are drawn on the canvas')
  await shot(page, '02-map-park')

  // The filtered parcels as files from the server: Excel (a zip container) and a zipped Shapefile.
  for (const [f, name] of [['xlsx', /^parcels-.*\.xlsx$/], ['shp', /^parcels-.*\.zip$/]]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-test=download-${f}]`).click()])
    assert.match(download.suggestedFilename(), name)
    const bytes = readFileSync(await download.path())
    assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], `${f} is a zip container`)
  }

  // Search by a 宗地代码, then click the parcel in the middle of the map.
  const { features } = await api(`/api/parcels?park=${park}&status=operating&limit=1`)
  const code = features[0].properties.code
  await field('map-search').fill(code)
  await page.locator('[data-test=map-search-go]').click()
  await page.locator('[data-test=search-results] .result').first().click()
  await page.locator('[data-test=card-code]').waitFor()
  assert.equal(await page.locator('[data-test=card-code]').innerText(), code)
  await page.locator('[data-test=card-close]').click()
  await page.locator('[data-test=parcel-card]').waitFor({ state: 'detached' })
  await page.waitForTimeout(600)
  const box = await page.locator('[data-test=map]').boundingBox()
  // The tiles carry the parcel's numeric feature id only; the map looks the parcel up by it.
  const [lookup] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/parcels/by-feature/')),
    page.mouse.click(box.x + box.width / 2, box.y + box.height / 2),
  ])
  assert.equal(lookup.status(), 200)
  assert.equal((await lookup.json()).properties.code, code)
  await page.locator('[data-test=card-code]').waitFor()
  assert.equal(await page.locator('[data-test=card-code]').innerText(), code, 'the clicked parcel is the one found')
  // The same parcel by its land user's 统一社会信用代码, by the land user's name, by its address.
  const props = features[0].properties
  const ent = await api(`/api/enterprises/${props.enterprise}`)
  for (const q of [props.enterprise, ent.enterprise.name, props.address]) {
    await field('map-search').fill(q)
    await page.locator('[data-test=map-search-go]').click()
    const results = page.locator('[data-test=search-results]')
    if (q === ent.enterprise.name) {
      await results.locator('.result', { hasText: props.enterprise }).first().click()
    }
    await results.locator('.result', { hasText: code }).first().waitFor()
  }
  const area = await page.locator('[data-test=card-area]').innerText()
  assert.match(area, /m²/)
  assert.match(area, /亩/)
  await shot(page, '03-parcel-card')
})

test('history: changing the as-of date shows the parcel as it was', async () => {
  await page.getByRole('tab', { name: '历史沿革' }).click()
  await page.locator('[data-test=history-event]').first().waitFor()
  assert.ok((await page.locator('[data-test=history-event]').count()) >= 2)
  const input = field('asof-picker')
  await input.click()
  await input.fill('2015-01-01')
  await input.press('Enter')
  await page.locator('[data-test=asof-state]').waitFor()
  const state = await page.locator('[data-test=asof-state]').innerText()
  assert.match(state, /2015/)
  await shot(page, '04-history-as-of')
})

test('documents: upload with a reason, preview, download', async () => {
  await page.getByRole('tab', { name: '档案附件' }).click()
  const content = '交地确认书\n宗地已按约定条件交付。\n'
  await page.locator('[data-test=doc-file]').setInputFiles({ name: '交地确认书.txt', mimeType: 'text/plain', buffer: Buffer.from(content) })
  await field('doc-reason').fill('补充交地确认书')
  await page.locator('[data-test=doc-upload]').click()
  await page.locator('[data-test=doc-table]').getByText('交地确认书.txt').waitFor()
  await page.locator('[data-test=doc-table]').getByRole('button', { name: '预览' }).first().click()
  await page.locator('[data-test=doc-preview]').getByText('宗地已按约定条件交付').waitFor()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-test=doc-table]').getByRole('button', { name: '下载' }).first().click(),
  ])
  assert.equal(download.suggestedFilename(), '交地确认书.txt')
  assert.equal(readFileSync(await download.path(), 'utf8'), content)
  await shot(page, '04-documents')
})

test('a drawn selection counts the parcels and their 亩; measuring gives an area', async () => {
  await page.locator('[data-test=card-close]').click()
  const box = await page.locator('[data-test=map]').boundingBox()
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  await page.locator('[data-test=map-search] input, input[data-test=map-search]').first().fill('')
  // Zoom out a little so that the selection holds several parcels.
  await page.mouse.move(cx, cy)
  await page.mouse.wheel(0, 600)
  await page.waitForTimeout(1200)
  await page.locator('[data-test=tool-select]').click()
  const d = 160
  await page.mouse.click(cx - d, cy - d)
  await page.mouse.click(cx + d, cy - d)
  await page.mouse.click(cx + d, cy + d)
  await page.mouse.dblclick(cx - d, cy + d)
  await page.locator('[data-test=selection-totals]').waitFor()
  const totals = await page.locator('[data-test=selection-totals]').innerText()
  const m = /(\d+)\s*·/.exec(totals)
  assert.ok(m && Number(m[1]) > 0, `parcels counted: ${totals}`)
  assert.match(totals, /亩/)
  assert.match(await page.locator('[data-test=sketch-result]').innerText(), /m²/)
  await shot(page, '05-selection')
  await page.locator('[data-test=tool-clear]').click()
})

test('dashboards draw the demo numbers', async () => {
  const { parks } = await api('/api/parks/efficiency')
  server.evaluate(Math.max(...parks.flatMap((p) => p.years.map((y) => y.year))))
  await page.locator('[data-test=menu-dashboard]').click()
  await page.locator('[data-test=chart-tax] canvas').waitFor({ timeout: 30_000 })
  await page.locator('[data-test=chart-findings] canvas').waitFor()
  const summary = await api('/api/findings/summary')
  const idle = Object.values(summary.by_park).reduce((a, t) => a + t.idle, 0)
  const shown = (await page.locator('[data-test=kpi-idle] .v').innerText()).replace(/\D/g, '')
  assert.equal(Number(shown), idle)
  assert.ok(idle > 0, 'the demo has idle land')
  await page.locator('[data-test=chart-classes] canvas').waitFor()
  const eff = await api('/api/parks/efficiency')
  assert.ok(eff.evaluation_run, 'the stored run is shown')
  assert.ok(eff.parks.some((p) => p.classes.A + p.classes.B + p.classes.C + p.classes.D > 0))
  // A tooltip on hover (drawn on the canvas: the CSP refuses inline styles).
  const chart = await page.locator('[data-test=chart-tax] canvas').boundingBox()
  await page.mouse.move(chart.x + chart.width / 3, chart.y + chart.height / 2)
  await page.waitForTimeout(500)
  await shot(page, '05-dashboard')
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-tax]').click()])
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/)
  assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK', 'an Excel (zip) file')
  await page.locator('[data-test=to-screen]').click()
  await page.locator('[data-test=big-screen] [data-test=chart-ranking] canvas').waitFor()
  await shot(page, '06-big-screen')
})

test('the public portal lists available land and hides internal fields', async () => {
  const responses = []
  page.on('response', (r) => { if (r.url().includes('/api/public/available-land')) responses.push(r) })
  const sent = []
  page.on('request', (r) => { if (r.url().includes('/api/public/')) sent.push(r) })
  await page.goto(`${server.base}/public`)
  await page.locator('[data-test=portal-table] .el-table__row').first().waitFor({ timeout: 30_000 })
  const body = await responses[0].json()
  assert.ok(body.numberMatched > 0)
  const text = JSON.stringify(body)
  for (const internal of ['enterprise', 'uscc', 'contract', 'supplies', 'legacy_codes', 'registered_area', 'version', 'actor']) {
    assert.ok(!text.includes(`"${internal}`), `the public list has no ${internal}`)
  }
  assert.ok(sent.every((r) => !r.headers().cookie), 'the portal sends no session cookie')
  assert.equal(await page.locator('[data-test=portal-table] .el-table__row').count(), body.features.length)
  await page.locator('[data-test=portal-map] canvas[data-ready="1"]').waitFor()
  await shot(page, '07-portal')

  const [geojson] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=portal-geojson]').click()])
  const fc = JSON.parse(readFileSync(await geojson.path(), 'utf8'))
  assert.equal(fc.features.length, body.features.length)
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=portal-xlsx]').click()])
  assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK')
  await page.locator('[data-test=portal-row]').first().click()
  await page.locator('[data-test=portal-parcel]').waitFor()
  await field('int-company').fill('许昌测试机械有限公司')
  await field('int-contact').fill('王经理')
  await field('int-phone').fill('0374-5551234')
  await page.locator('[data-test=int-submit]').click()
  await page.locator('[data-test=intention-sent]').waitFor()
  await shot(page, '08-portal-parcel-intention')
  await page.goto(`${server.base}/intentions`)
  await page.getByText('许昌测试机械有限公司').waitFor()
})

test('language switch: English labels, numbers and units', async () => {
  await page.goto(`${server.base}/dashboard`)
  await page.locator('[data-test=lang-switch]').click()
  await page.locator('[data-test=lang-en]').click()
  await page.locator('[data-test=menu-map]', { hasText: 'Land map' }).waitFor()
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
  await page.getByText('City overview').waitFor()
  await page.waitForTimeout(1200)
  await shot(page, '09-english')
  await page.goto(`${server.base}/public`)
  const count = await page.locator('[data-test=portal-count]').innerText()
  assert.match(count, /^\d[\d,]* parcels, [\d,]+\.\d\d mu$/, 'English numbers and units')
  assert.match(await page.locator('[data-test=portal-table] .el-table__row').first().innerText(), / mu/)
  await page.goto(`${server.base}/dashboard`)
  await page.locator('[data-test=lang-switch]').click()
  await page.locator('[data-test=lang-zh-CN]').click()
  await page.locator('[data-test=menu-map]', { hasText: '一张图' }).waitFor()
})

test('each role sees its own menus: an enterprise has its own land, the map and its projects', async () => {
  await page.goto(`${server.base}/map`)
  await page.locator('[data-test=sign-out]').click()
  await page.waitForURL(/\/login/)
  await field('login-user').fill('demo-enterprise')
  await field('login-password').fill(server.passwords['demo-enterprise'])
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(/\/mine/)
  for (const m of ['mine', 'map', 'projects']) await page.locator(`[data-test=menu-${m}]`).waitFor()
  for (const m of ['dashboard', 'screen', 'intentions', 'warnings', 'cases', 'tasks']) {
    assert.equal(await page.locator(`[data-test=menu-${m}]`).count(), 0, `no ${m} menu`)
  }
  await page.goto(`${server.base}/dashboard`)
  await page.waitForURL(/\/map/)
})

test('no request left the server, and no page error or CSP violation', () => {
  assert.deepEqual(browser.foreign, [])
  assert.deepEqual(browser.problems, [])
})
