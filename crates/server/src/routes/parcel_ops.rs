//! Split, merge and end: operations that retire parcels and create new ones with lineage.

use super::{parcel_id, write_meta};
use crate::AppState;
use crate::auth::Guard;
use crate::dto::{ChangeIn, ParcelFeature, ParcelIn};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use landcycle_domain::access::Action;
use serde::Deserialize;
use utoipa::ToSchema;

/// A split: the parts that replace the parcel.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitIn {
    /// The version the caller read (optimistic locking).
    pub version: Option<u32>,
    /// The parts, as parcel Features; together they must tile the parcel.
    pub children: Vec<ParcelIn>,
    /// Why.
    pub change: Option<ChangeIn>,
}

/// A parent of a merge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParentRef {
    /// Parcel id.
    pub id: String,
    /// The version the caller read.
    pub version: Option<u32>,
}

/// A merge: the parcels and the one that replaces them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeIn {
    /// The parcels to merge (two or more).
    pub parents: Vec<ParentRef>,
    /// The merged parcel; it must be their union.
    pub child: ParcelIn,
    /// Why.
    pub change: Option<ChangeIn>,
}

/// The body of an end request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndIn {
    /// The version the caller read.
    pub version: Option<u32>,
    /// Why.
    pub change: Option<ChangeIn>,
}

/// Split a parcel (分割). The parcel ends; the parts are new parcels naming it as parent.
#[utoipa::path(post, path = "/api/parcels/{id}/split", tag = "parcels", params(("id" = uuid::Uuid, Path, description = "Parcel id")),
    request_body = SplitIn,
    responses((status = 201, body = [ParcelFeature]), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn split(
    State(st): State<AppState>,
    Path(id): Path<String>,
    guard: Guard,
    JsonBody(body): JsonBody<SplitIn>,
) -> ApiResult<(StatusCode, Json<Vec<ParcelFeature>>)> {
    let id = parcel_id(&id)?;
    let meta = write_meta(&guard, body.change)?;
    let mut children = Vec::new();
    for (i, c) in body.children.into_iter().enumerate() {
        children.push((None, c.into_draft(&format!("children[{i}]"))?));
    }
    let version = body.version;
    let made = guard
        .run(move |c| {
            for (_, d) in &children {
                c.draft(Action::WriteRegistry, d)?;
            }
            Ok(c.registry().split_parcel(id, version, children, &meta)?)
        })
        .await?;
    let tol = st.registry().area_tolerance();
    Ok((
        StatusCode::CREATED,
        Json(made.iter().map(|p| ParcelFeature::new(p, tol)).collect()),
    ))
}

/// Merge parcels (合并) into one new parcel naming them as parents.
#[utoipa::path(post, path = "/api/parcels/merge", tag = "parcels", request_body = MergeIn,
    responses((status = 201, body = ParcelFeature), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn merge(
    State(st): State<AppState>,
    guard: Guard,
    JsonBody(body): JsonBody<MergeIn>,
) -> ApiResult<(StatusCode, Json<ParcelFeature>)> {
    let meta = write_meta(&guard, body.change)?;
    let mut parents = Vec::new();
    for (i, p) in body.parents.iter().enumerate() {
        let id = landcycle_domain::ParcelId::parse(&p.id, &format!("parents[{i}].id"))
            .map_err(|e| ApiError::BadRequest(e.to_string(), e.field_errors().to_vec()))?;
        parents.push((id, p.version));
    }
    let child = body.child.into_draft("child")?;
    let made = guard
        .run(move |c| {
            for (id, _) in &parents {
                c.parcel(Action::WriteRegistry, *id)?;
            }
            c.draft(Action::WriteRegistry, &child)?;
            Ok(c.registry().merge_parcels(parents, child, None, &meta)?)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ParcelFeature::new(&made, st.registry().area_tolerance())),
    ))
}

/// End a parcel (注销) without successors. Its history stays readable with `as_of`.
#[utoipa::path(post, path = "/api/parcels/{id}/end", tag = "parcels", params(("id" = uuid::Uuid, Path, description = "Parcel id")),
    request_body = EndIn,
    responses((status = 204), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn end(
    State(st): State<AppState>,
    Path(id): Path<String>,
    guard: Guard,
    JsonBody(body): JsonBody<EndIn>,
) -> ApiResult<StatusCode> {
    let id = parcel_id(&id)?;
    let meta = write_meta(&guard, body.change)?;
    let version = body.version;
    st.run(move |r| Ok(r.end_parcel(id, version, &meta)?))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
