// Writes a table to an .xlsx file in the browser. exceljs is loaded only when asked for.

export interface Table {
  columns: string[]
  rows: (string | number | null)[][]
}

export async function workbookBytes(sheet: string, table: Table): Promise<ArrayBuffer> {
  const ExcelJS = (await import('exceljs')).default
  const wb = new ExcelJS.Workbook()
  wb.creator = 'landcycle'
  const ws = wb.addWorksheet(sheet.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '))
  ws.addRow(table.columns).font = { bold: true }
  for (const r of table.rows) ws.addRow(r)
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  table.columns.forEach((c, i) => {
    const width = Math.max(c.length * 2, ...table.rows.map((r) => String(r[i] ?? '').length + 2))
    ws.getColumn(i + 1).width = Math.min(40, Math.max(10, width))
  })
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer
}

export function saveBytes(name: string, bytes: ArrayBuffer | string, type: string) {
  const url = URL.createObjectURL(new Blob([bytes], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

export async function exportXlsx(name: string, table: Table) {
  const bytes = await workbookBytes(name, table)
  saveBytes(`${name}.xlsx`, bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
}
