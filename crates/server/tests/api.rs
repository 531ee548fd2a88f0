//! The REST API end to end, through the router (no network): happy paths, history, lineage,
//! and every bad-input path answering problem+json that names the field, store unchanged.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{SqliteStore, Token, TokenAccess, User, WriteMeta};
use serde_json::{Value, json};
use tower::ServiceExt;

const USCC: &str = "914403001922038216";

struct App {
    router: Router,
    state: landcycle_server::AppState,
    /// `Bearer …` of a city user (市局) with a read-write token.
    auth: String,
    _dir: tempfile::TempDir,
}

/// Creates a user and a token for it in the test store; returns `Bearer TOKEN`.
fn bearer(
    state: &landcycle_server::AppState,
    name: &str,
    role: Role,
    scope: Scope,
    access: TokenAccess,
) -> String {
    let accounts = state.accounts();
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
            id: format!("tok-{name}"),
            user: name.into(),
            token_hash: landcycle_server::auth::secret::sha256_hex(&secret),
            access,
            created_at: jiff::Timestamp::now(),
            expires_at: None,
            revoked_at: None,
        })
        .unwrap();
    format!("Bearer {secret}")
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("api.gpkg")).unwrap();
    let state = landcycle_server::state_for(store);
    let reg = state.registry();
    let m = WriteMeta::new("test", "seed").effective(jiff::civil::date(2015, 1, 1));
    reg.put_park(landcycle_demo::fixtures::weidu(None), &m)
        .unwrap();
    reg.put_enterprise(landcycle_demo::fixtures::enterprise("weidu"), &m)
        .unwrap();
    let auth = bearer(&state, "city", Role::City, Scope::All, TokenAccess::Write);
    App {
        router: landcycle_server::router(state.clone()),
        state,
        auth,
        _dir: dir,
    }
}

impl App {
    async fn call(
        &self,
        method: &str,
        uri: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, &self.auth);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let (parts, body) = resp.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        let v = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        (parts.status, parts.headers, v)
    }

    fn stats(&self) -> String {
        format!("{:?}", self.state.registry().store().stats().unwrap())
    }
}

fn square(x: f64, y: f64, d: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
}

fn feature(geometry: Value, code: &str) -> Value {
    json!({
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "code": code, "name": "测试地块", "jurisdiction": "411002", "park_id": "weidu",
            "land_use_code": "100101", "status": "granted", "enterprise": USCC, "registered_area_mu": "15.0"
        },
        "change": {"reason": "入库", "effective": "2020-01-01"}
    })
}

