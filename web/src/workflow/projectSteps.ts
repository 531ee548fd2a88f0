// How a 标准地 project's steps are offered: a deciding step opens its own form (one button per
// form: 通过/不通过 of a review is one review), and the resubmission is the applicant's only —
// /revision takes an enterprise's values, whatever the workflow lets officials do.
import type { Role } from '../api/types'
import { dedicatedStep } from '../api/standardLand'

/** The form a transition opens (`review`, `scheme`, `checkpoint:start` …), or null. */
export function stepForm(to: string): string | null {
  const d = dedicatedStep(to)
  return d ? (d.kind === 'checkpoint' ? `checkpoint:${d.code}` : d.kind) : null
}

/** Transitions not offered to `role`. */
export function hiddenStep(role: Role | undefined): (to: string) => boolean {
  return (to) => to === 'applied' && role !== 'enterprise'
}
