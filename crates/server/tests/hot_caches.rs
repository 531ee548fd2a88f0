//! The in-memory caches of a request's hot path: the credentials cache (a revoked token, a
//! disabled user or an ended session is refused at once through this server, and within the
//! TTL when another process changed it) and the tile cache's generation (an edit through this
//! server shows in the next tile; a write through another handle on the same file within
//! `GENERATION_RECHECK`).
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{send, token};
use landcycle_demo::fixtures;
use landcycle_domain::access::{Role, Scope};
use landcycle_server::AppState;
use landcycle_server::auth::AuthConfig;
use landcycle_store::{AccountStore, Registry, Session, SqliteStore, WriteMeta};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const TTL: Duration = Duration::from_millis(400);

fn state(dir: &tempfile::TempDir) -> AppState {
    let store = SqliteStore::open(dir.path().join("c.gpkg")).unwrap();
    let st = landcycle_server::state_for(store).with_auth_config(AuthConfig {
        credentials_ttl: TTL,
        ..AuthConfig::default()
    });
    st.registry()
        .put_park(
            fixtures::weidu(Some(fixtures::rect(113.80, 34.00, 0.1, 0.1))),
            &WriteMeta::new("seed", "seed"),
        )
        .unwrap();
    st.registry()
        .put_enterprise(
            fixtures::enterprise("weidu"),
            &WriteMeta::new("seed", "seed"),
        )
        .unwrap();
    st
}

/// The other process: a second store handle on the same file.
fn other(dir: &tempfile::TempDir) -> SqliteStore {
    SqliteStore::open(dir.path().join("c.gpkg")).unwrap()
}

async fn status(r: &axum::Router, auth: &str) -> StatusCode {
    send(r, "GET", "/api/auth/me", auth, None).await.0
}

fn token_id(st: &AppState, user: &str) -> String {
    st.accounts().tokens(Some(user)).unwrap()[0].id.clone()
}

#[tokio::test]
async fn changes_through_this_server_refuse_cached_credentials_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let st = state(&dir);
    let r = landcycle_server::router(st.clone());
    let admin = token(&st, "root", Role::Admin, Scope::All);
    let a = token(&st, "a", Role::City, Scope::All);
    let b = token(&st, "b", Role::City, Scope::All);
    // Used, so cached.
    assert_eq!(status(&r, &a).await, StatusCode::OK);
    assert_eq!(status(&r, &b).await, StatusCode::OK);

    // Revoked over HTTP: the very next request with it is refused, well within the TTL.
    let id = token_id(&st, "a");
    let (s, v) = send(&r, "DELETE", &format!("/api/tokens/{id}"), &admin, None).await;
    assert!(s.is_success(), "{s} {v}");
    assert_eq!(status(&r, &a).await, StatusCode::UNAUTHORIZED);

    // A disabled user's token: the same.
    let (s, v) = send(&r, "POST", "/api/users/b/disable", &admin, None).await;
    assert!(s.is_success(), "{s} {v}");
    assert_eq!(status(&r, &b).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status(&r, &admin).await,
        StatusCode::OK,
        "others unaffected"
    );
}

/// A session cookie request (`/api/auth/me` or a sign-out with its CSRF header).
async fn with_cookie(r: &axum::Router, method: &str, uri: &str, sid: &str) -> StatusCode {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, format!("landcycle_session={sid}"))
        .header("x-csrf-token", "csrf-1")
        .body(Body::empty())
        .unwrap();
    r.clone().oneshot(req).await.unwrap().status()
}

#[tokio::test]
async fn a_signed_out_session_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let st = state(&dir);
    let r = landcycle_server::router(st.clone());
    token(&st, "c", Role::City, Scope::All);
    let sid = "0123456789abcdef0123456789abcdef";
    let now = jiff::Timestamp::now();
    st.accounts()
        .create_session(&Session {
            id_hash: landcycle_server::auth::secret::sha256_hex(sid),
            user: "c".into(),
            csrf: "csrf-1".into(),
            created_at: now,
            expires_at: now + jiff::SignedDuration::from_hours(1),
        })
        .unwrap();
    assert_eq!(
        with_cookie(&r, "GET", "/api/auth/me", sid).await,
        StatusCode::OK
    );
    assert_eq!(
        with_cookie(&r, "POST", "/api/auth/logout", sid).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        with_cookie(&r, "GET", "/api/auth/me", sid).await,
        StatusCode::UNAUTHORIZED,
        "the session ended: its cached principal is gone"
    );
}

#[tokio::test]
async fn a_revocation_by_another_process_shows_within_the_ttl() {
    let dir = tempfile::tempdir().unwrap();
    let st = state(&dir);
    let r = landcycle_server::router(st.clone());
    let a = token(&st, "a", Role::City, Scope::All);
    assert_eq!(status(&r, &a).await, StatusCode::OK);
    // `landcycle token revoke` from a shell: the server does not hear of it…
    let revoked = Instant::now();
    other(&dir)
        .revoke_token(&token_id(&st, "a"), jiff::Timestamp::now())
        .unwrap();
    assert_eq!(
        status(&r, &a).await,
        StatusCode::OK,
        "cached: this is what the cache saves (and why its TTL is short)"
    );
    // …until the entry's TTL has run out.
    loop {
        if status(&r, &a).await == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            revoked.elapsed() < TTL * 3,
            "still accepted after {:?}",
            revoked.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        revoked.elapsed() <= TTL + Duration::from_millis(100),
        "{:?}",
        revoked.elapsed()
    );
}

fn tile_of(z: u8, lon: f64, lat: f64) -> (u32, u32) {
    let (px, py) = landcycle_geo::TileMatrixSet::WebMercatorQuad.position(z, lon, lat);
    (px.floor() as u32, py.floor() as u32)
}

#[tokio::test]
async fn tiles_see_a_write_by_another_process_within_the_recheck_bound() {
    use landcycle_store::sqlite::GENERATION_RECHECK;
    let dir = tempfile::tempdir().unwrap();
    let st = state(&dir);
    let r = landcycle_server::router(st.clone());
    let auth = token(&st, "city", Role::City, Scope::All);
    let (x, y) = tile_of(15, 113.9305, 34.0805);
    let url = format!("/ogc/collections/parcels/tiles/WebMercatorQuad/15/{y}/{x}");
    let tile = |r: axum::Router, auth: String, url: String| async move {
        let req = Request::builder()
            .uri(url)
            .header(header::AUTHORIZATION, auth)
            .body(Body::empty())
            .unwrap();
        r.oneshot(req).await.unwrap().status()
    };
    assert_eq!(
        tile(r.clone(), auth.clone(), url.clone()).await,
        StatusCode::NO_CONTENT
    );
    // Warm: answered from the cache.
    assert_eq!(
        tile(r.clone(), auth.clone(), url.clone()).await,
        StatusCode::NO_CONTENT
    );

    // A parcel drawn into that tile by another handle on the file (a CLI import).
    let cli = Registry::new(Arc::new(other(&dir)));
    let written = Instant::now();
    cli.create_parcel(
        fixtures::parcel_draft(fixtures::rect(113.930, 34.080, 0.001, 0.001)),
        &WriteMeta::new("import", "批量导入"),
        None,
    )
    .unwrap();
    loop {
        if tile(r.clone(), auth.clone(), url.clone()).await == StatusCode::OK {
            break;
        }
        assert!(
            written.elapsed() < GENERATION_RECHECK * 3,
            "the tile is still empty after {:?}",
            written.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let seen = written.elapsed();
    assert!(
        seen <= GENERATION_RECHECK + Duration::from_millis(60),
        "{seen:?}"
    );
}
