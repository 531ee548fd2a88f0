import { describe, expect, it } from 'vitest'
import type { PlanTask, Warning, WorkflowDef } from '../../src/api/workflow'
import {
  actsAsApplicant, allowedTransitions, countLevels, daysBetween, filterWarnings, ganttOf, levelTagType,
  milestoneOverdue, muToM2, nextMilestone, problemText, todayInBeijing, usccValid, warningLink,
} from '../../src/workflow/logic'

const def: WorkflowDef = {
  code: 'idle_case', name_zh: '闲置土地处置', version: '1', initial: 'suspected',
  statuses: [
    { code: 'suspected', label_zh: '疑似闲置', terminal: false, checklist: [], deadline: null },
    { code: 'notice_issued', label_zh: '已送达调查通知书', terminal: false, checklist: [], deadline: null },
    { code: 'under_review', label_zh: '调查审查', terminal: false, checklist: [], deadline: null },
    { code: 'not_idle', label_zh: '不构成闲置', terminal: true, checklist: [], deadline: null },
  ],
  transitions: [
    { from: 'suspected', to: 'notice_issued', label_zh: '送达闲置土地调查通知书', roles: ['admin', 'city', 'county'], required_fields: [], required_documents: ['闲置土地调查通知书'], required_checks: [] },
    { from: 'suspected', to: 'not_idle', label_zh: '核实不构成疑似闲置', roles: ['admin', 'city', 'county'], required_fields: [], required_documents: [], required_checks: [] },
    { from: 'notice_issued', to: 'under_review', label_zh: '收到说明材料或答复期满', roles: ['admin', 'city', 'county', 'enterprise'], required_fields: [], required_documents: [], required_checks: [] },
  ],
}

describe('allowed transitions', () => {
  it('offers only the steps out of the status that the role may take', () => {
    expect(allowedTransitions(def, 'suspected', 'city').map((t) => t.to)).toEqual(['notice_issued', 'not_idle'])
    expect(allowedTransitions(def, 'suspected', 'park')).toEqual([])
    expect(allowedTransitions(def, 'suspected', 'enterprise')).toEqual([])
    expect(allowedTransitions(def, 'notice_issued', 'enterprise').map((t) => t.to)).toEqual(['under_review'])
    expect(allowedTransitions(def, 'not_idle', 'admin')).toEqual([])
    expect(allowedTransitions(undefined, 'suspected', 'city')).toEqual([])
  })
  it('enterprises submit, officials write', () => {
    expect(actsAsApplicant('enterprise')).toBe(true)
    expect(actsAsApplicant('city')).toBe(false)
  })
})

describe('problem text', () => {
  const p = { detail: 'validation failed', errors: [{ field: 'to', reason: 'idle 0 whole years', reason_zh: '截至2026-01-01未动工不满一年，不能认定闲置' }] }
  it('gives the field reasons in the reader language, else the detail', () => {
    expect(problemText(p, 'zh-CN')).toBe('截至2026-01-01未动工不满一年，不能认定闲置')
    expect(problemText(p, 'en')).toBe('idle 0 whole years')
    expect(problemText({ detail: 'case C1 is at version 3, not 2; reload and retry' }, 'en')).toMatch(/version 3/)
    expect(problemText(null, 'en', 'HTTP 500')).toBe('HTTP 500')
  })
})

const w = (level: Warning['level'], kind: Warning['item']['kind'], park: string | null, id = 'X'): Warning => ({
  item: { kind, subject_id: id, park_id: park, title_zh: id, due: '2026-01-01', rule_ref: '' }, level, days_left: 0,
})

