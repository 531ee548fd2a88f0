//! Helpers the server's workflow tests share: an account with a write token, and one request
//! answered as status and JSON.
#![allow(dead_code, clippy::unwrap_used)]

pub mod project;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{Token, TokenAccess, User};
use serde_json::Value;
use tower::ServiceExt;

/// Creates user `name` with `role` and `scope` and returns a bearer header for a write token.
pub fn token(state: &landcycle_server::AppState, name: &str, role: Role, scope: Scope) -> String {
    state
        .accounts()
        .create_user(&User {
            name: name.into(),
            password_hash: None,
            role,
            scope,
            created_at: jiff::Timestamp::now(),
            disabled: false,
        })
        .unwrap();
    let secret = landcycle_server::auth::secret::new_token().unwrap();
    state
        .accounts()
        .create_token(&Token {
            id: landcycle_server::auth::secret::new_token_id().unwrap(),
            user: name.into(),
            token_hash: landcycle_server::auth::secret::sha256_hex(&secret),
            access: TokenAccess::Write,
            created_at: jiff::Timestamp::now(),
            expires_at: None,
            revoked_at: None,
        })
        .unwrap();
    format!("Bearer {secret}")
}

/// Sends one request (a JSON body when given); the answer's body as JSON (a string when not).
pub async fn send(
    r: &Router,
    method: &str,
    uri: &str,
    auth: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, auth);
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    let resp = r.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}
