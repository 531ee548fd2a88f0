//! Workflows over HTTP (issue 6): 处置案件, 标准地项目, the plan's tasks, penalty statements and
//! the warnings centre (JSON and an iCalendar feed). Lists are filtered to the caller's scope;
//! one record outside it reads as "not found". Officials take transitions with
//! `…/transitions` (写档案); enterprises act on their own records with `…/submissions`
//! (提交申请或报告) — the workflow definition then checks the role of every step.

pub(crate) mod cases;
pub(crate) mod definitions;
pub(crate) mod disposal;
pub(crate) mod grant;
pub(crate) mod projects;
pub(crate) mod reports;
pub(crate) mod standard_land;
pub(crate) mod supervision;
pub(crate) mod tables;
pub(crate) mod warnings;
pub(crate) mod xlsx;

use crate::auth::guard::Checked;
use crate::error::{ApiError, ApiResult};
use jiff::civil::Date;
use landcycle_domain::access::{Action, Target};
use landcycle_domain::workflow::engine::DocumentRef;
use landcycle_store::{ParcelQuery, WfKind, WfQuery, WfRecord, WfTransition};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A workflow record.
#[derive(Debug, Serialize, ToSchema)]
pub struct WfOut {
    /// Kind (`cases`, `projects`, `tasks`, `penalties` …).
    pub kind: String,
    /// Id.
    pub id: String,
    /// Version (send it back with a transition).
    pub version: u32,
    /// Park.
    pub park_id: Option<String>,
    /// County code.
    pub jurisdiction: Option<String>,
    /// Parcel.
    pub parcel_id: Option<String>,
    /// Enterprise.
    pub enterprise: Option<String>,
    /// Status.
    pub status: String,
    /// Next due day.
    #[schema(value_type = Option<String>, format = Date)]
    pub due: Option<Date>,
    /// The typed content.
    #[schema(value_type = Object)]
    pub doc: serde_json::Value,
}

impl From<&WfRecord> for WfOut {
    fn from(r: &WfRecord) -> Self {
        Self {
            kind: r.kind.as_str().into(),
            id: r.id.clone(),
            version: r.version,
            park_id: r.park_id.as_ref().map(|p| p.as_str().to_owned()),
            jurisdiction: r.jurisdiction.as_ref().map(|j| j.as_str().to_owned()),
            parcel_id: r.parcel_id.map(|p| p.to_string()),
            enterprise: r.enterprise.as_ref().map(|u| u.as_str().to_owned()),
            status: r.status.clone(),
            due: r.due,
            doc: r.doc.clone(),
        }
    }
}

/// A page of workflow records.
#[derive(Debug, Serialize, ToSchema)]
pub struct WfPage {
    /// Records matching in the caller's scope.
    pub total: u64,
    /// This page.
    pub items: Vec<WfOut>,
}

/// One recorded transition.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionOut {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Who.
    pub actor: String,
    /// Role.
    pub role: String,
    /// Day of the act.
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Why.
    pub reason: String,
    /// Fields, documents and the new deadline.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<&WfTransition> for TransitionOut {
    fn from(t: &WfTransition) -> Self {
        Self {
            from: t.from.clone(),
            to: t.to.clone(),
            actor: t.actor.clone(),
            role: t.role.clone(),
            on: t.on,
            reason: t.reason.clone(),
            detail: t.detail.clone(),
        }
    }
}

/// A record with its transitions.
#[derive(Debug, Serialize, ToSchema)]
pub struct WfDetail {
    /// The record.
    pub record: WfOut,
    /// Its transitions, oldest first.
    pub transitions: Vec<TransitionOut>,
}

/// A transition requested over HTTP. The actor and role are the signed-in user's.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionIn {
    /// Target status.
    pub to: String,
    /// Day of the act.
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Why.
    pub reason: String,
    /// The version read (optimistic locking).
    pub version: Option<u32>,
    /// Field values.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Attached documents (uploaded first as parcel attachments; give their sha256).
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
}

/// Where a record lies, for the access decision.
pub(crate) fn target(c: &Checked<'_>, r: &WfRecord) -> ApiResult<Target> {
    let park_jurisdiction = match &r.park_id {
        Some(p) => c.store().park(p)?.map(|p| p.jurisdiction.code),
        None => None,
    };
    Ok(Target {
        jurisdiction: r.jurisdiction.clone(),
        park: r.park_id.clone(),
        park_jurisdiction,
        enterprise: r.enterprise.clone(),
        department: None,
    })
}

/// One record, checked against the caller's scope (outside it: 404).
pub(crate) fn load(c: &Checked<'_>, kind: WfKind, id: &str, action: Action) -> ApiResult<WfRecord> {
    let what = format!("{} {id}", kind.as_str());
    let r = c
        .store()
        .wf_record(kind, id)?
        .ok_or_else(|| ApiError::NotFound(format!("{what} not found")))?;
    c.check_record(action, &target(c, &r)?, what)?;
    Ok(r)
}

/// The caller's scope as a record filter (the parcel list's rules).
pub(crate) fn scoped_query(
    c: &Checked<'_>,
    park: Option<landcycle_domain::ParkId>,
) -> ApiResult<WfQuery> {
    let mut q = ParcelQuery {
        park,
        ..Default::default()
    };
    c.scope_parcels(&mut q)?;
    Ok(WfQuery {
        park: q.park,
        jurisdiction: q.jurisdiction,
        enterprise: q.enterprise,
        ..Default::default()
    })
}

/// `format=json|xlsx`.
pub(crate) fn wants_xlsx(p: &crate::extract::Params) -> ApiResult<bool> {
    Ok(
        p.parse("format", "json or xlsx", "json 或 xlsx", |v| match v {
            "json" => Some(false),
            "xlsx" => Some(true),
            _ => None,
        })?
        .unwrap_or(false),
    )
}
