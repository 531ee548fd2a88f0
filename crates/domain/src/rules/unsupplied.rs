//! 批而未供 (approved but not supplied), §2.1–§2.2 of the domain rules.
//!
//! - Per batch: `unsupplied(t) = approved − Σ supplied(≤ t) − Σ deducted(≤ t)`; land built on
//!   without supply still counts as unsupplied (§2.1 [VERIFIED, secondary]). Deductions
//!   (撤回/撤销批文, 核减) are their own kinds, not supply [PROPOSED-DEFAULT].
//! - 供地率 over a window of approval years; the 3-year/50 % rule (2017 reform [VERIFIED]) and
//!   the 5-year/60 % rule ([RECALLED, low confidence]) are parameters.
//! - 消化率 = disposed in the period / unsupplied stock at the base date; which
//!   [`DisposalKind`]s count is configuration (`disposal_kinds_counted`).
//! - Age flags: approved 满2年 without acquisition, acquired 满3年 not supplied
//!   (自然资办发〔2019〕3号 [RECALLED]).
//!
//! Rates compare by cross-multiplication: `supplied < threshold × approved`.

use super::config::{Confidence, ResolvedRules};
use super::dates::{reached, whole_years};
use super::finding::{Finding, LegalSource, Severity, Subject, docs};
use crate::error::{DomainError, DomainResult};
use crate::parcel::ParcelId;
use crate::units::AreaM2;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How unsupplied land left the stock (处置方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisposalKind {
    /// 供应 (划拨决定书 issued or contract signed).
    Supplied,
    /// 撤回/撤销批文.
    ApprovalWithdrawn,
    /// 核实无需供应 (e.g. roads, re-verified areas).
    VerifiedNoSupplyNeeded,
    /// 纳入储备 — still unsupplied; counts as 消化 only where local rules say so.
    ReserveDesignated,
}

impl DisposalKind {
    /// Parses the config name.
    pub fn parse(s: &str) -> DomainResult<Self> {
        Ok(match s {
            "supplied" => Self::Supplied,
            "approval_withdrawn" => Self::ApprovalWithdrawn,
            "verified_no_supply_needed" => Self::VerifiedNoSupplyNeeded,
            "reserve_designated" => Self::ReserveDesignated,
            _ => {
                return Err(DomainError::field(
                    "disposal_kinds_counted",
                    Some(s),
                    "unknown disposal kind",
                    "未知的处置方式",
                ));
            }
        })
    }

    /// The config and API name (inverse of [`Self::parse`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supplied => "supplied",
            Self::ApprovalWithdrawn => "approval_withdrawn",
            Self::VerifiedNoSupplyNeeded => "verified_no_supply_needed",
            Self::ReserveDesignated => "reserve_designated",
        }
    }

    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Supplied => "供应",
            Self::ApprovalWithdrawn => "撤回/撤销批文",
            Self::VerifiedNoSupplyNeeded => "核实无需供应",
            Self::ReserveDesignated => "纳入储备",
        }
    }

    /// True when the kind removes the area from the unsupplied stock.
    pub fn reduces_stock(self) -> bool {
        !matches!(self, Self::ReserveDesignated)
    }
}

/// A parcel of a batch (批次内地块).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchParcel {
    /// The parcel, when registered.
    pub parcel_id: Option<ParcelId>,
    /// Area.
    pub area_m2: AreaM2,
    /// Supply date (contract or 划拨决定书), if supplied.
    pub supplied_on: Option<Date>,
}

/// A non-supply disposal of part of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    /// Kind (not `Supplied`).
    pub kind: DisposalKind,
    /// Area.
    pub area_m2: AreaM2,
    /// Effective date.
    pub on: Date,
}

/// An approval batch (批次), the unit of 批而未供 accounting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalBatch {
    /// Id, e.g. the 省批文号.
    pub id: String,
    /// Approval date.
    pub approved_on: Date,
    /// Approved area.
    pub approved_area_m2: AreaM2,
    /// Date land acquisition (征收) was completed, if it was.
    pub acquired_on: Option<Date>,
    /// Parcels carved from the batch.
    pub parcels: Vec<BatchParcel>,
    /// Other disposals.
    pub deductions: Vec<Deduction>,
}

impl ApprovalBatch {
    /// Area supplied on or before `t`.
    pub fn supplied(&self, t: Date) -> Decimal {
        self.parcels
            .iter()
            .filter(|p| p.supplied_on.is_some_and(|d| d <= t))
            .map(|p| p.area_m2.0)
            .sum()
    }

    /// Area deducted on or before `t` (kinds that reduce the stock).
    pub fn deducted(&self, t: Date) -> Decimal {
        self.deductions
            .iter()
            .filter(|x| x.kind.reduces_stock() && x.on <= t)
            .map(|x| x.area_m2.0)
            .sum()
    }

