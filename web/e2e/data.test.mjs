// End-to-end: the data screens on a real `landcycle serve` in Debian's chromium — imports
// (files written here into a temp dir, one dropped, one chosen; the report, the error table,
// the registry checked through the REST API), 亩均效益评价 runs (started in the UI on the demo's
// department figures, the classes against the REST numbers, the results and their Excel), and
// the 批次 screen (the demo's batches, the summary per park, a batch's page).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiClient, shot, startBrowser, startServer } from './harness.mjs'

let server
let browser
let page
let city // REST client of the city bureau
let dir // the files the import test writes
const made = {} // what the import test made: { good, bad, codes }

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

/** Live parcels in the registry, as the REST API counts them. */
const parcelCount = async () => (await city.get('/api/parcels?limit=1')).numberMatched

/** The first empty square of `n` cells of `size`° in the park's bounding box, scanning a grid:
 *  imported parcels must not overlap live ones. */
async function emptySpot(park, n, size) {
  const ring = park.boundary.type === 'MultiPolygon' ? park.boundary.coordinates[0][0] : park.boundary.coordinates[0]
  const xs = ring.map((c) => c[0])
  const ys = ring.map((c) => c[1])
  const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
  const w = n * size * 1.2
  const h = size * 1.2
  for (let y = y0; y + h < y1; y += h) {
    for (let x = x0; x + w < x1; x += w) {
      const r = await city.get(`/api/parcels?bbox=${x},${y},${x + w},${y + h}&limit=1`)
      if (r.numberMatched === 0) return [x, y]
    }
  }
  throw new Error(`no empty spot in park ${park.id}`)
}

before(async () => {
  server = await startServer()
  browser = await startBrowser(server.base)
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
  city = await apiClient(server.base, 'demo-city', server.passwords['demo-city'])

  // Three new parcels of a demo park's land user, coded after one of its parcels' 地籍子区 with
  // sequence numbers the demo does not use, in an empty place of the park.
  const parks = await city.get('/api/parks')
  const park = parks.find((p) => p.boundary)
  const sample = (await city.get(`/api/parcels?park=${park.id}&status=operating&limit=1`)).features[0].properties
  const prefix = sample.code.slice(0, 14)
  const codes = [99901, 99902, 99903].map((n) => `${prefix}${n}`)
  for (const c of codes) assert.equal((await city.get(`/api/parcels?q=${c}&limit=1`)).numberMatched, 0, `${c} is free`)
  const size = 0.0008
  const [x, y] = await emptySpot(park, codes.length, size)
  const feature = (code, i) => ({
    type: 'Feature',
    properties: {
      宗地代码: code, 项目名称: `端到端导入测试厂区${i + 1}期`, 坐落: '端到端测试路东侧', 行政区代码: park.jurisdiction,
      园区: park.id, 土地用途: '一类工业用地', 状态: '已供应', 信用代码: sample.enterprise,
    },
    geometry: {
      type: 'Polygon',
      coordinates: [[[x + i * size * 1.1, y], [x + i * size * 1.1 + size, y], [x + i * size * 1.1 + size, y + size], [x + i * size * 1.1, y + size], [x + i * size * 1.1, y]]],
    },
  })
  const collection = (features) => JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } }, features })
  dir = mkdtempSync(join(tmpdir(), 'landcycle-e2e-import-'))
  made.codes = codes
  made.good = join(dir, '新增宗地.geojson')
  writeFileSync(made.good, collection(codes.map(feature)))
  // The same parcels, the second with a 统一社会信用代码 that fails its check digit.
  const bad = codes.map(feature)
  bad[1].properties.信用代码 = '914403001922038217'
  made.bad = join(dir, '有误宗地.geojson')
  writeFileSync(made.bad, collection(bad))
})

