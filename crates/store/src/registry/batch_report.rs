//! 批而未供 accounting per batch and per park (§2.1–§2.2): each batch's status on a day with
//! its flags, and the summary a dashboard shows — approved, supplied, unsupplied, 供地率,
//! unsupplied area by age bucket, and 消化率 over a period counting only the disposal kinds the
//! rule set in force at the batch's place counts (`disposal_kinds_counted`).

use super::Registry;
use crate::backend::Store;
use crate::error::StoreResult;
use jiff::civil::Date;
use landcycle_domain::rules::config::Locus;
use landcycle_domain::rules::unsupplied::{BatchStatus, DisposalRate};
use landcycle_domain::rules::{RuleSet, UnsuppliedParams, batch_status};
use landcycle_domain::{AdminCode, BatchRecord, ParkId};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A batch with its status on a day.
#[derive(Debug, Clone)]
pub struct BatchRow {
    /// The stored batch.
    pub batch: BatchRecord,
    /// Its accounting and flags on the day.
    pub status: BatchStatus,
    /// The parameters in force at its place (age buckets, counted kinds).
    pub params: UnsuppliedParams,
}

/// Unsupplied area in one age bucket.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AgeBucketArea {
    /// `<2`, `2-3`, `3-5`, `>=5` (years since approval, by anniversaries).
    pub bucket: String,
    /// 批而未供, m².
    #[schema(value_type = String)]
    pub unsupplied_m2: Decimal,
    /// Batches in the bucket with land unsupplied.
    pub batches: usize,
}

/// Totals over a group of batches (a park, or the whole city).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BatchTotals {
    /// Batches.
    pub batches: usize,
    /// 批准面积, m².
    #[schema(value_type = String)]
    pub approved_m2: Decimal,
    /// 已供应, m².
    #[schema(value_type = String)]
    pub supplied_m2: Decimal,
    /// 核减 (withdrawn, not needed), m².
    #[schema(value_type = String)]
    pub deducted_m2: Decimal,
    /// 批而未供, m².
    #[schema(value_type = String)]
    pub unsupplied_m2: Decimal,
    /// 供地率 = supplied / approved (4 places); absent without approvals.
    #[schema(value_type = Option<String>)]
    pub supply_rate: Option<Decimal>,
    /// Unsupplied area by age bucket, youngest first.
    pub by_age: Vec<AgeBucketArea>,
    /// Unsupplied stock on the period's base date (`from`), m².
    #[schema(value_type = String)]
    pub stock_at_from_m2: Decimal,
    /// Disposed in `(from, as_of]` by the counted kinds, m².
    #[schema(value_type = String)]
    pub disposed_m2: Decimal,
    /// 消化率 = disposed / stock at `from` (4 places); absent without stock.
    #[schema(value_type = Option<String>)]
    pub disposal_rate: Option<Decimal>,
    /// Disposal kinds counted (from the rule set in force).
    pub kinds_counted: Vec<String>,
}

/// The per-park and city-wide summary.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchSummary {
    /// The day.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// Base date of the 消化率 period.
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    /// Per park id (`-` for batches outside parks).
    pub by_park: BTreeMap<String, BatchTotals>,
    /// Every batch of the summary.
    pub total: BatchTotals,
}

fn rate(num: Decimal, den: Decimal) -> Option<Decimal> {
    (den > Decimal::ZERO).then(|| (num / den).round_dp(4).normalize())
}

