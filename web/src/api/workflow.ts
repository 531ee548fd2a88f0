// Workflow records as the API sends them (/api/cases, /api/projects, /api/tasks, /api/warnings,
// /api/workflows; see /api/openapi.json), and the calls the work screens make.
import { api, query } from './http'
import type { Role } from './types'

export interface WfOut<D = any> {
  kind: string
  id: string
  version: number
  park_id: string | null
  jurisdiction: string | null
  parcel_id: string | null
  enterprise: string | null
  status: string
  due: string | null
  doc: D
}

export interface WfPage<D = any> {
  total: number
  items: WfOut<D>[]
}

export interface DocumentRef {
  kind: string
  number?: string | null
  sha256?: string | null
}

export interface TransitionOut {
  from: string
  to: string
  actor: string
  role: string
  on: string
  reason: string
  detail: { fields?: Record<string, string>; documents?: DocumentRef[]; deadline?: { due: string; rule_ref?: string } | null } & Record<string, any>
}

export interface WfDetail<D = any> {
  record: WfOut<D>
  transitions: TransitionOut[]
}

export interface StatusDef {
  code: string
  label_zh: string
  terminal: boolean
  checklist: string[]
  deadline: { anchor_event: string; period: number; unit: string; rule_ref: string } | null
}

export interface TransitionDef {
  from: string
  to: string
  label_zh: string
  roles: Role[]
  required_fields: string[]
  required_documents: string[]
  required_checks: string[]
}

export interface WorkflowDef {
  code: string
  name_zh: string
  version: string
  initial: string
  statuses: StatusDef[]
  transitions: TransitionDef[]
}

export type WarningLevel = 'notice' | 'warning' | 'overdue'
export type DueKind = 'case_deadline' | 'checkpoint' | 'task_milestone' | 'progress_report' | 'supervision'

export interface Warning {
  item: { kind: DueKind; subject_id: string; park_id: string | null; title_zh: string; due: string; rule_ref: string }
  level: WarningLevel
  days_left: number
}

export interface WarningsOut {
  as_of: string
  counts: Record<string, number>
  items: Warning[]
}

export interface Milestone {
  date: string
  what: string
  done_on: string | null
}

export interface PlanTask {
  no: number
  title: string
  lead_unit: string
  co_units: string[]
  milestones: Milestone[]
}

export type TaskStatus = 'done' | 'on_track' | 'overdue'

export interface CaseDoc {
  id: string
  agreed_start: string
  land_price: string
  fee_rate?: string
  gov_cause?: string | null
  fee?: string | null
  state: { workflow: string; status: string; entered_on: string; deadline: { due: string; rule_ref?: string } | null }
}

export interface IndicatorResult {
  code: string
  name_zh: string
  target: string
  value: string | null
  passed: boolean
  reason_zh: string
}

export interface ProjectDoc {
  id: string
  name: string
  applicant: string
  park_id: string
  industry: string
  area_m2: string
  parcel_id: string | null
  values: Record<string, string>
  admission: { stage: string; set_version: string; items: IndicatorResult[]; passed: boolean } | null
  state: { status: string; entered_on: string; deadline: { due: string } | null }
}

/** The case (`cases`) or 标准地 project (`projects`) collection. */
export type WfCollection = 'cases' | 'projects'

export const WORKFLOW_OF: Record<WfCollection, string> = { cases: 'idle_case', projects: 'standard_land_project' }

let defs: Promise<WorkflowDef[]> | null = null

/** The workflow definitions, read once. */
export function workflowDefs(): Promise<WorkflowDef[]> {
  defs ??= api<WorkflowDef[]>('/api/workflows').catch((e) => {
    defs = null
    throw e
  })
  return defs
}

export async function workflowDef(c: WfCollection): Promise<WorkflowDef | undefined> {
  return (await workflowDefs()).find((d) => d.code === WORKFLOW_OF[c])
}

export function listRecords<D>(c: WfCollection, params: Record<string, string | undefined> = {}) {
  return api<WfPage<D>>(`/api/${c}${query(params)}`)
}

export function oneRecord<D>(c: WfCollection, id: string) {
  return api<WfDetail<D>>(`/api/${c}/${encodeURIComponent(id)}`)
}

export interface TransitionIn {
  to: string
  on: string
  reason: string
  version: number
  fields: Record<string, string>
  documents: DocumentRef[]
}

/** An official's step (`transitions`) or the land user's own (`submissions`). */
export function takeTransition(c: WfCollection, id: string, body: TransitionIn, asApplicant: boolean) {
  return api<WfOut>(`/api/${c}/${encodeURIComponent(id)}/${asApplicant ? 'submissions' : 'transitions'}`, { method: 'POST', body })
}

export function xlsxUrl(path: string, params: Record<string, string | undefined> = {}): string {
  return `${path}${query({ ...params, format: 'xlsx' })}`
}
