//! The rule scan over HTTP: findings with their reasons, the per-park summary, one parcel's
//! findings, the caller's scope, the cache's invalidation by writes and bad parameters.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::civil::date;
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::park::{Jurisdiction, TaxPerMuTarget};
use landcycle_domain::{AdminCode, Enterprise, Park, ParkId, SupplyDraft, SupplyMode};
use landcycle_store::{SqliteStore, WriteMeta};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

mod common;
use common::token;

const USCC: &str = "914403001922038216";

struct Fx {
    router: Router,
    state: landcycle_server::AppState,
    idle: String,
    _dir: tempfile::TempDir,
}

fn park(id: &str, county: &str) -> Park {
    Park {
        id: ParkId::parse(id).unwrap(),
        name: "测试园区".into(),
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

fn feature(x: f64, county: &str, park: &str, status: &str, uscc: Option<&str>) -> Value {
    let d = 0.001;
    json!({
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[x, 34.03], [x + d, 34.03], [x + d, 34.03 + d], [x, 34.03 + d], [x, 34.03]]]},
        "properties": {
            "name": "测试地块", "jurisdiction": county, "park_id": park,
            "land_use_code": "100101", "status": status, "enterprise": uscc,
            "registered_area_mu": "15.0"
        },
        "change": {"reason": "入库", "effective": "2019-01-01"}
    })
}

/// A delivered parcel in weidu (411002) whose agreed start passed more than a year before
/// 2022-06-30 without a start (idle by 53号令 Art. 2), and an unsupplied one in yuzhou (411081).
fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("f.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(date(2019, 1, 1));
    reg.put_park(park("weidu", "411002"), &m).unwrap();
    reg.put_park(park("yuzhou", "411081"), &m).unwrap();
    reg.put_enterprise(
        Enterprise::new(USCC, "测试企业", None, true, Some("weidu"), None).unwrap(),
        &m,
    )
    .unwrap();
    let mk = |v: Value| {
        let d: landcycle_server::dto::ParcelIn = serde_json::from_value(v).unwrap();
        reg.create_parcel(d.into_draft("").unwrap(), &m, None)
            .unwrap()
    };
    let idle = mk(feature(113.85, "411002", "weidu", "delivered", Some(USCC)));
    let unsupplied = mk(feature(
        113.86,
        "411081",
        "yuzhou",
        "approved_unsupplied",
        None,
    ));
    // 批而未供 is land of an approved batch: the yuzhou parcel lies in one.
    reg.add_batch(batch("豫政土〔2019〕1号", unsupplied.id), &m)
        .unwrap();
    reg.add_supply(
        SupplyDraft {
            parcel_id: idle.id,
            enterprise: USCC.into(),
            mode: SupplyMode::Grant,
            right_nature: None,
            contract_no: "许出让〔2019〕1号".into(),
            contract_date: date(2019, 1, 1),
            delivery_date: Some(date(2019, 2, 1)),
            agreed_start: Some(date(2019, 6, 1)),
            agreed_completion: Some(date(2021, 6, 1)),
            term_years: Some(50),
            price_yuan: Decimal::from(3_000_000),
        },
        &m,
        None,
    )
    .unwrap();
    Fx {
        router: landcycle_server::router(state.clone()),
        state,
        idle: idle.id.to_string(),
        _dir: dir,
    }
}

/// A yuzhou batch approved 2019-01-01, acquired 2019-12-01 (no batch flag by 2022-06-30),
/// holding `parcel`.
fn batch(id: &str, parcel: landcycle_domain::ParcelId) -> landcycle_domain::BatchDraft {
    landcycle_domain::BatchDraft {
        id: id.into(),
        name: "禹州市2019年度第1批次城市建设用地".into(),
        jurisdiction: "411081".into(),
        park_id: Some("yuzhou".into()),
        approved_on: date(2019, 1, 1),
        approved_area_m2: Decimal::from(20_000),
        acquired_on: Some(date(2019, 12, 1)),
        source_doc: None,
        parcels: vec![landcycle_domain::rules::unsupplied::BatchParcel {
            parcel_id: Some(parcel),
            area_m2: landcycle_domain::AreaM2(Decimal::from(10_000)),
            supplied_on: None,
        }],
        deductions: vec![],
    }
}

