//! What the API sends and receives. Domain records are mapped here, so the wire format can stay
//! stable while the core evolves. Areas and money travel as decimal strings (exact), with 亩 and
//! 万元 derived beside them for display.

use crate::error::ApiError;
use jiff::civil::Date;
use landcycle_domain::{
    AreaCheck, LandUse, LandUseSystem, Parcel, ParcelDraft, ParcelLifecycle, Park,
    PlanningConditions, units::AreaM2, units::Mu,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// Land use with its name and its 国土空间 equivalent.
#[derive(Debug, Serialize, ToSchema)]
pub struct LandUseOut {
    /// Classification system.
    pub system: LandUseSystem,
    /// Code.
    pub code: String,
    /// Chinese name.
    pub name_zh: Option<&'static str>,
    /// Equivalent 国土空间 code.
    pub territorial_code: Option<String>,
}

impl From<&LandUse> for LandUseOut {
    fn from(u: &LandUse) -> Self {
        Self {
            system: u.system,
            code: u.code.clone(),
            name_zh: u.name_zh(),
            territorial_code: u.to_territorial().map(|t| t.code),
        }
    }
}

/// Properties of a parcel feature.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParcelProps {
    /// Stable id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Version (also the ETag).
    pub version: u32,
    /// 宗地代码.
    pub code: Option<String>,
    /// Legacy 宗地号 aliases.
    pub legacy_codes: Vec<String>,
    /// Name.
    pub name: String,
    /// 坐落.
    pub address: Option<String>,
    /// County-level division.
    pub jurisdiction: String,
    /// Park.
    pub park_id: Option<String>,
    /// 土地用途.
    pub land_use: LandUseOut,
    /// Lifecycle status.
    pub status: ParcelLifecycle,
    /// Lifecycle status in Chinese.
    pub status_zh: &'static str,
    /// Computed area (Gauss–Krüger), m², exact decimal string.
    #[schema(value_type = String, example = "10234.5678")]
    pub computed_area_m2: Decimal,
    /// Computed area in 亩 (0.0001).
    #[schema(value_type = String)]
    pub computed_area_mu: Decimal,
    /// 证载面积, m².
    #[schema(value_type = Option<String>)]
    pub registered_area_m2: Option<Decimal>,
    /// 证载面积 in 亩.
    #[schema(value_type = Option<String>)]
    pub registered_area_mu: Option<Decimal>,
    /// Comparison of computed and registered area.
    pub area_check: Option<AreaCheck>,
    /// Land user (统一社会信用代码).
    pub enterprise: Option<String>,
    /// Planning conditions.
    pub planning: PlanningConditions,
    /// Parents (split/merge).
    pub parents: Vec<String>,
    /// First day of this version.
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    /// Last day (exclusive) of this version.
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_to: Option<Date>,
}

/// A GeoJSON Feature of a parcel (geometry in CGCS2000 lon/lat, which is CRS84 axis order).
#[derive(Debug, Serialize, ToSchema)]
pub struct ParcelFeature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub type_: &'static str,
    /// Parcel id.
    pub id: String,
    /// GeoJSON geometry (MultiPolygon).
    #[schema(value_type = Object)]
    pub geometry: Value,
    /// Attributes.
    pub properties: ParcelProps,
}

