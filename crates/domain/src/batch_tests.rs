//! Validation of batch records.

use super::*;
use jiff::civil::date;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn pid(i: u128) -> ParcelId {
    ParcelId(uuid::Uuid::from_u128(i))
}

fn draft() -> BatchDraft {
    BatchDraft {
        id: " 豫政土〔2018〕101号 ".into(),
        name: "许昌市2018年度第5批次城市建设用地".into(),
        jurisdiction: "411002".into(),
        park_id: Some("weidu".into()),
        approved_on: date(2018, 6, 30),
        approved_area_m2: d("100000"),
        acquired_on: Some(date(2018, 12, 31)),
        source_doc: Some("河南省人民政府 豫政土〔2018〕101号".into()),
        parcels: vec![
            BatchParcel {
                parcel_id: Some(pid(1)),
                area_m2: AreaM2(d("60000")),
                supplied_on: None,
            },
            BatchParcel {
                parcel_id: None,
                area_m2: AreaM2(d("30000")),
                supplied_on: Some(date(2019, 1, 1)),
            },
        ],
        deductions: vec![BatchDeduction {
            kind: DisposalKind::ApprovalWithdrawn,
            area_m2: AreaM2(d("10000")),
            on: date(2021, 1, 1),
            reason: "部分撤回".into(),
        }],
    }
}

fn fields(e: DomainError) -> Vec<String> {
    e.field_errors().iter().map(|f| f.field.clone()).collect()
}

#[test]
fn a_valid_draft_is_trimmed_and_typed() {
    let r = draft().validate().unwrap();
    assert_eq!(r.id, "豫政土〔2018〕101号");
    assert_eq!(r.jurisdiction.as_str(), "411002");
    assert_eq!(r.parcel_ids().collect::<Vec<_>>(), vec![pid(1)]);
    let a = r.accounting();
    assert_eq!(a.unsupplied(date(2021, 1, 1)), d("60000"));
}

#[test]
fn exactly_the_approved_area_is_allowed_one_more_is_not() {
    // 60000 + 30000 + 10000 = 100000: exactly full.
    assert!(draft().validate().is_ok());
    let mut x = draft();
    x.parcels[1].area_m2 = AreaM2(d("30000.01"));
    assert_eq!(fields(x.validate().unwrap_err()), vec!["deductions"]);
    let mut x = draft();
    x.parcels[0].area_m2 = AreaM2(d("70000.01"));
    assert_eq!(fields(x.validate().unwrap_err()), vec!["parcels"]);
    // 纳入储备 does not use the approved area up.
    let mut x = draft();
    x.deductions[0].kind = DisposalKind::ReserveDesignated;
    x.parcels[1].area_m2 = AreaM2(d("40000"));
    assert!(x.validate().is_ok());
}

#[test]
fn every_bad_field_is_named() {
    let mut x = draft();
    x.id = "".into();
    x.jurisdiction = "99100".into();
    x.acquired_on = Some(date(2018, 6, 29));
    x.parcels.push(BatchParcel {
        parcel_id: Some(pid(1)),
        area_m2: AreaM2(d("0")),
        supplied_on: Some(date(2018, 1, 1)),
    });
    x.deductions[0].kind = DisposalKind::Supplied;
    x.deductions[0].reason = " ".into();
    let f = fields(x.validate().unwrap_err());
    for want in [
        "id",
        "jurisdiction",
        "acquired_on",
        "parcels[2].area_m2",
        "parcels[2].parcel_id",
        "parcels[2].supplied_on",
        "deductions[0].kind",
        "deductions[0].reason",
    ] {
        assert!(f.iter().any(|x| x == want), "{want} missing from {f:?}");
    }
}

#[test]
fn a_new_deduction_must_fit_the_remaining_area() {
    let mut x = draft();
    x.deductions.clear();
    let r = x.validate().unwrap();
    let mut ded = BatchDeduction {
        kind: DisposalKind::VerifiedNoSupplyNeeded,
        area_m2: AreaM2(d("10000")),
        on: date(2020, 1, 1),
        reason: "核实为道路".into(),
    };
    assert!(r.check_new_deduction(&ded).is_ok());
    ded.area_m2 = AreaM2(d("10000.5"));
    assert_eq!(
        fields(r.check_new_deduction(&ded).unwrap_err()),
        vec!["deduction.area_m2"]
    );
    ded.on = date(2018, 6, 29);
    assert!(fields(r.check_new_deduction(&ded).unwrap_err()).contains(&"deduction.on".to_owned()));
}
