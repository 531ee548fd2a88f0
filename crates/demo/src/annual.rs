//! Yearly figures (税收, 产值, 用电, 从业人员) of every enterprise that held land, 2019–2025,
//! drawn from the land it held in production and under construction each year.

use crate::dates::day;
use crate::enterprises::Firm;
use crate::story::Holding;
use landcycle_domain::figures::AnnualFigures;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

/// First and last year with figures.
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 2019..=2025;

fn yuan(v: f64) -> Decimal {
    Decimal::from(v.max(0.0).round() as i64)
}

/// Figures per enterprise and year, ordered by enterprise (in generation order) then year.
pub(crate) fn figures(
    firms: &[Firm],
    holdings: &[Holding],
    rng: &mut ChaCha8Rng,
) -> Vec<AnnualFigures> {
    let years: Vec<i32> = YEARS.collect();
    // mu-years held and in production per firm and year.
    let mut held = vec![vec![0.0f64; years.len()]; firms.len()];
    let mut prod = vec![vec![0.0f64; years.len()]; firms.len()];
    for h in holdings {
        for (yi, &y) in years.iter().enumerate() {
            let (a, b) = (day(y, 1, 1), day(y + 1, 1, 1));
            let overlap = (h.to.min(b) - h.from.max(a)).max(0);
            if overlap > 0 {
                let share = h.mu * f64::from(overlap) / f64::from(b - a);
                held[h.firm][yi] += share;
                if h.producing {
                    prod[h.firm][yi] += share;
                }
            }
        }
    }
    let mut out = Vec::new();
    for (fi, f) in firms.iter().enumerate() {
        for (yi, &y) in years.iter().enumerate() {
            let (h, p) = (held[fi][yi], prod[fi][yi]);
            if h <= 0.0 {
                continue;
            }
            let trend = (1.0 + f.growth).powi(y - 2025) * rng.random_range(0.95..1.05);
            let prod_tax_wan = p * f.tax_wan_per_mu * trend;
            let tax_wan = prod_tax_wan + (h - p).max(0.0) * f.land_tax_wan_per_mu;
            let output = (p > 0.0).then(|| prod_tax_wan * 1e4 / f.tax_share);
            let kwh = match output {
                Some(o) => o * f.industry.kwh_per_yuan * rng.random_range(0.85..1.15),
                None => h * rng.random_range(500.0..2_500.0),
            };
            let employees = match output {
                Some(o) => (o / f.yuan_per_employee).round().max(5.0) as u32,
                None => rng.random_range(3..=15),
            };
            out.push(AnnualFigures {
                uscc: f.uscc.clone(),
                year: y as i16,
                tax_yuan: yuan(tax_wan * 1e4),
                output_yuan: output.map(yuan),
                electricity_kwh: (!rng.random_bool(0.02)).then(|| yuan(kwh)),
                employees: (!rng.random_bool(0.03)).then_some(employees),
            });
        }
    }
    out
}
