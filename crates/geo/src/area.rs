//! Parcel (宗地) areas as surveyors compute them: planar area in the 3-degree Gauss–Krüger zone
//! of the parcel, never on longitude/latitude (domain README §7.2).

use geo::{Area, BoundingRect, Centroid};
use geo_types::{Geometry, MultiPolygon};
use std::sync::OnceLock;

use crate::crs::{Crs, gk3_zone_for_lon};
use crate::error::GeoResult;
use crate::transform::Transformer;

/// Zone used when a geometry has no centroid (empty): Xuchang's zone 38.
const FALLBACK_ZONE: u8 = 38;

/// The 3-degree zone (25..=45) of a CGCS2000 lon/lat multipolygon's centroid. Longitudes
/// outside China's 75°E–135°E are clamped to the nearest zone.
pub fn gk_zone_for(geom: &MultiPolygon<f64>) -> u8 {
    let lon = geom
        .centroid()
        .map(|c| c.x())
        // A zero-area multipolygon has no area centroid; its bounding box still locates it.
        .or_else(|| geom.bounding_rect().map(|r| r.center().x))
        .filter(|lon| lon.is_finite());
    match lon {
        Some(lon) => gk3_zone_for_lon(lon).clamp(25, 45),
        None => FALLBACK_ZONE,
    }
}

/// The unprefixed ("CM nnnE", EPSG:4534–4554) 3-degree Gauss–Krüger EPSG code
/// [`gk_area_m2`] computes in: 4547 for Xuchang. Empty geometries get zone 38's 4547.
pub fn gk_zone_epsg_for(geom: &MultiPolygon<f64>) -> u32 {
    gk_zone_crs_for(geom).epsg()
}

/// The CRS of [`gk_zone_epsg_for`].
pub fn gk_zone_crs_for(geom: &MultiPolygon<f64>) -> Crs {
    Crs::Gk3 {
        zone: gk_zone_for(geom),
        prefixed: false,
    }
}

/// Planar area in m² of a CGCS2000 (lon/lat degrees) polygon, computed in the 3-degree
/// Gauss–Krüger zone of its centroid (EPSG:4513–4533 / 4534–4554; zone 38 = EPSG:4526/4547 for
/// Xuchang), as surveyors compute 宗地 area. Holes are subtracted. Errors if a coordinate is
/// not a valid longitude/latitude (e.g. projected coordinates passed by mistake).
pub fn gk_area_m2(geom: &MultiPolygon<f64>) -> GeoResult<f64> {
    if geom.0.is_empty() {
        return Ok(0.0);
    }
    let t = zone_transformer(gk_zone_for(geom))?;
    let projected = t.geometry(&Geometry::MultiPolygon(geom.clone()))?;
    Ok(projected.unsigned_area())
}

/// The lon/lat → zone transformer, built once per zone: building one formats and parses two
/// PROJ strings, which was most of an area's cost when an import computed a million of them.
fn zone_transformer(zone: u8) -> GeoResult<&'static Transformer> {
    const ZONES: usize = 45 - 25 + 1;
    static CACHE: [OnceLock<Transformer>; ZONES] = [const { OnceLock::new() }; ZONES];
    let slot = &CACHE[usize::from(zone.clamp(25, 45) - 25)];
    if let Some(t) = slot.get() {
        return Ok(t);
    }
    let t = Transformer::new(
        &Crs::Cgcs2000Geographic,
        &Crs::Gk3 {
            zone,
            prefixed: false,
        },
    )?;
    Ok(slot.get_or_init(|| t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{LineString, Polygon, polygon};

    fn rect(lon: f64, lat: f64, dlon: f64, dlat: f64) -> Polygon<f64> {
        polygon![
            (x: lon, y: lat),
            (x: lon + dlon, y: lat),
            (x: lon + dlon, y: lat + dlat),
            (x: lon, y: lat + dlat),
        ]
    }

    #[test]
    fn xuchang_is_zone_38_cm_114() {
        let mp = MultiPolygon(vec![rect(113.85, 34.03, 0.003, 0.002)]);
        assert_eq!(gk_zone_for(&mp), 38);
        assert_eq!(gk_zone_epsg_for(&mp), 4547);
        assert_eq!(gk_zone_epsg_for(&MultiPolygon(vec![])), 4547);
        let far_west = MultiPolygon(vec![rect(60.0, 40.0, 0.01, 0.01)]);
        assert_eq!(gk_zone_epsg_for(&far_west), 4534);
    }

    #[test]
    fn area_is_close_to_the_ellipsoidal_estimate() {
        // 0.003° × 0.002° at 34°N is about 277 m × 222 m; GK scale at 0.15° from the CM is
        // 1 + 3e-6, so the planar area is within 0.01 % of the geodesic one.
        let mp = MultiPolygon(vec![rect(113.85, 34.03, 0.003, 0.002)]);
        let area = gk_area_m2(&mp).expect("area");
        let geodesic = {
            use geo::GeodesicArea;
            mp.geodesic_area_unsigned()
        };
        assert!(
            (area - geodesic).abs() / geodesic < 1e-4,
            "{area} vs {geodesic}"
        );
    }

    #[test]
    fn holes_are_subtracted_and_orientation_does_not_matter() {
        let outer = rect(113.85, 34.03, 0.003, 0.002);
        let hole = rect(113.851, 34.0305, 0.001, 0.0005);
        let with_hole = Polygon::new(
            outer.exterior().clone(),
            vec![LineString(
                hole.exterior().0.iter().rev().copied().collect(),
            )],
        );
        let a_outer = gk_area_m2(&MultiPolygon(vec![outer.clone()])).expect("outer");
        let a_hole = gk_area_m2(&MultiPolygon(vec![hole])).expect("hole");
        let a = gk_area_m2(&MultiPolygon(vec![with_hole])).expect("with hole");
        assert!(
            (a - (a_outer - a_hole)).abs() < 1e-6,
            "{a} {a_outer} {a_hole}"
        );
        let reversed = Polygon::new(
            LineString(outer.exterior().0.iter().rev().copied().collect()),
            vec![],
        );
        let a_rev = gk_area_m2(&MultiPolygon(vec![reversed])).expect("reversed");
        assert!((a_rev - a_outer).abs() < 1e-6);
    }

    #[test]
    fn projected_coordinates_are_rejected() {
        let mp = MultiPolygon(vec![rect(38_486_147.0, 3_766_999.0, 100.0, 100.0)]);
        assert!(gk_area_m2(&mp).is_err());
    }
}
