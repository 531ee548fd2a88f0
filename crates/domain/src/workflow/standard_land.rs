//! 标准地 indicator sets and the admission check (§4.2, PROPOSED-DEFAULT "3+N+1" model: the
//! Henan text defining it was not found). A set belongs to one park × industry and is
//! versioned; it holds exactly three core indicators (投资强度, 容积率, 亩均税收), any number of
//! optional ones, and at most one "+1" slot (a single extra constraint).

use crate::error::{DomainError, DomainResult, FieldError};
use crate::park::ParkId;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The three core indicator codes (§4.2 core, §10 `standard_land.core`).
pub const CORE_CODES: [&str; 3] = [
    "investment_intensity_wan_per_mu",
    "far_min",
    "tax_per_mu_wan",
];

/// Which part of "3+N+1" an indicator fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorSlot {
    /// One of the 3 mandatory indicators.
    Core,
    /// One of the N optional indicators.
    Optional,
    /// The single "+1" slot.
    Plus1,
}

/// How a value compares with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Direction {
    /// value ≥ target.
    AtLeast,
    /// value ≤ target.
    AtMost,
    /// target ≤ value ≤ max.
    Range {
        /// Upper bound.
        #[schema(value_type = String)]
        max: Decimal,
    },
}

/// When an indicator is checked (§4.3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckStage {
    /// 准入审查 (at application).
    Admission,
    /// 对标验收 at completion.
    Completion,
    /// 达产复核 at the end of the initial operation period.
    CapacityReview,
    /// 定期复核.
    Periodic,
}

/// One indicator with its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Indicator {
    /// Code, e.g. `tax_per_mu_wan`.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// Unit, e.g. 万元/亩.
    pub unit: String,
    /// Comparison.
    pub direction: Direction,
    /// Target value.
    #[schema(value_type = String)]
    pub target: Decimal,
    /// Checked at these stages.
    pub stages: Vec<CheckStage>,
    /// Slot in 3+N+1.
    pub slot: IndicatorSlot,
}

impl Indicator {
    /// Whether `v` meets the target.
    pub fn passes(&self, v: Decimal) -> bool {
        match self.direction {
            Direction::AtLeast => v >= self.target,
            Direction::AtMost => v <= self.target,
            Direction::Range { max } => v >= self.target && v <= max,
        }
    }

    /// The target as a phrase (≥ 300 万元/亩).
    pub fn target_text(&self) -> String {
        match self.direction {
            Direction::AtLeast => format!("≥ {} {}", self.target, self.unit),
            Direction::AtMost => format!("≤ {} {}", self.target, self.unit),
            Direction::Range { max } => format!("{}–{} {}", self.target, max, self.unit),
        }
    }
}

/// A 标准地 indicator set for one park and industry, versioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndicatorSet {
    /// The stored set's id (`None`: a default computed from the park's targets, never stored).
    #[serde(default)]
    pub id: Option<String>,
    /// The park.
    #[schema(value_type = String)]
    pub park_id: ParkId,
    /// Industry (GB/T 4754 division or the park's industry name).
    pub industry: String,
    /// Version label.
    pub version: String,
    /// In force from.
    #[schema(value_type = String, format = Date)]
    pub effective_from: Date,
    /// Source document (e.g. the park's 控制性指标体系, plan task 4).
    pub source: String,
    /// The indicators.
    pub indicators: Vec<Indicator>,
}

