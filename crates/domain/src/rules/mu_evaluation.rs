//! 亩均效益评价 ("亩均论英雄") — enterprise scoring per §5.1/§5.4 of the domain rules.
//!
//! Source: the Huangyan District (Taizhou, Zhejiang) 2021 and 2022 evaluations [VERIFIED]:
//! 规上 `S = Σ wᵢ × xᵢ / bᵢ` with weights 亩均税收 30, 亩均增加值 20, 单位能耗增加值 20,
//! 单位排放增加值 10, 全员劳动生产率 10, R&D占比 10; 规下 亩均税收 50, 单位用电税收 50; a 规上
//! enterprise without emission data gets the population's average score on that indicator.
//! The benchmarks bᵢ appear to be population means [inferred]. Classes by rank percentile
//! 25/70/95 % (gu456 [VERIFIED]); caps, bonus/deduction and veto rules are [PROPOSED-DEFAULT].
//!
//! Determinism: inputs are sorted by 统一社会信用代码 before any arithmetic, equal totals share
//! a rank (competition ranking "1224"), so a class never depends on input order. Every
//! indicator score is rounded to `score_dp` places (half away from zero); the total is the
//! exact sum of the rounded parts.

use crate::codes::Uscc;
use crate::error::{DomainError, DomainResult};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub use super::mu_config::{
    Benchmark, ClassMode, Direction, IndicatorCfg, MissingPolicy, MuEvalConfig,
};

/// An enterprise's evaluation status (评价类别, Hefei [VERIFIED]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvalStatus {
    /// 参评.
    Evaluated,
    /// 免评: public utilities, tobacco, military …
    Exempt,
    /// 暂评: < 3 years since registration, contractual completion or merger.
    Provisional,
}

/// One enterprise's input (参评企业数据).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuInput {
    /// 统一社会信用代码.
    pub uscc: Uscc,
    /// 规上 (true) or 规下.
    pub above_scale: bool,
    /// Status.
    pub status: EvalStatus,
    /// Indicator code → value (units as the scheme's benchmarks).
    pub values: BTreeMap<String, Decimal>,
    /// 加分/减分 items that apply (codes of [`MuEvalConfig::adjustments`]).
    pub adjustment_codes: BTreeSet<String>,
    /// 一票否决 events that apply.
    pub veto_codes: BTreeSet<String>,
}

/// An enterprise class (亩均评价等级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MuClass {
    /// 优先发展类.
    A,
    /// 鼓励提升类.
    B,
    /// 规范转型类.
    C,
    /// 调控帮扶类 / 限制发展类.
    D,
}

/// One indicator's score for one enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// Indicator code.
    pub code: String,
    /// The value, if reported.
    pub value: Option<Decimal>,
    /// The benchmark used.
    pub benchmark: Decimal,
    /// Points.
    pub score: Decimal,
    /// True when the points were imputed for a missing value.
    pub imputed: bool,
}

/// One enterprise's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuScore {
    /// Enterprise.
    pub uscc: Uscc,
    /// 规上 population?
    pub above_scale: bool,
    /// Indicator scores, in scheme order.
    pub indicators: Vec<IndicatorScore>,
    /// Σ indicator scores.
    pub base: Decimal,
    /// Bonus/deduction items applied: code → points.
    pub adjustments: BTreeMap<String, Decimal>,
    /// base + adjustments.
    pub total: Decimal,
    /// Rank in its population (1 = best; equal totals share a rank); `None` when vetoed.
    pub rank: Option<u32>,
    /// Class.
    pub class: MuClass,
    /// Veto codes that forced D.
    pub vetoed_by: Vec<String>,
}

/// The result of one evaluation run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuEvaluation {
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// Benchmarks used: `above_scale.tax_per_mu` → value.
    pub benchmarks: BTreeMap<String, Decimal>,
    /// Scores, by population (规上 first), then rank, then code.
    pub scores: Vec<MuScore>,
    /// Enterprises not rated, with the reason.
    pub not_rated: BTreeMap<String, String>,
}

fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

fn points(cfg: &IndicatorCfg, x: Decimal, b: Decimal, dp: u32) -> Decimal {
    if b <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let two = Decimal::TWO;
    let mut s = match cfg.direction {
        Direction::Higher => cfg.weight * x / b,
        Direction::Lower => cfg.weight / two * (two - x / b),
    };
    if let Some(m) = cfg.cap_multiple {
        s = s.min(m * cfg.weight);
    }
    round(s.max(Decimal::ZERO), dp)
}

