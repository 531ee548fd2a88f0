//! Parks (产业集聚区) with their targets.

use crate::AppState;
use crate::dto::ParkOut;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use landcycle_domain::ParkId;

/// List every park with its 亩均税收 target.
#[utoipa::path(get, path = "/api/parks", tag = "parks",
    responses((status = 200, description = "The parks", body = [ParkOut])))]
pub async fn list(State(st): State<AppState>) -> ApiResult<Json<Vec<ParkOut>>> {
    st.run(|r| Ok(Json(r.store().parks()?.iter().map(ParkOut::from).collect())))
        .await
}

/// One park.
#[utoipa::path(get, path = "/api/parks/{id}", tag = "parks", params(("id" = String, Path, description = "Park id", pattern = "^[a-z0-9-]{1,40}$")),
    responses((status = 200, body = ParkOut), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn one(State(st): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<ParkOut>> {
    let id = ParkId::parse(&id)
        .map_err(|e| ApiError::BadRequest(e.to_string(), e.field_errors().to_vec()))?;
    st.run(move |r| {
        let p = r
            .store()
            .park(&id)?
            .ok_or_else(|| ApiError::NotFound(format!("park {id} not found")))?;
        Ok(Json(ParkOut::from(&p)))
    })
    .await
}
