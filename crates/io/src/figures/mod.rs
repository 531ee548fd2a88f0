//! Department data in: yearly figures by 统一社会信用代码 (税收, 产值, 用电量, 从业人员) from Excel
//! `.xlsx` or CSV with Chinese headers, units taken from the headers and converted exactly, every
//! problem reported by file, row, field, value and reason. The rows go to
//! [`landcycle_store::Registry::import_figures`], which checks codes and enterprises and writes
//! all or nothing.

pub mod headers;

use crate::readers::{ReadOptions, file_name, read_table};
use crate::table::{RawRow, RawValue};
use headers::{Column, FigureField, classify};
use landcycle_store::{FiguresRow, ImportProblem, ImportSource};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

/// A department file read as far as it could be.
#[derive(Debug, Clone)]
pub struct FiguresOutcome {
    /// The source, for the report and the history.
    pub source: ImportSource,
    /// Rows that converted.
    pub rows: Vec<FiguresRow>,
    /// Rows read in total.
    pub total: usize,
    /// Every problem found while reading (file-level ones have no row).
    pub problems: Vec<ImportProblem>,
}

fn file_problem(file: &str, field: &str, en: String, zh: String) -> ImportProblem {
    ImportProblem {
        file: file.to_owned(),
        row: None,
        field: field.to_owned(),
        value: None,
        reason: en,
        reason_zh: zh,
    }
}

