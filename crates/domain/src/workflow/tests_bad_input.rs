//! Bad input is refused with the reason, and nothing changes.

use super::contract::{GrantContract, PenaltyClauses};
use super::engine::{DocumentRef, TransitionRequest};
use super::idle_case::{IdleCase, idle_case_workflow};
use super::penalty;
use super::supply_scheme::SupplyScheme;
use crate::access::Role;
use crate::units::{AreaM2, Yuan};
use jiff::civil::date;
use rust_decimal::Decimal;

fn case() -> (super::engine::WorkflowDef, IdleCase) {
    let def = idle_case_workflow();
    let c = IdleCase::open(
        "XZ-1",
        &def,
        date(2019, 1, 1),
        Yuan(Decimal::from(1_000_000)),
        date(2021, 1, 5),
        None,
    )
    .unwrap();
    (def, c)
}

fn req(to: &str, role: Role, docs: &[&str]) -> TransitionRequest {
    TransitionRequest {
        to: to.into(),
        actor: "u".into(),
        role,
        on: date(2021, 1, 20),
        reason: "调查".into(),
        fields: Default::default(),
        documents: docs
            .iter()
            .map(|k| DocumentRef {
                kind: (*k).into(),
                number: None,
                sha256: None,
            })
            .collect(),
        passed_checks: Default::default(),
    }
}

fn contract() -> GrantContract {
    GrantContract {
        contract_no: "C-1".into(),
        parcel_id: None,
        grantee: "914110007155555552".into(),
        area_m2: AreaM2(Decimal::from(10_000)),
        price: Yuan(Decimal::from(3_000_000)),
        scheme: SupplyScheme::FlexibleGrant { years: 20 },
        term_years: 20,
        signed_on: date(2021, 1, 1),
        delivery_on: date(2021, 2, 1),
        start_deadline: date(2021, 8, 1),
        completion_deadline: date(2023, 8, 1),
        total_investment: Yuan(Decimal::from(20_000_000)),
        far_min: Decimal::ONE,
        penalties: PenaltyClauses::xuchang_default(),
    }
}

#[test]
fn wrong_role_is_refused_with_the_roles_allowed() {
    let (def, mut c) = case();
    let before = c.clone();
    let e = c
        .transition(
            &def,
            &req("notice_issued", Role::Enterprise, &["闲置土地调查通知书"]),
            None,
        )
        .unwrap_err();
    let f = &e.field_errors()[0];
    assert_eq!(f.field, "role");
    assert!(f.reason_zh.contains("企业无权办理"), "{}", f.reason_zh);
    assert!(f.reason.contains("admin, city, county"), "{}", f.reason);
    assert_eq!(c, before, "nothing changed");
}

#[test]
fn missing_document_is_refused_by_name() {
    let (def, mut c) = case();
    let before = c.clone();
    let e = c
        .transition(&def, &req("notice_issued", Role::County, &[]), None)
        .unwrap_err();
    let f = &e.field_errors()[0];
    assert_eq!(
        (f.field.as_str(), f.value.as_deref()),
        ("documents", Some("闲置土地调查通知书"))
    );
    assert!(f.reason_zh.contains("《闲置土地调查通知书》"));
    assert_eq!(c, before);
}

#[test]
fn a_deadline_before_its_start_is_refused() {
    let mut k = contract();
    k.completion_deadline = date(2021, 7, 1);
    let e = k.validate().unwrap_err();
    assert_eq!(e.field_errors()[0].field, "completion_deadline");
    assert!(
        e.field_errors()[0]
            .reason
            .contains("must come after start_deadline")
    );
    k.completion_deadline = k.start_deadline;
    assert!(k.validate().is_err(), "the same day is not after");
    // An act dated before the case reached its status is refused too.
    let (def, mut c) = case();
    let mut r = req("notice_issued", Role::County, &["闲置土地调查通知书"]);
    r.on = date(2021, 1, 4);
    let e = c.transition(&def, &r, None).unwrap_err();
    assert_eq!(e.field_errors()[0].field, "on");
    assert_eq!(c.state.status, "suspected");
}

#[test]
fn a_penalty_rate_out_of_range_is_refused() {
    for bad in ["0", "-1", "10.5", "15"] {
        let mut k = contract();
        k.penalties.late_start_per_mille = bad.parse().unwrap();
        let e = k.validate().unwrap_err();
        assert_eq!(
            e.field_errors()[0].field,
            "penalties.late_start_per_mille",
            "{bad}"
        );
        assert!(
            penalty::late_start(&k, date(2021, 9, 1)).is_err(),
            "no penalty computed at {bad} ‰"
        );
    }
    let mut k = contract();
    k.penalties.late_start_per_mille = Decimal::from(10);
    assert!(k.validate().is_ok(), "10 ‰ is the upper bound, inclusive");
}

#[test]
fn bad_definitions_and_terms_are_refused() {
    let mut def = idle_case_workflow();
    def.transitions[0].roles.clear();
    def.transitions[1].to = "nowhere".into();
    let e = def.validate().unwrap_err();
    assert_eq!(e.field_errors().len(), 2, "{e}");
    let p = super::supply_scheme::TermParams::xuchang_default();
    let e = SupplyScheme::FlexibleGrant { years: 30 }
        .validate(&p)
        .unwrap_err();
    assert!(e.to_string().contains("不超过20年"));
    assert!(
        SupplyScheme::LeaseThenGrant {
            lease_years: 6,
            total_years: 20
        }
        .validate(&p)
        .is_err()
    );
    assert!(
        SupplyScheme::LongTermLease { years: 51 }
            .validate(&p)
            .is_err()
    );
}
