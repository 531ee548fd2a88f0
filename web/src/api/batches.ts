// Approval batches (批次) and their 批而未供 accounting: GET /api/batches (format=xlsx for
// Excel), /api/batches/summary (per park and city-wide) and /api/batches/{id} with its parcels.
import { api, query } from './http'

/** An area as the server sends it: m² and 亩, exact decimals as strings. */
export interface Area {
  m2: string
  mu: string
}

export interface BatchFinding {
  rule_id: string
  reason: string
  reason_zh: string
}

export interface Batch {
  id: string
  name: string
  jurisdiction: string
  park_id: string | null
  approved_on: string
  acquired_on: string | null
  source_doc: string | null
  approved: Area
  supplied: Area
  deducted: Area
  unsupplied: Area
  supply_rate: string
  age_years: number
  age_bucket: string
  /** `done`, `withdrawable`, `plan_deduction` or `unsupplied`. */
  status: string
  status_zh: string
  findings: BatchFinding[]
}

export interface BatchList {
  as_of: string
  batches: Batch[]
}

export interface BatchParcel {
  parcel_id: string | null
  area: Area
  supplied_on: string | null
}

export interface Deduction {
  kind: string
  kind_zh: string
  area: Area
  on: string
  reason: string
}

export interface BatchDetail {
  batch: Batch
  parcels: BatchParcel[]
  deductions: Deduction[]
}

export interface AgeBucketArea {
  bucket: string
  unsupplied_m2: string
  batches: number
}

/** Totals over a group of batches; areas in m² (exact decimals as strings). */
export interface BatchTotals {
  batches: number
  approved_m2: string
  supplied_m2: string
  deducted_m2: string
  unsupplied_m2: string
  supply_rate: string | null
  by_age: AgeBucketArea[]
  stock_at_from_m2: string
  disposed_m2: string
  disposal_rate: string | null
  kinds_counted: string[]
}

export interface BatchSummary {
  as_of: string
  from: string
  /** Per park id; `-` holds the batches outside parks. */
  by_park: Record<string, BatchTotals>
  total: BatchTotals
}

export interface BatchFilter {
  park?: string
  as_of?: string
}

export const batches = (f: BatchFilter = {}) => api<BatchList>(`/api/batches${query({ park: f.park, as_of: f.as_of })}`)
export const batchSummary = (asOf?: string) => api<BatchSummary>(`/api/batches/summary${query({ as_of: asOf })}`)
export const batch = (id: string) => api<BatchDetail>(`/api/batches/${encodeURIComponent(id)}`)
export const batchesXlsxUrl = (f: BatchFilter = {}) => `/api/batches${query({ park: f.park, as_of: f.as_of, format: 'xlsx' })}`

/** The 宗地代码 of registered parcels by id (a parcel without one, or not readable, is left
 *  out): the batch page names its parcels by code. */
export async function parcelCodes(ids: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  await Promise.all(
    ids.map(async (id) => {
      try {
        const f = await api<{ properties: { code?: string | null } }>(`/api/parcels/${encodeURIComponent(id)}`)
        if (f.properties.code) out[id] = f.properties.code
      } catch {
        // Left out: the link still opens the card by id.
      }
    }),
  )
  return out
}
