//! Synthetic enterprises: valid 统一社会信用代码, plausible names, industries that fit their
//! park, and the economic traits their yearly figures are drawn from.

use crate::names::{self, Industry, LOGISTICS};
use crate::parks::Site;
use landcycle_domain::codes::uscc_check_char;
use landcycle_domain::figures::AnnualFigures;
use landcycle_domain::{Enterprise, Uscc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::prelude::ToPrimitive;
use std::collections::{BTreeMap, BTreeSet};

/// The 31-character alphabet of GB 32100-2015 (no I, O, Z, S, V).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Share of enterprises whose 亩均税收 is low (below 3 万元/亩).
pub(crate) const LOW_TAX_SHARE: f64 = 0.10;
/// Share of a park's enterprises in logistics (物流仓储用地 users).
const LOGISTICS_SHARE: f64 = 0.03;

/// An enterprise being generated, with the traits that drive its figures.
#[derive(Debug, Clone)]
pub(crate) struct Firm {
    pub(crate) uscc: Uscc,
    pub(crate) name: String,
    pub(crate) industry: Industry,
    pub(crate) park: usize,
    pub(crate) address: String,
    /// 2025 亩均税收 on land in production, 万元/亩.
    pub(crate) tax_wan_per_mu: f64,
    /// Yearly growth of tax and output.
    pub(crate) growth: f64,
    /// Tax as a share of output.
    pub(crate) tax_share: f64,
    /// Output per employee, 元.
    pub(crate) yuan_per_employee: f64,
    /// 城镇土地使用税 and the like paid on land not yet in production, 万元/亩/年.
    pub(crate) land_tax_wan_per_mu: f64,
    /// Relative size: how much land it tends to take.
    pub(crate) weight: f64,
}

/// Generates `counts[p]` enterprises for each park `p`, every code unique.
pub(crate) fn generate(sites: &[Site], counts: &[usize], rng: &mut ChaCha8Rng) -> Vec<Firm> {
    let mut codes = BTreeSet::new();
    let mut used_names = BTreeSet::new();
    let mut firms = Vec::new();
    for (p, (site, &n)) in sites.iter().zip(counts).enumerate() {
        let industries = names::industries_for(&site.lead_industries);
        let logistics = if n >= 20 {
            ((n as f64 * LOGISTICS_SHARE).round() as usize).max(1)
        } else {
            0
        };
        for k in 0..n {
            let industry = if k < logistics {
                LOGISTICS
            } else {
                industries[rng.random_range(0..industries.len())]
            };
            let uscc = new_uscc(site.park.jurisdiction.code.as_str(), rng, &mut codes);
            let name = new_name(site.place, &industry, rng, &mut used_names);
            let address = format!(
                "河南省许昌市{}经{}路{}号",
                site.park.jurisdiction.name,
                names::numeral(rng.random_range(1..=12)),
                rng.random_range(1..=300)
            );
            let target = &site.park.tax_per_mu_target;
            firms.push(Firm {
                uscc,
                name,
                industry,
                park: p,
                address,
                tax_wan_per_mu: tax_rate(
                    rng,
                    target.min_wan.to_f64().unwrap_or(15.0),
                    target.max_wan.and_then(|m| m.to_f64()),
                ),
                growth: rng.random_range(-0.02..0.10),
                tax_share: rng.random_range(0.04..0.10),
                yuan_per_employee: rng.random_range(600_000.0..1_500_000.0),
                land_tax_wan_per_mu: rng.random_range(0.3..0.8),
                weight: rng.random_range(0.0f64..2.5).exp(),
            });
        }
    }
    firms
}

/// 2025 亩均税收 of a firm's producing land: ~10 % low (< 3), the rest spread over 5–40 万元/亩
/// around the park's target band.
fn tax_rate(rng: &mut ChaCha8Rng, min: f64, max: Option<f64>) -> f64 {
    let max = max.unwrap_or((min * 2.0).min(40.0));
    let u: f64 = rng.random();
    if u < LOW_TAX_SHARE {
        between(rng, 0.5, 2.8)
    } else if u < 0.40 {
        between(rng, 5.0, min)
    } else if u < 0.88 {
        between(rng, min, max)
    } else {
        between(rng, max, 40.0)
    }
}

/// A uniform draw in [lo, hi), or `lo` when the range is empty.
pub(crate) fn between(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    if hi > lo {
        rng.random_range(lo..hi)
    } else {
        lo
    }
}

/// A new, unique 统一社会信用代码: 9 (工商), 1 (企业), the division, a 9-character body.
fn new_uscc(division: &str, rng: &mut ChaCha8Rng, used: &mut BTreeSet<String>) -> Uscc {
    loop {
        let body: String = if rng.random_bool(0.7) {
            let tail: String = (0..7)
                .map(|_| char::from(ALPHABET[rng.random_range(0..31)]))
                .collect();
            format!("MA{tail}")
        } else {
            (0..9)
                .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
                .collect()
        };
        let first17 = format!("91{division}{body}");
        let Some(check) = uscc_check_char(&first17) else {
            continue;
        };
        let code = format!("{first17}{check}");
        if used.contains(&code) {
            continue;
        }
        if let Ok(u) = Uscc::parse(&code) {
            used.insert(code);
            return u;
        }
    }
}

/// A unique name such as 长葛瑞丰铝业有限公司.
fn new_name(
    place: &str,
    ind: &Industry,
    rng: &mut ChaCha8Rng,
    used: &mut BTreeSet<String>,
) -> String {
    let pick = |rng: &mut ChaCha8Rng, list: &[&'static str]| list[rng.random_range(0..list.len())];
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let a = pick(rng, &names::NAME_FIRST);
        let b = pick(rng, &names::NAME_SECOND);
        if a == b {
            continue;
        }
        // After many collisions, a third character widens the space.
        let c = if attempt > 40 {
            pick(rng, &names::NAME_SECOND)
        } else {
            ""
        };
        let form = if rng.random_bool(0.12) {
            "股份有限公司"
        } else {
            "有限公司"
        };
        let name = format!("{place}{a}{b}{c}{}{form}", ind.word);
        if used.insert(name.clone()) {
            return name;
        }
    }
}

/// The trade-name part of a firm's name (the name without 有限公司), for project names.
pub(crate) fn short_name(name: &str) -> &str {
    name.trim_end_matches("有限公司").trim_end_matches("股份")
}

/// The enterprise records: 规上 for the 40 % with the largest latest output.
pub(crate) fn records(
    firms: &[Firm],
    figures: &[AnnualFigures],
    sites: &[Site],
) -> Vec<Enterprise> {
    let mut latest: BTreeMap<&Uscc, (i16, f64)> = BTreeMap::new();
    for f in figures {
        let out = f.output_yuan.and_then(|o| o.to_f64()).unwrap_or(0.0);
        let e = latest.entry(&f.uscc).or_insert((f.year, out));
        if f.year >= e.0 {
            *e = (f.year, out);
        }
    }
    let mut order: Vec<(usize, f64)> = firms
        .iter()
        .enumerate()
        .map(|(i, f)| (i, latest.get(&f.uscc).map_or(0.0, |x| x.1)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let n_above = (firms.len() as f64 * 0.4).round() as usize;
    let mut above = vec![false; firms.len()];
    for &(i, out) in order.iter().take(n_above) {
        above[i] = out > 0.0;
    }
    firms
        .iter()
        .enumerate()
        .map(|(i, f)| Enterprise {
            uscc: f.uscc.clone(),
            name: f.name.clone(),
            industry_code: Some(f.industry.code.to_owned()),
            above_scale: above[i],
            park_id: sites.get(f.park).map(|s| s.park.id.clone()),
            address: Some(f.address.clone()),
        })
        .collect()
}
