//! `GET /api/parcels/by-feature/{fid}`: the parcel behind a feature of the parcel vector tiles.
//!
//! The tiles carry each parcel's row id (`fid`) as the numeric MVT feature id and no text id
//! (36 bytes a parcel, a third of a low-zoom tile), so a map finds a clicked parcel here. A row
//! keeps its fid through every edit; split, merge and end retire the row and its fid, which
//! `AUTOINCREMENT` never hands out again, so a fid names one live parcel or none (404). A map
//! holding a tile from before such an edit gets a 404 for the retired fid, and the next request
//! for that tile has a new ETag (the edit evicted it).

use super::parcels::geojson;
use crate::auth::Guard;
use crate::dto::ParcelFeature;
use crate::error::{ApiError, ApiResult, Problem};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use landcycle_domain::access::Action;

/// The live parcel whose tile feature id is `fid`, read as `GET /api/parcels/{id}` reads it
/// (same access rule: a parcel outside your jurisdiction is not found). The ETag is its version.
#[utoipa::path(get, path = "/api/parcels/by-feature/{fid}", tag = "parcels",
    params(("fid" = i64, Path, description = "Numeric feature id of the parcel in the parcel vector tiles (its row id)")),
    responses((status = 200, body = ParcelFeature, content_type = "application/geo+json"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn by_feature(guard: Guard, Path(fid): Path<String>) -> ApiResult<Response> {
    let fid: i64 = fid.parse().map_err(|_| {
        ApiError::bad_field(
            "fid",
            Some(&fid),
            "a feature id is an integer",
            "要素编号应为整数",
        )
    })?;
    let tol = guard.state().registry().area_tolerance();
    let p = guard
        .run(move |k| {
            let missing = || ApiError::NotFound(format!("no live parcel has feature id {fid}"));
            let id = k.store().parcel_id_by_fid(fid)?.ok_or_else(missing)?;
            k.parcel(Action::ReadRegistry, id)?;
            k.store().parcel(id, None)?.ok_or_else(missing)
        })
        .await?;
    Ok(geojson(
        StatusCode::OK,
        &ParcelFeature::new(&p, tol),
        Some(p.version),
    ))
}