async fn get(router: &Router, uri: &str, auth: &str) -> (StatusCode, Value) {
    let req = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, auth)
        .body(Body::empty())
        .unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn rule_ids(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn idle_parcel_is_found_with_its_reason() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    let (s, v) = get(&f.router, "/api/findings?as_of=2022-06-30&year=2021", &city).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let idle: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule_id"].as_str().unwrap().starts_with("IDLE"))
        .collect();
    assert_eq!(idle.len(), 1, "{v}");
    let x = idle[0];
    assert_eq!(x["subject"]["kind"], "parcel");
    assert_eq!(x["subject"]["id"], f.idle.as_str());
    assert!(
        x["reason_zh"]
            .as_str()
            .unwrap()
            .contains("闲置土地处置办法"),
        "{x}"
    );
    assert!(!x["reason_en"].as_str().unwrap().is_empty());
    assert!(!x["rule_set_version"].as_str().unwrap().is_empty());
    assert!(!x["threshold"].as_str().unwrap().is_empty());
    assert!(!x["source"]["doc"].as_str().unwrap().is_empty());
    assert!(!x["inputs"].as_object().unwrap().is_empty());
    assert!(x["severity"].is_string());
    // The unsupplied parcel of yuzhou too.
    assert!(rule_ids(&v).contains(&"PWG".to_owned()), "{v}");
    assert_eq!(v["total"].as_u64().unwrap() as usize, rule_ids(&v).len());

    // Filters: rule and park, paging.
    let (_, v) = get(&f.router, "/api/findings?as_of=2022-06-30&rule=PWG", &city).await;
    assert!(rule_ids(&v).iter().all(|r| r == "PWG") && !rule_ids(&v).is_empty());
    let (_, v) = get(
        &f.router,
        "/api/findings?as_of=2022-06-30&park=weidu&rule=pwg",
        &city,
    )
    .await;
    assert_eq!(v["total"], 0, "{v}");
    let (_, v) = get(
        &f.router,
        "/api/findings?as_of=2022-06-30&limit=1&offset=1",
        &city,
    )
    .await;
    assert!(rule_ids(&v).len() <= 1);

    // Before the Xuchang rule set is in force, the problem names the missing parameter.
    let (s, v) = get(&f.router, "/api/findings?as_of=2020-05-31", &city).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["errors"][0]["field"].as_str().unwrap().contains('.'),
        "{v}"
    );
}

