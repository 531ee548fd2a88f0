//! 续期审查 — renewal of a flexible-term grant, condition by condition (§6.4, PROPOSED-DEFAULT;
//! no Henan text found). Renewal is allowed only when every condition holds; the decision names
//! each failing one. The renewal price follows §6.3: appraised price × K(r, n_renewal, N), and
//! the first term plus all renewals stay within the legal 50 years.

use super::supply_scheme::{TermParams, term_coefficient};
use crate::error::DomainResult;
use crate::rules::dates::add_months;
use crate::rules::mu_evaluation::MuClass;
use crate::units::Yuan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What the renewal review reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenewalFacts {
    /// 达产复核 passed (or current targets met).
    pub capacity_review_passed: bool,
    /// Open breach, unpaid penalty, idle or low-efficiency cases (their ids).
    pub open_cases: Vec<String>,
    /// The latest 亩均 classes, newest first.
    #[schema(value_type = Vec<String>)]
    pub mu_classes: Vec<MuClass>,
    /// The industry is in the park's direction and the plan still allows industry.
    pub industry_fits_plan: bool,
    /// Day of the application.
    #[schema(value_type = String, format = Date)]
    pub applied_on: Date,
    /// Term end.
    #[schema(value_type = String, format = Date)]
    pub term_end: Date,
    /// Years granted so far (first term + earlier renewals).
    pub years_so_far: u16,
    /// Years asked for.
    pub years_requested: u16,
}

/// One condition's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConditionResult {
    /// Code, e.g. `capacity_review_passed`.
    pub code: String,
    /// The condition in Chinese.
    pub label_zh: String,
    /// Holds.
    pub passed: bool,
    /// Detail with the values.
    pub detail_zh: String,
}

/// The renewal decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenewalDecision {
    /// Granted only when every condition holds.
    pub granted: bool,
    /// Every condition in order.
    pub conditions: Vec<ConditionResult>,
    /// Renewal price when granted and an appraisal was given.
    #[schema(value_type = Option<String>)]
    pub price: Option<Yuan>,
}

impl RenewalDecision {
    /// Codes of the failing conditions.
    pub fn failing(&self) -> Vec<&str> {
        self.conditions
            .iter()
            .filter(|c| !c.passed)
            .map(|c| c.code.as_str())
            .collect()
    }
}

/// Months before expiry an application must come (§6.4 (5), 12 PROPOSED-DEFAULT).
pub const APPLY_MONTHS_BEFORE: i32 = 12;

/// Decides a renewal; `appraised_full_term` (N years) prices it when granted.
pub fn decide_renewal(
    f: &RenewalFacts,
    p: &TermParams,
    appraised_full_term: Option<Yuan>,
) -> DomainResult<RenewalDecision> {
    let c = |code: &str, label: &str, passed: bool, detail: String| ConditionResult {
        code: code.into(),
        label_zh: label.into(),
        passed,
        detail_zh: detail,
    };
    let latest_ok = f
        .mu_classes
        .first()
        .is_some_and(|k| matches!(k, MuClass::A | MuClass::B));
    let no_recent_d = !f.mu_classes.iter().take(2).any(|k| *k == MuClass::D);
    let latest_apply = add_months(f.term_end, -APPLY_MONTHS_BEFORE);
    let total = f.years_so_far + f.years_requested;
    let conditions = vec![
        c(
            "capacity_review_passed",
            "达产复核通过",
            f.capacity_review_passed,
            if f.capacity_review_passed {
                "达产复核已通过".into()
            } else {
                "达产复核未通过".into()
            },
        ),
        c(
            "no_open_cases",
            "无未结违约、欠缴违约金、闲置或低效案件",
            f.open_cases.is_empty(),
            if f.open_cases.is_empty() {
                "无未结案件".into()
            } else {
                format!("未结案件：{}", f.open_cases.join("、"))
            },
        ),
        c(
            "mu_class",
            "最近一次亩均评价为A或B类，且近两次无D类",
            latest_ok && no_recent_d,
            format!(
                "近年评价：{}",
                if f.mu_classes.is_empty() {
                    "无".into()
                } else {
                    f.mu_classes
                        .iter()
                        .map(|k| format!("{k:?}"))
                        .collect::<Vec<_>>()
                        .join("、")
                }
            ),
        ),
        c(
            "industry_fits_plan",
            "符合园区产业方向且规划仍为工业",
            f.industry_fits_plan,
            if f.industry_fits_plan {
                "符合".into()
            } else {
                "不符合园区产业方向或规划已调整".into()
            },
        ),
        c(
            "applied_in_time",
            "期满前12个月以上提出申请",
            latest_apply.is_some_and(|d| f.applied_on <= d),
            format!("申请日{}，期满日{}", f.applied_on, f.term_end),
        ),
        c(
            "within_legal_max",
            "累计年期不超过法定最高年限",
            f.years_requested > 0 && total <= p.legal_max_years,
            format!(
                "已出让{}年 + 申请{}年 = {total}年（上限{}年）",
                f.years_so_far, f.years_requested, p.legal_max_years
            ),
        ),
    ];
    let granted = conditions.iter().all(|c| c.passed);
    let price = match (granted, appraised_full_term) {
        (true, Some(a)) => Some(Yuan(
            (a.0 * term_coefficient(p.cap_rate, f.years_requested, p.legal_max_years)?).round_dp(2),
        )),
        _ => None,
    };
    Ok(RenewalDecision {
        granted,
        conditions,
        price,
    })
}
