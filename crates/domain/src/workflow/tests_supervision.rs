//! A checkpoint met against the agreed (committed) targets, the facts a checkpoint needs, and
//! the inspection and quarterly-report records.

use super::contract::{GrantContract, PenaltyClauses, SupervisionAgreement, checkpoints};
use super::inspection::{Inspection, Photo};
use super::penalty::PenaltyKind;
use super::reports::{QuarterlyReport, ReportSubject};
use super::standard_land::default_set;
use super::supervision::{CheckpointFacts, agreed_indicators, assess, status_after};
use super::supply_scheme::SupplyScheme;
use crate::park::ParkId;
use crate::units::{AreaM2, Yuan};
use jiff::civil::date;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn setup() -> (GrantContract, SupervisionAgreement, ParkId) {
    let park = ParkId::parse("weidu").unwrap();
    let set = default_set(
        park.clone(),
        "装备制造",
        Decimal::from(15),
        date(2021, 1, 1),
    );
    let committed: BTreeMap<String, Decimal> = [
        ("investment_intensity_wan_per_mu".to_owned(), d("160")),
        ("tax_per_mu_wan".to_owned(), d("18")),
        ("admin_land_ratio_max".to_owned(), d("0.09")),
    ]
    .into();
    let c = GrantContract {
        contract_no: "C-1".into(),
        parcel_id: None,
        grantee: "914403001922038216".into(),
        area_m2: AreaM2(Decimal::from(40_000)),
        price: Yuan(d("10000000")),
        scheme: SupplyScheme::FlexibleGrant { years: 20 },
        term_years: 20,
        signed_on: date(2021, 7, 1),
        delivery_on: date(2021, 8, 1),
        start_deadline: date(2022, 2, 1),
        completion_deadline: date(2023, 8, 1),
        total_investment: Yuan(Decimal::from(96_000_000)),
        far_min: d("1.2"),
        penalties: PenaltyClauses::xuchang_default(),
    };
    let a = SupervisionAgreement {
        agreement_no: "A-1".into(),
        counterparty: "管委会".into(),
        signed_on: date(2021, 7, 1),
        indicators: agreed_indicators(&set, &committed),
        initial_operation_years: 3,
        production_after_completion_months: 12,
        periodic_review_years: 3,
        performance_bond: None,
    };
    (c, a, park)
}

#[test]
fn agreed_targets_are_the_stricter_of_floor_and_promise() {
    let (_, a, _) = setup();
    let t = |code: &str| a.indicators.iter().find(|i| i.code == code).unwrap().target;
    assert_eq!(
        t("investment_intensity_wan_per_mu"),
        d("160"),
        "promise above floor"
    );
    assert_eq!(t("tax_per_mu_wan"), d("18"));
    assert_eq!(
        t("admin_land_ratio_max"),
        d("0.07"),
        "a looser promise keeps the ceiling"
    );
    assert_eq!(t("far_min"), Decimal::ONE, "no promise: the floor");
}

#[test]
fn checkpoints_price_breaches_and_name_missing_facts() {
    let (c, a, park) = setup();
    let cps = checkpoints(&c, &a).unwrap();
    let cp = |code: &str| cps.iter().find(|x| x.code == code).unwrap().clone();
    let none = CheckpointFacts::default();

    let r = assess(&c, &a, &park, &cp("start"), date(2022, 2, 11), &none).unwrap();
    assert_eq!(r.penalties[0].kind, PenaltyKind::LateStart);
    assert_eq!(
        r.penalties[0].amount,
        Yuan(d("100000.00")),
        "10 days × 1 ‰ × 10 000 000"
    );
    assert!(!r.passed);
    assert_eq!(status_after("start"), Some("started"));
    let r = assess(&c, &a, &park, &cp("start"), date(2022, 2, 1), &none).unwrap();
    assert!(r.passed && r.penalties.is_empty(), "on the day is on time");

    let err = assess(
        &c,
        &a,
        &park,
        &cp("conformity_check"),
        date(2023, 10, 1),
        &none,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("facts.actual_investment_yuan"), "{err}");
    // 容积率 1.0 against 1.2 agreed: 1/6 of the price; investment met.
    let facts = CheckpointFacts {
        values: [("far_min".to_owned(), d("1.0"))].into(),
        actual_investment_yuan: Some(Yuan(Decimal::from(96_000_000))),
        tax_per_mu_by_year: vec![],
    };
    let r = assess(
        &c,
        &a,
        &park,
        &cp("conformity_check"),
        date(2023, 10, 1),
        &facts,
    )
    .unwrap();
    assert_eq!(r.penalties.len(), 1);
    assert_eq!(r.penalties[0].kind, PenaltyKind::FarShortfall);
    assert_eq!(r.penalties[0].amount, Yuan(d("1666666.67")));
    let far = r
        .comparison
        .as_ref()
        .unwrap()
        .items
        .iter()
        .find(|i| i.code == "far_min")
        .unwrap()
        .clone();
    assert!(
        far.passed,
        "the park's floor (1.0) is met: the comparison uses the agreed set"
    );

    // 达产复核 on the agreed 18: one year 17 → 1 万元/亩 × 60 亩 = 600 000 元, not capped.
    let facts = CheckpointFacts {
        tax_per_mu_by_year: vec![(2027, d("17"))],
        ..CheckpointFacts::default()
    };
    let r = assess(
        &c,
        &a,
        &park,
        &cp("capacity_review"),
        date(2027, 8, 1),
        &facts,
    )
    .unwrap();
    assert_eq!(r.penalties[0].amount, Yuan(Decimal::from(600_000)));
    assert!(!r.penalties[0].capped);
    assert!(!r.comparison.unwrap().passed);

    let err = assess(&c, &a, &park, &cp("start"), date(2021, 6, 1), &none).unwrap_err();
    assert_eq!(err.field_errors()[0].field, "on", "before the signing");
}

#[test]
fn inspections_and_reports_name_what_is_missing() {
    let mut i = Inspection {
        id: "XC-1".into(),
        parcel_id: "p".into(),
        project_id: None,
        inspected_on: date(2024, 5, 10),
        inspectors: vec!["王".into()],
        started: false,
        started_basis: String::new(),
        completed: true,
        completion_certificate_no: None,
        not_completed_reason: None,
        photos: vec![Photo {
            sha256: "x".into(),
            caption: String::new(),
        }],
        boundary: None,
        remarks: String::new(),
    };
    let fields: Vec<String> = i
        .validate()
        .unwrap_err()
        .field_errors()
        .iter()
        .map(|e| e.field.clone())
        .collect();
    assert_eq!(
        fields,
        ["completed", "completion_certificate_no", "photos[0].sha256"]
    );
    i.started = true;
    i.started_basis = "主体完工".into();
    i.completion_certificate_no = Some("竣备2024-1".into());
    i.photos[0].sha256 = "ab".repeat(32);
    assert!(i.validate().is_ok());

    let mut r = QuarterlyReport {
        id: "r".into(),
        subject: ReportSubject::Task,
        subject_id: "13".into(),
        year: 2024,
        quarter: 5,
        unit: "园区".into(),
        submitted_by: "u".into(),
        submitted_on: date(2024, 12, 31),
        text: "进展".into(),
        attachments: vec![],
    };
    assert_eq!(r.validate().unwrap_err().field_errors()[0].field, "quarter");
    r.quarter = 4;
    assert!(r.validate().is_ok());
    r.submitted_on = date(2024, 9, 30);
    assert_eq!(
        r.validate().unwrap_err().field_errors()[0].field,
        "submitted_on"
    );
}