after(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Drops `path` on the drop zone as a browser would: a DataTransfer holding the file. */
async function dropFile(path, name) {
  const text = readFileSync(path, 'utf8')
  const transfer = await page.evaluateHandle(([t, n]) => {
    const dt = new DataTransfer()
    dt.items.add(new File([t], n, { type: 'application/geo+json' }))
    return dt
  }, [text, name])
  await page.locator('[data-test=import-drop]').dispatchEvent('dragover', { dataTransfer: transfer })
  await page.locator('[data-test=import-drop]').dispatchEvent('drop', { dataTransfer: transfer })
}

test('a dropped file with a bad row: the error table names row and field, nothing is written', async () => {
  await signIn('demo-city')
  const before = await parcelCount()
  await page.locator('[data-test=menu-imports]').click()
  await page.locator('[data-test=import-drop]').waitFor()
  await dropFile(made.bad, '有误宗地.geojson')
  await page.locator('[data-test=import-files]', { hasText: '有误宗地.geojson' }).waitFor()
  // Written at once (no dry run): the server refuses the whole file.
  await page.locator('[data-test=import-dry-run]').click()
  await field('import-reason').fill('端到端测试：导入有误数据')
  await page.locator('[data-test=import-submit]').click()
  await page.locator('[data-test=import-report][data-verdict=problems]').waitFor()
  // Cells: file, row, field, value, reason.
  const rows = await page.locator('[data-test=import-problems] .el-table__body .el-table__row').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())))
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [['有误宗地.geojson', '2', 'enterprise', '914403001922038217']])
  assert.ok(rows[0][4].length > 0, 'with its reason')
  await page.locator('[data-test=import-problems]').scrollIntoViewIfNeeded()
  await shot(page, 'data-01-import-errors')
  assert.equal(await parcelCount(), before, 'the registry is unchanged')
  assert.equal((await city.get(`/api/parcels?q=${made.codes[0]}&limit=1`)).numberMatched, 0)
})

test('a chosen file: the dry run reports, the import adds the parcels', async () => {
  const before = await parcelCount()
  await page.reload()
  await page.locator('[data-test=import-file]').setInputFiles(made.good)
  await page.locator('[data-test=import-files]', { hasText: '新增宗地.geojson' }).waitFor()
  await page.locator('[data-test=import-submit]').click()
  await page.locator('[data-test=import-report][data-verdict=clean]').waitFor()
  assert.match(await page.locator('[data-test=import-report]').innerText(), /共 3 行/)
  assert.equal(await parcelCount(), before, 'a dry run writes nothing')

  await page.locator('[data-test=import-dry-run]').click()
  await field('import-reason').fill('端到端测试：新增宗地导入')
  await page.locator('[data-test=import-submit]').click()
  await page.locator('[data-test=import-report][data-verdict=written]').waitFor()
  assert.match(await page.locator('[data-test=import-report]').innerText(), /新增 3/)
  await shot(page, 'data-02-import-written')
  assert.equal(await parcelCount(), before + 3)
  const found = await city.get(`/api/parcels?q=${made.codes[1]}&limit=5`)
  assert.equal(found.features.length, 1)
  assert.equal(found.features[0].properties.code, made.codes[1])
})