fn assert_problem(
    status: StatusCode,
    headers: &axum::http::HeaderMap,
    body: &Value,
    want: StatusCode,
    field: &str,
) {
    assert_eq!(status, want, "{body}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert!(fields.contains(&field), "expected field {field} in {body}");
}

#[tokio::test]
async fn parks_list_with_targets() {
    let app = app();
    let (s, _, body) = app.call("GET", "/api/parks", None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body[0]["name"], "魏都产业集聚区");
    assert_eq!(body[0]["tax_per_mu_target"]["min_wan"], "15");
    let (s, h, b) = app.call("GET", "/api/parks/nowhere", None, &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
}

#[tokio::test]
async fn parcel_lifecycle_over_http() {
    let app = app();
    let (s, h, created) = app
        .call(
            "POST",
            "/api/parcels",
            Some(feature(square(113.85, 34.03, 0.001), "411002001001GB00001")),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(h[header::ETAG], "\"v1\"");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(h[header::LOCATION], format!("/api/parcels/{id}").as_str());
    let props = &created["properties"];
    assert_eq!(props["status_zh"], "已供应");
    assert_eq!(
        props["registered_area_m2"], "10000.00",
        "15 亩 is exactly 10 000 m²"
    );
    assert!(props["area_check"]["exceeds"].is_boolean());

    // A stale If-Match is refused with 412; a fresh one succeeds.
    let mut upd = feature(square(113.85, 34.03, 0.001), "411002001001GB00001");
    upd["properties"]["status"] = json!("delivered");
    upd["change"] =
        json!({"reason": "交地", "reference": "交地确认书 2021-07", "effective": "2021-07-01"});
    let (s, _, b) = app
        .call(
            "PUT",
            &format!("/api/parcels/{id}"),
            Some(upd.clone()),
            &[("if-match", "\"v7\"")],
        )
        .await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED, "{b}");
    let (s, h, b) = app
        .call(
            "PUT",
            &format!("/api/parcels/{id}"),
            Some(upd),
            &[("if-match", "\"v1\"")],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(h[header::ETAG], "\"v2\"");

    // As of a date before and after the edit.
    let (_, _, before) = app
        .call(
            "GET",
            &format!("/api/parcels/{id}?as_of=2021-06-30"),
            None,
            &[],
        )
        .await;
    assert_eq!(before["properties"]["status"], "granted");
    let (_, _, after) = app
        .call(
            "GET",
            &format!("/api/parcels/{id}?as_of=2021-07-01"),
            None,
            &[],
        )
        .await;
    assert_eq!(after["properties"]["status"], "delivered");
    let (s, _, b) = app
        .call(
            "GET",
            &format!("/api/parcels/{id}?as_of=2019-01-01"),
            None,
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");

    // Timeline.
    let (_, _, t) = app
        .call("GET", &format!("/api/parcels/{id}/history"), None, &[])
        .await;
    assert_eq!(t["versions"].as_array().unwrap().len(), 2);
    assert_eq!(t["events"][1]["reference"], "交地确认书 2021-07");
    assert_eq!(t["events"][1]["before"]["status"], "granted");
    assert_eq!(
        t["events"][1]["actor"], "city",
        "the signed-in user is the actor"
    );

    // Split into two halves, then walk the lineage both ways.
    let half = |x: f64| {
        let mut f = feature(
            json!({"type": "Polygon", "coordinates": [[[x, 34.03], [x + 0.0005, 34.03], [x + 0.0005, 34.031], [x, 34.031], [x, 34.03]]]}),
            "411002001001GB00002",
        );
        f["properties"]["status"] = json!("delivered");
        f.as_object_mut().unwrap().remove("change");
        f
    };
    let split = json!({"version": 2, "children": [half(113.85), half(113.8505)], "change": {"reason": "分割", "effective": "2022-01-01"}});
    let (s, _, kids) = app
        .call(
            "POST",
            &format!("/api/parcels/{id}/split"),
            Some(split),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{kids}");
    let kid = kids[0]["id"].as_str().unwrap();
    let (_, _, up) = app
        .call(
            "GET",
            &format!("/api/parcels/{kid}/lineage?direction=up"),
            None,
            &[],
        )
        .await;
    assert_eq!(up["edges"][0][0], id.as_str());
    let (_, _, down) = app
        .call(
            "GET",
            &format!("/api/parcels/{id}/lineage?direction=down"),
            None,
            &[],
        )
        .await;
    assert_eq!(down["edges"].as_array().unwrap().len(), 2);
    let (s, _, _) = app
        .call("GET", &format!("/api/parcels/{id}"), None, &[])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the parent has ended");

    // Merge them back.
    let mut child = feature(square(113.85, 34.03, 0.001), "411002001001GB00003");
    child["properties"]["status"] = json!("delivered");
    child.as_object_mut().unwrap().remove("change");
    let merge = json!({"parents": [{"id": kids[0]["id"]}, {"id": kids[1]["id"], "version": 1}], "child": child, "change": {"reason": "合并", "effective": "2023-01-01"}});
    let (s, _, merged) = app
        .call("POST", "/api/parcels/merge", Some(merge), &[])
        .await;
    assert_eq!(s, StatusCode::CREATED, "{merged}");
    assert_eq!(merged["properties"]["parents"].as_array().unwrap().len(), 2);

    // Listing with filters and paging links.
    let (_, _, list) = app
        .call(
            "GET",
            "/api/parcels?park=weidu&status=delivered&limit=1",
            None,
            &[],
        )
        .await;
    assert_eq!(list["numberMatched"], 1);
    let (_, _, list) = app
        .call("GET", "/api/parcels?as_of=2022-06-01&limit=1", None, &[])
        .await;
    assert_eq!(list["numberMatched"], 2, "two halves existed in mid-2022");
    assert_eq!(list["links"][0]["rel"], "next");
}

#[tokio::test]
async fn bad_input_names_the_field_and_changes_nothing() {
    let app = app();
    let before = app.stats();
    let cases: Vec<(&str, &str, Value, StatusCode, &str)> = vec![
        (
            "POST",
            "/api/enterprises",
            json!({"uscc": "914403001922038217", "name": "x", "change": {"reason": "r"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "uscc",
        ),
        (
            "POST",
            "/api/parcels",
            {
                let mut f = feature(square(113.85, 34.03, 0.001), "411002001001GB00001");
                f.as_object_mut().unwrap().remove("change");
                f
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "change.reason",
        ),
        (
            "POST",
            "/api/parcels",
            feature(
                json!({"type": "Polygon", "coordinates": [[[113.85, 34.03], [113.851, 34.031], [113.851, 34.03], [113.85, 34.031], [113.85, 34.03]]]}),
                "411002001001GB00001",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "geometry",
        ),
        (
            "POST",
            "/api/parcels",
            feature(
                json!({"type": "Polygon", "coordinates": [[[113.85, 34.03], [113.851]]]}),
                "411002001001GB00001",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "geometry",
        ),
        (
            "POST",
            "/api/parcels",
            feature(square(113.85, 34.03, 0.001), "411002001001GB0000X"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "code",
        ),
        (
            "POST",
            "/api/parcels",
            {
                let mut f = feature(square(113.85, 34.03, 0.001), "411002001001GB00001");
                f["properties"]["land_use_code"] = json!("100199");
                f
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "land_use.code",
        ),
        (
            "POST",
            "/api/parcels",
            {
                let mut f = feature(square(113.85, 34.03, 0.001), "411002001001GB00001");
                f["properties"]["colour"] = json!("red");
                f
            },
            StatusCode::BAD_REQUEST,
            "properties.colour",
        ),
        (
            "POST",
            "/api/parcels",
            {
                let mut f = feature(square(113.85, 34.03, 0.001), "411002001001GB00001");
                f["properties"]["registered_area_m2"] = json!("1");
                f
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "registered_area_mu",
        ),
        (
            "POST",
            "/api/parcels",
            {
                let mut f = feature(square(113.85, 34.03, 0.001), "411002001001GB00001");
                f["properties"]["status"] = json!("sold");
                f
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "status",
        ),
        (
            "POST",
            "/api/supplies",
            json!({"parcel_id": "00000000-0000-0000-0000-000000000000", "enterprise": USCC, "mode": "grant", "contract_no": "C1", "contract_date": "2020-01-01", "term_years": 70, "price_yuan": "1", "change": {"reason": "r"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "term_years",
        ),
        (
            "POST",
            "/api/supplies",
            json!({"parcel_id": "00000000-0000-0000-0000-000000000000", "enterprise": USCC, "mode": "grant", "contract_no": "C1", "contract_date": "2020-13-01", "term_years": 20, "price_yuan": "1"}),
            StatusCode::BAD_REQUEST,
            "contract_date",
        ),
    ];
    for (method, uri, body, status, field) in cases {
        let (s, h, b) = app.call(method, uri, Some(body), &[]).await;
        assert_problem(s, &h, &b, status, field);
    }
    // Malformed JSON names the position.
    let req = Request::builder()
        .method("POST")
        .uri("/api/parcels")
        .header(header::AUTHORIZATION, &app.auth)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"type\": "))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let b: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(b["detail"].as_str().unwrap().contains("line 1"), "{b}");
    // Query parameters.
    for (uri, field) in [
        ("/api/parcels?limit=0", "limit"),
        ("/api/parcels?bbox=114,34,113,35", "bbox"),
        ("/api/parcels?as_of=yesterday", "as_of"),
        ("/api/parcels?colour=red", "colour"),
        ("/api/parcels?status=sold", "status"),
        ("/api/parcels?enterprise=914403001922038217", "enterprise"),
        ("/api/parcels/not-a-uuid", "id"),
        ("/api/attachments/xyz", "sha256"),
        ("/api/enterprises/123", "uscc"),
    ] {
        let (s, h, b) = app.call("GET", uri, None, &[]).await;
        assert_problem(s, &h, &b, StatusCode::BAD_REQUEST, field);
    }
    assert_eq!(app.stats(), before, "bad input must not change the store");
}

#[tokio::test]
async fn attachments_upload_and_download() {
    let app = app();
    let (_, _, created) = app
        .call(
            "POST",
            "/api/parcels",
            Some(feature(square(113.85, 34.03, 0.001), "411002001001GB00001")),
            &[],
        )
        .await;
    let id = created["id"].as_str().unwrap();
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n上传出让合同扫描件\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"合同.pdf\"\r\nContent-Type: text/html\r\n\r\n%PDF-1.4 scan\r\n--{boundary}--\r\n"
    );
    let req = Request::builder()
        .method("POST")
        .uri(format!("/api/parcels/{id}/attachments"))
        .header(header::AUTHORIZATION, &app.auth)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let meta: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(
        meta["content_type"], "application/pdf",
        "judged by content, not the declared type"
    );
    let sha = meta["sha256"].as_str().unwrap();
    let req = Request::builder()
        .uri(format!("/api/attachments/{sha}"))
        .header(header::AUTHORIZATION, &app.auth)
        .body(Body::empty())
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/pdf");
    assert!(
        resp.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        &resp.into_body().collect().await.unwrap().to_bytes()[..],
        b"%PDF-1.4 scan"
    );
    let (_, _, t) = app
        .call("GET", &format!("/api/parcels/{id}/history"), None, &[])
        .await;
    assert_eq!(t["attachments"][0]["name"], "合同.pdf");
    assert!(
        t["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "attach")
    );
}

#[tokio::test]
async fn openapi_document_covers_every_route() {
    let app = app();
    let (s, _, doc) = app.call("GET", "/api/openapi.json", None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/parks",
        "/api/parks/{id}",
        "/api/parcels",
        "/api/parcels/{id}",
        "/api/parcels/{id}/history",
        "/api/parcels/{id}/lineage",
        "/api/parcels/{id}/split",
        "/api/parcels/merge",
        "/api/parcels/{id}/end",
        "/api/parcels/{id}/supplies",
        "/api/parcels/{id}/attachments",
        "/api/attachments/{sha256}",
        "/api/enterprises",
        "/api/enterprises/{uscc}",
        "/api/supplies",
        "/api/health",
        "/api/history",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/audit",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
    }
    // Every $ref resolves.
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling $ref {name}"
        );
    }
}
