//! Users and tokens over HTTP: the city administrator creates a park committee's account (its
//! password generated and shown once), makes it a token, which then works within its park;
//! revoking the token or disabling the user shuts it out; nobody else may manage accounts;
//! every step is in the audit trail under the administrator's name.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{send, token};
use landcycle_demo::fixtures::weidu;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{SqliteStore, WriteMeta};
use serde_json::json;

#[tokio::test]
async fn the_administrator_manages_users_and_tokens_and_nobody_else_does() {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("a.gpkg")).unwrap());
    state
        .registry()
        .put_park(weidu(None), &WriteMeta::new("seed", "seed"))
        .unwrap();
    let r = landcycle_server::router(state.clone());
    let admin = token(&state, "root", Role::Admin, Scope::All);
    let city = token(&state, "city", Role::City, Scope::All);

    let body =
        json!({"name": "wd-clerk", "role": "park", "scope": {"kind": "park", "value": "weidu"}});
    let (s, v) = send(&r, "POST", "/api/users", &city, Some(body.clone())).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the city bureau does not manage accounts: {v}"
    );
    let (s, v) = send(&r, "POST", "/api/users", &admin, Some(body.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["user"]["role"], "park");
    assert_eq!(v["user"]["role_zh"], "园区管委会");
    assert!(v["password"].as_str().unwrap().chars().count() >= 12, "{v}");
    let (s, _) = send(&r, "POST", "/api/users", &admin, Some(body)).await;
    assert_eq!(s, StatusCode::CONFLICT, "the same name twice");
    for (bad, field) in [
        (json!({"name": "x", "role": "mayor"}), "role"),
        (json!({"name": "bad name!", "role": "city"}), "name"),
        (
            json!({"name": "p2", "role": "park", "scope": {"kind": "park", "value": "nowhere"}}),
            "scope",
        ),
        (
            json!({"name": "p3", "role": "city", "password": "short"}),
            "password",
        ),
    ] {
        let (s, v) = send(&r, "POST", "/api/users", &admin, Some(bad.clone())).await;
        assert!(s.is_client_error(), "{bad} → {s}");
        assert!(v.to_string().contains(field), "{bad} → {v}");
    }
    let (_, v) = send(&r, "GET", "/api/users", &admin, None).await;
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "wd-clerk")
    );
    assert!(!v.to_string().contains("argon2"), "no hashes: {v}");

    let (s, v) = send(
        &r,
        "POST",
        "/api/tokens",
        &admin,
        Some(json!({"user": "wd-clerk", "access": "read", "expires_in_days": 30})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["token"]["id"].as_str().unwrap().to_owned();
    let clerk = format!("Bearer {}", v["secret"].as_str().unwrap());
    let (s, _) = send(&r, "GET", "/api/parcels?park=weidu", &clerk, None).await;
    assert_eq!(s, StatusCode::OK, "the new token reads its park");
    let (s, _) = send(&r, "GET", "/api/parcels?park=yuzhou", &clerk, None).await;
    assert!(
        s == StatusCode::NOT_FOUND || s == StatusCode::BAD_REQUEST,
        "{s}"
    );
    let (_, v) = send(&r, "GET", "/api/tokens?user=wd-clerk", &admin, None).await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert!(!v.to_string().contains("token_hash"), "{v}");

    let (s, _) = send(&r, "DELETE", &format!("/api/tokens/{id}"), &admin, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = send(&r, "GET", "/api/parcels", &clerk, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "revoked");

    let (_, v) = send(
        &r,
        "POST",
        "/api/tokens",
        &admin,
        Some(json!({"user": "wd-clerk"})),
    )
    .await;
    let clerk = format!("Bearer {}", v["secret"].as_str().unwrap());
    let (s, v) = send(&r, "POST", "/api/users/wd-clerk/disable", &admin, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["disabled"], true);
    let (s, _) = send(&r, "GET", "/api/parcels", &clerk, None).await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "a disabled user's tokens stop working"
    );
    let (s, _) = send(
        &r,
        "POST",
        "/api/tokens",
        &admin,
        Some(json!({"user": "wd-clerk"})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "no token for a disabled user");
    let (s, v) = send(&r, "POST", "/api/users/root/disable", &admin, None).await;
    assert_eq!(s, StatusCode::CONFLICT, "not one's own account: {v}");
    let (s, _) = send(&r, "GET", "/api/parcels", &admin, None).await;
    assert_eq!(s, StatusCode::OK, "the admin is still signed in");

    let (_, v) = send(&r, "GET", "/api/audit?actor=root&limit=100", &admin, None).await;
    let actions: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in ["user.add", "token.create", "token.revoke", "user.disable"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}
