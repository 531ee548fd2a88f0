// @vitest-environment happy-dom
// The import screen: which files are taken and what a Shapefile lacks, the form sent, the
// upload's progress, and the report's error table in both languages (the API is mocked: the
// endpoint lives on another branch until merged).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { extOf, pickFiles, problemRow, problemTable } from '../../src/imports/logic'
import type { ImportReport } from '../../src/api/imports'
import { field, mountScreen, until } from './mount'

const sent: { form: FormData; progress: (p: number) => void }[] = []
let answer: any = null
vi.mock('../../src/api/imports', async (orig) => {
  const real = await orig<typeof import('../../src/api/imports')>()
  return {
    ...real,
    sendImport: vi.fn((form: FormData, progress: (p: number) => void) => {
      sent.push({ form, progress })
      progress(0.4)
      progress(1)
      return Promise.resolve(answer)
    }),
  }
})

const file = (name: string, body = 'x') => new File([body], name)

const REPORT: ImportReport = {
  dry_run: true,
  written: false,
  sources: [{ file: 'parcels.shp', format: 'ESRI Shapefile', crs: 'EPSG:4490', sha256: 'a'.repeat(64), encoding: 'GBK', notes: ['encoding from .cpg'] }],
  problems: [
    { file: 'parcels.shp', row: 3, field: 'code', value: '4110', reason: 'a parcel code has 19 characters', reason_zh: '宗地代码应为19位' },
    { file: 'parcels.shp', row: null, field: 'geometry', value: null, reason: 'ring not closed', reason_zh: '环未闭合' },
  ],
  rows: 12,
  created: 0,
  updated: 0,
}

afterEach(() => {
  sent.length = 0
  document.body.innerHTML = ''
})

describe('import files', () => {
  it('takes the known formats, refuses others and names the missing Shapefile parts', () => {
    const r = pickFiles([], [file('a.shp'), file('a.dbf'), file('b.gpkg'), file('notes.docx'), file('a.shp.xml')])
    expect(r.files.map((f) => f.name).sort()).toEqual(['a.dbf', 'a.shp', 'a.shp.xml', 'b.gpkg'])
    expect(r.rejected).toEqual(['notes.docx'])
    expect(r.shapefiles).toEqual([{ name: 'a', parts: ['dbf', 'shp', 'xml'], missing: ['shx'], noPrj: true }])
    const full = pickFiles(r.files, [file('a.shx'), file('a.prj'), file('A.DBF')])
    expect(full.shapefiles.find((s) => s.name === 'a')?.missing).toEqual([])
    expect(extOf('x.FGB')).toBe('fgb')
  })

  it('replaces a file dropped again under the same name', () => {
    const r = pickFiles([file('p.csv', 'old')], [file('p.csv', 'newer')])
    expect(r.files).toHaveLength(1)
    expect(r.files[0].size).toBe(5)
  })

  it('words each problem in the reader language, for the table and the Excel sheet', () => {
    expect(problemRow(REPORT.problems[0], 'zh-CN').reason).toBe('宗地代码应为19位')
    expect(problemRow(REPORT.problems[0], 'en').reason).toBe('a parcel code has 19 characters')
    const t = problemTable(REPORT.problems, 'en', ['File', 'Row', 'Field', 'Value', 'Reason'])
    expect(t.columns).toEqual(['File', 'Row', 'Field', 'Value', 'Reason'])
    expect(t.rows[1]).toEqual(['parcels.shp', null, 'geometry', '', 'ring not closed'])
  })
})

describe('the import screen', () => {
  async function screen(locale: 'zh-CN' | 'en' = 'zh-CN') {
    const { default: ImportView } = await import('../../src/views/ImportView.vue')
    const { w } = await mountScreen(ImportView, { locale })
    const input = w.find('[data-test=import-file]')
    Object.defineProperty(input.element, 'files', { value: [file('parcels.shp'), file('parcels.shx'), file('parcels.dbf'), file('parcels.prj')] })
    await input.trigger('change')
    await flushPromises()
    return w
  }

  it('sends the files and options, shows the progress and the report with its error table', async () => {
    answer = { ok: true, status: 422, report: REPORT }
    const w = await screen()
    expect(w.findAll('[data-test=import-files] li')).toHaveLength(4)
    await field(w, 'import-crs').setValue('EPSG:4490')
    await w.find('[data-test=import-submit]').trigger('click')
    await until(() => w.find('[data-test=import-report]').exists())
    const form = sent[0].form
    expect(form.getAll('file').map((f) => (f as File).name)).toEqual(['parcels.shp', 'parcels.shx', 'parcels.dbf', 'parcels.prj'])
    expect(form.get('kind')).toBe('parcels')
    expect(form.get('crs')).toBe('EPSG:4490')
    expect(form.get('dry_run')).toBe('true')
    expect(w.find('[data-test=import-progress]').attributes('aria-valuenow')).toBe('100')
    expect(w.find('[data-test=import-report]').attributes('data-verdict')).toBe('problems')
    const table = w.find('[data-test=import-problems]').text()
    expect(table).toContain('宗地代码应为19位')
    expect(table).toContain('环未闭合')
    expect(w.find('[data-test=import-sources]').text()).toContain('GBK')
    expect(w.find('[data-test=import-errors-xlsx]').exists()).toBe(true)
  })

  it('shows the English reason in English', async () => {
    answer = { ok: true, status: 422, report: REPORT }
    const w = await screen('en')
    await w.find('[data-test=import-submit]').trigger('click')
    await until(() => w.find('[data-test=import-problems]').exists())
    expect(w.find('[data-test=import-problems]').text()).toContain('a parcel code has 19 characters')
  })

  it('asks a reason before writing, and shows a refusal as the server words it', async () => {
    const w = await screen()
    await w.find('[data-test=import-dry-run]').trigger('click')
    await w.find('[data-test=import-submit]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=import-error]').text()).toContain('写入须填写原因')
    expect(sent).toHaveLength(0)
    answer = { ok: false, status: 413, problem: { title: 'Payload Too Large', detail: 'the upload exceeds 256 MiB' } }
    await field(w, 'import-reason').setValue('2024年变更调查成果')
    await w.find('[data-test=import-submit]').trigger('click')
    await until(() => w.find('[data-test=import-error]').text().includes('文件过大'))
    expect(w.find('[data-test=import-error]').text()).toContain('the upload exceeds 256 MiB')
    expect(sent[0].form.get('dry_run')).toBe('false')
    expect(sent[0].form.get('reason')).toBe('2024年变更调查成果')
  })

  it('will not send a Shapefile without its .shx', async () => {
    const { default: ImportView } = await import('../../src/views/ImportView.vue')
    const { w } = await mountScreen(ImportView)
    const input = w.find('[data-test=import-file]')
    Object.defineProperty(input.element, 'files', { value: [file('a.shp'), file('a.dbf')] })
    await input.trigger('change')
    await flushPromises()
    expect(w.find('[data-test=import-shp-missing]').text()).toContain('.shx')
    expect(w.find('[data-test=import-submit]').attributes('disabled')).toBeDefined()
  })
})
