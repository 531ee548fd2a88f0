//! Who may see and change what, over HTTP: the authorization matrix (every route of the
//! OpenAPI document × every role × a record inside and outside the role's jurisdiction, the
//! expectation computed from the role table), sign-in with cookie and CSRF, tokens, the rate
//! limit on failed sign-ins, the audit trail and the security headers.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_domain::access::{Action, Decision, Principal, Role, Scope, Target, decide};
use landcycle_domain::codes::uscc_check_char;
use landcycle_domain::park::{Jurisdiction, TaxPerMuTarget};
use landcycle_domain::{AdminCode, Enterprise, Park, ParkId, Uscc};
use landcycle_server::auth::{TargetFrom, policy_for, secret};
use landcycle_store::{SqliteStore, Token, TokenAccess, User, WriteMeta};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

const E_IN: &str = "914403001922038216";

fn e_out() -> String {
    let first = "91411081MA0000001";
    format!("{first}{}", uscc_check_char(first).unwrap())
}

/// One side of the matrix: a park, its county, an enterprise and a parcel with an attachment.
#[derive(Clone)]
struct Side {
    park: &'static str,
    county: &'static str,
    uscc: String,
    parcel: String,
    /// The parcel's row id: its feature id in the vector tiles.
    fid: i64,
    sha: String,
}

impl Side {
    fn target(&self) -> Target {
        Target {
            jurisdiction: Some(AdminCode::parse(self.county).unwrap()),
            park: Some(ParkId::parse(self.park).unwrap()),
            park_jurisdiction: Some(AdminCode::parse(self.county).unwrap()),
            enterprise: Some(Uscc::parse(&self.uscc).unwrap()),
            department: None,
        }
    }
}

struct Fixture {
    router: Router,
    state: landcycle_server::AppState,
    inside: Side,
    outside: Side,
    _dir: tempfile::TempDir,
}

fn park(id: &str, county: &str, name: &str) -> Park {
    Park {
        id: ParkId::parse(id).unwrap(),
        name: name.into(),
        aliases: vec![],
        jurisdiction: Jurisdiction {
            code: AdminCode::parse(county).unwrap(),
            name: "区".into(),
        },
        lead_industries: vec![],
        tax_per_mu_target: TaxPerMuTarget {
            min_wan: Decimal::from(15),
            max_wan: None,
        },
        area_km2: None,
        roles: vec![],
        boundary: None,
    }
}

fn square(x: f64, y: f64) -> Value {
    let d = 0.001;
    json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
}

fn feature(side: &Side, x: f64) -> Value {
    json!({
        "type": "Feature",
        "geometry": square(x, 34.03),
        "properties": {
            "name": "测试地块", "jurisdiction": side.county, "park_id": side.park,
            "land_use_code": "100101", "status": "granted", "enterprise": side.uscc,
            "registered_area_mu": "15.0"
        },
        "change": {"reason": "入库", "effective": "2020-01-01"}
    })
}

async fn send(router: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let resp = router.clone().oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (parts.status, parts.headers, v)
}

fn request(method: &str, uri: &str, auth: Option<&str>, body: Option<&Value>) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(a) = auth {
        r = r.header(header::AUTHORIZATION, a);
    }
    match body {
        Some(b) => r
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => r.body(Body::empty()).unwrap(),
    }
}

fn add_user(
    state: &landcycle_server::AppState,
    name: &str,
    role: Role,
    scope: Scope,
    password: Option<&str>,
) {
    state
        .accounts()
        .create_user(&User {
            name: name.into(),
            password_hash: password.map(|p| landcycle_server::auth::password::hash(p).unwrap()),
            role,
            scope,
            created_at: jiff::Timestamp::now(),
            disabled: false,
        })
        .unwrap();
}

fn add_token(
    state: &landcycle_server::AppState,
    user: &str,
    access: TokenAccess,
    expires: Option<jiff::Timestamp>,
) -> (String, String) {
    let secret = secret::new_token().unwrap();
    let id = secret::new_token_id().unwrap();
    state
        .accounts()
        .create_token(&Token {
            id: id.clone(),
            user: user.into(),
            token_hash: secret::sha256_hex(&secret),
            access,
            created_at: jiff::Timestamp::now(),
            expires_at: expires,
            revoked_at: None,
        })
        .unwrap();
    (id, format!("Bearer {secret}"))
}

