//! The rule scan's report: every finding, grouped by parcel then batch, with a compact row per
//! scanned parcel so that the report can be restricted to a scope (county, park, land user)
//! and counted per park without scanning again.

use super::scan_batches::ScannedBatch;
use jiff::civil::Date;
use landcycle_domain::rules::{Finding, StockStatus};
use landcycle_domain::{AdminCode, ParcelId, ParkId, Uscc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Findings counted for one park.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ParkTally {
    /// Live parcels scanned.
    pub parcels: usize,
    /// Idle, caused by the land user.
    pub idle: usize,
    /// Of these, two years or more (无偿收回 threshold).
    pub idle_two_years: usize,
    /// Idle by the facts, caused by the government (第八条).
    pub idle_government_caused: usize,
    /// 批而未供 parcels.
    pub unsupplied: usize,
    /// Approval batches (批次) of the park.
    pub batches: usize,
    /// Of these, batches with a finding (满2年未征收, 征收满3年仍未供).
    pub batches_flagged: usize,
    /// Parcels with at least one low-efficiency finding.
    pub low_efficiency: usize,
    /// Parcels by stock status (PWG, GWY …).
    pub stock: BTreeMap<String, usize>,
}

/// The result of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    /// The day the rules were applied as of.
    pub as_of: Date,
    /// The year whose department figures were used.
    pub evaluation_year: i16,
    /// Rule set name.
    pub rule_set: String,
    /// Live parcels scanned.
    pub parcels_scanned: usize,
    /// Every finding, grouped by parcel in the order the parcels were scanned.
    pub findings: Vec<Finding>,
    /// Counts per park id (`-` for parcels outside parks).
    pub by_park: BTreeMap<String, ParkTally>,
    /// One row per scanned parcel, to restrict the report to a scope.
    #[serde(skip)]
    pub(super) rows: Vec<Scanned>,
    /// One row per batch; their findings follow every parcel's in [`Self::findings`].
    #[serde(skip)]
    pub(super) batch_rows: Vec<ScannedBatch>,
    /// The counties, parks and land users the rows' indices refer to.
    #[serde(skip)]
    pub(super) names: ScanNames,
}

/// The distinct counties, parks and land users of the scanned parcels; a [`Scanned`] row
/// holds indices into these instead of its own copies.
#[derive(Debug, Clone, Default)]
pub(super) struct ScanNames {
    pub(super) jurisdictions: Vec<AdminCode>,
    pub(super) parks: Vec<ParkId>,
    pub(super) enterprises: Vec<Uscc>,
}

impl ScanNames {
    fn jurisdiction(&self, i: u32) -> Option<&AdminCode> {
        self.jurisdictions.get(i as usize)
    }

    fn park(&self, i: Option<u32>) -> Option<&ParkId> {
        i.and_then(|i| self.parks.get(i as usize))
    }

    fn enterprise(&self, i: Option<u32>) -> Option<&Uscc> {
        i.and_then(|i| self.enterprises.get(i as usize))
    }
}

/// What the scan found about one parcel, compactly: enough to count it and to find its
/// findings again.
#[derive(Debug, Clone)]
pub(super) struct Scanned {
    pub(super) id: ParcelId,
    /// Index into [`ScanNames::jurisdictions`].
    pub(super) jurisdiction: u32,
    /// Index into [`ScanNames::parks`].
    pub(super) park: Option<u32>,
    /// Index into [`ScanNames::enterprises`].
    pub(super) enterprise: Option<u32>,
    /// `None` for recovered parcels (counted as `RECOVERED`).
    pub(super) stock: Option<StockStatus>,
    pub(super) idle: bool,
    pub(super) idle_two_years: bool,
    pub(super) idle_government_caused: bool,
    pub(super) unsupplied: bool,
    pub(super) low_efficiency: bool,
    /// End (exclusive) of this parcel's findings in [`ScanReport::findings`].
    pub(super) findings_end: usize,
}

/// Restricts a report to the parcels of a jurisdiction, a park and/or a land user (each
/// `None` means any) — the same fields a scoped parcel list filters on.
#[derive(Debug, Clone, Default)]
pub struct ScanFilter {
    /// County (区县) code.
    pub jurisdiction: Option<AdminCode>,
    /// Park.
    pub park: Option<ParkId>,
    /// Land user.
    pub enterprise: Option<Uscc>,
}

