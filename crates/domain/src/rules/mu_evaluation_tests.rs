//! Golden and property tests of 亩均效益评价.

use super::*;
use crate::rules::test_util::{d, uscc, xuchang};
use proptest::prelude::*;

fn input(i: u32, above: bool, vals: &[(&str, &str)]) -> MuInput {
    MuInput {
        uscc: uscc(i),
        above_scale: above,
        status: EvalStatus::Evaluated,
        values: vals.iter().map(|(k, v)| ((*k).to_owned(), d(v))).collect(),
        adjustment_codes: BTreeSet::new(),
        veto_codes: BTreeSet::new(),
    }
}

/// The hand-computed table (Huangyan weights, population-mean benchmarks, 4 dp).
///
/// 规上 (4 enterprises):
/// | 指标 (权重)      | E1   | E2   | E3   | E4   | 基准 (均值) | 分 = w·x/b            |
/// |------------------|------|------|------|------|-------------|-----------------------|
/// | 亩均税收 (30)    | 10   | 20   | 30   | 45   | 26.25       | 11.4286 22.8571 34.2857 51.4286 |
/// | 亩均增加值 (20)  | 50   | 100  | 150  | 100  | 100         | 10 20 30 20           |
/// | 单位能耗增加值(20)| 1    | 2    | 3    | 2    | 2           | 10 20 30 20           |
/// | 单位排放增加值(10)| 1000 | —    | 3000 | 2000 | 2000        | 5 (10 = avg of 5,15,10) 15 10 |
/// | 全员劳动生产率(10)| 10   | 20   | 30   | 40   | 25          | 4 8 12 16             |
/// | R&D占比 (10)     | 0.01 | 0.02 | 0.03 | 0.04 | 0.025       | 4 8 12 16             |
/// | 合计             |      |      |      |      |             | 44.4286 88.8571 133.2857 133.4286 |
///
/// 30 × 10 / 26.25 = 11.428571… → 11.4286; 30 × 45 / 26.25 = 51.428571… → 51.4286.
/// Ranks: E4 1, E3 2, E2 3, E1 4 of n = 4. Percentile 25/70/95 %: 1 ≤ 1 → A; 2 ≤ 2.8 → B;
/// 3 ≤ 3.8 → C; 4 > 3.8 → D.
///
/// 规下 (2 enterprises): 亩均税收 5, 15 (mean 10) → 25, 75; 单位电耗税收 0.1, 0.3 (mean 0.2)
/// → 25, 75; totals 50, 150. n = 2: rank 1 ≤ 1.4 → B; rank 2 > 1.9 → D.
fn golden_inputs() -> Vec<MuInput> {
    let row = |i, t, va, en, em: Option<&str>, lp, rd| {
        let mut v = vec![
            ("tax_per_mu", t),
            ("value_added_per_mu", va),
            ("va_per_energy", en),
            ("labour_productivity", lp),
            ("rd_ratio", rd),
        ];
        if let Some(e) = em {
            v.push(("va_per_emission", e));
        }
        input(i, true, &v)
    };
    vec![
        row(1, "10", "50", "1", Some("1000"), "10", "0.01"),
        row(2, "20", "100", "2", None, "20", "0.02"),
        row(3, "30", "150", "3", Some("3000"), "30", "0.03"),
        row(4, "45", "100", "2", Some("2000"), "40", "0.04"),
        input(11, false, &[("tax_per_mu", "5"), ("tax_per_kwh", "0.1")]),
        input(12, false, &[("tax_per_mu", "15"), ("tax_per_kwh", "0.3")]),
    ]
}

fn by_code(e: &MuEvaluation, i: u32) -> &MuScore {
    e.scores.iter().find(|s| s.uscc == uscc(i)).unwrap()
}

