//! Validation of parcel (宗地) geometries, with messages in English and Chinese so that the UI
//! can show them to surveyors as they are.
//!
//! Ring-level checks (closure, vertex count, finiteness, coordinate range, self-intersection,
//! orientation) are our own so each problem carries a location; ring-to-ring checks use geo's
//! `Relate`. geo's `Validation` trait is not used because its self-intersection test compares
//! every segment with every other (quadratic), which stalls on traced boundaries with
//! thousands of vertices, and it cannot say *where* a ring crosses itself.

mod problem;
mod rings;
mod sweep;
mod topology;

use std::borrow::Cow;

use geo_types::{Geometry, MultiPolygon, Polygon};
use serde_json::Value;

use crate::crs::Crs;
use crate::geojson::geometry_from_geojson;
use crate::polygonal::geometry_type_name;

pub use crate::polygonal::{normalize_orientation, to_multipolygon};
pub use problem::{GeometryProblem, RingRef, Severity, codes};

/// Validates a parcel geometry given in GIS order (x = longitude/easting) in `crs`.
///
/// Parcels must be a Polygon or MultiPolygon; geographic coordinates must be longitude in
/// [-180, 180] and latitude in [-90, 90]; Gauss–Krüger eastings must fit their zone; rings must
/// be closed with at least 4 points and must not cross themselves or each other; parts of a
/// multipolygon must not overlap. Orientation (exterior counter-clockwise, holes clockwise) is
/// reported as a [`Severity::Warning`], repairable with [`normalize_orientation`].
/// An empty result means the geometry is valid.
pub fn validate_parcel_geometry(g: &Geometry<f64>, crs: &Crs) -> Vec<GeometryProblem> {
    let polygons: Vec<Cow<'_, Polygon<f64>>> = match g {
        Geometry::Polygon(p) => vec![Cow::Borrowed(p)],
        Geometry::MultiPolygon(mp) => mp.0.iter().map(Cow::Borrowed).collect(),
        Geometry::Rect(r) => vec![Cow::Owned(r.to_polygon())],
        Geometry::Triangle(t) => vec![Cow::Owned(t.to_polygon())],
        other => return vec![problem::not_polygon(geometry_type_name(other))],
    };
    if polygons.iter().all(|p| p.exterior().0.is_empty()) {
        return vec![problem::empty(None)];
    }
    check_polygons(&polygons, matches!(g, Geometry::MultiPolygon(_)), crs)
}

/// [`validate_parcel_geometry`] of a MultiPolygon, without wrapping (copying) it in a
/// [`Geometry`] first: an import validates a million of them.
pub fn validate_parcel_multipolygon(mp: &MultiPolygon<f64>, crs: &Crs) -> Vec<GeometryProblem> {
    let polygons: Vec<Cow<'_, Polygon<f64>>> = mp.0.iter().map(Cow::Borrowed).collect();
    if polygons.iter().all(|p| p.exterior().0.is_empty()) {
        return vec![problem::empty(None)];
    }
    check_polygons(&polygons, true, crs)
}

fn check_polygons(
    polygons: &[Cow<'_, Polygon<f64>>],
    multi: bool,
    crs: &Crs,
) -> Vec<GeometryProblem> {
    let mut problems = Vec::new();
    let mut rings_ok = true;
    for (i, p) in polygons.iter().enumerate() {
        let polygon = multi.then_some(i);
        if p.exterior().0.is_empty() {
            problems.push(problem::empty(polygon));
            rings_ok = false;
            continue;
        }
        let holes = p.interiors().iter().enumerate().map(|(h, r)| (Some(h), r));
        for (hole, ring) in std::iter::once((None, p.exterior())).chain(holes) {
            rings_ok &= rings::check_ring(&ring.0, RingRef { polygon, hole }, crs, &mut problems);
        }
    }
    // Relate on broken rings gives meaningless answers (or worse); fix rings first.
    if rings_ok {
        topology::check(polygons, multi, &mut problems);
    }
    problems
}

/// Validates a GeoJSON geometry (or Feature) as a parcel. Besides everything
/// [`validate_parcel_geometry`] checks, this sees problems that parsing into geo-types hides —
/// rings that are not closed, which geo-types silently closes. A GeoJSON syntax problem is
/// reported as `invalid_geojson`.
pub fn validate_parcel_geojson(v: &Value, crs: &Crs) -> Vec<GeometryProblem> {
    let g = match geometry_from_geojson(v) {
        Ok(g) => g,
        Err(e) => return vec![problem::invalid_geojson(&e.to_string())],
    };
    let mut problems = Vec::new();
    let geometry = if v.get("type").and_then(Value::as_str) == Some("Feature") {
        v.get("geometry").unwrap_or(&Value::Null)
    } else {
        v
    };
    let coordinates = geometry.get("coordinates");
    let polygons: Vec<(Option<usize>, &Value)> =
        match (geometry.get("type").and_then(Value::as_str), coordinates) {
            (Some("Polygon"), Some(c)) => vec![(None, c)],
            (Some("MultiPolygon"), Some(Value::Array(ps))) => {
                ps.iter().enumerate().map(|(i, p)| (Some(i), p)).collect()
            }
            _ => vec![],
        };
    for (polygon, rings) in polygons {
        let Value::Array(rings) = rings else { continue };
        for (r, ring) in rings.iter().enumerate() {
            let hole = r.checked_sub(1);
            if let Some(at) = unclosed_position(ring) {
                problems.push(problem::unclosed_ring(RingRef { polygon, hole }, at));
            }
        }
    }
    problems.extend(validate_parcel_geometry(&g, crs));
    problems
}

/// The first position of a GeoJSON ring whose last position differs from its first.
fn unclosed_position(ring: &Value) -> Option<(f64, f64)> {
    let positions = ring.as_array()?;
    let xy = |p: &Value| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?));
    let first = xy(positions.first()?)?;
    let last = xy(positions.last()?)?;
    (first != last).then_some(first)
}

#[cfg(test)]
mod tests;
