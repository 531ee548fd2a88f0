// Starts a real `landcycle serve` on a fresh store and Debian's chromium through
// playwright-core, and records every request that would leave the server's own host.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const ROOT = resolve(import.meta.dirname, '../..')
export const SHOTS = resolve(import.meta.dirname, '../test-results')

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

/** Starts the server on a fresh store; resolves with its base URL and the demo passwords. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'landcycle-e2e-'))
  const bin = process.env.LANDCYCLE_BIN ?? join(ROOT, 'target/debug/landcycle')
  const db = join(dir, 'e2e.gpkg')
  const parcels = process.env.LANDCYCLE_E2E_PARCELS ?? '1500'
  const child = spawn(bin, ['--db', db, 'serve', '--bind', '127.0.0.1:0', '--demo-parcels', parcels], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANDCYCLE_TIANDITU_KEY: '', LANDCYCLE_BASEMAP_TILES: '' },
  })
  const passwords = {}
  let log = ''
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 180 s:\n${log}`)), 180_000)
    // The passwords are printed on stdout, the address on stderr.
    const read = (chunk) => {
      log += chunk
      for (const m of log.matchAll(/^\s+\w+ (demo-\w+)\s+(\S+)\s+\S+$/gm)) passwords[m[1]] = m[2]
      const a = /landcycle: (http:\/\/[\d.:]+)\//.exec(log)
      if (a && Object.keys(passwords).length >= 7) {
        clearTimeout(timer)
        ok(a[1])
      }
    }
    for (const s of [child.stdout, child.stderr]) {
      s.setEncoding('utf8')
      s.on('data', read)
    }
    child.on('exit', (code) => fail(new Error(`server exited (${code}):\n${log}`)))
  })
  return {
    base,
    passwords,
    /** Stores a 亩均评价 run of `year` with the CLI, beside the running server. */
    evaluate(year) {
      const r = spawnSync(bin, ['--db', db, 'evaluate', '--year', String(year)], { encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`landcycle evaluate failed: ${r.stderr}`)
    },
    async stop() {
      child.kill('SIGINT')
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Chromium with a fresh profile; every request to another host is refused and recorded. */
export async function startBrowser(base) {
  const profile = mkdtempSync(join(tmpdir(), 'landcycle-chromium-'))
  mkdirSync(SHOTS, { recursive: true })
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  })
  const own = new URL(base).host
  const foreign = []
  const problems = []
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url())
    if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && u.host !== own) {
      foreign.push(u.href)
      return route.abort()
    }
    return route.continue()
  })
  const watch = (page) => {
    page.on('console', (m) => {
      // The sign-in page asks who is signed in: 401 before signing in is the answer, not a fault.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  }
  context.on('page', watch)
  for (const p of context.pages()) watch(p)
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)
    })
  })
  return {
    context,
    foreign,
    problems,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

/** Counts drawn (non-background) pixels of the map canvas. */
export async function drawnPixels(page, selector) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(`${sel} canvas.maplibregl-canvas`)
    if (!canvas) return 0
    const c = document.createElement('canvas')
    c.width = 200
    c.height = 200
    const g = c.getContext('2d')
    g.drawImage(canvas, 0, 0, 200, 200)
    const d = g.getImageData(0, 0, 200, 200).data
    let n = 0
    for (let i = 0; i < d.length; i += 4) {
      const bg = Math.abs(d[i] - 0xee) < 6 && Math.abs(d[i + 1] - 0xf2) < 6 && Math.abs(d[i + 2] - 0xef) < 6
      if (!bg && d[i + 3] > 0) n++
    }
    return n
  }, selector)
}

/** Signs in over the public HTTP API, as a script would, and returns a small JSON client
 *  (session cookie and CSRF token); used to seed the records a test needs. */
export async function apiClient(base, name, password) {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  })
  if (!r.ok) throw new Error(`sign-in of ${name} failed: ${r.status} ${await r.text()}`)
  const { csrf } = await r.json()
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    const data = text ? JSON.parse(text) : null
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return data
  }
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) }
}
