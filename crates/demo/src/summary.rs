//! Counts of a generated population, by park and lifecycle status, for the CLI to print.

use crate::DemoData;
use crate::replay::{Final, replay};
use jiff::ToSpan;
use jiff::civil::Date;
use landcycle_domain::ParcelLifecycle;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::collections::BTreeMap;

/// The last day of the demo history: the rules are evaluated as of this day.
pub const HISTORY_END: Date = jiff::civil::date(2025, 12, 31);

/// Parcel counts of one park.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParkCounts {
    /// Park id.
    pub id: String,
    /// Park name.
    pub name: String,
    /// Live parcels at the end of the history.
    pub parcels: usize,
    /// Live parcels by lifecycle status (API names), in lifecycle order.
    pub by_status: Vec<(String, usize)>,
}

/// What a generated population holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    /// Parks.
    pub parks: Vec<ParkCounts>,
    /// Live parcels by lifecycle status over all parks, in lifecycle order.
    pub by_status: Vec<(String, usize)>,
    /// Parcels ever created (by create, split or merge).
    pub parcels_created: usize,
    /// Parcels live at the end of the history.
    pub parcels_live: usize,
    /// Update ops.
    pub updates: usize,
    /// Split ops.
    pub splits: usize,
    /// Merge ops.
    pub merges: usize,
    /// Supply records.
    pub supplies: usize,
    /// Enterprises.
    pub enterprises: usize,
    /// Enterprises holding land at the end of the history.
    pub enterprises_with_land: usize,
    /// 规上 enterprises.
    pub above_scale: usize,
    /// Rows of yearly figures.
    pub figure_rows: usize,
    /// Parcels idle on [`HISTORY_END`]: granted or delivered, agreed start a year or more past.
    pub idle: usize,
    /// Of these, idle two years or more.
    pub idle_over_two_years: usize,
    /// Parcels still 批而未供 (status approved_unsupplied).
    pub approved_unsupplied: usize,
    /// Enterprises whose land is all in production at the end (the 亩均税收 base).
    pub producing_enterprises: usize,
    /// Of these, enterprises paying under 3 万元/亩 in the last year.
    pub low_tax_enterprises: usize,
    /// Problems a replay of the ops found (0 for a sound population).
    pub problems: usize,
}

/// True when the parcel counts as idle on `t` for `years` (§1.2 type A).
pub(crate) fn idle_for(f: &Final, t: Date, years: i64) -> bool {
    matches!(
        f.draft.status,
        ParcelLifecycle::Granted | ParcelLifecycle::Delivered
    ) && f
        .supply
        .as_ref()
        .and_then(|s| s.agreed_start)
        .is_some_and(|s| s.saturating_add(years.years()) <= t)
}

fn count_by_status<'a>(it: impl Iterator<Item = &'a Final>) -> Vec<(String, usize)> {
    let mut m: BTreeMap<ParcelLifecycle, usize> = BTreeMap::new();
    for f in it {
        *m.entry(f.draft.status).or_default() += 1;
    }
    m.into_iter()
        .map(|(s, n)| (s.as_str().to_owned(), n))
        .collect()
}

impl DemoData {
    /// Counts by park and status, and the shaped cases (idle, unsupplied, low tax).
    pub fn summary(&self) -> DemoSummary {
        let r = replay(&self.ops);
        let parks = self
            .parks
            .iter()
            .map(|p| {
                let mine: Vec<&Final> = r
                    .live
                    .values()
                    .filter(|f| f.draft.park_id.as_deref() == Some(p.id.as_str()))
                    .collect();
                ParkCounts {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    parcels: mine.len(),
                    by_status: count_by_status(mine.into_iter()),
                }
            })
            .collect();
        // Land held at the end, and whether all of it produces.
        let mut held: BTreeMap<&str, (f64, bool)> = BTreeMap::new();
        for f in r.live.values() {
            if let Some(e) = f.draft.enterprise.as_deref() {
                let m2 = f
                    .draft
                    .registered_area_m2
                    .and_then(|a| a.to_f64())
                    .unwrap_or(0.0);
                let h = held.entry(e).or_insert((0.0, true));
                h.0 += m2 * 3.0 / 2000.0;
                h.1 &= crate::story::producing(f.draft.status);
            }
        }
        let last_year = self.figures.iter().map(|f| f.year).max().unwrap_or(0);
        let (mut producing, mut low) = (0, 0);
        for f in self.figures.iter().filter(|f| f.year == last_year) {
            if let Some(&(mu, true)) = held.get(f.uscc.as_str())
                && mu > 0.0
            {
                producing += 1;
                let wan = (f.tax_yuan / Decimal::from(10_000)).to_f64().unwrap_or(0.0);
                if wan / mu < 3.0 {
                    low += 1;
                }
            }
        }
        DemoSummary {
            parks,
            by_status: count_by_status(r.live.values()),
            parcels_created: r.created,
            parcels_live: r.live.len(),
            updates: r.updates,
            splits: r.splits,
            merges: r.merges,
            supplies: r.supplies,
            enterprises: self.enterprises.len(),
            enterprises_with_land: held.len(),
            above_scale: self.enterprises.iter().filter(|e| e.above_scale).count(),
            figure_rows: self.figures.len(),
            idle: r
                .live
                .values()
                .filter(|f| idle_for(f, HISTORY_END, 1))
                .count(),
            idle_over_two_years: r
                .live
                .values()
                .filter(|f| idle_for(f, HISTORY_END, 2))
                .count(),
            approved_unsupplied: r
                .live
                .values()
                .filter(|f| f.draft.status == ParcelLifecycle::ApprovedUnsupplied)
                .count(),
            producing_enterprises: producing,
            low_tax_enterprises: low,
            problems: r.problems.len(),
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", crate::SYNTHETIC_NOTICE_ZH)?;
        writeln!(f, "{}", crate::SYNTHETIC_NOTICE_EN)?;
        writeln!(
            f,
            "parks {}; enterprises {} ({} holding land, {} 规上); figure rows {}",
            self.parks.len(),
            self.enterprises,
            self.enterprises_with_land,
            self.above_scale,
            self.figure_rows
        )?;
        writeln!(
            f,
            "parcels: {} live, {} created; {} updates, {} splits, {} merges, {} supplies",
            self.parcels_live,
            self.parcels_created,
            self.updates,
            self.splits,
            self.merges,
            self.supplies
        )?;
        let live = self.parcels_live;
        writeln!(
            f,
            "idle (闲置) {} = {:.1} % ({} over two years); 批而未供 {} = {:.1} %; low 亩均税收 (<3 万元/亩) {} of {} = {:.1} %",
            self.idle,
            pct(self.idle, live),
            self.idle_over_two_years,
            self.approved_unsupplied,
            pct(self.approved_unsupplied, live),
            self.low_tax_enterprises,
            self.producing_enterprises,
            pct(self.low_tax_enterprises, self.producing_enterprises)
        )?;
        let statuses = |v: &[(String, usize)]| {
            v.iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(f, "by status: {}", statuses(&self.by_status))?;
        for p in &self.parks {
            writeln!(
                f,
                "  {:<14} {:>5}  {}  [{}]",
                p.id,
                p.parcels,
                p.name,
                statuses(&p.by_status)
            )?;
        }
        if self.problems > 0 {
            writeln!(f, "PROBLEMS: {}", self.problems)?;
        }
        Ok(())
    }
}
