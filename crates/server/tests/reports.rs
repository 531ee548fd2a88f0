//! 批后监管巡查 with photos, quarterly progress reports (每季度末报送) and tasks a city or a park
//! adds, over HTTP: stored with who and when, photos and attachments checked against what was
//! uploaded, a city-wide task refused to a park account.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{send, token};

use axum::http::StatusCode;
use landcycle_demo::fixtures::{enterprise, parcel_draft, rect, weidu};
use landcycle_domain::ParkId;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{SqliteStore, WriteMeta};
use serde_json::{Value, json};

#[tokio::test]
async fn inspections_reports_and_own_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("r.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2020, 1, 1));
    reg.put_park(weidu(None), &m).unwrap();
    reg.put_enterprise(enterprise("weidu"), &m).unwrap();
    let parcel = reg
        .create_parcel(parcel_draft(rect(113.85, 34.03, 0.002, 0.002)), &m, None)
        .unwrap();
    let photo = reg
        .attach(parcel.id, "现场照片.jpg", b"\xff\xd8\xff\xe0 photo", &m)
        .unwrap();
    // 一地一策 plans of three parks; weidu (the third) has two listed for 挂牌督办.
    let parks: Vec<ParkId> = ["xuchang", "yuzhou", "weidu"]
        .map(|p| ParkId::parse(p).unwrap())
        .to_vec();
    for p in landcycle_demo::workflow::disposal_plans(&parks) {
        reg.put_workflow(
            landcycle_store::WfRecord {
                kind: landcycle_store::WfKind::DisposalPlan,
                id: p.id.clone(),
                version: 0,
                park_id: Some(p.park_id.clone()),
                jurisdiction: None,
                parcel_id: None,
                enterprise: None,
                status: "open".into(),
                due: Some(p.target_on),
                updated_at: jiff::Timestamp::now(),
                doc: serde_json::to_value(&p).unwrap(),
            },
            None,
            &m,
        )
        .unwrap();
    }
    let city = token(&state, "city", Role::City, Scope::All);
    let park = token(
        &state,
        "weidu",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    let r = landcycle_server::router(state);

    // An inspection: a photo that was never uploaded is refused by name, nothing stored.
    let inspection = |sha: &str| {
        json!({"id": "XC-2024-001", "parcel_id": parcel.id.to_string(), "project_id": null,
            "inspected_on": "2024-05-10", "inspectors": ["王巡查", "李巡查"], "started": true,
            "started_basis": "基础施工完成，施工许可证许建〔2023〕15号", "completed": false,
            "completion_certificate_no": null, "not_completed_reason": "主体结构施工中",
            "photos": [{"sha256": sha, "caption": "东侧厂房"}], "boundary": null, "remarks": "进度正常"})
    };
    let (s, b) = send(
        &r,
        "POST",
        "/api/inspections",
        &park,
        Some(inspection(&"a".repeat(64))),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(b["errors"][0]["field"], "photos[0].sha256");
    let (s, b) = send(
        &r,
        "POST",
        "/api/inspections",
        &park,
        Some(inspection(&photo.sha256)),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["status"], "started");
    let (_, b) = send(
        &r,
        "GET",
        &format!("/api/inspections?parcel={}", parcel.id),
        &city,
        None,
    )
    .await;
    assert_eq!(b["total"], 1);
    assert_eq!(
        b["items"][0]["doc"]["photos"][0]["sha256"],
        photo.sha256.as_str()
    );
    // Missing fields of §8.3 are named.
    let mut bad = inspection(&photo.sha256);
    bad["not_completed_reason"] = Value::Null;
    let (s, b) = send(&r, "POST", "/api/inspections", &park, Some(bad)).await;
    assert_eq!(
        (s, b["errors"][0]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("not_completed_reason")
        )
    );

    // A park adds its own task; a city-wide one needs the city.
    let task = |park_id: Value| {
        json!({"title": "园区低效用地再开发专项行动", "units": ["魏都产业集聚区管委会"], "park_id": park_id,
            "milestones": [{"date": "2024-12-31", "what": "完成专项行动", "done_on": null}], "reason": "园区自定任务"})
    };
    let (s, _) = send(&r, "POST", "/api/tasks", &park, Some(task(Value::Null))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, b) = send(&r, "POST", "/api/tasks", &park, Some(task(json!("weidu")))).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["id"], "1");
    let (s, b) = send(&r, "POST", "/api/tasks", &city, Some(task(Value::Null))).await;
    assert_eq!((s, b["id"].as_str()), (StatusCode::CREATED, Some("2")));

    // A quarterly report on the park's task, with the photo as attachment; who and when kept.
    let report = |quarter: i8, on: &str| {
        json!({"subject": "task", "subject_id": "1", "year": 2024, "quarter": quarter, "unit": "魏都产业集聚区管委会",
            "text": "已完成2宗低效用地盘活", "attachments": [photo.sha256], "submitted_on": on})
    };
    let (s, b) = send(
        &r,
        "POST",
        "/api/progress-reports",
        &park,
        Some(report(3, "2024-06-30")),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "sent before its quarter: {b}"
    );
    assert_eq!(b["errors"][0]["field"], "submitted_on");
    let (s, b) = send(
        &r,
        "POST",
        "/api/progress-reports",
        &park,
        Some(report(2, "2024-06-30")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["doc"]["submitted_by"], "weidu");
    let (_, b) = send(&r, "GET", "/api/progress-reports", &city, None).await;
    assert_eq!(b["total"], 1);
    assert_eq!(b["items"][0]["doc"]["quarter"], 2);
    // 挂牌督办 per park against the plan's minimum of two by 2021-12-31.
    let (_, b) = send(&r, "GET", "/api/disposal-plans", &city, None).await;
    let counts: Vec<(String, u64, bool)> = b["supervised_per_park"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["park_id"].as_str().unwrap().to_owned(),
                c["supervised"].as_u64().unwrap(),
                c["meets_minimum"] == true,
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("weidu".to_owned(), 2, true),
            ("xuchang".to_owned(), 0, false),
            ("yuzhou".to_owned(), 1, false)
        ]
    );
    let (_, b) = send(&r, "GET", "/api/disposal-plans", &park, None).await;
    assert_eq!(
        b["items"].as_array().unwrap().len(),
        3,
        "a park sees its own plans"
    );
    assert_eq!(b["supervised_per_park"].as_array().unwrap().len(), 1);
    // A report on something that does not exist is not found.
    let mut none = report(2, "2024-06-30");
    none["subject_id"] = json!("99");
    assert_eq!(
        send(&r, "POST", "/api/progress-reports", &park, Some(none))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}
