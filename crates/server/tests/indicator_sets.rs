//! 标准地 indicator sets stored as data (§4.2), per park × industry and versioned, over HTTP:
//! published by the city or the park's own 管委会 (another park's committee and the enterprise
//! refused), bad sets refused with the field named, an application checked against the set in
//! force on its day (saying which), and a new version leaving a past project's check — and its
//! revision — on the set it was checked against. Without a stored set the default is used and
//! the check says so.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::project::{ID, application, get, world};
use common::token;
use landcycle_domain::ParkId;
use landcycle_domain::access::{Role, Scope};
use serde_json::{Value, json};

const INDUSTRY: &str = "高端装备制造业";

fn set(version: &str, effective_from: &str, floor: &str) -> Value {
    let ind = |code: &str, name: &str, unit: &str, target: &str, stages: &[&str], slot: &str| {
        json!({"code": code, "name_zh": name, "unit": unit, "direction": {"kind": "at_least"},
               "target": target, "stages": stages, "slot": slot})
    };
    json!({"park_id": "weidu", "industry": INDUSTRY, "version": version,
    "effective_from": effective_from, "source": "魏都产业集聚区标准地控制性指标体系",
    "reason": "管委会会议纪要", "indicators": [
        ind("investment_intensity_wan_per_mu", "固定资产投资强度", "万元/亩", floor, &["admission", "completion"], "core"),
        ind("far_min", "容积率", "", "1.0", &["admission", "completion"], "core"),
        ind("tax_per_mu_wan", "亩均税收", "万元/亩·年", "15", &["admission", "capacity_review"], "core"),
        ind("building_coverage_min", "建筑系数", "", "0.30", &["admission", "completion"], "optional"),
        json!({"code": "admin_land_ratio_max", "name_zh": "行政办公及生活服务设施用地比例", "unit": "",
               "direction": {"kind": "at_most"}, "target": "0.07", "stages": ["admission"], "slot": "optional"}),
        ind("credit_commitment", "信用承诺（1=已签署）", "", "1", &["admission"], "plus1"),
    ]})
}

