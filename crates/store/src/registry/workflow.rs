//! Workflow writes (issue 6): records are created and replaced as one change set with their
//! history event; a transition writes the new record, its transition log entry, the event and
//! — where the record concerns a parcel and the step moves the parcel's lifecycle (§8.3) — the
//! parcel's new version and its event, all in one transaction or none.

use super::diff::{changed, parcel_record};
use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::Change;
use crate::workflow::{WfKind, WfRecord, WfTransition};
use jiff::civil::Date;
use landcycle_domain::workflow::engine::{TransitionRecord, TransitionRequest};
use landcycle_domain::workflow::idle_case::{IdleCase, idle_case_workflow};
use landcycle_domain::workflow::project::{
    StandardLandProject, parcel_status_after, project_workflow,
};
use landcycle_domain::{ChangeKind, DomainResult, EntityKind, ParcelLifecycle};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn entity_id(kind: WfKind, id: &str) -> String {
    format!("{}:{id}", kind.as_str())
}

fn to_doc<T: Serialize>(v: &T) -> StoreResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| StoreError::Backend(e.to_string()))
}

impl<S: Store + ?Sized> Registry<S> {
    /// Creates (`expected_version` None) or replaces a workflow record. The store sets the
    /// version and time; the id must be 1–80 characters.
    pub fn put_workflow(
        &self,
        rec: WfRecord,
        expected_version: Option<u32>,
        meta: &WriteMeta,
    ) -> StoreResult<WfRecord> {
        let mut batch = Batch::new(meta)?;
        let rec = self.push_record(&mut batch, rec, Some(expected_version))?;
        batch.commit(self.store())?;
        Ok(rec)
    }

    /// Writes several workflow records (each created or replaced at its stored version) in
    /// one transaction, e.g. a checkpoint met with its penalty statement and credit entry.
    pub fn put_workflows(
        &self,
        recs: Vec<WfRecord>,
        meta: &WriteMeta,
    ) -> StoreResult<Vec<WfRecord>> {
        let mut batch = Batch::new(meta)?;
        let out = recs
            .into_iter()
            .map(|r| self.push_record(&mut batch, r, None))
            .collect::<StoreResult<Vec<_>>>()?;
        batch.commit(self.store())?;
        Ok(out)
    }

    /// Adds one record and its history event to `batch`. `expected` None means "at whatever
    /// version is stored" (records written alongside a transition); Some(v) is the caller's
    /// optimistic lock (None inside = must not exist yet).
    fn push_record(
        &self,
        batch: &mut Batch<'_>,
        mut rec: WfRecord,
        expected: Option<Option<u32>>,
    ) -> StoreResult<WfRecord> {
        if rec.id.trim().is_empty() || rec.id.chars().count() > 80 {
            return Err(StoreError::field(
                "id",
                Some(&rec.id),
                "an id is 1–80 characters",
                "编号应为1—80个字符",
            ));
        }
        let old = self.store().wf_record(rec.kind, &rec.id)?;
        let expected_version = expected.unwrap_or(old.as_ref().map(|o| o.version));
        rec.version = expected_version.map_or(1, |v| v + 1);
        rec.updated_at = batch.recorded_at();
        let (kind, before, after) = match &old {
            None => (ChangeKind::Create, None, Some(rec.doc.clone())),
            Some(o) => {
                let (b, a) = changed(&o.doc, &rec.doc);
                (ChangeKind::Update, Some(b), Some(a))
            }
        };
        let related = rec.parcel_id.iter().map(ToString::to_string).collect();
        batch.event(
            EntityKind::Workflow,
            entity_id(rec.kind, &rec.id),
            kind,
            before,
            after,
            related,
        );
        batch.push(Change::PutWorkflow {
            record: Box::new(rec.clone()),
            expected_version,
        });
        Ok(rec)
    }

    /// Takes a transition of an idle-land case (闲置土地处置) with its legal guards; recovery
    /// moves the parcel to `recovered`.
    pub fn idle_case_transition(
        &self,
        id: &str,
        expected_version: Option<u32>,
        req: &TransitionRequest,
        meta: &WriteMeta,
    ) -> StoreResult<WfRecord> {
        let def = idle_case_workflow();
        self.transition::<IdleCase>(
            WfKind::Case,
            id,
            expected_version,
            meta,
            |c| {
                c.transition(&def, req, None)?;
                c.state.history.last().cloned().ok_or_else(|| {
                    landcycle_domain::DomainError::field(
                        "state",
                        None,
                        "no transition",
                        "未记录流转",
                    )
                })
            },
            |c| {
                (
                    c.state.status.clone(),
                    c.state.deadline.as_ref().map(|d| d.due),
                )
            },
            IdleCase::parcel_status_after,
            Vec::new(),
        )
    }

