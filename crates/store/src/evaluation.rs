//! A stored 亩均效益评价 run: the year, the rule-set version, the scheme (config) and, per
//! enterprise, every input with its result, so that the run can be reproduced bit for bit.

use jiff::Timestamp;
use landcycle_domain::rules::mu_evaluation::{MuClass, MuEvalConfig, MuInput, MuScore};
use landcycle_domain::{ParkId, Uscc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What went into one enterprise's evaluation (stored as the `inputs` JSON of its result row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationInput {
    /// 企业名称 when evaluated.
    pub name: String,
    /// Land held in 亩 (Σ of its live parcels).
    pub land_mu: Decimal,
    /// 税收 in 元 of the year.
    pub tax_yuan: Decimal,
    /// The evaluation input built from land and figures.
    pub input: MuInput,
}

/// One enterprise of a run: input and result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationEntry {
    /// 统一社会信用代码.
    pub uscc: Uscc,
    /// The park its land lies in (the park of its largest parcel).
    pub park_id: Option<ParkId>,
    /// The inputs.
    pub inputs: EvaluationInput,
    /// Total score, when rated.
    pub score: Option<Decimal>,
    /// Class, when rated.
    pub class: Option<MuClass>,
    /// Rank in its population (1 = best), when rated and not vetoed.
    pub rank: Option<u32>,
    /// Why the enterprise was not rated (免评, 暂评, 缺少…).
    pub not_rated: Option<String>,
    /// The full score (indicators, benchmarks, adjustments), when rated.
    pub detail: Option<MuScore>,
}

/// A stored evaluation run (评价批次).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationRun {
    /// Run id (UUID).
    pub id: String,
    /// Year of the figures evaluated.
    pub year: i16,
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// The scheme used.
    pub config: MuEvalConfig,
    /// When the run was made.
    pub created_at: Timestamp,
    /// Who made it.
    pub created_by: String,
    /// Every enterprise, ordered by 统一社会信用代码.
    pub entries: Vec<EvaluationEntry>,
}

/// Enterprises per class (优先发展 A, 鼓励提升 B, 规范转型 C, 调控帮扶 D) and not rated.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCounts {
    /// 优先发展类.
    #[serde(rename = "A")]
    pub a: u32,
    /// 鼓励提升类.
    #[serde(rename = "B")]
    pub b: u32,
    /// 规范转型类.
    #[serde(rename = "C")]
    pub c: u32,
    /// 调控帮扶类.
    #[serde(rename = "D")]
    pub d: u32,
    /// Not rated (免评, 暂评, missing figures).
    pub not_rated: u32,
}

impl ClassCounts {
    /// Counts one enterprise of class `class` (`None`: not rated).
    pub fn add(&mut self, class: Option<MuClass>) {
        match class {
            Some(MuClass::A) => self.a += 1,
            Some(MuClass::B) => self.b += 1,
            Some(MuClass::C) => self.c += 1,
            Some(MuClass::D) => self.d += 1,
            None => self.not_rated += 1,
        }
    }

    /// Every enterprise counted.
    pub fn total(&self) -> u32 {
        self.a + self.b + self.c + self.d + self.not_rated
    }
}

/// One enterprise's class in one stored run (its 亩均 history, e.g. for a renewal review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredClass {
    /// Year of the figures evaluated.
    pub year: i16,
    /// The run's id.
    pub run_id: String,
    /// When the run was made.
    pub created_at: Timestamp,
    /// The class, or `None` when the run did not rate the enterprise.
    pub class: Option<landcycle_domain::rules::mu_evaluation::MuClass>,
}

/// A stored run without its entries (the list of runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationRunHead {
    /// Run id (UUID).
    pub id: String,
    /// Year of the figures evaluated.
    pub year: i16,
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// When the run was made.
    pub created_at: Timestamp,
    /// Who made it.
    pub created_by: String,
    /// Enterprises per class, over the whole run.
    pub classes: ClassCounts,
}
