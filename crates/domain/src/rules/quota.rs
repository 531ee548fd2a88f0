//! 增存挂钩 — allocating a year's new construction-land quota among counties by their stock
//! disposal (plan task 16: "将各产业集聚区批而未供土地消化和闲置土地处置情况与新增建设用地计划
//! 指标安排相挂钩，差别化配置新增建设用地" [VERIFIED, the plan]; mechanism of 自然资规〔2018〕1号
//! [RECALLED]; formula §2.3 [PROPOSED-DEFAULT, every ratio a placeholder]).
//!
//! Each county's score:
//! `base + reward_u × 批而未供消化 + reward_i × 闲置处置 − penalty × max(0, task − disposed)`,
//! floored at 0; a county whose window 供地率 is below the threshold scores 0 and is marked
//! `key_projects_only` (its key and livelihood projects are handled outside this allocation).
//! The total is split in proportion to the scores, rounded down to `10^-dp` 亩, and the units
//! left over go one each to the largest remainders (ties: lower county code first), so the
//! quotas sum exactly to the total. This is a report for the natural-resources department, not
//! a binding decision.

use super::config::ResolvedRules;
use crate::codes::AdminCode;
use crate::error::{DomainError, DomainResult};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// 增存挂钩 parameters (§10 `quota`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaParams {
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// Points per 亩 of 批而未供 disposed (0.5).
    pub reward_ratio_unsupplied: Decimal,
    /// Points per 亩 of 闲置 disposed (0.5).
    pub reward_ratio_idle: Decimal,
    /// Points off per 亩 of task shortfall (1.0).
    pub penalty_ratio: Decimal,
    /// Window 供地率 below which a county gets key projects only (0.60).
    pub supply_rate_threshold: Decimal,
    /// Decimal places of the quotas in 亩 (4).
    pub rounding_dp: u32,
}

impl QuotaParams {
    /// Reads the parameters from resolved rules.
    pub fn from_rules(r: &ResolvedRules) -> DomainResult<Self> {
        Ok(Self {
            rule_set_version: r.version.clone(),
            reward_ratio_unsupplied: r.number("quota.reward_ratio_unsupplied")?,
            reward_ratio_idle: r.number("quota.reward_ratio_idle")?,
            penalty_ratio: r.number("quota.penalty_ratio")?,
            supply_rate_threshold: r.number("quota.supply_rate_threshold")?,
            rounding_dp: u32::try_from(r.int("quota.rounding_dp")?).map_err(|_| {
                DomainError::field(
                    "quota.rounding_dp",
                    None,
                    "must not be negative",
                    "不能为负数",
                )
            })?,
        })
    }
}

/// One county's stock-disposal record for the previous year (县级存量处置情况).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountyStock {
    /// County.
    pub county: AdminCode,
    /// 基础指标 (from the plan and key projects), 亩.
    pub base_mu: Decimal,
    /// 批而未供消化 last year, 亩.
    pub disposed_unsupplied_mu: Decimal,
    /// 闲置土地处置 last year, 亩.
    pub disposed_idle_mu: Decimal,
    /// 处置任务 last year, 亩.
    pub task_mu: Decimal,
    /// Window approved area (e.g. the last 5 years' batches), m².
    pub window_approved_m2: Decimal,
    /// … of which supplied, m².
    pub window_supplied_m2: Decimal,
}

/// One line of a county's arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaStep {
    /// What, in Chinese (e.g. 批而未供消化奖励 0.5 × 120).
    pub label_zh: String,
    /// Points added (negative for a deduction).
    pub points: Decimal,
}

/// One county's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountyQuota {
    /// County.
    pub county: AdminCode,
    /// The arithmetic of the score.
    pub steps: Vec<QuotaStep>,
    /// Score (≥ 0).
    pub score: Decimal,
    /// Window 供地率 below the threshold: key projects only, score 0.
    pub key_projects_only: bool,
    /// Exact proportional quota before rounding, 亩.
    pub raw_mu: Decimal,
    /// Rounding units added by the largest-remainder step.
    pub remainder_units: u32,
    /// Final quota, 亩.
    pub quota_mu: Decimal,
}

/// The allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaAllocation {
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// Total to allocate, 亩.
    pub total_mu: Decimal,
    /// Σ scores.
    pub score_sum: Decimal,
    /// Counties, by code.
    pub counties: Vec<CountyQuota>,
    /// Not allocated (the whole total when every score is 0), 亩.
    pub unallocated_mu: Decimal,
}

