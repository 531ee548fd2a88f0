//! Stored 标准地 indicator sets (§4.2): what a park (or the city) may publish, and which set is in
//! force for an application. A published set is checked against the §4.2 catalogue — exactly the
//! three core indicators, each checked at admission; optional ones only from the §4.2 list (at
//! most [`MAX_OPTIONAL`]), each with its unit and a direction that makes sense for it; at most one
//! "+1" slot — so a typo cannot become a binding target. A new version never touches a past
//! project: the project keeps the set it was checked against.
//!
//! Without a stored set, [`default_set`] computes one from the park's targets, and the check
//! says so ([`super::standard_land::SetOrigin::Default`]).

use super::standard_land::{CheckStage, Direction, Indicator, IndicatorSet, IndicatorSlot};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::park::ParkId;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use super::indicator_catalogue::{CATALOGUE, CatalogueEntry, MAX_OPTIONAL, Sense, catalogued};

fn err(errs: &mut Vec<FieldError>, field: String, value: &str, en: String, zh: String) {
    errs.push(FieldError::new(field, Some(value), en, zh));
}

impl IndicatorSet {
    /// Checks a set before it is published: the 3+N+1 shape ([`IndicatorSet::validate`]) and
    /// the §4.2 catalogue — the set's own fields filled, every indicator checked at some stage
    /// (core ones at admission), catalogued codes in their unit and sense, fractions ≤ 1,
    /// optional codes from the catalogue and at most [`MAX_OPTIONAL`] of them.
    pub fn validate_for_publication(&self) -> DomainResult<()> {
        let mut errs = match self.validate() {
            Ok(()) => Vec::new(),
            Err(DomainError::Invalid(e)) => e,
            Err(e) => return Err(e),
        };
        for (f, v) in [
            ("industry", &self.industry),
            ("version", &self.version),
            ("source", &self.source),
        ] {
            if v.trim().is_empty() {
                err(&mut errs, f.into(), "", "required".into(), "必填".into());
            }
        }
        if self.version.chars().count() > 40 {
            err(
                &mut errs,
                "version".into(),
                &self.version,
                "at most 40 characters".into(),
                "版本号至多40个字符".into(),
            );
        }
        let optional = self
            .indicators
            .iter()
            .filter(|i| i.slot == IndicatorSlot::Optional)
            .count();
        if optional > MAX_OPTIONAL {
            err(
                &mut errs,
                "indicators".into(),
                &optional.to_string(),
                format!("at most {MAX_OPTIONAL} optional indicators (§4.2)"),
                format!("可选指标至多{MAX_OPTIONAL}项"),
            );
        }
        for (i, ind) in self.indicators.iter().enumerate() {
            indicator_errors(&mut errs, &format!("indicators[{i}]"), ind);
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }
}

fn indicator_errors(errs: &mut Vec<FieldError>, f: &str, ind: &Indicator) {
    if ind.code.trim().is_empty() || ind.name_zh.trim().is_empty() {
        err(
            errs,
            format!("{f}.code"),
            &ind.code,
            "code and name_zh are required".into(),
            "指标代码和名称必填".into(),
        );
    }
    if ind.stages.is_empty() {
        err(
            errs,
            format!("{f}.stages"),
            &ind.code,
            "checked at no stage".into(),
            "未指定核查环节".into(),
        );
    }
    let Some(e) = catalogued(&ind.code) else {
        // The "+1" slot is a free constraint (e.g. a credit commitment); N comes from §4.2.
        if ind.slot == IndicatorSlot::Optional {
            err(
                errs,
                format!("{f}.code"),
                &ind.code,
                "not an optional indicator of §4.2 (see the catalogue)".into(),
                "不是§4.2所列可选指标".into(),
            );
        }
        return;
    };
    if e.core && !ind.stages.contains(&CheckStage::Admission) {
        err(
            errs,
            format!("{f}.stages"),
            &ind.code,
            "a core indicator is checked at admission".into(),
            "核心指标须在准入审查时核查".into(),
        );
    }
    if ind.slot == IndicatorSlot::Plus1 {
        err(
            errs,
            format!("{f}.slot"),
            &ind.code,
            "a §4.2 indicator is core or optional, not the +1 slot".into(),
            "§4.2所列指标不能作为“+1”指标".into(),
        );
    }
    if ind.unit != e.unit {
        err(
            errs,
            format!("{f}.unit"),
            &ind.unit,
            format!("{} is stated in “{}”", e.code, e.unit),
            format!("{}的单位应为“{}”", e.name_zh, e.unit),
        );
    }
    let sense_ok = match (e.sense, ind.direction) {
        (Sense::Floor, Direction::AtLeast) | (Sense::Ceiling, Direction::AtMost) => true,
        (Sense::Floor, Direction::Range { .. }) => e.code == "far_min",
        _ => false,
    };
    if !sense_ok {
        let want = match e.sense {
            Sense::Floor if e.code == "far_min" => "at_least or range",
            Sense::Floor => "at_least",
            Sense::Ceiling => "at_most",
        };
        err(
            errs,
            format!("{f}.direction"),
            &ind.code,
            format!("{} is a {want} indicator", e.code),
            format!("{}的比较方向应为{want}", e.name_zh),
        );
    }
    let max = match ind.direction {
        Direction::Range { max } => max,
        _ => ind.target,
    };
    if e.fraction && (ind.target > Decimal::ONE || max > Decimal::ONE) {
        err(
            errs,
            format!("{f}.target"),
            &ind.target.to_string(),
            format!("{} is a fraction 0–1 (0.30, not 30)", e.code),
            format!("{}以小数表示（如0.30）", e.name_zh),
        );
    }
    if e.core && ind.target <= Decimal::ZERO {
        err(
            errs,
            format!("{f}.target"),
            &ind.target.to_string(),
            "a core target is positive".into(),
            "核心指标值须为正数".into(),
        );
    }
}

/// A set as published: the set with who published it, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublishedSet {
    /// The set (its `id` set).
    #[serde(flatten)]
    pub set: IndicatorSet,
    /// Who published it (user name).
    pub published_by: String,
    /// Day published.
    #[schema(value_type = String, format = Date)]
    pub published_on: Date,
    /// Why (the decision adopting it, e.g. 管委会会议纪要).
    pub reason: String,
}

