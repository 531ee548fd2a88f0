//! The access layer: every routed request passes here. It finds the route's policy (no policy:
//! refused, logged as "no rule"), resolves the principal, checks CSRF for cookie sessions,
//! decides the action with the role table, checks the record named in the path against the
//! principal's scope, hands the principal to the handler, limits requests without an account
//! per address, and audits writes, downloads and exports.

use super::credentials::{CSRF_HEADER, Resolved, Via, resolve};
use super::policy::{RoutePolicy, TargetFrom, path_param, policy_for};
use super::secret::constant_time_eq;
use super::targets;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use landcycle_domain::access::{Action, Decision, decide};
use landcycle_domain::{ParcelId, Uscc};
use landcycle_store::AuditEntry;

/// The middleware; see the module documentation.
pub async fn enforce(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let export = export_format(req.uri().query());
    let query = req.uri().query().map(str::to_owned);
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let Some(policy) = template
        .as_deref()
        .and_then(|t| policy_for(method.as_str(), t))
    else {
        // A routed path asked with a method it does not have (TRACE, DELETE …): 405.
        let allowed = template.as_deref().map(allowed_methods).unwrap_or_default();
        if !allowed.is_empty() {
            return ApiError::MethodNotAllowed(allowed.join(", ")).into_response();
        }
        return ApiError::Internal(format!(
            "no rule: {method} {} has no entry in the route policy table",
            template.as_deref().unwrap_or(&path)
        ))
        .into_response();
    };
    let resolved = match resolve(&st, req.headers()).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = limit_public(&st, policy.action, &resolved, &req) {
        return e.into_response();
    }
    let actor = actor_name(&resolved);
    let sent_csrf = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let resp = match authorize(&st, policy, &resolved, (&method, &sent_csrf), &path).await {
        Err(e) => e.into_response(),
        Ok(()) => {
            req.extensions_mut().insert(resolved.principal.clone());
            req.extensions_mut().insert(resolved.via.clone());
            next.run(req).await
        }
    };
    if policy.action.is_write() || policy.audit_read || export.is_some() {
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let status = resp.status();
        let entry = AuditEntry {
            at: jiff::Timestamp::now(),
            actor,
            action: match export {
                Some(_) => "export".to_owned(),
                None => policy.action.as_str().to_owned(),
            },
            // An export names the list that left: the whole query with its filters.
            target: Some(match (&export, &query) {
                (Some(_), Some(q)) => format!("{method} {path}?{q}"),
                _ => format!("{method} {path}"),
            }),
            outcome: outcome(status).to_owned(),
            detail: serde_json::json!({
                "status": status.as_u16(),
                "location": location,
                "format": export,
            }),
        };
        record(&st, entry).await;
    }
    resp
}

/// Requests without an account are limited per client address (see [`super::public_limit`]);
/// sign-in has its own limiter of failures.
fn limit_public(
    st: &AppState,
    action: Action,
    r: &Resolved,
    req: &Request,
) -> Result<(), ApiError> {
    use super::public_limit::Use;
    if !r.principal.is_public() {
        return Ok(());
    }
    let what = match action {
        Action::SubmitIntention => Use::Submit,
        Action::ReadPublic => Use::Read,
        _ => return Ok(()),
    };
    let key = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "-".to_owned(), |c| c.0.ip().to_string());
    st.public_limiter()
        .take(&key, what, std::time::Instant::now())
        .map_err(|wait| {
            ApiError::TooManyRequests(
                "too many requests from this address; retry later / 请求过于频繁，请稍后再试"
                    .into(),
                wait.as_secs().max(1),
            )
        })
}

/// The file format a request downloads a list as (`format=xlsx|csv|gpkg|shp|fgb|geojson|pdf`),
/// when it asks for one: such a read is an export, recorded in the audit trail.
fn export_format(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .filter_map(|kv| kv.strip_prefix("format="))
        .find(|f| {
            matches!(
                *f,
                "xlsx" | "csv" | "gpkg" | "shp" | "fgb" | "geojson" | "pdf"
            )
        })
        .map(str::to_owned)
}

/// The methods the route policy table has for a path template (`HEAD` with `GET`).
fn allowed_methods(template: &str) -> Vec<&'static str> {
    let mut m: Vec<&'static str> = super::policy::POLICIES
        .iter()
        .filter(|p| p.path == template)
        .map(|p| p.method)
        .collect();
    if m.contains(&"GET") {
        m.push("HEAD");
    }
    m
}

