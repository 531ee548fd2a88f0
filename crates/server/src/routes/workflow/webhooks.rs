//! The warnings centre's webhook subscribers over HTTP (the same records as
//! `landcycle webhook add/list`; delivery stays the scheduled `landcycle warnings dispatch`, see
//! [`crate::webhook`]). Only the city manages them (`manage_webhooks`: admin and city in the
//! role table): a subscription sends the city's warnings to another system, signed with a secret
//! the city holds. The secret is shown once, on creation; lists never show it. Every call is
//! audit-logged by the access layer (a `manage_webhooks` write).

use super::standard_land::to_value;
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use crate::webhook::{SIGNATURE_HEADER, Subscription, check_url};
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use landcycle_domain::{AdminCode, DomainError, FieldError, ParkId};
use landcycle_store::{StoreError, WfKind, WfQuery, WfRecord, WriteMeta};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// Name (letters, digits, `-`, `_`, `.`; 1–80), e.g. `hlw-jg`.
    pub id: String,
    /// `http://host[:port]/path` of the receiver (no user or password in the URL).
    pub url: String,
    /// Only this park's warnings.
    pub park: Option<String>,
    /// Only this county's warnings (GB/T 2260 code).
    pub county: Option<String>,
    /// Why (default 预警推送订阅).
    pub reason: Option<String>,
}

/// A subscription as listed (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookOut {
    /// Name.
    pub id: String,
    /// Receiver URL.
    pub url: String,
    /// Only this park's warnings.
    pub park: Option<String>,
    /// Only this county's warnings.
    pub county: Option<String>,
    /// `active` or `deleted`.
    pub status: String,
    /// Level changes delivered so far.
    pub delivered: usize,
    /// Delivery attempts so far.
    pub attempts: usize,
}

/// A subscription just created, with its signing secret (shown this once).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookCreated {
    /// The subscription.
    #[serde(flatten)]
    pub webhook: WebhookOut,
    /// The signing secret: keep it, it is not shown again.
    pub secret: String,
    /// How to verify a delivery.
    pub signature: String,
}

fn check_id(id: &str) -> Result<(), FieldError> {
    if id.is_empty()
        || id.chars().count() > 80
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(FieldError::new(
            "id",
            Some(id),
            "1–80 letters, digits, '-', '_' or '.'",
            "名称为1—80个字母、数字或-_.",
        ));
    }
    Ok(())
}

fn out(c: &crate::auth::guard::Checked<'_>, r: &WfRecord) -> ApiResult<WebhookOut> {
    let s: Subscription = serde_json::from_value(r.doc.clone())
        .map_err(|e| ApiError::Internal(format!("webhook {}: {e}", r.id)))?;
    let d = c.store().webhook_deliveries(&r.id)?;
    Ok(WebhookOut {
        id: s.id,
        url: s.url,
        park: s.park.map(|p| p.as_str().to_owned()),
        county: s.county.map(|c| c.as_str().to_owned()),
        status: r.status.clone(),
        delivered: d.iter().filter(|x| x.delivered).count(),
        attempts: d.len(),
    })
}

/// Every subscription (deleted ones too, for the record), with its delivery counts.
#[utoipa::path(get, path = "/api/webhooks", tag = "workflows", responses((status = 200, body = Vec<WebhookOut>)))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Json<Vec<WebhookOut>>> {
    params.only(&[])?;
    guard
        .run(|c| {
            c.store()
                .wf_records(WfKind::Webhook, &WfQuery::default())?
                .items
                .iter()
                .map(|r| out(c, r))
                .collect::<ApiResult<Vec<_>>>()
                .map(Json)
        })
        .await
}

/// Subscribes a receiver to the warnings of the city, a county or a park; answers the signing
/// secret once (HMAC-SHA256 of the body, header `X-Landcycle-Signature: sha256=<hex>`).
#[utoipa::path(post, path = "/api/webhooks", tag = "workflows", request_body = WebhookIn,
    responses((status = 201, body = WebhookCreated), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    guard: Guard,
    JsonBody(b): JsonBody<WebhookIn>,
) -> ApiResult<(StatusCode, Json<WebhookCreated>)> {
    let errs: Vec<FieldError> = [check_id(&b.id), check_url(&b.url)]
        .into_iter()
        .filter_map(Result::err)
        .collect();
    if !errs.is_empty() {
        return Err(DomainError::Invalid(errs).into());
    }
    let park = b.park.as_deref().map(ParkId::parse).transpose()?;
    let county = b.county.as_deref().map(AdminCode::parse).transpose()?;
    let secret = crate::auth::secret::random_hex()
        .map_err(|e| ApiError::Internal(format!("random secret: {e}")))?;
    let meta = WriteMeta::new(
        guard.principal().user.clone(),
        b.reason.clone().unwrap_or_else(|| "预警推送订阅".into()),
    );
    let sub = Subscription {
        id: b.id.clone(),
        url: b.url.clone(),
        secret: secret.clone(),
        park: park.clone(),
        county: county.clone(),
    };
    let created = guard
        .run(move |c| {
            if let Some(p) = &park
                && c.store().park(p)?.is_none()
            {
                return Err(DomainError::field(
                    "park",
                    Some(p.as_str()),
                    "no such park",
                    "园区不存在",
                )
                .into());
            }
            let rec = WfRecord {
                kind: WfKind::Webhook,
                id: sub.id.clone(),
                version: 0,
                park_id: park,
                jurisdiction: county,
                parcel_id: None,
                enterprise: None,
                status: "active".into(),
                due: None,
                updated_at: jiff::Timestamp::now(),
                doc: to_value(&sub)?,
            };
            let rec = c
                .registry()
                .put_workflow(rec, None, &meta)
                .map_err(|e| match e {
                    StoreError::Conflict(m) => ApiError::Conflict(m),
                    e => e.into(),
                })?;
            out(c, &rec)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookCreated {
            webhook: created,
            secret,
            signature: format!("{SIGNATURE_HEADER}: sha256=<hex of HMAC-SHA256(secret, raw body)>"),
        }),
    ))
}

/// Ends a subscription: nothing more is sent to it. The record and its delivery log stay (the
/// name cannot be reused).
#[utoipa::path(delete, path = "/api/webhooks/{id}", tag = "workflows",
    params(("id" = String, Path, description = "Subscription name")),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete(guard: Guard, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let meta = WriteMeta::new(guard.principal().user.clone(), "取消预警推送订阅");
    guard
        .run(move |c| {
            let r = c
                .store()
                .wf_record(WfKind::Webhook, &id)?
                .filter(|r| r.status == "active")
                .ok_or_else(|| ApiError::NotFound(format!("webhook {id} not found")))?;
            let v = r.version;
            c.registry().put_workflow(
                WfRecord {
                    status: "deleted".into(),
                    ..r
                },
                Some(v),
                &meta,
            )?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}
