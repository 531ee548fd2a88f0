//! The evaluation as first written (one BTreeMap look-up per use, Decimal classification per
//! enterprise), kept as the reference the optimised [`super::evaluate`] must match bit for bit
//! on large random populations.

use super::*;
use crate::rules::test_util::uscc;
use proptest::prelude::*;

/// Scores and classes the enterprises. 规上 and 规下 are separate populations; 免评/暂评 and
/// enterprises missing an `Exclude` indicator are listed in `not_rated`.
fn evaluate_reference(
    inputs: &[MuInput],
    cfg: &MuEvalConfig,
    rule_set_version: &str,
) -> DomainResult<MuEvaluation> {
    let mut sorted: Vec<&MuInput> = inputs.iter().collect();
    sorted.sort_by(|a, b| a.uscc.as_str().cmp(b.uscc.as_str()));
    if let Some(w) = sorted.windows(2).find(|w| w[0].uscc == w[1].uscc) {
        return Err(DomainError::field(
            "uscc",
            Some(w[0].uscc.as_str()),
            "enterprise listed twice",
            "企业重复",
        ));
    }
    let mut out = MuEvaluation {
        rule_set_version: rule_set_version.to_owned(),
        benchmarks: BTreeMap::new(),
        scores: Vec::new(),
        not_rated: BTreeMap::new(),
    };
    for above in [true, false] {
        let (label, scheme) = if above {
            ("above_scale", &cfg.above_scale)
        } else {
            ("below_scale", &cfg.below_scale)
        };
        let mut pop = Vec::new();
        for e in sorted.iter().filter(|e| e.above_scale == above) {
            let reason = match e.status {
                EvalStatus::Exempt => Some("免评".to_owned()),
                EvalStatus::Provisional => Some("暂评".to_owned()),
                EvalStatus::Evaluated => scheme
                    .iter()
                    .find(|i| {
                        i.missing == MissingPolicy::Exclude && !e.values.contains_key(&i.code)
                    })
                    .map(|i| format!("缺少{}", i.name_zh)),
            };
            match reason {
                Some(r) => {
                    out.not_rated.insert(e.uscc.as_str().to_owned(), r);
                }
                None => pop.push(*e),
            }
        }
        let mut table: Vec<Vec<IndicatorScore>> = vec![Vec::new(); pop.len()];
        for i in scheme {
            let present: Vec<Decimal> = pop
                .iter()
                .filter_map(|e| e.values.get(&i.code).copied())
                .collect();
            let b = match i.benchmark {
                Benchmark::Fixed(v) => v,
                Benchmark::PopulationMean if present.is_empty() => Decimal::ZERO,
                Benchmark::PopulationMean => {
                    present.iter().copied().sum::<Decimal>() / Decimal::from(present.len())
                }
                Benchmark::PopulationMax => present.iter().copied().max().unwrap_or_default(),
            };
            out.benchmarks.insert(format!("{label}.{}", i.code), b);
            let scored: Vec<Option<Decimal>> = pop
                .iter()
                .map(|e| {
                    e.values
                        .get(&i.code)
                        .map(|x| points(i, *x, b, cfg.score_dp))
                })
                .collect();
            let known: Vec<Decimal> = scored.iter().flatten().copied().collect();
            let avg = if known.is_empty() {
                Decimal::ZERO
            } else {
                round(
                    known.iter().copied().sum::<Decimal>() / Decimal::from(known.len()),
                    cfg.score_dp,
                )
            };
            for (k, e) in pop.iter().enumerate() {
                let (score, imputed) = match scored[k] {
                    Some(s) => (s, false),
                    None if i.missing == MissingPolicy::PopulationAvgScore => (avg, true),
                    None => (Decimal::ZERO, false),
                };
                table[k].push(IndicatorScore {
                    code: i.code.clone(),
                    value: e.values.get(&i.code).copied(),
                    benchmark: b,
                    score,
                    imputed,
                });
            }
        }
        let mut scores: Vec<MuScore> = pop
            .iter()
            .zip(table)
            .map(|(e, indicators)| {
                let base: Decimal = indicators.iter().map(|s| s.score).sum();
                let adjustments: BTreeMap<String, Decimal> = e
                    .adjustment_codes
                    .iter()
                    .filter_map(|c| cfg.adjustments.get(c).map(|p| (c.clone(), *p)))
                    .collect();
                let total = base + adjustments.values().copied().sum::<Decimal>();
                let vetoed_by: Vec<String> = e
                    .veto_codes
                    .intersection(&cfg.veto_codes)
                    .cloned()
                    .collect();
                MuScore {
                    uscc: e.uscc.clone(),
                    above_scale: above,
                    indicators,
                    base,
                    adjustments,
                    total,
                    rank: None,
                    class: MuClass::D,
                    vetoed_by,
                }
            })
            .collect();
        // Totals in descending order: the number strictly above a total is found by binary
        // search, so ranking stays O(n log n) for a whole city's population.
        let mut ranked: Vec<Decimal> = scores
            .iter()
            .filter(|s| s.vetoed_by.is_empty())
            .map(|s| s.total)
            .collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        let n = ranked.len();
        for s in scores.iter_mut().filter(|s| s.vetoed_by.is_empty()) {
            let higher = ranked.partition_point(|t| *t > s.total);
            let rank = u32::try_from(higher + 1).unwrap_or(u32::MAX);
            s.rank = Some(rank);
            s.class = classify(cfg.classes, rank, n, s.total);
        }
        scores.sort_by(|a, b| {
            (a.rank.is_none(), a.rank, a.uscc.as_str()).cmp(&(
                b.rank.is_none(),
                b.rank,
                b.uscc.as_str(),
            ))
        });
        out.scores.extend(scores);
    }
    Ok(out)
}