#[tokio::test]
async fn summary_and_one_parcels_findings() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    let (s, v) = get(&f.router, "/api/findings/summary?as_of=2022-06-30", &city).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["parcels_scanned"], 2);
    assert_eq!(v["by_park"]["weidu"]["idle"], 1, "{v}");
    assert_eq!(v["by_park"]["yuzhou"]["unsupplied"], 1, "{v}");
    let uri = format!("/api/parcels/{}/findings?as_of=2022-06-30", f.idle);
    let (s, v) = get(&f.router, &uri, &city).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(rule_ids(&v).iter().any(|r| r.starts_with("IDLE")), "{v}");
    let (s, _) = get(
        &f.router,
        "/api/parcels/00000000-0000-4000-8000-000000000000/findings",
        &city,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_county_user_sees_only_its_parcels() {
    let f = fixture();
    let yuzhou = token(
        &f.state,
        "county",
        Role::County,
        Scope::County(AdminCode::parse("411081").unwrap()),
    );
    let (s, v) = get(&f.router, "/api/findings?as_of=2022-06-30", &yuzhou).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(rule_ids(&v), vec!["PWG".to_owned()], "{v}");
    let (_, v) = get(&f.router, "/api/findings/summary?as_of=2022-06-30", &yuzhou).await;
    assert_eq!(v["parcels_scanned"], 1, "{v}");
    assert!(v["by_park"].get("weidu").is_none(), "{v}");
    let uri = format!("/api/parcels/{}/findings", f.idle);
    let (s, _) = get(&f.router, &uri, &yuzhou).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let weidu = token(
        &f.state,
        "park",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    let (s, _) = get(&f.router, "/api/findings?park=yuzhou", &weidu).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_write_invalidates_the_cached_scan() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    let uri = "/api/findings/summary?as_of=2022-06-30";
    let (_, v) = get(&f.router, uri, &city).await;
    assert_eq!(v["parcels_scanned"], 2);
    let m = WriteMeta::new("seed", "seed").effective(date(2019, 1, 1));
    let d: landcycle_server::dto::ParcelIn = serde_json::from_value(feature(
        113.87,
        "411081",
        "yuzhou",
        "approved_unsupplied",
        None,
    ))
    .unwrap();
    let p = f
        .state
        .registry()
        .create_parcel(d.into_draft("").unwrap(), &m, None)
        .unwrap();
    let (_, v) = get(&f.router, uri, &city).await;
    assert_eq!(v["parcels_scanned"], 3, "{v}");
    assert_eq!(
        v["by_park"]["yuzhou"]["unsupplied"], 1,
        "a parcel in no batch is not 批而未供: {v}"
    );
    f.state
        .registry()
        .add_batch(batch("豫政土〔2019〕2号", p.id), &m)
        .unwrap();
    let (_, v) = get(&f.router, uri, &city).await;
    assert_eq!(v["by_park"]["yuzhou"]["unsupplied"], 2, "{v}");
}

#[tokio::test]
async fn bad_parameters_are_named() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    for (q, field) in [
        ("as_of=2022-13-01", "as_of"),
        ("year=12", "year"),
        ("rule=IDLE A", "rule"),
        ("limit=0", "limit"),
        ("colour=red", "colour"),
    ] {
        let (s, v) = get(
            &f.router,
            &format!("/api/findings?{}", q.replace(' ', "%20")),
            &city,
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert!(v.to_string().contains(field), "{q}: {v}");
    }
}

#[tokio::test]
async fn findings_by_inventory_with_parcel_labels_and_as_excel() {
    let f = fixture();
    let city = token(&f.state, "city", Role::City, Scope::All);
    let (s, v) = get(&f.router, "/api/findings?as_of=2022-06-30&kind=idle", &city).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let all = v["findings"].as_array().unwrap();
    assert!(!all.is_empty());
    for x in all {
        assert_eq!(x["kind"], "idle", "{x}");
        assert_eq!(x["kind_zh"], "闲置土地");
        assert_eq!(x["parcel"]["name"], "测试地块", "{x}");
        assert_eq!(x["parcel"]["park_id"], "weidu");
    }
    let (_, v) = get(
        &f.router,
        "/api/findings?as_of=2022-06-30&kind=unsupplied",
        &city,
    )
    .await;
    assert!(rule_ids(&v).contains(&"PWG".to_owned()), "{v}");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["kind"] == "unsupplied" && x["parcel"]["park_id"] == "yuzhou"),
        "{v}"
    );
    let (s, v) = get(&f.router, "/api/findings?kind=idle_land", &city).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v.to_string().contains("kind"), "{v}");

    // The same list as Excel: Chinese headers, one row per finding, the reason and the parcel.
    let req = Request::builder()
        .uri("/api/findings?as_of=2022-06-30&format=xlsx")
        .header(header::AUTHORIZATION, &city)
        .body(Body::empty())
        .unwrap();
    let resp = f.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("findings-2022-06-30.xlsx")
    );
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("认定清单")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][..4], ["类别", "规则", "宗地代码", "宗地名称"]);
    assert_eq!(rows[0][7], "认定理由");
    let (_, json) = get(&f.router, "/api/findings?as_of=2022-06-30", &city).await;
    assert_eq!(rows.len() - 1, json["total"].as_u64().unwrap() as usize);
    let idle = rows
        .iter()
        .find(|r| r[0] == "闲置土地")
        .expect("an idle row");
    assert_eq!(idle[3], "测试地块");
    assert_eq!(idle[4], "weidu");
    assert!(idle[7].contains("闲置土地处置办法"), "{idle:?}");
    assert_eq!(idle[5], format!("parcel:{}", f.idle));

    // A park committee's Excel holds its park only.
    let park = token(
        &f.state,
        "yz",
        Role::Park,
        Scope::Park(ParkId::parse("yuzhou").unwrap()),
    );
    let req = Request::builder()
        .uri("/api/findings?as_of=2022-06-30&format=xlsx")
        .header(header::AUTHORIZATION, &park)
        .body(Body::empty())
        .unwrap();
    let bytes = f
        .router
        .clone()
        .oneshot(req)
        .await
        .unwrap()
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range("认定清单").unwrap();
    let parks: Vec<String> = range.rows().skip(1).map(|r| r[4].to_string()).collect();
    assert!(
        !parks.is_empty() && parks.iter().all(|p| p == "yuzhou"),
        "{parks:?}"
    );
}
