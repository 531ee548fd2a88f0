//! Reading a request's credentials: `Authorization: Bearer TOKEN` (scripts, department
//! systems) or the `landcycle_session` cookie (the browser), into a [`Principal`].

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::http::{HeaderMap, header};
use landcycle_domain::access::Principal;
use landcycle_store::TokenAccess;

use super::secret::sha256_hex;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "landcycle_session";
/// Header an unsafe request of a cookie session must carry, equal to the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How a principal signed in.
#[derive(Debug, Clone)]
pub enum Via {
    /// Not signed in.
    Public,
    /// An API token.
    Token {
        /// The token's id (for the audit log).
        id: String,
    },
    /// A browser session.
    Session {
        /// sha256 of the session id.
        id_hash: String,
        /// The session's CSRF token.
        csrf: String,
    },
}

/// A request's principal and how it signed in.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Who.
    pub principal: Principal,
    /// How.
    pub via: Via,
}

/// The session cookie's value, if sent.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Resolves the principal of a request. A bearer token that is not valid is refused (401); a
/// stale session cookie is ignored (the request is then the public's, which the access layer
/// refuses with 401 where an account is needed).
pub async fn resolve(st: &AppState, headers: &HeaderMap) -> ApiResult<Resolved> {
    let now = jiff::Timestamp::now();
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "send `Authorization: Bearer TOKEN` / 请以 Bearer 方式提供令牌".into(),
                )
            })?;
        let hash = sha256_hex(token);
        let cache = st.cached_accounts();
        if let Some(r) = cache.cached('t', &hash, now) {
            return Ok(r);
        }
        // One indexed read of a WAL file, which never waits for a writer: done here rather
        // than on the blocking pool (the hop cost more than the read); then kept for the
        // credentials TTL, so that a warm tile reads nothing from SQLite.
        let wipes = cache.wipes();
        let found = st.accounts().token_by_hash(&hash, now)?;
        let Some((tok, user)) = found else {
            return Err(ApiError::Unauthorized(
                "the token is unknown, expired or revoked / 令牌无效、已过期或已吊销".into(),
            ));
        };
        let p = user.principal()?;
        let r = Resolved {
            principal: if tok.access == TokenAccess::Read {
                p.read_only()
            } else {
                p
            },
            via: Via::Token { id: tok.id },
        };
        cache.keep('t', &hash, &r, tok.expires_at, wipes);
        return Ok(r);
    }
    if let Some(cookie) = session_cookie(headers) {
        let hash = sha256_hex(cookie);
        let cache = st.cached_accounts();
        if let Some(r) = cache.cached('s', &hash, now) {
            return Ok(r);
        }
        // As for tokens above.
        let wipes = cache.wipes();
        let found = st.accounts().session(&hash, now)?;
        if let Some((s, user)) = found {
            let r = Resolved {
                principal: user.principal()?,
                via: Via::Session {
                    id_hash: s.id_hash,
                    csrf: s.csrf,
                },
            };
            cache.keep('s', &hash, &r, Some(s.expires_at), wipes);
            return Ok(r);
        }
    }
    Ok(Resolved {
        principal: Principal::public(),
        via: Via::Public,
    })
}
