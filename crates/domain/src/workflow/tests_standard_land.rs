//! The must-show walk of issue 6: a 标准地 project from application to a refused renewal.

use super::contract::{GrantContract, PenaltyClauses, SupervisionAgreement, checkpoints};
use super::engine::{CaseState, TransitionRequest, WorkflowDef};
use super::penalty::{self, PenaltyKind, PenaltyStatement};
use super::project::{parcel_status_after, project_workflow};
use super::renewal::{RenewalFacts, decide_renewal};
use super::review::{JointReview, Opinion, ReviewDecision, Vote};
use super::standard_land::{CheckStage, check, default_set};
use super::supply_scheme::{SupplyScheme, TermParams};
use crate::ParcelLifecycle;
use crate::access::Role;
use crate::park::ParkId;
use crate::rules::mu_evaluation::MuClass;
use crate::units::{AreaM2, Yuan};
use jiff::civil::{Date, date};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn req(to: &str, role: Role, on: Date) -> TransitionRequest {
    TransitionRequest {
        to: to.into(),
        actor: format!("{role}-user"),
        role,
        on,
        reason: format!("办理{to}"),
        fields: BTreeMap::new(),
        documents: vec![],
        passed_checks: Default::default(),
    }
}

fn step(def: &WorkflowDef, s: &CaseState, r: TransitionRequest) -> CaseState {
    def.apply(s, &r, None)
        .unwrap_or_else(|e| panic!("{} → {}: {e}", s.status, r.to))
}

fn doc(kind: &str) -> super::engine::DocumentRef {
    super::engine::DocumentRef {
        kind: kind.into(),
        number: Some("2021-001".into()),
        sha256: None,
    }
}

