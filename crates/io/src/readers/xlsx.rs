//! Excel `.xlsx` sheets (calamine): the first non-empty row is the header row, row numbers are
//! the sheet's own (the header being row 1 when the sheet starts at A1).

use super::{ReadOptions, file_name};
use crate::error::{IoError, IoResult};
use crate::table::{Fields, RawRow, RawValue, Table};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;
use std::sync::Arc;

/// Reads the first sheet (or `opts.layer`, a sheet name) of an `.xlsx` file.
pub fn read(path: &Path, opts: &ReadOptions) -> IoResult<Table> {
    let file = file_name(path);
    let err = |e: String| {
        IoError::format(
            &file,
            format!("not a readable .xlsx: {e}"),
            format!("Excel文件读取失败：{e}"),
        )
    };
    let mut book: Xlsx<_> =
        open_workbook(path).map_err(|e: calamine::XlsxError| err(e.to_string()))?;
    let names = book.sheet_names();
    let sheet = match &opts.layer {
        Some(s) if names.contains(s) => s.clone(),
        Some(s) => {
            return Err(err(format!(
                "no sheet `{s}` (sheets: {})",
                names.join(", ")
            )));
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| err("no sheet".to_owned()))?,
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| err(e.to_string()))?;
    let mut table = Table::new(&file, "xlsx");
    table.notes.push(format!("sheet `{sheet}` / 工作表"));
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows().enumerate();
    let Some((header_index, header)) =
        rows.find(|(_, r)| r.iter().any(|c| !matches!(c, Data::Empty)))
    else {
        return Err(IoError::format(&file, "the sheet is empty", "工作表为空"));
    };
    let headers: Vec<Option<Arc<str>>> = header
        .iter()
        .map(|c| match c {
            Data::Empty => None,
            other => Some(Arc::from(other.to_string().trim())),
        })
        .collect();
    table.headers = headers.iter().flatten().map(|h| h.to_string()).collect();
    table.header_row = Some(first_row as usize + header_index + 1);
    for (i, cells) in rows {
        if cells.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let mut fields = Fields::with_capacity(table.headers.len());
        for (h, c) in headers.iter().zip(cells) {
            if let Some(h) = h {
                fields.insert(Arc::clone(h), value(c));
            }
        }
        table.rows.push(RawRow {
            row: first_row as usize + i + 1,
            fields,
            geometry: None,
        });
    }
    Ok(table)
}

fn value(c: &Data) -> RawValue {
    match c {
        Data::Empty | Data::Error(_) => RawValue::Null,
        Data::Int(n) => RawValue::Number(*n as f64),
        Data::Float(x) => RawValue::Number(*x),
        Data::Bool(b) => RawValue::Bool(*b),
        Data::String(s) => RawValue::Text(s.clone()),
        other => RawValue::Text(other.to_string()),
    }
}
