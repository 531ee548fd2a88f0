//! The registry: the one write path of landcycle. input → validate → domain → store.

mod batch_report;
mod batches;
mod bulk;
mod diff;
mod evaluate;
mod figures_import;
mod holdings;
mod ids;
mod import;
mod import_checks;
mod import_facts;
mod import_stream;
mod parcels;
mod park_table;
mod quota;
mod records;
mod scan;
mod scan_batches;
mod scan_index;
mod scan_report;
mod timeline;
mod workflow;

pub use batch_report::{
    AgeBucketArea, BatchRow, BatchSummary, BatchTotals, summarize as summarize_batches,
};
pub(crate) use diff::parcel_record;
pub use evaluate::EvaluationOutcome;
pub use figures_import::{FiguresReport, FiguresRow};
pub use import::{
    CheckedImport, DEFAULT_OVERLAP_TOLERANCE, ImportProblem, ImportReport, ImportRow, ImportSource,
};
pub use park_table::{ParkTaxRow, ParkYear};
pub use quota::{CountyInputs, FigureSource, IdleDisposal, QuotaInputs, QuotaOverrides};
pub use scan_report::{ParkTally, ScanFilter, ScanReport};
pub use timeline::{Lineage, Timeline};

use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::{Change, ChangeSet};
use jiff::Timestamp;
use jiff::civil::Date;
use landcycle_domain::{Actor, ChangeEvent, ChangeKind, ChangeReason, EntityKind};
use rust_decimal::Decimal;
use std::sync::Arc;

/// Who makes a change, why, and when it takes effect.
#[derive(Debug, Clone)]
pub struct WriteMeta {
    /// Who.
    pub actor: Actor,
    /// Why (a reason is required for every write).
    pub reason: ChangeReason,
    /// The day the change takes effect; today when absent.
    pub effective: Option<Date>,
    /// Transaction time; now when absent (the demo sets it to replay history).
    pub recorded_at: Option<Timestamp>,
}

impl WriteMeta {
    /// A change by `actor` for `reason`, effective today.
    pub fn new(actor: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            actor: Actor(actor.into()),
            reason: ChangeReason::new(reason),
            effective: None,
            recorded_at: None,
        }
    }

    /// The same change, effective on `date`.
    #[must_use]
    pub fn effective(mut self, date: Date) -> Self {
        self.effective = Some(date);
        self
    }

    /// The same change with a case or document reference.
    #[must_use]
    pub fn reference(mut self, r: impl Into<String>) -> Self {
        self.reason.reference = Some(r.into());
        self
    }
}

/// The registry over a store.
pub struct Registry<S: Store + ?Sized> {
    store: Arc<S>,
    area_tolerance: Decimal,
    max_attachment_bytes: usize,
}

impl<S: Store + ?Sized> Clone for Registry<S> {
    fn clone(&self) -> Self {
        Self {
            store: Arc::clone(&self.store),
            area_tolerance: self.area_tolerance,
            max_attachment_bytes: self.max_attachment_bytes,
        }
    }
}

impl<S: Store + ?Sized> Registry<S> {
    /// A registry with the default area tolerance (0.5 %) and a 50 MiB attachment limit.
    pub fn new(store: Arc<S>) -> Self {
        Self {
            store,
            area_tolerance: landcycle_domain::AreaCheck::default_tolerance(),
            max_attachment_bytes: 50 << 20,
        }
    }

    /// Sets the tolerance between computed and registered area above which a parcel is flagged.
    #[must_use]
    pub fn with_area_tolerance(mut self, t: Decimal) -> Self {
        self.area_tolerance = t;
        self
    }

    /// The area tolerance in force.
    pub fn area_tolerance(&self) -> Decimal {
        self.area_tolerance
    }

    /// The underlying store, for reads.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// A shared handle to the store.
    pub fn store_arc(&self) -> Arc<S> {
        Arc::clone(&self.store)
    }
}

/// Collects the changes of one operation and writes them as one change set.
pub(crate) struct Batch<'a> {
    meta: &'a WriteMeta,
    recorded_at: Timestamp,
    effective: Date,
    changes: Vec<Change>,
}

impl<'a> Batch<'a> {
    pub(crate) fn new(meta: &'a WriteMeta) -> StoreResult<Self> {
        if meta.reason.reason.trim().is_empty() {
            return Err(StoreError::field(
                "reason",
                Some(""),
                "a reason is required for every change",
                "每项变更都须填写原因",
            ));
        }
        if meta.actor.0.trim().is_empty() {
            return Err(StoreError::field(
                "actor",
                Some(""),
                "the actor is required",
                "须注明操作人",
            ));
        }
        let recorded_at = meta.recorded_at.unwrap_or_else(Timestamp::now);
        let effective = meta.effective.unwrap_or_else(|| {
            recorded_at
                .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                .date()
        });
        Ok(Self {
            meta,
            recorded_at,
            effective,
            changes: Vec::new(),
        })
    }

    pub(crate) fn recorded_at(&self) -> Timestamp {
        self.recorded_at
    }

    pub(crate) fn effective(&self) -> Date {
        self.effective
    }

    pub(crate) fn push(&mut self, c: Change) {
        self.changes.push(c);
    }

    pub(crate) fn event(
        &mut self,
        entity: EntityKind,
        id: String,
        kind: ChangeKind,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
        related: Vec<String>,
    ) {
        let e = self.make_event(entity, id, kind, before, after, related);
        self.changes.push(e);
    }

    /// The event [`Batch::event`] would push, for a producer that streams its changes
    /// ([`crate::Store::apply_stream`]).
    pub(crate) fn make_event(
        &self,
        entity: EntityKind,
        id: String,
        kind: ChangeKind,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
        related: Vec<String>,
    ) -> Change {
        Change::Event(Box::new(ChangeEvent {
            seq: 0,
            entity,
            entity_id: id,
            kind,
            actor: self.meta.actor.clone(),
            recorded_at: self.recorded_at,
            effective: self.effective,
            reason: self.meta.reason.clone(),
            before,
            after,
            related,
        }))
    }

    pub(crate) fn commit<S: Store + ?Sized>(self, store: &S) -> StoreResult<crate::Applied> {
        store.apply(ChangeSet {
            changes: self.changes,
            recorded_at: self.recorded_at,
            effective: self.effective,
        })
    }
}
