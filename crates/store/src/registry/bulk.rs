//! Bulk loading (a generated benchmark store, a first load from another system): many parcels
//! or supplies in one change set — one transaction — each checked exactly as the one-at-a-time
//! write checks it and each with its own history event. A refused row refuses the lot, with
//! the row named (`rows[i].field`).

use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::Change;
use landcycle_domain::{
    ChangeKind, EntityKind, Parcel, ParcelDraft, ParcelId, Supply, SupplyDraft, SupplyId,
};
use std::collections::BTreeSet;
use uuid::Uuid;

fn row(e: StoreError, i: usize) -> StoreError {
    match e {
        StoreError::Invalid(v) => StoreError::Invalid(
            v.into_iter()
                .map(|f| f.nested(&format!("rows[{i}]")))
                .collect(),
        ),
        other => other,
    }
}

impl<S: Store + ?Sized> Registry<S> {
    /// Creates every parcel of `drafts` in one transaction, as [`Registry::create_parcel`]
    /// creates one (validation, computed area, a `create` event each).
    pub fn create_parcels(
        &self,
        drafts: Vec<ParcelDraft>,
        meta: &WriteMeta,
    ) -> StoreResult<Vec<Parcel>> {
        let mut batch = Batch::new(meta)?;
        let mut out = Vec::with_capacity(drafts.len());
        for (i, d) in drafts.into_iter().enumerate() {
            let (valid, area) = self.prepare(d).map_err(|e| row(e, i))?;
            let id = ParcelId(Uuid::new_v4());
            out.push(super::parcels::stage_create(&mut batch, id, valid, area));
        }
        batch.commit(self.store())?;
        Ok(out)
    }

    /// Records every supply of `drafts` in one transaction, as [`Registry::add_supply`]
    /// records one (the parcel and the enterprise must exist).
    pub fn add_supplies(
        &self,
        drafts: Vec<SupplyDraft>,
        meta: &WriteMeta,
    ) -> StoreResult<Vec<Supply>> {
        let mut batch = Batch::new(meta)?;
        let mut known: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::with_capacity(drafts.len());
        for (i, d) in drafts.into_iter().enumerate() {
            let supply = d
                .validate(SupplyId(Uuid::new_v4()))
                .map_err(|e| row(e.into(), i))?;
            if self.store().parcel_latest(supply.parcel_id)?.is_none() {
                return Err(row(
                    StoreError::field(
                        "parcel_id",
                        Some(&supply.parcel_id.to_string()),
                        "no such parcel",
                        "宗地不存在",
                    ),
                    i,
                ));
            }
            if !known.contains(supply.enterprise.as_str()) {
                if self.store().enterprise(&supply.enterprise)?.is_none() {
                    return Err(row(
                        StoreError::field(
                            "enterprise",
                            Some(supply.enterprise.as_str()),
                            "enterprise is not registered; add it first",
                            "该企业尚未登记，请先登记企业",
                        ),
                        i,
                    ));
                }
                known.insert(supply.enterprise.as_str().to_owned());
            }
            batch.event(
                EntityKind::Supply,
                supply.id.0.to_string(),
                ChangeKind::Create,
                None,
                Some(serde_json::to_value(&supply).unwrap_or(serde_json::Value::Null)),
                vec![
                    supply.parcel_id.to_string(),
                    supply.enterprise.as_str().to_owned(),
                ],
            );
            batch.push(Change::PutSupply(Box::new(supply.clone())));
            out.push(supply);
        }
        batch.commit(self.store())?;
        Ok(out)
    }
}
