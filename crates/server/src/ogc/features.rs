//! Records → GeoJSON features of the OGC API. Properties are flat (GIS clients turn nested
//! objects into opaque strings) and areas are numbers (亩 to 4 places, m² to 2), since the
//! readers here are maps and desktop GIS; the REST API keeps the exact decimal strings.

use super::Coll;
use super::crs::Output;
use crate::error::ApiError;
use geo_types::Geometry;
use landcycle_domain::{Parcel, Park};
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use serde_json::{Map, Value, json};

fn num(d: rust_decimal::Decimal, dp: u32) -> Value {
    d.round_dp(dp).to_f64().map_or(Value::Null, |f| json!(f))
}

fn opt_num(d: Option<rust_decimal::Decimal>, dp: u32) -> Value {
    d.map_or(Value::Null, |d| num(d, dp))
}

/// A rounded decimal as a JSON number (`None`: null).
fn float(d: rust_decimal::Decimal, dp: u32) -> Option<f64> {
    d.round_dp(dp).to_f64()
}

fn opt_float(d: Option<rust_decimal::Decimal>, dp: u32) -> Option<f64> {
    d.and_then(|d| float(d, dp))
}

/// The properties of a parcel, as the `parcels` collection shows them. A typed struct, not a
/// `Map`: a page of 100 features serializes straight to text (building a `Value` tree per
/// feature was most of an items request's time).
#[derive(Serialize)]
pub struct ParcelProperties<'a> {
    id: String,
    version: u32,
    code: Option<&'a str>,
    name: &'a str,
    address: Option<&'a str>,
    jurisdiction: &'a str,
    park_id: Option<&'a str>,
    status: &'a str,
    status_zh: &'static str,
    land_use_system: &'a str,
    land_use_code: &'a str,
    land_use_name: Option<&'static str>,
    area_m2: Option<f64>,
    area_mu: Option<f64>,
    registered_area_m2: Option<f64>,
    enterprise: Option<&'a str>,
    far_min: Option<f64>,
    far_max: Option<f64>,
    valid_from: String,
    valid_to: Option<String>,
}

impl<'a> ParcelProperties<'a> {
    /// The properties of `p`.
    pub fn of(p: &'a Parcel) -> Self {
        Self {
            id: p.id.to_string(),
            version: p.version,
            code: p.code.as_ref().map(|c| c.as_str()),
            name: &p.name,
            address: p.address.as_deref(),
            jurisdiction: p.jurisdiction.as_str(),
            park_id: p.park_id.as_ref().map(|x| x.as_str()),
            status: p.status.as_str(),
            status_zh: p.status.label_zh(),
            land_use_system: p.land_use.system.as_str(),
            land_use_code: &p.land_use.code,
            land_use_name: p.land_use.name_zh(),
            area_m2: float(p.computed_area_m2.0, 2),
            area_mu: float(p.computed_area_m2.to_mu().0, 4),
            registered_area_m2: opt_float(p.registered_area_m2.map(|a| a.0), 2),
            enterprise: p.enterprise.as_ref().map(|u| u.as_str()),
            far_min: opt_float(p.planning.far_min, 2),
            far_max: opt_float(p.planning.far_max, 2),
            valid_from: p.valid_from.to_string(),
            valid_to: p.valid_to.map(|d| d.to_string()),
        }
    }
}

/// The properties of a parcel on the public available-land list: only what may be published.
#[derive(Serialize)]
pub struct AvailableProperties<'a> {
    id: String,
    code: Option<&'a str>,
    address: Option<&'a str>,
    jurisdiction: &'a str,
    park_id: Option<&'a str>,
    status: &'a str,
    status_zh: &'static str,
    land_use_system: &'a str,
    land_use_code: &'a str,
    land_use_name: Option<&'static str>,
    area_mu: Option<f64>,
    far_min: Option<f64>,
    far_max: Option<f64>,
}

