//! The audit log, searchable by the city administrator and the auditor.

use crate::AppState;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Params;
use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use landcycle_store::{AuditQuery, AuditRecord};
use serde::Serialize;
use utoipa::ToSchema;

/// A page of the audit log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// The entries.
    pub items: Vec<AuditRecord>,
    /// Matching in all.
    pub total: u64,
}

/// A time: RFC 3339, or a date (its start, Beijing time).
fn time(p: &Params, k: &str) -> ApiResult<Option<Timestamp>> {
    p.parse(
        k,
        "an RFC 3339 time or a date YYYY-MM-DD",
        "RFC 3339 时间或日期（YYYY-MM-DD）",
        |v| {
            v.parse::<Timestamp>().ok().or_else(|| {
                v.parse::<jiff::civil::Date>()
                    .ok()
                    .and_then(|d| {
                        d.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                            .ok()
                    })
                    .map(|z| z.timestamp())
            })
        },
    )
}

/// Search the audit log: every write, sign-in, failed sign-in, permission change and download.
#[utoipa::path(get, path = "/api/audit", tag = "audit",
    params(("actor" = Option<String>, Query, description = "User name"),
        ("action" = Option<String>, Query, description = "e.g. write_registry, sign_in, download_attachment, user.add"),
        ("from" = Option<jiff::civil::Date>, Query, description = "At or after: a date YYYY-MM-DD (an RFC 3339 time is accepted too)"),
        ("to" = Option<jiff::civil::Date>, Query, description = "Before: a date YYYY-MM-DD (an RFC 3339 time is accepted too)"),
        ("limit" = Option<u32>, Query, description = "1–10000, default 100", minimum = 1, maximum = 10000),
        ("offset" = Option<u64>, Query, description = "Rows to skip", maximum = 9_223_372_036_854_775_807_u64)),
    responses((status = 200, body = AuditPage), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn search(State(st): State<AppState>, params: Params) -> ApiResult<Json<AuditPage>> {
    params.only(&["actor", "action", "from", "to", "limit", "offset"])?;
    let q = AuditQuery {
        actor: params.get("actor").map(str::to_owned),
        action: params.get("action").map(str::to_owned),
        from: time(&params, "from")?,
        to: time(&params, "to")?,
        limit: u32::try_from(params.int("limit", 1, 10_000)?.unwrap_or(100)).unwrap_or(100),
        offset: params.int("offset", 0, u64::MAX >> 1)?.unwrap_or(0),
    };
    let accounts = st.accounts();
    let page = tokio::task::spawn_blocking(move || accounts.search_audit(&q))
        .await
        .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))??;
    Ok(Json(AuditPage {
        items: page.items,
        total: page.total,
    }))
}
