//! 亩均效益评价 of a whole population: 100,000 enterprises (goal of issue 5: < 1 s on 2 cores).
//!
//! `cargo bench -p landcycle-domain --bench mu_evaluation`
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use landcycle_domain::Uscc;
use landcycle_domain::codes::uscc_check_char;
use landcycle_domain::rules::mu_evaluation::EvalStatus;
use landcycle_domain::rules::{MuEvalConfig, MuInput, evaluate};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A valid, unique 统一社会信用代码 for `i`.
fn uscc(i: u64) -> Uscc {
    let mut body = String::from("91411000");
    let mut n = i;
    for _ in 0..9 {
        body.push(char::from(ALPHABET[(n % 31) as usize]));
        n /= 31;
    }
    let c = uscc_check_char(&body).unwrap();
    Uscc::parse(&format!("{body}{c}")).unwrap()
}

/// A deterministic population: 40 % 规上 with all six indicators, 60 % 规下 with two.
fn population(n: u64) -> Vec<MuInput> {
    (0..n)
        .map(|i| {
            let above = i % 5 < 2;
            // A cheap deterministic spread of values (no RNG needed for a benchmark).
            let v = |k: u64, scale: i64| {
                Decimal::new(((i * 7919 + k * 104_729) % 997) as i64 * scale + 1, 2)
            };
            let mut values = BTreeMap::new();
            values.insert("tax_per_mu".to_owned(), v(1, 4));
            if above {
                for (k, code) in [
                    "value_added_per_mu",
                    "va_per_energy",
                    "va_per_emission",
                    "labour_productivity",
                    "rd_ratio",
                ]
                .iter()
                .enumerate()
                {
                    values.insert((*code).to_owned(), v(k as u64 + 2, 3));
                }
            } else {
                values.insert("tax_per_kwh".to_owned(), v(9, 1));
            }
            MuInput {
                uscc: uscc(i),
                above_scale: above,
                status: EvalStatus::Evaluated,
                values,
                adjustment_codes: BTreeSet::new(),
                veto_codes: BTreeSet::new(),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = population(100_000);
    let cfg = MuEvalConfig::huangyan_population_mean();
    let mut g = c.benchmark_group("mu_evaluation");
    g.sample_size(10);
    g.bench_function("evaluate_100k_enterprises", |b| {
        b.iter(|| evaluate(&inputs, &cfg, "bench").unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