#[test]
fn standard_land_project_from_application_to_refused_renewal() {
    let def = project_workflow();
    def.validate().unwrap();
    let set = default_set(
        ParkId::parse("weidu").unwrap(),
        "高端装备制造业",
        Decimal::from(15),
        date(2021, 1, 1),
    );
    set.validate().unwrap();

    // Application: 投资强度 140 万元/亩 is below the 150 floor.
    let mut values: BTreeMap<String, Decimal> = [
        ("investment_intensity_wan_per_mu", "140"),
        ("far_min", "1.2"),
        ("tax_per_mu_wan", "18"),
        ("building_coverage_min", "0.35"),
        ("admin_land_ratio_max", "0.05"),
        ("credit_commitment", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), d(v)))
    .collect();
    let s = def.open(date(2021, 3, 1), None);
    let report = check(&set, CheckStage::Admission, &values);
    assert!(!report.passed);
    let failing: Vec<_> = report.failures().map(|f| f.code.as_str()).collect();
    assert_eq!(failing, ["investment_intensity_wan_per_mu"]);
    let shown = &report.failures().next().unwrap().reason_zh;
    assert!(shown.contains("140") && shown.contains("≥ 150"), "{shown}");
    // The guard refuses to pass a failed check…
    let mut pass = req("admission_passed", Role::Park, date(2021, 3, 5));
    assert!(
        def.apply(&s, &pass, None)
            .unwrap_err()
            .to_string()
            .contains("admission_check")
    );
    // …so the park returns it; the enterprise revises and resubmits.
    let s = step(&def, &s, req("revising", Role::Park, date(2021, 3, 5)));
    values.insert("investment_intensity_wan_per_mu".into(), d("160"));
    let s = step(
        &def,
        &s,
        req("applied", Role::Enterprise, date(2021, 3, 12)),
    );
    let report = check(&set, CheckStage::Admission, &values);
    assert!(report.passed, "{report:?}");
    assert_eq!(report.items.len(), 6);
    pass.on = date(2021, 3, 15);
    pass.passed_checks.insert("admission_check".into());
    let s = step(&def, &s, pass);

    // Joint review: 4 of 5 approve.
    let members: Vec<String> = [
        "市自然资源和规划局",
        "市发展和改革委员会",
        "市工业和信息化局",
        "市生态环境局",
        "园区管委会",
    ]
    .map(String::from)
    .to_vec();
    let review = JointReview {
        held_on: date(2021, 4, 2),
        opinions: members
            .iter()
            .enumerate()
            .map(|(i, m)| Opinion {
                member: m.clone(),
                vote: if i == 3 { Vote::Reject } else { Vote::Approve },
                comment: if i == 3 {
                    "排放指标偏高".into()
                } else {
                    String::new()
                },
            })
            .collect(),
        members,
    };
    assert_eq!(review.decide().unwrap(), ReviewDecision::Approved);
    let mut r = req("reviewed", Role::City, date(2021, 4, 2));
    r.passed_checks.insert("joint_review".into());
    let s = step(&def, &s, r);

    // 20-year grant priced by 年期修正 from an appraised 50-year price of 18,000,000 元 (r = 6 %).
    let p = TermParams::xuchang_default();
    let scheme = SupplyScheme::FlexibleGrant { years: 20 };
    let quote = scheme.quote(Yuan(Decimal::from(18_000_000)), &p).unwrap();
    assert_eq!(quote.k, d("0.727701"));
    assert_eq!(quote.grant_price, Yuan(d("13098617.40")));
    assert!(quote.conditional_renewal);
    let mut r = req("scheme_set", Role::City, date(2021, 5, 10));
    r.passed_checks.insert("scheme".into());
    let s = step(&def, &s, r);

    // Contract and supervision agreement.
    let contract = GrantContract {
        contract_no: "许自然资让〔2021〕18号".into(),
        parcel_id: None,
        grantee: "914110007155555552".into(),
        area_m2: AreaM2(Decimal::from(40_000)),
        price: quote.grant_price,
        scheme,
        term_years: 20,
        signed_on: date(2021, 7, 1),
        delivery_on: date(2021, 8, 1),
        start_deadline: date(2022, 2, 1),
        completion_deadline: date(2023, 8, 1),
        total_investment: Yuan(Decimal::from(96_000_000)),
        far_min: d("1.2"),
        penalties: PenaltyClauses::xuchang_default(),
    };
    contract.validate().unwrap();
    let agreement = SupervisionAgreement {
        agreement_no: "魏都履约〔2021〕7号".into(),
        counterparty: "魏都产业集聚区管委会".into(),
        signed_on: date(2021, 7, 1),
        indicators: set.indicators.clone(),
        initial_operation_years: 3,
        production_after_completion_months: 12,
        periodic_review_years: 3,
        performance_bond: None,
    };
    let mut r = req("granted", Role::City, date(2021, 7, 1));
    r.documents = vec![doc("国有建设用地使用权出让合同"), doc("履约监管协议")];
    let s = step(&def, &s, r);
    assert_eq!(
        parcel_status_after(&s.status),
        Some(ParcelLifecycle::Granted)
    );

    let cps = checkpoints(&contract, &agreement).unwrap();
    let due = |code: &str| cps.iter().find(|c| c.code == code).unwrap().due;
    assert_eq!(due("start"), date(2022, 2, 1));
    assert_eq!(due("conformity_check"), date(2023, 11, 1));
    assert_eq!(due("production"), date(2024, 8, 1));
    assert_eq!(due("capacity_review"), date(2027, 8, 1));
    assert_eq!(due("term_end_assessment"), date(2040, 8, 1));
    assert_eq!(due("term_end"), date(2041, 8, 1));
    assert!(
        cps.windows(2).all(|w| w[0].due <= w[1].due),
        "timeline in order"
    );

    let mut r = req("delivered", Role::City, date(2021, 8, 1));
    r.documents = vec![doc("交地确认书")];
    let s = step(&def, &s, r);

    // 动工 45 days late: 1 ‰ of the price per day × 45 days.
    let started = date(2022, 3, 18);
    assert_eq!(
        penalty::days_late(contract.start_deadline, started).unwrap(),
        45
    );
    let late = penalty::late_start(&contract, started).unwrap().unwrap();
    assert_eq!(late.kind, PenaltyKind::LateStart);
    assert_eq!(late.amount, Yuan(d("589437.78")));
    assert!(late.basis_zh.contains("45日"), "{}", late.basis_zh);
    assert_eq!(
        penalty::late_start(&contract, contract.start_deadline).unwrap(),
        None,
        "on the day is on time"
    );
    let mut r = req("started", Role::Park, started);
    r.documents = vec![doc("施工许可证")];
    let s = step(&def, &s, r);

    let mut r = req("completed", Role::Park, date(2023, 7, 20));
    r.documents = vec![doc("竣工验收备案通知书")];
    let s = step(&def, &s, r);
    assert_eq!(
        penalty::late_completion(&contract, date(2023, 7, 20)).unwrap(),
        None
    );
    assert!(
        penalty::conformity_shortfalls(&contract, Yuan(Decimal::from(100_000_000)), d("1.25"))
            .is_empty()
    );
    let mut r = req("conformity_checked", Role::Park, date(2023, 10, 20));
    r.fields
        .insert("actual_investment_yuan".into(), "100000000".into());
    r.fields.insert("actual_far".into(), "1.25".into());
    let s = step(&def, &s, r);
    let s = step(&def, &s, req("in_production", Role::Park, date(2024, 7, 1)));

    // 达产复核 with a tax shortfall: gaps 15 + 14 + 16 万元/亩 over 60 亩 = 27,000,000 元,
    // more than the price, so the compensation is capped at the price.
    let actual = [(2025, d("3")), (2026, d("4")), (2027, d("2"))];
    let review_check = check(
        &set,
        CheckStage::CapacityReview,
        &[("tax_per_mu_wan".to_owned(), d("2"))].into(),
    );
    assert!(!review_check.passed);
    let gap = penalty::tax_gap(&contract, d("18"), &actual)
        .unwrap()
        .unwrap();
    assert!(gap.capped);
    assert_eq!(gap.amount, contract.price);
    assert!(gap.basis_zh.contains("27000000"), "{}", gap.basis_zh);
    let uncapped = GrantContract {
        penalties: PenaltyClauses {
            tax_gap_capped_at_price: false,
            ..PenaltyClauses::xuchang_default()
        },
        ..contract.clone()
    };
    assert_eq!(
        penalty::tax_gap(&uncapped, d("18"), &actual)
            .unwrap()
            .unwrap()
            .amount,
        Yuan(Decimal::from(27_000_000))
    );
    let statement = PenaltyStatement::new(&contract.contract_no, vec![late, gap]);
    assert_eq!(statement.total, Yuan(d("13688055.18")));
    let mut r = req("capacity_reviewed", Role::Park, date(2027, 8, 1));
    r.fields.insert("tax_per_mu_wan".into(), "2".into());
    let s = step(&def, &s, r);
    let s = step(&def, &s, req("operating", Role::Park, date(2027, 9, 1)));
    let s = step(
        &def,
        &s,
        req("renewal_review", Role::Enterprise, date(2040, 6, 1)),
    );
    assert_eq!(
        parcel_status_after(&s.status),
        Some(ParcelLifecycle::NearExpiry)
    );

    // Renewal refused, the failing condition named.
    let facts = RenewalFacts {
        capacity_review_passed: review_check.passed,
        open_cases: vec![],
        mu_classes: vec![MuClass::B, MuClass::B],
        industry_fits_plan: true,
        applied_on: date(2040, 6, 1),
        term_end: contract.term_end().unwrap(),
        years_so_far: 20,
        years_requested: 20,
    };
    let decision = decide_renewal(&facts, &p, Some(Yuan(Decimal::from(30_000_000)))).unwrap();
    assert!(!decision.granted);
    assert_eq!(decision.failing(), ["capacity_review_passed"]);
    assert_eq!(decision.price, None);
    // Without passing conditions the renewal cannot be approved…
    let r = req("renewed", Role::City, date(2040, 9, 1));
    assert!(
        def.apply(&s, &r, None)
            .unwrap_err()
            .to_string()
            .contains("renewal_conditions")
    );
    // …it ends at expiry with the failing condition recorded.
    let mut r = req("expired", Role::City, date(2040, 9, 1));
    r.fields
        .insert("failing_conditions".into(), decision.failing().join(","));
    let s = step(&def, &s, r);
    assert_eq!(
        s.history.last().unwrap().fields["failing_conditions"],
        "capacity_review_passed"
    );
    assert_eq!(
        parcel_status_after(&s.status),
        Some(ParcelLifecycle::Recovered)
    );
    assert_eq!(s.history.len(), 15, "every step recorded");

    // Had the review passed, the renewal would be granted and priced by K(6 %, 20, 50).
    let ok = decide_renewal(
        &RenewalFacts {
            capacity_review_passed: true,
            ..facts
        },
        &p,
        Some(Yuan(Decimal::from(30_000_000))),
    )
    .unwrap();
    assert!(ok.granted, "{:?}", ok.failing());
    assert_eq!(ok.price, Some(Yuan(d("21831028.99"))));
}
