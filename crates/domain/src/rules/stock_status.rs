//! 存量状态 (stock-land status), the §2.5 taxonomy [PROPOSED-DEFAULT, built on the "X而未Y"
//! categories of 批而未供/供而未用/用而不足 in industry practice (§2.1, VERIFIED as usage)].
//!
//! Mutually exclusive, first match wins: `PWG` 批而未供 → `GWY` 供而未用 → `YWJ` 用而未尽 →
//! `JWT` 建而未投 → `TWD` 投而未达 → `NORMAL`. Analytic only: 闲置 (§1) and 低效 (§3) are legal
//! determinations kept as their own findings and cases.

use super::config::ResolvedRules;
use super::dates::add_months;
use super::mu_evaluation::MuClass;
use crate::error::DomainResult;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The stock status of a parcel (存量状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum StockStatus {
    /// 批而未供: inside an approved batch, no supply record.
    Pwg,
    /// 供而未用: supplied, not started.
    Gwy,
    /// 用而未尽 / 用而不足: started, and overdue or under-built.
    Ywj,
    /// 建而未投: completed, not in production after the grace period.
    Jwt,
    /// 投而未达: in production, below targets.
    Twd,
    /// 正常.
    Normal,
}

impl StockStatus {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pwg => "批而未供",
            Self::Gwy => "供而未用",
            Self::Ywj => "用而未尽",
            Self::Jwt => "建而未投",
            Self::Twd => "投而未达",
            Self::Normal => "正常",
        }
    }
}

/// The facts the taxonomy reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockFacts {
    /// Inside an approved batch (批次).
    pub in_approved_batch: bool,
    /// Has a supply record.
    pub supplied: bool,
    /// Started (Art. 29 definition).
    pub started: bool,
    /// Agreed completion date.
    pub agreed_completion: Option<Date>,
    /// Actual completion date.
    pub completed_on: Option<Date>,
    /// Built indicators (容积率, 建筑系数, 投资强度) below the contract.
    pub built_below_contract: bool,
    /// In production (投产).
    pub in_production: bool,
    /// 达产复核 failed.
    pub capacity_review_failed: bool,
    /// Latest 亩均 class.
    pub latest_mu_class: Option<MuClass>,
    /// §1.2 limb A holds (from [`super::idle::assess_idle`]).
    pub idle_type_a: bool,
}

/// The classification with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockClassification {
    /// Status.
    pub status: StockStatus,
    /// `GWY` sub-flag: limb A of the idle rule holds.
    pub idle_candidate: bool,
    /// Why, in Chinese.
    pub reason_zh: String,
}

/// Reads `stock_status.production_grace_months` (12).
pub fn production_grace_months(r: &ResolvedRules) -> DomainResult<i32> {
    r.int("stock_status.production_grace_months")
}

/// Classifies a parcel on `t`.
pub fn classify_stock(f: &StockFacts, t: Date, grace_months: i32) -> StockClassification {
    let out = |status: StockStatus, reason: String| StockClassification {
        status,
        idle_candidate: status == StockStatus::Gwy && f.idle_type_a,
        reason_zh: reason,
    };
    if !f.supplied {
        return if f.in_approved_batch {
            out(StockStatus::Pwg, "已批准用地，尚无供地记录".into())
        } else {
            out(
                StockStatus::Normal,
                "未纳入批次且未供应，不属存量统计范围".into(),
            )
        };
    }
    if !f.started {
        return out(StockStatus::Gwy, "已供应，尚未动工".into());
    }
    match f.completed_on {
        None => {
            if let Some(due) = f.agreed_completion.filter(|d| t > *d) {
                return out(
                    StockStatus::Ywj,
                    format!("已动工，超过约定竣工日期 {due} 仍未竣工"),
                );
            }
            out(StockStatus::Normal, "在建，未超过约定竣工日期".into())
        }
        Some(_) if f.built_below_contract => {
            out(StockStatus::Ywj, "已竣工，建设指标低于合同约定".into())
        }
        Some(done) if !f.in_production => match add_months(done, grace_months) {
            Some(g) if t >= g => out(
                StockStatus::Jwt,
                format!("{done} 竣工，满{grace_months}个月未投产"),
            ),
            _ => out(StockStatus::Normal, "竣工未满投产宽限期".into()),
        },
        Some(_) => {
            let low_class = f.latest_mu_class.filter(|c| *c >= MuClass::C);
            if f.capacity_review_failed {
                out(StockStatus::Twd, "已投产，达产复核未通过".into())
            } else if let Some(c) = low_class {
                out(
                    StockStatus::Twd,
                    format!("已投产，最近一次亩均效益评价为{c:?}类"),
                )
            } else {
                out(StockStatus::Normal, "正常生产".into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn s(f: &StockFacts, t: Date) -> StockStatus {
        classify_stock(f, t, 12).status
    }

    #[test]
    fn each_status_from_its_facts() {
        let t = date(2023, 6, 1);
        let mut f = StockFacts {
            in_approved_batch: true,
            ..Default::default()
        };
        assert_eq!(s(&f, t), StockStatus::Pwg);
        f.supplied = true;
        f.idle_type_a = true;
        let c = classify_stock(&f, t, 12);
        assert_eq!((c.status, c.idle_candidate), (StockStatus::Gwy, true));
        f.started = true;
        f.agreed_completion = Some(date(2023, 6, 1));
        assert_eq!(
            s(&f, t),
            StockStatus::Normal,
            "on the due day it is not yet overdue"
        );
        assert_eq!(s(&f, date(2023, 6, 2)), StockStatus::Ywj);
        f.completed_on = Some(date(2022, 6, 1));
        assert_eq!(
            s(&f, date(2023, 5, 31)),
            StockStatus::Normal,
            "inside the 12-month grace"
        );
        assert_eq!(s(&f, t), StockStatus::Jwt);
        f.built_below_contract = true;
        assert_eq!(s(&f, t), StockStatus::Ywj, "under-built comes first");
        f.built_below_contract = false;
        f.in_production = true;
        assert_eq!(s(&f, t), StockStatus::Normal);
        f.latest_mu_class = Some(MuClass::C);
        assert_eq!(s(&f, t), StockStatus::Twd);
        f.latest_mu_class = Some(MuClass::B);
        f.capacity_review_failed = true;
        assert_eq!(s(&f, t), StockStatus::Twd);
        assert_eq!(serde_json::to_string(&StockStatus::Pwg).unwrap(), "\"PWG\"");
    }
}
