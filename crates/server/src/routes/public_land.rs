//! 云上看地: the public list of land open for supply (批而未供, 储备, 挂牌), with only the fields
//! that may be published — never the land user, contracts, figures or history.

use crate::AppState;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Params;
use axum::Json;
use axum::extract::{Path, State};
use jiff::civil::Date;
use landcycle_domain::{
    Parcel, ParcelLifecycle, ParkId, PlanningConditions, SupplyMode, units::AreaM2,
};
use landcycle_store::{ParcelQuery, Store};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use utoipa::ToSchema;

/// The lifecycle states published as available land.
pub(crate) const AVAILABLE: [ParcelLifecycle; 3] = [
    ParcelLifecycle::ApprovedUnsupplied,
    ParcelLifecycle::Reserved,
    ParcelLifecycle::Listed,
];

/// Years of grants the price guide looks back over, from the newest contract.
const PRICE_GUIDE_YEARS: i16 = 5;

/// How a parcel is to be supplied, from its state.
fn supply_route(s: ParcelLifecycle) -> (&'static str, &'static str) {
    match s {
        ParcelLifecycle::Listed => ("listed", "挂牌出让中"),
        ParcelLifecycle::Reserved => ("reserve", "储备地，可按需组织出让或弹性供应"),
        _ => ("to_be_readied", "已批待供，可申请供地"),
    }
}

/// A park's price guide: 出让 prices of its land over the last years.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceGuide {
    /// Σ price ÷ Σ area of the grants, 万元/亩 (2 places).
    #[schema(value_type = String)]
    pub wan_per_mu: Decimal,
    /// Grants counted.
    pub grants: usize,
    /// First year counted.
    pub from_year: i16,
    /// Last year counted.
    pub to_year: i16,
}

/// Attributes of a published parcel.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicLandProps {
    /// Parcel id.
    pub id: String,
    /// 宗地代码, once assigned.
    pub code: Option<String>,
    /// Parcel name (地块名称).
    pub name: String,
    /// Location description.
    pub address: Option<String>,
    /// Park id.
    pub park_id: Option<String>,
    /// Park name.
    pub park_name: Option<String>,
    /// County-level jurisdiction name of the park.
    pub jurisdiction_name: Option<String>,
    /// Land-use code (as registered).
    pub land_use_code: String,
    /// Land-use name.
    pub land_use_zh: Option<&'static str>,
    /// Lifecycle state (`approved_unsupplied`, `reserved`, `listed`).
    pub status: ParcelLifecycle,
    /// State in Chinese.
    pub status_zh: &'static str,
    /// Area, m² (2 places).
    #[schema(value_type = String)]
    pub area_m2: Decimal,
    /// Area, 亩 (4 places).
    #[schema(value_type = String)]
    pub area_mu: Decimal,
    /// Planning conditions (容积率, 建筑密度, 绿地率, 限高).
    pub planning: PlanningConditions,
    /// How the land is to be supplied: `listed`, `reserve`, `to_be_readied`.
    pub supply_route: &'static str,
    /// The same in Chinese.
    pub supply_route_zh: &'static str,
    /// Supply modes open to industrial land (出让 and the flexible modes).
    pub supply_modes: Vec<&'static str>,
    /// The park's price guide, from its recent grants, when it has any.
    pub price_guide: Option<PriceGuide>,
    /// Who to contact: the park's management committee (管委会).
    pub contact: Option<String>,
}

/// A published parcel as a GeoJSON Feature.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicLand {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub type_: &'static str,
    /// Parcel id.
    pub id: String,
    /// GeoJSON geometry (MultiPolygon, CGCS2000 lon/lat).
    #[schema(value_type = Object)]
    pub geometry: Value,
    /// The published attributes.
    pub properties: PublicLandProps,
}

/// The published list as a GeoJSON FeatureCollection.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicLandCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub type_: &'static str,
    /// Parcels matching, in all.
    #[serde(rename = "numberMatched")]
    pub number_matched: u64,
    /// The parcels.
    pub features: Vec<PublicLand>,
}

