//! Parks against the plan (百园增效 主要目标): each park's 亩均税收 — Σ tax of the enterprises
//! whose land lies mainly in it ÷ Σ their land in 亩 — against its target band, year by year.

use super::Registry;
use crate::backend::Store;
use crate::error::StoreResult;
use landcycle_domain::rules::park_targets::BandPosition;
use landcycle_domain::{AreaM2, ParkId, TaxPerMuTarget};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One park in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParkYear {
    /// The year of the figures.
    pub year: i16,
    /// Enterprises with land in the park and figures of the year.
    pub enterprises: usize,
    /// Σ 税收, 元.
    pub tax_yuan: Decimal,
    /// Σ their land, 亩 (4 places).
    pub land_mu: Decimal,
    /// 亩均税收, 万元/亩 (4 places); `None` without land.
    pub tax_per_mu_wan: Option<Decimal>,
    /// Against the target band (computed on the exact value).
    pub position: Option<BandPosition>,
}

/// One park's row of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParkTaxRow {
    /// Park id.
    pub park_id: ParkId,
    /// Park name.
    pub name: String,
    /// Its 亩均税收 target from the pilot plan.
    pub target: TaxPerMuTarget,
    /// Every year with figures, oldest first (the trend).
    pub years: Vec<ParkYear>,
}

impl ParkTaxRow {
    /// The row's value in one year.
    pub fn year(&self, year: i16) -> Option<&ParkYear> {
        self.years.iter().find(|y| y.year == year)
    }
}

impl<S: Store + ?Sized> Registry<S> {
    /// Every park with its 亩均税收 in each year that has department figures.
    pub fn park_table(&self) -> StoreResult<Vec<ParkTaxRow>> {
        let holdings = self.holdings()?;
        let years: BTreeSet<i16> = holdings
            .values()
            .flat_map(|h| h.figures.keys().copied())
            .collect();
        // (park, year) → (enterprises, tax, land m²)
        let mut sums: BTreeMap<(ParkId, i16), (usize, Decimal, Decimal)> = BTreeMap::new();
        for h in holdings.values() {
            let Some(park) = &h.park else { continue };
            for (y, f) in &h.figures {
                let e = sums.entry((park.clone(), *y)).or_default();
                e.0 += 1;
                e.1 += f.tax_yuan;
                e.2 += h.area_m2;
            }
        }
        let wan = Decimal::from(10_000);
        let mut out = Vec::new();
        for p in self.store().parks()? {
            let target = p.tax_per_mu_target;
            let rows = years
                .iter()
                .map(|y| {
                    let (n, tax, m2) = sums.get(&(p.id.clone(), *y)).copied().unwrap_or_default();
                    let mu = AreaM2(m2).to_mu().0;
                    let exact = (mu > Decimal::ZERO).then(|| tax / wan / mu);
                    ParkYear {
                        year: *y,
                        enterprises: n,
                        tax_yuan: tax,
                        land_mu: mu.round_dp(4),
                        tax_per_mu_wan: exact.map(|v| v.round_dp(4)),
                        position: exact.map(|v| BandPosition::from(target.position(v))),
                    }
                })
                .collect();
            out.push(ParkTaxRow {
                park_id: p.id,
                name: p.name,
                target,
                years: rows,
            });
        }
        Ok(out)
    }
}
