//! GeoJSON: a FeatureCollection with the English field names. In lon/lat it follows RFC 7946
//! (no `crs` member; CGCS2000 and WGS 84 differ by well under 0.1 m in China, which RFC 7946's
//! WGS 84 tolerates). A projected output CRS is written with the legacy `crs` member, as GDAL
//! does with `RFC7946=NO`, so that GDAL and the importer read the right CRS.

use super::columns::{Cell, cell, columns};
use super::{ExportOptions, Reproject};
use crate::error::{IoError, IoResult};
use geo_types::Geometry;
use landcycle_domain::Parcel;
use landcycle_geo::geometry_to_geojson;
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::Path;

/// Writes the FeatureCollection.
pub fn write(
    parcels: &[Parcel],
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    let err = |e: std::io::Error| IoError::write(path, e);
    let reproject = Reproject::new(opts.crs, path)?;
    let cols = columns(true);
    let file = std::fs::File::create(path).map_err(err)?;
    let mut out = std::io::BufWriter::new(file);
    let mut head = Map::new();
    head.insert("type".into(), json!("FeatureCollection"));
    head.insert("name".into(), json!("parcels"));
    if !opts.crs.is_geographic() {
        head.insert(
            "crs".into(),
            json!({"type": "name", "properties": {"name": format!("urn:ogc:def:crs:EPSG::{}", opts.crs.epsg())}}),
        );
    }
    let head = serde_json::to_string(&Value::Object(head)).map_err(|e| IoError::write(path, e))?;
    // `{"type":…,"name":…}` opened up to append the features one by one.
    let open = head.strip_suffix('}').unwrap_or(&head);
    writeln!(out, "{open},\"features\":[").map_err(err)?;
    for (i, p) in parcels.iter().enumerate() {
        let mut props = Map::new();
        for c in &cols {
            let v = match cell(c, p, opts.lang) {
                Cell::Null => Value::Null,
                Cell::Text(s) => Value::String(s),
                Cell::Number(n) => json!(n),
                d @ Cell::Date(..) => Value::String(d.to_text()),
            };
            props.insert(c.en.to_owned(), v);
        }
        let geometry = geometry_to_geojson(&Geometry::MultiPolygon(reproject.geometry(p, path)?));
        let feature = json!({"type": "Feature", "id": p.id.to_string(), "properties": props, "geometry": geometry});
        if i > 0 {
            out.write_all(b",\n").map_err(err)?;
        }
        serde_json::to_writer(&mut out, &feature).map_err(|e| IoError::write(path, e))?;
        if i % 256 == 0 || i + 1 == parcels.len() {
            progress(i + 1, parcels.len());
        }
    }
    out.write_all(b"\n]}\n").map_err(err)?;
    out.flush().map_err(err)
}