impl ParcelFeature {
    /// Maps a parcel with the registry's area tolerance.
    pub fn new(p: &Parcel, tolerance: Decimal) -> Self {
        Self {
            type_: "Feature",
            id: p.id.to_string(),
            geometry: landcycle_geo::geometry_to_geojson(&geo_types::Geometry::MultiPolygon(
                p.geometry.clone(),
            )),
            properties: ParcelProps {
                id: p.id.to_string(),
                version: p.version,
                code: p.code.as_ref().map(|c| c.as_str().to_owned()),
                legacy_codes: p.legacy_codes.clone(),
                name: p.name.clone(),
                address: p.address.clone(),
                jurisdiction: p.jurisdiction.as_str().to_owned(),
                park_id: p.park_id.as_ref().map(|x| x.as_str().to_owned()),
                land_use: (&p.land_use).into(),
                status: p.status,
                status_zh: p.status.label_zh(),
                computed_area_m2: p.computed_area_m2.display(),
                computed_area_mu: p.computed_area_m2.to_mu().display(),
                registered_area_m2: p.registered_area_m2.map(AreaM2::display),
                registered_area_mu: p.registered_area_m2.map(|a| a.to_mu().display()),
                area_check: p.area_check(tolerance),
                enterprise: p.enterprise.as_ref().map(|u| u.as_str().to_owned()),
                planning: p.planning.clone(),
                parents: p.parents.iter().map(ToString::to_string).collect(),
                valid_from: p.valid_from,
                valid_to: p.valid_to,
            },
        }
    }
}

/// A page of parcels as a GeoJSON FeatureCollection.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParcelCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub type_: &'static str,
    /// Parcels matching the query, in all.
    #[serde(rename = "numberMatched")]
    pub number_matched: u64,
    /// Parcels in this page.
    #[serde(rename = "numberReturned")]
    pub number_returned: usize,
    /// The parcels.
    pub features: Vec<ParcelFeature>,
    /// Paging links (`next`, `prev`).
    pub links: Vec<Link>,
}

/// A hypermedia link.
#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    /// URL.
    pub href: String,
    /// Relation.
    pub rel: String,
    /// Media type.
    #[serde(rename = "type")]
    pub type_: String,
}

/// Why a change is made (required on every write).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeIn {
    /// The reason (变更原因).
    pub reason: String,
    /// Case, transaction or document reference (案卷号/批文号).
    pub reference: Option<String>,
    /// Day the change takes effect (default today).
    #[schema(value_type = Option<String>, format = Date)]
    pub effective: Option<Date>,
}

/// Parcel attributes as given by a user.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParcelPropsIn {
    /// 宗地代码 (19 characters) or 不动产单元代码 (28).
    pub code: Option<String>,
    /// Legacy 宗地号 aliases.
    #[serde(default)]
    pub legacy_codes: Vec<String>,
    /// Name.
    pub name: String,
    /// 坐落.
    pub address: Option<String>,
    /// County-level division (GB/T 2260).
    pub jurisdiction: String,
    /// Park id.
    pub park_id: Option<String>,
    /// Land-use system (default `territorial`).
    pub land_use_system: Option<String>,
    /// Land-use code.
    pub land_use_code: String,
    /// Lifecycle status (default `approved_unsupplied`).
    pub status: Option<String>,
    /// 证载面积 in m² (give this or `registered_area_mu`).
    #[schema(value_type = Option<String>)]
    pub registered_area_m2: Option<Decimal>,
    /// 证载面积 in 亩.
    #[schema(value_type = Option<String>)]
    pub registered_area_mu: Option<Decimal>,
    /// Land user's 统一社会信用代码.
    pub enterprise: Option<String>,
    /// Planning conditions.
    #[serde(default)]
    pub planning: PlanningConditions,
}

/// A parcel as given by a user: a GeoJSON Feature (CGCS2000 / CRS84 lon-lat) and the reason.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ParcelIn {
    /// Must be `Feature`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Polygon or MultiPolygon.
    #[schema(value_type = Object)]
    pub geometry: Value,
    /// Attributes.
    pub properties: ParcelPropsIn,
    /// Why.
    pub change: Option<ChangeIn>,
}

