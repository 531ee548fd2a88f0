//! Golden tests of 批而未供 accounting.

use super::*;
use crate::rules::test_util::{d, parcel, xuchang};
use jiff::civil::date;

fn p() -> UnsuppliedParams {
    UnsuppliedParams::from_rules(&xuchang(date(2022, 1, 1))).unwrap()
}

fn batch() -> ApprovalBatch {
    ApprovalBatch {
        id: "豫政土〔2018〕101号".into(),
        approved_on: date(2018, 6, 30),
        approved_area_m2: AreaM2(d("100000")),
        acquired_on: Some(date(2018, 12, 31)),
        parcels: vec![
            BatchParcel {
                parcel_id: Some(parcel(1)),
                area_m2: AreaM2(d("30000")),
                supplied_on: Some(date(2019, 5, 1)),
            },
            BatchParcel {
                parcel_id: Some(parcel(2)),
                area_m2: AreaM2(d("20000")),
                supplied_on: Some(date(2021, 7, 1)),
            },
            BatchParcel {
                parcel_id: None,
                area_m2: AreaM2(d("40000")),
                supplied_on: None,
            },
        ],
        deductions: vec![
            Deduction {
                kind: DisposalKind::ApprovalWithdrawn,
                area_m2: AreaM2(d("5000")),
                on: date(2021, 3, 1),
            },
            Deduction {
                kind: DisposalKind::ReserveDesignated,
                area_m2: AreaM2(d("5000")),
                on: date(2021, 4, 1),
            },
        ],
    }
}

#[test]
fn per_batch_accounting_and_flags() {
    let b = batch();
    let s = batch_status(&b, date(2021, 12, 30), &p());
    assert_eq!(s.supplied_m2, d("50000"));
    assert_eq!(
        s.deducted_m2,
        d("5000"),
        "reserve designation is not a deduction"
    );
    assert_eq!(s.unsupplied_m2, d("45000"));
    assert_eq!(s.supply_rate, d("0.5"));
    assert_eq!(s.age_bucket, "3-5");
    assert!(
        s.findings.is_empty(),
        "acquired 2018-12-31: 3 years not yet full"
    );
    let s = batch_status(&b, date(2021, 12, 31), &p());
    assert_eq!(s.findings.len(), 1);
    assert_eq!(s.findings[0].rule_id, "UNS-ACQ");
    assert!(
        s.findings[0]
            .reason_zh
            .contains("已满3年仍有 45000 平方米未供应"),
        "{}",
        s.findings[0].reason_zh
    );
}

#[test]
fn approved_two_years_without_acquisition() {
    let b = ApprovalBatch {
        acquired_on: None,
        parcels: vec![],
        deductions: vec![],
        ..batch()
    };
    assert!(
        batch_status(&b, date(2020, 6, 29), &p())
            .findings
            .is_empty()
    );
    let s = batch_status(&b, date(2020, 6, 30), &p());
    assert_eq!(s.findings[0].rule_id, "UNS-NOACQ");
    assert_eq!(s.age_bucket, "2-3");
}

#[test]
fn age_buckets_on_anniversaries() {
    let a = date(2020, 2, 29);
    let b = [2, 3, 5];
    assert_eq!(age_bucket(a, date(2022, 2, 27), &b), "<2");
    assert_eq!(age_bucket(a, date(2022, 2, 28), &b), "2-3");
    assert_eq!(age_bucket(a, date(2025, 2, 28), &b), ">=5");
}

#[test]
fn window_rate_exact_threshold() {
    let mut b = batch();
    b.parcels[1].supplied_on = Some(date(2019, 1, 1));
    let w = WindowRate::compute(std::slice::from_ref(&b), 2016, 2018, date(2021, 1, 1));
    assert_eq!(w.rate(), Some(d("0.5")));
    assert!(!w.below(d("0.50")), "exactly 50 % is not below 50 %");
    assert!(w.below(d("0.60")));
    let none = WindowRate::compute(&[b], 2019, 2021, date(2021, 1, 1));
    assert_eq!(none.rate(), None);
    assert!(!none.below(d("0.6")), "no approvals: nothing to judge");
}

#[test]
fn disposal_counts_configured_kinds() {
    let b = batch();
    let kinds = p().kinds_counted;
    let r = DisposalRate::compute(
        std::slice::from_ref(&b),
        date(2020, 12, 31),
        date(2021, 12, 31),
        &kinds,
    );
    // Stock on 2020-12-31: 100000 − 30000 = 70000; disposed in 2021: 20000 supplied + 5000 withdrawn.
    assert_eq!(r.stock_m2, d("70000"));
    assert_eq!(r.disposed_m2, d("25000"));
    assert_eq!(r.rate(), Some(d("0.3571")));
    let mut with_reserve = kinds.clone();
    with_reserve.push(DisposalKind::ReserveDesignated);
    let r2 = DisposalRate::compute(&[b], date(2020, 12, 31), date(2021, 12, 31), &with_reserve);
    assert_eq!(r2.disposed_m2, d("30000"));
    assert!(DisposalKind::parse("bogus").is_err());
}