impl<'a> AvailableProperties<'a> {
    /// The published properties of `p`.
    pub fn of(p: &'a Parcel) -> Self {
        Self {
            id: p.id.to_string(),
            code: p.code.as_ref().map(|c| c.as_str()),
            address: p.address.as_deref(),
            jurisdiction: p.jurisdiction.as_str(),
            park_id: p.park_id.as_ref().map(|x| x.as_str()),
            status: p.status.as_str(),
            status_zh: p.status.label_zh(),
            land_use_system: p.land_use.system.as_str(),
            land_use_code: &p.land_use.code,
            land_use_name: p.land_use.name_zh(),
            area_mu: float(p.computed_area_m2.to_mu().0, 4),
            far_min: opt_float(p.planning.far_min, 2),
            far_max: opt_float(p.planning.far_max, 2),
        }
    }
}

/// The properties of a park.
pub fn park_properties(p: &Park) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(p.id.as_str()));
    m.insert("name".into(), json!(p.name));
    m.insert("jurisdiction".into(), json!(p.jurisdiction.code.as_str()));
    m.insert("jurisdiction_name".into(), json!(p.jurisdiction.name));
    m.insert(
        "lead_industries".into(),
        json!(p.lead_industries.join("、")),
    );
    m.insert(
        "tax_per_mu_min_wan".into(),
        num(p.tax_per_mu_target.min_wan, 2),
    );
    m.insert(
        "tax_per_mu_max_wan".into(),
        opt_num(p.tax_per_mu_target.max_wan, 2),
    );
    m.insert("area_km2".into(), opt_num(p.area_km2, 2));
    m
}

/// A GeoJSON feature with its geometry in the output CRS.
pub fn feature(
    id: &str,
    geometry: Option<&Geometry<f64>>,
    properties: Map<String, Value>,
    out: &Output,
) -> Result<Value, ApiError> {
    let geometry = match geometry {
        Some(g) => landcycle_geo::geometry_to_geojson(&out.geometry(g)?),
        None => Value::Null,
    };
    Ok(json!({
        "type": "Feature",
        "id": id,
        "geometry": geometry,
        "properties": properties,
    }))
}

/// The properties of a parcel of collection `c`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ParcelProps<'a> {
    /// `parcels`.
    Full(ParcelProperties<'a>),
    /// `available-land`.
    Available(AvailableProperties<'a>),
}

/// A parcel as a GeoJSON feature of collection `c`, ready to serialize (geometry already in
/// the output CRS).
#[derive(Serialize)]
pub struct ParcelFeature<'a> {
    r#type: &'static str,
    id: String,
    geometry: landcycle_geo::GeoJson<'a>,
    properties: ParcelProps<'a>,
}

/// A parcel's geometry in the output CRS.
pub fn parcel_geometry(p: &Parcel, out: &Output) -> Result<Geometry<f64>, ApiError> {
    out.geometry(&Geometry::MultiPolygon(p.geometry.clone()))
}

/// A parcel as a feature of collection `c`, with its geometry already transformed
/// ([`parcel_geometry`]).
pub fn parcel_feature_of<'a>(
    c: Coll,
    p: &'a Parcel,
    geometry: &'a Geometry<f64>,
) -> ParcelFeature<'a> {
    ParcelFeature {
        r#type: "Feature",
        id: p.id.to_string(),
        geometry: landcycle_geo::GeoJson(geometry),
        properties: match c {
            Coll::AvailableLand => ParcelProps::Available(AvailableProperties::of(p)),
            _ => ParcelProps::Full(ParcelProperties::of(p)),
        },
    }
}

/// A parcel as a feature of collection `c`.
pub fn parcel_feature(c: Coll, p: &Parcel, out: &Output) -> Result<Value, ApiError> {
    let g = parcel_geometry(p, out)?;
    serde_json::to_value(parcel_feature_of(c, p, &g))
        .map_err(|e| ApiError::Internal(format!("feature {}: {e}", p.id)))
}

/// A park as a feature.
pub fn park_feature(p: &Park, out: &Output) -> Result<Value, ApiError> {
    let g = p.boundary.clone().map(Geometry::MultiPolygon);
    feature(p.id.as_str(), g.as_ref(), park_properties(p), out)
}