test('an evaluation run started in the UI: its classes match the REST numbers', async () => {
  await page.locator('[data-test=menu-evaluations]').click()
  await page.locator('[data-test=evals-table]').waitFor()
  const year = 2024
  await field('evals-year').fill(String(year))
  await page.locator('[data-test=evals-start]').click()
  await page.waitForURL(/\/evaluations\/[^/]+$/)
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop())
  const run = await city.get(`/api/evaluations/${encodeURIComponent(id)}`)
  assert.equal(run.year, year)
  assert.ok(run.enterprises > 0, 'the demo has enterprises with figures')
  for (const k of ['A', 'B', 'C', 'D']) {
    assert.equal(await page.locator(`[data-test=eval-class-${k}]`).getAttribute('data-n'), String(run.classes[k] ?? 0), k)
  }
  assert.ok(run.classes.A > 0 && run.classes.D > 0, JSON.stringify(run.classes))
  // The results: enterprises with their scores, the REST total.
  const rest = await city.get(`/api/evaluations/${encodeURIComponent(id)}/results?limit=1`)
  await page.locator('[data-test=eval-total]', { hasText: String(rest.total) }).waitFor()
  const first = await page.locator('[data-test=eval-results] .el-table__row').first().innerText()
  assert.ok(first.includes(rest.items[0].name), `${first} lists ${rest.items[0].name}`)
  assert.match(first, /\d+\.\d/, 'a score')
  await shot(page, 'data-03-evaluation')
  // The Excel of the results is an xlsx (a zip: PK\x03\x04).
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=eval-xlsx]').click()])
  assert.match(download.suggestedFilename(), /\.xlsx$/)
  const bytes = readFileSync(await download.path())
  assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04])
  // And listed with the other runs.
  await page.locator('[data-test=evaluation] .back').click()
  await page.locator('[data-test=evals-table] .el-table__row', { hasText: id }).waitFor()
})

test('the 批次 screen lists the demo batches with the summary per park; a batch shows its parcels', async () => {
  const rest = await city.get('/api/batches')
  const summary = await city.get('/api/batches/summary')
  assert.ok(rest.batches.length > 0, 'the demo has batches')
  await page.locator('[data-test=menu-batches]').click()
  await page.locator('[data-test=batches-table] .batch-link').first().waitFor()
  assert.equal(await page.locator('[data-test=batches-table] .batch-link').count(), rest.batches.length)
  assert.match(await page.locator('[data-test=batches-total]').innerText(), new RegExp(`\\b${rest.batches.length}\\b`))
  // One summary row per park of the summary, and the total; the total's 供地率 as the server's.
  assert.equal(await page.locator('[data-test=summary-park]').count(), Object.keys(summary.by_park).length + 1)
  const rate = await page.locator('[data-test=batches-summary] .el-table__row').last().locator('[data-test=summary-rate]').innerText()
  assert.equal(rate, `${Math.round(Number(summary.total.supply_rate) * 1000) / 10}%`.replace(/\.0%$/, '%'))
  await page.locator('[data-test=chart-batches-age] canvas').waitFor()
  await page.waitForTimeout(800) // the bars grow in
  await shot(page, 'data-04-batches')
  // The server's Excel of the list.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=batches-xlsx]').click()])
  assert.match(download.suggestedFilename(), /\.xlsx$/)
  assert.deepEqual([...readFileSync(await download.path()).subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04])
  // A batch with registered parcels: its page lists them, each linking to its card.
  const withParcels = []
  for (const b of rest.batches.slice(0, 8)) {
    const d = await city.get(`/api/batches/${encodeURIComponent(b.id)}`)
    if (d.parcels.some((p) => p.parcel_id)) withParcels.push(d)
  }
  assert.ok(withParcels.length > 0, 'a demo batch has registered parcels')
  const d = withParcels[0]
  await page.locator('[data-test=batch-link]', { hasText: d.batch.id }).click()
  await page.locator('[data-test=batch-id]', { hasText: d.batch.id }).waitFor()
  assert.equal(await page.locator('[data-test=batch-parcels] .el-table__row').count(), d.parcels.length)
  // Each registered parcel is named by its 宗地代码 and opens its card.
  const parcel = d.parcels.find((p) => p.parcel_id).parcel_id
  const card = await city.get(`/api/parcels/${parcel}`)
  const link = page.locator(`[data-test=batch-parcel-link][data-parcel="${parcel}"]`)
  await link.filter({ hasText: card.properties.code }).waitFor()
  await page.waitForTimeout(500) // the status tag zooms in
  await shot(page, 'data-05-batch')
  await link.click()
  await page.locator('[data-test=card-code]').waitFor({ timeout: 60_000 })
  assert.equal(await page.locator('[data-test=card-code]').innerText(), card.properties.code)
})