impl ScanFilter {
    fn keeps_batch(&self, b: &ScannedBatch) -> bool {
        self.enterprise.is_none()
            && self
                .jurisdiction
                .as_ref()
                .is_none_or(|j| *j == b.jurisdiction)
            && self
                .park
                .as_ref()
                .is_none_or(|p| b.park.as_ref() == Some(p))
    }

    fn keeps(&self, r: &Scanned, n: &ScanNames) -> bool {
        self.jurisdiction
            .as_ref()
            .is_none_or(|j| n.jurisdiction(r.jurisdiction) == Some(j))
            && self.park.as_ref().is_none_or(|p| n.park(r.park) == Some(p))
            && self
                .enterprise
                .as_ref()
                .is_none_or(|u| n.enterprise(r.enterprise) == Some(u))
    }
}

/// The counts per park of `rows` and `batches`.
pub(super) fn tally(
    rows: &[&Scanned],
    batches: &[&ScannedBatch],
    names: &ScanNames,
) -> BTreeMap<String, ParkTally> {
    // Counted per park index first: no key string per row.
    type Counts = (ParkTally, BTreeMap<Option<StockStatus>, usize>);
    let mut per: BTreeMap<Option<u32>, Counts> = BTreeMap::new();
    for r in rows {
        let (t, stock) = per.entry(r.park).or_default();
        t.parcels += 1;
        t.idle += usize::from(r.idle);
        t.idle_two_years += usize::from(r.idle_two_years);
        t.idle_government_caused += usize::from(r.idle_government_caused);
        t.unsupplied += usize::from(r.unsupplied);
        t.low_efficiency += usize::from(r.low_efficiency);
        *stock.entry(r.stock).or_default() += 1;
    }
    let mut by_park: BTreeMap<String, ParkTally> = BTreeMap::new();
    for (park, (mut t, stock)) in per {
        for (s, n) in stock {
            let key = s.map_or_else(
                || "RECOVERED".to_owned(),
                |s| format!("{s:?}").to_uppercase(),
            );
            *t.stock.entry(key).or_default() += n;
        }
        by_park.insert(park_key(names.park(park)), t);
    }
    for b in batches {
        let t = by_park.entry(park_key(b.park.as_ref())).or_default();
        t.batches += 1;
        t.batches_flagged += usize::from(b.findings.0 < b.findings.1);
    }
    by_park
}

pub(super) fn park_key(p: Option<&ParkId>) -> String {
    p.map_or("-".to_owned(), |x| x.as_str().to_owned())
}

impl ScanReport {
    fn findings_of_row(&self, i: usize) -> &[Finding] {
        let start = if i == 0 {
            0
        } else {
            self.rows[i - 1].findings_end
        };
        self.findings
            .get(start..self.rows[i].findings_end)
            .unwrap_or(&[])
    }

    /// The findings about the parcels `filter` keeps, in scan order.
    pub fn findings_where<'a>(
        &'a self,
        filter: &'a ScanFilter,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        let batches = self
            .batch_rows
            .iter()
            .filter(|b| filter.keeps_batch(b))
            .flat_map(|b| self.findings.get(b.findings.0..b.findings.1).unwrap_or(&[]));
        (0..self.rows.len())
            .filter(|i| filter.keeps(&self.rows[*i], &self.names))
            .flat_map(|i| self.findings_of_row(i))
            .chain(batches)
    }

    /// The findings about one batch (empty when nothing fired or there is no such batch).
    pub fn findings_of_batch(&self, id: &str) -> &[Finding] {
        self.batch_rows
            .iter()
            .find(|b| b.id == id)
            .and_then(|b| self.findings.get(b.findings.0..b.findings.1))
            .unwrap_or(&[])
    }

    /// The findings about one parcel (empty when it was not scanned or nothing fired).
    pub fn findings_of(&self, id: ParcelId) -> &[Finding] {
        self.rows
            .iter()
            .position(|r| r.id == id)
            .map_or(&[], |i| self.findings_of_row(i))
    }

    /// The per-park counts and the number of parcels over the parcels `filter` keeps.
    pub fn tally_where(&self, filter: &ScanFilter) -> (usize, BTreeMap<String, ParkTally>) {
        let rows: Vec<&Scanned> = self
            .rows
            .iter()
            .filter(|r| filter.keeps(r, &self.names))
            .collect();
        let batches: Vec<_> = self
            .batch_rows
            .iter()
            .filter(|b| filter.keeps_batch(b))
            .collect();
        (rows.len(), tally(&rows, &batches, &self.names))
    }
}
