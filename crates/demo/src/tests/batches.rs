//! The demo's approval batches: valid, each live 批而未供 or supplied parcel in exactly one,
//! and the mix the batch rules need.

use super::*;
use landcycle_domain::ParcelLifecycle;
use landcycle_domain::rules::unsupplied::DisposalKind;

#[test]
fn every_live_parcel_lies_in_one_valid_batch() {
    let d = data();
    let mut seen: BTreeMap<ParcelId, &str> = BTreeMap::new();
    for b in &d.batches {
        let r = b
            .clone()
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", b.id));
        for p in r.parcel_ids() {
            assert!(seen.insert(p, &b.id).is_none(), "{p} in two batches");
        }
    }
    for (id, draft) in live() {
        if draft.status != ParcelLifecycle::Recovered {
            assert!(
                seen.contains_key(&id),
                "{id} ({}) in no batch",
                draft.status
            );
        }
    }
    let ids: BTreeSet<&str> = d.batches.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids.len(), d.batches.len(), "批文号 unique");
}

#[test]
fn the_mix_has_every_case_in_several_parks() {
    let d = data();
    let never_acquired: BTreeSet<_> = d
        .batches
        .iter()
        .filter(|b| b.acquired_on.is_none())
        .filter_map(|b| b.park_id.clone())
        .collect();
    assert!(never_acquired.len() >= 3, "{never_acquired:?}");
    let remainders: BTreeSet<_> = d
        .batches
        .iter()
        .filter(|b| b.parcels.iter().any(|p| p.parcel_id.is_none()))
        .filter_map(|b| b.park_id.clone())
        .collect();
    assert!(remainders.len() >= 3, "{remainders:?}");
    let kinds: BTreeSet<DisposalKind> = d
        .batches
        .iter()
        .flat_map(|b| b.deductions.iter().map(|x| x.kind))
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    let unsupplied_parks: BTreeSet<_> = live()
        .values()
        .filter(|p| p.status == ParcelLifecycle::ApprovedUnsupplied)
        .filter_map(|p| p.park_id.clone())
        .collect();
    assert!(unsupplied_parks.len() >= 3, "{unsupplied_parks:?}");
}
