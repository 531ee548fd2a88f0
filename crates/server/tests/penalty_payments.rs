//! 违约金 marked paid over HTTP: a penalty statement not paid in full is an open obligation
//! that blocks renewal (the "no open cases" condition names it); paid in full — by the park in
//! whose scope it lies, with amount, day and receipt — it no longer does, and the credit record
//! gains a 违约金已缴清 entry. Bad payments (too much, no receipt, the enterprise itself, another
//! park) are refused with nothing changed.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::project::{ID, decide_renewal, get, to_renewal_review, world};
use common::token;
use landcycle_demo::fixtures::TEST_USCC as USCC;
use landcycle_domain::ParkId;
use landcycle_domain::access::{Role, Scope};
use serde_json::{Value, json};

fn condition(decision: &Value, code: &str) -> Value {
    decision["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap()
        .clone()
}

#[tokio::test]
async fn an_unpaid_penalty_blocks_renewal() {
    let (w, _dir) = world().await;
    to_renewal_review(&w).await;
    let pen = get(&w, &w.city, "/api/penalties").await;
    assert_eq!(pen["total"], 1, "{pen}");
    let d = decide_renewal(&w).await;
    let open = condition(&d, "no_open_cases");
    assert_eq!(open["passed"], false, "{d}");
    assert!(
        open["detail_zh"]
            .as_str()
            .unwrap()
            .contains(&format!("{ID}:start:penalty")),
        "{open}"
    );
    assert_eq!(d["granted"], false);
}

#[tokio::test]
async fn a_penalty_paid_in_full_no_longer_blocks_renewal() {
    let (w, _dir) = world().await;
    to_renewal_review(&w).await;
    let uri = format!("/api/penalties/{ID}:start:penalty/payments");
    let pay = |amount: &str, receipt: &str| json!({"amount_yuan": amount, "paid_on": "2022-04-10", "receipt": receipt});
    let other_park = token(
        &w.state,
        "yuzhou",
        Role::Park,
        Scope::Park(ParkId::parse("yuzhou").unwrap()),
    );
    let credit = format!("/api/enterprises/{USCC}/credit");
    let before = (
        get(&w, &w.city, "/api/penalties").await,
        get(&w, &w.city, &credit).await,
    );
    for (who, body, status, needle) in [
        (
            &w.ent,
            pay("589437.78", "R1"),
            StatusCode::FORBIDDEN,
            "write_registry",
        ),
        (
            &other_park,
            pay("589437.78", "R1"),
            StatusCode::NOT_FOUND,
            "not found",
        ),
        (
            &w.park,
            pay("600000", "R1"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount",
        ),
        (
            &w.park,
            pay("1.001", "R1"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount",
        ),
        (
            &w.park,
            pay("100", " "),
            StatusCode::UNPROCESSABLE_ENTITY,
            "receipt",
        ),
    ] {
        let (s, b) = w.post(who, &uri, body).await;
        assert_eq!(s, status, "{b}");
        assert!(
            b.to_string().to_lowercase().contains(needle),
            "{needle} in {b}"
        );
    }
    assert_eq!(
        (
            get(&w, &w.city, "/api/penalties").await,
            get(&w, &w.city, &credit).await
        ),
        before
    );

    // Paid in two parts: still open after the first.
    let (s, b) = w
        .post(&w.park, &uri, pay("300000", "许财缴〔2022〕101号"))
        .await;
    assert_eq!(
        (s, b["status"].clone()),
        (StatusCode::OK, json!("partially_paid")),
        "{b}"
    );
    // The Excel list's total line shows what was paid and what is owed, with the receipt.
    let total = penalties_xlsx_total(&w).await;
    assert_eq!(
        total[5..9],
        ["589437.78", "", "300000.00", "289437.78"],
        "{total:?}"
    );
    assert!(total[9].contains("许财缴〔2022〕101号"), "{total:?}");
    let (s, b) = w.post(&w.park, &uri, pay("289437.79", "R2")).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a fen more than owed: {b}"
    );
    let (s, b) = w
        .post(&w.park, &uri, pay("289437.78", "许财缴〔2022〕102号"))
        .await;
    assert_eq!(
        (s, b["status"].clone()),
        (StatusCode::OK, json!("paid")),
        "{b}"
    );
    assert_eq!(b["doc"]["payments"].as_array().unwrap().len(), 2);
    assert_eq!(b["doc"]["payments"][1]["recorded_by"], "weidu");
    let (s, _) = w.post(&w.park, &uri, pay("1", "R3")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "nothing more is owed");
    let c = get(&w, &w.ent, &credit).await;
    let settled = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["doc"]["kind"] == "penalty_paid")
        .unwrap()
        .clone();
    assert!(
        settled["doc"]["detail_zh"]
            .as_str()
            .unwrap()
            .contains("许财缴〔2022〕102号"),
        "{settled}"
    );

    let d = decide_renewal(&w).await;
    assert_eq!(condition(&d, "no_open_cases")["passed"], true, "{d}");
    assert_eq!(d["granted"], true, "{d}");
}

/// The 合计 line of `GET /api/penalties?format=xlsx`, read with calamine.
async fn penalties_xlsx_total(w: &common::project::World) -> Vec<String> {
    use axum::body::Body;
    use axum::http::{Request, header};
    use calamine::Reader;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = Request::builder()
        .uri("/api/penalties?format=xlsx")
        .header(header::AUTHORIZATION, &w.city)
        .body(Body::empty())
        .unwrap();
    let resp = w.r.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("违约金清单")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][7..10], ["已缴(元)", "尚欠(元)", "缴款记录"]);
    rows.into_iter().find(|r| r[3] == "合计").unwrap()
}
