// One fetch wrapper for the landcycle API: same-origin session cookie, the CSRF token on unsafe
// requests, RFC 9457 problem+json turned into ApiError with the server's message.

const CSRF_KEY = 'landcycle.csrf'

export class ApiError extends Error {
  status: number
  problem: any
  constructor(status: number, problem: any) {
    super(problem?.detail || problem?.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }
}

let unauthorized: (() => void) | null = null

/** Called when a signed-in request answers 401 (the session ended): back to the sign-in. */
export function onUnauthorized(f: () => void) {
  unauthorized = f
}

export function setCsrf(token: string | null) {
  if (token) sessionStorage.setItem(CSRF_KEY, token)
  else sessionStorage.removeItem(CSRF_KEY)
}

/** The CSRF token of this tab's session (for requests not sent through `api`). */
export function csrfToken(): string | null {
  return sessionStorage.getItem(CSRF_KEY)
}

export interface RequestOptions {
  method?: string
  body?: unknown
  form?: FormData
  /** Send no cookie: the public portal speaks as the public even when someone is signed in. */
  anonymous?: boolean
  signal?: AbortSignal
}

export async function api<T = any>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET'
  const headers: Record<string, string> = { Accept: 'application/json, application/geo+json' }
  let body: BodyInit | undefined
  if (opts.form) body = opts.form
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  const csrf = sessionStorage.getItem(CSRF_KEY)
  if (method !== 'GET' && csrf && !opts.anonymous) headers['X-CSRF-Token'] = csrf
  const r = await fetch(path, {
    method,
    headers,
    body,
    credentials: opts.anonymous ? 'omit' : 'same-origin',
    signal: opts.signal,
  })
  if (r.status === 204) return undefined as T
  const text = await r.text()
  let data: any = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = { detail: text }
  }
  if (r.status === 401 && !opts.anonymous && !path.startsWith('/api/auth/')) unauthorized?.()
  if (!r.ok) throw new ApiError(r.status, data)
  return data as T
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}