/// A deterministic pseudo-random population (xorshift): both populations, every status,
/// missing values, small value ranges (many ties), bonus, deduction and veto codes.
fn random_population(n: u32, seed: u64) -> Vec<MuInput> {
    let mut s = seed.max(1);
    let mut next = move |m: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % m
    };
    let codes = [
        "tax_per_mu",
        "value_added_per_mu",
        "va_per_energy",
        "va_per_emission",
        "labour_productivity",
        "rd_ratio",
        "tax_per_kwh",
    ];
    (0..n)
        .map(|i| {
            let mut values = BTreeMap::new();
            for c in codes {
                if next(10) < 8 {
                    // Values 0.00 … 49.99 with up to 2, sometimes 5, decimals.
                    let scale = if next(4) == 0 { 5 } else { 2 };
                    let v = Decimal::new(next(5000) as i64 * 10i64.pow(scale - 2), scale);
                    values.insert(c.to_owned(), v);
                }
            }
            let pick = |k: u64, names: &[&str]| -> BTreeSet<String> {
                names
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (k >> j) & 1 == 1)
                    .map(|(_, x)| (*x).to_owned())
                    .collect()
            };
            let adj = next(16);
            let veto = if next(40) == 0 { next(4) } else { 0 };
            MuInput {
                uscc: uscc(i),
                above_scale: next(5) < 2,
                status: match next(30) {
                    0 => EvalStatus::Exempt,
                    1 => EvalStatus::Provisional,
                    _ => EvalStatus::Evaluated,
                },
                values,
                adjustment_codes: pick(adj, &["bonus", "deduction", "unknown", "bonus2"]),
                veto_codes: pick(veto, &["safety", "unlisted"]),
            }
        })
        .collect()
}

fn configs() -> Vec<MuEvalConfig> {
    let base = MuEvalConfig::huangyan_population_mean();
    let mut out = vec![base.clone()];
    let mut c = base.clone();
    c.adjustments.insert("bonus".into(), Decimal::new(5, 0));
    c.adjustments.insert("bonus2".into(), Decimal::new(25, 1));
    c.adjustments
        .insert("deduction".into(), Decimal::new(-3, 0));
    c.veto_codes.insert("safety".into());
    c.classes = ClassMode::Quota {
        a: 50,
        b: 300,
        c: 900,
    };
    c.above_scale[0].cap_multiple = Some(Decimal::new(2, 0));
    c.above_scale[1].direction = Direction::Lower;
    c.above_scale[2].missing = MissingPolicy::Exclude;
    c.below_scale[0].benchmark = Benchmark::PopulationMax;
    out.push(c.clone());
    c.classes = ClassMode::Threshold {
        a: Decimal::new(120, 0),
        b: Decimal::new(90, 0),
        c: Decimal::new(60, 0),
    };
    c.below_scale[1].benchmark = Benchmark::Fixed(Decimal::new(24097, 3));
    c.score_dp = 2;
    out.push(c.clone());
    c.classes = ClassMode::Percentile {
        a: Decimal::new(1, 1),
        b: Decimal::new(333, 3),
        c: Decimal::new(9999, 4),
    };
    out.push(c);
    out
}

#[test]
fn the_optimised_evaluation_matches_the_reference_on_a_large_population() {
    let ins = random_population(20_000, 0x5eed);
    for (k, cfg) in configs().iter().enumerate() {
        let want = evaluate_reference(&ins, cfg, "v").unwrap();
        let got = evaluate(&ins, cfg, "v").unwrap();
        assert_eq!(got.scores.len(), want.scores.len(), "config {k}");
        for (g, w) in got.scores.iter().zip(&want.scores) {
            assert_eq!(g, w, "config {k}");
        }
        assert_eq!(got, want, "config {k}");
    }
}

#[test]
fn classification_cuts_match_classify() {
    for mode in configs().iter().map(|c| c.classes) {
        for n in [0usize, 1, 2, 3, 7, 10, 99, 100, 101, 1000, 4099] {
            let cuts = Cuts::new(mode, n);
            for rank in 1..=u32::try_from(n).unwrap() + 2 {
                for total in ["0", "59.9999", "60", "89.99", "90", "120", "150.5"] {
                    let t: Decimal = total.parse().unwrap();
                    assert_eq!(
                        cuts.class(rank, t),
                        classify(mode, rank, n, t),
                        "{mode:?} {n} {rank}"
                    );
                }
            }
        }
    }
}

proptest! {
    #[test]
    fn matches_the_reference_on_random_populations(n in 1u32..300, seed in 1u64..u64::MAX, k in 0usize..4) {
        let ins = random_population(n, seed);
        let cfg = &configs()[k];
        prop_assert_eq!(evaluate(&ins, cfg, "v"), evaluate_reference(&ins, cfg, "v"));
    }
}
