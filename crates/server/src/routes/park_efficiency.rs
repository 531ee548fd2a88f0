//! 亩均效益 by park for the dashboards: each park's 亩均税收 year by year against its target
//! band, and the A/B/C/D classes of the latest stored 亩均评价 run where there is one.

use crate::auth::Guard;
use crate::error::{ApiResult, Problem};
use crate::extract::Params;
use axum::Json;
use landcycle_domain::TaxPerMuTarget;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Enterprises per class in one park, from one evaluation run.
#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct ClassCounts {
    /// 优先发展类.
    #[serde(rename = "A")]
    pub a: u32,
    /// 鼓励提升类.
    #[serde(rename = "B")]
    pub b: u32,
    /// 规范转型类.
    #[serde(rename = "C")]
    pub c: u32,
    /// 调控帮扶类.
    #[serde(rename = "D")]
    pub d: u32,
    /// Not rated (免评, 暂评, missing figures).
    pub not_rated: u32,
}

impl From<landcycle_store::ClassCounts> for ClassCounts {
    fn from(c: landcycle_store::ClassCounts) -> Self {
        Self {
            a: c.a,
            b: c.b,
            c: c.c,
            d: c.d,
            not_rated: c.not_rated,
        }
    }
}

/// One park's row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParkEfficiency {
    /// Park id.
    pub park_id: String,
    /// Park name.
    pub name: String,
    /// 亩均税收 target band, 万元/亩.
    pub target: TaxPerMuTarget,
    /// Every year with figures, oldest first: `year`, `enterprises`, `tax_yuan`, `land_mu`,
    /// `tax_per_mu_wan`, `position` (below / within / above).
    #[schema(value_type = Vec<Object>)]
    pub years: Vec<landcycle_store::ParkYear>,
    /// Classes of the latest evaluation run, when one is stored.
    pub classes: Option<ClassCounts>,
}

/// The dashboard table: parks in the caller's scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct EfficiencyTable {
    /// The evaluation run the classes come from.
    pub evaluation_run: Option<String>,
    /// Year of that run.
    pub evaluation_year: Option<i16>,
    /// The parks.
    pub parks: Vec<ParkEfficiency>,
}

/// 亩均税收 by park and year against the targets, with 亩均评价 classes where a run is stored.
#[utoipa::path(get, path = "/api/parks/efficiency", tag = "parks",
    responses((status = 200, body = EfficiencyTable),
        (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn table(guard: Guard, params: Params) -> ApiResult<Json<EfficiencyTable>> {
    params.only(&[])?;
    guard
        .run(|c| {
            let scope = c.scope_parks()?;
            let rows = c.registry().park_table()?;
            let latest_year = rows
                .iter()
                .flat_map(|r| r.years.iter().map(|y| y.year))
                .max();
            let mut run_id = None;
            let mut classes: BTreeMap<String, ClassCounts> = BTreeMap::new();
            if let Some(year) = latest_year
                && let Some(id) = c.store().evaluation_runs(year)?.pop()
                && let Some(run) = c.store().evaluation_run(&id)?
            {
                let mut counts: BTreeMap<String, landcycle_store::ClassCounts> = BTreeMap::new();
                for e in &run.entries {
                    let Some(park) = &e.park_id else { continue };
                    counts
                        .entry(park.as_str().to_owned())
                        .or_default()
                        .add(e.class);
                }
                classes = counts.into_iter().map(|(k, v)| (k, v.into())).collect();
                run_id = Some(id);
            }
            let parks = rows
                .into_iter()
                .filter(|r| scope.as_ref().is_none_or(|s| s.contains(&r.park_id)))
                .map(|r| ParkEfficiency {
                    classes: run_id
                        .as_ref()
                        .map(|_| classes.get(r.park_id.as_str()).cloned().unwrap_or_default()),
                    park_id: r.park_id.as_str().to_owned(),
                    name: r.name,
                    target: r.target,
                    years: r.years,
                })
                .collect();
            Ok(Json(EfficiencyTable {
                evaluation_year: run_id.as_ref().and(latest_year),
                evaluation_run: run_id,
                parks,
            }))
        })
        .await
}
