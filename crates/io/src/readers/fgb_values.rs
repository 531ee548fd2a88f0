//! The parts of a FlatGeobuf feature the FlatBuffers verifier cannot judge: the property bytes
//! (column index, then the value, little-endian) and the ring ends and parts of a geometry. Both
//! are read with bounds checks, so that a damaged file is a problem naming the column, never a
//! panic.

use crate::table::{Fields, RawValue};
use flatgeobuf::{ColumnType, Feature, Geometry as FgbGeometry, GeometryType};
use geo_types::{Coord, Geometry, GeometryCollection, LineString, MultiPolygon, Point, Polygon};
use std::sync::Arc;

/// A problem of one feature's properties: (field, reason, reason in Chinese).
pub type PropertyProblem = (String, String, String);

/// The values of a feature by column name. Columns a feature leaves out are absent (null).
pub fn properties(
    feature: &Feature,
    columns: &[(Arc<str>, ColumnType)],
) -> Result<Fields, PropertyProblem> {
    let mut out = Fields::with_capacity(columns.len());
    let Some(props) = feature.properties() else {
        return Ok(out);
    };
    let b = props.bytes();
    let mut at = 0usize;
    // A trailing byte after the last value is tolerated: some writers leave one.
    while at + 1 < b.len() {
        let idx = usize::from(u16::from_le_bytes([b[at], b[at + 1]]));
        at += 2;
        let Some((name, ty)) = columns.get(idx) else {
            return Err((
                "properties".into(),
                format!(
                    "column index {idx} at property byte {} is not one of the {} columns",
                    at - 2,
                    columns.len()
                ),
                format!("属性字节{}处的列序号{idx}超出列数{}", at - 2, columns.len()),
            ));
        };
        let short = || {
            (
                name.to_string(),
                format!("the value of column `{name}` ({ty:?}) runs past the feature's properties"),
                format!("字段“{name}”的值超出要素属性数据"),
            )
        };
        let mut take = |n: usize| -> Result<&[u8], PropertyProblem> {
            let s = b
                .get(at..at.checked_add(n).ok_or_else(short)?)
                .ok_or_else(short)?;
            at += n;
            Ok(s)
        };
        let value = match *ty {
            ColumnType::Byte => RawValue::Number(f64::from(take(1)?[0] as i8)),
            ColumnType::UByte => RawValue::Number(f64::from(take(1)?[0])),
            ColumnType::Bool => RawValue::Bool(take(1)?[0] != 0),
            ColumnType::Short => RawValue::Number(f64::from(i16::from_le_bytes(arr(take(2)?)))),
            ColumnType::UShort => RawValue::Number(f64::from(u16::from_le_bytes(arr(take(2)?)))),
            ColumnType::Int => RawValue::Number(f64::from(i32::from_le_bytes(arr(take(4)?)))),
            ColumnType::UInt => RawValue::Number(f64::from(u32::from_le_bytes(arr(take(4)?)))),
            ColumnType::Long => RawValue::Number(i64::from_le_bytes(arr(take(8)?)) as f64),
            ColumnType::ULong => RawValue::Number(u64::from_le_bytes(arr(take(8)?)) as f64),
            ColumnType::Float => RawValue::Number(f64::from(f32::from_le_bytes(arr(take(4)?)))),
            ColumnType::Double => RawValue::Number(f64::from_le_bytes(arr(take(8)?))),
            ColumnType::String | ColumnType::Json | ColumnType::DateTime | ColumnType::Binary => {
                let len = u32::from_le_bytes(arr(take(4)?)) as usize;
                let raw = take(len)?;
                if *ty == ColumnType::Binary {
                    RawValue::Null
                } else {
                    let text = std::str::from_utf8(raw).map_err(|e| {
                        (
                            name.to_string(),
                            format!("column `{name}`: text is not UTF-8 ({e})"),
                            format!("字段“{name}”的文本不是UTF-8编码"),
                        )
                    })?;
                    if text.trim().is_empty() {
                        RawValue::Null
                    } else {
                        RawValue::Text(text.to_owned())
                    }
                }
            }
            other => {
                return Err((
                    name.to_string(),
                    format!("column `{name}` has an unknown type {}", other.0),
                    format!("字段“{name}”的类型{}未知", other.0),
                ));
            }
        };
        out.insert(Arc::clone(name), value);
    }
    Ok(out)
}

fn arr<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&s[..N]);
    a
}

/// The geometry of a feature in the file's CRS. Polygons and multipolygons are read; a point
/// or line stands for other types, so that the row is reported as "not a polygon" rather
/// than as "no geometry".
pub fn geometry(g: &FgbGeometry, dataset: GeometryType) -> Result<Geometry<f64>, String> {
    let ty = if dataset == GeometryType::Unknown {
        g.type_()
    } else {
        dataset
    };
    Ok(match ty {
        GeometryType::Polygon => Geometry::Polygon(polygon(g)?),
        GeometryType::MultiPolygon => {
            let parts = g.parts().ok_or("a multipolygon without parts")?;
            let polys: Result<Vec<Polygon<f64>>, String> =
                parts.iter().map(|p| polygon(&p)).collect();
            Geometry::MultiPolygon(MultiPolygon(polys?))
        }
        GeometryType::Point => {
            let xy = coords(g)?;
            let c = xy.first().ok_or("a point without coordinates")?;
            Geometry::Point(Point(*c))
        }
        GeometryType::LineString | GeometryType::MultiLineString => {
            Geometry::LineString(LineString(coords(g)?))
        }
        _ => Geometry::GeometryCollection(GeometryCollection(vec![])),
    })
}

fn coords(g: &FgbGeometry) -> Result<Vec<Coord<f64>>, String> {
    let xy: Vec<f64> = g.xy().map(|v| v.iter().collect()).unwrap_or_default();
    if !xy.len().is_multiple_of(2) {
        return Err(format!("{} ordinates, not pairs", xy.len()));
    }
    Ok(xy
        .chunks_exact(2)
        .map(|p| Coord { x: p[0], y: p[1] })
        .collect())
}

/// A polygon: rings split at `ends` (coordinate counts), the first one outer.
fn polygon(g: &FgbGeometry) -> Result<Polygon<f64>, String> {
    let pts = coords(g)?;
    let ends: Vec<usize> = match g.ends() {
        Some(e) if !e.is_empty() => e.iter().map(|n| n as usize).collect(),
        _ => vec![pts.len()],
    };
    let mut rings = Vec::with_capacity(ends.len());
    let mut start = 0usize;
    for end in ends {
        if end <= start || end > pts.len() {
            return Err(format!(
                "ring end {end} outside {start}..={} coordinates",
                pts.len()
            ));
        }
        rings.push(LineString(pts[start..end].to_vec()));
        start = end;
    }
    let mut rings = rings.into_iter();
    let outer = rings.next().ok_or("a polygon without rings")?;
    Ok(Polygon::new(outer, rings.collect()))
}
