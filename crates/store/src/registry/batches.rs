//! Approval batches (批次): registering a batch with its parcels, and deductions from it.
//! Each write is one change set with its history event; the parcels named are related records,
//! so a parcel's timeline shows the batch it was carved from.

use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::Change;
use landcycle_domain::{BatchDeduction, BatchDraft, BatchRecord, ChangeKind, EntityKind};

fn to_value<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

impl<S: Store + ?Sized> Registry<S> {
    /// Registers a new approval batch. Refused, with the field named, when the draft is
    /// invalid, the park or a registered parcel does not exist, or a parcel already lies in
    /// another batch; refused as a conflict when the 批文号 is taken. All or nothing.
    pub fn add_batch(&self, draft: BatchDraft, meta: &WriteMeta) -> StoreResult<BatchRecord> {
        let b = draft.validate()?;
        if let Some(p) = &b.park_id
            && self.store().park(p)?.is_none()
        {
            return Err(StoreError::field(
                "park_id",
                Some(p.as_str()),
                "no such park",
                "园区不存在",
            ));
        }
        if self.store().batch(&b.id)?.is_some() {
            return Err(StoreError::Conflict(format!(
                "batch {} already exists",
                b.id
            )));
        }
        for (i, p) in b.parcels.iter().enumerate() {
            let Some(id) = p.parcel_id else { continue };
            let field = format!("parcels[{i}].parcel_id");
            if self.store().parcel_latest(id)?.is_none() {
                return Err(StoreError::field(
                    &field,
                    Some(&id.to_string()),
                    "no such parcel",
                    "宗地不存在",
                ));
            }
            if let Some(other) = self.store().batch_of_parcel(id)? {
                return Err(StoreError::field(
                    &field,
                    Some(&id.to_string()),
                    format!("the parcel already lies in batch {other}"),
                    format!("该地块已属于批次 {other}，一个地块只能属于一个批次"),
                ));
            }
        }
        let mut batch = Batch::new(meta)?;
        batch.event(
            EntityKind::Batch,
            b.id.clone(),
            ChangeKind::Create,
            None,
            Some(to_value(&b)),
            b.parcel_ids().map(|p| p.to_string()).collect(),
        );
        batch.push(Change::PutBatch(Box::new(b.clone())));
        batch.commit(self.store())?;
        Ok(b)
    }

    /// Records a deduction (撤回/撤销批文, 核实无需供应, 纳入储备) of part of a batch.
    pub fn add_batch_deduction(
        &self,
        batch_id: &str,
        d: BatchDeduction,
        meta: &WriteMeta,
    ) -> StoreResult<BatchRecord> {
        let Some(mut b) = self.store().batch(batch_id)? else {
            return Err(StoreError::NotFound {
                entity: "batch",
                id: batch_id.to_owned(),
            });
        };
        b.check_new_deduction(&d)?;
        let mut batch = Batch::new(meta)?;
        batch.event(
            EntityKind::Batch,
            b.id.clone(),
            ChangeKind::Update,
            None,
            Some(serde_json::json!({ "deduction": to_value(&d) })),
            vec![],
        );
        batch.push(Change::AddBatchDeduction {
            batch_id: b.id.clone(),
            deduction: Box::new(d.clone()),
        });
        batch.commit(self.store())?;
        b.deductions.push(d);
        Ok(b)
    }
}
