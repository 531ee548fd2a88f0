//! The audit log, searchable by the city administrator and the auditor.

use crate::AppState;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Params;
use crate::routes::workflow::{wants_xlsx, xlsx};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
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

/// Search the audit log: every write, sign-in, failed sign-in, permission change and download;
/// `format=xlsx` exports the matching entries (up to `limit`, default 10000 then) to Excel.
#[utoipa::path(get, path = "/api/audit", tag = "audit",
    params(("actor" = Option<String>, Query, description = "User name"),
        ("action" = Option<String>, Query, description = "e.g. write_registry, sign_in, download_attachment, user.add"),
        ("from" = Option<jiff::civil::Date>, Query, description = "At or after: a date YYYY-MM-DD (an RFC 3339 time is accepted too)"),
        ("to" = Option<jiff::civil::Date>, Query, description = "Before: a date YYYY-MM-DD (an RFC 3339 time is accepted too)"),
        ("limit" = Option<u32>, Query, description = "1–10000, default 100", minimum = 1, maximum = 10000),
        ("offset" = Option<u64>, Query, description = "Rows to skip", maximum = 9_223_372_036_854_775_807_u64),
        ("format" = Option<String>, Query, description = "json (default) or xlsx")),
    responses((status = 200, description = "The entries", content((AuditPage = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn search(State(st): State<AppState>, params: Params) -> ApiResult<Response> {
    params.only(&["actor", "action", "from", "to", "limit", "offset", "format"])?;
    let as_xlsx = wants_xlsx(&params)?;
    let default_limit = if as_xlsx { 10_000 } else { 100 };
    let q = AuditQuery {
        actor: params.get("actor").map(str::to_owned),
        action: params.get("action").map(str::to_owned),
        from: time(&params, "from")?,
        to: time(&params, "to")?,
        limit: u32::try_from(params.int("limit", 1, 10_000)?.unwrap_or(default_limit))
            .unwrap_or(100),
        offset: params.int("offset", 0, u64::MAX >> 1)?.unwrap_or(0),
    };
    let accounts = st.accounts();
    let page = tokio::task::spawn_blocking(move || accounts.search_audit(&q))
        .await
        .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))??;
    if as_xlsx {
        return excel(&page.items);
    }
    Ok(Json(AuditPage {
        items: page.items,
        total: page.total,
    })
    .into_response())
}

fn excel(items: &[AuditRecord]) -> ApiResult<Response> {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                e.at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                e.actor.clone(),
                e.action.clone(),
                e.target.clone().unwrap_or_default(),
                e.outcome.clone(),
                e.detail.to_string(),
            ]
        })
        .collect();
    xlsx::response(
        "audit.xlsx",
        "审计日志",
        &["序号", "时间(北京)", "用户", "操作", "对象", "结果", "详情"],
        &rows,
    )
}