/// The set in force on `on` for `park` × `industry`: the latest `effective_from` not after `on`.
/// Industries match exactly (trimmed), as the application names them.
pub fn in_force<'a>(
    sets: impl IntoIterator<Item = &'a IndicatorSet>,
    park: &ParkId,
    industry: &str,
    on: Date,
) -> Option<&'a IndicatorSet> {
    sets.into_iter()
        .filter(|s| {
            &s.park_id == park && s.industry.trim() == industry.trim() && s.effective_from <= on
        })
        .max_by_key(|s| s.effective_from)
}

/// A default set for a park and industry from the park's 亩均税收 floor (the plan's per-park
/// targets) and the national floors (§3.3: 建筑系数 ≥ 30 %, 行政办公 ≤ 7 %); 投资强度 and 容积率
/// floors are PROPOSED-DEFAULT seeds (Longchang ≥ 150 万元/亩 LOCAL-EXAMPLE, 容积率 ≥ 1.0) to
/// be replaced by the park's published 控制性指标体系 (plan task 4).
pub fn default_set(
    park_id: ParkId,
    industry: &str,
    tax_per_mu_min_wan: Decimal,
    from: Date,
) -> IndicatorSet {
    let ind =
        |code: &str, name: &str, unit: &str, direction, target, stages: &[CheckStage], slot| {
            Indicator {
                code: code.into(),
                name_zh: name.into(),
                unit: unit.into(),
                direction,
                target,
                stages: stages.to_vec(),
                slot,
            }
        };
    use CheckStage::*;
    use IndicatorSlot::*;
    IndicatorSet {
        id: None,
        park_id,
        industry: industry.into(),
        version: format!("default-{from}"),
        effective_from: from,
        source: "§4.2 [PROPOSED-DEFAULT]; 亩均税收 from the Xuchang plan per park [VERIFIED]"
            .into(),
        indicators: vec![
            ind(
                "investment_intensity_wan_per_mu",
                "固定资产投资强度",
                "万元/亩",
                Direction::AtLeast,
                Decimal::from(150),
                &[Admission, Completion],
                Core,
            ),
            ind(
                "far_min",
                "容积率",
                "",
                Direction::AtLeast,
                Decimal::ONE,
                &[Admission, Completion],
                Core,
            ),
            ind(
                "tax_per_mu_wan",
                "亩均税收",
                "万元/亩·年",
                Direction::AtLeast,
                tax_per_mu_min_wan,
                &[Admission, CapacityReview],
                Core,
            ),
            ind(
                "building_coverage_min",
                "建筑系数",
                "",
                Direction::AtLeast,
                Decimal::new(30, 2),
                &[Admission, Completion],
                Optional,
            ),
            ind(
                "admin_land_ratio_max",
                "行政办公及生活服务设施用地比例",
                "",
                Direction::AtMost,
                Decimal::new(7, 2),
                &[Admission, Completion],
                Optional,
            ),
            ind(
                "credit_commitment",
                "信用承诺（1=已签署）",
                "",
                Direction::AtLeast,
                Decimal::ONE,
                &[Admission],
                Plus1,
            ),
        ],
    }
}
