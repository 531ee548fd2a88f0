//! The web UI and the public portal over HTTP: the embedded application answers every path that
//! is not an API (SPA fallback) with the security headers, built assets are cached for good,
//! unknown API paths stay problem+json; the published land list carries public fields only and
//! only land open for supply; 用地意向 are taken from the public and read by the parks in scope.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_demo::fixtures::{enterprise, parcel_draft, park, rect, weidu};
use landcycle_domain::ParcelLifecycle;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{SqliteStore, Token, TokenAccess, User, WriteMeta};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Fx {
    router: Router,
    state: landcycle_server::AppState,
    reserved: String,
    granted: String,
    _dir: tempfile::TempDir,
}

fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("w.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2020, 1, 1));
    reg.put_park(weidu(None), &m).unwrap();
    reg.put_park(
        park("yuzhou", "411081", "禹州市", "禹州产业集聚区", None),
        &m,
    )
    .unwrap();
    reg.put_enterprise(enterprise("weidu"), &m).unwrap();
    let granted = reg
        .create_parcel(parcel_draft(rect(113.85, 34.03, 0.002, 0.002)), &m, None)
        .unwrap();
    let mut draft = parcel_draft(rect(113.86, 34.03, 0.002, 0.002));
    draft.code = None;
    draft.name = "魏都001-1号地块".into();
    draft.status = ParcelLifecycle::Reserved;
    draft.enterprise = None;
    let reserved = reg.create_parcel(draft, &m, None).unwrap();
    Fx {
        router: landcycle_server::router(state.clone()),
        state,
        reserved: reserved.id.to_string(),
        granted: granted.id.to_string(),
        _dir: dir,
    }
}

