// Display of areas, money and dates. The API sends exact decimals as strings (m², 元, with 亩
// and 万元 already derived); these functions only format them for the reader's locale.

export type Locale = 'zh-CN' | 'en'

/** m² per 亩 (1 亩 = 10000/15 m²). */
export const M2_PER_MU = 10000 / 15

function num(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isFinite(n) ? n : null
}

export function formatNumber(v: string | number | null | undefined, locale: Locale, digits = 2): string {
  const n = num(v)
  if (n === null) return '—'
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n)
}

/** An area in 亩: "12.35 亩" / "12.35 mu". */
export function formatMu(v: string | number | null | undefined, locale: Locale, digits = 2): string {
  const n = num(v)
  if (n === null) return '—'
  return `${formatNumber(n, locale, digits)} ${locale === 'zh-CN' ? '亩' : 'mu'}`
}

/** An area in m²: "31,295.57 m²". */
export function formatM2(v: string | number | null | undefined, locale: Locale): string {
  const n = num(v)
  if (n === null) return '—'
  return `${formatNumber(n, locale, 2)} m²`
}

/** m² → 亩. */
export function m2ToMu(m2: number): number {
  return m2 / M2_PER_MU
}

/** Money given in 元, shown in 万元: "675.85 万元" / "6.76 M yuan" in English. */
export function formatYuanAsWan(yuan: string | number | null | undefined, locale: Locale): string {
  const n = num(yuan)
  if (n === null) return '—'
  if (locale === 'zh-CN') return `${formatNumber(n / 10000, locale, 2)} 万元`
  return `${formatNumber(n / 1e6, locale, 2)} M yuan`
}

/** A value already in 万元: "15.00 万元" / "150.0 k yuan". */
export function formatWan(wan: string | number | null | undefined, locale: Locale, digits = 2): string {
  const n = num(wan)
  if (n === null) return '—'
  if (locale === 'zh-CN') return `${formatNumber(n, locale, digits)} 万元`
  return `${formatNumber(n * 10, locale, 1)} k yuan`
}

/** 亩均税收 in 万元/亩: "15.00 万元/亩" / "150.0 k yuan/mu". */
export function formatWanPerMu(wan: string | number | null | undefined, locale: Locale): string {
  const n = num(wan)
  if (n === null) return '—'
  return locale === 'zh-CN' ? `${formatNumber(n, locale, 2)} 万元/亩` : `${formatNumber(n * 10, locale, 1)} k yuan/mu`
}

/** A calendar date "YYYY-MM-DD" in the reader's locale: "2021年6月30日" / "Jun 30, 2021". */
export function formatDate(d: string | null | undefined, locale: Locale): string {
  if (!d) return '—'
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d)
  if (!m) return d
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date)
}

/** A timestamp in Beijing time. */
export function formatTime(t: string | null | undefined, locale: Locale): string {
  if (!t) return '—'
  const date = new Date(t)
  if (Number.isNaN(date.getTime())) return t
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai',
  }).format(date)
}

/** A ratio 0–1 as a percentage. */
export function formatPercent(v: string | number | null | undefined, locale: Locale): string {
  const n = num(v)
  if (n === null) return '—'
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(n)
}

/** Today as YYYY-MM-DD in Beijing time. */
export function todayIso(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
}
