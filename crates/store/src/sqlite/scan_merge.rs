//! Joins the rule scan's bulk reads by parcel position (the parcel's index in
//! [`ScanData::parcels`]): each supply, version and batch member is matched to its parcel once,
//! here, so that the rules look nothing up by UUID.
//!
//! The tables are read in storage order, which mostly follows the parcels' own order (a parcel
//! is registered, then supplied, then put in a batch), so the match tries the parcels just
//! after the last one matched before it falls back to a binary search over the ids sorted
//! once. No hashing: a million UUIDs into a `HashMap` was a sixth of the scan's time.

use crate::model::{ScanData, ScanParcel, ScanSupply, StatusStep};
use jiff::civil::Date;
use landcycle_domain::{AdminCode, BatchRecord, ParcelId, ParkId, Uscc};
use std::collections::BTreeMap;

/// The live parcels with their interned tables.
pub(super) struct Parcels {
    pub(super) parcels: Vec<ScanParcel>,
    pub(super) jurisdictions: Vec<AdminCode>,
    pub(super) parks: Vec<ParkId>,
    pub(super) enterprises: Vec<Uscc>,
    /// The parcels with more than one version (position, id), in parcel order.
    pub(super) multi: Vec<(u32, ParcelId)>,
}

/// The supplies in storage order with their storage key (`parcel_index` not yet set), the tax
/// figures, and the batches with each member's own `supplied_on`.
pub(super) struct Others {
    pub(super) supplies: Vec<(ScanSupply, i64)>,
    pub(super) tax: Vec<(Uscc, i16, rust_decimal::Decimal)>,
    pub(super) batches: Vec<BatchRecord>,
}

/// How many parcels past the last match are compared before the binary search.
const LOOKAHEAD: usize = 8;

/// Finds parcels' positions by id.
pub(super) struct Positions<'a> {
    parcels: &'a [ScanParcel],
    /// Just after the last position found.
    next: usize,
    /// (id, position) sorted by id, built on the first miss.
    sorted: Option<Vec<(ParcelId, u32)>>,
}

impl<'a> Positions<'a> {
    pub(super) fn new(parcels: &'a [ScanParcel]) -> Self {
        Self {
            parcels,
            next: 0,
            sorted: None,
        }
    }

    /// The position of the live parcel `id`, `None` when it is not live.
    pub(super) fn find(&mut self, id: ParcelId) -> Option<u32> {
        let parcels = self.parcels;
        // From the last match itself: a parcel's supplies or versions come one after another.
        let from = self.next.saturating_sub(1);
        let to = (self.next + LOOKAHEAD).min(parcels.len());
        if let Some(k) = parcels
            .get(from..to)
            .and_then(|w| w.iter().position(|p| p.id == id))
        {
            self.next = from + k + 1;
            return u32::try_from(from + k).ok();
        }
        let sorted = self.sorted.get_or_insert_with(|| {
            let mut v: Vec<(ParcelId, u32)> =
                parcels.iter().zip(0u32..).map(|(p, i)| (p.id, i)).collect();
            v.sort_unstable_by_key(|(id, _)| *id);
            v
        });
        let i = sorted
            .binary_search_by_key(&id, |(k, _)| *k)
            .ok()
            .and_then(|j| sorted.get(j))
            .map(|(_, i)| *i)?;
        self.next = i as usize + 1;
        Some(i)
    }
}

