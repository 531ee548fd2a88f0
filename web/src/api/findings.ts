// The rule scan's findings (认定清单): a page of them with their reasons, and the same list as
// the server's Excel.
import { api, query } from './http'
import type { Finding, FindingKind } from './types'

export interface FindingsQuery {
  kind?: FindingKind
  park?: string
  as_of?: string
  year?: number
  limit?: number
  offset?: number
}

export interface FindingsPage {
  as_of: string
  year: number
  rule_set: string
  total: number
  findings: Finding[]
}

export const findingsPage = (q: FindingsQuery) => api<FindingsPage>(`/api/findings${query({ ...q })}`)
/** The filtered list (up to 10,000 rows) as Excel with Chinese headers. */
export const findingsXlsxUrl = (q: FindingsQuery) =>
  `/api/findings${query({ ...q, limit: undefined, offset: undefined, format: 'xlsx' })}`
