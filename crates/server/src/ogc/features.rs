//! Records → GeoJSON features of the OGC API. Properties are flat (GIS clients turn nested
//! objects into opaque strings) and areas are numbers (亩 to 4 places, m² to 2), since the
//! readers here are maps and desktop GIS; the REST API keeps the exact decimal strings.

use super::Coll;
use super::crs::Output;
use crate::error::ApiError;
use geo_types::Geometry;
use landcycle_domain::{Parcel, Park};
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

fn num(d: rust_decimal::Decimal, dp: u32) -> Value {
    d.round_dp(dp).to_f64().map_or(Value::Null, |f| json!(f))
}

fn opt_num(d: Option<rust_decimal::Decimal>, dp: u32) -> Value {
    d.map_or(Value::Null, |d| num(d, dp))
}

/// The properties of a parcel, as the `parcels` collection shows them.
pub fn parcel_properties(p: &Parcel) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(p.id.to_string()));
    m.insert("version".into(), json!(p.version));
    m.insert("code".into(), json!(p.code.as_ref().map(|c| c.as_str())));
    m.insert("name".into(), json!(p.name));
    m.insert("address".into(), json!(p.address));
    m.insert("jurisdiction".into(), json!(p.jurisdiction.as_str()));
    m.insert(
        "park_id".into(),
        json!(p.park_id.as_ref().map(|x| x.as_str())),
    );
    m.insert("status".into(), json!(p.status.as_str()));
    m.insert("status_zh".into(), json!(p.status.label_zh()));
    m.insert("land_use_system".into(), json!(p.land_use.system.as_str()));
    m.insert("land_use_code".into(), json!(p.land_use.code));
    m.insert("land_use_name".into(), json!(p.land_use.name_zh()));
    m.insert("area_m2".into(), num(p.computed_area_m2.0, 2));
    m.insert("area_mu".into(), num(p.computed_area_m2.to_mu().0, 4));
    m.insert(
        "registered_area_m2".into(),
        opt_num(p.registered_area_m2.map(|a| a.0), 2),
    );
    m.insert(
        "enterprise".into(),
        json!(p.enterprise.as_ref().map(|u| u.as_str())),
    );
    m.insert("far_min".into(), opt_num(p.planning.far_min, 2));
    m.insert("far_max".into(), opt_num(p.planning.far_max, 2));
    m.insert("valid_from".into(), json!(p.valid_from.to_string()));
    m.insert("valid_to".into(), json!(p.valid_to.map(|d| d.to_string())));
    m
}

/// The properties of a parcel on the public available-land list: only what may be published.
pub fn available_properties(p: &Parcel) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(p.id.to_string()));
    m.insert("code".into(), json!(p.code.as_ref().map(|c| c.as_str())));
    m.insert("address".into(), json!(p.address));
    m.insert("jurisdiction".into(), json!(p.jurisdiction.as_str()));
    m.insert(
        "park_id".into(),
        json!(p.park_id.as_ref().map(|x| x.as_str())),
    );
    m.insert("status".into(), json!(p.status.as_str()));
    m.insert("status_zh".into(), json!(p.status.label_zh()));
    m.insert("land_use_system".into(), json!(p.land_use.system.as_str()));
    m.insert("land_use_code".into(), json!(p.land_use.code));
    m.insert("land_use_name".into(), json!(p.land_use.name_zh()));
    m.insert("area_mu".into(), num(p.computed_area_m2.to_mu().0, 4));
    m.insert("far_min".into(), opt_num(p.planning.far_min, 2));
    m.insert("far_max".into(), opt_num(p.planning.far_max, 2));
    m
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

/// A parcel as a feature of collection `c`.
pub fn parcel_feature(c: Coll, p: &Parcel, out: &Output) -> Result<Value, ApiError> {
    let props = match c {
        Coll::AvailableLand => available_properties(p),
        _ => parcel_properties(p),
    };
    feature(
        &p.id.to_string(),
        Some(&Geometry::MultiPolygon(p.geometry.clone())),
        props,
        out,
    )
}

/// A park as a feature.
pub fn park_feature(p: &Park, out: &Output) -> Result<Value, ApiError> {
    let g = p.boundary.clone().map(Geometry::MultiPolygon);
    feature(p.id.as_str(), g.as_ref(), park_properties(p), out)
}
