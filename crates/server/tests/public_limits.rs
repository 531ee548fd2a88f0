//! Requests without an account are limited per address: past the burst the portal's API and
//! the public OGC collections answer 429 with `Retry-After` and a problem naming why; signed-in
//! users are not limited; 我要用地 submissions have their own, smaller bucket.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use landcycle_demo::fixtures::weidu;
use landcycle_domain::access::{Role, Scope};
use landcycle_server::auth::AuthConfig;
use landcycle_server::auth::public_limit::Rate;
use landcycle_store::{SqliteStore, WriteMeta};
use serde_json::json;
use tower::ServiceExt;

fn router(dir: &tempfile::TempDir) -> (Router, String) {
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("p.gpkg")).unwrap())
        .with_auth_config(AuthConfig {
            public_reads: Rate {
                burst: 4,
                per_sec: 0.001,
            },
            public_submissions: Rate {
                burst: 1,
                per_sec: 0.001,
            },
            ..AuthConfig::default()
        });
    state
        .registry()
        .put_park(weidu(None), &WriteMeta::new("seed", "seed"))
        .unwrap();
    let city = common::token(&state, "city", Role::City, Scope::All);
    (landcycle_server::router(state), city)
}

async fn get(r: &Router, uri: &str, auth: Option<&str>) -> (StatusCode, axum::http::HeaderMap) {
    let mut b = Request::builder().uri(uri);
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    let resp = r
        .clone()
        .oneshot(b.body(Body::empty()).unwrap())
        .await
        .unwrap();
    (resp.status(), resp.headers().clone())
}

#[tokio::test]
async fn the_public_is_limited_past_its_burst_and_signed_in_users_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let (r, city) = router(&dir);
    for uri in [
        "/api/parks",
        "/api/public/available-land",
        "/ogc/collections/available-land/items",
        "/ogc/collections/parks",
    ] {
        let (s, _) = get(&r, uri, None).await;
        assert_eq!(s, StatusCode::OK, "{uri} within the burst");
    }
    let (s, h) = get(&r, "/api/public/available-land", None).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = h[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!(wait >= 1, "{wait}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    let (s, _) = get(&r, "/ogc/collections/available-land/items", None).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "OGC shares the bucket");
    for _ in 0..10 {
        let (s, _) = get(&r, "/api/public/available-land", Some(&city)).await;
        assert_eq!(s, StatusCode::OK, "a signed-in user is not limited here");
    }
}

#[tokio::test]
async fn intentions_have_their_own_smaller_bucket() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = router(&dir);
    let post = |n: usize| {
        let body = json!({"park_id": "weidu", "company": format!("测试企业{n}"), "contact": "张三",
            "phone": "0374-1234567"});
        Request::builder()
            .method("POST")
            .uri("/api/public/intentions")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let s = r.clone().oneshot(post(1)).await.unwrap().status();
    assert!(s.is_success(), "{s}");
    let s = r.clone().oneshot(post(2)).await.unwrap().status();
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    // Reads still have their own tokens.
    let (s, _) = get(&r, "/api/parks", None).await;
    assert_eq!(s, StatusCode::OK);
}
