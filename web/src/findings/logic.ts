// The findings list's rules, apart from the component: the inventories in the plan's order,
// their colours, the query a filter makes, and a finding's inputs on one line.
import type { Finding, FindingKind } from '../api/types'
import type { FindingsQuery } from '../api/findings'

export const KINDS: FindingKind[] = ['idle', 'unsupplied', 'low_efficiency']

/** Element Plus tag type per inventory: idle is the most pressing (a disposal case follows). */
export function kindTag(k: FindingKind): 'danger' | 'warning' | 'primary' | 'info' {
  return k === 'idle' ? 'danger' : k === 'unsupplied' ? 'warning' : k === 'low_efficiency' ? 'primary' : 'info'
}

export interface FindingsFilter {
  kind: FindingKind | ''
  park: string
  asOf: string
  year: number | null
}

/** The query of a filter and a page (1-based) of `size`; empty fields are left to the server. */
export function findingsQuery(f: FindingsFilter, page = 1, size = 50): FindingsQuery {
  return {
    kind: f.kind || undefined,
    park: f.park || undefined,
    as_of: f.asOf || undefined,
    year: f.year ?? undefined,
    limit: size,
    offset: (Math.max(page, 1) - 1) * size,
  }
}

/** `name=value; …`, in the server's order. */
export function inputsText(f: Pick<Finding, 'inputs'>): string {
  return Object.entries(f.inputs ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ')
}

/** What a row names: the parcel's 宗地代码 (or name), else the subject's id. */
export function subjectText(f: Pick<Finding, 'parcel' | 'subject'>): string {
  return f.parcel?.code ?? f.parcel?.name ?? f.subject.id
}
