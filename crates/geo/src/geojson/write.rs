//! geo-types → GeoJSON.

use geo_types::{Coord, Geometry, LineString, Polygon};
use serde_json::{Value, json};

/// The GeoJSON geometry object for `g`, coordinates as stored (x first). `Line` becomes a
/// LineString and `Rect`/`Triangle` Polygons; an empty Polygon has `"coordinates": []`.
pub fn geometry_to_geojson(g: &Geometry<f64>) -> Value {
    match g {
        Geometry::Point(p) => json!({"type": "Point", "coordinates": position(p.0)}),
        Geometry::Line(l) => {
            json!({"type": "LineString", "coordinates": [position(l.start), position(l.end)]})
        }
        Geometry::LineString(ls) => json!({"type": "LineString", "coordinates": line(ls)}),
        Geometry::Polygon(p) => json!({"type": "Polygon", "coordinates": rings(p)}),
        Geometry::MultiPoint(mp) => json!({
            "type": "MultiPoint",
            "coordinates": mp.0.iter().map(|p| position(p.0)).collect::<Vec<_>>(),
        }),
        Geometry::MultiLineString(mls) => json!({
            "type": "MultiLineString",
            "coordinates": mls.0.iter().map(line).collect::<Vec<_>>(),
        }),
        Geometry::MultiPolygon(mp) => json!({
            "type": "MultiPolygon",
            "coordinates": mp.0.iter().map(rings).collect::<Vec<_>>(),
        }),
        Geometry::GeometryCollection(gc) => json!({
            "type": "GeometryCollection",
            "geometries": gc.0.iter().map(geometry_to_geojson).collect::<Vec<_>>(),
        }),
        Geometry::Rect(r) => json!({"type": "Polygon", "coordinates": rings(&r.to_polygon())}),
        Geometry::Triangle(t) => json!({"type": "Polygon", "coordinates": rings(&t.to_polygon())}),
    }
}

fn position(c: Coord<f64>) -> Value {
    json!([c.x, c.y])
}

fn line(ls: &LineString<f64>) -> Value {
    Value::Array(ls.0.iter().map(|c| position(*c)).collect())
}

fn rings(p: &Polygon<f64>) -> Value {
    if p.exterior().0.is_empty() {
        return json!([]);
    }
    Value::Array(
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(line)
            .collect(),
    )
}