fn totals(rows: &[&BatchRow], from: Date, as_of: Date) -> BatchTotals {
    let mut t = BatchTotals::default();
    let mut ages: Vec<AgeBucketArea> = Vec::new();
    let mut kinds: Vec<String> = Vec::new();
    for r in rows {
        let s = &r.status;
        t.batches += 1;
        t.approved_m2 += s.approved_m2;
        t.supplied_m2 += s.supplied_m2;
        t.deducted_m2 += s.deducted_m2;
        t.unsupplied_m2 += s.unsupplied_m2;
        // The bucket labels in order, from the parameters (the same for every place today;
        // a label seen first elsewhere keeps its place).
        for (i, b) in bucket_labels(&r.params.age_buckets_years)
            .into_iter()
            .enumerate()
        {
            if !ages.iter().any(|a| a.bucket == b) {
                let at = i.min(ages.len());
                ages.insert(
                    at,
                    AgeBucketArea {
                        bucket: b,
                        unsupplied_m2: Decimal::ZERO,
                        batches: 0,
                    },
                );
            }
        }
        if s.unsupplied_m2 > Decimal::ZERO
            && let Some(a) = ages.iter_mut().find(|a| a.bucket == s.age_bucket)
        {
            a.unsupplied_m2 += s.unsupplied_m2;
            a.batches += 1;
        }
        let d = DisposalRate::compute(
            std::slice::from_ref(&r.batch.accounting()),
            from,
            as_of,
            &r.params.kinds_counted,
        );
        t.stock_at_from_m2 += d.stock_m2;
        t.disposed_m2 += d.disposed_m2;
        for k in &r.params.kinds_counted {
            if !kinds.iter().any(|x| x == k.as_str()) {
                kinds.push(k.as_str().to_owned());
            }
        }
    }
    t.supply_rate = rate(t.supplied_m2, t.approved_m2);
    t.disposal_rate = rate(t.disposed_m2, t.stock_at_from_m2);
    t.by_age = ages;
    t.kinds_counted = kinds;
    t
}

/// `<2`, `2-3`, `3-5`, `>=5` for bounds `[2, 3, 5]`.
fn bucket_labels(bounds: &[i32]) -> Vec<String> {
    let mut out = Vec::new();
    let mut last: Option<i32> = None;
    for b in bounds {
        out.push(match last {
            None => format!("<{b}"),
            Some(l) => format!("{l}-{b}"),
        });
        last = Some(*b);
    }
    if let Some(l) = last {
        out.push(format!(">={l}"));
    }
    out
}

/// Summarises `rows`: per park and over all of them, the 消化率 over `(from, as_of]`.
pub fn summarize(rows: &[&BatchRow], from: Date, as_of: Date) -> BatchSummary {
    let mut parks: BTreeMap<String, Vec<&BatchRow>> = BTreeMap::new();
    for r in rows {
        parks
            .entry(super::scan_report::park_key(r.batch.park_id.as_ref()))
            .or_default()
            .push(r);
    }
    BatchSummary {
        as_of,
        from,
        by_park: parks
            .into_iter()
            .map(|(k, v)| (k, totals(&v, from, as_of)))
            .collect(),
        total: totals(rows, from, as_of),
    }
}

impl<S: Store + ?Sized> Registry<S> {
    /// Every batch with its status on `as_of` under the rules in force at its place.
    pub fn batch_rows(&self, rules: &RuleSet, as_of: Date) -> StoreResult<Vec<BatchRow>> {
        let mut loci: Vec<((AdminCode, Option<ParkId>), UnsuppliedParams)> = Vec::new();
        let mut out = Vec::new();
        for b in self.store().batches()? {
            let key = (b.jurisdiction.clone(), b.park_id.clone());
            let params = match loci.iter().find(|(k, _)| *k == key) {
                Some((_, p)) => p.clone(),
                None => {
                    let locus = Locus {
                        county: key.0.clone(),
                        park: key.1.clone(),
                    };
                    let p = UnsuppliedParams::from_rules(&rules.resolve(&locus, as_of))?;
                    loci.push((key, p.clone()));
                    p
                }
            };
            let status = batch_status(&b.accounting(), as_of, &params);
            out.push(BatchRow {
                batch: b,
                status,
                params,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::bucket_labels;

    #[test]
    fn labels_follow_age_bucket() {
        assert_eq!(bucket_labels(&[2, 3, 5]), vec!["<2", "2-3", "3-5", ">=5"]);
        let a = jiff::civil::date(2020, 1, 1);
        for (t, want) in [
            ((2021, 1, 1), "<2"),
            ((2022, 1, 1), "2-3"),
            ((2026, 1, 1), ">=5"),
        ] {
            let t = jiff::civil::date(t.0, t.1, t.2);
            assert_eq!(
                landcycle_domain::rules::unsupplied::age_bucket(a, t, &[2, 3, 5]),
                want
            );
        }
    }
}