/// Scores and classes the enterprises. 规上 and 规下 are separate populations; 免评/暂评 and
/// enterprises missing an `Exclude` indicator are listed in `not_rated`.
///
/// Built for a whole city (100,000 enterprises in well under a second): each value is looked
/// up once per (enterprise, indicator) into a flat table, the class cuts are computed once per
/// population, and results are ordered by integer keys (the population is already in code
/// order). The arithmetic — and so every result — is exactly that of the reference
/// implementation kept in the tests.
pub fn evaluate(
    inputs: &[MuInput],
    cfg: &MuEvalConfig,
    rule_set_version: &str,
) -> DomainResult<MuEvaluation> {
    let mut sorted: Vec<&MuInput> = inputs.iter().collect();
    // Codes are unique once the check below passes, so an unstable sort gives the one order.
    sorted.sort_unstable_by(|a, b| a.uscc.as_str().cmp(b.uscc.as_str()));
    if let Some(w) = sorted.windows(2).find(|w| w[0].uscc == w[1].uscc) {
        return Err(DomainError::field(
            "uscc",
            Some(w[0].uscc.as_str()),
            "enterprise listed twice",
            "企业重复",
        ));
    }
    let mut out = MuEvaluation {
        rule_set_version: rule_set_version.to_owned(),
        benchmarks: BTreeMap::new(),
        scores: Vec::with_capacity(sorted.len()),
        not_rated: BTreeMap::new(),
    };
    for above in [true, false] {
        let (label, scheme) = if above {
            ("above_scale", &cfg.above_scale)
        } else {
            ("below_scale", &cfg.below_scale)
        };
        let (pop, values) = population(&sorted, above, scheme, &mut out.not_rated);
        let k = scheme.len();
        let n = pop.len();
        // Column by column (a benchmark needs its whole column), into flat n × k tables.
        let mut points_of: Vec<Decimal> = vec![Decimal::ZERO; n * k];
        let mut imputed_of: Vec<bool> = vec![false; n * k];
        let mut benchmarks: Vec<Decimal> = Vec::with_capacity(k);
        for (j, i) in scheme.iter().enumerate() {
            let column = || values.iter().skip(j).step_by(k.max(1)).flatten().copied();
            let b = match i.benchmark {
                Benchmark::Fixed(v) => v,
                Benchmark::PopulationMean => {
                    let (sum, count) =
                        column().fold((Decimal::ZERO, 0usize), |(s, c), x| (s + x, c + 1));
                    if count == 0 {
                        Decimal::ZERO
                    } else {
                        sum / Decimal::from(count)
                    }
                }
                Benchmark::PopulationMax => column().max().unwrap_or_default(),
            };
            out.benchmarks.insert(format!("{label}.{}", i.code), b);
            benchmarks.push(b);
            let (mut sum, mut count) = (Decimal::ZERO, 0usize);
            for e in 0..n {
                if let Some(x) = values[e * k + j] {
                    let s = points(i, x, b, cfg.score_dp);
                    points_of[e * k + j] = s;
                    sum += s;
                    count += 1;
                }
            }
            if i.missing == MissingPolicy::PopulationAvgScore && count < n {
                let avg = if count == 0 {
                    Decimal::ZERO
                } else {
                    round(sum / Decimal::from(count), cfg.score_dp)
                };
                for e in (0..n).filter(|e| values[e * k + j].is_none()) {
                    points_of[e * k + j] = avg;
                    imputed_of[e * k + j] = true;
                }
            }
        }
        let mut scores: Vec<MuScore> = pop
            .iter()
            .enumerate()
            .map(|(r, e)| {
                let indicators: Vec<IndicatorScore> = scheme
                    .iter()
                    .enumerate()
                    .map(|(j, i)| IndicatorScore {
                        code: i.code.clone(),
                        value: values[r * k + j],
                        benchmark: benchmarks[j],
                        score: points_of[r * k + j],
                        imputed: imputed_of[r * k + j],
                    })
                    .collect();
                let base: Decimal = indicators.iter().map(|s| s.score).sum();
                let adjustments: BTreeMap<String, Decimal> = e
                    .adjustment_codes
                    .iter()
                    .filter_map(|c| cfg.adjustments.get(c).map(|p| (c.clone(), *p)))
                    .collect();
                let total = base + adjustments.values().copied().sum::<Decimal>();
                let vetoed_by: Vec<String> = e
                    .veto_codes
                    .intersection(&cfg.veto_codes)
                    .cloned()
                    .collect();
                MuScore {
                    uscc: e.uscc.clone(),
                    above_scale: above,
                    indicators,
                    base,
                    adjustments,
                    total,
                    rank: None,
                    class: MuClass::D,
                    vetoed_by,
                }
            })
            .collect();
        // Totals in descending order: the number strictly above a total is found by binary
        // search, so ranking stays O(n log n) for a whole city's population.
        let mut ranked: Vec<Decimal> = scores
            .iter()
            .filter(|s| s.vetoed_by.is_empty())
            .map(|s| s.total)
            .collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        let cuts = Cuts::new(cfg.classes, ranked.len());
        for s in scores.iter_mut().filter(|s| s.vetoed_by.is_empty()) {
            let higher = ranked.partition_point(|t| *t > s.total);
            let rank = u32::try_from(higher + 1).unwrap_or(u32::MAX);
            s.rank = Some(rank);
            s.class = cuts.class(rank, s.total);
        }
        // By rank, vetoed last, then by code — which is the population's order.
        let mut order: Vec<(bool, Option<u32>, usize)> = scores
            .iter()
            .enumerate()
            .map(|(i, s)| (s.rank.is_none(), s.rank, i))
            .collect();
        order.sort_unstable();
        let mut slots: Vec<Option<MuScore>> = scores.into_iter().map(Some).collect();
        out.scores
            .extend(order.into_iter().filter_map(|(_, _, i)| slots[i].take()));
    }
    Ok(out)
}

