//! FlatGeobuf (`.fgb`): one MULTIPOLYGON layer `parcels` with the GeoPackage's columns (English
//! names; text, dates as `YYYY-MM-DD` text, numbers as doubles), the output CRS in the header
//! (`EPSG` and its code, with the WKT so that readers without an EPSG database know it too), and
//! the packed Hilbert R-tree spatial index. Written into a temporary file that replaces `path`
//! only when complete.

use super::columns::{Cell, ColKind, cell, columns};
use super::{ExportOptions, Reproject, notes};
use crate::error::{IoError, IoResult};
use flatgeobuf::geozero::ColumnValue;
use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geo_types::Geometry;
use landcycle_domain::Parcel;
use landcycle_geo::Crs;
use std::io::{BufWriter, Write};
use std::path::Path;

const LAYER: &str = "parcels";

/// Writes the FlatGeobuf file.
pub fn write(
    parcels: &[Parcel],
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    super::write_via_partial(path, "fgb", |tmp| {
        write_into(parcels, tmp, path, opts, progress)
    })
}

fn write_into(
    parcels: &[Parcel],
    tmp: &Path,
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    let err = |e: flatgeobuf::Error| IoError::write(path, e);
    let reproject = Reproject::new(opts.crs, path)?;
    // OGC:CRS84 is EPSG:4326 with lon/lat order, which is how FlatGeobuf stores it anyway.
    let crs = if opts.crs == Crs::Crs84 {
        Crs::Wgs84
    } else {
        opts.crs
    };
    let code = i32::try_from(crs.epsg()).map_err(|e| IoError::write(path, e))?;
    let (name, wkt) = (crs.name(), crs.wkt());
    let description: String = notes(opts, parcels.len())
        .into_iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut fgb = FgbWriter::create_with_options(
        LAYER,
        GeometryType::MultiPolygon,
        FgbWriterOptions {
            write_index: true,
            promote_to_multi: true,
            detect_type: false,
            crs: FgbCrs {
                org: Some("EPSG"),
                code,
                name: Some(&name),
                wkt: Some(&wkt),
                ..FgbCrs::default()
            },
            title: Some("宗地 / parcels"),
            description: Some(&description),
            ..FgbWriterOptions::default()
        },
    )
    .map_err(err)?;
    let cols = columns(true);
    for c in &cols {
        let ty = match c.kind {
            ColKind::Text | ColKind::Date => ColumnType::String,
            _ => ColumnType::Double,
        };
        fgb.add_column(c.en, ty, |_, col| col.nullable = true);
    }
    for (i, p) in parcels.iter().enumerate() {
        let geom = Geometry::MultiPolygon(reproject.geometry(p, path)?);
        let cells: Vec<Cell> = cols.iter().map(|c| cell(c, p, opts.lang)).collect();
        let mut failed = None;
        fgb.add_feature_geom(geom, |f| {
            for (j, (c, v)) in cols.iter().zip(&cells).enumerate() {
                let text;
                let value = match v {
                    Cell::Null => continue,
                    Cell::Text(s) => ColumnValue::String(s),
                    Cell::Number(n) => ColumnValue::Double(*n),
                    d @ Cell::Date(..) => {
                        text = d.to_text();
                        ColumnValue::String(&text)
                    }
                };
                if let Err(e) = flatgeobuf::geozero::PropertyProcessor::property(f, j, c.en, &value)
                {
                    failed.get_or_insert_with(|| format!("parcel {}, column {}: {e}", p.id, c.en));
                }
            }
        })
        .map_err(|e| IoError::write(path, format!("parcel {}: {e}", p.id)))?;
        if let Some(e) = failed {
            return Err(IoError::write(path, e));
        }
        if i % 256 == 0 || i + 1 == parcels.len() {
            progress(i + 1, parcels.len());
        }
    }
    let file = std::fs::File::create(tmp).map_err(|e| IoError::write(path, e))?;
    let mut out = BufWriter::new(file);
    fgb.write(&mut out).map_err(err)?;
    out.flush().map_err(|e| IoError::write(path, e))?;
    out.into_inner()
        .map_err(|e| IoError::write(path, e.error()))?
        .sync_all()
        .map_err(|e| IoError::write(path, e))
}
