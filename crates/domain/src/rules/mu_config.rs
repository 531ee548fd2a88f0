//! 亩均效益评价 scheme configuration (评价办法): indicators, weights, benchmarks, missing-value
//! policies, classification modes, bonus/deduction and veto items (§5.1, §5.4 of the domain
//! rules), with the Huangyan presets [VERIFIED weights and 2022 benchmarks].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Whether more is better (正向) or worse (逆向).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 正向: `s = w × x / b`.
    Higher,
    /// 逆向: `s = w/2 × (2 − x/b)`, floored at 0 (0 from `x ≥ 2b`).
    Lower,
}

/// The benchmark (基准值) of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benchmark {
    /// A published value (e.g. Huangyan 2022 亩均税收 24.097).
    Fixed(Decimal),
    /// The mean over the population's enterprises that report the value.
    PopulationMean,
    /// The population's best value.
    PopulationMax,
}

/// What a missing value scores (缺失值处理).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// 0 points.
    Zero,
    /// The average score of the population on this indicator (Huangyan, emissions).
    PopulationAvgScore,
    /// The enterprise is not rated.
    Exclude,
}

/// One indicator of the scheme (评价指标).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorCfg {
    /// Code, e.g. `tax_per_mu`.
    pub code: String,
    /// Chinese name, e.g. 亩均税收.
    pub name_zh: String,
    /// Weight (权重), points at the benchmark.
    pub weight: Decimal,
    /// Direction.
    pub direction: Direction,
    /// Benchmark.
    pub benchmark: Benchmark,
    /// Cap as a multiple of the weight (`None` = uncapped, as Huangyan).
    pub cap_multiple: Option<Decimal>,
    /// Missing-value policy.
    pub missing: MissingPolicy,
}

/// How ranked totals become classes (分类方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ClassMode {
    /// By rank share: A if `rank ≤ a × n`, B if `≤ b × n`, C if `≤ c × n`, else D.
    Percentile {
        /// Upper share of A (0.25).
        a: Decimal,
        /// Upper share of B (0.70).
        b: Decimal,
        /// Upper share of C (0.95).
        c: Decimal,
    },
    /// By counts: the first `a` ranks A, the next `b` B, the next `c` C, the rest D (ties may
    /// overfill a class: equal totals share a rank).
    Quota {
        /// Number of A.
        a: u32,
        /// Number of B.
        b: u32,
        /// Number of C.
        c: u32,
    },
    /// By score: A if `total ≥ a`, B if `≥ b`, C if `≥ c`, else D.
    Threshold {
        /// A cut.
        a: Decimal,
        /// B cut.
        b: Decimal,
        /// C cut.
        c: Decimal,
    },
}

/// The scheme (评价办法) for one jurisdiction and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuEvalConfig {
    /// 规上 indicators.
    pub above_scale: Vec<IndicatorCfg>,
    /// 规下 indicators.
    pub below_scale: Vec<IndicatorCfg>,
    /// Classification.
    pub classes: ClassMode,
    /// 加分/减分 items: code → points (positive bonus, negative deduction).
    pub adjustments: BTreeMap<String, Decimal>,
    /// 一票否决 codes that force class D.
    pub veto_codes: BTreeSet<String>,
    /// Decimal places of each indicator score.
    pub score_dp: u32,
}

fn ind(code: &str, zh: &str, w: i64, b: Benchmark, missing: MissingPolicy) -> IndicatorCfg {
    IndicatorCfg {
        code: code.into(),
        name_zh: zh.into(),
        weight: Decimal::from(w),
        direction: Direction::Higher,
        benchmark: b,
        cap_multiple: None,
        missing,
    }
}

impl MuEvalConfig {
    fn huangyan(b: [Benchmark; 8]) -> Self {
        use MissingPolicy::{PopulationAvgScore as Avg, Zero};
        Self {
            above_scale: vec![
                ind("tax_per_mu", "亩均税收", 30, b[0], Zero),
                ind("value_added_per_mu", "亩均增加值", 20, b[1], Zero),
                ind("va_per_energy", "单位能耗增加值", 20, b[2], Zero),
                ind("va_per_emission", "单位排放增加值", 10, b[3], Avg),
                ind("labour_productivity", "全员劳动生产率", 10, b[4], Zero),
                ind("rd_ratio", "R&D经费支出占主营业务收入之比", 10, b[5], Zero),
            ],
            below_scale: vec![
                ind("tax_per_mu", "亩均税收", 50, b[6], Zero),
                ind("tax_per_kwh", "单位电耗税收", 50, b[7], Zero),
            ],
            classes: ClassMode::Percentile {
                a: Decimal::new(25, 2),
                b: Decimal::new(70, 2),
                c: Decimal::new(95, 2),
            },
            adjustments: BTreeMap::new(),
            veto_codes: [
                "major_environmental_accident",
                "major_safety_accident",
                "serious_tax_violation",
            ]
            .into_iter()
            .map(str::to_owned)
            .collect(),
            score_dp: 4,
        }
    }

    /// Huangyan weights with population-mean benchmarks (the Xuchang default).
    pub fn huangyan_population_mean() -> Self {
        Self::huangyan([Benchmark::PopulationMean; 8])
    }

    /// Huangyan 2022 as published: fixed benchmarks 24.097, 136.16, 2.694, 4929.81, 18.14,
    /// 0.0302 (规上) and 11.5932, 0.2352 (规下).
    pub fn huangyan_2022() -> Self {
        let f = |v: i64, s: u32| Benchmark::Fixed(Decimal::new(v, s));
        Self::huangyan([
            f(24_097, 3),
            f(13_616, 2),
            f(2_694, 3),
            f(492_981, 2),
            f(1_814, 2),
            f(302, 4),
            f(115_932, 4),
            f(2_352, 4),
        ])
    }
}
