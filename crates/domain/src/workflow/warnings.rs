//! 预警中心 — warnings over every dated obligation (case deadlines, contract checkpoints, plan
//! task milestones, quarterly reports, 督办 deadlines): T−30 (提示), T−7 (预警), overdue (逾期)
//! [PROPOSED-DEFAULT, §8.3 "Automatic alerts"]. Pure: the caller gathers [`DueItem`]s.

use crate::park::ParkId;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Days before a due day that a notice starts (T−30).
pub const NOTICE_DAYS: i64 = 30;
/// Days before a due day that a warning starts (T−7).
pub const WARNING_DAYS: i64 = 7;

/// Warning level.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    /// T−30 … T−8: 提示.
    Notice,
    /// T−7 … T: 预警.
    Warning,
    /// Past due: 逾期.
    Overdue,
}

impl WarningLevel {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Notice => "提示",
            Self::Warning => "预警",
            Self::Overdue => "逾期",
        }
    }
}

/// Kind of obligation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// A case status deadline (statutory time limit).
    CaseDeadline,
    /// A contract checkpoint.
    Checkpoint,
    /// A plan task milestone.
    TaskMilestone,
    /// A quarterly progress report.
    ProgressReport,
    /// A 挂牌督办 deadline.
    Supervision,
}

/// Something due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DueItem {
    /// Kind.
    pub kind: DueKind,
    /// The record it belongs to (case, project, task …).
    pub subject_id: String,
    /// The park, when it belongs to one (None = city-level).
    #[schema(value_type = Option<String>)]
    pub park_id: Option<ParkId>,
    /// What is due, in Chinese.
    pub title_zh: String,
    /// Due day.
    #[schema(value_type = String, format = Date)]
    pub due: Date,
    /// Where the date comes from.
    pub rule_ref: String,
}

/// A warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Warning {
    /// The item.
    pub item: DueItem,
    /// Level.
    pub level: WarningLevel,
    /// Days left (negative = days overdue).
    pub days_left: i64,
}

/// The level of an item due on `due`, seen on `t`; None when more than 30 days ahead.
pub fn level(due: Date, t: Date) -> Option<(WarningLevel, i64)> {
    let days = i64::from(t.until((jiff::Unit::Day, due)).ok()?.get_days());
    match days {
        d if d < 0 => Some((WarningLevel::Overdue, d)),
        d if d <= WARNING_DAYS => Some((WarningLevel::Warning, d)),
        d if d <= NOTICE_DAYS => Some((WarningLevel::Notice, d)),
        _ => None,
    }
}

/// Warnings of `items` on `t`, most urgent first (overdue, then by due day, then id).
pub fn warnings(items: impl IntoIterator<Item = DueItem>, t: Date) -> Vec<Warning> {
    let mut out: Vec<Warning> = items
        .into_iter()
        .filter_map(|item| {
            level(item.due, t).map(|(level, days_left)| Warning {
                item,
                level,
                days_left,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(a.item.due.cmp(&b.item.due))
            .then(a.item.subject_id.cmp(&b.item.subject_id))
            .then(a.item.title_zh.cmp(&b.item.title_zh))
    });
    out
}

fn ics_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(ch);
        len += n;
    }
    out.push_str("\r\n");
    out
}

/// The warnings as an iCalendar feed (RFC 5545): one all-day VEVENT per item on its due day,
/// with a stable UID so calendar clients update rather than duplicate. `stamp` is the
/// DTSTAMP (UTC, `YYYYMMDDTHHMMSSZ`), given by the caller to keep this pure.
pub fn to_ics(ws: &[Warning], stamp: &str) -> String {
    let mut s = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//landcycle//warnings//ZH\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:landcycle 预警\r\n",
    );
    for w in ws {
        let day = w.item.due.strftime("%Y%m%d").to_string();
        let next = w
            .item
            .due
            .tomorrow()
            .map(|d| d.strftime("%Y%m%d").to_string())
            .unwrap_or_else(|_| day.clone());
        let uid = format!(
            "{:?}-{}-{}-{day}@landcycle",
            w.item.kind,
            w.item.subject_id,
            w.item.title_zh.len()
        );
        s.push_str("BEGIN:VEVENT\r\n");
        s.push_str(&fold(&format!("UID:{}", ics_escape(&uid))));
        s.push_str(&format!("DTSTAMP:{stamp}\r\n"));
        s.push_str(&format!(
            "DTSTART;VALUE=DATE:{day}\r\nDTEND;VALUE=DATE:{next}\r\n"
        ));
        s.push_str(&fold(&format!(
            "SUMMARY:[{}] {}",
            w.level.label_zh(),
            ics_escape(&w.item.title_zh)
        )));
        s.push_str(&fold(&format!(
            "DESCRIPTION:{}",
            ics_escape(&format!("{} · {}", w.item.subject_id, w.item.rule_ref))
        )));
        s.push_str("END:VEVENT\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}
