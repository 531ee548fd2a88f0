//! Issue 6's must-show walk over HTTP: a 标准地 project from the application (one indicator
//! failing, passing after revision) through the joint review, a 20-year grant priced by 年期修正,
//! the contract with its stored timeline, 动工 45 days late (penalty to the cent, credit
//! record), 达产复核 with a tax shortfall (gap capped at the land price), to a renewal refused
//! with the failing condition named. And bad input — wrong role, missing document, deadline
//! before its start, penalty rate out of range — each refused with its reason, nothing changed.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{send, token};

use axum::Router;
use axum::http::StatusCode;
use landcycle_demo::fixtures::{TEST_USCC as USCC, enterprise, parcel_draft, rect, weidu};
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::{ParcelLifecycle, ParkId, Uscc};
use landcycle_store::{SqliteStore, WriteMeta};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    match v {
        Value::String(s) => Decimal::from_str(s).unwrap(),
        other => Decimal::from_str(&other.to_string()).unwrap(),
    }
}

struct World {
    r: Router,
    city: String,
    park: String,
    ent: String,
    parcel: String,
}

impl World {
    /// Everything a refused request could have touched, to compare before and after.
    async fn snapshot(&self, id: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for uri in [
            format!("/api/projects/{id}"),
            format!("/api/projects/{id}/checkpoints"),
            "/api/penalties".to_owned(),
            format!("/api/enterprises/{USCC}/credit"),
            format!("/api/parcels/{}/history", self.parcel),
        ] {
            out.push(send(&self.r, "GET", &uri, &self.city, None).await.1);
        }
        out
    }

    async fn post(&self, who: &str, uri: &str, body: Value) -> (StatusCode, Value) {
        send(&self.r, "POST", uri, who, Some(body)).await
    }

    /// Posts a request that must be refused with `status`, whose problem mentions `needle`, and
    /// checks that nothing changed.
    async fn refused(&self, who: &str, uri: &str, body: Value, status: StatusCode, needle: &str) {
        let before = self.snapshot("BZD-weidu-0001").await;
        let (s, b) = self.post(who, uri, body).await;
        assert_eq!(s, status, "{uri}: {b}");
        assert!(
            b.to_string().contains(needle),
            "{uri}: expected “{needle}” in {b}"
        );
        assert_eq!(
            self.snapshot("BZD-weidu-0001").await,
            before,
            "{uri} changed nothing"
        );
    }
}

async fn world() -> (World, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("s.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2020, 1, 1));
    reg.put_park(weidu(None), &m).unwrap();
    reg.put_enterprise(enterprise("weidu"), &m).unwrap();
    let mut draft = parcel_draft(rect(113.85, 34.03, 0.002, 0.002));
    draft.status = ParcelLifecycle::Listed;
    draft.enterprise = None;
    let parcel = reg.create_parcel(draft, &m, None).unwrap();
    let w = World {
        city: token(&state, "city", Role::City, Scope::All),
        park: token(
            &state,
            "weidu",
            Role::Park,
            Scope::Park(ParkId::parse("weidu").unwrap()),
        ),
        ent: token(
            &state,
            "ent",
            Role::Enterprise,
            Scope::Enterprise(Uscc::parse(USCC).unwrap()),
        ),
        parcel: parcel.id.to_string(),
        r: landcycle_server::router(state),
    };
    (w, dir)
}

fn docs(kinds: &[&str]) -> Value {
    Value::Array(
        kinds
            .iter()
            .map(|k| json!({"kind": k, "number": "2021-001", "sha256": null}))
            .collect(),
    )
}

fn contract(start_deadline: &str, late_start_per_mille: &str) -> Value {
    json!({
        "contract_no": "许自然资让〔2021〕18号", "parcel_id": null, "grantee": USCC,
        "area_m2": "40000", "price": "13098617.40", "scheme": {"mode": "flexible_grant", "years": 20},
        "term_years": 20, "signed_on": "2021-07-01", "delivery_on": "2021-08-01",
        "start_deadline": start_deadline, "completion_deadline": "2023-08-01",
        "total_investment": "96000000", "far_min": "1.2",
        "penalties": {"late_start_per_mille": late_start_per_mille, "late_completion_per_mille": "1",
                      "shortfall_combine": "max_of", "tax_gap_capped_at_price": true}
    })
}

fn agreement() -> Value {
    json!({"agreement_no": "魏都履约〔2021〕7号", "counterparty": "魏都产业集聚区管委会",
           "signed_on": "2021-07-01", "indicators": [], "initial_operation_years": 3,
           "production_after_completion_months": 12, "periodic_review_years": 3, "performance_bond": null})
}

#[tokio::test]
async fn standard_land_project_from_application_to_refused_renewal() {
    let (w, _dir) = world().await;
    let id = "BZD-weidu-0001";
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

    // Signing: bad input is refused with its reason and leaves everything as it was.
    let sign = |c: Value, d: Value| json!({"contract": c, "agreement": agreement(), "reason": "签订出让合同", "version": 6, "documents": d});
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
        json!({"to": "granted", "on": "2021-07-01", "reason": "x", "version": 6,
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

    // 交地 (the city's act) on time; 动工 45 days late: 13 098 617.40 × 1 ‰ × 45 = 589 437.78 元.
    let cp = |on: &str, v: u32, d: &[&str], facts: Value| json!({"on": on, "reason": "履约核查", "version": v, "documents": docs(d), "facts": facts});
    let (s, b) = w
        .post(
            &w.city,
            &p("/checkpoints/delivery"),
            cp("2021-08-01", 7, &["交地确认书"], json!({})),
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
            cp("2022-03-18", 8, &["施工许可证"], json!({})),
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
            cp("2023-07-20", 9, &["竣工验收备案通知书"], json!({})),
        )
        .await;
    assert_eq!(
        (s, &b["outcome"]["passed"]),
        (StatusCode::OK, &json!(true)),
        "{b}"
    );
    let (s, b) = w.post(&w.park, &p("/checkpoints/conformity_check"), cp("2023-10-20", 10, &[], json!({
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
            cp("2024-07-01", 11, &[], json!({})),
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
                12,
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
            t("operating", "2027-09-01", 13),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = w
        .post(
            &w.ent,
            &p("/submissions"),
            t("renewal_review", "2040-06-01", 14),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = w
        .post(
            &w.city,
            &p("/renewal"),
            json!({"years_requested": 20, "industry_fits_plan": true,
        "mu_classes": ["B", "B"], "appraised_full_term_price_yuan": "30000000",
        "on": "2040-09-01", "reason": "续期审查", "version": 15}),
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