#[test]
fn huangyan_golden_table() {
    let cfg: MuEvalConfig = xuchang(jiff::civil::date(2022, 6, 1))
        .structured("mu_evaluation.config")
        .unwrap();
    assert_eq!(cfg, MuEvalConfig::huangyan_population_mean());
    let e = evaluate(&golden_inputs(), &cfg, "rv-test").unwrap();
    assert_eq!(e.benchmarks["above_scale.tax_per_mu"], d("26.25"));
    assert_eq!(e.benchmarks["above_scale.va_per_emission"], d("2000"));
    let expect = [
        (
            1,
            ["11.4286", "10", "10", "5", "4", "4"],
            "44.4286",
            4,
            MuClass::D,
        ),
        (
            2,
            ["22.8571", "20", "20", "10", "8", "8"],
            "88.8571",
            3,
            MuClass::C,
        ),
        (
            3,
            ["34.2857", "30", "30", "15", "12", "12"],
            "133.2857",
            2,
            MuClass::B,
        ),
        (
            4,
            ["51.4286", "20", "20", "10", "16", "16"],
            "133.4286",
            1,
            MuClass::A,
        ),
    ];
    for (i, parts, total, rank, class) in expect {
        let s = by_code(&e, i);
        let got: Vec<Decimal> = s.indicators.iter().map(|x| x.score).collect();
        let want: Vec<Decimal> = parts.iter().map(|p| d(p)).collect();
        assert_eq!(got, want, "E{i}");
        assert_eq!(s.total, d(total), "E{i}");
        assert_eq!(s.rank, Some(rank), "E{i}");
        assert_eq!(s.class, class, "E{i}");
    }
    assert!(
        by_code(&e, 2).indicators[3].imputed,
        "missing emissions → population average score"
    );
    let small = [(11, "50", MuClass::D), (12, "150", MuClass::B)];
    for (i, total, class) in small {
        assert_eq!(by_code(&e, i).total, d(total));
        assert_eq!(by_code(&e, i).class, class);
    }
    let order: Vec<_> = e.scores.iter().map(|s| s.uscc.clone()).collect();
    assert_eq!(
        order,
        [uscc(4), uscc(3), uscc(2), uscc(1), uscc(12), uscc(11)]
    );
}

#[test]
fn at_the_published_benchmarks_scores_one_hundred() {
    let cfg = MuEvalConfig::huangyan_2022();
    let at = input(
        1,
        true,
        &[
            ("tax_per_mu", "24.097"),
            ("value_added_per_mu", "136.16"),
            ("va_per_energy", "2.694"),
            ("va_per_emission", "4929.81"),
            ("labour_productivity", "18.14"),
            ("rd_ratio", "0.0302"),
        ],
    );
    let small = input(
        2,
        false,
        &[("tax_per_mu", "11.5932"), ("tax_per_kwh", "0.2352")],
    );
    let e = evaluate(&[at, small], &cfg, "v").unwrap();
    assert_eq!(by_code(&e, 1).total, d("100"));
    assert_eq!(by_code(&e, 2).total, d("100"));
}

#[test]
fn veto_bonus_exempt_cap_and_lower_direction() {
    let mut cfg = MuEvalConfig::huangyan_population_mean();
    cfg.adjustments.insert("high_tech".into(), d("5"));
    cfg.adjustments.insert("env_penalty".into(), d("-3"));
    cfg.below_scale[0].cap_multiple = Some(d("1.5"));
    let mut ins = vec![
        input(11, false, &[("tax_per_mu", "1"), ("tax_per_kwh", "0.2")]),
        input(12, false, &[("tax_per_mu", "19"), ("tax_per_kwh", "0.2")]),
        input(13, false, &[("tax_per_mu", "10"), ("tax_per_kwh", "0.2")]),
        input(14, false, &[("tax_per_mu", "10"), ("tax_per_kwh", "0.2")]),
    ];
    ins[0].adjustment_codes.insert("high_tech".into());
    ins[2].adjustment_codes.insert("env_penalty".into());
    ins[1].veto_codes.insert("major_safety_accident".into());
    ins[3].status = EvalStatus::Exempt;
    let e = evaluate(&ins, &cfg, "v").unwrap();
    // Population 11, 12, 13 (14 exempt): tax mean 10 → 5, 95 capped at 75, 50.
    assert_eq!(by_code(&e, 12).indicators[0].score, d("75"));
    assert_eq!(by_code(&e, 12).class, MuClass::D, "veto forces D");
    assert_eq!(by_code(&e, 12).rank, None);
    assert_eq!(by_code(&e, 11).total, d("60"), "5 + 50 + bonus 5");
    assert_eq!(by_code(&e, 13).total, d("97"), "50 + 50 − 3");
    assert_eq!(e.not_rated[uscc(14).as_str()], "免评");
    // Lower is better: w/2 × (2 − x/b), 0 from 2b.
    let mut low = cfg.below_scale[1].clone();
    low.direction = Direction::Lower;
    assert_eq!(points(&low, d("0.1"), d("0.2"), 4), d("37.5"));
    assert_eq!(points(&low, d("0.4"), d("0.2"), 4), d("0"));
    assert_eq!(points(&low, d("0.5"), d("0.2"), 4), d("0"));
}

