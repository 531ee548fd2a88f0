//! 标准地 admission over HTTP: the application checked indicator by indicator (投资强度 below the
//! park's floor fails, every value shown), the guard refusing a failed check, the revision that
//! passes, the joint review (the park may not record it; the city's 4 of 5 approve) and the
//! 20-year scheme priced by 年期修正.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::project::{ID, dec, world};
use landcycle_demo::fixtures::TEST_USCC as USCC;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

#[tokio::test]
async fn an_application_fails_one_indicator_passes_after_revision_and_is_reviewed_and_priced() {
    let (w, _dir) = world().await;
    let id = ID;
    let p = |s: &str| format!("/api/projects/{id}{s}");
    // Application: 投资强度 140 万元/亩 is below the park's 150 floor; every value is shown.
    let application = json!({"name": "智能装备产业园项目", "uscc": USCC, "park_id": "weidu",
        "industry": "高端装备制造业", "investment_wan": "9600", "land_mu": "60", "parcel_id": w.parcel,
        "on": "2021-03-01", "values": {"investment_intensity_wan_per_mu": "140", "far_min": "1.2",
        "tax_per_mu_wan": "18", "building_coverage_min": "0.35", "admin_land_ratio_max": "0.05",
        "credit_commitment": "1"}});
    // A park's staff may not file an enterprise's application (wrong role, 403).
    let (s, _) = w.post(&w.park, "/api/projects", application.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, b) = w.post(&w.ent, "/api/projects", application).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["id"], id);
    assert_eq!(b["outcome"]["passed"], false);
    assert_eq!(
        (&b["outcome"]["set_origin"], &b["outcome"]["set_id"]),
        (&json!("default"), &Value::Null),
        "no set stored: the park's default, and the check says so"
    );
    let items = b["outcome"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 6, "every admission indicator checked");
    let failing: Vec<&Value> = items.iter().filter(|i| i["passed"] == false).collect();
    assert_eq!(failing.len(), 1);
    assert_eq!(failing[0]["code"], "investment_intensity_wan_per_mu");
    assert_eq!(failing[0]["value"], "140");
    assert_eq!(failing[0]["target"], "≥ 150 万元/亩");
    assert!(failing[0]["reason_zh"].as_str().unwrap().contains("不符合"));

    // The guard will not pass a failed check; the park returns it, the enterprise revises.
    let t = |to: &str, on: &str, v: u32| json!({"to": to, "on": on, "reason": format!("办理{to}"), "version": v});
    w.refused(
        &w.park,
        &p("/transitions"),
        t("admission_passed", "2021-03-05", 1),
        StatusCode::UNPROCESSABLE_ENTITY,
        "admission_check",
    )
    .await;
    let (s, b) = w
        .post(&w.park, &p("/transitions"), t("revising", "2021-03-05", 1))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = w
        .post(
            &w.ent,
            &p("/revision"),
            json!({"values": {"investment_intensity_wan_per_mu": "160"},
        "on": "2021-03-12", "reason": "提高投资强度", "version": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["outcome"]["passed"], true);
    assert_eq!(b["status"], "applied");
    let (s, b) = w
        .post(
            &w.park,
            &p("/transitions"),
            t("admission_passed", "2021-03-15", 3),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // Joint review: the park is not a role of this step (refused by the workflow, nothing
    // changed); the city records 4 of 5 approving.
    let members = [
        "市自然资源和规划局",
        "市发展和改革委员会",
        "市工业和信息化局",
        "市生态环境局",
        "魏都产业集聚区管委会",
    ];
    let opinions: Vec<Value> = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if i == 3 {
                json!({"member": m, "vote": "reject", "comment": "排放指标偏高"})
            } else {
                json!({"member": m, "vote": "approve", "comment": ""})
            }
        })
        .collect();
    let review = json!({"members": members, "opinions": opinions, "on": "2021-04-02", "reason": "入驻评审联席会议", "version": 4});
    w.refused(
        &w.park,
        &p("/review"),
        review.clone(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "\"role\"",
    )
    .await;
    let (s, b) = w.post(&w.city, &p("/review"), review).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["outcome"]["decision"], "approved");
    assert_eq!(b["outcome"]["large_project"], false, "60 亩 < 100 亩");

    // A 20-year grant priced by 年期修正 from the appraised 50-year price (r = 6 %).
    let (s, b) = w.post(&w.city, &p("/scheme"), json!({"scheme": {"mode": "flexible_grant", "years": 20},
        "full_term_price_yuan": "18000000", "on": "2021-05-10", "reason": "弹性年期出让", "version": 5})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        dec(&b["outcome"]["k"]),
        Decimal::from_str("0.727701").unwrap()
    );
    assert_eq!(
        dec(&b["outcome"]["grant_price"]),
        Decimal::from_str("13098617.40").unwrap()
    );
}

#[tokio::test]
async fn an_application_on_land_already_supplied_is_refused_naming_the_parcel() {
    let (w, _dir) = world().await;
    let m =
        landcycle_store::WriteMeta::new("seed", "seed").effective(jiff::civil::date(2020, 1, 1));
    let mut draft = landcycle_demo::fixtures::parcel_draft(landcycle_demo::fixtures::rect(
        113.86, 34.03, 0.002, 0.002,
    ));
    draft.code = Some("411002001001GB00002".into());
    draft.status = landcycle_domain::ParcelLifecycle::Operating;
    let operating = w
        .state
        .registry()
        .create_parcel(draft, &m, None)
        .unwrap()
        .id
        .to_string();
    let application = |parcel: &str| {
        json!({"name": "智能装备产业园项目", "uscc": USCC, "park_id": "weidu",
        "industry": "高端装备制造业", "investment_wan": "9600", "land_mu": "60", "parcel_id": parcel,
        "on": "2021-03-01", "values": {"investment_intensity_wan_per_mu": "160"}})
    };
    w.refused(
        &w.ent,
        "/api/projects",
        application(&operating),
        StatusCode::UNPROCESSABLE_ENTITY,
        "parcel_id",
    )
    .await;
    let (s, b) = w
        .post(&w.ent, "/api/projects", application(&operating))
        .await;
    assert!(b.to_string().contains("已供应"), "{s}: {b}");
    assert_eq!(
        send_get(&w, "/api/projects").await["items"]
            .as_array()
            .map(Vec::len),
        Some(0),
        "no project was filed"
    );
    // The listed parcel of the world is land not yet supplied: accepted.
    let (s, b) = w
        .post(&w.ent, "/api/projects", application(&w.parcel))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
}

async fn send_get(w: &common::project::World, uri: &str) -> Value {
    common::send(&w.r, "GET", uri, &w.city, None).await.1
}
