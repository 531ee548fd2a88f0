//! Golden and property tests of 增存挂钩 allocation.

use super::*;
use crate::rules::test_util::{d, xuchang};
use jiff::civil::date;
use proptest::prelude::*;

fn p() -> QuotaParams {
    QuotaParams::from_rules(&xuchang(date(2022, 1, 1))).unwrap()
}

fn county(
    code: &str,
    base: &str,
    du: &str,
    di: &str,
    task: &str,
    appr: &str,
    sup: &str,
) -> CountyStock {
    CountyStock {
        county: AdminCode::parse(code).unwrap(),
        base_mu: d(base),
        disposed_unsupplied_mu: d(du),
        disposed_idle_mu: d(di),
        task_mu: d(task),
        window_approved_m2: d(appr),
        window_supplied_m2: d(sup),
    }
}

/// Hand-computed (reward 0.5/0.5, penalty 1, threshold 60 %, 0.0001 亩):
/// - 411002: 100 + 0.5×120 + 0.5×20 − 1×0 = 170
/// - 411003: 100 + 0.5×30 − 1×(80 − 30) = 65
/// - 411024: 供地率 50 % < 60 % → key projects only, 0
/// - 411081: 50 − 1×100 = −50 → 0
///
/// Σ = 235. 1000 × 170/235 = 723.404255… → 723.4042 (+ remainder .0000553) ;
/// 1000 × 65/235 = 276.595744… → 276.5957 (remainder .0000447). One unit left → 411002:
/// 723.4043 + 276.5957 = 1000.
#[test]
fn golden_allocation_shows_its_arithmetic() {
    let cs = vec![
        county("411081", "50", "0", "0", "100", "0", "0"),
        county("411024", "100", "200", "0", "50", "100000", "50000"),
        county("411003", "100", "30", "0", "80", "100000", "60000"),
        county("411002", "100", "120", "20", "100", "100000", "70000"),
    ];
    let a = allocate_quota(d("1000"), &cs, &p()).unwrap();
    let got: Vec<(&str, Decimal, Decimal, bool)> = a
        .counties
        .iter()
        .map(|c| (c.county.as_str(), c.score, c.quota_mu, c.key_projects_only))
        .collect();
    assert_eq!(
        got,
        [
            ("411002", d("170"), d("723.4043"), false),
            ("411003", d("65"), d("276.5957"), false),
            ("411024", d("0"), d("0"), true),
            ("411081", d("0"), d("0"), false),
        ]
    );
    assert_eq!(a.score_sum, d("235"));
    assert_eq!(a.counties[0].remainder_units, 1);
    assert_eq!(a.counties[1].steps[3].label_zh, "未完成处置任务扣减 1 × 50");
    assert_eq!(a.counties[1].steps[3].points, d("-50"));
    assert_eq!(
        a.counties.iter().map(|c| c.quota_mu).sum::<Decimal>(),
        d("1000")
    );
    assert_eq!(a.unallocated_mu, d("0"));
}

#[test]
fn supply_rate_exactly_at_threshold_is_not_penalised() {
    let cs = vec![county("411002", "10", "0", "0", "0", "100000", "60000")];
    let a = allocate_quota(d("5"), &cs, &p()).unwrap();
    assert!(!a.counties[0].key_projects_only);
    assert_eq!(a.counties[0].quota_mu, d("5"));
}

#[test]
fn nothing_to_share_and_bad_totals() {
    let cs = vec![county("411002", "0", "0", "0", "10", "0", "0")];
    let a = allocate_quota(d("100"), &cs, &p()).unwrap();
    assert_eq!(a.unallocated_mu, d("100"));
    assert!(
        allocate_quota(d("1.00001"), &cs, &p()).is_err(),
        "finer than 0.0001 亩"
    );
    assert!(allocate_quota(d("-1"), &cs, &p()).is_err());
    assert!(allocate_quota(d("1"), &[cs[0].clone(), cs[0].clone()], &p()).is_err());
}

proptest! {
    #[test]
    fn quotas_sum_exactly_and_ignore_order(
        rows in prop::collection::vec((0u32..500, 0u32..300, 0u32..300, 0u32..400), 1..9),
        total in 0u64..10_000_000,
    ) {
        let codes = ["411002", "411003", "411023", "411024", "411025", "411071", "411081", "411082", "411100"];
        let cs: Vec<CountyStock> = rows.iter().enumerate().map(|(i, (b, u, idle, t))| {
            county(codes[i], &b.to_string(), &u.to_string(), &idle.to_string(), &t.to_string(), "0", "0")
        }).collect();
        let total = Decimal::new(total as i64, 4);
        let a = allocate_quota(total, &cs, &p()).unwrap();
        let sum: Decimal = a.counties.iter().map(|c| c.quota_mu).sum::<Decimal>() + a.unallocated_mu;
        prop_assert_eq!(sum, total);
        for c in &a.counties {
            prop_assert!(c.quota_mu >= Decimal::ZERO);
            prop_assert!((c.quota_mu - c.raw_mu).abs() < Decimal::new(1, 4) || a.score_sum.is_zero());
        }
        let mut rev = cs.clone();
        rev.reverse();
        prop_assert_eq!(allocate_quota(total, &rev, &p()).unwrap(), a);
    }
}