fn scope_of(role: Role) -> Scope {
    match role {
        Role::County => Scope::County(AdminCode::parse("411002").unwrap()),
        Role::Park => Scope::Park(ParkId::parse("weidu").unwrap()),
        Role::Department => Scope::Department("tax".into()),
        Role::Enterprise => Scope::Enterprise(Uscc::parse(E_IN).unwrap()),
        _ => Scope::All,
    }
}

fn principal(role: Role) -> Principal {
    if role == Role::Public {
        Principal::public()
    } else {
        Principal::new(role.as_str(), role, scope_of(role)).unwrap()
    }
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("a.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2015, 1, 1));
    reg.put_park(park("weidu", "411002", "魏都产业集聚区"), &m)
        .unwrap();
    reg.put_park(park("yuzhou", "411081", "禹州产业集聚区"), &m)
        .unwrap();
    let e_out = e_out();
    for (u, p) in [(E_IN, "weidu"), (e_out.as_str(), "yuzhou")] {
        reg.put_enterprise(
            Enterprise::new(u, "测试企业", None, true, Some(p), None).unwrap(),
            &m,
        )
        .unwrap();
    }
    let mut sides = Vec::new();
    for (i, (p, c, u)) in [
        ("weidu", "411002", E_IN.to_owned()),
        ("yuzhou", "411081", e_out),
    ]
    .into_iter()
    .enumerate()
    {
        let mut side = Side {
            park: p,
            county: c,
            uscc: u,
            parcel: String::new(),
            fid: 0,
            sha: String::new(),
        };
        let draft: landcycle_server::dto::ParcelIn =
            serde_json::from_value(feature(&side, 113.85 + i as f64 * 0.01)).unwrap();
        let parcel = reg
            .create_parcel(draft.into_draft("").unwrap(), &m, None)
            .unwrap();
        let a = reg
            .attach(
                parcel.id,
                "scan.pdf",
                format!("%PDF-1.4 {p}").as_bytes(),
                &m,
            )
            .unwrap();
        side.parcel = parcel.id.to_string();
        // The tiles' feature id of the parcel, read as the tiles read it.
        reg.store()
            .tile_parcels(
                &landcycle_store::ParcelQuery {
                    bbox: Some([113.0, 33.0, 115.0, 35.0]),
                    limit: 10,
                    ..Default::default()
                },
                &mut |p| {
                    if p.id == side.parcel {
                        side.fid = p.fid;
                    }
                },
            )
            .unwrap();
        assert!(side.fid > 0);
        side.sha = a.sha256;
        sides.push(side);
    }
    for role in Role::ACCOUNT_ROLES {
        add_user(&state, role.as_str(), role, scope_of(role), None);
    }
    let outside = sides.pop().unwrap();
    let inside = sides.pop().unwrap();
    Fixture {
        router: landcycle_server::router(state.clone()),
        state,
        inside,
        outside,
        _dir: dir,
    }
}

/// A request for `method path` touching `side`'s records, built so that an allowed write fails
/// after the access checks (stale versions, an invalid term) or changes nothing that matters.
fn matrix_request(
    method: &str,
    path: &str,
    side: &Side,
    auth: Option<&str>,
    n: usize,
) -> Request<Body> {
    let uri = path
        .replace("{tms}", "WebMercatorQuad")
        .replace("{z}/{y}/{x}", "14/6543/13373")
        .replace(
            "{id}",
            if path.starts_with("/api/parks") || path.starts_with("/ogc/collections/parks") {
                side.park
            } else {
                &side.parcel
            },
        )
        .replace("{fid}", &side.fid.to_string())
        .replace("{uscc}", &side.uscc)
        .replace("{code}", "start")
        .replace("{sha256}", &side.sha)
        .replace("{name}", "nobody");
    let change = json!({"reason": "测试"});
    let body = match (method, path) {
        ("POST", "/api/parcels") => Some(feature(side, 113.9)),
        ("PUT", "/api/parcels/{id}") => Some(feature(side, 113.9)),
        ("POST", "/ogc/collections/parcels/items") => Some(feature(side, 113.9)),
        ("PUT" | "PATCH", "/ogc/collections/parcels/items/{id}") => Some(feature(side, 113.9)),
        ("DELETE", "/ogc/collections/parcels/items/{id}") => None,
        ("POST", "/api/parcels/{id}/split") => {
            Some(json!({"version": 99, "children": [feature(side, 113.9)], "change": change}))
        }
        ("POST", "/api/parcels/merge") => Some(json!({
            "parents": [{"id": side.parcel, "version": 99}, {"id": side.parcel, "version": 98}],
            "child": feature(side, 113.9), "change": change})),
        ("POST", "/api/parcels/{id}/end") => Some(json!({"version": 99, "change": change})),
        ("POST", "/api/enterprises") => Some(json!({
            "uscc": side.uscc, "name": "测试企业", "above_scale": true, "park_id": side.park, "change": change})),
        ("POST", "/api/supplies") => Some(json!({
            "parcel_id": side.parcel, "enterprise": side.uscc, "mode": "grant", "contract_no": "C1",
            "contract_date": "2020-01-01", "term_years": 70, "price_yuan": "1", "change": change})),
        ("POST", "/api/batches") => Some(json!({
            "id": format!("测试批〔2020〕{n}号"), "name": "测试批次", "jurisdiction": side.county,
            "park_id": side.park, "approved_on": "2020-01-01", "approved_area_m2": "1000",
            "change": change})),
        ("POST", "/api/batches/{id}/deductions") => Some(json!({
            "deduction": {"kind": "approval_withdrawn", "area_m2": "1", "on": "2021-01-01",
                "reason": "测试"}, "change": change})),
        ("POST", "/api/cases") => Some(json!({
            "id": format!("T-{n}"), "parcel_id": side.parcel, "agreed_start": "2019-01-01",
            "land_price_yuan": "1", "discovered_on": "2018-01-01", "change": change})),
        ("POST", "/api/projects") => Some(json!({
            "name": "测试项目", "uscc": side.uscc, "park_id": side.park, "industry": "装备制造",
            "investment_wan": "100", "land_mu": "10", "values": {}, "on": "2021-01-01"})),
        ("POST", "/api/projects/{id}/revision") => {
            Some(json!({"values": {}, "on": "2021-01-01", "reason": "测试"}))
        }
        ("POST", "/api/projects/{id}/review") => Some(json!({
            "members": [], "opinions": [], "on": "2021-01-01", "reason": "测试"})),
        ("POST", "/api/projects/{id}/scheme") => Some(json!({
            "scheme": {"mode": "flexible_grant", "years": 20}, "full_term_price_yuan": "1",
            "on": "2021-01-01", "reason": "测试"})),
        ("POST", "/api/projects/{id}/contract") => Some(json!({
            "contract": {"contract_no": "C1", "parcel_id": null, "grantee": side.uscc, "area_m2": "1",
                "price": "1", "scheme": {"mode": "flexible_grant", "years": 20}, "term_years": 20,
                "signed_on": "2021-01-01", "delivery_on": "2021-02-01", "start_deadline": "2021-08-01",
                "completion_deadline": "2022-08-01", "total_investment": "1", "far_min": "1",
                "penalties": {"late_start_per_mille": "1", "late_completion_per_mille": "1",
                    "shortfall_combine": "max_of", "tax_gap_capped_at_price": true}},
            "agreement": {"agreement_no": "A1", "counterparty": "管委会", "signed_on": "2021-01-01",
                "indicators": [], "initial_operation_years": 3, "production_after_completion_months": 12,
                "periodic_review_years": 3, "performance_bond": null},
            "reason": "测试"})),
        ("POST", "/api/projects/{id}/checkpoints/{code}") => {
            Some(json!({"on": "2021-01-01", "reason": "测试"}))
        }
        ("POST", "/api/projects/{id}/renewal") => Some(json!({
            "years_requested": 1, "industry_fits_plan": true, "mu_classes": [],
            "on": "2021-01-01", "reason": "测试"})),
        ("POST", "/api/inspections") => Some(json!({
            "id": format!("XC-{n}"), "parcel_id": side.parcel, "project_id": null,
            "inspected_on": "2021-01-01", "inspectors": ["巡查员"], "started": false,
            "completed": false, "completion_certificate_no": null, "not_completed_reason": null,
            "boundary": null})),
        ("POST", "/api/progress-reports") => Some(json!({
            "subject": "case", "subject_id": "none", "year": 2021, "quarter": 1,
            "unit": "园区", "text": "进展"})),
        ("POST", "/api/indicator-sets") => Some(json!({
            "park_id": side.park, "industry": "装备制造", "version": format!("v{n}"),
            "effective_from": "2021-01-01", "source": "测试", "indicators": [], "reason": "测试"})),
        ("POST", "/api/penalties/{id}/payments") => Some(json!({
            "amount_yuan": "1", "paid_on": "2021-01-01", "receipt": "R1"})),
        ("POST", "/api/projects/{id}/progress-reports") => {
            Some(json!({"year": 2021, "quarter": 1, "text": "进展"}))
        }
        ("POST", "/api/webhooks") => Some(json!({"id": format!("w{n}"), "url": "ftp://x"})),
        ("DELETE", "/api/webhooks/{id}") => None,
        ("POST", "/api/tasks") => Some(json!({
            "title": "园区自定任务", "units": ["园区管委会"], "park_id": side.park, "reason": "测试",
            "milestones": [{"date": "2021-12-31", "what": "完成", "done_on": null}]})),
        ("POST", p) if p.ends_with("/transitions") || p.ends_with("/submissions") => {
            Some(json!({"to": "notice_issued", "on": "2021-01-01", "reason": "测试"}))
        }
        ("POST", "/api/auth/login") => {
            Some(json!({"name": format!("nobody{n}"), "password": "wrong password"}))
        }
        ("POST", "/api/auth/logout") => None,
        ("POST", "/api/evaluations") => Some(json!({"year": 2019})),
        ("POST", "/api/users") => Some(json!({"name": format!("u{n}"), "role": "auditor"})),
        ("POST", "/api/users/{name}/disable") => None,
        ("POST", "/api/tokens") => Some(json!({"user": "nobody"})),
        ("DELETE", "/api/tokens/{id}") => None,
        ("POST", "/api/evaluations/{id}/reproduce") => None,
        ("POST", "/api/public/intentions") => Some(json!({
            "park_id": side.park, "company": "测试企业", "contact": "张三", "phone": "0374-1234567"})),
        ("POST", "/api/imports") => {
            // A dry run of one parcel of the side's park: allowed roles get 200 or 422.
            let fc = json!({"type": "FeatureCollection", "features": [{
                "type": "Feature", "geometry": square(113.9, 34.03),
                "properties": {"项目名称": "测试地块", "行政区代码": side.county, "园区": side.park,
                    "土地用途": "100101", "状态": "granted", "信用代码": side.uscc}}]});
            let b = "B1";
            let form = format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\ntrue\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.geojson\"\r\n\r\n{fc}\r\n--{b}--\r\n"
            );
            let mut r = Request::builder().method(method).uri(&uri).header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={b}"),
            );
            if let Some(a) = auth {
                r = r.header(header::AUTHORIZATION, a);
            }
            return r.body(Body::from(form)).unwrap();
        }
        ("POST", "/api/parcels/{id}/attachments") => {
            let b = "B0";
            let form = format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n测试\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n\r\n%PDF-1.4 {n}\r\n--{b}--\r\n"
            );
            let mut r = Request::builder().method(method).uri(&uri).header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={b}"),
            );
            if let Some(a) = auth {
                r = r.header(header::AUTHORIZATION, a);
            }
            return r.body(Body::from(form)).unwrap();
        }
        (m, _) => {
            assert!(
                m == "GET",
                "the matrix has no request body for {method} {path}: add one"
            );
            None
        }
    };
    let mut req = request(method, &uri, auth, body.as_ref());
    if matches!(method, "PUT" | "PATCH" | "DELETE") {
        req.headers_mut()
            .insert(header::IF_MATCH, "\"v99\"".parse().unwrap());
    }
    req
}

