//! GeoJSON FeatureCollection (or a single Feature). Coordinates are lon/lat (RFC 7946) unless
//! a legacy `crs` member names another CRS, as GDAL writes for projected data.

use super::{ReadOptions, file_name, read_bytes};
use crate::error::{IoError, IoResult};
use crate::table::{Fields, RawRow, RawValue, Table};
use landcycle_geo::{Crs, GeoError};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// Reads a GeoJSON file.
pub fn read(path: &Path, opts: &ReadOptions) -> IoResult<Table> {
    let file = file_name(path);
    let bytes = read_bytes(path)?;
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes));
    let mut doc: Value = serde_json::from_str(&text).map_err(|e| {
        IoError::format(
            &file,
            format!("not JSON: {e}"),
            format!("不是有效的JSON：{e}"),
        )
    })?;
    drop(text);
    drop(bytes);
    let mut table = Table::new(&file, "geojson");
    table.encoding_note = Some("UTF-8 (RFC 8259)".to_owned());
    table.crs = Some(match opts.crs {
        Some(c) => {
            table
                .notes
                .push(format!("CRS {c} given with --crs / 用户指定坐标系"));
            c
        }
        None => crs_member(&file, &doc, &mut table.notes)?,
    });
    let features: Vec<Value> = match doc.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match doc.get_mut("features").map(Value::take) {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(IoError::format(
                    &file,
                    "FeatureCollection without a `features` array",
                    "FeatureCollection缺少features数组",
                ));
            }
        },
        Some("Feature") => vec![doc.clone()],
        other => {
            return Err(IoError::format(
                &file,
                format!("expected a FeatureCollection, found type {other:?}"),
                "应为FeatureCollection",
            ));
        }
    };
    // The names the rows share, beside `table.headers` (properties may differ per feature).
    let mut names: Vec<Arc<str>> = Vec::new();
    for (i, f) in features.into_iter().enumerate() {
        let row = i + 1;
        let mut fields = Fields::default();
        if let Some(Value::Object(props)) = f.get("properties") {
            fields = Fields::with_capacity(props.len());
            for (k, v) in props {
                let name = match table.headers.iter().position(|h| h == k) {
                    Some(at) => Arc::clone(&names[at]),
                    None => {
                        table.headers.push(k.clone());
                        names.push(Arc::from(k.as_str()));
                        Arc::clone(&names[names.len() - 1])
                    }
                };
                fields.insert(name, raw_value(v));
            }
        }
        let geometry = match f.get("geometry") {
            None | Some(Value::Null) => None,
            Some(g) => match landcycle_geo::geometry_from_geojson(g) {
                Ok(g) => Some(g),
                Err(e) => {
                    table.row_problem(
                        row,
                        "geometry",
                        None,
                        e.to_string(),
                        format!("几何数据错误：{e}"),
                    );
                    None
                }
            },
        };
        table.rows.push(RawRow {
            row,
            fields,
            geometry,
        });
    }
    Ok(table)
}

fn crs_member(file: &str, doc: &Value, notes: &mut Vec<String>) -> IoResult<Crs> {
    let Some(name) = doc.pointer("/crs/properties/name").and_then(Value::as_str) else {
        notes.push("CRS: lon/lat CGCS2000/WGS 84 (RFC 7946, no crs member) / 按经纬度读取".into());
        return Ok(Crs::Crs84);
    };
    match Crs::parse(name) {
        Ok(c) => {
            notes.push(format!(
                "CRS {c} from the GeoJSON crs member `{name}` / 坐标系取自crs成员"
            ));
            Ok(c)
        }
        Err(GeoError::NeedsDatumShift { name: n, datum, .. }) => Err(IoError::NeedsDatumShift {
            file: file.to_owned(),
            name: n,
            datum,
            towgs84: String::new(),
        }),
        Err(e) => Err(IoError::crs(
            file,
            e.to_string(),
            format!("无法识别坐标系“{name}”"),
        )),
    }
}

fn raw_value(v: &Value) -> RawValue {
    match v {
        Value::Null => RawValue::Null,
        Value::Bool(b) => RawValue::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(RawValue::Null, RawValue::Number),
        Value::String(s) => RawValue::Text(s.clone()),
        other => RawValue::Text(other.to_string()),
    }
}
