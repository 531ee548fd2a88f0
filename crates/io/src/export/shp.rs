//! ESRI Shapefile: `.shp`/`.shx` (polygons, outer rings clockwise as the format wants),
//! `.dbf` with short ASCII field names (see [`super::columns::PARCEL_COLUMNS`]) in UTF-8 or GBK,
//! `.prj` (OGC WKT1, which GDAL and ArcGIS read) and `.cpg` naming the encoding.

use super::columns::{Cell, ColKind, Column, cell, columns};
use super::{ExportOptions, Reproject};
use crate::error::{IoError, IoResult};
use dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
use geo_types::{LineString, MultiPolygon};
use landcycle_domain::Parcel;
use shapefile::{Point, Polygon, PolygonRing, ShapeWriter};
use std::path::Path;

/// DBF character fields hold at most 254 bytes.
const MAX_CHARS: usize = 254;

/// Writes the Shapefile; `path` is the `.shp`.
pub fn write(
    parcels: &[Parcel],
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    let path = &path.with_extension("shp");
    let reproject = Reproject::new(opts.crs, path)?;
    let cols = columns(true);
    let enc = opts.encoding;
    let rows: Vec<Vec<Cell>> = parcels
        .iter()
        .map(|p| cols.iter().map(|c| cell(c, p, opts.lang)).collect())
        .collect();
    let mut builder = TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(enc));
    for (i, c) in cols.iter().enumerate() {
        let name = FieldName::try_from(c.shp).map_err(|e| IoError::write(path, e))?;
        builder = match c.kind {
            ColKind::Text => {
                let longest = rows
                    .iter()
                    .map(|r| encoded_len(&r[i], enc))
                    .max()
                    .unwrap_or(0);
                let len = u8::try_from(longest.clamp(1, MAX_CHARS)).unwrap_or(254);
                builder.add_character_field(name, len)
            }
            ColKind::Date => builder.add_date_field(name),
            ColKind::AreaM2 if c.en.starts_with("registered") => {
                builder.add_numeric_field(name, 24, 6)
            }
            ColKind::AreaM2 => builder.add_numeric_field(name, 18, 2),
            ColKind::AreaMu => builder.add_numeric_field(name, 18, 4),
            ColKind::Number | ColKind::Ratio => builder.add_numeric_field(name, 12, 4),
        };
    }
    let mut dbf = builder
        .build_with_file_dest(path.with_extension("dbf"))
        .map_err(|e| IoError::write(path, e))?;
    let mut shp = ShapeWriter::from_path(path).map_err(|e| IoError::write(path, e))?;
    for (i, (p, row)) in parcels.iter().zip(&rows).enumerate() {
        let polygon = to_shape(&reproject.geometry(p, path)?)
            .ok_or_else(|| IoError::write(path, format!("parcel {}: empty geometry", p.id)))?;
        shp.write_shape(&polygon)
            .map_err(|e| IoError::write(path, e))?;
        let mut record = Record::default();
        for (c, v) in cols.iter().zip(row) {
            record.insert(c.shp.to_owned(), field_value(c, v, enc));
        }
        dbf.write_record(&record)
            .map_err(|e| IoError::write(path, e))?;
        if i % 256 == 0 || i + 1 == parcels.len() {
            progress(i + 1, parcels.len());
        }
    }
    shp.finalize().map_err(|e| IoError::write(path, e))?;
    dbf.finalize().map_err(|e| IoError::write(path, e))?;
    let prj = path.with_extension("prj");
    std::fs::write(&prj, opts.crs.wkt()).map_err(|e| IoError::write(&prj, e))?;
    let cpg = path.with_extension("cpg");
    let label = if enc == encoding_rs::UTF_8 {
        "UTF-8"
    } else {
        "GBK"
    };
    std::fs::write(&cpg, label).map_err(|e| IoError::write(&cpg, e))
}

fn encoded_len(v: &Cell, enc: &'static encoding_rs::Encoding) -> usize {
    match v {
        Cell::Text(s) => enc.encode(s).0.len(),
        _ => 0,
    }
}

/// Text cut to the bytes a DBF field holds, at a character boundary.
fn fit(s: &str, enc: &'static encoding_rs::Encoding) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        out.push(ch);
        if enc.encode(&out).0.len() > MAX_CHARS {
            out.pop();
            break;
        }
    }
    out
}

fn field_value(c: &Column, v: &Cell, enc: &'static encoding_rs::Encoding) -> FieldValue {
    match (c.kind, v) {
        (ColKind::Text, Cell::Text(s)) => FieldValue::Character(Some(fit(s, enc))),
        (ColKind::Text, _) => FieldValue::Character(None),
        (ColKind::Date, Cell::Date(y, m, d)) => FieldValue::Date(
            dbase::Date::new(
                u32::try_from(*d).unwrap_or(1),
                u32::try_from(*m).unwrap_or(1),
                u32::try_from(*y).unwrap_or(1900),
            )
            .ok(),
        ),
        (ColKind::Date, _) => FieldValue::Date(None),
        (_, Cell::Number(n)) => FieldValue::Numeric(Some(*n)),
        _ => FieldValue::Numeric(None),
    }
}

fn ring(ls: &LineString<f64>) -> Vec<Point> {
    ls.0.iter().map(|c| Point::new(c.x, c.y)).collect()
}

/// The multipolygon as one Shapefile polygon; [`Polygon::with_rings`] puts outer rings clockwise
/// and holes counter-clockwise.
fn to_shape(mp: &MultiPolygon<f64>) -> Option<Polygon> {
    let rings: Vec<PolygonRing<Point>> =
        mp.0.iter()
            .flat_map(|p| {
                std::iter::once(PolygonRing::Outer(ring(p.exterior())))
                    .chain(p.interiors().iter().map(|r| PolygonRing::Inner(ring(r))))
            })
            .collect();
    (!rings.is_empty()).then(|| Polygon::with_rings(rings))
}