/// The audit log's name for a principal: the user, or `-` for the public.
pub fn actor_name(r: &Resolved) -> String {
    if r.principal.is_public() {
        "-".to_owned()
    } else {
        r.principal.user.clone()
    }
}

fn outcome(s: StatusCode) -> &'static str {
    match s.as_u16() {
        200..=399 => "ok",
        401 | 403 => "denied",
        _ => "failed",
    }
}

/// Appends to the audit log; a failure is logged (the response has been decided already).
pub async fn record(st: &AppState, e: AuditEntry) {
    let accounts = st.accounts();
    let r = tokio::task::spawn_blocking(move || accounts.append_audit(&e)).await;
    match r {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::error!(error = %e, "cannot append to the audit log"),
        Err(e) => tracing::error!(error = %e, "cannot append to the audit log"),
    }
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn authorize(
    st: &AppState,
    policy: &RoutePolicy,
    r: &Resolved,
    (method, sent_csrf): (&Method, &str),
    path: &str,
) -> ApiResult<()> {
    if let Via::Session { csrf, .. } = &r.via
        && !is_safe(method)
        && !constant_time_eq(sent_csrf, csrf)
    {
        return Err(ApiError::Forbidden(
            "send the X-CSRF-Token header given at sign-in / 请在 X-CSRF-Token 请求头中提供登录时取得的令牌".into(),
        ));
    }
    let p = &r.principal;
    if let Decision::Deny(d) = decide(
        p,
        policy.action,
        &landcycle_domain::access::Target::anywhere(),
    ) {
        return Err(if p.is_public() {
            ApiError::Unauthorized(
                "sign in, or send `Authorization: Bearer TOKEN` / 请登录，或以 Bearer 方式提供令牌"
                    .into(),
            )
        } else {
            ApiError::Forbidden(format!("{} / {}", d.reason_en, d.reason_zh))
        });
    }
    let param = |name: &str| path_param(policy.path, path, name).map(str::to_owned);
    let (action, p) = (policy.action, p.clone());
    match policy.target {
        TargetFrom::Nothing | TargetFrom::List | TargetFrom::Body => Ok(()),
        TargetFrom::Parcel => {
            let Some(id) = param("id").and_then(|s| ParcelId::parse(&s, "id").ok()) else {
                return Ok(());
            };
            st.run(move |reg| {
                let Some(parcel) = reg.store().parcel_latest(id)? else {
                    return Ok(());
                };
                let t = targets::parcel(reg.store(), &parcel)?;
                hide(decide(&p, action, &t), format!("parcel {id}"))
            })
            .await
        }
        TargetFrom::Enterprise => {
            let Some(code) = param("uscc").and_then(|s| Uscc::parse(&s).ok()) else {
                return Ok(());
            };
            st.run(move |reg| {
                let Some(e) = reg.store().enterprise(&code)? else {
                    return Ok(());
                };
                let t = targets::enterprise(reg.store(), &e)?;
                hide(decide(&p, action, &t), format!("enterprise {code}"))
            })
            .await
        }
        TargetFrom::Attachment => {
            let Some(sha) = param("sha256").map(|s| s.to_ascii_lowercase()) else {
                return Ok(());
            };
            st.run(move |reg| {
                let parcels = reg.store().attachment_parcels(&sha)?;
                let mut last = Decision::Allow;
                for id in parcels {
                    if let Some(parcel) = reg.store().parcel_latest(id)? {
                        let t = targets::parcel(reg.store(), &parcel)?;
                        last = decide(&p, action, &t);
                        if last.is_allowed() {
                            return Ok(());
                        }
                    }
                }
                hide(last, format!("attachment {sha}"))
            })
            .await
        }
    }
}

/// A record outside the scope reads as not found; a forbidden action as 403.
fn hide(d: Decision, what: String) -> ApiResult<()> {
    match d {
        Decision::Allow => Ok(()),
        Decision::Deny(d) if d.out_of_scope => Err(ApiError::NotFound(format!("{what} not found"))),
        Decision::Deny(d) => Err(ApiError::Forbidden(format!(
            "{} / {}",
            d.reason_en, d.reason_zh
        ))),
    }
}