fn token(f: &Fx, name: &str, role: Role, scope: Scope) -> String {
    let accounts = f.state.accounts();
    accounts
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
    accounts
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

async fn send(
    f: &Fx,
    method: &str,
    uri: &str,
    auth: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(a) = auth {
        r = r.header(header::AUTHORIZATION, a);
    }
    let req = match body {
        Some(b) => r
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => r.body(Body::empty()).unwrap(),
    };
    let resp = f.router.clone().oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

fn json_of(b: &[u8]) -> Value {
    serde_json::from_slice(b).unwrap()
}

#[tokio::test]
async fn the_application_answers_every_ui_path_with_its_page() {
    let f = fixture();
    assert!(landcycle_server::web::embedded(), "web/dist was embedded");
    for path in [
        "/",
        "/map",
        "/public",
        "/public/parcel/abc",
        "/dashboard/park/weidu",
    ] {
        let (s, h, b) = send(&f, "GET", path, None, None).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(
            h[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            String::from_utf8_lossy(&b).contains("<div id=\"app\">"),
            "{path}"
        );
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe"));
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(h[header::CACHE_CONTROL], "no-cache");
    }
    // A built asset named in the page: cached for good, and revalidated by its ETag.
    let (_, _, page) = send(&f, "GET", "/", None, None).await;
    let page = String::from_utf8(page).unwrap();
    let start = page.find("/assets/").unwrap();
    let asset = &page[start..start + page[start..].find('"').unwrap()];
    let (s, h, _) = send(&f, "GET", asset, None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let etag = h[header::ETAG].to_str().unwrap().to_owned();
    let req = Request::get(asset)
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    let r = f.router.clone().oneshot(req).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    // Missing assets and unknown API paths are not the application.
    for path in ["/assets/nothing-here.js", "/api/nothing", "/ogc/nothing"] {
        let (s, h, _) = send(&f, "GET", path, None, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            h[header::CONTENT_TYPE],
            "application/problem+json",
            "{path}"
        );
    }
    let (s, _, _) = send(&f, "POST", "/map", None, None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_public_list_has_land_open_for_supply_and_public_fields_only() {
    let f = fixture();
    let (s, _, b) = send(&f, "GET", "/api/public/available-land", None, None).await;
    assert_eq!(s, StatusCode::OK);
    let v = json_of(&b);
    assert_eq!(v["numberMatched"], 1, "the granted parcel is not published");
    let p = &v["features"][0]["properties"];
    assert_eq!(p["id"], f.reserved.as_str());
    assert_eq!(p["park_name"], "魏都产业集聚区");
    assert_eq!(p["status"], "reserved");
    assert!(p["area_mu"].as_str().unwrap().parse::<f64>().unwrap() > 0.0);
    let text = String::from_utf8(b).unwrap();
    for internal in [
        "enterprise",
        "uscc",
        "contract",
        "legacy_codes",
        "registered_area",
        "\"version\"",
    ] {
        assert!(!text.contains(internal), "{internal} in {text}");
    }
    // One parcel: only when it is open for supply.
    let (s, _, _) = send(
        &f,
        "GET",
        &format!("/api/public/available-land/{}", f.reserved),
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = send(
        &f,
        "GET",
        &format!("/api/public/available-land/{}", f.granted),
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Filters.
    for (q, n) in [
        ("status=listed", 0),
        ("status=reserved", 1),
        ("park=yuzhou", 0),
        ("min_mu=100000", 0),
    ] {
        let (s, _, b) = send(
            &f,
            "GET",
            &format!("/api/public/available-land?{q}"),
            None,
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{q}");
        assert_eq!(json_of(&b)["numberMatched"], n, "{q}");
    }
    for q in ["status=granted", "min_mu=abc", "secret=1"] {
        let (s, _, _) = send(
            &f,
            "GET",
            &format!("/api/public/available-land?{q}"),
            None,
            None,
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}");
    }
}

#[tokio::test]
async fn intentions_come_from_the_public_and_reach_the_parks_in_scope() {
    let f = fixture();
    let form = |parcel: &str| {
        json!({"parcel_id": parcel, "company": "许昌测试机械有限公司", "contact": "王经理",
               "phone": "0374-5551234", "area_mu": "30", "message": "拟建设智能装备项目"})
    };
    let (s, _, b) = send(
        &f,
        "POST",
        "/api/public/intentions",
        None,
        Some(form(&f.reserved)),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{}", String::from_utf8_lossy(&b));
    // Not about land that is not published, nor with bad contact details.
    let (s, _, _) = send(
        &f,
        "POST",
        "/api/public/intentions",
        None,
        Some(form(&f.granted)),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, b) = send(
        &f,
        "POST",
        "/api/public/intentions",
        None,
        Some(json!({"park_id": "yuzhou", "company": " ", "contact": "李", "phone": "call me"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = json_of(&b)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["company", "phone"]);
    let (s, _, _) = send(
        &f,
        "POST",
        "/api/public/intentions",
        None,
        Some(json!({"park_id": "yuzhou", "company": "禹州企业", "contact": "李", "phone": "13800000000"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    // Read by the parks: each sees its own; the city sees all; the public none.
    let weidu = token(
        &f,
        "weidu-staff",
        Role::Park,
        Scope::Park(landcycle_domain::ParkId::parse("weidu").unwrap()),
    );
    let city = token(&f, "city-staff", Role::City, Scope::All);
    let ent = token(
        &f,
        "ent",
        Role::Enterprise,
        Scope::Enterprise(landcycle_demo::fixtures::TEST_USCC.parse().unwrap()),
    );
    let count = |b: &[u8]| json_of(b).as_array().unwrap().len();
    let (s, _, b) = send(&f, "GET", "/api/intentions", Some(&weidu), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(count(&b), 1);
    assert_eq!(json_of(&b)[0]["park_id"], "weidu");
    assert_eq!(json_of(&b)[0]["parcel_id"], f.reserved.as_str());
    let (_, _, b) = send(&f, "GET", "/api/intentions", Some(&city), None).await;
    assert_eq!(count(&b), 2);
    let (_, _, b) = send(&f, "GET", "/api/intentions", Some(&ent), None).await;
    assert_eq!(count(&b), 0);
    let (s, _, _) = send(&f, "GET", "/api/intentions", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Staff do not fill the public form with their credentials.
    let (s, _, _) = send(
        &f,
        "POST",
        "/api/public/intentions",
        Some(&city),
        Some(form(&f.reserved)),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Every submission is in the audit log.
    let audit = f
        .state
        .accounts()
        .search_audit(&landcycle_store::AuditQuery {
            action: Some("submit_intention".into()),
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert!(audit.total >= 4, "{}", audit.total);
}

#[tokio::test]
async fn the_ui_configuration_names_no_base_map_unless_configured() {
    let f = fixture();
    let (s, _, b) = send(&f, "GET", "/api/ui/config", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(json_of(&b), json!({"basemap": null}));
    let cfg = landcycle_server::UiConfig::from_values(
        Some("http://10.1.2.3:8081/t/{z}/{x}/{y}.png"),
        None,
    );
    let router = landcycle_server::router(f.state.clone().with_ui_config(cfg));
    let r = router
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("img-src 'self' data: blob: http://10.1.2.3:8081"),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'self' http://10.1.2.3:8081"),
        "{csp}"
    );
}
