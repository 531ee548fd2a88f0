//! Golden tests of 闲置土地认定 from the wording of 53号令 第二条、第八条、第十四条.

use super::*;
use crate::rules::test_util::{d, parcel, xuchang};
use jiff::civil::date;

fn params() -> IdleParams {
    IdleParams::from_rules(&xuchang(date(2022, 1, 1))).unwrap()
}

fn not_started(agreed: Date) -> IdleFacts {
    IdleFacts {
        parcel_id: parcel(1),
        agreed_start: Some(agreed),
        actual_delivery: None,
        started: false,
        developed_land_area: None,
        required_land_area: None,
        invested: None,
        total_investment: None,
        suspended_since: None,
        land_price: Some(Yuan(d("12000000"))),
        gov_causes: vec![],
    }
}

fn suspended(dev: &str, req: &str, inv: &str, tot: &str, since: Date) -> IdleFacts {
    IdleFacts {
        started: true,
        developed_land_area: Some(AreaM2(d(dev))),
        required_land_area: Some(AreaM2(d(req))),
        invested: Some(Yuan(d(inv))),
        total_investment: Some(Yuan(d(tot))),
        suspended_since: Some(since),
        ..not_started(date(2019, 1, 1))
    }
}

fn user(o: IdleOutcome) -> IdleDetermination {
    match o {
        IdleOutcome::UserCaused(d) => d,
        other => panic!("expected user-caused, got {other:?}"),
    }
}

#[test]
fn a_exactly_one_year_is_idle_the_day_before_is_not() {
    let p = params();
    let f = not_started(date(2020, 3, 1));
    let before = assess_idle(&f, date(2021, 2, 28), &p).unwrap();
    assert_eq!(
        before,
        IdleOutcome::NotIdle {
            idle_from: Some(date(2021, 3, 1))
        }
    );
    let det = user(assess_idle(&f, date(2021, 3, 1), &p).unwrap());
    assert_eq!(det.kind, IdleKind::NotStarted);
    assert_eq!(det.stage, IdleStage::OneYear);
    assert_eq!(det.fee, Some(Yuan(d("2400000"))), "20 % of ¥12,000,000");
    assert_eq!(det.finding.rule_id, "IDLE-A-1Y");
    assert_eq!(det.finding.severity, Severity::Warning);
    assert_eq!(det.finding.rule_set_version, p.rule_set_version);
    assert!(
        !det.finding.requires_officer_confirmation,
        "limb A is mandatory"
    );
    assert_eq!(
        det.finding.reason_zh,
        "约定开工日期 2020-03-01 已满1年未动工，可征缴土地闲置费（价款的20%）（《闲置土地处置办法》第二条、第十四条）"
    );
    assert_eq!(det.finding.inputs["start_anchor"], "2020-03-01");
}

#[test]
fn a_two_years_reaches_recovery() {
    let p = params();
    let f = not_started(date(2020, 3, 1));
    assert_eq!(
        user(assess_idle(&f, date(2022, 2, 28), &p).unwrap()).stage,
        IdleStage::OneYear
    );
    let det = user(assess_idle(&f, date(2022, 3, 1), &p).unwrap());
    assert_eq!(det.stage, IdleStage::TwoYears);
    assert_eq!(det.finding.rule_id, "IDLE-A-2Y");
    assert_eq!(det.finding.severity, Severity::Serious);
    assert!(
        det.finding
            .reason_zh
            .contains("已满2年未动工，达到无偿收回条件")
    );
}

#[test]
fn a_leap_day_anchor_uses_month_end() {
    let p = params();
    let f = not_started(date(2020, 2, 29));
    assert!(matches!(
        assess_idle(&f, date(2021, 2, 27), &p).unwrap(),
        IdleOutcome::NotIdle { .. }
    ));
    assert_eq!(
        user(assess_idle(&f, date(2021, 2, 28), &p).unwrap()).idle_from,
        date(2021, 2, 28)
    );
}

#[test]
fn a_without_agreed_date_starts_one_year_after_delivery() {
    let p = params();
    let mut f = not_started(date(2000, 1, 1));
    f.agreed_start = None;
    f.actual_delivery = Some(date(2019, 5, 10));
    let o = assess_idle(&f, date(2021, 5, 9), &p).unwrap();
    assert_eq!(
        o,
        IdleOutcome::NotIdle {
            idle_from: Some(date(2021, 5, 10))
        }
    );
    let det = user(assess_idle(&f, date(2021, 5, 10), &p).unwrap());
    assert_eq!(det.anchor, date(2020, 5, 10));
    assert!(
        det.finding
            .reason_zh
            .starts_with("未约定动工日期，按实际交地日期 2019-05-10 后一年")
    );
    f.actual_delivery = None;
    assert!(matches!(
        assess_idle(&f, date(2021, 5, 10), &p).unwrap(),
        IdleOutcome::Undetermined { .. }
    ));
}

