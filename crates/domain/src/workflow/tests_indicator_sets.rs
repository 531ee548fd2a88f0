//! Publishing indicator sets (§4.2 catalogue and limits), the set in force on a day, penalty
//! payments and the quarterly reports a land user owes.

use super::indicator_sets::{MAX_OPTIONAL, default_set, in_force};
use super::penalty::{Payment, PenaltyStatement};
use super::reports::{quarter_end, quarters_owed};
use super::standard_land::{CheckStage, Direction, IndicatorSlot, SetOrigin, check};
use crate::error::DomainError;
use crate::park::ParkId;
use crate::units::Yuan;
use jiff::civil::date;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

fn weidu() -> ParkId {
    ParkId::parse("weidu").unwrap()
}

fn fields(e: DomainError) -> Vec<String> {
    e.field_errors().iter().map(|f| f.field.clone()).collect()
}

#[test]
fn the_default_set_is_publishable_and_a_check_says_where_its_set_came_from() {
    let mut s = default_set(weidu(), "装备制造", Decimal::from(15), date(2021, 1, 1));
    s.validate_for_publication().unwrap();
    let r = check(&s, CheckStage::Admission, &BTreeMap::new());
    assert_eq!((r.set_origin, r.set_id.clone()), (SetOrigin::Default, None));
    s.id = Some("IS-weidu-0001".into());
    let r = check(&s, CheckStage::Admission, &BTreeMap::new());
    assert_eq!(r.set_origin, SetOrigin::Stored);
    assert_eq!(r.set_id.as_deref(), Some("IS-weidu-0001"));
}

#[test]
fn a_bad_set_is_refused_with_each_field_named() {
    let base = default_set(weidu(), "装备制造", Decimal::from(15), date(2021, 1, 1));
    // A core indicator missing.
    let mut s = base.clone();
    s.indicators.retain(|i| i.code != "far_min");
    assert!(format!("{:?}", s.validate_for_publication().unwrap_err()).contains("far_min"));
    // 投资强度 in the wrong unit, 行政办公比例 as a floor, 建筑系数 as a percentage.
    let mut s = base.clone();
    s.indicators[0].unit = "万元/公顷".into();
    s.indicators[4].direction = Direction::AtLeast;
    s.indicators[3].target = Decimal::from(30);
    let f = fields(s.validate_for_publication().unwrap_err());
    for want in [
        "indicators[0].unit",
        "indicators[4].direction",
        "indicators[3].target",
    ] {
        assert!(f.iter().any(|x| x == want), "{want} in {f:?}");
    }
    // An optional code outside §4.2, and a core one not checked at admission.
    let mut s = base.clone();
    s.indicators[3].code = "made_up".into();
    s.indicators[1].stages = vec![CheckStage::Completion];
    let f = fields(s.validate_for_publication().unwrap_err());
    assert!(f.iter().any(|x| x == "indicators[3].code"), "{f:?}");
    assert!(f.iter().any(|x| x == "indicators[1].stages"), "{f:?}");
    // More optional indicators than §4.2 lists.
    let mut s = base.clone();
    let extra = s.indicators[3].clone();
    for n in 0..MAX_OPTIONAL {
        let mut e = extra.clone();
        e.code = format!("x{n}");
        s.indicators.push(e);
    }
    assert!(
        fields(s.validate_for_publication().unwrap_err())
            .iter()
            .any(|x| x == "indicators")
    );
    // Two "+1" indicators; a blank version.
    let mut s = base;
    let mut plus = s.indicators[5].clone();
    plus.code = "negative_list".into();
    s.indicators.push(plus);
    s.version = " ".into();
    let f = fields(s.validate_for_publication().unwrap_err());
    assert!(f.iter().any(|x| x == "version"), "{f:?}");
    assert!(
        s.indicators
            .iter()
            .filter(|i| i.slot == IndicatorSlot::Plus1)
            .count()
            == 2
            && f.iter().any(|x| x == "indicators")
    );
}

#[test]
fn the_set_in_force_is_the_latest_effective_by_the_day() {
    let mut a = default_set(weidu(), "装备制造", Decimal::from(15), date(2021, 1, 1));
    a.version = "2021".into();
    let mut b = a.clone();
    b.version = "2023".into();
    b.effective_from = date(2023, 1, 1);
    let mut other = a.clone();
    other.industry = "食品".into();
    other.effective_from = date(2022, 1, 1);
    let sets = [a, b, other];
    let on = |d| in_force(&sets, &weidu(), "装备制造", d).map(|s| s.version.clone());
    assert_eq!(on(date(2020, 12, 31)), None);
    assert_eq!(on(date(2022, 6, 1)).as_deref(), Some("2021"));
    assert_eq!(on(date(2023, 1, 1)).as_deref(), Some("2023"));
    let yuzhou = ParkId::parse("yuzhou").unwrap();
    assert!(in_force(&sets, &yuzhou, "装备制造", date(2024, 1, 1)).is_none());
}

#[test]
fn payments_settle_a_statement_and_bad_ones_are_refused() {
    let mut s = PenaltyStatement::new("C1", vec![]);
    s.total = Yuan(Decimal::new(58943778, 2));
    let pay = |amount: i64, on| Payment {
        amount: Yuan(Decimal::new(amount, 2)),
        paid_on: on,
        receipt: "缴〔2022〕1号".into(),
        recorded_by: "weidu".into(),
    };
    assert_eq!(
        fields(
            s.record_payment(pay(60000000, date(2022, 5, 1)))
                .unwrap_err()
        ),
        ["amount"]
    );
    assert_eq!(
        s.record_payment(pay(30000000, date(2022, 5, 1))).unwrap(),
        "partially_paid"
    );
    assert!(!s.is_paid());
    assert_eq!(
        fields(s.record_payment(pay(1, date(2022, 4, 1))).unwrap_err()),
        ["paid_on"]
    );
    let mut no_receipt = pay(28943778, date(2022, 6, 1));
    no_receipt.receipt = String::new();
    assert_eq!(
        fields(s.record_payment(no_receipt).unwrap_err()),
        ["receipt"]
    );
    assert_eq!(
        s.record_payment(pay(28943778, date(2022, 6, 1))).unwrap(),
        "paid"
    );
    assert!(s.is_paid());
    assert!(s.record_payment(pay(1, date(2022, 7, 1))).is_err());
}

#[test]
fn quarterly_reports_are_owed_from_signing_to_term_end_less_those_filed() {
    assert_eq!(quarter_end(2021, 1), Some(date(2021, 3, 31)));
    assert_eq!(quarter_end(2021, 4), Some(date(2021, 12, 31)));
    let filed = BTreeSet::from([(2021, 4)]);
    let owed = quarters_owed(date(2021, 7, 1), date(2022, 2, 1), &filed);
    assert_eq!(
        owed,
        vec![(2021, 3, date(2021, 9, 30)), (2022, 1, date(2022, 3, 31))]
    );
}
