//! The [`Target`] facts of records: where a parcel, an enterprise or a draft lies (its
//! jurisdiction, its park and the park's jurisdiction, its enterprise).

use landcycle_domain::access::Target;
use landcycle_domain::{AdminCode, Enterprise, Parcel, ParcelDraft, ParkId, Uscc};
use landcycle_store::{Store, StoreResult};

fn park_jurisdiction(store: &dyn Store, park: Option<&ParkId>) -> StoreResult<Option<AdminCode>> {
    Ok(match park {
        Some(id) => store.park(id)?.map(|p| p.jurisdiction.code),
        None => None,
    })
}

/// Where a parcel (version) lies.
pub fn parcel(store: &dyn Store, p: &Parcel) -> StoreResult<Target> {
    Ok(Target {
        jurisdiction: Some(p.jurisdiction.clone()),
        park: p.park_id.clone(),
        park_jurisdiction: park_jurisdiction(store, p.park_id.as_ref())?,
        enterprise: p.enterprise.clone(),
        department: None,
    })
}

/// Where an enterprise lies: its park (and the park's county), and itself.
pub fn enterprise(store: &dyn Store, e: &Enterprise) -> StoreResult<Target> {
    Ok(Target {
        jurisdiction: None,
        park: e.park_id.clone(),
        park_jurisdiction: park_jurisdiction(store, e.park_id.as_ref())?,
        enterprise: Some(e.uscc.clone()),
        department: None,
    })
}

/// Where a parcel draft would lie, from the fields that parse (the registry refuses the rest,
/// so a draft none of whose place fields parse is never written).
pub fn draft(store: &dyn Store, d: &ParcelDraft) -> StoreResult<Target> {
    let park = d.park_id.as_deref().and_then(|s| ParkId::parse(s).ok());
    Ok(Target {
        jurisdiction: AdminCode::parse(&d.jurisdiction).ok(),
        park_jurisdiction: park_jurisdiction(store, park.as_ref())?,
        park,
        enterprise: d.enterprise.as_deref().and_then(|s| Uscc::parse(s).ok()),
        department: None,
    })
}

/// Where an approval batch lies: its county, its park and the park's county.
pub fn batch(store: &dyn Store, b: &landcycle_domain::BatchRecord) -> StoreResult<Target> {
    Ok(Target {
        jurisdiction: Some(b.jurisdiction.clone()),
        park: b.park_id.clone(),
        park_jurisdiction: park_jurisdiction(store, b.park_id.as_ref())?,
        enterprise: None,
        department: None,
    })
}

/// Where a batch as given would lie, from the fields that parse.
pub fn batch_draft(store: &dyn Store, d: &landcycle_domain::BatchDraft) -> StoreResult<Target> {
    let park = d.park_id.as_deref().and_then(|s| ParkId::parse(s).ok());
    Ok(Target {
        jurisdiction: AdminCode::parse(&d.jurisdiction).ok(),
        park_jurisdiction: park_jurisdiction(store, park.as_ref())?,
        park,
        enterprise: None,
        department: None,
    })
}
