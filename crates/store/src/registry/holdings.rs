//! Who holds which land: each enterprise's live parcels summed, with its home park (the park
//! holding most of its land), and its department figures by year. Shared by the evaluation
//! and the park table.

use super::Registry;
use crate::backend::Store;
use crate::error::StoreResult;
use crate::model::ParcelQuery;
use landcycle_domain::figures::AnnualFigures;
use landcycle_domain::{AreaM2, Enterprise, ParkId, Uscc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One land user.
pub(crate) struct Holding {
    /// The enterprise record.
    pub enterprise: Enterprise,
    /// Σ computed area of its live parcels, m².
    pub area_m2: Decimal,
    /// The park holding most of its land (`None` outside parks).
    pub park: Option<ParkId>,
    /// Department figures by year.
    pub figures: BTreeMap<i16, AnnualFigures>,
}

impl Holding {
    /// Land in 亩.
    pub fn mu(&self) -> Decimal {
        AreaM2(self.area_m2).to_mu().0
    }
}

impl<S: Store + ?Sized> Registry<S> {
    /// Every registered enterprise holding live land, by 统一社会信用代码.
    pub(crate) fn holdings(&self) -> StoreResult<BTreeMap<Uscc, Holding>> {
        let mut land: BTreeMap<Uscc, BTreeMap<Option<ParkId>, Decimal>> = BTreeMap::new();
        let mut offset = 0u64;
        loop {
            let page = self.store().parcels(&ParcelQuery {
                limit: 10_000,
                offset,
                ..Default::default()
            })?;
            let n = page.items.len() as u64;
            for p in page.items {
                if let Some(u) = p.enterprise {
                    *land.entry(u).or_default().entry(p.park_id).or_default() +=
                        p.computed_area_m2.0;
                }
            }
            offset += n;
            if n == 0 || offset >= page.total {
                break;
            }
        }
        let mut out = BTreeMap::new();
        for (uscc, by_park) in land {
            let Some(enterprise) = self.store().enterprise(&uscc)? else {
                continue;
            };
            let area_m2 = by_park.values().copied().sum();
            let park = by_park
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .and_then(|(p, _)| p.clone());
            let figures = self
                .store()
                .figures(&uscc)?
                .into_iter()
                .map(|f| (f.year, f))
                .collect();
            out.insert(
                uscc,
                Holding {
                    enterprise,
                    area_m2,
                    park,
                    figures,
                },
            );
        }
        Ok(out)
    }
}