impl IndicatorSet {
    /// Checks the 3+N+1 shape: the three core codes once each as core, at most one +1, unique
    /// codes, a positive target, a range with max ≥ target.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errs = Vec::new();
        let mut seen = BTreeMap::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            let f = format!("indicators[{i}]");
            if seen.insert(ind.code.clone(), i).is_some() {
                errs.push(FieldError::new(
                    &f,
                    Some(&ind.code),
                    "duplicate indicator",
                    "指标重复",
                ));
            }
            if ind.target < Decimal::ZERO {
                errs.push(FieldError::new(
                    format!("{f}.target"),
                    Some(&ind.target.to_string()),
                    "target must not be negative",
                    "指标值不能为负",
                ));
            }
            if let Direction::Range { max } = ind.direction
                && max < ind.target
            {
                errs.push(FieldError::new(
                    format!("{f}.direction.max"),
                    Some(&max.to_string()),
                    "range upper bound below its lower bound",
                    "区间上限低于下限",
                ));
            }
            let core = CORE_CODES.contains(&ind.code.as_str());
            if core != (ind.slot == IndicatorSlot::Core) {
                errs.push(FieldError::new(
                    format!("{f}.slot"),
                    Some(&ind.code),
                    "the core slot holds exactly 投资强度, 容积率 and 亩均税收",
                    "核心指标应为投资强度、容积率、亩均税收",
                ));
            }
        }
        for c in CORE_CODES {
            if !seen.contains_key(c) {
                errs.push(FieldError::new(
                    "indicators",
                    Some(c),
                    "a core indicator is missing",
                    "缺少核心指标",
                ));
            }
        }
        if self
            .indicators
            .iter()
            .filter(|i| i.slot == IndicatorSlot::Plus1)
            .count()
            > 1
        {
            errs.push(FieldError::new(
                "indicators",
                None,
                "at most one +1 indicator",
                "“+1”指标至多一项",
            ));
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }

    /// The indicators checked at `stage`.
    pub fn at_stage(&self, stage: CheckStage) -> impl Iterator<Item = &Indicator> {
        self.indicators
            .iter()
            .filter(move |i| i.stages.contains(&stage))
    }
}

/// The result of one indicator, with the values shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndicatorResult {
    /// Code.
    pub code: String,
    /// Name.
    pub name_zh: String,
    /// Target phrase.
    pub target: String,
    /// Value given (None = missing).
    #[schema(value_type = Option<String>)]
    pub value: Option<Decimal>,
    /// Passed.
    pub passed: bool,
    /// Explanation in Chinese.
    pub reason_zh: String,
}

/// Where the set a check used came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetOrigin {
    /// A set published for the park × industry and in force on the day.
    Stored,
    /// No set was stored: the default computed from the park's targets ([`default_set`]).
    #[default]
    Default,
}

/// The result of a check at one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckReport {
    /// Stage.
    pub stage: CheckStage,
    /// Indicator set version used.
    pub set_version: String,
    /// The stored set's id (None: the computed default).
    #[serde(default)]
    pub set_id: Option<String>,
    /// Whether the set was a stored (published) one or the computed default.
    #[serde(default)]
    pub set_origin: SetOrigin,
    /// Every indicator of the stage.
    pub items: Vec<IndicatorResult>,
    /// All passed.
    pub passed: bool,
}

impl CheckReport {
    /// The failing indicators.
    pub fn failures(&self) -> impl Iterator<Item = &IndicatorResult> {
        self.items.iter().filter(|i| !i.passed)
    }
}

/// Checks the values of a project (or its measured figures) against the set at `stage`: each
/// indicator shows target, value and verdict; a missing value fails.
pub fn check(
    set: &IndicatorSet,
    stage: CheckStage,
    values: &BTreeMap<String, Decimal>,
) -> CheckReport {
    let items: Vec<IndicatorResult> = set
        .at_stage(stage)
        .map(|ind| {
            let value = values.get(&ind.code).copied();
            let passed = value.is_some_and(|v| ind.passes(v));
            let reason_zh = match value {
                None => format!("{}：未填报（要求{}）", ind.name_zh, ind.target_text()),
                Some(v) if passed => format!(
                    "{}：{v} {}，符合{}",
                    ind.name_zh,
                    ind.unit,
                    ind.target_text()
                ),
                Some(v) => format!(
                    "{}：{v} {}，不符合{}",
                    ind.name_zh,
                    ind.unit,
                    ind.target_text()
                ),
            };
            IndicatorResult {
                code: ind.code.clone(),
                name_zh: ind.name_zh.clone(),
                target: ind.target_text(),
                value,
                passed,
                reason_zh,
            }
        })
        .collect();
    CheckReport {
        stage,
        set_version: set.version.clone(),
        set_id: set.id.clone(),
        set_origin: if set.id.is_some() {
            SetOrigin::Stored
        } else {
            SetOrigin::Default
        },
        passed: items.iter().all(|i| i.passed),
        items,
    }
}

pub use super::indicator_sets::default_set;