/// Reads a department file (`.xlsx` or `.csv`) of yearly figures.
pub fn read_figures(path: &Path, opts: &ReadOptions) -> FiguresOutcome {
    let file = file_name(path);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut out = FiguresOutcome {
        source: ImportSource {
            file: file.clone(),
            sha256: String::new(),
            format: ext.clone(),
            crs: String::new(),
            encoding: None,
            notes: vec![],
        },
        rows: vec![],
        total: 0,
        problems: vec![],
    };
    if ext != "xlsx" && ext != "csv" {
        out.problems.push(file_problem(
            &file,
            "file",
            "department figures are read from .xlsx or .csv".into(),
            "部门数据须为 .xlsx 或 .csv 文件".into(),
        ));
        return out;
    }
    match std::fs::read(path) {
        Ok(bytes) => out.source.sha256 = hex::encode(Sha256::digest(&bytes)),
        Err(e) => {
            out.problems.push(file_problem(
                &file,
                "file",
                format!("cannot read: {e}"),
                format!("无法读取文件：{e}"),
            ));
            return out;
        }
    }
    let table = match read_table(path, opts) {
        Ok(t) => t,
        Err(e) => {
            out.problems.push(e.to_problem(&file));
            return out;
        }
    };
    out.source.format.clone_from(&table.format);
    out.source.encoding.clone_from(&table.encoding_note);
    out.source.notes.extend(table.notes.iter().cloned());
    let mut cols: BTreeMap<String, Column> = BTreeMap::new();
    let mut by_field: BTreeMap<FigureField, String> = BTreeMap::new();
    for h in &table.headers {
        match classify(h) {
            None => out
                .source
                .notes
                .push(format!("column `{h}` ignored / 列“{h}”未导入")),
            Some(Err((en, zh))) => out.problems.push(file_problem(&file, h, en, zh)),
            Some(Ok(c)) => {
                if let Some(first) = by_field.insert(c.field, h.clone()) {
                    out.problems.push(file_problem(
                        &file,
                        c.field.as_str(),
                        format!("columns `{first}` and `{h}` both hold {}", c.field.as_str()),
                        format!("列“{first}”与“{h}”含义重复"),
                    ));
                }
                if c.unit_assumed {
                    out.source.notes.push(format!(
                        "column `{h}` names no unit, read as 元 / kWh / 列“{h}”未注明单位，按元或千瓦时读取"
                    ));
                }
                cols.insert(h.clone(), c);
            }
        }
    }
    for (field, en, zh) in [
        (FigureField::Uscc, "统一社会信用代码", "统一社会信用代码"),
        (FigureField::Year, "年度/年份", "年度（或年份）"),
    ] {
        if !by_field.contains_key(&field) {
            out.problems.push(file_problem(
                &file,
                field.as_str(),
                format!("the file has no {en} column; nothing can be imported"),
                format!("文件缺少{zh}列，无法导入"),
            ));
        }
    }
    out.source.notes.push(format!(
        "columns / 列: {}",
        cols.iter()
            .map(|(h, c)| format!("{h} → {} ×{}", c.field.as_str(), c.scale))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.total = table.rows.len();
    if out.problems.is_empty() {
        for raw in &table.rows {
            match convert(&file, raw, &cols) {
                Ok(r) => out.rows.push(r),
                Err(ps) => out.problems.extend(ps),
            }
        }
    }
    out
}

fn number(v: &RawValue) -> Option<Result<Decimal, String>> {
    let t = v.as_text()?;
    let clean: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .collect();
    Some(
        Decimal::from_str(&clean)
            .or_else(|_| Decimal::from_scientific(&clean))
            .map_err(|_| t),
    )
}

/// One row to a [`FiguresRow`], or every problem of the row.
fn convert(
    file: &str,
    raw: &RawRow,
    cols: &BTreeMap<String, Column>,
) -> Result<FiguresRow, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut bad = |field: FigureField, value: Option<String>, en: &str, zh: &str| {
        problems.push(ImportProblem {
            file: file.to_owned(),
            row: Some(raw.row),
            field: field.as_str().to_owned(),
            value,
            reason: en.to_owned(),
            reason_zh: zh.to_owned(),
        });
    };
    let mut row = FiguresRow {
        row: raw.row,
        uscc: String::new(),
        year: 0,
        tax_yuan: None,
        output_yuan: None,
        electricity_kwh: None,
        employees: None,
    };
    let mut year_seen = false;
    for (h, c) in cols {
        let v = raw.fields.get(h).unwrap_or(&RawValue::Null);
        match c.field {
            FigureField::Name => {}
            FigureField::Uscc => match v.as_text() {
                Some(t) => row.uscc = t.to_uppercase(),
                None => bad(
                    c.field,
                    None,
                    "统一社会信用代码 is empty",
                    "统一社会信用代码为空",
                ),
            },
            FigureField::Year => {
                year_seen = true;
                let t = v.as_text();
                match t
                    .as_deref()
                    .map(|s| s.trim_end_matches('年').parse::<i16>())
                {
                    Some(Ok(y)) => row.year = y,
                    _ => bad(
                        c.field,
                        t,
                        "year must be a whole number like 2024",
                        "年度应为如2024的整数",
                    ),
                }
            }
            FigureField::Tax | FigureField::Output | FigureField::Electricity => {
                let slot = match c.field {
                    FigureField::Tax => &mut row.tax_yuan,
                    FigureField::Output => &mut row.output_yuan,
                    _ => &mut row.electricity_kwh,
                };
                match number(v) {
                    None => {}
                    Some(Ok(d)) => *slot = Some(d * c.scale),
                    Some(Err(t)) => bad(c.field, Some(t), "not a number", "不是有效数字"),
                }
            }
            FigureField::Employees => match number(v) {
                None => {}
                Some(Ok(d)) => {
                    match u32::try_from(d * c.scale)
                        .ok()
                        .filter(|_| d.fract().is_zero())
                    {
                        Some(n) => row.employees = Some(n),
                        None => bad(
                            c.field,
                            Some(d.to_string()),
                            "must be a whole number, not negative",
                            "从业人员应为非负整数",
                        ),
                    }
                }
                Some(Err(t)) => bad(c.field, Some(t), "not a number", "不是有效数字"),
            },
        }
    }
    if !year_seen {
        bad(FigureField::Year, None, "year is missing", "缺少年度");
    }
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}