#[test]
fn ties_share_a_rank_and_modes() {
    let cfg = MuEvalConfig {
        classes: ClassMode::Quota { a: 1, b: 1, c: 1 },
        ..MuEvalConfig::huangyan_population_mean()
    };
    let ins: Vec<_> = [("10", "0.2"), ("10", "0.2"), ("5", "0.2"), ("1", "0.2")]
        .iter()
        .enumerate()
        .map(|(i, (t, k))| {
            input(
                20 + i as u32,
                false,
                &[("tax_per_mu", t), ("tax_per_kwh", k)],
            )
        })
        .collect();
    let e = evaluate(&ins, &cfg, "v").unwrap();
    assert_eq!(by_code(&e, 20).rank, Some(1));
    assert_eq!(by_code(&e, 21).rank, Some(1));
    assert_eq!(by_code(&e, 20).class, MuClass::A);
    assert_eq!(
        by_code(&e, 21).class,
        MuClass::A,
        "a tie overfills A, never split by order"
    );
    assert_eq!(by_code(&e, 22).rank, Some(3));
    assert_eq!(by_code(&e, 22).class, MuClass::C);
    let t = ClassMode::Threshold {
        a: d("90"),
        b: d("70"),
        c: d("50"),
    };
    assert_eq!(classify(t, 9, 9, d("90")), MuClass::A);
    assert_eq!(classify(t, 9, 9, d("89.9999")), MuClass::B);
    assert_eq!(classify(t, 9, 9, d("49.9999")), MuClass::D);
    let dup = vec![ins[0].clone(), ins[0].clone()];
    assert!(evaluate(&dup, &cfg, "v").is_err());
}

fn population() -> impl Strategy<Value = Vec<MuInput>> {
    prop::collection::vec(
        (0u32..50, 0u32..50, prop::bool::ANY, prop::bool::ANY),
        1..14,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (t, k, above, em))| {
                let (t, k) = (t.to_string(), format!("0.{k:02}"));
                let mut v = vec![("tax_per_mu", t.as_str()), ("tax_per_kwh", k.as_str())];
                v.extend([("value_added_per_mu", t.as_str()), ("rd_ratio", k.as_str())]);
                if em {
                    v.push(("va_per_emission", t.as_str()));
                }
                input(100 + i as u32, above, &v)
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn order_never_changes_classes(ins in population().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))) {
        let cfg = MuEvalConfig::huangyan_population_mean();
        let (a, b) = ins;
        let ea = evaluate(&a, &cfg, "v").unwrap();
        let eb = evaluate(&b, &cfg, "v").unwrap();
        prop_assert_eq!(&ea, &eb);
        prop_assert_eq!(ea, evaluate(&a, &cfg, "v").unwrap(), "re-running is identical");
    }

    #[test]
    fn higher_total_never_gets_a_worse_class(ins in population()) {
        let e = evaluate(&ins, &MuEvalConfig::huangyan_population_mean(), "v").unwrap();
        for x in &e.scores {
            for y in e.scores.iter().filter(|y| y.above_scale == x.above_scale) {
                if x.total > y.total {
                    prop_assert!(x.class <= y.class);
                }
            }
        }
    }
}
