//! The plan's 27 tasks (二、主要任务): lead and co-operating units (the first unit listed leads,
//! "排首位的为牵头单位"), dated milestones, quarterly progress reports (每季度末报送, 四、保障措施)
//! and overdue status. The facts come from `xuchang-pilot.toml` (copied into the demo crate).

use crate::error::{DomainError, DomainResult, FieldError};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A dated milestone of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Milestone {
    /// Due day.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// What must be done.
    pub what: String,
    /// Done on.
    #[schema(value_type = Option<String>, format = Date)]
    pub done_on: Option<Date>,
}

/// One quarterly progress report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgressReport {
    /// Task number.
    pub task_no: u32,
    /// Year of the quarter.
    pub year: i16,
    /// Quarter 1–4.
    pub quarter: i8,
    /// Submitting unit.
    pub unit: String,
    /// Submitted on.
    #[schema(value_type = String, format = Date)]
    pub submitted_on: Date,
    /// Progress text.
    pub text: String,
}

/// One plan task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanTask {
    /// Number 1–27.
    pub no: u32,
    /// Title.
    pub title: String,
    /// 牵头单位.
    pub lead_unit: String,
    /// 配合单位.
    pub co_units: Vec<String>,
    /// Milestones, in date order.
    pub milestones: Vec<Milestone>,
}

/// Status of a task on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Every milestone done.
    Done,
    /// Open, no milestone past due.
    OnTrack,
    /// A milestone is past due and not done.
    Overdue,
}

/// The last day of a quarter.
pub fn quarter_end(year: i16, quarter: i8) -> Option<Date> {
    let month = quarter.checked_mul(3)?;
    let first = Date::new(year, month, 1).ok()?;
    first.last_of_month().into()
}

/// The quarter a day falls in.
pub fn quarter_of(d: Date) -> (i16, i8) {
    (d.year(), (d.month() - 1) / 3 + 1)
}

impl PlanTask {
    /// A task from the plan's unit list (first = lead) and milestones; checks 1 ≤ no, a title,
    /// at least one unit and one milestone.
    pub fn from_units(
        no: u32,
        title: &str,
        units: &[String],
        milestones: Vec<Milestone>,
    ) -> DomainResult<Self> {
        let mut errs = Vec::new();
        if no == 0 {
            errs.push(FieldError::new(
                "no",
                Some("0"),
                "task numbers start at 1",
                "任务编号从1开始",
            ));
        }
        if title.trim().is_empty() {
            errs.push(FieldError::new(
                "title",
                Some(""),
                "required",
                "须填写任务名称",
            ));
        }
        if units.is_empty() {
            errs.push(FieldError::new(
                "units",
                None,
                "a task needs a lead unit",
                "须有牵头单位",
            ));
        }
        if milestones.is_empty() {
            errs.push(FieldError::new(
                "milestones",
                None,
                "a task needs a deadline",
                "须有完成时限",
            ));
        }
        if !errs.is_empty() {
            return Err(DomainError::Invalid(errs));
        }
        let mut milestones = milestones;
        milestones.sort_by_key(|m| m.date);
        Ok(Self {
            no,
            title: title.into(),
            lead_unit: units[0].clone(),
            co_units: units[1..].to_vec(),
            milestones,
        })
    }

    /// Status on `t`.
    pub fn status(&self, t: Date) -> TaskStatus {
        if self.milestones.iter().all(|m| m.done_on.is_some()) {
            TaskStatus::Done
        } else if self
            .milestones
            .iter()
            .any(|m| m.done_on.is_none() && m.date < t)
        {
            TaskStatus::Overdue
        } else {
            TaskStatus::OnTrack
        }
    }

    /// The next open milestone.
    pub fn next_open(&self) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.done_on.is_none())
    }

    /// The last milestone's day: reports are due each quarter until then.
    pub fn final_date(&self) -> Option<Date> {
        self.milestones.last().map(|m| m.date)
    }

    /// Quarters from `from`'s quarter through the quarter before `t`'s (ended quarters) up to
    /// the final milestone's quarter, for which no report was filed — 每季度末报送.
    pub fn missing_reports(
        &self,
        reports: &[ProgressReport],
        from: Date,
        t: Date,
    ) -> Vec<(i16, i8)> {
        let Some(last) = self.final_date() else {
            return vec![];
        };
        let (mut y, mut q) = quarter_of(from);
        let stop = quarter_of(last.min(t));
        let mut out = Vec::new();
        loop {
            let ended = quarter_end(y, q).is_some_and(|e| e < t);
            if !ended || (y, q) > stop {
                break;
            }
            if !reports
                .iter()
                .any(|r| r.task_no == self.no && r.year == y && r.quarter == q)
            {
                out.push((y, q));
            }
            (y, q) = if q == 4 { (y + 1, 1) } else { (y, q + 1) };
        }
        out
    }
}

impl ProgressReport {
    /// Checks a report: quarter 1–4, not filed before its quarter began, a unit and a text.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errs = Vec::new();
        if !(1..=4).contains(&self.quarter) {
            errs.push(FieldError::new(
                "quarter",
                Some(&self.quarter.to_string()),
                "quarter must be 1–4",
                "季度应为1—4",
            ));
        } else if let Some(end) = quarter_end(self.year, self.quarter)
            && let Some(start) = jiff::civil::Date::new(self.year, self.quarter * 3 - 2, 1).ok()
            && self.submitted_on < start
        {
            errs.push(FieldError::new(
                "submitted_on",
                Some(&self.submitted_on.to_string()),
                format!("a report for the quarter ending {end} cannot be filed before it starts"),
                "报送日期早于该季度开始",
            ));
        }
        if self.unit.trim().is_empty() {
            errs.push(FieldError::new(
                "unit",
                Some(""),
                "required",
                "须填写报送单位",
            ));
        }
        if self.text.trim().is_empty() {
            errs.push(FieldError::new(
                "text",
                Some(""),
                "required",
                "须填写进展情况",
            ));
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }
}
