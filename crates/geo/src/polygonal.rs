//! Coercing geometries to the MultiPolygon parcels are stored as, and fixing ring orientation.

use geo::Orient;
use geo::orient::Direction;
use geo_types::{Geometry, MultiPolygon, Polygon};

use crate::error::{GeoError, GeoResult};

/// The geometry type's name as used in messages (GeoJSON / Simple Features spelling).
pub fn geometry_type_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) => "Line",
        Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

/// A polygonal geometry as a MultiPolygon: Polygon → one part; Rect and Triangle → their
/// polygon; a GeometryCollection whose members are all polygonal → its flattened parts (GDAL
/// emits those). Empty parts are dropped. Anything else is [`GeoError::NotPolygonal`].
pub fn to_multipolygon(g: Geometry<f64>) -> GeoResult<MultiPolygon<f64>> {
    let mut parts = Vec::new();
    collect_polygons(g, &mut parts)?;
    parts.retain(|p| !p.exterior().0.is_empty());
    Ok(MultiPolygon(parts))
}

fn collect_polygons(g: Geometry<f64>, out: &mut Vec<Polygon<f64>>) -> GeoResult<()> {
    match g {
        Geometry::Polygon(p) => out.push(p),
        Geometry::MultiPolygon(mp) => out.extend(mp.0),
        Geometry::Rect(r) => out.push(r.to_polygon()),
        Geometry::Triangle(t) => out.push(t.to_polygon()),
        Geometry::GeometryCollection(gc) => {
            for member in gc.0 {
                collect_polygons(member, out)?;
            }
        }
        other => {
            return Err(GeoError::NotPolygonal {
                found: geometry_type_name(&other),
            });
        }
    }
    Ok(())
}

/// The same multipolygon with exterior rings counter-clockwise and holes clockwise (the
/// GeoJSON RFC 7946 and OGC convention; Shapefiles use the opposite).
pub fn normalize_orientation(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    mp.orient(Direction::Default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Winding;
    use geo_types::{GeometryCollection, LineString, point, polygon};

    fn square() -> Polygon<f64> {
        polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)]
    }

    #[test]
    fn polygonal_types_become_multipolygons() {
        assert_eq!(
            to_multipolygon(square().into()),
            Ok(MultiPolygon(vec![square()]))
        );
        let gc = GeometryCollection(vec![
            square().into(),
            MultiPolygon(vec![square(), square()]).into(),
            Polygon::<f64>::new(LineString::new(vec![]), vec![]).into(),
        ]);
        assert_eq!(
            to_multipolygon(Geometry::GeometryCollection(gc)).map(|mp| mp.0.len()),
            Ok(3)
        );
        let rect = geo_types::Rect::new((0.0, 0.0), (1.0, 1.0));
        assert_eq!(
            to_multipolygon(rect.into()),
            Ok(MultiPolygon(vec![rect.to_polygon()]))
        );
    }

    #[test]
    fn non_polygonal_types_are_named_in_the_error() {
        let err = to_multipolygon(point!(x: 1.0, y: 2.0).into()).expect_err("point");
        assert_eq!(err, GeoError::NotPolygonal { found: "Point" });
        let gc = GeometryCollection(vec![square().into(), point!(x: 1.0, y: 2.0).into()]);
        assert!(to_multipolygon(Geometry::GeometryCollection(gc)).is_err());
    }

    #[test]
    fn orientation_is_normalized() {
        let cw_exterior: LineString<f64> = square().exterior().0.iter().rev().copied().collect();
        let ccw_hole = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0)];
        let shapefile_style = Polygon::new(cw_exterior, vec![ccw_hole.exterior().clone()]);
        let fixed = normalize_orientation(&MultiPolygon(vec![shapefile_style]));
        assert!(fixed.0[0].exterior().is_ccw());
        assert!(fixed.0[0].interiors()[0].is_cw());
    }
}
