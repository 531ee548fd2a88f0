//! A 标准地 project over HTTP for the tests that need one: a world with a park, its enterprise
//! and a listed parcel, the contract and agreement of the must-show walk, and drivers that take
//! a project to a given status without asserting on the way (the walk asserts each step).
#![allow(dead_code, clippy::unwrap_used)]

use super::{send, token};
use axum::Router;
use axum::http::StatusCode;
use landcycle_demo::fixtures::{TEST_USCC as USCC, enterprise, parcel_draft, rect, weidu};
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::{ParcelLifecycle, ParkId, Uscc};
use landcycle_store::{SqliteStore, WriteMeta};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

/// The walk's project id (the first of park weidu).
pub const ID: &str = "BZD-weidu-0001";

pub fn dec(v: &Value) -> Decimal {
    match v {
        Value::String(s) => Decimal::from_str(s).unwrap(),
        other => Decimal::from_str(&other.to_string()).unwrap(),
    }
}

pub struct World {
    pub r: Router,
    pub state: landcycle_server::AppState,
    pub city: String,
    pub park: String,
    pub ent: String,
    pub parcel: String,
}

impl World {
    /// Everything a refused request could have touched, to compare before and after.
    pub async fn snapshot(&self, id: &str) -> Vec<Value> {
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

    pub async fn post(&self, who: &str, uri: &str, body: Value) -> (StatusCode, Value) {
        send(&self.r, "POST", uri, who, Some(body)).await
    }

    /// Posts a request that must be refused with `status`, whose problem mentions `needle`, and
    /// checks that nothing changed.
    pub async fn refused(
        &self,
        who: &str,
        uri: &str,
        body: Value,
        status: StatusCode,
        needle: &str,
    ) {
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

pub async fn world() -> (World, tempfile::TempDir) {
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
        r: landcycle_server::router(state.clone()),
        state,
    };
    (w, dir)
}

pub fn docs(kinds: &[&str]) -> Value {
    Value::Array(
        kinds
            .iter()
            .map(|k| json!({"kind": k, "number": "2021-001", "sha256": null}))
            .collect(),
    )
}

pub fn contract(start_deadline: &str, late_start_per_mille: &str) -> Value {
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

pub fn agreement() -> Value {
    json!({"agreement_no": "魏都履约〔2021〕7号", "counterparty": "魏都产业集聚区管委会",
           "signed_on": "2021-07-01", "indicators": [], "initial_operation_years": 3,
           "production_after_completion_months": 12, "periodic_review_years": 3, "performance_bond": null})
}

/// The walk's application on the world's parcel with `investment_intensity` (万元/亩).
pub fn application(w: &World, investment_intensity: &str) -> Value {
    json!({"name": "智能装备产业园项目", "uscc": USCC, "park_id": "weidu",
        "industry": "高端装备制造业", "investment_wan": "9600", "land_mu": "60", "parcel_id": w.parcel,
        "on": "2021-03-01", "values": {"investment_intensity_wan_per_mu": investment_intensity,
        "far_min": "1.2", "tax_per_mu_wan": "18", "building_coverage_min": "0.35",
        "admin_land_ratio_max": "0.05", "credit_commitment": "1"}})
}

async fn ok(w: &World, who: &str, path: &str, body: Value) -> Value {
    let (s, b) = w
        .post(who, &format!("/api/projects/{ID}{path}"), body)
        .await;
    assert_eq!(s, StatusCode::OK, "{path}: {b}");
    b
}

/// Files a passing application and takes it through admission, the joint review and the
/// 20-year scheme (status `scheme_set`).
pub async fn to_scheme_set(w: &World) {
    let (s, b) = w.post(&w.ent, "/api/projects", application(w, "160")).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    ok(
        w,
        &w.park,
        "/transitions",
        json!({"to": "admission_passed", "on": "2021-03-15", "reason": "准入审查通过"}),
    )
    .await;
    let members = [
        "市自然资源和规划局",
        "市发展和改革委员会",
        "市工业和信息化局",
    ];
    let opinions: Vec<Value> = members
        .iter()
        .map(|m| json!({"member": m, "vote": "approve", "comment": ""}))
        .collect();
    ok(w, &w.city, "/review", json!({"members": members, "opinions": opinions, "on": "2021-04-02", "reason": "入驻评审联席会议"})).await;
    ok(
        w,
        &w.city,
        "/scheme",
        json!({"scheme": {"mode": "flexible_grant", "years": 20},
        "full_term_price_yuan": "18000000", "on": "2021-05-10", "reason": "弹性年期出让"}),
    )
    .await;
}

/// [`to_scheme_set`], then the contract and agreement signed (status `granted`, the §4.3
/// timeline stored: 动工 due 2022-02-01).
pub async fn to_granted(w: &World) {
    to_scheme_set(w).await;
    ok(w, &w.city, "/contract", json!({"contract": contract("2022-02-01", "1"), "agreement": agreement(),
        "reason": "签订出让合同", "documents": docs(&["国有建设用地使用权出让合同", "履约监管协议"])})).await;
}

/// Records checkpoint `code` on `on` with `facts`, as the park (交地 as the city).
pub async fn checkpoint(
    w: &World,
    code: &str,
    on: &str,
    documents: &[&str],
    facts: Value,
) -> Value {
    let who = if code == "delivery" { &w.city } else { &w.park };
    ok(
        w,
        who,
        &format!("/checkpoints/{code}"),
        json!({"on": on, "reason": "履约核查",
        "documents": docs(documents), "facts": facts}),
    )
    .await
}

/// [`to_granted`], then every checkpoint to 达产复核 met on time but 动工 45 days late (a
/// penalty statement `BZD-weidu-0001:start:penalty` of 589 437.78 元), 达产复核 passed, and the
/// land user's renewal application (status `renewal_review`).
pub async fn to_renewal_review(w: &World) {
    to_granted(w).await;
    checkpoint(w, "delivery", "2021-08-01", &["交地确认书"], json!({})).await;
    checkpoint(w, "start", "2022-03-18", &["施工许可证"], json!({})).await;
    checkpoint(
        w,
        "completion",
        "2023-07-20",
        &["竣工验收备案通知书"],
        json!({}),
    )
    .await;
    checkpoint(w, "conformity_check", "2023-10-20", &[], json!({
        "values": {"far_min": "1.25", "investment_intensity_wan_per_mu": "166", "building_coverage_min": "0.36",
                   "admin_land_ratio_max": "0.05"}, "actual_investment_yuan": "100000000"})).await;
    checkpoint(w, "production", "2024-07-01", &[], json!({})).await;
    checkpoint(
        w,
        "capacity_review",
        "2027-08-01",
        &[],
        json!({
        "tax_per_mu_by_year": [[2025, "19"], [2026, "20"], [2027, "21"]]}),
    )
    .await;
    ok(
        w,
        &w.park,
        "/transitions",
        json!({"to": "operating", "on": "2027-09-01", "reason": "转入运营监管"}),
    )
    .await;
    let (s, b) = w
        .post(
            &w.ent,
            &format!("/api/projects/{ID}/submissions"),
            json!({"to": "renewal_review", "on": "2040-06-01", "reason": "提出续期申请"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

/// The city's renewal review of the walk's project (B, B; industry fits): the decision.
pub async fn decide_renewal(w: &World) -> Value {
    ok(
        w,
        &w.city,
        "/renewal",
        json!({"years_requested": 20, "industry_fits_plan": true,
        "mu_classes": ["B", "B"], "appraised_full_term_price_yuan": "30000000",
        "on": "2040-09-01", "reason": "续期审查"}),
    )
    .await["outcome"]
        .clone()
}

/// A GET as `who`.
pub async fn get(w: &World, who: &str, uri: &str) -> Value {
    let (s, b) = send(&w.r, "GET", uri, who, None).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {b}");
    b
}
