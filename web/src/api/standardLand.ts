// The 标准地 steps that decide something, each on its own endpoint (/api/projects/{id}/review,
// /scheme, /contract, /checkpoints/{code}, /renewal, /revision; see /api/openapi.json). Each
// answers the project record with the step's `outcome`.
import { api } from './http'
import type { DocumentRef, WfOut, WfPage } from './workflow'

/** Day, reason, version read and documents: what every step sends. */
export interface StepMeta {
  on: string
  reason: string
  version: number
  documents: DocumentRef[]
}

export type StepOut<O = any> = WfOut & { outcome: O }

export type Vote = 'approve' | 'reject' | 'abstain'
export interface Opinion {
  member: string
  vote: Vote
  comment: string
}
export interface SupplyPhase {
  no: number
  area_m2: string
  planned_on: string
  condition: string
}
export interface ReviewOutcome {
  decision: 'approved' | 'rejected'
  large_project: boolean
  phases: SupplyPhase[]
}

export type SupplyScheme =
  | { mode: 'flexible_grant'; years: number }
  | { mode: 'lease_then_grant'; lease_years: number; total_years: number }
  | { mode: 'lease_and_grant'; lease_years: number; grant_years: number }
  | { mode: 'long_term_lease'; years: number }
export type SchemeMode = SupplyScheme['mode']

export interface SchemeQuote {
  grant_years: number
  lease_years: number
  k: string
  grant_price: string
  conditional_renewal: boolean
}

export interface PenaltyLine {
  kind: string
  basis_zh: string
  amount: string
  capped: boolean
}
export interface IndicatorItem {
  code: string
  name_zh: string
  target: string
  value: string | null
  passed: boolean
  reason_zh: string
}
export interface CheckpointResult {
  code: string
  on: string
  comparison: { items: IndicatorItem[]; passed: boolean } | null
  penalties: PenaltyLine[]
  passed: boolean
}
export interface CheckpointDoc {
  project_id: string
  contract_no: string
  code: string
  label_zh: string
  due: string
  stage: string | null
  rule_ref: string
  met_on: string | null
  result: CheckpointResult | null
}
export interface CheckpointFacts {
  values?: Record<string, string>
  actual_investment_yuan?: string
  tax_per_mu_by_year?: [number, string][]
}

export interface RenewalDecision {
  granted: boolean
  conditions: { code: string; label_zh: string; passed: boolean; detail_zh: string }[]
  price: string | null
}

export interface PenaltyClauses {
  late_start_per_mille: string
  late_completion_per_mille: string
  shortfall_combine: 'max_of' | 'sum_of'
  tax_gap_capped_at_price: boolean
}
export interface GrantContract {
  contract_no: string
  parcel_id: string | null
  grantee: string
  area_m2: string
  price: string
  scheme: SupplyScheme
  term_years: number
  signed_on: string
  delivery_on: string
  start_deadline: string
  completion_deadline: string
  total_investment: string
  far_min: string
  penalties: PenaltyClauses
}
export interface SupervisionAgreement {
  agreement_no: string
  counterparty: string
  signed_on: string
  indicators: unknown[]
  initial_operation_years: number
  production_after_completion_months: number
  periodic_review_years: number
  performance_bond: string | null
}

const p = (id: string, step: string) => `/api/projects/${encodeURIComponent(id)}/${step}`
const post = <O>(id: string, step: string, body: unknown) => api<StepOut<O>>(p(id, step), { method: 'POST', body })

export const review = (id: string, b: { members: string[]; opinions: Opinion[]; phases: SupplyPhase[] } & StepMeta) =>
  post<ReviewOutcome>(id, 'review', b)
export const revise = (id: string, b: { values: Record<string, string> } & StepMeta) => post(id, 'revision', b)
export const setScheme = (id: string, b: { scheme: SupplyScheme; full_term_price_yuan: string } & StepMeta) =>
  post<SchemeQuote>(id, 'scheme', b)
export const signContract = (
  id: string,
  b: { contract: GrantContract; agreement: SupervisionAgreement; reason: string; version: number; documents: DocumentRef[] },
) => post<CheckpointDoc[]>(id, 'contract', b)
export const recordCheckpoint = (id: string, code: string, b: { facts: CheckpointFacts } & StepMeta) =>
  post<CheckpointResult>(id, `checkpoints/${encodeURIComponent(code)}`, b)
