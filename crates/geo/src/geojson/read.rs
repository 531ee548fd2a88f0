//! GeoJSON → geo-types.

use geo_types::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde_json::Value;

use crate::error::{GeoError, GeoResult};

/// Parses a GeoJSON geometry object — or a Feature, whose `geometry` is used — into a
/// geo-types geometry. Errors name the offending member, e.g. `coordinates[0][3]`.
///
/// Polygon rings that are not closed are closed (geo-types always closes rings); use
/// [`crate::validate::validate_parcel_geojson`] to report them instead.
pub fn geometry_from_geojson(v: &Value) -> GeoResult<Geometry<f64>> {
    if v.get("type").and_then(Value::as_str) == Some("Feature") {
        return match v.get("geometry") {
            None | Some(Value::Null) => Err(err("geometry", "the Feature has no geometry")),
            Some(g) => geometry(g, "geometry"),
        };
    }
    geometry(v, "")
}

fn err(member: &str, message: impl Into<String>) -> GeoError {
    let member = if member.is_empty() { "(root)" } else { member };
    GeoError::GeoJson {
        member: member.to_owned(),
        message: message.into(),
    }
}

fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn geometry(v: &Value, path: &str) -> GeoResult<Geometry<f64>> {
    let Value::Object(obj) = v else {
        return Err(err(
            path,
            format!("expected a GeoJSON geometry object, found {}", describe(v)),
        ));
    };
    let type_path = child(path, "type");
    let kind = match obj.get("type") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(err(
                &type_path,
                format!("expected a string, found {}", describe(other)),
            ));
        }
        None => return Err(err(&type_path, "missing")),
    };
    if kind == "GeometryCollection" {
        let gpath = child(path, "geometries");
        let members = array(obj.get("geometries"), &gpath)?;
        return members
            .iter()
            .enumerate()
            .map(|(i, m)| geometry(m, &format!("{gpath}[{i}]")))
            .collect::<GeoResult<Vec<_>>>()
            .map(|gs| Geometry::GeometryCollection(GeometryCollection(gs)));
    }
    let cpath = child(path, "coordinates");
    let coords = obj.get("coordinates");
    Ok(match kind {
        "Point" => Point(position(coords, &cpath)?).into(),
        "LineString" => LineString(positions(coords, &cpath)?).into(),
        "Polygon" => polygon(coords, &cpath)?.into(),
        "MultiPoint" => MultiPoint(each(coords, &cpath, |c, p| position(c, p).map(Point))?).into(),
        "MultiLineString" => MultiLineString(each(coords, &cpath, |c, p| {
            positions(c, p).map(LineString)
        })?)
        .into(),
        "MultiPolygon" => MultiPolygon(each(coords, &cpath, polygon)?).into(),
        "Feature" | "FeatureCollection" => {
            return Err(err(
                &type_path,
                format!("expected a geometry, found a {kind}"),
            ));
        }
        other => {
            return Err(err(
                &type_path,
                format!(
                    "unknown geometry type `{other}` (expected Point, LineString, Polygon, \
                     MultiPoint, MultiLineString, MultiPolygon or GeometryCollection)"
                ),
            ));
        }
    })
}

fn array<'a>(v: Option<&'a Value>, path: &str) -> GeoResult<&'a Vec<Value>> {
    match v {
        Some(Value::Array(a)) => Ok(a),
        Some(other) => Err(err(
            path,
            format!("expected an array, found {}", describe(other)),
        )),
        None => Err(err(path, "missing")),
    }
}

fn each<T>(
    v: Option<&Value>,
    path: &str,
    f: impl Fn(Option<&Value>, &str) -> GeoResult<T>,
) -> GeoResult<Vec<T>> {
    array(v, path)?
        .iter()
        .enumerate()
        .map(|(i, m)| f(Some(m), &format!("{path}[{i}]")))
        .collect()
}

fn position(v: Option<&Value>, path: &str) -> GeoResult<Coord<f64>> {
    let a = array(v, path)?;
    if a.len() < 2 {
        return Err(err(
            path,
            format!("a position needs at least 2 numbers, found {}", a.len()),
        ));
    }
    let number = |i: usize| {
        a[i].as_f64().ok_or_else(|| {
            err(
                &format!("{path}[{i}]"),
                format!("expected a number, found {}", describe(&a[i])),
            )
        })
    };
    Ok(Coord {
        x: number(0)?,
        y: number(1)?,
    })
}

fn positions(v: Option<&Value>, path: &str) -> GeoResult<Vec<Coord<f64>>> {
    each(v, path, position)
}

fn polygon(v: Option<&Value>, path: &str) -> GeoResult<Polygon<f64>> {
    let mut rings = each(v, path, |r, p| positions(r, p).map(LineString))?;
    if rings.is_empty() {
        return Ok(Polygon::new(LineString::new(vec![]), vec![]));
    }
    let exterior = rings.remove(0);
    Ok(Polygon::new(exterior, rings))
}