/// Every documented route (and the document itself).
fn routes() -> Vec<(String, String)> {
    let doc = serde_json::to_value(landcycle_server::openapi()).unwrap();
    let mut out = vec![("GET".to_owned(), "/api/openapi.json".to_owned())];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in ["get", "put", "post", "delete", "patch"] {
            if item.get(m).is_some() {
                out.push((m.to_uppercase(), path.clone()));
            }
        }
    }
    // The OGC API's own document, its paths mapped onto the router's templates.
    let ogc = landcycle_server::ogc::api_doc::document("http://x");
    out.push(("GET".to_owned(), "/ogc/api".to_owned()));
    out.push(("GET".to_owned(), "/ogc/".to_owned()));
    for (path, item) in ogc["paths"].as_object().unwrap() {
        let routed = if path == "/" {
            "/ogc".to_owned()
        } else {
            format!("/ogc{path}")
                .replace("{featureId}", "{id}")
                .replace("{tileMatrixSetId}", "{tms}")
                .replace("{tileMatrix}/{tileRow}/{tileCol}", "{z}/{y}/{x}")
        };
        for m in ["get", "put", "post", "delete", "patch"] {
            if item.get(m).is_some() {
                out.push((m.to_uppercase(), routed.clone()));
            }
        }
    }
    out
}