fn err(reason: &str, zh: &str) -> DomainError {
    DomainError::field("quota", None, reason, zh)
}

/// Allocates `total_mu` among the counties.
pub fn allocate_quota(
    total_mu: Decimal,
    counties: &[CountyStock],
    p: &QuotaParams,
) -> DomainResult<QuotaAllocation> {
    let unit = Decimal::new(1, p.rounding_dp);
    if total_mu < Decimal::ZERO || (total_mu / unit).fract() != Decimal::ZERO {
        return Err(err(
            "total must be ≥ 0 and a multiple of the rounding unit",
            "指标总量须非负且为取整单位的整数倍",
        ));
    }
    let mut sorted: Vec<&CountyStock> = counties.iter().collect();
    sorted.sort_by(|a, b| a.county.cmp(&b.county));
    if sorted.windows(2).any(|w| w[0].county == w[1].county) {
        return Err(err("county listed twice", "县（市、区）重复"));
    }
    let mut out: Vec<CountyQuota> = sorted
        .iter()
        .map(|c| {
            let disposed = c.disposed_unsupplied_mu + c.disposed_idle_mu;
            let shortfall = (c.task_mu - disposed).max(Decimal::ZERO);
            let steps = vec![
                QuotaStep {
                    label_zh: format!("基础指标 {}", c.base_mu),
                    points: c.base_mu,
                },
                QuotaStep {
                    label_zh: format!(
                        "批而未供消化奖励 {} × {}",
                        p.reward_ratio_unsupplied, c.disposed_unsupplied_mu
                    ),
                    points: p.reward_ratio_unsupplied * c.disposed_unsupplied_mu,
                },
                QuotaStep {
                    label_zh: format!(
                        "闲置土地处置奖励 {} × {}",
                        p.reward_ratio_idle, c.disposed_idle_mu
                    ),
                    points: p.reward_ratio_idle * c.disposed_idle_mu,
                },
                QuotaStep {
                    label_zh: format!("未完成处置任务扣减 {} × {}", p.penalty_ratio, shortfall),
                    points: -(p.penalty_ratio * shortfall),
                },
            ];
            let key_only = c.window_approved_m2 > Decimal::ZERO
                && c.window_supplied_m2 < p.supply_rate_threshold * c.window_approved_m2;
            let sum: Decimal = steps.iter().map(|s| s.points).sum();
            let score = if key_only {
                Decimal::ZERO
            } else {
                sum.max(Decimal::ZERO)
            };
            CountyQuota {
                county: c.county.clone(),
                steps,
                score,
                key_projects_only: key_only,
                raw_mu: Decimal::ZERO,
                remainder_units: 0,
                quota_mu: Decimal::ZERO,
            }
        })
        .collect();
    let score_sum: Decimal = out.iter().map(|c| c.score).sum();
    if score_sum.is_zero() {
        return Ok(QuotaAllocation {
            rule_set_version: p.rule_set_version.clone(),
            total_mu,
            score_sum,
            counties: out,
            unallocated_mu: total_mu,
        });
    }
    for c in &mut out {
        c.raw_mu = total_mu * c.score / score_sum;
        c.quota_mu = c
            .raw_mu
            .round_dp_with_strategy(p.rounding_dp, RoundingStrategy::ToZero);
    }
    let given: Decimal = out.iter().map(|c| c.quota_mu).sum();
    let left = ((total_mu - given) / unit).round();
    let mut order: Vec<usize> = (0..out.len())
        .filter(|i| out[*i].score > Decimal::ZERO)
        .collect();
    order.sort_by(|a, b| {
        let ra = out[*a].raw_mu - out[*a].quota_mu;
        let rb = out[*b].raw_mu - out[*b].quota_mu;
        rb.cmp(&ra)
            .then_with(|| out[*a].county.cmp(&out[*b].county))
    });
    let mut k = 0usize;
    let mut left_units = left;
    while left_units > Decimal::ZERO && !order.is_empty() {
        let i = order[k % order.len()];
        out[i].quota_mu += unit;
        out[i].remainder_units += 1;
        left_units -= Decimal::ONE;
        k += 1;
    }
    Ok(QuotaAllocation {
        rule_set_version: p.rule_set_version.clone(),
        total_mu,
        score_sum,
        counties: out,
        unallocated_mu: Decimal::ZERO,
    })
}

#[cfg(test)]
#[path = "quota_tests.rs"]
mod tests;
