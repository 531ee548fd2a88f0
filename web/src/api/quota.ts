// 增存挂钩 (plan task 16): GET /api/quota/allocation — a year's new construction-land quota split
// among the counties by a score of last year's stock disposal, with every county's arithmetic.
import { api, query } from './http'

export interface FigureSource { from: 'request' | 'rule_set'; label_zh: string }
export interface QuotaStep { label_zh: string; points: string }
export interface IdleDisposal { case_id: string; parcel_id: string | null; status: string; closed_on: string; area_m2: string | null }
export interface CountyQuota {
  county: string
  base_mu: string
  base_source: FigureSource
  task_mu: string
  task_source: FigureSource
  disposed_unsupplied_m2: string
  disposed_unsupplied_mu: string
  disposed_idle_mu: string
  idle_cases: IdleDisposal[]
  batches: number
  window_batches: number
  window_approved_m2: string
  window_supplied_m2: string
  window_supply_rate: string | null
  steps: QuotaStep[]
  score: string
  key_projects_only: boolean
  raw_mu: string
  remainder_units: number
  quota_mu: string
}
export interface QuotaTerms {
  rule_set_version: string
  reward_ratio_unsupplied: string
  reward_ratio_idle: string
  penalty_ratio: string
  supply_rate_threshold: string
  rounding_dp: number
}
export interface Allocation {
  year: number
  as_of: string
  period_from: string
  period_to: string
  window_first_year: number
  window_last_year: number
  city: string
  terms: QuotaTerms
  total_mu: string
  score_sum: string
  unallocated_mu: string
  counties: CountyQuota[]
}
export interface QuotaAsk { year: number; total_mu: string; as_of?: string }

const params = (a: QuotaAsk, format?: 'xlsx') => query({ year: a.year, total_mu: a.total_mu, as_of: a.as_of, format })
export const allocation = (a: QuotaAsk) => api<Allocation>(`/api/quota/allocation${params(a)}`)
export const allocationXlsxUrl = (a: QuotaAsk) => `/api/quota/allocation${params(a, 'xlsx')}`
