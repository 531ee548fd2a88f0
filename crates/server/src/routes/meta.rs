//! The API document, health and recent history.

use super::EventOut;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::Params;
use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use landcycle_store::StoreStats;
use serde::Serialize;
use utoipa::ToSchema;

/// The OpenAPI 3.1 document of this API.
pub async fn openapi_json() -> impl IntoResponse {
    Json(crate::openapi())
}

/// Health and row counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// Version of landcycle.
    pub version: &'static str,
    /// Row counts.
    pub stats: StoreStats,
    /// Notice shown with synthetic demo data.
    pub notice: &'static str,
}

/// Health: the store answers, with row counts.
#[utoipa::path(get, path = "/api/health", tag = "meta", responses((status = 200, body = Health)))]
pub async fn health(State(st): State<AppState>) -> ApiResult<Json<Health>> {
    let stats = st.run(|r| Ok(r.store().stats()?)).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        stats,
        notice: "演示数据（如有）为合成数据 / demo data, where present, is synthetic",
    }))
}

/// The latest changes across the registry, newest first.
#[utoipa::path(get, path = "/api/history", tag = "meta", params(("limit" = Option<u32>, Query, description = "1–1000, default 50", minimum = 1, maximum = 1000)),
    responses((status = 200, body = [EventOut])))]
pub async fn recent_history(
    State(st): State<AppState>,
    params: Params,
) -> ApiResult<Json<Vec<EventOut>>> {
    params.only(&["limit"])?;
    let limit = u32::try_from(params.int("limit", 1, 1000)?.unwrap_or(50)).unwrap_or(50);
    st.run(move |r| {
        Ok(Json(
            r.store()
                .recent_events(limit)?
                .iter()
                .map(EventOut::from)
                .collect(),
        ))
    })
    .await
}
