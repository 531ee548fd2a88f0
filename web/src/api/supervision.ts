// 批后监管: inspections (/api/inspections), quarterly progress reports (/api/progress-reports),
// an enterprise's credit record (/api/enterprises/{uscc}/credit) and the 一地一策 plans with
// their 挂牌督办 counts (/api/disposal-plans).
import { api, query } from './http'
import type { WfOut, WfPage } from './workflow'

export interface InspectionIn {
  id: string
  parcel_id: string
  project_id: string | null
  inspected_on: string
  inspectors: string[]
  started: boolean
  started_basis: string
  completed: boolean
  completion_certificate_no: string | null
  not_completed_reason: string | null
  photos: { sha256: string; caption: string }[]
  boundary: null
  remarks: string
}

export const inspections = (parcel?: string) => api<WfPage<InspectionIn>>(`/api/inspections${query({ parcel })}`)
export const createInspection = (b: InspectionIn) => api<WfOut<InspectionIn>>('/api/inspections', { method: 'POST', body: b })

/** Uploads a file to the parcel's documents; its sha256 names it in a record. */
export async function uploadAttachment(parcel: string, file: File, reason: string): Promise<string> {
  const fd = new FormData()
  fd.append('reason', reason)
  fd.append('file', file, file.name)
  const r = await api<{ sha256: string }>(`/api/parcels/${encodeURIComponent(parcel)}/attachments`, { method: 'POST', form: fd })
  return r.sha256
}

export type ReportSubject = 'task' | 'disposal_plan' | 'case'
export interface ReportDoc {
  id: string
  subject: ReportSubject
  subject_id: string
  year: number
  quarter: number
  unit: string
  submitted_by: string
  submitted_on: string
  text: string
  attachments: string[]
}
export interface ReportIn {
  subject: ReportSubject
  subject_id: string
  year: number
  quarter: number
  unit: string
  text: string
  attachments: string[]
  submitted_on?: string
}
export const progressReports = () => api<WfPage<ReportDoc>>('/api/progress-reports')
export const createReport = (b: ReportIn) => api<WfOut<ReportDoc>>('/api/progress-reports', { method: 'POST', body: b })

export interface CreditDoc {
  id: string
  uscc: string
  kind: string
  on: string
  contract_no: string
  penalty_id: string
  amount: string
  detail_zh: string
}
export const credit = (uscc: string) => api<WfPage<CreditDoc>>(`/api/enterprises/${encodeURIComponent(uscc)}/credit`)

export interface DisposalPlanDoc {
  id: string
  parcel_id: string | null
  park_id: string
  subject: 'unsupplied' | 'idle' | 'low_efficiency'
  method: string
  responsible_unit: string
  area_m2: string
  disposed_m2: string
  target_on: string
  completed_on: string | null
  supervised: { listed_on: string; by: string; deadline: string } | null
}
export interface DisposalOut {
  items: WfOut<DisposalPlanDoc>[]
  supervised_per_park: { park_id: string; supervised: number; meets_minimum: boolean }[]
}
export const disposalPlans = () => api<DisposalOut>('/api/disposal-plans')