#[test]
fn b_exactly_one_third_and_exactly_25_percent_are_not_below() {
    let p = params();
    let t = date(2021, 6, 1);
    let s = date(2020, 6, 1);
    // 1000/3000 is exactly 1/3 and 250/1000 exactly 25 %: neither is "不足".
    let exact = suspended("1000", "3000", "250", "1000", s);
    assert_eq!(
        assess_idle(&exact, t, &p).unwrap(),
        IdleOutcome::NotIdle { idle_from: None }
    );
    // One hundredth of a m² less than 1/3 → below.
    let area = suspended("999.99", "3000", "250", "1000", s);
    let det = user(assess_idle(&area, t, &p).unwrap());
    assert_eq!(det.kind, IdleKind::Suspended);
    assert!(
        det.finding.requires_officer_confirmation,
        "limb B: 也可以认定"
    );
    assert_eq!(det.finding.rule_id, "IDLE-B-1Y");
    assert!(
        det.finding
            .reason_zh
            .contains("开发建设用地面积占比 33.33%（不足1/3）"),
        "{}",
        det.finding.reason_zh
    );
    // One fen less than 25 % → below.
    let inv = suspended("1000", "3000", "249.99", "1000", s);
    let det = user(assess_idle(&inv, t, &p).unwrap());
    assert!(
        det.finding
            .reason_zh
            .contains("已投资额占比 25.00%（不足25%）"),
        "{}",
        det.finding.reason_zh
    );
}

#[test]
fn b_suspension_must_last_one_full_year() {
    let p = params();
    let f = suspended("100", "3000", "10", "1000", date(2020, 6, 1));
    assert_eq!(
        assess_idle(&f, date(2021, 5, 31), &p).unwrap(),
        IdleOutcome::NotIdle { idle_from: None }
    );
    assert_eq!(
        user(assess_idle(&f, date(2021, 6, 1), &p).unwrap()).stage,
        IdleStage::OneYear
    );
    assert_eq!(
        user(assess_idle(&f, date(2022, 6, 1), &p).unwrap()).stage,
        IdleStage::TwoYears
    );
    let mut running = f.clone();
    running.suspended_since = None;
    assert_eq!(
        assess_idle(&running, date(2025, 1, 1), &p).unwrap(),
        IdleOutcome::NotIdle { idle_from: None }
    );
}

#[test]
fn b_missing_ratio_data_is_undetermined() {
    let p = params();
    let mut f = suspended("1000", "3000", "250", "1000", date(2020, 6, 1));
    f.invested = None;
    match assess_idle(&f, date(2021, 6, 1), &p).unwrap() {
        IdleOutcome::Undetermined { missing } => assert_eq!(missing, ["invested/total_investment"]),
        o => panic!("{o:?}"),
    }
    // One limb known below suffices.
    f.developed_land_area = Some(AreaM2(d("10")));
    assert!(matches!(
        assess_idle(&f, date(2021, 6, 1), &p).unwrap(),
        IdleOutcome::UserCaused(_)
    ));
}

#[test]
fn government_caused_is_its_own_outcome() {
    let p = params();
    let mut f = not_started(date(2020, 3, 1));
    f.gov_causes = vec![GovCause::LandNotDeliveredPerContract];
    match assess_idle(&f, date(2022, 3, 1), &p).unwrap() {
        IdleOutcome::GovernmentCaused(det) => {
            assert_eq!(det.fee, None, "no idle fee");
            assert_eq!(det.finding.rule_id, "IDLE-A-GOV");
            assert_eq!(det.finding.severity, Severity::Info);
            assert_eq!(det.finding.source.article, "第八条");
            assert_eq!(
                det.finding.reason_zh,
                "约定开工日期 2020-03-01 已满2年未动工，但系政府原因（未按约定期限、条件交地）造成，应协商处置，不征收闲置费、不无偿收回（《闲置土地处置办法》第八条）"
            );
        }
        o => panic!("{o:?}"),
    }
    // A government cause does not make a not-yet-idle parcel idle.
    assert!(matches!(
        assess_idle(&f, date(2020, 12, 1), &p).unwrap(),
        IdleOutcome::NotIdle { .. }
    ));
}
