//! 一地一档: a parcel's whole record over time, and its lineage.

use super::Registry;
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::AttachmentMeta;
use landcycle_domain::{ChangeEvent, Parcel, ParcelId, Supply};
use serde::Serialize;
use std::collections::BTreeSet;

/// Everything recorded about a parcel.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// Every version, oldest first.
    pub versions: Vec<Parcel>,
    /// Every event that touched it (edits, supplies, attachments, split/merge), oldest first.
    pub events: Vec<ChangeEvent>,
    /// Supply records.
    pub supplies: Vec<Supply>,
    /// Attachments.
    pub attachments: Vec<AttachmentMeta>,
    /// Direct parents and children.
    pub parents: Vec<ParcelId>,
    /// Direct children.
    pub children: Vec<ParcelId>,
}

/// Lineage walked in one direction to the end.
#[derive(Debug, Clone, Serialize)]
pub struct Lineage {
    /// The parcel the walk started from.
    pub root: ParcelId,
    /// `(parent, child)` edges found, in breadth-first order.
    pub edges: Vec<(ParcelId, ParcelId)>,
}

impl<S: Store + ?Sized> Registry<S> {
    /// The parcel's full record (一地一档).
    pub fn timeline(&self, id: ParcelId) -> StoreResult<Timeline> {
        let s = self.store();
        let versions = s.parcel_versions(id)?;
        if versions.is_empty() {
            return Err(StoreError::NotFound {
                entity: "parcel",
                id: id.to_string(),
            });
        }
        Ok(Timeline {
            versions,
            events: s.events_of(&id.to_string())?,
            supplies: s.supplies_of_parcel(id)?,
            attachments: s.attachments(id)?,
            parents: s.parents(id)?,
            children: s.children(id)?,
        })
    }

    /// Walks lineage from `id`: towards ancestors (`up`) or descendants, breadth first, each
    /// parcel once.
    pub fn lineage(&self, id: ParcelId, up: bool) -> StoreResult<Lineage> {
        if self.store().parcel_latest(id)?.is_none() {
            return Err(StoreError::NotFound {
                entity: "parcel",
                id: id.to_string(),
            });
        }
        let mut seen = BTreeSet::from([id]);
        let mut queue = std::collections::VecDeque::from([id]);
        let mut edges = Vec::new();
        while let Some(cur) = queue.pop_front() {
            let next = if up {
                self.store().parents(cur)?
            } else {
                self.store().children(cur)?
            };
            for n in next {
                edges.push(if up { (n, cur) } else { (cur, n) });
                if seen.insert(n) {
                    queue.push_back(n);
                }
            }
        }
        Ok(Lineage { root: id, edges })
    }
}
