//! Approval batches over HTTP: registering a batch and its deductions, the list with 批而未供
//! accounting and flags (also as Excel with Chinese headers), one batch with its parcels, the
//! summary's 消化率 counting only the configured kinds, refusals naming their field, and each
//! caller's scope.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::civil::date;
use landcycle_demo::fixtures;
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::{AdminCode, ParcelLifecycle, ParkId, SupplyDraft, SupplyMode};
use landcycle_store::{SqliteStore, WriteMeta};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

mod common;
use common::{send, token};

const ID: &str = "豫政土〔2019〕33号";

struct Fx {
    r: Router,
    city: String,
    county: String,
    yuzhou: String,
    firm: String,
    a: String,
    b: String,
    c: String,
    _dir: tempfile::TempDir,
}

/// Percent-encodes a path segment.
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

/// weidu (411002): unsupplied parcel `a`, parcel `b` supplied 2020-05-01; yuzhou (411081):
/// unsupplied parcel `c`.
fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("b.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(date(2019, 3, 15));
    reg.put_park(fixtures::weidu(None), &m).unwrap();
    reg.put_park(
        fixtures::park("yuzhou", "411081", "禹州市", "禹州产业集聚区", None),
        &m,
    )
    .unwrap();
    reg.put_enterprise(fixtures::enterprise("weidu"), &m)
        .unwrap();
    let mk = |x: f64, county: &str, park: &str| {
        let mut d = fixtures::parcel_draft(fixtures::rect(x, 34.03, 0.001, 0.001));
        d.code = None;
        d.status = ParcelLifecycle::ApprovedUnsupplied;
        d.enterprise = None;
        d.jurisdiction = county.into();
        d.park_id = Some(park.into());
        reg.create_parcel(d, &m, None).unwrap()
    };
    let a = mk(113.85, "411002", "weidu");
    let b = mk(113.86, "411002", "weidu");
    let c = mk(113.87, "411081", "yuzhou");
    let mut d = b.to_draft();
    d.status = ParcelLifecycle::Granted;
    d.enterprise = Some(fixtures::TEST_USCC.into());
    let m2 = WriteMeta::new("seed", "出让").effective(date(2020, 5, 1));
    reg.update_parcel(b.id, Some(1), d, &m2).unwrap();
    reg.add_supply(
        SupplyDraft {
            parcel_id: b.id,
            enterprise: fixtures::TEST_USCC.into(),
            mode: SupplyMode::Grant,
            right_nature: None,
            contract_no: "许出让〔2020〕7号".into(),
            contract_date: date(2020, 5, 1),
            delivery_date: None,
            agreed_start: None,
            agreed_completion: None,
            term_years: Some(50),
            price_yuan: Decimal::from(1_000_000),
        },
        &m2,
        None,
    )
    .unwrap();
    let tok = |n: &str, r: Role, s: Scope| token(&state, n, r, s);
    Fx {
        city: tok("city", Role::City, Scope::All),
        county: tok(
            "county",
            Role::County,
            Scope::County(AdminCode::parse("411002").unwrap()),
        ),
        yuzhou: tok(
            "park",
            Role::Park,
            Scope::Park(ParkId::parse("yuzhou").unwrap()),
        ),
        firm: tok(
            "firm",
            Role::Enterprise,
            Scope::Enterprise(landcycle_domain::Uscc::parse(fixtures::TEST_USCC).unwrap()),
        ),
        r: landcycle_server::router(state),
        a: a.id.to_string(),
        b: b.id.to_string(),
        c: c.id.to_string(),
        _dir: dir,
    }
}

fn weidu_batch(f: &Fx) -> Value {
    json!({
        "id": ID, "name": "许昌市2019年度第3批次城市建设用地", "jurisdiction": "411002",
        "park_id": "weidu", "approved_on": "2019-03-15", "approved_area_m2": "100000",
        "acquired_on": "2019-06-01", "source_doc": "豫政土〔2019〕33号",
        "parcels": [
            {"parcel_id": f.a, "area_m2": "10000"},
            {"parcel_id": f.b, "area_m2": "10000"},
            {"area_m2": "50000"}
        ],
        "change": {"reason": "批次录入", "reference": ID}
    })
}