#[tokio::test]
async fn authorization_matrix_every_route_every_role_in_and_out_of_jurisdiction() {
    let f = fixture().await;
    let mut tokens = std::collections::BTreeMap::new();
    for role in Role::ACCOUNT_ROLES {
        tokens.insert(
            role,
            add_token(&f.state, role.as_str(), TokenAccess::Write, None).1,
        );
    }
    let routes = routes();
    // Every rule names a route that exists, and every route has a rule.
    for p in landcycle_server::auth::POLICIES {
        assert!(
            routes.iter().any(|(m, r)| m == p.method && r == p.path),
            "policy for {} {} names no documented route",
            p.method,
            p.path
        );
    }
    let mut n = 0;
    let mut checked = 0;
    for (method, path) in &routes {
        let policy = policy_for(method, path)
            .unwrap_or_else(|| panic!("{method} {path} has no rule in the route policy table"));
        for role in Role::ALL {
            for (side, inside) in [(&f.inside, true), (&f.outside, false)] {
                n += 1;
                let target = match policy.target {
                    TargetFrom::Nothing | TargetFrom::List => Target::anywhere(),
                    _ => side.target(),
                };
                let expected = decide(&principal(role), policy.action, &target);
                let auth = tokens.get(&role).map(String::as_str);
                let req = matrix_request(method, path, side, auth, n);
                let (status, headers, body) = send(&f.router, req).await;
                let what = format!(
                    "{role} {method} {path} {} → {status} {body}",
                    if inside { "inside" } else { "outside" }
                );
                let names_record = matches!(
                    policy.target,
                    TargetFrom::Parcel | TargetFrom::Enterprise | TargetFrom::Attachment
                ) || path == "/api/parcels/by-feature/{fid}";
                match expected {
                    Decision::Deny(_) if role == Role::Public => {
                        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}");
                        assert!(
                            headers[header::WWW_AUTHENTICATE]
                                .to_str()
                                .unwrap()
                                .starts_with("Bearer"),
                            "{what}"
                        );
                    }
                    Decision::Deny(d) if d.out_of_scope && names_record => {
                        assert_eq!(status, StatusCode::NOT_FOUND, "{what}");
                    }
                    Decision::Deny(d) if d.out_of_scope => assert!(
                        matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                        "{what}"
                    ),
                    Decision::Deny(_) => assert_eq!(status, StatusCode::FORBIDDEN, "{what}"),
                    Decision::Allow if policy.action == Action::SignIn => {
                        assert_eq!(status, StatusCode::UNAUTHORIZED, "wrong password: {what}")
                    }
                    Decision::Allow => {
                        assert!(
                            !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                            "{what}"
                        );
                        assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{what}");
                        if names_record {
                            assert!(status != StatusCode::NOT_FOUND, "{what}");
                        }
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, routes.len() * Role::ALL.len() * 2);
    assert!(routes.len() >= 26, "{}", routes.len());
}

#[tokio::test]
async fn a_route_without_a_rule_is_refused() {
    let f = fixture().await;
    let app = Router::new()
        .route("/api/unruled", axum::routing::get(|| async { "secret" }))
        .route_layer(axum::middleware::from_fn_with_state(
            f.state.clone(),
            landcycle_server::auth::layer::enforce,
        ))
        .with_state(f.state.clone());
    let (_, city) = add_token(&f.state, "city", TokenAccess::Write, None);
    let (s, h, b) = send(&app, request("GET", "/api/unruled", Some(&city), None)).await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR, "{b}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert!(!b.to_string().contains("secret"));
}

#[tokio::test]
async fn scoped_lists_show_only_the_scope() {
    let f = fixture().await;
    let count = |v: &Value| v["numberMatched"].as_u64().unwrap();
    let mut seen = Vec::new();
    for role in [
        Role::City,
        Role::County,
        Role::Park,
        Role::Enterprise,
        Role::Auditor,
    ] {
        let (_, t) = add_token(&f.state, role.as_str(), TokenAccess::Read, None);
        let (s, _, v) = send(&f.router, request("GET", "/api/parcels", Some(&t), None)).await;
        assert_eq!(s, StatusCode::OK);
        let (_, _, e) = send(
            &f.router,
            request("GET", "/api/enterprises", Some(&t), None),
        )
        .await;
        seen.push((role, count(&v), e["total"].as_u64().unwrap()));
    }
    assert_eq!(
        seen,
        [
            (Role::City, 2, 2),
            (Role::County, 1, 1),
            (Role::Park, 1, 1),
            (Role::Enterprise, 1, 1),
            (Role::Auditor, 2, 2)
        ]
    );
    let (_, park) = add_token(&f.state, "park", TokenAccess::Read, None);
    let (s, _, _) = send(
        &f.router,
        request("GET", "/api/parcels?park=yuzhou", Some(&park), None),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another park's list is not there");
    // The enterprise detail lists the reader's share of the land only.
    let (_, county) = add_token(&f.state, "county", TokenAccess::Read, None);
    let (s, _, v) = send(
        &f.router,
        request(
            "GET",
            &format!("/api/enterprises/{E_IN}"),
            Some(&county),
            None,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["parcels"].as_array().unwrap().len(), 1);
}

async fn login(
    f: &Fixture,
    name: &str,
    password: &str,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    send(
        &f.router,
        request(
            "POST",
            "/api/auth/login",
            None,
            Some(&json!({"name": name, "password": password})),
        ),
    )
    .await
}

#[tokio::test]
async fn sign_in_sets_a_strict_cookie_and_csrf_guards_unsafe_requests() {
    let f = fixture().await;
    add_user(
        &f.state,
        "wang",
        Role::Park,
        scope_of(Role::Park),
        Some("a long enough password"),
    );
    let (s, h, v) = login(&f, "wang", "a long enough password").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["user"].as_str(), v["role"].as_str()),
        (Some("wang"), Some("park"))
    );
    let set = h[header::SET_COOKIE].to_str().unwrap().to_owned();
    for attr in [
        "landcycle_session=",
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
        "Path=/",
    ] {
        assert!(set.contains(attr), "{attr} missing in {set}");
    }
    let csrf = v["csrf"].as_str().unwrap().to_owned();
    let cookie = set.split(';').next().unwrap().to_owned();
    let with_cookie = |method: &str, uri: &str, csrf: Option<&str>, body: Option<Value>| {
        let mut r = request(method, uri, None, body.as_ref());
        r.headers_mut()
            .insert(header::COOKIE, cookie.parse().unwrap());
        if let Some(c) = csrf {
            r.headers_mut().insert("x-csrf-token", c.parse().unwrap());
        }
        r
    };
    let (s, _, me) = send(&f.router, with_cookie("GET", "/api/auth/me", None, None)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (me["scope"].as_str(), me["scope_value"].as_str()),
        (Some("park"), Some("weidu"))
    );
    let body =
        json!({"uscc": E_IN, "name": "改名企业", "park_id": "weidu", "change": {"reason": "更名"}});
    let (s, _, b) = send(
        &f.router,
        with_cookie("POST", "/api/enterprises", None, Some(body.clone())),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no CSRF token: {b}");
    let (s, _, b) = send(
        &f.router,
        with_cookie(
            "POST",
            "/api/enterprises",
            Some("forged"),
            Some(body.clone()),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, _, b) = send(
        &f.router,
        with_cookie("POST", "/api/enterprises", Some(&csrf), Some(body)),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    // The write is attributed to the signed-in user.
    let events = f.state.registry().store().events_of(E_IN).unwrap();
    assert_eq!(events.last().unwrap().actor.0, "wang");
    let (s, h, _) = send(
        &f.router,
        with_cookie("POST", "/api/auth/logout", Some(&csrf), None),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        h[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (s, _, _) = send(&f.router, with_cookie("GET", "/api/auth/me", None, None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the session ended");
}

#[tokio::test]
async fn failed_sign_ins_are_limited_and_audited() {
    let f = fixture().await;
    add_user(
        &f.state,
        "li",
        Role::City,
        Scope::All,
        Some("the right password"),
    );
    for _ in 0..5 {
        let (s, _, b) = login(&f, "li", "a wrong password").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
        assert!(!b.to_string().contains("the right password"));
    }
    let (s, h, _) = login(&f, "li", "the right password").await;
    assert_eq!(
        s,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(h.contains_key(header::RETRY_AFTER));
    // An unknown name answers exactly like a wrong password.
    let (s, _, b) = login(&f, "ghost", "whatever it is").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(
        b["detail"]
            .as_str()
            .unwrap()
            .contains("wrong name or password")
    );
    let (_, admin) = add_token(&f.state, "admin", TokenAccess::Read, None);
    let (s, _, v) = send(
        &f.router,
        request(
            "GET",
            "/api/audit?action=sign_in&actor=li",
            Some(&admin),
            None,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let outcomes: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "rate_limited",
            "failed",
            "failed",
            "failed",
            "failed",
            "failed"
        ]
    );
}

#[tokio::test]
async fn tokens_read_only_revoked_expired_and_writes_audited() {
    let f = fixture().await;
    let (_, ro) = add_token(&f.state, "city", TokenAccess::Read, None);
    let (rid, rw) = add_token(&f.state, "city", TokenAccess::Write, None);
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60);
    let (_, old) = add_token(&f.state, "city", TokenAccess::Write, Some(past));
    let body =
        json!({"uscc": E_IN, "name": "测试企业", "park_id": "weidu", "change": {"reason": "核对"}});
    let (s, _, _) = send(
        &f.router,
        request("POST", "/api/enterprises", Some(&ro), Some(&body)),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a read-only token does not write");
    let (s, _, _) = send(&f.router, request("GET", "/api/parcels", Some(&ro), None)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, h, _) = send(&f.router, request("GET", "/api/parcels", Some(&old), None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "expired");
    assert!(h.contains_key(header::WWW_AUTHENTICATE));
    let (s, _, _) = send(
        &f.router,
        request("GET", "/api/parcels", Some("Bearer lc_forged"), None),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = send(
        &f.router,
        request("POST", "/api/enterprises", Some(&rw), Some(&body)),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let sha = f.inside.sha.clone();
    let (s, _, _) = send(
        &f.router,
        request("GET", &format!("/api/attachments/{sha}"), Some(&rw), None),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    f.state
        .accounts()
        .revoke_token(&rid, jiff::Timestamp::now())
        .unwrap();
    let (s, _, _) = send(&f.router, request("GET", "/api/parcels", Some(&rw), None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "revoked");
    // The audit log has the write, the refused write and the download, by user.
    let (_, auditor) = add_token(&f.state, "auditor", TokenAccess::Read, None);
    let (s, _, v) = send(
        &f.router,
        request("GET", "/api/audit?actor=city", Some(&auditor), None),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let got: Vec<(String, String)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("download_attachment".to_owned(), "ok".to_owned()),
            ("write_enterprise".to_owned(), "ok".to_owned()),
            ("write_enterprise".to_owned(), "denied".to_owned()),
        ]
    );
    assert_eq!(
        v["items"][0]["target"],
        format!("GET /api/attachments/{sha}")
    );
    // The city bureau may not read the audit log.
    let (_, city) = add_token(&f.state, "city", TokenAccess::Read, None);
    let (s, _, _) = send(&f.router, request("GET", "/api/audit", Some(&city), None)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, b) = send(
        &f.router,
        request("GET", "/api/audit?from=yesterday", Some(&auditor), None),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let f = fixture().await;
    for (uri, auth) in [
        ("/api/parks", None),
        ("/api/parcels", None),
        ("/api/nowhere", None),
    ] {
        let (_, h, _) = send(&f.router, request("GET", uri, auth, None)).await;
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
    }
}