/// Joins the parts: the supplies of live parcels in (position, contract date, storage key)
/// order; every live parcel's versions (a first-version parcel's one version is its current
/// row); each batch member supplied on its parcel's first contract date when the registry has
/// one, on its stored `supplied_on` otherwise; and each parcel's batch.
pub(super) fn assemble(p: Parcels, o: Others, versions: Vec<StatusStep>) -> ScanData {
    let n = p.parcels.len();
    let mut at = Positions::new(&p.parcels);
    let mut supplies: Vec<(ScanSupply, i64)> = Vec::with_capacity(o.supplies.len());
    // Supplies of parcels no longer live still date their batch members' supply.
    let mut first_gone: BTreeMap<ParcelId, Date> = BTreeMap::new();
    for (mut s, key) in o.supplies {
        match at.find(s.parcel_id) {
            Some(i) => {
                s.parcel_index = i;
                supplies.push((s, key));
            }
            None => {
                let d = first_gone.entry(s.parcel_id).or_insert(s.contract_date);
                *d = (*d).min(s.contract_date);
            }
        }
    }
    // Usually in this order already: the sort then only checks.
    supplies.sort_by_key(|(s, key)| (s.parcel_index, s.contract_date, *key));
    let mut first: Vec<Option<Date>> = vec![None; n];
    for (s, _) in &supplies {
        if let Some(f) = first.get_mut(s.parcel_index as usize) {
            f.get_or_insert(s.contract_date);
        }
    }
    let mut batches = o.batches;
    let mut batch_of = vec![None; n];
    for (b, batch) in (0u32..).zip(batches.iter_mut()) {
        for m in &mut batch.parcels {
            let Some(id) = m.parcel_id else {
                continue;
            };
            let supplied = match at.find(id) {
                Some(i) => {
                    if let Some(x) = batch_of.get_mut(i as usize) {
                        *x = Some(b);
                    }
                    first.get(i as usize).copied().flatten()
                }
                None => first_gone.get(&id).copied(),
            };
            if let Some(d) = supplied {
                m.supplied_on = Some(d);
            }
        }
    }
    let mut statuses = Vec::with_capacity(n + versions.len());
    let mut fetched = versions.into_iter().peekable();
    let mut multi = p.multi.iter().peekable();
    for (i, parcel) in (0u32..).zip(&p.parcels) {
        if multi.next_if(|(j, _)| *j == i).is_some() {
            while let Some(s) = fetched.next_if(|s| s.parcel_index == i) {
                statuses.push(s);
            }
        } else {
            statuses.push(StatusStep {
                parcel_id: parcel.id,
                parcel_index: i,
                version: 1,
                status: parcel.status,
                valid_from: parcel.valid_from,
            });
        }
    }
    ScanData {
        parcels: p.parcels,
        jurisdictions: p.jurisdictions,
        parks: p.parks,
        enterprises: p.enterprises,
        statuses,
        supplies: supplies.into_iter().map(|(s, _)| s).collect(),
        tax: o.tax,
        batches,
        batch_of,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use landcycle_domain::ParcelLifecycle;
    use landcycle_domain::units::AreaM2;

    fn parcel(n: u128) -> ScanParcel {
        ScanParcel {
            id: ParcelId(uuid::Uuid::from_u128(n)),
            jurisdiction: 0,
            park: None,
            status: ParcelLifecycle::Granted,
            computed_area_m2: AreaM2(rust_decimal::Decimal::ONE),
            enterprise: None,
            valid_from: jiff::civil::date(2020, 1, 1),
        }
    }

    #[test]
    fn finds_positions_in_order_out_of_order_and_not_at_all() {
        // Ids not sorted by value, so the binary search must use its own sorted copy.
        let parcels: Vec<ScanParcel> = [50, 10, 40, 20, 30, 99, 1, 7, 8, 9, 11, 12, 60]
            .into_iter()
            .map(parcel)
            .collect();
        let id = |n| ParcelId(uuid::Uuid::from_u128(n));
        let mut at = Positions::new(&parcels);
        // In order, repeated, skipping a few.
        assert_eq!(at.find(id(50)), Some(0));
        assert_eq!(at.find(id(50)), Some(0));
        assert_eq!(at.find(id(40)), Some(2));
        assert_eq!(at.find(id(99)), Some(5));
        // Far ahead and then back: the fallback.
        assert_eq!(at.find(id(60)), Some(12));
        assert_eq!(at.find(id(10)), Some(1));
        assert_eq!(at.find(id(20)), Some(3));
        // Not live.
        assert_eq!(at.find(id(1234)), None);
        assert_eq!(at.find(id(30)), Some(4));
        for (i, p) in parcels.iter().enumerate().rev() {
            assert_eq!(at.find(p.id), Some(i as u32));
        }
    }
}