/// The rated enterprises of one population (in code order) and their values, one look-up per
/// (enterprise, indicator), as a flat row-major table; the others go to `not_rated`.
fn population<'a>(
    sorted: &[&'a MuInput],
    above: bool,
    scheme: &[IndicatorCfg],
    not_rated: &mut BTreeMap<String, String>,
) -> (Vec<&'a MuInput>, Vec<Option<Decimal>>) {
    let mut pop = Vec::new();
    let mut values: Vec<Option<Decimal>> = Vec::new();
    let mut row: Vec<Option<Decimal>> = Vec::with_capacity(scheme.len());
    for e in sorted.iter().filter(|e| e.above_scale == above) {
        let reason = match e.status {
            EvalStatus::Exempt => Some("免评".to_owned()),
            EvalStatus::Provisional => Some("暂评".to_owned()),
            EvalStatus::Evaluated => {
                row.clear();
                row.extend(scheme.iter().map(|i| e.values.get(&i.code).copied()));
                scheme
                    .iter()
                    .zip(&row)
                    .find(|(i, v)| i.missing == MissingPolicy::Exclude && v.is_none())
                    .map(|(i, _)| format!("缺少{}", i.name_zh))
            }
        };
        match reason {
            Some(r) => {
                not_rated.insert(e.uscc.as_str().to_owned(), r);
            }
            None => {
                pop.push(*e);
                values.extend_from_slice(&row);
            }
        }
    }
    (pop, values)
}

/// A classification mode's cuts for one population of `n`, computed once: for rank modes the
/// last rank of A, B and C (`rank ≤ a × n` ⟺ `rank ≤ ⌊a × n⌋` for whole ranks, with the same
/// Decimal product as [`classify`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cuts {
    /// Last rank of A, B, C.
    Ranks(u64, u64, u64),
    /// Threshold mode: by total.
    Totals(Decimal, Decimal, Decimal),
}

impl Cuts {
    /// The cuts of `mode` for `n` ranked enterprises.
    pub(crate) fn new(mode: ClassMode, n: usize) -> Self {
        match mode {
            ClassMode::Percentile { a, b, c } => {
                let n = Decimal::from(n);
                let last = |share: Decimal| {
                    let p = (share * n).floor();
                    if p < Decimal::ONE {
                        0
                    } else {
                        rust_decimal::prelude::ToPrimitive::to_u64(&p).unwrap_or(u64::MAX)
                    }
                };
                Self::Ranks(last(a), last(b), last(c))
            }
            ClassMode::Quota { a, b, c } => {
                let (ab, abc) = (a.saturating_add(b), a.saturating_add(b).saturating_add(c));
                Self::Ranks(u64::from(a), u64::from(ab), u64::from(abc))
            }
            ClassMode::Threshold { a, b, c } => Self::Totals(a, b, c),
        }
    }

    /// The class of a rank or total.
    pub(crate) fn class(self, rank: u32, total: Decimal) -> MuClass {
        match self {
            Self::Ranks(a, b, c) => {
                let r = u64::from(rank);
                if r <= a {
                    MuClass::A
                } else if r <= b {
                    MuClass::B
                } else if r <= c {
                    MuClass::C
                } else {
                    MuClass::D
                }
            }
            Self::Totals(a, b, c) => {
                if total >= a {
                    MuClass::A
                } else if total >= b {
                    MuClass::B
                } else if total >= c {
                    MuClass::C
                } else {
                    MuClass::D
                }
            }
        }
    }
}

/// The class of a rank (1-based, among `n`) or a total under a mode.
pub fn classify(mode: ClassMode, rank: u32, n: usize, total: Decimal) -> MuClass {
    match mode {
        ClassMode::Percentile { a, b, c } => {
            let r = Decimal::from(rank);
            let n = Decimal::from(n);
            if r <= a * n {
                MuClass::A
            } else if r <= b * n {
                MuClass::B
            } else if r <= c * n {
                MuClass::C
            } else {
                MuClass::D
            }
        }
        ClassMode::Quota { a, b, c } => {
            let (ab, abc) = (a.saturating_add(b), a.saturating_add(b).saturating_add(c));
            if rank <= a {
                MuClass::A
            } else if rank <= ab {
                MuClass::B
            } else if rank <= abc {
                MuClass::C
            } else {
                MuClass::D
            }
        }
        ClassMode::Threshold { a, b, c } => {
            if total >= a {
                MuClass::A
            } else if total >= b {
                MuClass::B
            } else if total >= c {
                MuClass::C
            } else {
                MuClass::D
            }
        }
    }
}

#[cfg(test)]
#[path = "mu_evaluation_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "mu_evaluation_reference.rs"]
mod reference;
