//! A parcel's record over time (一地一档): its history events with the timeline of its versions,
//! and its lineage (the parcels it was split or merged from and into).

use super::parcel_id;
use crate::AppState;
use crate::dto::ParcelFeature;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Params;
use axum::Json;
use axum::extract::{Path, State};
use landcycle_store::AttachmentMeta;
use serde::Serialize;
use utoipa::ToSchema;

/// One history event.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    /// Sequence number.
    pub seq: i64,
    /// Record kind.
    pub entity: landcycle_domain::EntityKind,
    /// Record id.
    pub entity_id: String,
    /// What happened.
    pub kind: landcycle_domain::ChangeKind,
    /// In Chinese.
    pub kind_zh: &'static str,
    /// Who.
    pub actor: String,
    /// When recorded.
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: jiff::Timestamp,
    /// Effective day.
    #[schema(value_type = String, format = Date)]
    pub effective: jiff::civil::Date,
    /// Why.
    pub reason: String,
    /// Reference.
    pub reference: Option<String>,
    /// Changed values before.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// Changed values after.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// Related records.
    pub related: Vec<String>,
}

impl From<&landcycle_domain::ChangeEvent> for EventOut {
    fn from(e: &landcycle_domain::ChangeEvent) -> Self {
        Self {
            seq: e.seq,
            entity: e.entity,
            entity_id: e.entity_id.clone(),
            kind: e.kind,
            kind_zh: e.kind.label_zh(),
            actor: e.actor.0.clone(),
            recorded_at: e.recorded_at,
            effective: e.effective,
            reason: e.reason.reason.clone(),
            reference: e.reason.reference.clone(),
            before: e.before.clone(),
            after: e.after.clone(),
            related: e.related.clone(),
        }
    }
}

/// A parcel's whole record (一地一档).
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineOut {
    /// Every version, oldest first.
    pub versions: Vec<ParcelFeature>,
    /// Every event touching it, oldest first.
    pub events: Vec<EventOut>,
    /// Supply records.
    pub supplies: Vec<super::SupplyOut>,
    /// Attachments.
    pub attachments: Vec<AttachmentMeta>,
    /// Parents.
    pub parents: Vec<String>,
    /// Children.
    pub children: Vec<String>,
}

/// The parcel's timeline: versions, events, supplies, attachments and lineage (一地一档).
#[utoipa::path(get, path = "/api/parcels/{id}/history", tag = "parcels", params(("id" = uuid::Uuid, Path, description = "Parcel id")),
    responses((status = 200, body = TimelineOut), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn history(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<TimelineOut>> {
    let id = parcel_id(&id)?;
    let t = st.run(move |r| Ok(r.timeline(id)?)).await?;
    let tol = st.registry().area_tolerance();
    Ok(Json(TimelineOut {
        versions: t
            .versions
            .iter()
            .map(|p| ParcelFeature::new(p, tol))
            .collect(),
        events: t.events.iter().map(EventOut::from).collect(),
        supplies: t.supplies.iter().map(super::SupplyOut::from).collect(),
        attachments: t.attachments,
        parents: t.parents.iter().map(ToString::to_string).collect(),
        children: t.children.iter().map(ToString::to_string).collect(),
    }))
}

/// Lineage edges.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineageOut {
    /// The starting parcel.
    pub root: String,
    /// `up` (ancestors) or `down` (descendants).
    pub direction: String,
    /// `[parent, child]` pairs, breadth first.
    pub edges: Vec<[String; 2]>,
}

/// Walk a parcel's split/merge lineage to its ancestors (`direction=up`) or descendants (`down`).
#[utoipa::path(get, path = "/api/parcels/{id}/lineage", tag = "parcels",
    params(("id" = uuid::Uuid, Path, description = "Parcel id"), ("direction" = Option<String>, Query, description = "up (default) or down", pattern = "^(up|down)$")),
    responses((status = 200, body = LineageOut), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn lineage(
    State(st): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<LineageOut>> {
    params.only(&["direction"])?;
    let id = parcel_id(&id)?;
    let up = match params.0.get("direction").map_or("up", String::as_str) {
        "up" => true,
        "down" => false,
        other => {
            return Err(ApiError::bad_field(
                "direction",
                Some(other),
                "must be up or down",
                "应为 up 或 down",
            ));
        }
    };
    let l = st.run(move |r| Ok(r.lineage(id, up)?)).await?;
    Ok(Json(LineageOut {
        root: l.root.to_string(),
        direction: if up { "up" } else { "down" }.into(),
        edges: l
            .edges
            .iter()
            .map(|(p, c)| [p.to_string(), c.to_string()])
            .collect(),
    }))
}