describe('warnings', () => {
  const items = [w('overdue', 'case_deadline', 'weidu', 'C1'), w('warning', 'case_deadline', 'jingkai', 'C2'), w('notice', 'task_milestone', null, 'task-7')]
  it('filters by level, kind and park (- = city level)', () => {
    expect(filterWarnings(items, { level: 'overdue' }).map((x) => x.item.subject_id)).toEqual(['C1'])
    expect(filterWarnings(items, { kind: 'case_deadline' })).toHaveLength(2)
    expect(filterWarnings(items, { park: 'jingkai' }).map((x) => x.item.subject_id)).toEqual(['C2'])
    expect(filterWarnings(items, { park: '-' }).map((x) => x.item.subject_id)).toEqual(['task-7'])
    expect(filterWarnings(items, {})).toHaveLength(3)
  })
  it('counts levels and colours them', () => {
    expect(countLevels(items)).toEqual({ overdue: 1, warning: 1, notice: 1 })
    expect(levelTagType('overdue')).toBe('danger')
    expect(levelTagType('warning')).toBe('warning')
    expect(levelTagType('notice')).toBe('primary')
  })
  it('links each item to its record', () => {
    expect(warningLink(items[0])).toEqual({ path: '/cases/C1' })
    expect(warningLink(items[2])).toEqual({ path: '/tasks', query: { task: '7' } })
    expect(warningLink(w('notice', 'checkpoint', 'weidu')).path).toBe('/projects')
    expect(warningLink(w('notice', 'checkpoint', 'weidu', 'BZD-weidu-0001:start')).path).toBe('/projects/BZD-weidu-0001')
    expect(warningLink(w('overdue', 'progress_report', 'weidu', 'BZD-weidu-0001'))).toEqual({ path: '/projects/BZD-weidu-0001' })
  })
})

describe('dates', () => {
  it('counts days and knows the day in Beijing', () => {
    expect(daysBetween('2025-12-31', '2026-01-30')).toBe(30)
    expect(daysBetween('2026-01-08', '2026-01-01')).toBe(-7)
    // 2026-01-01 20:00 UTC is already 2026-01-02 in Beijing.
    expect(todayInBeijing(new Date(Date.UTC(2026, 0, 1, 20)))).toBe('2026-01-02')
  })
})

describe('task timeline', () => {
  const tasks: PlanTask[] = [
    { no: 2, title: '二', lead_unit: '市自然资源和规划局', co_units: [], milestones: [{ date: '2021-06-30', what: '完成', done_on: '2021-06-30' }, { date: '2022-12-31', what: '全面完成', done_on: null }] },
    { no: 1, title: '一', lead_unit: '市发展改革委', co_units: [], milestones: [{ date: '2027-03-31', what: '启动', done_on: null }] },
  ]
  const g = ganttOf(tasks, '2026-01-01')
  it('spans whole years from the first to the last deadline', () => {
    expect(g.from).toBe('2021-01-01')
    expect(g.to).toBe('2028-01-01')
    expect(g.years.map((y) => y.year)).toEqual([2021, 2022, 2023, 2024, 2025, 2026, 2027])
    expect(g.years[0].left).toBe(0)
  })
  it('orders rows by number and marks overdue milestones', () => {
    expect(g.rows.map((r) => r.no)).toEqual([1, 2])
    expect(g.rows[1].overdue).toBe(true)
    expect(g.rows[1].marks.map((m) => m.state)).toEqual(['done', 'overdue'])
    expect(g.rows[0].overdue).toBe(false)
    expect(g.rows[0].marks[0].state).toBe('open')
    expect(g.today).toBeGreaterThan(g.rows[1].marks[1].left)
    expect(g.rows[1].width).toBeGreaterThan(0)
  })
  it('handles no tasks', () => {
    expect(ganttOf([], '2026-01-01').rows).toEqual([])
  })
  it('knows the next open deadline', () => {
    expect(nextMilestone(tasks[0])?.date).toBe('2022-12-31')
    expect(milestoneOverdue(tasks[0].milestones[1], '2023-01-01')).toBe(true)
    expect(milestoneOverdue(tasks[0].milestones[1], '2022-12-31')).toBe(false)
  })
})

describe('统一社会信用代码 and units', () => {
  it('checks the GB 32100 check character', () => {
    expect(usccValid('914403001922038216')).toBe(true)
    expect(usccValid('914403001922038217')).toBe(false)
    expect(usccValid('91440300192203821')).toBe(false)
    expect(usccValid('91440300192203821I')).toBe(false)
  })
  it('turns 亩 into m²', () => {
    expect(muToM2(15)).toBe('10000.00')
    expect(muToM2(1.5)).toBe('1000.00')
  })
})
