//! A small reader of WKT geometries (POINT, POLYGON, MULTIPOLYGON; Z/M ordinates dropped;
//! an EWKT `SRID=n;` prefix is returned), for the geometry column of Excel and CSV files.

use geo_types::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon};

enum Nested {
    Coord(Coord<f64>),
    List(Vec<Nested>),
}

/// Parses WKT; returns the geometry and the EWKT SRID if there was one.
pub fn parse(text: &str) -> Result<(Geometry<f64>, Option<u32>), String> {
    let mut t = text.trim();
    let mut srid = None;
    // `get` rather than indexing: the text may start with a character wider than the prefix.
    if t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("SRID=")) {
        let (s, rest) = t[5..].split_once(';').ok_or("SRID= without ';'")?;
        srid = Some(
            s.trim()
                .parse::<u32>()
                .map_err(|_| format!("bad SRID {s:?}"))?,
        );
        t = rest.trim();
    }
    let kind_end = t
        .find(|c: char| c == '(' || c.is_whitespace())
        .unwrap_or(t.len());
    let kind = t[..kind_end].to_ascii_uppercase();
    let mut rest = t[kind_end..].trim_start();
    for dim in ["ZM", "Z", "M"] {
        if rest
            .get(..dim.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(dim))
            && rest[dim.len()..].trim_start().starts_with('(')
        {
            rest = rest[dim.len()..].trim_start();
            break;
        }
    }
    if rest.eq_ignore_ascii_case("EMPTY") {
        return Err(format!("{kind} EMPTY"));
    }
    let mut chars = rest.chars().peekable();
    let nested = list(&mut chars)?;
    if chars.any(|c| !c.is_whitespace()) {
        return Err("text after the geometry".to_owned());
    }
    let g = match kind.as_str() {
        "POINT" => match as_ring(&nested)?.as_slice() {
            [c] => Geometry::Point(Point(*c)),
            _ => return Err("POINT needs one coordinate".to_owned()),
        },
        "POLYGON" => Geometry::Polygon(polygon(&nested)?),
        "MULTIPOLYGON" => match &nested {
            Nested::List(ps) => Geometry::MultiPolygon(MultiPolygon(
                ps.iter().map(polygon).collect::<Result<_, _>>()?,
            )),
            Nested::Coord(_) => return Err("MULTIPOLYGON needs polygons".to_owned()),
        },
        other => {
            return Err(format!(
                "unsupported WKT type {other:?} (POLYGON or MULTIPOLYGON)"
            ));
        }
    };
    Ok((g, srid))
}

fn polygon(n: &Nested) -> Result<Polygon<f64>, String> {
    let Nested::List(rings) = n else {
        return Err("POLYGON needs rings".to_owned());
    };
    let mut rings = rings.iter().map(|r| as_ring(r).map(LineString));
    let shell = rings.next().ok_or("POLYGON without rings")??;
    Ok(Polygon::new(shell, rings.collect::<Result<_, _>>()?))
}

fn as_ring(n: &Nested) -> Result<Vec<Coord<f64>>, String> {
    match n {
        Nested::List(cs) => cs
            .iter()
            .map(|c| match c {
                Nested::Coord(c) => Ok(*c),
                Nested::List(_) => Err("expected coordinates, found a nested list".to_owned()),
            })
            .collect(),
        Nested::Coord(_) => Err("expected a list of coordinates".to_owned()),
    }
}

fn list(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Nested, String> {
    skip_ws(chars);
    if chars.next() != Some('(') {
        return Err("expected '('".to_owned());
    }
    let mut items = Vec::new();
    loop {
        skip_ws(chars);
        match chars.peek() {
            Some('(') => items.push(list(chars)?),
            Some(_) => items.push(coord(chars)?),
            None => return Err("unclosed '('".to_owned()),
        }
        skip_ws(chars);
        match chars.next() {
            Some(',') => continue,
            Some(')') => return Ok(Nested::List(items)),
            other => return Err(format!("expected ',' or ')', found {other:?}")),
        }
    }
}

fn coord(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Nested, String> {
    let mut s = String::new();
    while let Some(&c) = chars.peek() {
        if c == ',' || c == ')' || c == '(' {
            break;
        }
        s.push(c);
        chars.next();
    }
    let nums: Vec<f64> = s
        .split_whitespace()
        .map(|n| n.parse::<f64>().map_err(|_| format!("bad number {n:?}")))
        .collect::<Result<_, _>>()?;
    match nums.as_slice() {
        [x, y, ..] => Ok(Nested::Coord(Coord { x: *x, y: *y })),
        _ => Err(format!("a coordinate needs x and y, found {s:?}")),
    }
}

fn skip_ws(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygons_multipolygons_and_srid() {
        let (g, s) = parse("POLYGON ((0 0, 1 0, 1 1, 0 0), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1))")
            .expect("wkt");
        assert!(s.is_none());
        let Geometry::Polygon(p) = g else {
            panic!("polygon")
        };
        assert_eq!(p.interiors().len(), 1);
        let (g, s) =
            parse("SRID=4526;MULTIPOLYGON Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)))").expect("wkt");
        assert_eq!(s, Some(4526));
        assert!(matches!(g, Geometry::MultiPolygon(m) if m.0.len() == 1));
        assert!(parse("POLYGON ((0 0, 1 0").is_err());
        assert!(parse("LINESTRING (0 0, 1 1)").is_err());
    }

    /// Found by `tests/fuzz_readers.rs`: a wide character where a prefix or a dimension
    /// letter is looked for used to split a character and panic.
    #[test]
    fn wide_characters_where_ascii_is_expected_are_errors_not_panics() {
        for t in [
            "POLYGON 魏((0 0, 1 0, 1 1, 0 0))",
            "魏RID=4490;POINT (1 1)",
            "SRI魏",
            "POLYGON 魏",
        ] {
            assert!(parse(t).is_err(), "{t}");
        }
    }
}