export const decideRenewal = (
  id: string,
  b: { years_requested: number; industry_fits_plan: boolean; mu_classes?: string[]; appraised_full_term_price_yuan: string | null } & StepMeta,
) => post<RenewalDecision>(id, 'renewal', b)
export const checkpoints = (id: string) => api<WfPage<CheckpointDoc>>(p(id, 'checkpoints'))

/** Which dedicated step a workflow transition goes through (the generic one refuses these). */
export function dedicatedStep(to: string): { kind: 'revision' | 'review' | 'scheme' | 'contract' | 'renewal' } | { kind: 'checkpoint'; code: string } | null {
  switch (to) {
    case 'applied':
      return { kind: 'revision' }
    case 'reviewed':
    case 'rejected':
      return { kind: 'review' }
    case 'scheme_set':
      return { kind: 'scheme' }
    case 'granted':
      return { kind: 'contract' }
    case 'renewed':
    case 'expired':
      return { kind: 'renewal' }
  }
  const code = CHECKPOINT_OF[to]
  return code ? { kind: 'checkpoint', code } : null
}

/** The checkpoint whose record moves a project to a status (交地 → delivered …). */
export const CHECKPOINT_OF: Record<string, string> = {
  delivered: 'delivery',
  started: 'start',
  completed: 'completion',
  conformity_checked: 'conformity_check',
  in_production: 'production',
  capacity_reviewed: 'capacity_review',
}

/** A penalty statement (违约金清单) of a breached checkpoint, with the payments received. */
export interface PenaltyPayment { amount: string; paid_on: string; receipt: string; recorded_by: string }
export interface PenaltyStatementDoc { contract_no: string; lines: PenaltyLine[]; total: string; payments: PenaltyPayment[] }
/** The statements of one project: ids `{project}:{checkpoint}:penalty`. */
export const projectPenalties = async (project: string, park: string | null) =>
  (await api<WfPage<PenaltyStatementDoc>>(`/api/penalties${park ? `?park=${encodeURIComponent(park)}` : ''}`)).items.filter((r) =>
    r.id.startsWith(`${project}:`),
  )
export const payPenalty = (id: string, b: { amount_yuan: string; paid_on: string; receipt: string; version: number }) =>
  api<WfOut<PenaltyStatementDoc>>(`/api/penalties/${encodeURIComponent(id)}/payments`, { method: 'POST', body: b })
/** What is still owed (元, to the fen). */
export const outstanding = (d: PenaltyStatementDoc) =>
  (Math.round(Number(d.total) * 100) - d.payments.reduce((s, p) => s + Math.round(Number(p.amount) * 100), 0)) / 100

/** 标准地 indicator sets (§4.2) stored per park × industry, versioned. */
export type Direction = { kind: 'at_least' } | { kind: 'at_most' } | { kind: 'range'; max: string }
export interface SetIndicator {
  code: string
  name_zh: string
  unit: string
  direction: Direction
  target: string
  stages: string[]
  slot: string
}
export interface IndicatorSetDoc {
  id: string | null
  park_id: string
  industry: string
  version: string
  effective_from: string
  source: string
  indicators: SetIndicator[]
}
export interface IndicatorSetIn extends Omit<IndicatorSetDoc, 'id'> { reason: string }
export const effectiveSet = (park: string, industry: string, on?: string) =>
  api<{ origin: 'stored' | 'default'; set: IndicatorSetDoc }>(
    `/api/indicator-sets/effective?park=${encodeURIComponent(park)}&industry=${encodeURIComponent(industry)}${on ? `&on=${on}` : ''}`,
  )
export const indicatorSets = (park: string) =>
  api<WfPage<IndicatorSetDoc & { published_by: string; published_on: string }>>(`/api/indicator-sets?park=${encodeURIComponent(park)}`)
export const publishSet = (b: IndicatorSetIn) => api<WfOut>('/api/indicator-sets', { method: 'POST', body: b })
/** The target as a phrase: ≥ 150 万元/亩, ≤ 0.07, 1.0–2.5. */
export function targetText(i: SetIndicator): string {
  const u = i.unit ? ` ${i.unit}` : ''
  if (i.direction.kind === 'at_least') return `≥ ${i.target}${u}`
  if (i.direction.kind === 'at_most') return `≤ ${i.target}${u}`
  return `${i.target}–${i.direction.max}${u}`
}
