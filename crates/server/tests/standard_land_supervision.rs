//! 履约监管 over HTTP: 交地 on time, 动工 45 days late (13 098 617.40 × 1 ‰ × 45 = 589 437.78 元,
//! in the credit record), the checks to 达产复核 with a tax shortfall (the gap capped at the land
//! price), and a renewal refused with the failing condition named and the parcel recovered.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::project::{ID, dec, docs, to_granted, world};
use common::send;
use landcycle_demo::fixtures::TEST_USCC as USCC;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

#[tokio::test]
async fn checkpoints_price_breaches_and_the_renewal_is_refused_with_its_reason() {
    let (w, _dir) = world().await;
    let id = ID;
    let p = |s: &str| format!("/api/projects/{id}{s}");
    to_granted(&w).await;
    let t = |to: &str, on: &str, v: u32| json!({"to": to, "on": on, "reason": format!("办理{to}"), "version": v});
    // 交地 (the city's act) on time; 动工 45 days late: 13 098 617.40 × 1 ‰ × 45 = 589 437.78 元.
    let cp = |on: &str, v: u32, d: &[&str], facts: Value| json!({"on": on, "reason": "履约核查", "version": v, "documents": docs(d), "facts": facts});
    let (s, b) = w
        .post(
            &w.city,
            &p("/checkpoints/delivery"),
            cp("2021-08-01", 5, &["交地确认书"], json!({})),
        )
        .await;
    assert_eq!(
        (s, &b["outcome"]["passed"]),
        (StatusCode::OK, &json!(true)),
        "{b}"
    );
    let (s, b) = w
        .post(
            &w.park,
            &p("/checkpoints/start"),
            cp("2022-03-18", 6, &["施工许可证"], json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let line = &b["outcome"]["penalties"][0];
    assert_eq!(line["kind"], "late_start");
    assert_eq!(
        dec(&line["amount"]),
        Decimal::from_str("589437.78").unwrap()
    );
    assert!(
        line["basis_zh"].as_str().unwrap().contains("45日"),
        "{line}"
    );
    let (_, credit) = send(
        &w.r,
        "GET",
        &format!("/api/enterprises/{USCC}/credit"),
        &w.ent,
        None,
    )
    .await;
    assert_eq!(
        credit["total"], 1,
        "the breach is in the enterprise's credit record"
    );
    assert_eq!(
        dec(&credit["items"][0]["doc"]["amount"]),
        Decimal::from_str("589437.78").unwrap()
    );

    let (s, b) = w
        .post(
            &w.park,
            &p("/checkpoints/completion"),
            cp("2023-07-20", 7, &["竣工验收备案通知书"], json!({})),
        )
        .await;
    assert_eq!(
        (s, &b["outcome"]["passed"]),
        (StatusCode::OK, &json!(true)),
        "{b}"
    );
    let (s, b) = w.post(&w.park, &p("/checkpoints/conformity_check"), cp("2023-10-20", 8, &[], json!({
        "values": {"far_min": "1.25", "investment_intensity_wan_per_mu": "166", "building_coverage_min": "0.36",
                   "admin_land_ratio_max": "0.05"}, "actual_investment_yuan": "100000000"}))).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        b["outcome"]["passed"], true,
        "actual meets agreed on every indicator: {b}"
    );
    assert_eq!(
        b["outcome"]["comparison"]["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let (s, _) = w
        .post(
            &w.park,
            &p("/checkpoints/production"),
            cp("2024-07-01", 9, &[], json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // 达产复核: 亩均税收 3, 4, 2 against the agreed 18 — gaps 45 万元/亩 × 60 亩 = 27 000 000 元,
    // capped at the land price.
    let (s, b) = w
        .post(
            &w.park,
            &p("/checkpoints/capacity_review"),
            cp(
                "2027-08-01",
                10,
                &[],
                json!({
        "tax_per_mu_by_year": [[2025, "3"], [2026, "4"], [2027, "2"]]}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let gap = &b["outcome"]["penalties"][0];
    assert_eq!(gap["kind"], "tax_gap");
    assert_eq!(gap["capped"], true);
    assert_eq!(
        dec(&gap["amount"]),
        Decimal::from_str("13098617.40").unwrap()
    );
    assert!(
        gap["basis_zh"].as_str().unwrap().contains("27000000"),
        "{gap}"
    );
    let tax = b["outcome"]["comparison"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "tax_per_mu_wan")
        .unwrap()
        .clone();
    assert_eq!(
        (&tax["passed"], &tax["value"]),
        (&json!(false), &json!("2"))
    );
    let (_, credit) = send(
        &w.r,
        "GET",
        &format!("/api/enterprises/{USCC}/credit"),
        &w.city,
        None,
    )
    .await;
    assert_eq!(credit["total"], 2);
    let (s, _) = send(&w.r, "GET", "/api/penalties?format=xlsx", &w.city, None).await;
    assert_eq!(s, StatusCode::OK);

    // Renewal: the land user applies; the city's review names the failing conditions.
    let (s, b) = w
        .post(
            &w.park,
            &p("/transitions"),
            t("operating", "2027-09-01", 11),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = w
        .post(
            &w.ent,
            &p("/submissions"),
            t("renewal_review", "2040-06-01", 12),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = w
        .post(
            &w.city,
            &p("/renewal"),
            json!({"years_requested": 20, "industry_fits_plan": true,
        "mu_classes": ["B", "B"], "appraised_full_term_price_yuan": "30000000",
        "on": "2040-09-01", "reason": "续期审查", "version": 13}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["outcome"]["granted"], false);
    let conditions = b["outcome"]["conditions"].as_array().unwrap();
    assert_eq!(conditions.len(), 6, "shown condition by condition");
    let capacity = conditions
        .iter()
        .find(|c| c["code"] == "capacity_review_passed")
        .unwrap();
    assert_eq!(
        (&capacity["passed"], &capacity["detail_zh"]),
        (&json!(false), &json!("达产复核未通过"))
    );
    assert!(conditions.iter().find(|c| c["code"] == "mu_class").unwrap()["passed"] == true);
    assert_eq!(b["status"], "expired");
    let (_, d) = send(&w.r, "GET", &p(""), &w.city, None).await;
    let last = d["transitions"].as_array().unwrap().last().unwrap().clone();
    assert!(
        last["detail"]["fields"]["failing_conditions"]
            .as_str()
            .unwrap()
            .contains("capacity_review_passed")
    );
    let (_, parcel) = send(
        &w.r,
        "GET",
        &format!("/api/parcels/{}", w.parcel),
        &w.city,
        None,
    )
    .await;
    assert_eq!(parcel["properties"]["status"], "recovered", "期满收回");
}
