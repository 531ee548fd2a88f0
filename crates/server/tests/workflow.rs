//! Workflows over HTTP (issue 6): an idle case opened and walked by officials and the land user,
//! refusals with reasons that change nothing, the parcel moved with the case, the Excel
//! exports, the warnings centre for a park user and for the city, and the iCalendar feed.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::park::{Jurisdiction, TaxPerMuTarget};
use landcycle_domain::workflow::tasks::{Milestone, PlanTask};
use landcycle_domain::{AdminCode, Enterprise, Park, ParkId, Uscc};
use landcycle_store::{SqliteStore, WfKind, WfRecord, WriteMeta};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

mod common;
use common::token;

const USCC: &str = "914403001922038216";

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

async fn send(
    r: &Router,
    method: &str,
    uri: &str,
    auth: &str,
    body: Option<Value>,
) -> (StatusCode, Vec<u8>, String) {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, auth);
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => {
            b = b.header(header::ACCEPT, "*/*");
            b.body(Body::empty()).unwrap()
        }
    };
    let resp = r.clone().oneshot(req).await.unwrap();
    let ct = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let status = resp.status();
    (
        status,
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
        ct,
    )
}

fn json_of(b: &[u8]) -> Value {
    serde_json::from_slice(b).unwrap()
}

#[tokio::test]
async fn idle_case_over_http_with_exports_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("w.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2018, 1, 1));
    reg.put_park(park("weidu", "411002"), &m).unwrap();
    reg.put_park(park("yuzhou", "411081"), &m).unwrap();
    reg.put_enterprise(
        Enterprise::new(USCC, "测试企业", None, true, Some("weidu"), None).unwrap(),
        &m,
    )
    .unwrap();
    let f = json!({"type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[113.85, 34.03], [113.852, 34.03], [113.852, 34.032], [113.85, 34.032], [113.85, 34.03]]]},
        "properties": {"name": "闲置地块", "jurisdiction": "411002", "park_id": "weidu", "land_use_code": "100101", "status": "delivered", "enterprise": USCC}});
    let d: landcycle_server::dto::ParcelIn = serde_json::from_value(f).unwrap();
    let parcel = reg
        .create_parcel(d.into_draft("").unwrap(), &m, None)
        .unwrap();
    let task = PlanTask::from_units(
        13,
        "妥善处置批而未供、闲置土地",
        &[
            "各县(市、区)政府(管委会)".into(),
            "各产业集聚区管理机构".into(),
        ],
        vec![Milestone {
            date: jiff::civil::date(2021, 12, 31),
            what: "每个产业集聚区挂牌督办2宗以上".into(),
            done_on: None,
        }],
    )
    .unwrap();
    reg.put_workflow(
        WfRecord {
            kind: WfKind::Task,
            id: "13".into(),
            version: 0,
            park_id: None,
            jurisdiction: None,
            parcel_id: None,
            enterprise: None,
            status: "on_track".into(),
            due: Some(jiff::civil::date(2021, 12, 31)),
            updated_at: jiff::Timestamp::now(),
            doc: serde_json::to_value(&task).unwrap(),
        },
        None,
        &m,
    )
    .unwrap();
    let county = token(
        &state,
        "county",
        Role::County,
        Scope::County(AdminCode::parse("411002").unwrap()),
    );
    let city = token(&state, "city", Role::City, Scope::All);
    let weidu = token(
        &state,
        "weidu",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    let yuzhou = token(
        &state,
        "yuzhou",
        Role::Park,
        Scope::Park(ParkId::parse("yuzhou").unwrap()),
    );
    let ent = token(
        &state,
        "ent",
        Role::Enterprise,
        Scope::Enterprise(Uscc::parse(USCC).unwrap()),
    );
    let r = landcycle_server::router(state.clone());

    // Open the case (立案).
    let (s, b, _) = send(&r, "POST", "/api/cases", &county, Some(json!({"id": "XZ-2021-001", "parcel_id": parcel.id.to_string(),
        "agreed_start": "2019-01-10", "land_price_yuan": "12000000", "discovered_on": "2021-01-20", "change": {"reason": "巡查发现"}}))).await;
    assert_eq!(s, StatusCode::CREATED, "{}", String::from_utf8_lossy(&b));
    assert_eq!(json_of(&b)["due"], "2021-02-19");

    // A missing document is refused with its name, and nothing changes.
    let step = |to: &str, on: &str, docs: &[&str], v: u32| {
        json!({"to": to, "on": on, "reason": format!("办理{to}"), "version": v,
        "documents": docs.iter().map(|k| json!({"kind": k, "number": null, "sha256": null})).collect::<Vec<_>>()})
    };
    let (s, b, _) = send(
        &r,
        "POST",
        "/api/cases/XZ-2021-001/transitions",
        &county,
        Some(step("notice_issued", "2021-02-05", &[], 1)),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&b).contains("闲置土地调查通知书"));
    // A park user may write the registry but is not a role of this step: refused by the workflow.
    let (s, b, _) = send(
        &r,
        "POST",
        "/api/cases/XZ-2021-001/transitions",
        &weidu,
        Some(step(
            "notice_issued",
            "2021-02-05",
            &["闲置土地调查通知书"],
            1,
        )),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&b)
    );
    assert!(String::from_utf8_lossy(&b).contains("\"role\""));
    // Another park's user does not see the case at all.
    assert_eq!(
        send(&r, "GET", "/api/cases/XZ-2021-001", &yuzhou, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, b, _) = send(&r, "GET", "/api/cases/XZ-2021-001", &city, None).await;
    assert_eq!(json_of(&b)["record"]["version"], 1, "nothing changed");

    // The statutory walk: officials and, for its answer, the land user.
    let (s, _, _) = send(
        &r,
        "POST",
        "/api/cases/XZ-2021-001/transitions",
        &county,
        Some(step(
            "notice_issued",
            "2021-02-05",
            &["闲置土地调查通知书"],
            1,
        )),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, b, _) = send(
        &r,
        "POST",
        "/api/cases/XZ-2021-001/submissions",
        &ent,
        Some(step("under_review", "2021-03-01", &[], 2)),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    for (i, (to, on, docs)) in [
        ("idle_confirmed", "2021-04-15", &["闲置土地认定书"][..]),
        ("hearing_notified", "2021-04-20", &["听证告知书"]),
        (
            "recovery_decision_issued",
            "2021-05-10",
            &["收回国有建设用地使用权决定书"],
        ),
        ("recovered", "2021-06-15", &[]),
    ]
    .into_iter()
    .enumerate()
    {
        let (s, b, _) = send(
            &r,
            "POST",
            "/api/cases/XZ-2021-001/transitions",
            &county,
            Some(step(to, on, docs, 3 + i as u32)),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{to}: {}", String::from_utf8_lossy(&b));
    }
    let (_, b, _) = send(&r, "GET", "/api/cases/XZ-2021-001", &weidu, None).await;
    let v = json_of(&b);
    assert_eq!(v["record"]["status"], "recovered");
    assert_eq!(v["transitions"].as_array().unwrap().len(), 6);
    assert_eq!(v["transitions"][1]["actor"], "ent");
    let (_, b, _) = send(
        &r,
        "GET",
        &format!("/api/parcels/{}", parcel.id),
        &city,
        None,
    )
    .await;
    assert_eq!(
        json_of(&b)["properties"]["status"],
        "recovered",
        "the parcel moved with the case"
    );

    // Excel exports of the case list and the task list.
    let (s, b, ct) = send(&r, "GET", "/api/cases?format=xlsx", &city, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("application/vnd.openxmlformats"), "{ct}");
    assert_eq!(&b[..2], b"PK", "an xlsx is a zip");
    let (s, b, _) = send(&r, "GET", "/api/tasks?format=xlsx", &city, None).await;
    assert_eq!((s, &b[..2]), (StatusCode::OK, &b"PK"[..]));
    let (_, b, _) = send(&r, "GET", "/api/tasks?as_of=2022-01-01", &city, None).await;
    assert_eq!(json_of(&b)["items"][0]["status"], "overdue");
    assert_eq!(
        send(&r, "GET", "/api/cases?format=pdf", &city, None)
            .await
            .0,
        StatusCode::BAD_REQUEST
    );

    // Warnings: a second case due soon in weidu; the park user sees it and the plan task it
    // co-operates on, the other park sees only the task, the city sees both.
    let (s, _, _) = send(&r, "POST", "/api/cases", &county, Some(json!({"id": "XZ-2021-002", "parcel_id": parcel.id.to_string(),
        "agreed_start": "2019-01-10", "land_price_yuan": "100", "discovered_on": "2021-12-20", "change": {"reason": "巡查发现"}}))).await;
    assert_eq!(s, StatusCode::CREATED);
    let ids = |b: &[u8]| {
        json_of(b)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["item"]["subject_id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let (_, b, _) = send(&r, "GET", "/api/warnings?as_of=2022-01-10", &weidu, None).await;
    assert_eq!(
        ids(&b),
        ["task-13", "XZ-2021-002"],
        "overdue task first, then the case due 2022-01-19"
    );
    assert_eq!(json_of(&b)["items"][1]["level"], "notice");
    let (_, b, _) = send(&r, "GET", "/api/warnings?as_of=2022-01-10", &yuzhou, None).await;
    assert_eq!(ids(&b), ["task-13"]);
    let (_, b, _) = send(&r, "GET", "/api/warnings?as_of=2022-01-15", &city, None).await;
    assert_eq!(json_of(&b)["items"][1]["level"], "warning", "T−4");
    let (s, b, ct) = send(
        &r,
        "GET",
        "/api/warnings.ics?as_of=2022-01-10",
        &weidu,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/calendar"));
    let ics = String::from_utf8(b).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    assert!(ics.contains("DTSTART;VALUE=DATE:20220119"));
}

#[tokio::test]
async fn workflow_definitions_are_served_as_data_for_every_signed_in_role() {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("d.gpkg")).unwrap());
    let router = landcycle_server::router(state.clone());
    let ent = token(
        &state,
        "ent",
        Role::Enterprise,
        Scope::Enterprise(Uscc::parse(USCC).unwrap()),
    );
    let (s, b, _) = send(&router, "GET", "/api/workflows", &ent, None).await;
    assert_eq!(s, StatusCode::OK);
    let defs = json_of(&b);
    let codes: Vec<&str> = defs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["idle_case", "standard_land_project"]);
    // The first step of an idle case: the officials' own, with the notice it must attach.
    let first = defs[0]["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["from"] == "suspected" && t["to"] == "notice_issued")
        .unwrap();
    assert_eq!(first["roles"], json!(["admin", "city", "county"]));
    assert_eq!(first["required_documents"], json!(["闲置土地调查通知书"]));
    let (s, _, _) = send(&router, "GET", "/api/workflows", "Bearer nope", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
