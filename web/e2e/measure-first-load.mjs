// Measures the first-load JavaScript of the map page: every script the browser fetches from a
// fresh profile until the map has drawn its parcels, gzip-compressed (level 9) as a server or
// proxy would send it. Usage: node e2e/measure-first-load.mjs  (starts its own server)
import { gzipSync } from 'node:zlib'
import { startBrowser, startServer } from './harness.mjs'

const server = await startServer()
const browser = await startBrowser(server.base)
const page = browser.context.pages()[0] ?? (await browser.context.newPage())
try {
  await page.goto(`${server.base}/login`)
  await page.locator('input[data-test=login-user]').fill('demo-city')
  await page.locator('input[data-test=login-password]').fill(server.passwords['demo-city'])
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(/\/map/)
  const scripts = new Map()
  page.on('response', async (r) => {
    const type = r.headers()['content-type'] ?? ''
    if (/javascript/.test(type)) scripts.set(r.url(), await r.body())
  })
  // A fresh page load of the map (cache off), as a user opening a link to it.
  const cdp = await browser.context.newCDPSession(page)
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await page.goto(`${server.base}/map?park=jingkai`)
  await page.waitForFunction(() => Number(document.querySelector('[data-test=map] canvas')?.dataset.parcels ?? 0) > 0, null, { timeout: 60_000 })
  await page.waitForTimeout(500)
  let raw = 0
  let gz = 0
  const rows = []
  for (const [url, body] of scripts) {
    const g = gzipSync(body, { level: 9 }).length
    raw += body.length
    gz += g
    rows.push([new URL(url).pathname, body.length, g])
  }
  rows.sort((a, b) => b[2] - a[2])
  for (const [p, r, g] of rows) console.log(`${String(g).padStart(9)} gz ${String(r).padStart(9)} raw  ${p}`)
  console.log(`first-load JS of /map: ${rows.length} files, ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzip`)
} finally {
  await browser.close()
  await server.stop()
}
