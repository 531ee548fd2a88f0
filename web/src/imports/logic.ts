// Pure logic of the import screen (tested in tests/unit/imports.test.ts): which dropped files
// are accepted, how a Shapefile's parts are grouped and what a group lacks, and the error
// table in the reader's language (also as the Excel sheet).
import type { ImportProblem } from '../api/imports'
import type { Table } from '../export/xlsx'

/** Formats the server reads; a Shapefile comes as its parts. */
export const SINGLE = ['zip', 'gpkg', 'geojson', 'json', 'fgb', 'xlsx', 'csv']
export const SHP_PARTS = ['shp', 'shx', 'dbf', 'prj', 'cpg', 'qix', 'sbn', 'sbx', 'xml']
const SHP_REQUIRED = ['shp', 'shx', 'dbf']

export function extOf(name: string): string {
  const m = /\.([^.]+)$/.exec(name.toLowerCase())
  if (!m) return ''
  return name.toLowerCase().endsWith('.shp.xml') ? 'xml' : m[1]
}

const stem = (name: string) => name.replace(/(\.shp)?\.[^.]+$/i, '')

export interface Picked {
  files: File[]
  rejected: string[]
  /** Per Shapefile stem, the required parts missing (.shp, .shx, .dbf), and .prj when absent. */
  shapefiles: { name: string; parts: string[]; missing: string[]; noPrj: boolean }[]
}

/** Adds dropped files to those already picked: the same name replaces, unknown kinds are
 *  refused by name. */
export function pickFiles(current: File[], dropped: File[]): Picked {
  const byName = new Map(current.map((f) => [f.name, f]))
  const rejected: string[] = []
  for (const f of dropped) {
    const e = extOf(f.name)
    if (SINGLE.includes(e) || SHP_PARTS.includes(e)) byName.set(f.name, f)
    else rejected.push(f.name)
  }
  const files = [...byName.values()]
  const groups = new Map<string, string[]>()
  for (const f of files) {
    const e = extOf(f.name)
    if (!SHP_PARTS.includes(e)) continue
    const k = stem(f.name)
    groups.set(k, [...(groups.get(k) ?? []), e])
  }
  const shapefiles = [...groups.entries()].map(([name, parts]) => ({
    name,
    parts: parts.sort(),
    missing: SHP_REQUIRED.filter((p) => !parts.includes(p)),
    noPrj: !parts.includes('prj'),
  }))
  return { files, rejected, shapefiles }
}

/** One problem as a row of the error table, the reason in the reader's language. */
export function problemRow(p: ImportProblem, locale: string) {
  return {
    file: p.file,
    row: p.row ?? null,
    field: p.field,
    value: p.value ?? '',
    reason: locale === 'zh-CN' ? p.reason_zh || p.reason : p.reason || p.reason_zh,
  }
}

/** The error table as an Excel sheet, with the headers given. */
export function problemTable(problems: ImportProblem[], locale: string, headers: [string, string, string, string, string]): Table {
  return {
    columns: [...headers],
    rows: problems.map((p) => {
      const r = problemRow(p, locale)
      return [r.file, r.row, r.field, r.value, r.reason]
    }),
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
