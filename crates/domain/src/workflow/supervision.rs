//! 履约核查 — what happens when a checkpoint of the §4.3 timeline is reached: the actual
//! values are compared with the agreed ones indicator by indicator (the agreement's own
//! targets, not the park's floors), and a breach is priced by the agreement's clauses
//! ([`super::penalty`]). Pure: the caller stores the result, the penalty statement and the
//! credit record in one write.

use super::contract::{Checkpoint, GrantContract, SupervisionAgreement};
use super::penalty::{self, PenaltyLine};
use super::standard_land::{CheckReport, CheckStage, Indicator, IndicatorSet, check};
use crate::error::{DomainError, DomainResult};
use crate::units::Yuan;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What was measured at a checkpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckpointFacts {
    /// Measured indicator values by code (容积率 `far_min`, 投资强度 …).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub values: BTreeMap<String, Decimal>,
    /// 实际固定资产总投资 (元), required at 对标验收.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub actual_investment_yuan: Option<Yuan>,
    /// 实际亩均税收 by year (万元/亩), required at 达产复核.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub tax_per_mu_by_year: Vec<(i16, Decimal)>,
}

/// The outcome of one checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckpointResult {
    /// Checkpoint code.
    pub code: String,
    /// Day it was met (or checked).
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Actual against agreed, per indicator (stages with indicators only).
    pub comparison: Option<CheckReport>,
    /// Penalty lines the breach costs (empty when on time and on target).
    pub penalties: Vec<PenaltyLine>,
    /// True when nothing was late or short.
    pub passed: bool,
}

/// The project status a met checkpoint moves the project to (§4.1 stages), if any.
pub fn status_after(code: &str) -> Option<&'static str> {
    Some(match code {
        "delivery" => "delivered",
        "start" => "started",
        "completion" => "completed",
        "conformity_check" => "conformity_checked",
        "production" => "in_production",
        "capacity_review" => "capacity_reviewed",
        _ => return None,
    })
}

/// The agreement's indicators as a set, so [`check`] compares against the agreed targets.
fn agreed_set(a: &SupervisionAgreement, park: &crate::park::ParkId) -> IndicatorSet {
    IndicatorSet {
        id: None,
        park_id: park.clone(),
        industry: String::new(),
        version: a.agreement_no.clone(),
        effective_from: a.signed_on,
        source: a.agreement_no.clone(),
        indicators: a.indicators.clone(),
    }
}

/// The agreed indicators of a project: the park's set with each target replaced by the
/// enterprise's committed value (承诺值) where it is stricter — the agreement binds what was
/// promised, never less than the floor.
pub fn agreed_indicators(
    set: &IndicatorSet,
    committed: &BTreeMap<String, Decimal>,
) -> Vec<Indicator> {
    use super::standard_land::Direction;
    set.indicators
        .iter()
        .map(|i| {
            let mut i = i.clone();
            if let Some(v) = committed.get(&i.code) {
                i.target = match i.direction {
                    Direction::AtLeast => i.target.max(*v),
                    Direction::AtMost => i.target.min(*v),
                    Direction::Range { .. } => i.target,
                };
            }
            i
        })
        .collect()
}

fn missing(field: &str, what_zh: &str) -> DomainError {
    DomainError::field(
        field,
        None,
        format!("{field} is required at this checkpoint"),
        format!("本节点须填报{what_zh}"),
    )
}

fn required<T>(v: Option<T>, field: &str, what_zh: &str) -> DomainResult<T> {
    v.ok_or_else(|| missing(field, what_zh))
}

/// Assesses checkpoint `cp` of `c`/`a`, met (or checked) on `on` with the measured `facts`.
pub fn assess(
    c: &GrantContract,
    a: &SupervisionAgreement,
    park: &crate::park::ParkId,
    cp: &Checkpoint,
    on: Date,
    facts: &CheckpointFacts,
) -> DomainResult<CheckpointResult> {
    if on < c.signed_on {
        return Err(DomainError::field(
            "on",
            Some(&on.to_string()),
            format!(
                "a checkpoint cannot be met before the contract was signed ({})",
                c.signed_on
            ),
            format!("履约节点日期不得早于合同签订日（{}）", c.signed_on),
        ));
    }
    let set = agreed_set(a, park);
    let mut penalties = Vec::new();
    let mut comparison = None;
    match cp.code.as_str() {
        "start" => penalties.extend(penalty::late_start(c, on)?),
        "completion" => penalties.extend(penalty::late_completion(c, on)?),
        "conformity_check" => {
            let inv = required(
                facts.actual_investment_yuan,
                "facts.actual_investment_yuan",
                "实际固定资产总投资",
            )?;
            let far = required(
                facts.values.get("far_min").copied(),
                "facts.values.far_min",
                "实际容积率",
            )?;
            comparison = Some(check(&set, CheckStage::Completion, &facts.values));
            penalties.extend(penalty::conformity_shortfalls(c, inv, far));
        }
        "capacity_review" => {
            if facts.tax_per_mu_by_year.is_empty() {
                return Err(missing("facts.tax_per_mu_by_year", "逐年亩均税收"));
            }
            let mut values = facts.values.clone();
            if let Some((_, last)) = facts.tax_per_mu_by_year.iter().max_by_key(|(y, _)| *y) {
                values.entry("tax_per_mu_wan".into()).or_insert(*last);
            }
            let report = check(&set, CheckStage::CapacityReview, &values);
            let target = a
                .indicators
                .iter()
                .find(|i| i.code == "tax_per_mu_wan")
                .map(|i| i.target);
            if let Some(t) = target {
                penalties.extend(penalty::tax_gap(c, t, &facts.tax_per_mu_by_year)?);
            }
            comparison = Some(report);
        }
        code if code.starts_with("periodic_review") => {
            comparison = Some(check(&set, CheckStage::Periodic, &facts.values));
        }
        _ => {}
    }
    let passed = penalties.is_empty() && comparison.as_ref().is_none_or(|r| r.passed);
    Ok(CheckpointResult {
        code: cp.code.clone(),
        on,
        comparison,
        penalties,
        passed,
    })
}

/// A stored checkpoint: the timeline entry, the project and contract it belongs to, and its
/// result once met. Flattened, so a reader of plain [`Checkpoint`]s (the warnings centre)
/// reads it as one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckpointRecord {
    /// The 标准地 project.
    pub project_id: String,
    /// 合同编号.
    pub contract_no: String,
    /// The checkpoint.
    #[serde(flatten)]
    pub checkpoint: Checkpoint,
    /// The result, once met or checked.
    pub result: Option<CheckpointResult>,
}
