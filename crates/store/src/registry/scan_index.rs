//! The scan's bulk-loaded data indexed by parcel position (its index in
//! [`ScanData::parcels`]) and by interned land user, so that evaluating a parcel looks up
//! nothing by string or UUID: each UUID is hashed once, here.

use crate::model::{ScanData, ScanSupply, StatusStep};
use jiff::civil::Date;
use landcycle_domain::ParcelId;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// The facts a scan needs about one enterprise: its land and its tax per year.
#[derive(Default)]
pub(super) struct LandUser {
    pub(super) mu: Decimal,
    pub(super) tax_yuan: BTreeMap<i16, Decimal>,
    /// 亩均税收 per year, 万元/亩 (empty without land).
    pub(super) tax_per_mu_wan: BTreeMap<i16, Decimal>,
}

/// Per parcel position: its versions, latest supply, first contract date and batch.
pub(super) struct Indexed<'a> {
    /// Every live parcel's versions, grouped by parcel, oldest first.
    steps: Vec<StatusStep>,
    /// Range of each parcel's versions in `steps`.
    versions: Vec<(u32, u32)>,
    /// Each parcel's latest supply.
    pub(super) supply: Vec<Option<&'a ScanSupply>>,
    /// Each parcel's first supply contract date.
    pub(super) first_supplied: Vec<Option<Date>>,
    /// The batch (index in `data.batches`) each registered batch parcel lies in.
    pub(super) batch_of: Vec<Option<u32>>,
}

impl<'a> Indexed<'a> {
    pub(super) fn new(data: &'a ScanData) -> Self {
        let n = data.parcels.len();
        let position: HashMap<ParcelId, u32> = data
            .parcels
            .iter()
            .zip(0u32..)
            .map(|(p, i)| (p.id, i))
            .collect();
        // Versions of live parcels only, ordered by (position, version): the store reads them
        // in storage order, which is usually this order already (the sort then only checks).
        let mut keyed: Vec<(u32, StatusStep)> = data
            .statuses
            .iter()
            .filter_map(|s| position.get(&s.parcel_id).map(|i| (*i, *s)))
            .collect();
        keyed.sort_by_key(|(i, s)| (*i, s.version));
        let mut versions = vec![(0, 0); n];
        let mut start = 0usize;
        for (k, (i, _)) in keyed.iter().enumerate() {
            let next = keyed.get(k + 1).map(|(j, _)| *j);
            if next != Some(*i) {
                if let Some(v) = versions.get_mut(*i as usize) {
                    *v = (
                        u32::try_from(start).unwrap_or(u32::MAX),
                        u32::try_from(k + 1).unwrap_or(u32::MAX),
                    );
                }
                start = k + 1;
            }
        }
        // The supplies come ordered by contract date within a parcel: the last one wins as
        // the latest, the first gives the first contract date.
        let mut supply = vec![None; n];
        let mut first_supplied = vec![None; n];
        for s in &data.supplies {
            if let Some(i) = position.get(&s.parcel_id).map(|i| *i as usize) {
                if let Some(x) = supply.get_mut(i) {
                    *x = Some(s);
                }
                if let Some(x) = first_supplied.get_mut(i) {
                    x.get_or_insert(s.contract_date);
                }
            }
        }
        // A parcel listed in two batches belongs to the later one.
        let mut batch_of = vec![None; n];
        for (b, batch) in (0u32..).zip(&data.batches) {
            for p in batch.parcel_ids() {
                if let Some(x) = position.get(&p).and_then(|i| batch_of.get_mut(*i as usize)) {
                    *x = Some(b);
                }
            }
        }
        Self {
            steps: keyed.into_iter().map(|(_, s)| s).collect(),
            versions,
            supply,
            first_supplied,
            batch_of,
        }
    }

    /// The versions of the parcel at `i`, oldest first.
    pub(super) fn versions(&self, i: usize) -> &[StatusStep] {
        self.versions
            .get(i)
            .and_then(|(a, b)| self.steps.get(*a as usize..*b as usize))
            .unwrap_or(&[])
    }
}

/// The land users by interned index ([`ScanData::enterprises`]): land summed in parcel
/// order, tax per year, 亩均税收.
pub(super) fn land_users(data: &ScanData) -> Vec<LandUser> {
    let mut users: Vec<LandUser> = data
        .enterprises
        .iter()
        .map(|_| LandUser::default())
        .collect();
    for p in &data.parcels {
        if let Some(u) = p.enterprise.and_then(|u| users.get_mut(u as usize)) {
            u.mu += p.computed_area_m2.to_mu().0;
        }
    }
    let by_code: HashMap<&str, usize> = data
        .enterprises
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    for (u, year, tax) in &data.tax {
        if let Some(lu) = by_code.get(u.as_str()).and_then(|i| users.get_mut(*i)) {
            lu.tax_yuan.insert(*year, *tax);
        }
    }
    for lu in &mut users {
        if lu.mu > Decimal::ZERO {
            lu.tax_per_mu_wan = lu
                .tax_yuan
                .iter()
                .map(|(y, t)| (*y, (*t / Decimal::from(10_000) / lu.mu).round_dp(4)))
                .collect();
        }
    }
    users
}

/// Each park's 亩均税收 per year: Σ tax / Σ land of the enterprises whose first parcel (in
/// storage order) lies in it, summed in 统一社会信用代码 order. Index 0 is "no park", index
/// `k + 1` is park `k` of [`ScanData::parks`].
pub(super) fn park_averages(data: &ScanData, users: &[LandUser]) -> Vec<BTreeMap<i16, Decimal>> {
    let mut home: Vec<Option<Option<u32>>> = vec![None; users.len()];
    for p in &data.parcels {
        if let Some(h) = p.enterprise.and_then(|u| home.get_mut(u as usize)) {
            h.get_or_insert(p.park);
        }
    }
    let mut order: Vec<usize> = (0..users.len()).collect();
    order.sort_by(|a, b| data.enterprises.get(*a).cmp(&data.enterprises.get(*b)));
    let mut sums: BTreeMap<(Option<u32>, i16), (Decimal, Decimal)> = BTreeMap::new();
    for u in order {
        let (Some(Some(park)), Some(lu)) = (home.get(u), users.get(u)) else {
            continue;
        };
        for (y, t) in &lu.tax_yuan {
            let e = sums.entry((*park, *y)).or_default();
            e.0 += *t;
            e.1 += lu.mu;
        }
    }
    let mut out = vec![BTreeMap::new(); data.parks.len() + 1];
    for ((park, y), (t, mu)) in sums {
        if mu > Decimal::ZERO
            && let Some(m) = out.get_mut(park.map_or(0, |k| k as usize + 1))
        {
            m.insert(y, (t / Decimal::from(10_000) / mu).round_dp(4));
        }
    }
    out
}