impl ParcelIn {
    /// The domain draft; the field names in errors are prefixed with `prefix`.
    pub fn into_draft(self, prefix: &str) -> Result<ParcelDraft, ApiError> {
        let at = |f: &str| {
            if prefix.is_empty() {
                f.to_owned()
            } else {
                format!("{prefix}.{f}")
            }
        };
        if self.type_ != "Feature" {
            return Err(ApiError::bad_field(
                &at("type"),
                Some(&self.type_),
                "must be \"Feature\"",
                "应为 \"Feature\"",
            ));
        }
        let geometry = landcycle_geo::geometry_from_geojson(&self.geometry)
            .and_then(landcycle_geo::to_multipolygon)
            .map_err(|e| {
                ApiError::Invalid(vec![landcycle_domain::FieldError::new(
                    at("geometry"),
                    None,
                    e.to_string(),
                    format!("几何数据错误：{e}"),
                )])
            })?;
        let p = self.properties;
        let mut errs = Vec::new();
        let system = match p.land_use_system.as_deref() {
            None => Some(LandUseSystem::Territorial),
            Some(s) => LandUseSystem::parse(s)
                .map_err(|e| errs.extend(e.field_errors().iter().cloned()))
                .ok(),
        };
        let land_use = system.and_then(|s| {
            LandUse::new(s, &p.land_use_code)
                .map_err(|e| errs.extend(e.field_errors().iter().cloned()))
                .ok()
        });
        let status = match p.status.as_deref() {
            None => Some(ParcelLifecycle::ApprovedUnsupplied),
            Some(s) => ParcelLifecycle::parse(s)
                .map_err(|e| errs.extend(e.field_errors().iter().cloned()))
                .ok(),
        };
        let registered = match (p.registered_area_m2, p.registered_area_mu) {
            (Some(_), Some(_)) => {
                errs.push(landcycle_domain::FieldError::new(
                    "registered_area_mu",
                    None,
                    "give the registered area in m² or in 亩, not both",
                    "证载面积请只填写平方米或亩之一",
                ));
                None
            }
            (m2, Some(mu)) => m2.or(Some(Mu(mu).to_m2().0.round_dp(4))),
            (m2, None) => m2,
        };
        if !errs.is_empty() {
            return Err(ApiError::Invalid(
                errs.into_iter()
                    .map(|f| {
                        if prefix.is_empty() {
                            f
                        } else {
                            f.nested(prefix)
                        }
                    })
                    .collect(),
            ));
        }
        let (Some(land_use), Some(status)) = (land_use, status) else {
            return Err(ApiError::Internal(
                "land use or status missing after validation".into(),
            ));
        };
        Ok(ParcelDraft {
            code: p.code,
            legacy_codes: p.legacy_codes,
            name: p.name,
            address: p.address,
            jurisdiction: p.jurisdiction,
            park_id: p.park_id,
            land_use,
            status,
            geometry,
            registered_area_m2: registered,
            enterprise: p.enterprise,
            planning: p.planning,
        })
    }
}

/// A park with its targets.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParkOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Aliases with periods.
    pub aliases: Vec<landcycle_domain::ParkAlias>,
    /// GB/T 2260 code of the governing jurisdiction.
    pub jurisdiction: String,
    /// Its name.
    pub jurisdiction_name: String,
    /// 主导产业.
    pub lead_industries: Vec<String>,
    /// 亩均税收 target, 万元/亩.
    pub tax_per_mu_target: landcycle_domain::TaxPerMuTarget,
    /// Planned area, km².
    #[schema(value_type = Option<String>)]
    pub area_km2: Option<Decimal>,
    /// Roles in the pilot plan.
    pub roles: Vec<String>,
    /// Boundary as GeoJSON (CGCS2000 lon/lat).
    #[schema(value_type = Option<Object>)]
    pub boundary: Option<Value>,
}

impl From<&Park> for ParkOut {
    fn from(p: &Park) -> Self {
        Self {
            id: p.id.as_str().to_owned(),
            name: p.name.clone(),
            aliases: p.aliases.clone(),
            jurisdiction: p.jurisdiction.code.as_str().to_owned(),
            jurisdiction_name: p.jurisdiction.name.clone(),
            lead_industries: p.lead_industries.clone(),
            tax_per_mu_target: p.tax_per_mu_target,
            area_km2: p.area_km2,
            roles: p.roles.clone(),
            boundary: p.boundary.as_ref().map(|b| {
                landcycle_geo::geometry_to_geojson(&geo_types::Geometry::MultiPolygon(b.clone()))
            }),
        }
    }
}