    /// Takes a transition of a 标准地 project; steps after the grant move the parcel's lifecycle.
    pub fn project_transition(
        &self,
        id: &str,
        expected_version: Option<u32>,
        req: &TransitionRequest,
        meta: &WriteMeta,
    ) -> StoreResult<WfRecord> {
        self.project_step(id, expected_version, req, meta, |_| Ok(()), Vec::new())
    }

    /// A 标准地 project step: `update` records on the project what the step decided (its
    /// admission check, review, quote, contract, renewal decision) before the workflow guards
    /// read them; `extra` records (contract, checkpoints, penalty statement, credit entry) are
    /// written in the same transaction, so a refused step leaves all of them unwritten.
    pub fn project_step(
        &self,
        id: &str,
        expected_version: Option<u32>,
        req: &TransitionRequest,
        meta: &WriteMeta,
        update: impl FnOnce(&mut StandardLandProject) -> DomainResult<()>,
        extra: Vec<WfRecord>,
    ) -> StoreResult<WfRecord> {
        let def = project_workflow();
        self.transition::<StandardLandProject>(
            WfKind::Project,
            id,
            expected_version,
            meta,
            |p| {
                update(p)?;
                p.transition(&def, req)
            },
            |p| {
                (
                    p.state.status.clone(),
                    p.state.deadline.as_ref().map(|d| d.due),
                )
            },
            parcel_status_after,
            extra,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn transition<T: Serialize + DeserializeOwned>(
        &self,
        kind: WfKind,
        id: &str,
        expected_version: Option<u32>,
        meta: &WriteMeta,
        step: impl FnOnce(&mut T) -> DomainResult<TransitionRecord>,
        status_of: impl Fn(&T) -> (String, Option<Date>),
        lifecycle: impl Fn(&str) -> Option<ParcelLifecycle>,
        extra: Vec<WfRecord>,
    ) -> StoreResult<WfRecord> {
        let old = self
            .store()
            .wf_record(kind, id)?
            .ok_or_else(|| StoreError::NotFound {
                entity: "workflow record",
                id: id.to_owned(),
            })?;
        if let Some(v) = expected_version
            && v != old.version
        {
            return Err(StoreError::Conflict(format!(
                "{} {id} is at version {}, not {v}; reload and retry",
                kind.as_str(),
                old.version
            )));
        }
        let mut doc: T = serde_json::from_value(old.doc.clone())
            .map_err(|e| StoreError::Backend(format!("stored {} {id}: {e}", kind.as_str())))?;
        let rec = step(&mut doc)?;
        let (status, due) = status_of(&doc);
        let mut meta = meta.clone();
        meta.effective = meta.effective.or(Some(rec.on));
        let mut batch = Batch::new(&meta)?;
        let new = WfRecord {
            version: old.version + 1,
            status,
            due,
            updated_at: batch.recorded_at(),
            doc: to_doc(&doc)?,
            ..old.clone()
        };
        // The parcel moves with the case, in the same transaction.
        if let (Some(to), Some(pid)) = (lifecycle(&rec.to), old.parcel_id) {
            let parcel = self.live(pid, None)?;
            if parcel.status != to {
                parcel.status.check_transition(to)?;
                let mut next = parcel.clone();
                next.version += 1;
                next.status = to;
                next.valid_from = batch.effective();
                next.valid_to = None;
                let (b, a) = changed(&parcel_record(&parcel), &parcel_record(&next));
                batch.event(
                    EntityKind::Parcel,
                    pid.to_string(),
                    ChangeKind::Update,
                    Some(b),
                    Some(a),
                    vec![entity_id(kind, id)],
                );
                batch.push(Change::PutParcel {
                    parcel: Box::new(next),
                    expected_version: Some(parcel.version),
                });
            }
        }
        let detail = to_doc(&rec)?;
        batch.event(
            EntityKind::Workflow,
            entity_id(kind, id),
            ChangeKind::Update,
            Some(serde_json::json!({"status": rec.from})),
            Some(serde_json::json!({"status": rec.to, "transition": detail})),
            old.parcel_id.iter().map(ToString::to_string).collect(),
        );
        batch.push(Change::WorkflowTransition(Box::new(WfTransition {
            seq: 0,
            kind,
            record_id: id.to_owned(),
            from: rec.from.clone(),
            to: rec.to.clone(),
            actor: rec.actor.clone(),
            role: rec.role.as_str().to_owned(),
            on: rec.on,
            reason: rec.reason.clone(),
            detail,
            recorded_at: batch.recorded_at(),
        })));
        batch.push(Change::PutWorkflow {
            record: Box::new(new.clone()),
            expected_version: Some(old.version),
        });
        for r in extra {
            self.push_record(&mut batch, r, None)?;
        }
        batch.commit(self.store())?;
        Ok(new)
    }
}
