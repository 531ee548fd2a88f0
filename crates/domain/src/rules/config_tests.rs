//! Tests of rule-parameter resolution and versioning.

use super::*;
use crate::rules::XUCHANG_FROM;
use crate::rules::test_util::{d, weidu};
use jiff::civil::date;
use proptest::prelude::*;

fn param(key: &str, v: &str, scope: &str, from: Date) -> RuleParam {
    RuleParam {
        key: key.into(),
        value: ParamValue::Number(d(v)),
        jurisdiction_code: Scope::try_from(scope.to_owned()).unwrap(),
        effective_from: from,
        effective_to: None,
        source_doc: "测试文件".into(),
        source_article: "第一条".into(),
        confidence: Confidence::ProposedDefault,
    }
}

#[test]
fn xuchang_default_is_valid_and_complete() {
    let set = RuleSet::xuchang_default();
    assert!(RuleSet::new(&set.name, set.params().to_vec()).is_ok());
    let r = set.resolve(&weidu(), date(2021, 1, 1));
    assert_eq!(r.int("idle_land.no_start_years").unwrap(), 1);
    assert_eq!(
        r.ratio("idle_land.developed_area_ratio_lt")
            .unwrap()
            .label(),
        "1/3"
    );
    assert_eq!(
        r.ratio("idle_land.invested_ratio_lt").unwrap().label(),
        "25%"
    );
    assert_eq!(
        r.get("idle_land.no_start_years").unwrap().confidence,
        Confidence::Verified
    );
    assert_eq!(
        r.get("quota.penalty_ratio").unwrap().confidence,
        Confidence::ProposedDefault
    );
    assert!(
        set.resolve(&weidu(), date(2020, 12, 31)).params.is_empty(),
        "not yet in force"
    );
    let other = Locus {
        county: AdminCode::parse("410102").unwrap(),
        park: None,
    };
    assert!(
        set.resolve(&other, date(2022, 1, 1)).params.is_empty(),
        "郑州 is not covered"
    );
    let j = serde_json::to_string(set.params().first().unwrap()).unwrap();
    assert!(j.contains(r#""jurisdiction_code":"411000""#), "{j}");
    assert!(
        j.contains(r#""confidence":"VERIFIED""#)
            || j.contains("RECALLED")
            || j.contains("PROPOSED_DEFAULT"),
        "{j}"
    );
}

#[test]
fn most_specific_jurisdiction_wins() {
    let key = "low_efficiency.tax_per_mu_floor_wan";
    let set = RuleSet::xuchang_default()
        .amend(param(key, "2", "410000", date(2021, 1, 1)))
        .unwrap()
        .amend(param(key, "4", "411002", date(2021, 6, 1)))
        .unwrap()
        .amend(param(key, "5", "park:weidu", date(2022, 1, 1)))
        .unwrap();
    let at = |dt| set.resolve(&weidu(), dt).number(key).unwrap();
    assert_eq!(at(date(2021, 5, 31)), d("3"), "city beats province");
    assert_eq!(at(date(2021, 6, 1)), d("4"), "county from its date");
    assert_eq!(at(date(2022, 1, 1)), d("5"), "park from its date");
    let no_park = Locus {
        park: None,
        ..weidu()
    };
    assert_eq!(
        set.resolve(&no_park, date(2022, 1, 1)).number(key).unwrap(),
        d("4")
    );
}

#[test]
fn amendment_closes_the_old_version_and_rejects_overlaps() {
    let key = "idle_land.fee_rate";
    let set = RuleSet::xuchang_default();
    let amended = set
        .amend(param(key, "0.15", "411000", date(2023, 1, 1)))
        .unwrap();
    let old = amended
        .params()
        .iter()
        .find(|p| p.key == key && p.effective_from == XUCHANG_FROM)
        .unwrap();
    assert_eq!(old.effective_to, Some(date(2023, 1, 1)));
    assert!(
        amended
            .amend(param(key, "0.1", "411000", date(2023, 1, 1)))
            .is_err()
    );
    let mut dup = set.params().to_vec();
    dup.push(param(key, "0.1", "411000", date(2022, 1, 1)));
    assert!(
        RuleSet::new("x", dup).is_err(),
        "two versions in force on one day"
    );
    assert_ne!(set.version_id(), amended.version_id());
    // An amendment dated before a later version ends where that one starts.
    let back = amended
        .amend(param(key, "0.18", "411000", date(2022, 1, 1)))
        .unwrap();
    let mid = back
        .params()
        .iter()
        .find(|p| p.key == key && p.effective_from == date(2022, 1, 1))
        .unwrap();
    assert_eq!(mid.effective_to, Some(date(2023, 1, 1)));
}

#[test]
fn typed_accessors_report_the_key() {
    let r = RuleSet::xuchang_default().resolve(&weidu(), date(2022, 1, 1));
    let e = r.number("nope").unwrap_err();
    assert_eq!(e.field_errors()[0].field, "nope");
    assert!(
        r.int("idle_land.fee_rate").is_err(),
        "0.20 is not a whole number"
    );
    assert!(r.date("idle_land.fee_rate").is_err());
    assert_eq!(
        r.date("park_targets.le_disposal_deadline").unwrap(),
        date(2021, 12, 31)
    );
    assert_eq!(
        r.list("unsupplied.age_buckets_years").unwrap(),
        ["2", "3", "5"]
    );
}

#[test]
fn exact_ratio_boundaries() {
    let third = ExactRatio::new(d("1"), d("3"));
    assert!(!third.part_is_below(d("1000"), d("3000")));
    assert!(third.part_is_below(d("999.999999"), d("3000")));
    assert!(
        !third.part_is_below(d("1"), d("0")),
        "undefined ratio is not below"
    );
    assert_eq!(ExactRatio::new(d("0.6"), d("1")).label(), "60%");
}

proptest! {
    /// Changing a rule from a date never changes what earlier dates resolve to — values and
    /// version id alike.
    #[test]
    fn amendments_never_change_the_past(
        from_days in 0i32..3000,
        probe_days in 0i32..3000,
        v in 0i64..10_000,
        scope in prop::sample::select(vec!["411000", "411002", "park:weidu", "410000"]),
        key in prop::sample::select(vec!["idle_land.fee_rate", "low_efficiency.consecutive_years", "new.key"]),
    ) {
        let set = RuleSet::xuchang_default();
        let from = XUCHANG_FROM.checked_add(jiff::Span::new().days(from_days)).unwrap();
        let probe = date(2020, 6, 1).checked_add(jiff::Span::new().days(probe_days)).unwrap();
        let mut p = param(key, "0", scope, from);
        p.value = ParamValue::Number(Decimal::new(v, 2));
        let Ok(amended) = set.amend(p) else { return Ok(()) };
        if probe < from {
            let (a, b) = (set.resolve(&weidu(), probe), amended.resolve(&weidu(), probe));
            prop_assert_eq!(&a.version, &b.version);
            let values = |r: &ResolvedRules| -> Vec<(String, ParamValue, Scope, Date)> {
                r.params.values().map(|p| (p.key.clone(), p.value.clone(), p.jurisdiction_code.clone(), p.effective_from)).collect()
            };
            prop_assert!(values(&a) == values(&b), "values differ on {}", probe);
        } else if scope != "410000" || key == "new.key" {
            // Province values lose to the city's own, so only the others must show.
            prop_assert_eq!(amended.resolve(&weidu(), probe).number(key).unwrap(), Decimal::new(v, 2));
        }
    }
}
