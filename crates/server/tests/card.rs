//! `GET /api/parcels/{id}/card.pdf`: the parcel card reads back with `pdftotext` (poppler-utils)
//! in Chinese — 宗地代码, 用地单位, the neighbour's code on the map — with the font subset (far
//! smaller than the 5 MB face); access as for the parcel; 503 naming the package without a font.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_domain::ParkId;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{SqliteStore, WriteMeta};
use std::process::Command;
use tower::ServiceExt;

struct Fixture {
    state: landcycle_server::AppState,
    id: String,
    _dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("a.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "首次登记").effective(jiff::civil::date(2015, 1, 1));
    reg.put_park(landcycle_demo::fixtures::weidu(None), &m)
        .unwrap();
    reg.put_park(
        landcycle_demo::fixtures::park("yuzhou", "411081", "禹州市", "禹州产业集聚区", None),
        &m,
    )
    .unwrap();
    reg.put_enterprise(landcycle_demo::fixtures::enterprise("weidu"), &m)
        .unwrap();
    let p = reg
        .create_parcel(
            landcycle_demo::fixtures::parcel_draft(landcycle_demo::fixtures::rect(
                113.85, 34.03, 0.002, 0.0015,
            )),
            &m,
            None,
        )
        .unwrap();
    let mut n = landcycle_demo::fixtures::parcel_draft(landcycle_demo::fixtures::rect(
        113.852, 34.03, 0.0015, 0.0015,
    ));
    n.code = Some("411002001001GB00002".into());
    reg.create_parcel(n, &m, None).unwrap();
    Fixture {
        state,
        id: p.id.to_string(),
        _dir: dir,
    }
}

async fn get(r: &Router, uri: &str, auth: Option<&str>) -> (StatusCode, Option<String>, Vec<u8>) {
    let mut b = Request::builder().uri(uri);
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    let resp = r
        .clone()
        .oneshot(b.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let ct = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string());
    let status = resp.status();
    (
        status,
        ct,
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("card.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_card_prints_codes_and_land_user_in_chinese() {
    let f = fixture();
    let city = common::token(&f.state, "city", Role::City, Scope::All);
    let r = landcycle_server::router(f.state.clone());
    let (status, ct, pdf) = get(&r, &format!("/api/parcels/{}/card.pdf", f.id), Some(&city)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_eq!(ct.as_deref(), Some("application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    // Subset: the whole WenQuanYi Micro Hei face is ~5 MB.
    assert!(
        pdf.len() < 1_000_000,
        "{} bytes: font not subset?",
        pdf.len()
    );
    let text = pdftotext(&pdf);
    for want in [
        "宗地卡",
        "宗地代码",
        "411002001001GB00001",
        "用地单位",
        "许昌测试机械有限公司",
        "统一社会信用代码",
        landcycle_demo::fixtures::TEST_USCC,
        "一类工业用地",
        "亩",
        "规划指标",
        "供地与合同",
        "变更记录",
        "首次登记",
        "411002001001GB00002", // the neighbour on the map
    ] {
        assert!(text.contains(want), "{want} missing from the card:\n{text}");
    }
}

#[tokio::test]
async fn the_card_has_the_parcels_access_rules() {
    let f = fixture();
    let r = landcycle_server::router(f.state.clone());
    let uri = format!("/api/parcels/{}/card.pdf", f.id);
    let (status, _, _) = get(&r, &uri, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let other = common::token(
        &f.state,
        "yuzhou",
        Role::Park,
        Scope::Park(ParkId::parse("yuzhou").unwrap()),
    );
    // Out of scope: the same answer as reading the parcel itself (hidden, not disclosed).
    let (status, _, _) = get(&r, &uri, Some(&other)).await;
    let (plain, _, _) = get(&r, &format!("/api/parcels/{}", f.id), Some(&other)).await;
    assert!(plain.is_client_error(), "{plain}");
    assert_eq!(status, plain);
    let own = common::token(
        &f.state,
        "weidu",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    let (status, ct, _) = get(&r, &uri, Some(&own)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct.as_deref(), Some("application/pdf"));
    let missing = "/api/parcels/00000000-0000-4000-8000-000000000000/card.pdf";
    let city = common::token(&f.state, "city", Role::City, Scope::All);
    let (status, _, _) = get(&r, missing, Some(&city)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_cjk_font_the_answer_is_503_naming_the_package() {
    let f = fixture();
    let state = f
        .state
        .clone()
        .with_card_font("/nonexistent/wqy-microhei.ttc".into());
    let city = common::token(&state, "city", Role::City, Scope::All);
    let r = landcycle_server::router(state);
    let (status, ct, body) = get(&r, &format!("/api/parcels/{}/card.pdf", f.id), Some(&city)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ct.as_deref(), Some("application/problem+json"));
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("fonts-wqy-microhei"), "{body}");
}
