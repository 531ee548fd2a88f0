// POST /api/imports: files of parcels or figures (a Shapefile's parts, .zip, .gpkg, .geojson,
// .fgb, .xlsx, .csv) with the options, sent with XMLHttpRequest so the upload reports its
// progress. 200 when written or a clean dry run, 422 with the same report when problems remain;
// 400/403/413 are problems (RFC 9457).
import { csrfToken } from './http'

export type ImportKind = 'parcels' | 'figures'

export interface ImportOptions {
  kind: ImportKind
  crs: string
  encoding: string
  layer: string
  dryRun: boolean
  reason: string
}

export interface ImportSource {
  file: string
  format: string
  crs: string
  sha256: string
  encoding?: string | null
  notes: string[]
}

export interface ImportProblem {
  file: string
  row?: number | null
  field: string
  value?: string | null
  reason: string
  reason_zh: string
}

export interface ImportReport {
  dry_run: boolean
  written: boolean
  sources: ImportSource[]
  problems: ImportProblem[]
  rows: number
  created: number
  updated: number
  import_id?: string | null
}

/** What the server answered: a report (200 or 422), or a refusal (its problem). */
export type ImportAnswer =
  | { ok: true; status: number; report: ImportReport }
  | { ok: false; status: number; problem: { title?: string; detail?: string; errors?: unknown[] } | null }

export function importForm(files: File[], o: ImportOptions): FormData {
  const fd = new FormData()
  for (const f of files) fd.append('file', f, f.name)
  fd.append('kind', o.kind)
  if (o.crs.trim()) fd.append('crs', o.crs.trim())
  if (o.encoding.trim()) fd.append('encoding', o.encoding.trim())
  if (o.layer.trim()) fd.append('layer', o.layer.trim())
  fd.append('dry_run', o.dryRun ? 'true' : 'false')
  fd.append('reason', o.reason.trim())
  return fd
}

/** Sends the import; `progress` gets the fraction of the upload sent (0–1). */
export function sendImport(form: FormData, progress: (sent: number) => void, signal?: AbortSignal): Promise<ImportAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/imports')
    xhr.setRequestHeader('Accept', 'application/json')
    const csrf = csrfToken()
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) progress(e.loaded / e.total)
    }
    xhr.upload.onload = () => progress(1)
    xhr.onload = () => {
      let body: any = null
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        body = { detail: xhr.responseText }
      }
      const isReport = body && Array.isArray(body.problems) && Array.isArray(body.sources)
      if ((xhr.status === 200 || xhr.status === 422) && isReport) resolve({ ok: true, status: xhr.status, report: body })
      else resolve({ ok: false, status: xhr.status, problem: body })
    }
    xhr.onerror = () => reject(new Error('network error'))
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'))
    signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(form)
  })
}