/// Price guides per park: Σ price ÷ Σ 亩 of the 出让 contracts of the last
/// [`PRICE_GUIDE_YEARS`] years of the park's grants (live parcels only).
fn price_guides(store: &dyn Store) -> ApiResult<BTreeMap<ParkId, PriceGuide>> {
    let data = store.scan_data()?;
    let parcels: BTreeMap<_, _> = data.parcels.iter().map(|p| (p.id, p)).collect();
    let mut by_park: BTreeMap<ParkId, Vec<(i16, Decimal, Decimal)>> = BTreeMap::new();
    for s in data
        .supplies
        .iter()
        .filter(|s| s.mode == SupplyMode::Grant && s.price.0 > Decimal::ZERO)
    {
        let Some(p) = parcels.get(&s.parcel_id) else {
            continue;
        };
        let (Some(park), mu) = (data.park_of(p).cloned(), p.computed_area_m2.to_mu().0) else {
            continue;
        };
        if mu > Decimal::ZERO {
            by_park
                .entry(park)
                .or_default()
                .push((s.contract_date.year(), s.price.0, mu));
        }
    }
    Ok(by_park
        .into_iter()
        .filter_map(|(park, rows)| {
            let to_year = rows.iter().map(|r| r.0).max()?;
            let from_year = to_year - PRICE_GUIDE_YEARS + 1;
            let recent: Vec<_> = rows.iter().filter(|r| r.0 >= from_year).collect();
            let yuan: Decimal = recent.iter().map(|r| r.1).sum();
            let mu: Decimal = recent.iter().map(|r| r.2).sum();
            (mu > Decimal::ZERO).then(|| {
                let mut wan_per_mu = (yuan / mu / Decimal::from(10_000)).round_dp(2);
                wan_per_mu.rescale(2);
                (
                    park,
                    PriceGuide {
                        wan_per_mu,
                        grants: recent.len(),
                        from_year,
                        to_year,
                    },
                )
            })
        })
        .collect())
}

type Prices = Arc<BTreeMap<ParkId, PriceGuide>>;

/// The price guides of the last request, kept until the store's next write (reading every
/// supply takes a while; the published list is asked for often).
#[derive(Default)]
pub(crate) struct PriceGuideCache {
    last: Mutex<Option<(u64, Prices)>>,
}

impl PriceGuideCache {
    fn get(&self, store: &dyn Store) -> ApiResult<Prices> {
        let generation = store.generation();
        if let Ok(g) = self.last.lock()
            && let Some((k, p)) = g.as_ref()
            && *k == generation
        {
            return Ok(Arc::clone(p));
        }
        let p = Arc::new(price_guides(store)?);
        if let Ok(mut g) = self.last.lock() {
            *g = Some((generation, Arc::clone(&p)));
        }
        Ok(p)
    }
}

struct Context {
    parks: BTreeMap<ParkId, landcycle_domain::Park>,
    prices: Prices,
}

impl Context {
    fn load(store: &dyn Store, cache: &PriceGuideCache) -> ApiResult<Self> {
        Ok(Self {
            parks: store
                .parks()?
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect(),
            prices: cache.get(store)?,
        })
    }

    fn feature(&self, p: &Parcel) -> PublicLand {
        let park = p.park_id.as_ref().and_then(|id| self.parks.get(id));
        let (route, route_zh) = supply_route(p.status);
        PublicLand {
            type_: "Feature",
            id: p.id.to_string(),
            geometry: landcycle_geo::geometry_to_geojson(&geo_types::Geometry::MultiPolygon(
                p.geometry.clone(),
            )),
            properties: PublicLandProps {
                id: p.id.to_string(),
                code: p.code.as_ref().map(|c| c.as_str().to_owned()),
                name: p.name.clone(),
                address: p.address.clone(),
                park_id: p.park_id.as_ref().map(|x| x.as_str().to_owned()),
                park_name: park.map(|k| k.name.clone()),
                jurisdiction_name: park.map(|k| k.jurisdiction.name.clone()),
                land_use_code: p.land_use.code.clone(),
                land_use_zh: crate::dto::LandUseOut::from(&p.land_use).name_zh,
                status: p.status,
                status_zh: p.status.label_zh(),
                area_m2: AreaM2::display(p.computed_area_m2),
                area_mu: p.computed_area_m2.to_mu().display(),
                planning: p.planning.clone(),
                supply_route: route,
                supply_route_zh: route_zh,
                supply_modes: vec![
                    SupplyMode::Grant.label_zh(),
                    SupplyMode::Lease.label_zh(),
                    SupplyMode::LeaseThenTransfer.label_zh(),
                ],
                price_guide: p
                    .park_id
                    .as_ref()
                    .and_then(|id| self.prices.get(id))
                    .cloned(),
                contact: park.map(|k| format!("{}管理委员会", k.name)),
            },
        }
    }
}

