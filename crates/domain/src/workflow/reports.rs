//! 季度进展报告 — the quarterly progress reports the plan asks for (四、保障措施: 每季度末报送)
//! on its tasks and on 一地一策 disposal plans and cases: who, when, the quarter, the text and
//! the attachments. A report is kept as sent; a correction is a new report.

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