fn yuzhou_batch(f: &Fx) -> Value {
    json!({
        "id": "豫政土〔2020〕8号", "name": "禹州市2020年度第1批次", "jurisdiction": "411081",
        "park_id": "yuzhou", "approved_on": "2020-01-10", "approved_area_m2": "30000",
        "parcels": [{"parcel_id": f.c, "area_m2": "10000"}],
        "change": {"reason": "批次录入"}
    })
}

fn deduction(kind: &str, m2: &str, on: &str) -> Value {
    json!({"deduction": {"kind": kind, "area_m2": m2, "on": on, "reason": "测试"},
        "change": {"reason": "核减"}})
}

fn field_of(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_batch_is_accounted_and_flagged_on_its_anniversary() {
    let f = fixture();
    let (s, v) = send(&f.r, "POST", "/api/batches", &f.city, Some(weidu_batch(&f))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["batch"]["id"], ID);
    let list = |as_of: &'static str| {
        let r = f.r.clone();
        let t = f.city.clone();
        async move {
            let (s, v) = send(&r, "GET", &format!("/api/batches?as_of={as_of}"), &t, None).await;
            assert_eq!(s, StatusCode::OK, "{v}");
            v["batches"][0].clone()
        }
    };
    let b = list("2022-05-31").await;
    assert_eq!(b["approved"]["m2"], "100000.00");
    assert_eq!(
        b["supplied"]["m2"], "10000.00",
        "from the registry's supply"
    );
    assert_eq!(b["unsupplied"]["m2"], "90000.00");
    assert_eq!(b["unsupplied"]["mu"], "135.0000");
    assert_eq!(b["supply_rate"], "0.1");
    assert_eq!(b["age_bucket"], "3-5");
    assert_eq!(
        b["status"], "unsupplied",
        "acquired 2019-06-01: 3 years not yet full"
    );
    let b = list("2022-06-01").await;
    assert_eq!(b["status"], "plan_deduction", "{b}");
    assert_eq!(b["findings"][0]["rule_id"], "UNS-ACQ");
    assert_eq!(b["findings"][0]["subject"]["kind"], "batch");
    assert!(b["findings"][0]["reason_zh"].as_str().unwrap().contains(ID));
    // One batch with its parcels; the supplied one carries its contract date.
    let uri = format!("/api/batches/{}?as_of=2022-06-01", enc(ID));
    let (s, v) = send(&f.r, "GET", &uri, &f.city, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["parcels"].as_array().unwrap().len(), 3);
    assert_eq!(v["parcels"][1]["supplied_on"], "2020-05-01");
    assert_eq!(v["parcels"][2]["parcel_id"], Value::Null);
    // Deductions: a withdrawal reduces the stock and counts as 消化; a reserve designation
    // does neither under the Xuchang defaults.
    let uri = format!("/api/batches/{}/deductions", enc(ID));
    let (s, v) = send(
        &f.r,
        "POST",
        &uri,
        &f.city,
        Some(deduction("approval_withdrawn", "30000", "2022-01-10")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["deductions"][0]["kind_zh"], "撤回/撤销批文");
    let (s, v) = send(
        &f.r,
        "POST",
        &uri,
        &f.city,
        Some(deduction("reserve_designated", "10000", "2022-02-01")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let b = list("2022-06-01").await;
    assert_eq!(b["deducted"]["m2"], "30000.00");
    assert_eq!(b["unsupplied"]["m2"], "60000.00");
    let (s, v) = send(
        &f.r,
        "GET",
        "/api/batches/summary?as_of=2022-06-01&from=2021-12-31",
        &f.city,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let t = &v["total"];
    assert_eq!(t["approved_m2"], "100000");
    assert_eq!(t["unsupplied_m2"], "60000");
    assert_eq!(t["supply_rate"], "0.1");
    assert_eq!(t["stock_at_from_m2"], "90000");
    assert_eq!(
        t["disposed_m2"], "30000",
        "the reserve designation does not count"
    );
    assert_eq!(t["disposal_rate"], "0.3333");
    let ages = t["by_age"].as_array().unwrap();
    let labels: Vec<&str> = ages.iter().map(|a| a["bucket"].as_str().unwrap()).collect();
    assert_eq!(labels, vec!["<2", "2-3", "3-5", ">=5"]);
    assert_eq!(ages[2]["unsupplied_m2"], "60000");
    assert_eq!(v["by_park"]["weidu"]["batches"], 1);
    // The scan shows PWG for the batch's unsupplied parcel only, naming the batch.
    let (_, v) = send(
        &f.r,
        "GET",
        "/api/findings?as_of=2022-06-01&rule=PWG",
        &f.city,
        None,
    )
    .await;
    let pwg = v["findings"].as_array().unwrap();
    assert_eq!(pwg.len(), 1, "{v}");
    assert_eq!(pwg[0]["subject"]["id"], f.a);
    assert_eq!(pwg[0]["inputs"]["batch_id"], ID);
    let (_, v) = send(
        &f.r,
        "GET",
        "/api/findings?as_of=2022-06-01&rule=UNS-ACQ",
        &f.city,
        None,
    )
    .await;
    assert_eq!(v["findings"][0]["subject"]["id"], ID, "{v}");
}

#[tokio::test]
async fn the_list_as_excel_has_chinese_headers() {
    let f = fixture();
    send(&f.r, "POST", "/api/batches", &f.city, Some(weidu_batch(&f))).await;
    let req = Request::builder()
        .uri("/api/batches?format=xlsx&as_of=2022-06-01")
        .header(header::AUTHORIZATION, &f.city)
        .body(Body::empty())
        .unwrap();
    let resp = f.r.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = wb.worksheet_range("批次").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][0], "批文号");
    assert_eq!(rows[0][11], "批而未供面积（平方米）");
    assert_eq!(rows[1][0], ID);
    assert_eq!(rows[1][11], "90000.00");
    assert!(rows[1][17].contains("满3年"), "{:?}", rows[1]);
}

#[tokio::test]
async fn refusals_name_the_field_and_write_nothing() {
    let f = fixture();
    let (s, _) = send(&f.r, "POST", "/api/batches", &f.city, Some(weidu_batch(&f))).await;
    assert_eq!(s, StatusCode::CREATED);
    // The same parcel in a second batch.
    let mut two = yuzhou_batch(&f);
    two["jurisdiction"] = json!("411002");
    two["park_id"] = json!("weidu");
    two["parcels"] =
        json!([{"parcel_id": f.c, "area_m2": "1"}, {"parcel_id": f.a, "area_m2": "1"}]);
    let (s, v) = send(&f.r, "POST", "/api/batches", &f.city, Some(two)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(field_of(&v), vec!["parcels[1].parcel_id"], "{v}");
    let (s, v) = send(&f.r, "POST", "/api/batches", &f.city, Some(weidu_batch(&f))).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    for (patch, field) in [
        (json!({"approved_area_m2": "69999.99"}), "parcels"),
        (json!({"acquired_on": "2019-03-14"}), "acquired_on"),
        (json!({"jurisdiction": "4110"}), "jurisdiction"),
        (json!({"id": ""}), "id"),
        (
            json!({"deductions": [{"kind": "supply", "area_m2": "1", "on": "2020-01-01", "reason": "x"}]}),
            "deductions[0].kind",
        ),
    ] {
        let mut body = yuzhou_batch(&f);
        for (k, x) in patch.as_object().unwrap() {
            body[k] = x.clone();
        }
        if field == "parcels" {
            body = weidu_batch(&f);
            body["id"] = json!("新批次");
            body["parcels"] = json!([{"area_m2": "70000"}]);
            body["approved_area_m2"] = json!("69999.99");
        }
        let (s, v) = send(&f.r, "POST", "/api/batches", &f.city, Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert!(field_of(&v).contains(&field.to_owned()), "{field}: {v}");
    }
    let uri = format!("/api/batches/{}/deductions", enc(ID));
    let (s, v) = send(
        &f.r,
        "POST",
        &uri,
        &f.city,
        Some(deduction(
            "verified_no_supply_needed",
            "80000.01",
            "2021-01-01",
        )),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(field_of(&v), vec!["deduction.area_m2"], "{v}");
    let (s, _) = send(
        &f.r,
        "POST",
        "/api/batches/nope/deductions",
        &f.city,
        Some(deduction("approval_withdrawn", "1", "2021-01-01")),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = send(
        &f.r,
        "GET",
        "/api/batches/summary?as_of=2021-01-01&from=2022-01-01",
        &f.city,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = send(&f.r, "GET", "/api/batches?as_of=2022-06-01", &f.city, None).await;
    assert_eq!(s, StatusCode::OK);
    let b = v["batches"].as_array().unwrap();
    assert_eq!(b.len(), 1, "nothing written: {v}");
    assert_eq!(b[0]["deducted"]["m2"], "0.00");
}

#[tokio::test]
async fn each_caller_sees_and_changes_their_scope_only() {
    let f = fixture();
    send(&f.r, "POST", "/api/batches", &f.city, Some(weidu_batch(&f))).await;
    // A county user may not register a batch of another county; the park user of yuzhou may.
    let (s, _) = send(
        &f.r,
        "POST",
        "/api/batches",
        &f.county,
        Some(yuzhou_batch(&f)),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = send(
        &f.r,
        "POST",
        "/api/batches",
        &f.yuzhou,
        Some(yuzhou_batch(&f)),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let ids = |v: &Value| -> Vec<String> {
        v["batches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, v) = send(&f.r, "GET", "/api/batches?as_of=2022-06-01", &f.city, None).await;
    assert_eq!(ids(&v).len(), 2);
    let (_, v) = send(
        &f.r,
        "GET",
        "/api/batches?as_of=2022-06-01",
        &f.county,
        None,
    )
    .await;
    assert_eq!(ids(&v), vec![ID.to_owned()]);
    let (_, v) = send(
        &f.r,
        "GET",
        "/api/batches?as_of=2022-06-01",
        &f.yuzhou,
        None,
    )
    .await;
    assert_eq!(ids(&v), vec!["豫政土〔2020〕8号".to_owned()]);
    let (_, v) = send(&f.r, "GET", "/api/batches?as_of=2022-06-01", &f.firm, None).await;
    assert!(ids(&v).is_empty(), "{v}");
    let (_, v) = send(
        &f.r,
        "GET",
        "/api/batches?as_of=2022-06-01&jurisdiction=411081",
        &f.city,
        None,
    )
    .await;
    assert_eq!(ids(&v), vec!["豫政土〔2020〕8号".to_owned()]);
    let (s, _) = send(&f.r, "GET", "/api/batches?park=weidu", &f.yuzhou, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let one = format!("/api/batches/{}?as_of=2022-06-01", enc(ID));
    let (s, _) = send(&f.r, "GET", &one, &f.yuzhou, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "out of scope reads as not found");
    let (s, _) = send(&f.r, "GET", &one, &f.county, None).await;
    assert_eq!(s, StatusCode::OK);
    let ded = format!("/api/batches/{}/deductions", enc(ID));
    let (s, _) = send(
        &f.r,
        "POST",
        &ded,
        &f.yuzhou,
        Some(deduction("approval_withdrawn", "1", "2021-01-01")),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = send(&f.r, "POST", "/api/batches", &f.firm, Some(weidu_batch(&f))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, v) = send(
        &f.r,
        "GET",
        "/api/batches/summary?as_of=2022-06-01",
        &f.county,
        None,
    )
    .await;
    assert_eq!(v["total"]["batches"], 1, "{v}");
    assert!(v["by_park"].get("yuzhou").is_none(), "{v}");
    let _ = &f.b;
}