    /// 批而未供 area on `t` (0 before approval).
    pub fn unsupplied(&self, t: Date) -> Decimal {
        if t < self.approved_on {
            return Decimal::ZERO;
        }
        (self.approved_area_m2.0 - self.supplied(t) - self.deducted(t)).max(Decimal::ZERO)
    }

    /// Area disposed in `(from, to]` by the counted kinds.
    pub fn disposed_between(&self, from: Date, to: Date, kinds: &[DisposalKind]) -> Decimal {
        let within = |d: Date| from < d && d <= to;
        let supplied: Decimal = if kinds.contains(&DisposalKind::Supplied) {
            self.parcels
                .iter()
                .filter(|p| p.supplied_on.is_some_and(within))
                .map(|p| p.area_m2.0)
                .sum()
        } else {
            Decimal::ZERO
        };
        supplied
            + self
                .deductions
                .iter()
                .filter(|x| kinds.contains(&x.kind) && within(x.on))
                .map(|x| x.area_m2.0)
                .sum::<Decimal>()
    }
}

/// 批而未供 parameters (§10 `unsupplied`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnsuppliedParams {
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// Approved 满N年 without acquisition (2).
    pub no_acquisition_years: i32,
    /// Acquired 满N年 not supplied (3).
    pub acquired_not_supplied_years: i32,
    /// Age bucket boundaries in years ([2, 3, 5]).
    pub age_buckets_years: Vec<i32>,
    /// Kinds counted as 消化.
    pub kinds_counted: Vec<DisposalKind>,
}

impl UnsuppliedParams {
    /// Reads the parameters from resolved rules.
    pub fn from_rules(r: &ResolvedRules) -> DomainResult<Self> {
        let buckets = r
            .list("unsupplied.age_buckets_years")?
            .iter()
            .map(|s| {
                s.parse::<i32>().map_err(|_| {
                    DomainError::field(
                        "unsupplied.age_buckets_years",
                        Some(s),
                        "not a whole number",
                        "应为整数",
                    )
                })
            })
            .collect::<DomainResult<Vec<_>>>()?;
        let kinds = r
            .list("unsupplied.disposal_kinds_counted")?
            .iter()
            .map(|s| DisposalKind::parse(s))
            .collect::<DomainResult<Vec<_>>>()?;
        Ok(Self {
            rule_set_version: r.version.clone(),
            no_acquisition_years: r.int("unsupplied.no_acquisition_years")?,
            acquired_not_supplied_years: r.int("unsupplied.acquired_not_supplied_years")?,
            age_buckets_years: buckets,
            kinds_counted: kinds,
        })
    }
}

/// One batch's status on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchStatus {
    /// Batch id.
    pub batch_id: String,
    /// Approved area, m².
    pub approved_m2: Decimal,
    /// Supplied, m².
    pub supplied_m2: Decimal,
    /// Deducted, m².
    pub deducted_m2: Decimal,
    /// 批而未供, m².
    pub unsupplied_m2: Decimal,
    /// 供地率 = supplied / approved, rounded to 4 places (display; rules compare exactly).
    pub supply_rate: Decimal,
    /// Whole years since approval.
    pub age_years: i32,
    /// Age bucket label: `<2`, `2-3`, `3-5`, `>=5`.
    pub age_bucket: String,
    /// Flags that fired.
    pub findings: Vec<Finding>,
}

/// The age bucket of a batch for boundaries `[2, 3, 5]`: `<2`, `2-3`, `3-5`, `>=5`, by the
/// anniversary rule.
pub fn age_bucket(approved_on: Date, t: Date, bounds: &[i32]) -> String {
    let mut last: Option<i32> = None;
    for b in bounds {
        if !reached(t, approved_on, *b) {
            return match last {
                None => format!("<{b}"),
                Some(l) => format!("{l}-{b}"),
            };
        }
        last = Some(*b);
    }
    last.map_or_else(|| "all".to_owned(), |l| format!(">={l}"))
}

