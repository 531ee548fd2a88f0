//! Tests of the parcel draft checks: codes against the jurisdiction, the area flag, validity periods.

use super::*;
use geo_types::polygon;
use std::str::FromStr;

pub(crate) fn draft() -> ParcelDraft {
    ParcelDraft {
        code: Some("411002001001GB00001".into()),
        legacy_codes: vec!["许魏国用(2008)第0001号".into()],
        name: "测试地块".into(),
        address: Some("魏都区".into()),
        jurisdiction: "411002".into(),
        park_id: Some("weidu".into()),
        land_use: LandUse::industrial_class1(),
        status: ParcelLifecycle::Granted,
        geometry: MultiPolygon(vec![
            polygon![(x: 113.85, y: 34.03), (x: 113.851, y: 34.03), (x: 113.851, y: 34.031), (x: 113.85, y: 34.03)],
        ]),
        registered_area_m2: Some(Decimal::from(10_000)),
        enterprise: Some("914403001922038216".into()),
        planning: PlanningConditions::default(),
    }
}

#[test]
fn valid_draft_passes() {
    let v = draft().validate().unwrap();
    assert_eq!(v.code.unwrap().as_str(), "411002001001GB00001");
}

#[test]
fn all_problems_reported_together() {
    let mut d = draft();
    d.code = Some("411002001001GB0000".into());
    d.enterprise = Some("914403001922038217".into());
    d.name = " ".into();
    d.registered_area_m2 = Some(Decimal::ZERO);
    d.planning.far_min = Some(Decimal::from(3));
    d.planning.far_max = Some(Decimal::from(2));
    let e = d.validate().unwrap_err();
    let fields: Vec<_> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "code",
            "enterprise",
            "name",
            "registered_area_m2",
            "planning.far_min"
        ]
    );
}

#[test]
fn code_must_match_jurisdiction() {
    let mut d = draft();
    d.jurisdiction = "411082".into();
    let e = d.validate().unwrap_err();
    assert_eq!(e.field_errors()[0].field, "code");
}

#[test]
fn area_flag_at_half_percent() {
    let t = AreaCheck::default_tolerance();
    let reg = Some(AreaM2(Decimal::from(10_000)));
    let at = AreaCheck::compare(AreaM2(Decimal::from(10_050)), reg, t).unwrap();
    assert!(!at.exceeds, "exactly 0.5 % is not above the tolerance");
    let over = AreaCheck::compare(AreaM2(Decimal::from_str("10050.01").unwrap()), reg, t).unwrap();
    assert!(over.exceeds);
    let under = AreaCheck::compare(AreaM2(Decimal::from_str("9949.99").unwrap()), reg, t).unwrap();
    assert!(under.exceeds);
    assert!(AreaCheck::compare(AreaM2(Decimal::ONE), None, t).is_none());
}

#[test]
fn in_force_is_half_open() {
    let v = draft().validate().unwrap();
    let mut p = Parcel::from_draft(
        ParcelId(Uuid::nil()),
        1,
        v,
        AreaM2(Decimal::ONE),
        jiff::civil::date(2020, 1, 1),
        vec![],
    );
    p.valid_to = Some(jiff::civil::date(2021, 1, 1));
    assert!(!p.in_force_on(jiff::civil::date(2019, 12, 31)));
    assert!(p.in_force_on(jiff::civil::date(2020, 1, 1)));
    assert!(p.in_force_on(jiff::civil::date(2020, 12, 31)));
    assert!(!p.in_force_on(jiff::civil::date(2021, 1, 1)));
    assert_eq!(p.to_draft().validate().unwrap().draft.name, "测试地块");
}
