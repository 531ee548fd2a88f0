// What a 履约 checkpoint measures (tested in tests/unit/measured.test.ts): the indicators of the
// signed 履约监管协议 checked at the checkpoint's stage, each with its target as a hint. The
// server compares every one of them; a form that offered a fixed list left some (绿地率 …)
// unreportable, and the check then failed as "未填报" whatever was built.

export interface AgreedIndicator {
  code: string
  name_zh: string
  unit: string
  direction: { kind: 'at_least' | 'at_most' } | { kind: 'range'; max: string }
  target: string | number
  stages: string[]
}

export interface Measured {
  code: string
  name_zh: string | null
  /** The target as a phrase, "≥ 1.5", "≤ 0.2 万元/亩"; null when unknown. */
  target: string | null
}

/** Offered at 对标验收 when the agreement's indicators are not known (a contract of old). */
const FALLBACK = ['far_min', 'investment_intensity_wan_per_mu', 'building_coverage_min', 'admin_land_ratio_max']

/** The stage a checkpoint checks: 对标验收 completion, 达产复核 capacity_review, 定期复核 periodic. */
export function stageOf(checkpoint: string): 'completion' | 'capacity_review' | 'periodic' | null {
  if (checkpoint === 'conformity_check') return 'completion'
  if (checkpoint === 'capacity_review') return 'capacity_review'
  if (checkpoint.startsWith('periodic_review')) return 'periodic'
  return null
}

export function targetText(i: AgreedIndicator): string {
  const unit = i.unit ? ` ${i.unit}` : ''
  if (i.direction.kind === 'range') return `${i.target}–${i.direction.max}${unit}`
  return `${i.direction.kind === 'at_most' ? '≤' : '≥'} ${i.target}${unit}`
}

/** The values a checkpoint asks for. At 达产复核 亩均税收 comes from the yearly figures, which
 *  the form asks for apart. */
export function measured(indicators: AgreedIndicator[] | null | undefined, checkpoint: string): Measured[] {
  const stage = stageOf(checkpoint)
  if (!stage) return []
  if (!indicators?.length) return stage === 'completion' ? FALLBACK.map((code) => ({ code, name_zh: null, target: null })) : []
  return indicators
    .filter((i) => i.stages.includes(stage) && !(stage === 'capacity_review' && i.code === 'tax_per_mu_wan'))
    .map((i) => ({ code: i.code, name_zh: i.name_zh, target: targetText(i) }))
}
