//! The scan's bulk-loaded data indexed by parcel position (its index in
//! [`ScanData::parcels`]) and by interned land user, so that evaluating a parcel looks up
//! nothing by string or UUID (the store matched each row to its parcel's position).

use crate::model::{ScanData, ScanSupply, StatusStep};
use jiff::civil::Date;
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
    steps: &'a [StatusStep],
    /// Range of each parcel's versions in `steps`.
    versions: Vec<(u32, u32)>,
    /// Each parcel's latest supply.
    pub(super) supply: Vec<Option<&'a ScanSupply>>,
    /// Each parcel's first supply contract date.
    pub(super) first_supplied: Vec<Option<Date>>,
    /// The batch (index in `data.batches`) each registered batch parcel lies in.
    pub(super) batch_of: &'a [Option<u32>],
}

impl<'a> Indexed<'a> {
    /// The store hands the versions and supplies over ordered by parcel position
    /// ([`ScanData::statuses`], [`ScanData::supplies`]): one pass over each.
    pub(super) fn new(data: &'a ScanData) -> Self {
        let n = data.parcels.len();
        let mut versions = vec![(0, 0); n];
        let mut start = 0usize;
        let steps = &data.statuses;
        for (k, s) in steps.iter().enumerate() {
            let next = steps.get(k + 1).map(|t| t.parcel_index);
            if next != Some(s.parcel_index) {
                if let Some(v) = versions.get_mut(s.parcel_index as usize) {
                    *v = (
                        u32::try_from(start).unwrap_or(u32::MAX),
                        u32::try_from(k + 1).unwrap_or(u32::MAX),
                    );
                }
                start = k + 1;
            }
        }
        // Ordered by contract date within a parcel: the last one wins as the latest, the
        // first gives the first contract date.
        let mut supply = vec![None; n];
        let mut first_supplied = vec![None; n];
        for s in &data.supplies {
            let i = s.parcel_index as usize;
            if let Some(x) = supply.get_mut(i) {
                *x = Some(s);
            }
            if let Some(x) = first_supplied.get_mut(i) {
                x.get_or_insert(s.contract_date);
            }
        }
        Self {
            steps,
            versions,
            supply,
            first_supplied,
            batch_of: &data.batch_of,
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