test('增存挂钩: the quota of a year split among the counties as the server computes it, each step shown', async () => {
  await page.locator('[data-test=menu-quota]').click()
  await field('quota-year').fill('2022')
  await field('quota-total').fill('1000')
  await page.locator('[data-test=quota-run]').click()
  const rest = await city.get('/api/quota/allocation?year=2022&total_mu=1000')
  assert.ok(rest.counties.length > 1, 'the demo has several counties')
  await page.locator('[data-test=quota-terms]', { hasText: '2017' }).waitFor()
  assert.equal(await page.locator('[data-test=quota-county]').count(), rest.counties.length)
  // Each county's share as the server's, to 4 places, and the shares add up to the total.
  const shares = await page.locator('[data-test=quota-share]').allInnerTexts()
  assert.deepEqual(shares.map((s) => Number(s.replace(/[^0-9.]/g, ''))), rest.counties.map((c) => Number(c.quota_mu)))
  assert.match(await page.locator('[data-test=quota-balance]').innerText(), /总量/)
  // The arithmetic of the first county.
  await page.locator('[data-test=quota-table] .el-table__expand-icon').first().click()
  const steps = await page.locator('[data-test=quota-steps] li').allInnerTexts()
  assert.equal(steps.length, rest.counties[0].steps.length)
  assert.match(steps[1], /批而未供消化奖励/)
  await page.locator('[data-test=chart-quota] canvas').waitFor()
  await page.waitForTimeout(800)
  await shot(page, 'data-06-quota')
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=quota-xlsx]').click()])
  assert.match(download.suggestedFilename(), /\.xlsx$/)
  assert.deepEqual([...readFileSync(await download.path()).subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04])
})

test('认定清单: the idle land of the scan, each with its parcel and reason; a row opens the parcel card; the Excel is the server’s', async () => {
  await signIn('demo-city')
  await page.locator('[data-test=menu-dashboard]').click()
  await page.locator('[data-test=to-findings]').click()
  await page.locator('[data-test=findings-table]').waitFor()
  await page.locator('[data-test=findings-kind-idle]').click()
  const rest = await city.get('/api/findings?kind=idle&limit=50')
  assert.ok(rest.total > 0, 'the demo has idle land')
  await page.locator('.muted', { hasText: `共 ${rest.total} 条` }).waitFor()
  const reasons = await page.locator('[data-test=finding-reason]').allInnerTexts()
  assert.equal(reasons.length, rest.findings.length)
  assert.deepEqual(reasons, rest.findings.map((f) => f.reason_zh))
  const tags = await page.locator('[data-test=findings-table] .el-tag').allInnerTexts()
  assert.ok(tags.filter((x) => x === '闲置土地').length === rest.findings.length, tags.join(','))
  const first = rest.findings[0]
  assert.equal(await page.locator('[data-test=finding-parcel]').first().innerText(), first.parcel.code ?? first.parcel.name)
  await shot(page, 'data-07-findings')
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=findings-xlsx]').click()])
  assert.match(download.suggestedFilename(), /^findings-.*\.xlsx$/)
  assert.deepEqual([...readFileSync(await download.path()).subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04])
  // The parcel opens on the map with its card.
  await page.locator('[data-test=finding-parcel]').first().click()
  await page.locator('[data-test=card-code]').waitFor({ timeout: 60_000 })
  if (first.parcel.code) assert.equal(await page.locator('[data-test=card-code]').innerText(), first.parcel.code)
})

test('no request left the server, and no page error or CSP violation', () => {
  assert.deepEqual(browser.foreign, [])
  // A refused import answers 422: the console records the failed request.
  const problems = browser.problems.filter((p) => !/status of (404|422)/.test(p))
  assert.deepEqual(problems, [])
})