/// The status of a batch on `t`, with the 2019 age flags.
pub fn batch_status(b: &ApprovalBatch, t: Date, p: &UnsuppliedParams) -> BatchStatus {
    let (approved, supplied, deducted, unsupplied) = (
        b.approved_area_m2.0,
        b.supplied(t),
        b.deducted(t),
        b.unsupplied(t),
    );
    let rate = if approved > Decimal::ZERO {
        (supplied / approved).round_dp(4)
    } else {
        Decimal::ZERO
    };
    let subject = Subject::Batch(b.id.clone());
    let mut findings = Vec::new();
    let flag = |id: &str, article: &str| {
        Finding::new(
            id,
            &p.rule_set_version,
            subject.clone(),
            t,
            LegalSource::new(docs::UNSUPPLIED_2019, article),
            Confidence::Recalled,
            Severity::Warning,
        )
        .input("approved_on", b.approved_on)
        .input("approved_m2", approved)
        .input("unsupplied_m2", unsupplied)
    };
    let n = p.no_acquisition_years;
    if b.acquired_on.is_none()
        && supplied.is_zero()
        && unsupplied > Decimal::ZERO
        && reached(t, b.approved_on, n)
    {
        findings.push(
            flag("UNS-NOACQ", "批准后满二年未实施征地")
                .threshold(format!("批准满{n}年未征地"))
                .reason(
                    format!(
                        "批次 {} 于 {} 批准，已满{n}年未实施征地，可依法撤回批文",
                        b.id, b.approved_on
                    ),
                    format!(
                        "approved {} and not acquired for {n} full years",
                        b.approved_on
                    ),
                ),
        );
    }
    let m = p.acquired_not_supplied_years;
    if let Some(a) = b.acquired_on
        && unsupplied > Decimal::ZERO
        && reached(t, a, m)
    {
        findings.push(
            flag("UNS-ACQ", "征收后满三年未供应")
                .input("acquired_on", a)
                .threshold(format!("征收完成满{m}年未供应"))
                .reason(
                    format!("批次 {} 于 {a} 完成征收，已满{m}年仍有 {} 平方米未供应，可核减下一年度计划指标", b.id, unsupplied.normalize()),
                    format!("acquired {a}, {} m² still unsupplied after {m} full years", unsupplied.normalize()),
                ),
        );
    }
    BatchStatus {
        batch_id: b.id.clone(),
        approved_m2: approved,
        supplied_m2: supplied,
        deducted_m2: deducted,
        unsupplied_m2: unsupplied,
        supply_rate: rate,
        age_years: whole_years(b.approved_on, t),
        age_bucket: age_bucket(b.approved_on, t, &p.age_buckets_years),
        findings,
    }
}

/// 供地率 over the batches approved in calendar years `first..=last`, as of `t`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRate {
    /// First approval year.
    pub first_year: i16,
    /// Last approval year.
    pub last_year: i16,
    /// Σ approved, m².
    pub approved_m2: Decimal,
    /// Σ supplied by `t`, m².
    pub supplied_m2: Decimal,
    /// Approved area by year.
    pub by_year: BTreeMap<i16, Decimal>,
}

impl WindowRate {
    /// Computes the window.
    pub fn compute(batches: &[ApprovalBatch], first_year: i16, last_year: i16, t: Date) -> Self {
        let mut w = Self {
            first_year,
            last_year,
            approved_m2: Decimal::ZERO,
            supplied_m2: Decimal::ZERO,
            by_year: BTreeMap::new(),
        };
        for b in batches
            .iter()
            .filter(|b| (first_year..=last_year).contains(&b.approved_on.year()))
        {
            w.approved_m2 += b.approved_area_m2.0;
            w.supplied_m2 += b.supplied(t);
            *w.by_year.entry(b.approved_on.year()).or_default() += b.approved_area_m2.0;
        }
        w
    }

    /// True when the rate is below `threshold` (exact: `supplied < threshold × approved`).
    pub fn below(&self, threshold: Decimal) -> bool {
        self.approved_m2 > Decimal::ZERO && self.supplied_m2 < threshold * self.approved_m2
    }

    /// The rate rounded to 4 places, for display.
    pub fn rate(&self) -> Option<Decimal> {
        (self.approved_m2 > Decimal::ZERO)
            .then(|| (self.supplied_m2 / self.approved_m2).round_dp(4))
    }
}

/// 消化率 over `(base, t]`: disposed by the counted kinds ÷ the unsupplied stock on `base`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisposalRate {
    /// Stock on the base date, m².
    pub stock_m2: Decimal,
    /// Disposed since, m².
    pub disposed_m2: Decimal,
}

impl DisposalRate {
    /// Computes the rate over the batches approved by `base`.
    pub fn compute(batches: &[ApprovalBatch], base: Date, t: Date, kinds: &[DisposalKind]) -> Self {
        let within: Vec<_> = batches.iter().filter(|b| b.approved_on <= base).collect();
        Self {
            stock_m2: within.iter().map(|b| b.unsupplied(base)).sum(),
            disposed_m2: within
                .iter()
                .map(|b| b.disposed_between(base, t, kinds))
                .sum(),
        }
    }

    /// The rate rounded to 4 places, for display.
    pub fn rate(&self) -> Option<Decimal> {
        (self.stock_m2 > Decimal::ZERO).then(|| (self.disposed_m2 / self.stock_m2).round_dp(4))
    }
}

#[cfg(test)]
#[path = "unsupplied_tests.rs"]
mod tests;
