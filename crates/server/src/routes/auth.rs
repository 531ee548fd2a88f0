//! Sign-in, sign-out and who am I.

use crate::AppState;
use crate::auth::credentials::{SESSION_COOKIE, Via};
use crate::auth::guard::Auth;
use crate::auth::layer::record;
use crate::auth::ratelimit::SignInLimiter;
use crate::auth::{password, secret};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonBody;
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use landcycle_domain::access::{Principal, Role};
use landcycle_store::{AuditEntry, Session};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;
use utoipa::ToSchema;

/// The client's address, when the server knows it.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// A sign-in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// User name.
    pub name: String,
    /// Password.
    pub password: String,
}

/// Who is signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeOut {
    /// User name.
    pub user: String,
    /// Role.
    pub role: Role,
    /// Role in Chinese.
    pub role_zh: &'static str,
    /// Scope kind: all, county, park, department, enterprise.
    pub scope: &'static str,
    /// Scope value (county code, park id, department, 统一社会信用代码).
    pub scope_value: Option<String>,
    /// True with a read-only token.
    pub read_only: bool,
}

impl From<&Principal> for MeOut {
    fn from(p: &Principal) -> Self {
        Self {
            user: p.user.clone(),
            role: p.role,
            role_zh: p.role.label_zh(),
            scope: p.scope.kind().as_str(),
            scope_value: p.scope.value().map(str::to_owned),
            read_only: p.read_only,
        }
    }
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginOut {
    /// Who.
    #[serde(flatten)]
    pub me: MeOut,
    /// Send it as `X-CSRF-Token` with every POST/PUT/DELETE of this session.
    pub csrf: String,
    /// When the session ends.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: jiff::Timestamp,
}

fn cookie(st: &AppState, value: &str, max_age: u64) -> ApiResult<HeaderValue> {
    let secure = if st.auth_config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .map_err(|e| ApiError::Internal(format!("cookie: {e}")))
}

fn audit(actor: &str, outcome: &str, detail: serde_json::Value) -> AuditEntry {
    AuditEntry {
        at: jiff::Timestamp::now(),
        actor: actor.to_owned(),
        action: "sign_in".into(),
        target: Some(actor.to_owned()),
        outcome: outcome.into(),
        detail,
    }
}

fn rng(e: getrandom::Error) -> ApiError {
    ApiError::Internal(format!("random source: {e}"))
}

/// Sign in with name and password: sets the session cookie (HttpOnly, SameSite=Strict) and
/// returns the CSRF token to send with unsafe requests. Five failures a minute per name or
/// address, then 429.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginIn,
    responses((status = 200, body = LoginOut, headers(("set-cookie" = String, description = "landcycle_session"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(body): JsonBody<LoginIn>,
) -> ApiResult<Response> {
    let keys = SignInLimiter::keys(&body.name, ip);
    if let Some(wait) = st.limiter().blocked(&keys, Instant::now()) {
        record(
            &st,
            audit(&body.name, "rate_limited", serde_json::json!({ "ip": ip })),
        )
        .await;
        return Err(ApiError::TooManyRequests(
            "too many failed sign-ins; wait a minute / 登录失败次数过多，请稍后再试".into(),
            wait.as_secs().max(1),
        ));
    }
    let accounts = st.accounts();
    let (name, pw) = (body.name.clone(), body.password);
    let user = tokio::task::spawn_blocking(move || -> ApiResult<_> {
        let user = accounts.user(&name)?;
        let ok = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
            Some(h) => password::verify(&pw, h),
            None => {
                password::verify_dummy(&pw);
                false
            }
        };
        Ok(user.filter(|u| ok && !u.disabled))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))??;
    let Some(user) = user else {
        st.limiter().fail(&keys, Instant::now());
        record(
            &st,
            audit(&body.name, "failed", serde_json::json!({ "ip": ip })),
        )
        .await;
        return Err(ApiError::Unauthorized(
            "wrong name or password / 用户名或密码错误".into(),
        ));
    };
    st.limiter().clear(&keys[0]);
    let principal = user.principal()?;
    let (sid, csrf) = (
        secret::random_hex().map_err(rng)?,
        secret::random_hex().map_err(rng)?,
    );
    let ttl = st.auth_config().session_ttl;
    let now = jiff::Timestamp::now();
    let expires_at = now
        .checked_add(
            jiff::SignedDuration::try_from(ttl).map_err(|e| ApiError::Internal(e.to_string()))?,
        )
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let session = Session {
        id_hash: secret::sha256_hex(&sid),
        user: user.name.clone(),
        csrf: csrf.clone(),
        created_at: now,
        expires_at,
    };
    let accounts = st.accounts();
    tokio::task::spawn_blocking(move || accounts.create_session(&session))
        .await
        .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))??;
    record(
        &st,
        audit(&user.name, "ok", serde_json::json!({ "ip": ip })),
    )
    .await;
    let mut resp = Json(LoginOut {
        me: MeOut::from(&principal),
        csrf,
        expires_at,
    })
    .into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, cookie(&st, &sid, ttl.as_secs())?);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Sign out: ends the session and clears its cookie (with a token: nothing to end).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn logout(
    State(st): State<AppState>,
    req: axum::extract::Request,
) -> ApiResult<Response> {
    if let Some(Via::Session { id_hash, .. }) = req.extensions().get::<Via>().cloned() {
        let accounts = st.accounts();
        tokio::task::spawn_blocking(move || {
            accounts.delete_session(&id_hash, jiff::Timestamp::now())
        })
        .await
        .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))??;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, cookie(&st, "", 0)?);
    Ok(resp)
}

/// Who is signed in, with role and scope.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = MeOut), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn me(Auth(p): Auth) -> Json<MeOut> {
    Json(MeOut::from(&p))
}
