//! Quarterly progress reports owed under a 履约监管协议 in the warnings centre: from the quarter
//! the agreement is signed, each quarter's report is due on its last day; unfiled it shows at
//! T−30 (提示), T−7 (预警) and overdue (逾期) for the enterprise and the supervising park (not
//! another park); the land user files it and the warning clears. Officials may not file it as
//! the land user, and nothing is owed before the agreement is signed.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::project::{ID, agreement, contract, docs, get, to_scheme_set, world};
use common::token;
use landcycle_domain::ParkId;
use landcycle_domain::access::{Role, Scope};
use serde_json::{Value, json};

/// The report warnings `who` sees on `day`: (title, level) pairs.
async fn owed(w: &common::project::World, who: &str, day: &str) -> Vec<(String, String)> {
    let b = get(w, who, &format!("/api/warnings?as_of={day}")).await;
    b["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["item"]["kind"] == "progress_report")
        .map(|i| {
            (
                i["item"]["title_zh"].as_str().unwrap().to_owned(),
                i["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn quarterly_reports_are_warned_until_filed() {
    let (w, _dir) = world().await;
    let other_park = token(
        &w.state,
        "yuzhou",
        Role::Park,
        Scope::Park(ParkId::parse("yuzhou").unwrap()),
    );
    let file = format!("/api/projects/{ID}/progress-reports");
    let report = |q: i8, on: &str| json!({"year": 2021, "quarter": q, "text": "厂房主体施工中", "submitted_on": on});

    // Before the agreement nothing is owed, and nothing can be filed.
    to_scheme_set(&w).await;
    let (s, b) = w.post(&w.ent, &file, report(2, "2021-06-20")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    let (s, b) = w.post(&w.city, &format!("/api/projects/{ID}/contract"), json!({"contract": contract("2022-02-01", "1"),
        "agreement": agreement(), "reason": "签订出让合同", "documents": docs(&["国有建设用地使用权出让合同", "履约监管协议"])})).await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // Signed 2021-07-01: the 2021Q3 report is due 2021-09-30.
    let q3 = "履约季度进展报告：智能装备产业园项目（2021年第3季度）".to_owned();
    assert_eq!(owed(&w, &w.ent, "2021-08-30").await, []);
    assert_eq!(
        owed(&w, &w.ent, "2021-09-05").await,
        [(q3.clone(), "notice".to_owned())]
    );
    assert_eq!(
        owed(&w, &w.park, "2021-09-25").await,
        [(q3.clone(), "warning".to_owned())]
    );
    assert_eq!(
        owed(&w, &w.city, "2021-10-05").await,
        [(q3.clone(), "overdue".to_owned())]
    );
    assert_eq!(
        owed(&w, &other_park, "2021-10-05").await,
        [],
        "another park's committee"
    );

    // The park may not file as the land user; a bad quarter is refused; the enterprise files.
    let (s, _) = w.post(&w.park, &file, report(3, "2021-10-06")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, b) = w.post(&w.ent, &file, report(5, "2021-10-06")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.to_string().contains("quarter"), "{b}");
    let (s, b) = w.post(&w.ent, &file, report(3, "2021-10-06")).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(
        (&b["doc"]["subject"], &b["doc"]["unit"]),
        (&json!("project"), &json!("许昌测试机械有限公司"))
    );
    assert_eq!(
        owed(&w, &w.ent, "2021-10-06").await,
        [],
        "filing clears the warning"
    );
    assert_eq!(owed(&w, &w.park, "2021-10-06").await, []);

    // The next quarter comes round; the report is listed for the park.
    let q4 = "履约季度进展报告：智能装备产业园项目（2021年第4季度）".to_owned();
    assert_eq!(
        owed(&w, &w.park, "2021-12-01").await,
        [(q4, "notice".to_owned())]
    );
    let reports = get(&w, &w.park, "/api/progress-reports").await;
    let mine: Vec<&Value> = reports["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["doc"]["subject_id"] == ID)
        .collect();
    assert_eq!(mine.len(), 1);
}
