// Pure logic of the work screens (tested in tests/unit/workflow.test.ts): which steps a role may
// take, the server's refusal as text, warning filters and links, the task timeline's geometry,
// and the 统一社会信用代码 check character.
import type { Role } from '../api/types'
import type { DueKind, Milestone, PlanTask, TransitionDef, Warning, WarningLevel, WorkflowDef } from '../api/workflow'

/** The transitions out of `status` that `role` may take, in the definition's order. */
export function allowedTransitions(def: WorkflowDef | undefined, status: string, role: Role | undefined): TransitionDef[] {
  if (!def || !role) return []
  return def.transitions.filter((t) => t.from === status && t.roles.includes(role))
}

/** Officials write the record; an enterprise submits on its own one. */
export function actsAsApplicant(role: Role | undefined): boolean {
  return role === 'enterprise'
}

/** The Chinese label of a status in a definition (its code when unknown). */
export function statusLabelZh(def: WorkflowDef | undefined, code: string): string {
  return def?.statuses.find((s) => s.code === code)?.label_zh ?? code
}

/** A problem+json answer as one line for the reader: every field's reason, else the detail. */
export function problemText(problem: any, locale: string, fallback = ''): string {
  const errs: any[] = Array.isArray(problem?.errors) ? problem.errors : []
  const reasons = errs
    .map((e) => (locale === 'zh-CN' ? e.reason_zh || e.reason : e.reason || e.reason_zh))
    .filter((r) => typeof r === 'string' && r.length > 0)
  if (reasons.length) return [...new Set(reasons)].join('；')
  return problem?.detail || problem?.title || fallback
}

export interface WarningFilter {
  level?: WarningLevel | ''
  kind?: DueKind | ''
  park?: string
}

export function filterWarnings(items: Warning[], f: WarningFilter): Warning[] {
  return items.filter(
    (w) =>
      (!f.level || w.level === f.level) &&
      (!f.kind || w.item.kind === f.kind) &&
      (!f.park || (f.park === '-' ? !w.item.park_id : w.item.park_id === f.park)),
  )
}

export function countLevels(items: Warning[]): Record<WarningLevel, number> {
  const c: Record<WarningLevel, number> = { overdue: 0, warning: 0, notice: 0 }
  for (const w of items) c[w.level]++
  return c
}

/** Element Plus tag type per level: 逾期 red, 预警 (T−7) orange, 提示 (T−30) blue. */
export function levelTagType(level: WarningLevel): 'danger' | 'warning' | 'primary' {
  return level === 'overdue' ? 'danger' : level === 'warning' ? 'warning' : 'primary'
}

/** Where a warning's record is shown. */
export function warningLink(w: Warning): { path: string; query?: Record<string, string> } {
  const id = w.item.subject_id
  switch (w.item.kind) {
    case 'case_deadline':
      return { path: `/cases/${encodeURIComponent(id)}` }
    case 'task_milestone': {
      const no = /(\d+)$/.exec(id)?.[1]
      return no ? { path: '/tasks', query: { task: String(Number(no)) } } : { path: '/tasks' }
    }
    case 'checkpoint': {
      // A stored checkpoint is named `{project}:{code}`: its project's page holds the timeline.
      const project = id.includes(':') ? id.slice(0, id.lastIndexOf(':')) : ''
      return project ? { path: `/projects/${encodeURIComponent(project)}` } : { path: '/projects' }
    }
    // A quarterly report owed under a 履约监管协议: its subject is the 标准地 project.
    case 'progress_report':
      return { path: `/projects/${encodeURIComponent(id)}` }
    case 'supervision':
      return { path: '/cases', query: { supervised: '1' } }
  }
}

/** Days from `a` to `b` (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)
}

/** Today in Beijing, YYYY-MM-DD. */
export function todayInBeijing(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** A milestone still open after its date. */
export function milestoneOverdue(m: Milestone, asOf: string): boolean {
  return !m.done_on && m.date < asOf
}

export interface GanttMark {
  date: string
  what: string
  left: number
  state: 'done' | 'open' | 'overdue'
}

export interface GanttRow {
  no: number
  title: string
  lead: string
  overdue: boolean
  /** Bar from the first to the last milestone, in % of the span. */
  left: number
  width: number
  marks: GanttMark[]
}

export interface Gantt {
  from: string
  to: string
  today: number | null
  years: { year: number; left: number }[]
  rows: GanttRow[]
}

/** The timeline of the plan's tasks: one row each, milestones placed on a common date span. */
export function ganttOf(tasks: PlanTask[], asOf: string): Gantt {
  const dates = tasks.flatMap((t) => t.milestones.map((m) => m.date)).sort()
  if (!dates.length) return { from: asOf, to: asOf, today: null, years: [], rows: [] }
  const from = `${dates[0].slice(0, 4)}-01-01`
  const to = `${Number(dates[dates.length - 1].slice(0, 4)) + 1}-01-01`
  const span = Math.max(1, daysBetween(from, to))
  const pos = (d: string) => Math.min(100, Math.max(0, (daysBetween(from, d) / span) * 100))
  const years = []
  for (let y = Number(from.slice(0, 4)); y < Number(to.slice(0, 4)); y++) years.push({ year: y, left: pos(`${y}-01-01`) })
  const rows = [...tasks]
    .sort((a, b) => a.no - b.no)
    .map((t) => {
      const ms = [...t.milestones].sort((a, b) => a.date.localeCompare(b.date))
      const marks = ms.map((m) => ({
        date: m.date,
        what: m.what,
        left: pos(m.date),
        state: (m.done_on ? 'done' : milestoneOverdue(m, asOf) ? 'overdue' : 'open') as GanttMark['state'],
      }))
      const left = marks.length ? marks[0].left : 0
      const right = marks.length ? marks[marks.length - 1].left : 0
      return {
        no: t.no,
        title: t.title,
        lead: t.lead_unit,
        overdue: marks.some((m) => m.state === 'overdue'),
        left,
        width: Math.max(0.5, right - left),
        marks,
      }
    })
  const today = asOf >= from && asOf <= to ? pos(asOf) : null
  return { from, to, today, years, rows }
}

/** The next open milestone of a task (the one its deadline is). */
export function nextMilestone(t: PlanTask): Milestone | undefined {
  return [...t.milestones].sort((a, b) => a.date.localeCompare(b.date)).find((m) => !m.done_on)
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** GB 32100-2015: 18 characters, the last a check character over the first 17. */
export function usccValid(code: string): boolean {
  const c = code.trim().toUpperCase()
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(c)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(c[i]) * USCC_WEIGHTS[i]
  const check = (31 - (sum % 31)) % 31
  return USCC_CHARS[check] === c[17]
}

/** 亩 → m², exact to the cent of a m² as the API wants a decimal string. */
export function muToM2(mu: number): string {
  return ((mu * 10000) / 15).toFixed(2)
}
