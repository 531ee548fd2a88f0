//! 季度进展报告 — the quarterly progress reports the plan asks for (四、保障措施: 每季度末报送)
//! on its tasks and on 一地一策 disposal plans and cases: who, when, the quarter, the text and
//! the attachments. A report is kept as sent; a correction is a new report. A land user under a
//! 履约监管协议 owes one each quarter from the quarter it signed until the term ends
//! ([`quarters_owed`]); one not filed shows in the warnings centre.

use crate::error::{DomainError, DomainResult, FieldError};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportSubject {
    /// One of the plan's tasks (or a task the city added).
    Task,
    /// 一地一策 disposal plan.
    DisposalPlan,
    /// 处置案件.
    Case,
    /// A 标准地 project under its 履约监管协议 (the land user reports each quarter).
    Project,
}

/// One quarterly progress report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuarterlyReport {
    /// Report id.
    pub id: String,
    /// Subject kind.
    pub subject: ReportSubject,
    /// Subject id (task number, plan id, case number).
    pub subject_id: String,
    /// Year of the quarter.
    pub year: i16,
    /// Quarter 1–4.
    pub quarter: i8,
    /// Reporting unit.
    pub unit: String,
    /// Who sent it (user name).
    pub submitted_by: String,
    /// Day sent.
    #[schema(value_type = String, format = Date)]
    pub submitted_on: Date,
    /// Progress text.
    pub text: String,
    /// Attachments by sha256.
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl QuarterlyReport {
    /// Checks quarter 1–4, a unit and a text, and that the report is not sent before its
    /// quarter begins.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errs = Vec::new();
        if !(1..=4).contains(&self.quarter) {
            errs.push(FieldError::new(
                "quarter",
                Some(&self.quarter.to_string()),
                "a quarter is 1–4",
                "季度应为1—4",
            ));
        } else if let Ok(start) = Date::new(self.year, (self.quarter - 1) * 3 + 1, 1)
            && self.submitted_on < start
        {
            errs.push(FieldError::new(
                "submitted_on",
                Some(&self.submitted_on.to_string()),
                format!(
                    "a report on {}Q{} cannot be sent before {start}",
                    self.year, self.quarter
                ),
                format!(
                    "{}年第{}季度报告不得早于{start}报送",
                    self.year, self.quarter
                ),
            ));
        }
        for (f, v) in [("unit", &self.unit), ("text", &self.text)] {
            if v.trim().is_empty() {
                errs.push(FieldError::new(f, Some(""), "required", "必填"));
            }
        }
        for (i, a) in self.attachments.iter().enumerate() {
            if a.len() != 64 || !a.bytes().all(|b| b.is_ascii_hexdigit()) {
                errs.push(FieldError::new(
                    format!("attachments[{i}]"),
                    Some(a),
                    "an attachment is named by its sha256",
                    "附件应以sha256标识",
                ));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }
}

/// The last day of quarter `q` (1–4) of `year`: the day its report is due (每季度末报送).
pub fn quarter_end(year: i16, q: i8) -> Option<Date> {
    let first_of_next = if q == 4 {
        Date::new(year.checked_add(1)?, 1, 1)
    } else {
        Date::new(year, q * 3 + 1, 1)
    };
    first_of_next.ok()?.yesterday().ok()
}

/// The quarter holding `d`: (year, 1–4).
pub fn quarter_of(d: Date) -> (i16, i8) {
    (d.year(), (d.month() - 1) / 3 + 1)
}

/// The quarters a land user owes a report on, with their due days: from the quarter of
/// `signed_on` through the quarter holding `until` (the term's end), less those in `filed`.
pub fn quarters_owed(
    signed_on: Date,
    until: Date,
    filed: &std::collections::BTreeSet<(i16, i8)>,
) -> Vec<(i16, i8, Date)> {
    let mut out = Vec::new();
    let (mut y, mut q) = quarter_of(signed_on);
    let last = quarter_of(until);
    while (y, q) <= last {
        if !filed.contains(&(y, q))
            && let Some(due) = quarter_end(y, q)
        {
            out.push((y, q, due));
        }
        (y, q) = if q == 4 { (y + 1, 1) } else { (y, q + 1) };
    }
    out
}
