//! 增存挂钩 over HTTP: the allocation follows the data — batch deductions in the disposal year
//! (and only in it), an idle-land case recovered that year, the window 供地率 rule — with its
//! arithmetic; figures given with the request say so; a county sees its own line; bad
//! parameters are refused with 400 naming them; Excel with Chinese headers.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::civil::date;
use landcycle_demo::fixtures;
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::{AdminCode, ParcelLifecycle, ParkId};
use landcycle_store::{SqliteStore, WriteMeta};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

mod common;
use common::{send, token};

struct Fx {
    r: Router,
    city: String,
    county: String,
    park: String,
    parcel: String,
    _dir: tempfile::TempDir,
}

/// Parks weidu (411002) and yuzhou (411081); an idle-looking parcel of 6000 m² (9 亩) in weidu.
fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("q.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(date(2015, 1, 1));
    reg.put_park(fixtures::weidu(None), &m).unwrap();
    reg.put_park(
        fixtures::park("yuzhou", "411081", "禹州市", "禹州产业集聚区", None),
        &m,
    )
    .unwrap();
    let mut d = fixtures::parcel_draft(fixtures::rect(113.85, 34.03, 0.0008, 0.00073));
    d.code = None;
    d.status = ParcelLifecycle::Granted;
    d.enterprise = None;
    d.registered_area_m2 = Some(Decimal::from(6000));
    let p = reg.create_parcel(d, &m, None).unwrap();
    let tok = |n: &str, r: Role, s: Scope| token(&state, n, r, s);
    Fx {
        city: tok("city", Role::City, Scope::All),
        county: tok(
            "county",
            Role::County,
            Scope::County(AdminCode::parse("411002").unwrap()),
        ),
        park: tok(
            "park",
            Role::Park,
            Scope::Park(ParkId::parse("weidu").unwrap()),
        ),
        r: landcycle_server::router(state),
        parcel: p.id.to_string(),
        _dir: dir,
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn batch(f: &Fx, id: &str, county: &str, park: Option<&str>, approved: &str, m2: &str) {
    let body = json!({"id": id, "name": "测试批次", "jurisdiction": county, "park_id": park,
        "approved_on": approved, "approved_area_m2": m2, "change": {"reason": "批次录入"}});
    let (s, v) = send(&f.r, "POST", "/api/batches", &f.city, Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn deduct(f: &Fx, id: &str, kind: &str, m2: &str, on: &str) {
    let body = json!({"deduction": {"kind": kind, "area_m2": m2, "on": on, "reason": "测试"},
        "change": {"reason": "核减"}});
    let uri = format!("/api/batches/{}/deductions", enc(id));
    let (s, v) = send(&f.r, "POST", &uri, &f.city, Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// Opens an idle-land case on the parcel and walks it to 已无偿收回 on `recovered_on`.
async fn recover(f: &Fx, recovered_on: &str) {
    let (s, v) = send(
        &f.r,
        "POST",
        "/api/cases",
        &f.city,
        Some(json!({"id": "XZ-2021-001",
        "parcel_id": f.parcel, "agreed_start": "2019-01-10", "land_price_yuan": "12000000",
        "discovered_on": "2021-01-20", "change": {"reason": "巡查发现"}})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let steps: [(&str, &str, &[&str]); 6] = [
        ("notice_issued", "2021-02-05", &["闲置土地调查通知书"]),
        ("under_review", "2021-03-01", &[]),
        ("idle_confirmed", "2021-04-15", &["闲置土地认定书"]),
        ("hearing_notified", "2021-04-20", &["听证告知书"]),
        (
            "recovery_decision_issued",
            "2021-05-10",
            &["收回国有建设用地使用权决定书"],
        ),
        ("recovered", recovered_on, &[]),
    ];
    for (i, (to, on, docs)) in steps.into_iter().enumerate() {
        let body = json!({"to": to, "on": on, "reason": "办理", "version": i + 1,
            "documents": docs.iter().map(|k| json!({"kind": k, "number": null, "sha256": null})).collect::<Vec<_>>()});
        let (s, v) = send(
            &f.r,
            "POST",
            "/api/cases/XZ-2021-001/transitions",
            &f.city,
            Some(body),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{to}: {v}");
    }
}

async fn allocation(f: &Fx, query: &str, tok: &str) -> (StatusCode, Value) {
    send(
        &f.r,
        "GET",
        &format!("/api/quota/allocation?{query}"),
        tok,
        None,
    )
    .await
}

fn line<'a>(v: &'a Value, county: &str) -> &'a Value {
    v["counties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["county"] == county)
        .unwrap_or_else(|| panic!("no line for {county}: {v}"))
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_allocation_follows_the_disposals_in_the_data() {
    let f = fixture();
    // Old stock (approved before the 2017–2021 window): no 供地率 test applies.
    batch(
        &f,
        "许批〔2015〕1号",
        "411002",
        Some("weidu"),
        "2015-06-01",
        "100000",
    )
    .await;
    batch(
        &f,
        "禹批〔2016〕2号",
        "411081",
        Some("yuzhou"),
        "2016-01-10",
        "30000",
    )
    .await;
    // A recent batch nothing of which is supplied: window 供地率 0 < 60 %, key projects only.
    batch(&f, "建批〔2020〕3号", "411023", None, "2020-01-10", "30000").await;
    deduct(
        &f,
        "许批〔2015〕1号",
        "approval_withdrawn",
        "20000",
        "2021-03-01",
    )
    .await;
    // The day before the period, and after it: not counted.
    deduct(
        &f,
        "许批〔2015〕1号",
        "approval_withdrawn",
        "1000",
        "2020-12-31",
    )
    .await;
    deduct(
        &f,
        "许批〔2015〕1号",
        "approval_withdrawn",
        "1000",
        "2022-01-01",
    )
    .await;
    // Not a counted kind (纳入储备 is not 消化 under the defaults).
    deduct(
        &f,
        "禹批〔2016〕2号",
        "reserve_designated",
        "5000",
        "2021-02-01",
    )
    .await;
    // The last day of the period counts.
    deduct(
        &f,
        "禹批〔2016〕2号",
        "verified_no_supply_needed",
        "10000",
        "2021-12-31",
    )
    .await;
    deduct(
        &f,
        "建批〔2020〕3号",
        "approval_withdrawn",
        "3000",
        "2021-05-01",
    )
    .await;

    let q = "year=2022&total_mu=1000&as_of=2022-03-01";
    let (s, v) = allocation(&f, q, &f.city).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["period_from"], "2020-12-31");
    assert_eq!(v["period_to"], "2021-12-31");
    assert_eq!(
        (
            v["window_first_year"].as_i64(),
            v["window_last_year"].as_i64()
        ),
        (Some(2017), Some(2021))
    );
    assert_eq!(v["terms"]["reward_ratio_unsupplied"], "0.5");
    let w = line(&v, "411002");
    assert_eq!(w["disposed_unsupplied_m2"], "20000");
    assert_eq!(w["disposed_unsupplied_mu"], "30");
    assert_eq!(w["disposed_idle_mu"], "0");
    assert_eq!(w["base_source"]["from"], "rule_set");
    assert!(
        w["base_source"]["label_zh"]
            .as_str()
            .unwrap()
            .contains("quota.base_mu"),
        "{w}"
    );
    assert_eq!(w["window_supply_rate"], Value::Null);
    assert_eq!(w["score"], "15");
    let y = line(&v, "411081");
    assert_eq!(y["disposed_unsupplied_mu"], "15");
    assert_eq!(y["score"], "7.5");
    let z = line(&v, "411023");
    assert_eq!(z["window_supply_rate"], "0");
    assert_eq!(z["key_projects_only"], true);
    assert_eq!(z["score"], "0");
    assert_eq!(z["quota_mu"], "0");
    assert_eq!(v["score_sum"], "22.5");
    // 1000 × 15 / 22.5 = 666.666…, 1000 × 7.5 / 22.5 = 333.333…; the last unit goes to the
    // larger remainder (666.6666|67 > 333.3333|33).
    assert_eq!(w["quota_mu"], "666.6667");
    assert_eq!(w["remainder_units"], 1);
    assert_eq!(y["quota_mu"], "333.3333");
    assert_eq!(
        dec(&w["quota_mu"]) + dec(&y["quota_mu"]),
        Decimal::from(1000)
    );
    let steps: Vec<&str> = w["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["label_zh"].as_str().unwrap())
        .collect();
    assert!(steps.contains(&"批而未供消化奖励 0.5 × 30"), "{steps:?}");

    // An idle-land case recovered in the year: weidu's 闲置处置 is its parcel's 9 亩.
    recover(&f, "2021-06-15").await;
    let (_, v) = allocation(&f, q, &f.city).await;
    let w = line(&v, "411002");
    assert_eq!(w["disposed_idle_mu"], "9");
    assert_eq!(w["idle_cases"][0]["case_id"], "XZ-2021-001");
    assert_eq!(w["idle_cases"][0]["status"], "recovered");
    assert_eq!(w["score"], "19.5", "15 + 0.5 × 9");
    assert_eq!(v["score_sum"], "27");
    assert_eq!(w["quota_mu"], "722.2222");
    assert_eq!(line(&v, "411081")["quota_mu"], "277.7778");

    // A further disposal in yuzhou: its score and share rise, weidu's falls.
    deduct(
        &f,
        "禹批〔2016〕2号",
        "approval_withdrawn",
        "10000",
        "2021-09-01",
    )
    .await;
    let (_, v) = allocation(&f, q, &f.city).await;
    assert_eq!(line(&v, "411081")["score"], "15");
    assert_eq!(
        line(&v, "411081")["quota_mu"],
        "434.7826",
        "1000 × 15 / 34.5"
    );
    assert_eq!(line(&v, "411002")["quota_mu"], "565.2174");

    // Figures given with the request: a task of 40 亩 leaves yuzhou 10 short (−10).
    let (s, v) = allocation(
        &f,
        &format!("{q}&task_mu=411081:40&base_mu=411002:5"),
        &f.city,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let y = line(&v, "411081");
    assert_eq!(y["task_source"]["from"], "request");
    assert_eq!(y["score"], "5", "15 − 1.0 × (40 − 30)");
    assert_eq!(line(&v, "411002")["score"], "24.5", "5 + 15 + 4.5");

    // The default as_of is the end of the disposal year; the 2022 deduction never counts.
    let (_, v) = allocation(&f, "year=2022&total_mu=1000", &f.city).await;
    assert_eq!(v["as_of"], "2021-12-31");
    assert_eq!(line(&v, "411002")["disposed_unsupplied_mu"], "30");
}

#[tokio::test]
async fn scope_refusals_and_excel() {
    let f = fixture();
    batch(
        &f,
        "许批〔2015〕1号",
        "411002",
        Some("weidu"),
        "2015-06-01",
        "100000",
    )
    .await;
    batch(
        &f,
        "禹批〔2016〕2号",
        "411081",
        Some("yuzhou"),
        "2016-01-10",
        "30000",
    )
    .await;
    deduct(
        &f,
        "许批〔2015〕1号",
        "approval_withdrawn",
        "20000",
        "2021-03-01",
    )
    .await;
    deduct(
        &f,
        "禹批〔2016〕2号",
        "approval_withdrawn",
        "10000",
        "2021-03-01",
    )
    .await;
    let q = "year=2022&total_mu=100";
    // A county sees its own line and the totals it is measured against.
    let (s, v) = allocation(&f, q, &f.county).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["counties"].as_array().unwrap().len(), 1);
    assert_eq!(v["counties"][0]["county"], "411002");
    assert_eq!(v["score_sum"], "22.5");
    assert_eq!(v["counties"][0]["quota_mu"], "66.6667");
    // A park is not party to the allocation.
    let (s, _) = allocation(&f, q, &f.park).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Bad parameters: 400 naming them.
    for (query, field) in [
        ("year=2022&total_mu=-5", "total_mu"),
        ("year=2022&total_mu=abc", "total_mu"),
        ("year=2022&total_mu=1.00001", "total_mu"),
        ("year=2022", "total_mu"),
        ("total_mu=100", "year"),
        ("year=1999&total_mu=100", "year"),
        ("year=2022&total_mu=100&task_mu=411081", "task_mu"),
        ("year=2022&total_mu=100&base_mu=411002:-1", "base_mu"),
        ("year=2022&total_mu=100&format=pdf", "format"),
        ("year=2022&total_mu=100&colour=red", "colour"),
    ] {
        let (s, v) = allocation(&f, query, &f.city).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {v}");
        assert_eq!(v["errors"][0]["field"], field, "{query}: {v}");
    }
    // as_of before the disposal year: 422 naming it.
    let (s, v) = allocation(&f, "year=2022&total_mu=100&as_of=2020-06-01", &f.city).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "as_of");
    // Excel with Chinese headers.
    let req = Request::builder()
        .uri(format!("/api/quota/allocation?{q}&format=xlsx"))
        .header(header::AUTHORIZATION, &f.city)
        .body(Body::empty())
        .unwrap();
    let resp = f.r.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("增存挂钩")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][0], "县（市、区）代码");
    assert_eq!(rows[0][16], "分配指标（亩）");
    assert_eq!(rows[1][0], "411002");
    assert_eq!(rows[1][16], "66.6667");
    assert_eq!(rows[2][16], "33.3333");
}
