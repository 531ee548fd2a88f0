//! CSV files: UTF-8 (with or without BOM) or GBK, detected from the bytes unless given.

use super::{ReadOptions, file_name, read_bytes};
use crate::encoding;
use crate::error::{IoError, IoResult};
use crate::table::{Fields, RawRow, RawValue, Table};
use std::path::Path;
use std::sync::Arc;

/// Reads a CSV file whose first line is the header.
pub fn read(path: &Path, opts: &ReadOptions) -> IoResult<Table> {
    let file = file_name(path);
    let bytes = read_bytes(path)?;
    let mut table = Table::new(&file, "csv");
    let (body, chosen) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (
            rest,
            encoding::Chosen {
                encoding: encoding_rs::UTF_8,
                note: "UTF-8: byte-order mark / 文件带UTF-8 BOM".to_owned(),
            },
        ),
        None => {
            let user = encoding::user_choice(opts.encoding.as_deref())
                .map_err(|e| IoError::format(&file, e, "未知的字符编码"))?;
            (
                bytes.as_slice(),
                user.unwrap_or_else(|| encoding::detect(&bytes, "the file")),
            )
        }
    };
    let (text, _) = chosen.encoding.decode_without_bom_handling(body);
    table.encoding_note = Some(chosen.note);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let err = |e: csv::Error| {
        IoError::format(&file, format!("bad CSV: {e}"), format!("CSV格式错误：{e}"))
    };
    table.headers = reader
        .headers()
        .map_err(err)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    table.header_row = Some(1);
    let names = table.shared_headers();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(err)?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let fields: Fields = names
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| {
                let v = v.trim();
                (
                    Arc::clone(h),
                    if v.is_empty() {
                        RawValue::Null
                    } else {
                        RawValue::Text(v.to_owned())
                    },
                )
            })
            .collect();
        table.rows.push(RawRow {
            row: i + 2,
            fields,
            geometry: None,
        });
    }
    Ok(table)
}
