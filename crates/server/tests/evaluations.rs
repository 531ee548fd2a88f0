//! 亩均效益评价 over HTTP: a city user starts a run, lists it, reads its classes per park and
//! its results (paged, filtered, as Excel), and reproduces it; a park committee sees its park's
//! enterprises only, an enterprise its own result; other roles may not start a run; exports
//! are in the audit trail with the list they named.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{send, token};
use http_body_util::BodyExt;
use landcycle_demo::fixtures::{parcel_draft, park, rect, weidu};
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::codes::uscc_check_char;
use landcycle_domain::figures::AnnualFigures;
use landcycle_domain::{Enterprise, ParkId};
use landcycle_store::{SqliteStore, WriteMeta};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

struct Fx {
    router: Router,
    state: landcycle_server::AppState,
    /// Enterprises of 魏都 then of 禹州.
    usccs: Vec<String>,
    _dir: tempfile::TempDir,
}

fn uscc(county: &str, i: usize) -> String {
    let first = format!("91{county}MA{i:07}");
    format!("{first}{}", uscc_check_char(&first).unwrap())
}

/// Two parks with six enterprises each, one 60-亩 parcel apiece and 2024 tax figures spread
/// from 10 to 120 万元, so the classes differ.
fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("e.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2020, 1, 1));
    reg.put_park(weidu(None), &m).unwrap();
    reg.put_park(
        park("yuzhou", "411081", "禹州市", "禹州产业集聚区", None),
        &m,
    )
    .unwrap();
    let mut usccs = Vec::new();
    let mut figures = Vec::new();
    for (k, (park_id, county)) in [("weidu", "411002"), ("yuzhou", "411081")]
        .into_iter()
        .enumerate()
    {
        for i in 0..6 {
            let n = k * 6 + i;
            let code = uscc(county, n);
            let e = Enterprise::new(
                &code,
                &format!("测试企业{n:02}有限公司"),
                Some("C3411"),
                true,
                Some(park_id),
                None,
            )
            .unwrap();
            reg.put_enterprise(e, &m).unwrap();
            let mut d = parcel_draft(rect(113.80 + n as f64 * 0.003, 34.03, 0.002, 0.002));
            d.code = None;
            d.name = format!("测试{n:02}号地块");
            d.jurisdiction = county.into();
            d.park_id = Some(park_id.into());
            d.enterprise = Some(code.clone());
            reg.create_parcel(d, &m, None).unwrap();
            let tax = Decimal::from(100_000 + 100_000 * (n as i64 % 6) * 2);
            figures.push(AnnualFigures::new(&code, 2024, tax, None, None, None).unwrap());
            usccs.push(code);
        }
    }
    reg.put_figures(figures, &m).unwrap();
    Fx {
        router: landcycle_server::router(state.clone()),
        state,
        usccs,
        _dir: dir,
    }
}

async fn raw(r: &Router, uri: &str, auth: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, auth)
        .body(Body::empty())
        .unwrap();
    let resp = r.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
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

