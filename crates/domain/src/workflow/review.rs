//! 入驻评审 — the joint review meeting (评审联席会议, plan task 5) and the large-project rule of
//! plan task 6: a project to occupy ≥ 100 亩 has its construction scale strictly reviewed and is
//! supplied in phases by construction period (分批供地, VERIFIED plan text).

use crate::error::{DomainError, DomainResult, FieldError};
use crate::units::{AreaM2, Mu};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The plan's threshold for strict review and phased supply (亩, `targets.large_project_threshold_mu`).
pub const LARGE_PROJECT_MU: i64 = 100;

/// A vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    /// 同意.
    Approve,
    /// 不同意.
    Reject,
    /// 弃权.
    Abstain,
}

/// One member unit's opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Opinion {
    /// Member unit (e.g. 市自然资源和规划局).
    pub member: String,
    /// Vote.
    pub vote: Vote,
    /// Comment (required for a rejection).
    pub comment: String,
}

/// The decision of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// 通过.
    Approved,
    /// 不通过.
    Rejected,
}

/// 联合评审.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JointReview {
    /// Meeting day.
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    /// Member units convened.
    pub members: Vec<String>,
    /// Opinions given.
    pub opinions: Vec<Opinion>,
}

impl JointReview {
    /// The decision: every member must give an opinion (no member twice, no outsider), a
    /// rejection needs a comment; approved when approvals are a strict majority of the members
    /// [PROPOSED-DEFAULT rule; local 联席会议 rules may set another quorum].
    pub fn decide(&self) -> DomainResult<ReviewDecision> {
        let mut errs = Vec::new();
        if self.members.len() < 3 {
            errs.push(FieldError::new(
                "members",
                Some(&self.members.len().to_string()),
                "a joint review needs at least 3 member units",
                "联合评审至少需3个成员单位",
            ));
        }
        for (i, o) in self.opinions.iter().enumerate() {
            if !self.members.contains(&o.member) {
                errs.push(FieldError::new(
                    format!("opinions[{i}].member"),
                    Some(&o.member),
                    "not a member of this review",
                    "非本次评审成员单位",
                ));
            }
            if self.opinions[..i].iter().any(|p| p.member == o.member) {
                errs.push(FieldError::new(
                    format!("opinions[{i}].member"),
                    Some(&o.member),
                    "opinion given twice",
                    "重复出具意见",
                ));
            }
            if o.vote == Vote::Reject && o.comment.trim().is_empty() {
                errs.push(FieldError::new(
                    format!("opinions[{i}].comment"),
                    None,
                    "a rejection must give its reason",
                    "不同意须说明理由",
                ));
            }
        }
        for m in &self.members {
            if !self.opinions.iter().any(|o| &o.member == m) {
                errs.push(FieldError::new(
                    "opinions",
                    Some(m),
                    "member has not given an opinion",
                    "成员单位尚未出具意见",
                ));
            }
        }
        if !errs.is_empty() {
            return Err(DomainError::Invalid(errs));
        }
        let yes = self
            .opinions
            .iter()
            .filter(|o| o.vote == Vote::Approve)
            .count();
        Ok(if yes * 2 > self.members.len() {
            ReviewDecision::Approved
        } else {
            ReviewDecision::Rejected
        })
    }
}

/// One phase of a phased supply (分批供地).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SupplyPhase {
    /// Phase number from 1.
    pub no: u32,
    /// Area of the phase, m².
    #[schema(value_type = String)]
    pub area_m2: AreaM2,
    /// Planned supply day.
    #[schema(value_type = String, format = Date)]
    pub planned_on: Date,
    /// Condition to release it (e.g. 一期达产复核通过).
    pub condition: String,
}

/// True when a project of `area` must be reviewed strictly and supplied in phases.
pub fn is_large_project(area: AreaM2) -> bool {
    area.to_mu() >= Mu(Decimal::from(LARGE_PROJECT_MU))
}

/// Checks a phased supply plan: a large project needs ≥ 2 phases; phases numbered 1…n with
/// increasing days and areas adding up exactly to the project area.
pub fn check_phases(total: AreaM2, phases: &[SupplyPhase]) -> DomainResult<()> {
    let mut errs = Vec::new();
    if is_large_project(total) && phases.len() < 2 {
        errs.push(FieldError::new(
            "phases",
            Some(&phases.len().to_string()),
            format!(
                "a project of {} 亩 (≥ {LARGE_PROJECT_MU} 亩) is supplied in phases",
                total.to_mu().display()
            ),
            format!(
                "拟占地{}亩（≥{LARGE_PROJECT_MU}亩），应根据建设周期分批供地",
                total.to_mu().display()
            ),
        ));
    }
    for (i, p) in phases.iter().enumerate() {
        if p.no as usize != i + 1 {
            errs.push(FieldError::new(
                format!("phases[{i}].no"),
                Some(&p.no.to_string()),
                "phases are numbered 1, 2, …",
                "批次应依次编号",
            ));
        }
        if i > 0 && p.planned_on <= phases[i - 1].planned_on {
            errs.push(FieldError::new(
                format!("phases[{i}].planned_on"),
                Some(&p.planned_on.to_string()),
                "a phase must come after the previous one",
                "后一批次日期应晚于前一批次",
            ));
        }
        if p.area_m2.0 <= Decimal::ZERO {
            errs.push(FieldError::new(
                format!("phases[{i}].area_m2"),
                Some(&p.area_m2.0.to_string()),
                "area must be positive",
                "面积须为正数",
            ));
        }
    }
    let sum: AreaM2 = phases.iter().map(|p| p.area_m2).sum();
    if !phases.is_empty() && sum != total {
        errs.push(FieldError::new(
            "phases",
            Some(&sum.0.to_string()),
            format!(
                "phases add up to {} m², the project has {} m²",
                sum.0, total.0
            ),
            format!(
                "各批次面积合计{}平方米，与项目用地{}平方米不符",
                sum.0, total.0
            ),
        ));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errs))
    }
}
