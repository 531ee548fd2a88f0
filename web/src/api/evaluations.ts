// 亩均效益评价 runs: GET/POST /api/evaluations, GET /api/evaluations/{id} (with each park's
// classes), GET /api/evaluations/{id}/results (filtered, paged; format=xlsx for Excel) and
// POST /api/evaluations/{id}/reproduce (the run recomputed from its stored inputs).
import { api, query } from './http'

export type MuClassKey = 'A' | 'B' | 'C' | 'D' | 'not_rated'
export const CLASS_KEYS: MuClassKey[] = ['A', 'B', 'C', 'D', 'not_rated']

export interface EvaluationRun {
  id: string
  year: number
  rule_set_version: string
  created_at: string
  created_by: string
  enterprises: number
  classes: Record<MuClassKey, number>
}

export interface ParkClasses extends Record<MuClassKey, number> {
  park_id: string
  park_name: string
  tax_per_mu: string | number | null
}

export type EvaluationDetail = EvaluationRun & { parks: ParkClasses[] }

export interface EvaluationResult {
  uscc: string
  name: string
  park_id: string
  land_mu: string | number
  tax_yuan: string | number
  tax_per_mu: string | number | null
  score: string | number | null
  class: 'A' | 'B' | 'C' | 'D' | null
  rank: number | null
  not_rated: boolean
}

export interface ResultFilter {
  park?: string
  class?: string
  limit?: number
  offset?: number
}

export const evaluations = () => api<EvaluationRun[]>('/api/evaluations')
export const startEvaluation = (year: number) => api<EvaluationRun>('/api/evaluations', { method: 'POST', body: { year } })
export const evaluation = (id: string) => api<EvaluationDetail>(`/api/evaluations/${encodeURIComponent(id)}`)
export const results = (id: string, f: ResultFilter) =>
  api<{ total: number; items: EvaluationResult[] }>(`/api/evaluations/${encodeURIComponent(id)}/results${query({ ...f })}`)
export const reproduce = (id: string) => api<{ identical: boolean }>(`/api/evaluations/${encodeURIComponent(id)}/reproduce`, { method: 'POST' })
export const resultsXlsxUrl = (id: string, f: ResultFilter) =>
  `/api/evaluations/${encodeURIComponent(id)}/results${query({ park: f.park, class: f.class, format: 'xlsx' })}`