#[tokio::test]
async fn sets_are_published_in_scope_versioned_and_used_by_the_day_filed() {
    let (w, _dir) = world().await;
    let other_park = token(
        &w.state,
        "yuzhou",
        Role::Park,
        Scope::Park(ParkId::parse("yuzhou").unwrap()),
    );
    let list = format!("/api/indicator-sets?park=weidu&industry={INDUSTRY}");

    // Refused: another park's committee, the enterprise; bad sets with the field named.
    for (who, status) in [
        (&other_park, StatusCode::FORBIDDEN),
        (&w.ent, StatusCode::FORBIDDEN),
    ] {
        let (s, b) = w
            .post(
                who,
                "/api/indicator-sets",
                set("2021版", "2021-01-01", "150"),
            )
            .await;
        assert_eq!(s, status, "{b}");
    }
    let mut no_far = set("2021版", "2021-01-01", "150");
    no_far["indicators"].as_array_mut().unwrap().remove(1);
    let mut bad_unit = set("2021版", "2021-01-01", "150");
    bad_unit["indicators"][0]["unit"] = json!("万元/公顷");
    let mut percent = set("2021版", "2021-01-01", "150");
    percent["indicators"][3]["target"] = json!("30");
    let mut ceiling = set("2021版", "2021-01-01", "150");
    ceiling["indicators"][2]["direction"] = json!({"kind": "at_most"});
    for (body, field) in [
        (no_far, "far_min"),
        (bad_unit, "indicators[0].unit"),
        (percent, "indicators[3].target"),
        (ceiling, "indicators[2].direction"),
    ] {
        let (s, b) = w.post(&w.park, "/api/indicator-sets", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(b.to_string().contains(field), "{field} named in {b}");
    }
    assert_eq!(get(&w, &w.city, &list).await["total"], 0, "nothing stored");

    // The city publishes the 2021 version; the application of 2021-03-01 is checked against it.
    let (s, b) = w
        .post(
            &w.city,
            "/api/indicator-sets",
            set("2021版", "2021-01-01", "150"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let v1 = b["id"].as_str().unwrap().to_owned();
    assert_eq!(b["doc"]["published_by"], "city");
    let (s, b) = w
        .post(&w.ent, "/api/projects", application(&w, "160"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let check = &b["outcome"];
    assert_eq!(
        (
            &check["set_id"],
            &check["set_version"],
            &check["set_origin"],
            &check["passed"]
        ),
        (&json!(v1), &json!("2021版"), &json!("stored"), &json!(true)),
        "{check}"
    );
    assert_eq!(
        check["items"].as_array().unwrap().len(),
        6,
        "the stored set's admission indicators"
    );

    // The park publishes 2022 with a higher floor; the same version or day again is refused.
    let (s, b) = w
        .post(
            &w.park,
            "/api/indicator-sets",
            set("2022版", "2022-01-01", "170"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let v2 = b["id"].as_str().unwrap().to_owned();
    for body in [
        set("2022版", "2022-06-01", "170"),
        set("2022修订版", "2022-01-01", "170"),
    ] {
        let (s, b) = w.post(&w.park, "/api/indicator-sets", body).await;
        assert_eq!(s, StatusCode::CONFLICT, "{b}");
    }
    let all = get(&w, &w.ent, &list).await;
    let ids: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [v1.as_str(), v2.as_str()], "oldest first");
    let on = get(&w, &w.city, &format!("{list}&in_force_on=2021-12-31")).await;
    assert_eq!(
        (on["total"].clone(), on["items"][0]["id"].clone()),
        (json!(1), json!(v1))
    );
    assert_eq!(
        get(&w, &w.city, &format!("/api/indicator-sets/{v2}")).await["doc"]["version"],
        "2022版"
    );
    // The set an application would get on a day: the stored version in force, else the default.
    let eff =
        |on: &str| format!("/api/indicator-sets/effective?park=weidu&industry={INDUSTRY}&on={on}");
    let e = get(&w, &w.ent, &eff("2021-12-31")).await;
    assert_eq!(
        (&e["origin"], &e["set"]["id"]),
        (&json!("stored"), &json!(v1)),
        "{e}"
    );
    let e = get(&w, &w.ent, &eff("2022-02-01")).await;
    assert_eq!(e["set"]["version"], "2022版");
    let e = get(&w, &w.ent, &eff("2020-06-30")).await;
    assert_eq!(
        (&e["origin"], &e["set"]["id"]),
        (&json!("default"), &Value::Null),
        "{e}"
    );
    assert_eq!(e["set"]["indicators"].as_array().unwrap().len(), 6, "{e}");
    for (uri, field) in [
        (
            "/api/indicator-sets/effective?park=weidu".to_owned(),
            "industry",
        ),
        (
            format!("/api/indicator-sets/effective?industry={INDUSTRY}"),
            "park",
        ),
        (
            format!("/api/indicator-sets/effective?park=nowhere&industry={INDUSTRY}"),
            "park",
        ),
    ] {
        let (s, b) = common::send(&w.r, "GET", &uri, &w.city, None).await;
        assert!(s.is_client_error(), "{uri}: {s}");
        assert!(
            b.to_string().contains(&format!("\"{field}\"")),
            "{uri}: {b}"
        );
    }

    // The past project keeps its check, and its revision is checked against its own set.
    let p = get(&w, &w.city, &format!("/api/projects/{ID}")).await;
    assert_eq!(p["record"]["doc"]["admission"]["set_id"], json!(v1));
    let (s, _) = w
        .post(
            &w.park,
            &format!("/api/projects/{ID}/transitions"),
            json!({"to": "revising", "on": "2022-03-01", "reason": "补充材料"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = w.post(&w.ent, &format!("/api/projects/{ID}/revision"),
        json!({"values": {"investment_intensity_wan_per_mu": "165"}, "on": "2022-03-05", "reason": "修改"})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        (&b["outcome"]["set_id"], &b["outcome"]["passed"]),
        (&json!(v1), &json!(true)),
        "165 ≥ 150 of 2021版"
    );

    // A new application in 2022 meets the 2022 floor; another industry falls back to the default.
    let mut later = application(&w, "165");
    later["on"] = json!("2022-03-01");
    later["parcel_id"] = Value::Null;
    let (s, b) = w.post(&w.ent, "/api/projects", later.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let failing: Vec<&Value> = b["outcome"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["passed"] == false)
        .collect();
    assert_eq!((&b["outcome"]["set_id"], failing.len()), (&json!(v2), 1));
    assert_eq!(failing[0]["target"], "≥ 170 万元/亩");
    later["industry"] = json!("食品加工业");
    let (s, b) = w.post(&w.ent, "/api/projects", later).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(
        (&b["outcome"]["set_origin"], &b["outcome"]["set_id"]),
        (&json!("default"), &Value::Null)
    );
}
