//! Signing the 标准地 contract and 履约监管协议 over HTTP: bad input (a missing document, a start
//! deadline before delivery, a penalty rate out of range) refused with its reason and nothing
//! changed; the generic transition cannot skip the signing; the signed contract stores the §4.3
//! timeline and moves the parcel to granted.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::project::{ID, agreement, contract, docs, to_scheme_set, world};
use common::send;
use serde_json::{Value, json};

#[tokio::test]
async fn the_contract_is_signed_after_bad_input_is_refused_and_stores_the_timeline() {
    let (w, _dir) = world().await;
    let id = ID;
    let p = |s: &str| format!("/api/projects/{id}{s}");
    to_scheme_set(&w).await;
    // Signing: bad input is refused with its reason and leaves everything as it was.
    let sign = |c: Value, d: Value| json!({"contract": c, "agreement": agreement(), "reason": "签订出让合同", "version": 4, "documents": d});
    let both = docs(&["国有建设用地使用权出让合同", "履约监管协议"]);
    w.refused(
        &w.city,
        &p("/contract"),
        sign(contract("2022-02-01", "1"), docs(&["履约监管协议"])),
        StatusCode::UNPROCESSABLE_ENTITY,
        "国有建设用地使用权出让合同",
    )
    .await;
    w.refused(
        &w.city,
        &p("/contract"),
        sign(contract("2021-07-15", "1"), both.clone()),
        StatusCode::UNPROCESSABLE_ENTITY,
        "start_deadline",
    )
    .await;
    w.refused(
        &w.city,
        &p("/contract"),
        sign(contract("2022-02-01", "12"), both.clone()),
        StatusCode::UNPROCESSABLE_ENTITY,
        "penalties.late_start_per_mille",
    )
    .await;
    // The generic transition cannot skip the signing.
    w.refused(
        &w.city,
        &p("/transitions"),
        json!({"to": "granted", "on": "2021-07-01", "reason": "x", "version": 4,
        "documents": both.clone()}),
        StatusCode::UNPROCESSABLE_ENTITY,
        "/contract",
    )
    .await;
    let (s, b) = w
        .post(
            &w.city,
            &p("/contract"),
            sign(contract("2022-02-01", "1"), both),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["status"], "granted");
    let (_, cps) = send(&w.r, "GET", &p("/checkpoints"), &w.park, None).await;
    let due: std::collections::BTreeMap<String, String> = cps["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["doc"]["code"].as_str().unwrap().to_owned(),
                c["due"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (code, day) in [
        ("delivery", "2021-08-01"),
        ("start", "2022-02-01"),
        ("completion", "2023-08-01"),
        ("conformity_check", "2023-11-01"),
        ("production", "2024-08-01"),
        ("capacity_review", "2027-08-01"),
        ("periodic_review_1", "2030-08-01"),
        ("term_end_assessment", "2040-08-01"),
        ("term_end", "2041-08-01"),
    ] {
        assert_eq!(
            due.get(code).map(String::as_str),
            Some(day),
            "{code} in {due:?}"
        );
    }
    let (_, parcel) = send(
        &w.r,
        "GET",
        &format!("/api/parcels/{}", w.parcel),
        &w.city,
        None,
    )
    .await;
    assert_eq!(
        parcel["properties"]["status"], "granted",
        "the parcel moved with the grant"
    );
}
