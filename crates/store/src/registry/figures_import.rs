//! Importing department figures (税收, 产值, 用电量, 从业人员 per 统一社会信用代码 and year), all
//! or nothing: every row is checked first, every problem is reported by file, row, field, value
//! and reason, and a clean import is one transaction. A re-import of an enterprise-year replaces
//! the figures the file carries and keeps the old values in the enterprise's history (one event
//! per enterprise-year with `before` and `after`).

use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::StoreResult;
use crate::model::Change;
use crate::registry::{ImportProblem, ImportSource};
use landcycle_domain::figures::AnnualFigures;
use landcycle_domain::{ChangeKind, EntityKind, Uscc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One row of a department file, units already converted (元, kWh, 人). A figure that is
/// `None` was not in the file (or blank): the stored value of that enterprise-year is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct FiguresRow {
    /// 1-based row number in the file, as a user counts it.
    pub row: usize,
    /// 统一社会信用代码 as found (checked by the registry).
    pub uscc: String,
    /// Year the figures cover.
    pub year: i16,
    /// 税收 in 元.
    pub tax_yuan: Option<Decimal>,
    /// 产值 in 元.
    pub output_yuan: Option<Decimal>,
    /// 用电量 in kWh.
    pub electricity_kwh: Option<Decimal>,
    /// 从业人员.
    pub employees: Option<u32>,
}

/// What a figures import did or would do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FiguresReport {
    /// The source.
    pub source: ImportSource,
    /// Rows read.
    pub rows: usize,
    /// Every problem found; when not empty nothing was written.
    pub problems: Vec<ImportProblem>,
    /// Enterprise-years new to the store.
    pub created: usize,
    /// Enterprise-years that replaced stored figures (old values kept in history).
    pub replaced: usize,
    /// True when the figures were written.
    pub written: bool,
}

fn record(f: &AnnualFigures) -> serde_json::Value {
    serde_json::to_value(f).unwrap_or(serde_json::Value::Null)
}

impl<S: Store + ?Sized> Registry<S> {
    /// Checks every row (valid 统一社会信用代码, registered enterprise, year, no negative figure,
    /// no enterprise-year twice, 税收 present for a new enterprise-year) and, if none has a
    /// problem and this is not a dry run, writes all of them in one transaction.
    pub fn import_figures(
        &self,
        rows: Vec<FiguresRow>,
        source: ImportSource,
        meta: &WriteMeta,
        dry_run: bool,
    ) -> StoreResult<FiguresReport> {
        let file = source.file.clone();
        let problem =
            |row: usize, field: &str, value: Option<String>, en: &str, zh: &str| ImportProblem {
                file: file.clone(),
                row: Some(row),
                field: field.to_owned(),
                value,
                reason: en.to_owned(),
                reason_zh: zh.to_owned(),
            };
        let n = rows.len();
        let mut problems = Vec::new();
        let mut seen: BTreeMap<(String, i16), usize> = BTreeMap::new();
        let mut ready: Vec<(usize, Option<AnnualFigures>, AnnualFigures)> = Vec::new();
        let mut batch = Batch::new(meta)?;
        for r in rows {
            let uscc = match Uscc::parse(&r.uscc) {
                Ok(u) => u,
                Err(e) => {
                    let reason = e.field_errors().first().map_or_else(
                        || {
                            (
                                "invalid 统一社会信用代码".to_owned(),
                                "统一社会信用代码无效".to_owned(),
                            )
                        },
                        |f| (f.reason.clone(), f.reason_zh.clone()),
                    );
                    problems.push(problem(r.row, "uscc", Some(r.uscc), &reason.0, &reason.1));
                    continue;
                }
            };
            if let Some(first) = seen.insert((uscc.as_str().to_owned(), r.year), r.row) {
                problems.push(problem(
                    r.row,
                    "uscc",
                    Some(r.uscc.clone()),
                    &format!("enterprise and year {} also in row {first}", r.year),
                    &format!("同一企业{}年度数据与第{first}行重复", r.year),
                ));
                continue;
            }
            if self.store().enterprise(&uscc)?.is_none() {
                problems.push(problem(
                    r.row,
                    "uscc",
                    Some(r.uscc.clone()),
                    "enterprise not registered; register it first",
                    "该企业尚未登记，请先登记企业",
                ));
                continue;
            }
            let old = self
                .store()
                .figures(&uscc)?
                .into_iter()
                .find(|f| f.year == r.year);
            let Some(tax) = r.tax_yuan.or(old.as_ref().map(|o| o.tax_yuan)) else {
                problems.push(problem(
                    r.row,
                    "tax_yuan",
                    None,
                    "税收 is required for an enterprise-year not yet stored",
                    "该企业该年度尚无数据，税收不能为空",
                ));
                continue;
            };
            let keep = |new: Option<Decimal>, f: fn(&AnnualFigures) -> Option<Decimal>| {
                new.or_else(|| old.as_ref().and_then(f))
            };
            let made = AnnualFigures::new(
                uscc.as_str(),
                r.year,
                tax,
                keep(r.output_yuan, |o| o.output_yuan),
                keep(r.electricity_kwh, |o| o.electricity_kwh),
                r.employees
                    .or_else(|| old.as_ref().and_then(|o| o.employees)),
            );
            match made {
                Ok(f) => ready.push((r.row, old, f)),
                Err(e) => problems.extend(e.field_errors().iter().map(|fe| {
                    problem(
                        r.row,
                        &fe.field,
                        fe.value.clone(),
                        &fe.reason,
                        &fe.reason_zh,
                    )
                })),
            }
        }
        problems.sort_by(|a, b| (a.row, &a.field).cmp(&(b.row, &b.field)));
        let replaced = ready.iter().filter(|(_, o, _)| o.is_some()).count();
        let mut report = FiguresReport {
            source: source.clone(),
            rows: n,
            problems,
            created: ready.len() - replaced,
            replaced,
            written: false,
        };
        if !report.problems.is_empty() || dry_run {
            return Ok(report);
        }
        let reference = format!("{} sha256:{}", source.file, source.sha256);
        for (row, old, f) in ready {
            if old.as_ref() == Some(&f) {
                continue;
            }
            let mut after = record(&f);
            if let serde_json::Value::Object(m) = &mut after {
                m.insert(
                    "import".into(),
                    serde_json::json!({"file": source.file, "row": row, "sha256": source.sha256}),
                );
            }
            let kind = if old.is_some() {
                ChangeKind::Update
            } else {
                ChangeKind::Create
            };
            batch.event(
                EntityKind::Enterprise,
                f.uscc.as_str().to_owned(),
                kind,
                old.as_ref().map(record),
                Some(after),
                vec![reference.clone()],
            );
            batch.push(Change::PutFigures(Box::new(f)));
        }
        batch.commit(self.store())?;
        report.written = true;
        Ok(report)
    }
}
