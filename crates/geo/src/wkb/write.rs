//! WKB writer.

use geo_types::{Coord, Geometry, LineString, Point, Polygon};

use super::code;

/// Little-endian byte-order marker.
const LITTLE_ENDIAN: u8 = 1;

/// Encodes a geometry as little-endian 2D ISO WKB. `Line` is written as a LineString and
/// `Rect`/`Triangle` as Polygons, since WKB has no such types. An empty polygon (empty exterior)
/// is written with zero rings.
pub fn write(geom: &Geometry<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(estimate(geom));
    write_geometry(&mut out, geom);
    out
}

fn estimate(geom: &Geometry<f64>) -> usize {
    use geo::CoordsIter;
    // Header bytes are small next to 16 bytes per coordinate; this avoids most regrowth.
    9 + 16 * geom.coords_count()
}

fn write_geometry(out: &mut Vec<u8>, geom: &Geometry<f64>) {
    match geom {
        Geometry::Point(p) => write_point(out, p),
        Geometry::Line(l) => {
            header(out, code::LINE_STRING);
            write_coords(out, &[l.start, l.end]);
        }
        Geometry::LineString(ls) => write_line_string(out, ls),
        Geometry::Polygon(p) => write_polygon(out, p),
        Geometry::MultiPoint(mp) => {
            header(out, code::MULTI_POINT);
            count(out, mp.0.len());
            mp.0.iter().for_each(|p| write_point(out, p));
        }
        Geometry::MultiLineString(mls) => {
            header(out, code::MULTI_LINE_STRING);
            count(out, mls.0.len());
            mls.0.iter().for_each(|ls| write_line_string(out, ls));
        }
        Geometry::MultiPolygon(mp) => {
            header(out, code::MULTI_POLYGON);
            count(out, mp.0.len());
            mp.0.iter().for_each(|p| write_polygon(out, p));
        }
        Geometry::GeometryCollection(gc) => {
            header(out, code::GEOMETRY_COLLECTION);
            count(out, gc.0.len());
            gc.0.iter().for_each(|g| write_geometry(out, g));
        }
        Geometry::Rect(r) => write_polygon(out, &r.to_polygon()),
        Geometry::Triangle(t) => write_polygon(out, &t.to_polygon()),
    }
}

fn header(out: &mut Vec<u8>, type_code: u32) {
    out.push(LITTLE_ENDIAN);
    out.extend_from_slice(&type_code.to_le_bytes());
}

fn count(out: &mut Vec<u8>, n: usize) {
    // Geometries with more than u32::MAX parts cannot exist in memory on any real machine.
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn write_point(out: &mut Vec<u8>, p: &Point<f64>) {
    header(out, code::POINT);
    out.extend_from_slice(&p.x().to_le_bytes());
    out.extend_from_slice(&p.y().to_le_bytes());
}

fn write_line_string(out: &mut Vec<u8>, ls: &LineString<f64>) {
    header(out, code::LINE_STRING);
    write_coords(out, &ls.0);
}

fn write_polygon(out: &mut Vec<u8>, p: &Polygon<f64>) {
    header(out, code::POLYGON);
    if p.exterior().0.is_empty() {
        count(out, 0);
        return;
    }
    count(out, 1 + p.interiors().len());
    write_coords(out, &p.exterior().0);
    p.interiors()
        .iter()
        .for_each(|ring| write_coords(out, &ring.0));
}

fn write_coords(out: &mut Vec<u8>, coords: &[Coord<f64>]) {
    count(out, coords.len());
    for c in coords {
        out.extend_from_slice(&c.x.to_le_bytes());
        out.extend_from_slice(&c.y.to_le_bytes());
    }
}
