//! Golden tests of LE-1 … LE-9, both sides of each threshold, and the exclusions.

use super::*;
use crate::rules::test_util::{d, parcel, xuchang};

fn p() -> LowEffParams {
    LowEffParams::from_rules(&xuchang(date(2023, 1, 1))).unwrap()
}

fn run(f: &LowEffFacts, t: Date) -> Vec<String> {
    let a = assess_low_efficiency(&Subject::Parcel(parcel(7)), f, t, &p());
    a.findings.into_iter().map(|f| f.rule_id).collect()
}

fn base() -> LowEffFacts {
    LowEffFacts {
        evaluation_year: 2022,
        registered_on: Some(date(2010, 1, 1)),
        ..Default::default()
    }
}

#[test]
fn le1_overdue_completion_exactly_two_years() {
    let f = LowEffFacts {
        agreed_completion: Some(date(2019, 6, 30)),
        completion_delay_own_fault: true,
        ..base()
    };
    assert!(run(&f, date(2021, 6, 29)).is_empty());
    assert_eq!(run(&f, date(2021, 6, 30)), ["LE-1"]);
    let not_own = LowEffFacts {
        completion_delay_own_fault: false,
        ..f.clone()
    };
    assert!(
        run(&not_own, date(2022, 1, 1)).is_empty(),
        "not the enterprise's fault"
    );
    let done = LowEffFacts {
        completed_on: Some(date(2021, 1, 1)),
        ..f
    };
    assert!(!run(&done, date(2022, 1, 1)).contains(&"LE-1".to_owned()));
}

#[test]
fn le2_le3_exactly_half_does_not_fire() {
    let f = LowEffFacts {
        completed_on: Some(date(2020, 3, 1)),
        investment_intensity_wan: Some(d("150")),
        contract_investment_intensity_wan: Some(d("300")),
        output_per_mu_wan: Some(d("199.99")),
        control_output_per_mu_wan: Some(d("400")),
        ..base()
    };
    assert!(run(&f, date(2022, 2, 28)).is_empty(), "completed < 2 years");
    assert_eq!(
        run(&f, date(2022, 3, 1)),
        ["LE-3"],
        "150 = 0.5 × 300 is not below"
    );
    let low = LowEffFacts {
        investment_intensity_wan: Some(d("149.99")),
        ..f
    };
    assert_eq!(run(&low, date(2022, 3, 1)), ["LE-2", "LE-3"]);
}

#[test]
fn le4_two_consecutive_years_against_max_of_floor_and_park_half() {
    let mut f = base();
    f.tax_per_mu_wan = [(2021, d("4.99")), (2022, d("2.99"))].into();
    f.park_avg_tax_per_mu_wan = [(2021, d("10")), (2022, d("4"))].into();
    // 2021: max(3, 5) = 5 > 4.99; 2022: max(3, 2) = 3 > 2.99 → fires.
    let a = assess_low_efficiency(&Subject::Parcel(parcel(7)), &f, date(2023, 3, 1), &p());
    assert_eq!(a.findings[0].rule_id, "LE-4");
    assert_eq!(a.findings[0].inputs["threshold_wan.2021"], "5.0");
    assert!(
        a.findings[0]
            .reason_zh
            .starts_with("亩均税收连续2年低于标准：2021年 4.99（标准 5.0），2022年 2.99（标准 3）"),
        "{}",
        a.findings[0].reason_zh
    );
    f.tax_per_mu_wan.insert(2021, d("5"));
    assert!(
        run(&f, date(2023, 3, 1)).is_empty(),
        "exactly at the threshold in one year breaks the run"
    );
    f.tax_per_mu_wan.remove(&2021);
    assert!(
        run(&f, date(2023, 3, 1)).is_empty(),
        "a missing year cannot count"
    );
}

#[test]
fn grace_window_suppresses_mu_rules_only() {
    let mut f = base();
    f.tax_per_mu_wan = [(2021, d("1")), (2022, d("1"))].into();
    f.mu_class = [(2022, MuClass::D)].into();
    f.stopped_since = Some(date(2021, 1, 1));
    assert_eq!(run(&f, date(2023, 1, 1)), ["LE-4", "LE-6", "LE-8"]);
    // Registered 2020-01-01: 3 years reached on 2023-01-01, after 31 Dec 2022 → 暂评.
    f.registered_on = Some(date(2020, 1, 1));
    let a = assess_low_efficiency(&Subject::Parcel(parcel(7)), &f, date(2023, 1, 1), &p());
    assert!(a.provisional);
    assert_eq!(
        a.findings
            .iter()
            .map(|x| x.rule_id.as_str())
            .collect::<Vec<_>>(),
        ["LE-6"]
    );
    // Registered 2019-12-31: 3 years reached on 2022-12-31 → rated.
    f.registered_on = Some(date(2019, 12, 31));
    assert_eq!(run(&f, date(2023, 1, 1)), ["LE-4", "LE-6", "LE-8"]);
    assert_eq!(grace_ends(date(2020, 2, 29), &p()), Some(date(2023, 2, 28)));
}

#[test]
fn le5_to_le9() {
    let mut f = base();
    f.far = Some(d("0.8"));
    f.building_coverage = Some(d("0.30"));
    assert!(
        run(&f, date(2023, 1, 1)).is_empty(),
        "not completed: LE-5 not applied"
    );
    f.completed_on = Some(date(2015, 1, 1));
    assert!(
        run(&f, date(2023, 1, 1)).is_empty(),
        "exactly at both floors"
    );
    f.building_coverage = Some(d("0.2999"));
    assert_eq!(run(&f, date(2023, 1, 1)), ["LE-5"]);
    f.building_coverage = None;
    f.far_floor = Some(d("1.0"));
    assert_eq!(
        run(&f, date(2023, 1, 1)),
        ["LE-5"],
        "industry floor 1.0 beats the 0.8 fallback"
    );
    let mut g = base();
    g.stopped_since = Some(date(2022, 1, 1));
    assert!(run(&g, date(2022, 12, 31)).is_empty());
    assert_eq!(run(&g, date(2023, 1, 1)), ["LE-6"]);
    g.stopped_since = None;
    g.eliminated_industry = true;
    g.mu_class = [(2021, MuClass::C), (2022, MuClass::C)].into();
    g.designated_by = Some("魏政〔2022〕8号".into());
    assert_eq!(run(&g, date(2023, 1, 1)), ["LE-7", "LE-8", "LE-9"]);
    g.mu_class.insert(2021, MuClass::B);
    assert_eq!(
        run(&g, date(2023, 1, 1)),
        ["LE-7", "LE-9"],
        "C once is not enough"
    );
}

#[test]
fn exclusions() {
    let mut f = base();
    f.eliminated_industry = true;
    f.determined_idle = true;
    let a = assess_low_efficiency(&Subject::Parcel(parcel(7)), &f, date(2023, 1, 1), &p());
    assert_eq!(a.excluded, Some(Exclusion::DeterminedIdle));
    assert!(a.findings.is_empty());
    f.determined_idle = false;
    f.public_utility = true;
    assert!(run(&f, date(2023, 1, 1)).is_empty());
    f.public_utility = false;
    f.under_disposal_plan = true;
    assert!(run(&f, date(2023, 1, 1)).is_empty());
}
