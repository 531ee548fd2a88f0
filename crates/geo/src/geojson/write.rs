//! geo-types → GeoJSON.
//!
//! [`GeoJson`] serializes a geometry straight into any serde serializer; a page of features
//! written this way allocates nothing per coordinate (the `Value` tree of
//! [`geometry_to_geojson`] allocated an array per position, most of an items response's cost).

use geo_types::{Coord, Geometry, LineString, Polygon};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// The GeoJSON geometry object for `g`, coordinates as stored (x first). `Line` becomes a
/// LineString and `Rect`/`Triangle` Polygons; an empty Polygon has `"coordinates": []`.
pub fn geometry_to_geojson(g: &Geometry<f64>) -> Value {
    // Only a non-finite coordinate could fail to serialize; serde_json writes those as null.
    serde_json::to_value(GeoJson(g)).unwrap_or(Value::Null)
}

/// A geometry that serializes as its GeoJSON geometry object (see [`geometry_to_geojson`]).
#[derive(Debug, Clone, Copy)]
pub struct GeoJson<'a>(pub &'a Geometry<f64>);

impl Serialize for GeoJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        match self.0 {
            Geometry::Point(p) => {
                m.serialize_entry("type", "Point")?;
                m.serialize_entry("coordinates", &Position(p.0))?;
            }
            Geometry::Line(l) => {
                m.serialize_entry("type", "LineString")?;
                m.serialize_entry("coordinates", &[Position(l.start), Position(l.end)])?;
            }
            Geometry::LineString(ls) => {
                m.serialize_entry("type", "LineString")?;
                m.serialize_entry("coordinates", &Line(ls))?;
            }
            Geometry::Polygon(p) => {
                m.serialize_entry("type", "Polygon")?;
                m.serialize_entry("coordinates", &Rings(p))?;
            }
            Geometry::MultiPoint(mp) => {
                m.serialize_entry("type", "MultiPoint")?;
                m.serialize_entry("coordinates", &Seq(mp.0.iter().map(|p| Position(p.0))))?;
            }
            Geometry::MultiLineString(mls) => {
                m.serialize_entry("type", "MultiLineString")?;
                m.serialize_entry("coordinates", &Seq(mls.0.iter().map(Line)))?;
            }
            Geometry::MultiPolygon(mp) => {
                m.serialize_entry("type", "MultiPolygon")?;
                m.serialize_entry("coordinates", &Seq(mp.0.iter().map(Rings)))?;
            }
            Geometry::GeometryCollection(gc) => {
                m.serialize_entry("type", "GeometryCollection")?;
                m.serialize_entry("geometries", &Seq(gc.0.iter().map(GeoJson)))?;
            }
            Geometry::Rect(r) => {
                m.serialize_entry("type", "Polygon")?;
                m.serialize_entry("coordinates", &Rings(&r.to_polygon()))?;
            }
            Geometry::Triangle(t) => {
                m.serialize_entry("type", "Polygon")?;
                m.serialize_entry("coordinates", &Rings(&t.to_polygon()))?;
            }
        }
        m.end()
    }
}

/// A sequence serialized from an iterator that can be cloned (each element once).
struct Seq<I>(I);

impl<I: Iterator<Item = T> + Clone, T: Serialize> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for x in self.0.clone() {
            seq.serialize_element(&x)?;
        }
        seq.end()
    }
}

struct Position(Coord<f64>);

impl Serialize for Position {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.0.x, self.0.y].serialize(s)
    }
}

struct Line<'a>(&'a LineString<f64>);

impl Serialize for Line<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Seq(self.0.0.iter().map(|c| Position(*c))).serialize(s)
    }
}

struct Rings<'a>(&'a Polygon<f64>);

impl Serialize for Rings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.0;
        if p.exterior().0.is_empty() {
            return s.serialize_seq(Some(0))?.end();
        }
        Seq(std::iter::once(p.exterior()).chain(p.interiors()).map(Line)).serialize(s)
    }
}
