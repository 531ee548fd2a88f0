//! A 标准地 project of 100 亩 or more (plan task 6): the review is refused without 分批供地 and
//! records the phases when given.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::project::world;
use landcycle_demo::fixtures::TEST_USCC as USCC;
use serde_json::{Value, json};

#[tokio::test]
async fn a_project_of_100_mu_or_more_is_supplied_in_phases() {
    let (w, _dir) = world().await;
    let (s, b) = w
        .post(
            &w.ent,
            "/api/projects",
            json!({"name": "大型装备基地", "applicant": USCC, "applicant_name": "许昌测试机械有限公司",
            "park_id": "weidu", "industry": "高端装备制造业", "investment_wan": "30000", "area_m2": "100000",
            "on": "2021-03-01", "change": {"reason": "云上供地申请"},
            "values": {"investment_intensity_wan_per_mu": "200", "far_min": "1.2", "tax_per_mu_wan": "18",
                "building_coverage_min": "0.35", "admin_land_ratio_max": "0.05", "credit_commitment": "1"}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["outcome"]["passed"], true);
    assert_eq!(
        b["doc"]["large_project"], true,
        "100 000 m² = 150 亩 ≥ 100 亩"
    );
    let id = b["id"].as_str().unwrap().to_owned();
    let (s, _) = w
        .post(
            &w.park,
            &format!("/api/projects/{id}/transitions"),
            json!({"to": "admission_passed", "on": "2021-03-05", "reason": "准入审查通过", "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let members = [
        "市自然资源和规划局",
        "市发展和改革委员会",
        "市工业和信息化局",
    ];
    let review = |phases: Value| {
        json!({"members": members, "opinions": members.iter().map(|m| json!({"member": m, "vote": "approve", "comment": ""})).collect::<Vec<_>>(),
            "phases": phases, "on": "2021-04-02", "reason": "入驻评审联席会议", "version": 2})
    };
    // Approved without phases: refused, the phases named (plan task 6: 分批供地).
    w.refused(
        &w.city,
        &format!("/api/projects/{id}/review"),
        review(json!([])),
        StatusCode::UNPROCESSABLE_ENTITY,
        "分批供地",
    )
    .await;
    let (s, b) = w
        .post(
            &w.city,
            &format!("/api/projects/{id}/review"),
            review(json!([
                {"no": 1, "area_m2": "60000", "planned_on": "2021-06-01", "condition": "一期"},
                {"no": 2, "area_m2": "40000", "planned_on": "2023-06-01", "condition": "一期达产复核通过"}])),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["outcome"]["large_project"], true);
    assert_eq!(b["outcome"]["phases"].as_array().unwrap().len(), 2);
}
