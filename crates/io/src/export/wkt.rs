//! Well-known text of a multipolygon, for the geometry column of sheets and CSV.

use geo_types::{LineString, MultiPolygon};
use std::fmt::Write;

/// `MULTIPOLYGON (((x y, …)))` with coordinates in their shortest round-tripping form
/// (`SRID=n;` in front when `srid` is given: EWKT, which the importer reads).
pub fn to_wkt(mp: &MultiPolygon<f64>, srid: Option<u32>) -> String {
    let mut s = String::new();
    if let Some(n) = srid {
        let _ = write!(s, "SRID={n};");
    }
    if mp.0.is_empty() {
        s.push_str("MULTIPOLYGON EMPTY");
        return s;
    }
    s.push_str("MULTIPOLYGON (");
    for (i, p) in mp.0.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('(');
        ring(&mut s, p.exterior());
        for r in p.interiors() {
            s.push_str(", ");
            ring(&mut s, r);
        }
        s.push(')');
    }
    s.push(')');
    s
}

fn ring(s: &mut String, r: &LineString<f64>) {
    s.push('(');
    for (i, c) in r.0.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{} {}", c.x, c.y);
    }
    s.push(')');
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn writes_what_the_reader_reads() {
        let mp = MultiPolygon(vec![polygon![
            (x: 113.5, y: 34.25), (x: 113.75, y: 34.25), (x: 113.75, y: 34.5), (x: 113.5, y: 34.25)
        ]]);
        let w = to_wkt(&mp, Some(4527));
        assert_eq!(
            w,
            "SRID=4527;MULTIPOLYGON (((113.5 34.25, 113.75 34.25, 113.75 34.5, 113.5 34.25)))"
        );
        let (g, srid) = crate::readers::wkt_geom::parse(&w).expect("parse");
        assert_eq!(srid, Some(4527));
        assert_eq!(landcycle_geo::to_multipolygon(g).expect("mp"), mp);
    }
}
