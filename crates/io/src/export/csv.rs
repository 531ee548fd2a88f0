//! CSV: the sheet's columns and a WKT geometry column, in UTF-8 with a byte-order mark (so that
//! Excel shows Chinese right) or, on request, in GBK without one.

use super::columns::{cell, columns};
use super::{ExportOptions, Reproject, to_wkt};
use crate::error::{IoError, IoResult};
use landcycle_domain::Parcel;
use std::io::Write;
use std::path::Path;

/// Writes the CSV file.
pub fn write(
    parcels: &[Parcel],
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    let reproject = Reproject::new(opts.crs, path)?;
    let srid = (!opts.crs.is_geographic()).then(|| opts.crs.epsg());
    let cols = columns(false);
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| IoError::write(path, e);
    let mut header: Vec<&str> = cols.iter().map(|c| c.header(opts.lang)).collect();
    header.push("WKT");
    w.write_record(&header).map_err(csv_err)?;
    for (i, p) in parcels.iter().enumerate() {
        let mut rec: Vec<String> = cols
            .iter()
            .map(|c| cell(c, p, opts.lang).to_text())
            .collect();
        rec.push(to_wkt(&reproject.geometry(p, path)?, srid));
        w.write_record(&rec).map_err(csv_err)?;
        if i % 256 == 0 || i + 1 == parcels.len() {
            progress(i + 1, parcels.len());
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| IoError::write(path, e.error()))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut file = std::fs::File::create(path).map_err(|e| IoError::write(path, e))?;
    let body = if opts.encoding == encoding_rs::UTF_8 {
        file.write_all(b"\xef\xbb\xbf")
            .map_err(|e| IoError::write(path, e))?;
        bytes.clone()
    } else {
        opts.encoding.encode(&text).0.into_owned()
    };
    file.write_all(&body).map_err(|e| IoError::write(path, e))
}