/// The published list: 批而未供, 储备 and 挂牌 land with public fields only (云上看地).
#[utoipa::path(get, path = "/api/public/available-land", tag = "public",
    params(("park" = Option<String>, Query, description = "Park id"),
        ("status" = Option<String>, Query, description = "approved_unsupplied, reserved or listed (comma-separated)"),
        ("min_mu" = Option<String>, Query, description = "Smallest area, 亩"),
        ("max_mu" = Option<String>, Query, description = "Largest area, 亩"),
        ("land_use" = Option<String>, Query, description = "Land-use code prefix")),
    responses((status = 200, body = PublicLandCollection, description = "GeoJSON FeatureCollection"),
        (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(st): State<AppState>,
    params: Params,
) -> ApiResult<Json<PublicLandCollection>> {
    params.only(&["park", "status", "min_mu", "max_mu", "land_use"])?;
    let park = params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let mut status = Vec::new();
    if let Some(v) = params.get("status") {
        for s in v.split(',') {
            let s = ParcelLifecycle::parse(s.trim())
                .ok()
                .filter(|s| AVAILABLE.contains(s))
                .ok_or_else(|| {
                    ApiError::bad_field(
                        "status",
                        Some(v),
                        "approved_unsupplied, reserved or listed",
                        "批而未供（approved_unsupplied）、储备（reserved）或挂牌（listed）",
                    )
                })?;
            status.push(s);
        }
    } else {
        status = AVAILABLE.to_vec();
    }
    let mu = |k: &str| {
        params.parse(k, "a number of 亩", "亩数", |v| {
            v.parse::<Decimal>().ok().filter(|d| *d >= Decimal::ZERO)
        })
    };
    let (min_mu, max_mu) = (mu("min_mu")?, mu("max_mu")?);
    let land_use = params
        .get("land_use")
        .map(|v| (None, v.to_ascii_uppercase()));
    let cache = Arc::clone(&st.price_guides);
    st.run(move |reg| {
        let store = reg.store();
        let page = store.parcels(&ParcelQuery {
            park,
            status,
            land_use,
            limit: 10_000,
            ..ParcelQuery::default()
        })?;
        let ctx = Context::load(store, &cache)?;
        let features: Vec<PublicLand> = page
            .items
            .iter()
            .filter(|p| {
                let a = p.computed_area_m2.to_mu().0;
                min_mu.is_none_or(|m| a >= m) && max_mu.is_none_or(|m| a <= m)
            })
            .map(|p| ctx.feature(p))
            .collect();
        Ok(Json(PublicLandCollection {
            type_: "FeatureCollection",
            number_matched: features.len() as u64,
            features,
        }))
    })
    .await
}

/// One published parcel; a parcel that is not open for supply is not found.
#[utoipa::path(get, path = "/api/public/available-land/{id}", tag = "public",
    params(("id" = String, Path, description = "Parcel id (UUID)")),
    responses((status = 200, body = PublicLand, description = "GeoJSON Feature"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn one(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicLand>> {
    let id = super::parcel_id(&id)?;
    let cache = Arc::clone(&st.price_guides);
    st.run(move |reg| {
        let store = reg.store();
        let p = available(store, id, None)?
            .ok_or_else(|| ApiError::NotFound(format!("parcel {id} is not open for supply")))?;
        Ok(Json(Context::load(store, &cache)?.feature(&p)))
    })
    .await
}

/// The parcel when it is open for supply now (or on `as_of`).
pub(crate) fn available(
    store: &dyn Store,
    id: landcycle_domain::ParcelId,
    as_of: Option<Date>,
) -> ApiResult<Option<Parcel>> {
    Ok(store
        .parcel(id, as_of)?
        .filter(|p| p.valid_to.is_none() && AVAILABLE.contains(&p.status)))
}