async fn start_run(f: &Fx, city: &str) -> String {
    let (s, v) = send(
        &f.router,
        "POST",
        "/api/evaluations",
        city,
        Some(json!({"year": 2024})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["year"], 2024);
    assert_eq!(v["enterprises"], 12, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

/// Σ of the class counts of a run (`classes` member) or of a park row (counts inline).
fn classes_total(v: &Value) -> u64 {
    let counts = if v["classes"].is_object() {
        &v["classes"]
    } else {
        v
    };
    ["A", "B", "C", "D", "not_rated"]
        .iter()
        .map(|k| counts[k].as_u64().unwrap())
        .sum()
}

#[tokio::test]
async fn a_city_run_is_listed_read_by_park_paged_and_reproduced() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    let id = start_run(&f, &city).await;

    let (s, v) = send(&f.router, "GET", "/api/evaluations", &city, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["id"], id.as_str());
    assert_eq!(classes_total(&v[0]), 12);
    assert!(v[0]["classes"]["A"].as_u64().unwrap() >= 1, "{v}");
    let low = v[0]["classes"]["C"].as_u64().unwrap() + v[0]["classes"]["D"].as_u64().unwrap();
    assert!(low >= 1, "the classes differ: {v}");

    let (s, v) = send(
        &f.router,
        "GET",
        &format!("/api/evaluations/{id}"),
        &city,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let parks = v["parks"].as_array().unwrap();
    assert_eq!(parks.len(), 2, "{v}");
    let wd = parks.iter().find(|p| p["park_id"] == "weidu").unwrap();
    assert_eq!(wd["park_name"], "魏都产业集聚区");
    assert_eq!(classes_total(wd), 6);
    let tpm: f64 = wd["tax_per_mu"].as_str().unwrap().parse().unwrap();
    assert!(tpm > 0.1 && tpm < 2.0, "亩均税收 in 万元/亩: {tpm}");

    // Paged, 规上 by rank: the best first, ranks rising (equal totals share a rank).
    let (s, v) = send(
        &f.router,
        "GET",
        &format!("/api/evaluations/{id}/results?limit=5"),
        &city,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"], 12);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    let ranks: Vec<u64> = items.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    assert_eq!(ranks[0], 1);
    assert_eq!(items[0]["class"], "A");
    assert!(items[0]["name"].as_str().unwrap().starts_with("测试企业"));

    let (_, v) = send(
        &f.router,
        "GET",
        &format!("/api/evaluations/{id}/results?class=A&park=yuzhou"),
        &city,
        None,
    )
    .await;
    for r in v["items"].as_array().unwrap() {
        assert_eq!(r["class"], "A");
        assert_eq!(r["park_id"], "yuzhou");
    }

    let (s, v) = send(
        &f.router,
        "POST",
        &format!("/api/evaluations/{id}/reproduce"),
        &city,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["identical"], true);
    assert_eq!(v["differing"].as_array().unwrap().len(), 0);

    let (s, v) = send(
        &f.router,
        "GET",
        "/api/evaluations/00000000-0000-0000-0000-000000000000",
        &city,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = send(
        &f.router,
        "GET",
        &format!("/api/evaluations/{id}/results?class=E"),
        &city,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v.to_string().contains("class"), "{v}");
}

#[tokio::test]
async fn a_year_without_figures_is_refused_and_only_the_city_starts_runs() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    let (s, v) = send(
        &f.router,
        "POST",
        "/api/evaluations",
        &city,
        Some(json!({"year": 2023})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("year"), "{v}");
    let park = token(
        &f.state,
        "wd",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    let auditor = token(&f.state, "aud", Role::Auditor, Scope::All);
    for who in [&park, &auditor] {
        let (s, v) = send(
            &f.router,
            "POST",
            "/api/evaluations",
            who,
            Some(json!({"year": 2024})),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    }
    let (_, v) = send(&f.router, "GET", "/api/evaluations", &city, None).await;
    assert_eq!(v.as_array().unwrap().len(), 0, "nothing was stored: {v}");
}

#[tokio::test]
async fn a_park_sees_its_enterprises_and_an_enterprise_its_own_result() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    let id = start_run(&f, &city).await;
    let park = token(
        &f.state,
        "wd",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    let (_, v) = send(&f.router, "GET", "/api/evaluations", &park, None).await;
    assert_eq!(classes_total(&v[0]), 6, "its park only: {v}");
    let firm = token(
        &f.state,
        "firm",
        Role::Enterprise,
        Scope::Enterprise(landcycle_domain::Uscc::parse(&f.usccs[7]).unwrap()),
    );
    let (_, v) = send(&f.router, "GET", "/api/evaluations", &firm, None).await;
    assert_eq!(classes_total(&v[0]), 1, "itself only: {v}");
    let (_, v) = send(
        &f.router,
        "GET",
        &format!("/api/evaluations/{id}"),
        &park,
        None,
    )
    .await;
    let parks = v["parks"].as_array().unwrap();
    assert_eq!(parks.len(), 1, "{v}");
    assert_eq!(parks[0]["park_id"], "weidu");
    let (_, v) = send(
        &f.router,
        "GET",
        &format!("/api/evaluations/{id}/results?limit=100"),
        &park,
        None,
    )
    .await;
    assert_eq!(v["total"], 6);
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["park_id"] == "weidu")
    );

    let own = f.usccs[8].clone();
    let ent = token(
        &f.state,
        "ent",
        Role::Enterprise,
        Scope::Enterprise(own.parse().unwrap()),
    );
    let (s, v) = send(
        &f.router,
        "GET",
        &format!("/api/evaluations/{id}/results"),
        &ent,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["uscc"], own.as_str());
}

#[tokio::test]
async fn results_download_as_excel_and_the_export_is_audited() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    let id = start_run(&f, &city).await;
    let (s, ct, bytes) = raw(
        &f.router,
        &format!("/api/evaluations/{id}/results?park=weidu&format=xlsx"),
        &city,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut wb, "亩均效益评价2024").unwrap();
    let mut rows = sheet.rows();
    let head: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(head[0], "企业名称");
    assert_eq!(head[6], "亩均税收(万元/亩)");
    assert_eq!(rows.count(), 6, "the filtered list: 魏都's six");

    // The audit trail names who exported which list, filters included; so is the audit log's
    // own export.
    let auditor = token(&f.state, "aud", Role::Auditor, Scope::All);
    let (s, ct, _) = raw(&f.router, "/api/audit?format=xlsx", &auditor).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"));
    let (_, v) = send(&f.router, "GET", "/api/audit?action=export", &auditor, None).await;
    let targets: Vec<(String, String)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        targets.contains(&(
            "city".into(),
            format!("GET /api/evaluations/{id}/results?park=weidu&format=xlsx")
        )),
        "{targets:?}"
    );
    assert!(
        targets.contains(&("aud".into(), "GET /api/audit?format=xlsx".into())),
        "{targets:?}"
    );
}
