//! An export as one file in memory, for an HTTP download: every format writes one file except
//! the Shapefile, whose parts (`.shp`, `.shx`, `.dbf`, `.prj`, `.cpg`) travel as one zip — the
//! form GIS users exchange Shapefiles in, and the form `POST /api/imports` takes back.

use super::{ExportOptions, Format, export_parcels};
use crate::error::{IoError, IoResult};
use landcycle_domain::Parcel;
use std::io::Write;
use std::path::Path;

/// A file to download.
#[derive(Debug, Clone)]
pub struct Download {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its name, `stem` plus the format's extension (`.zip` for a Shapefile).
    pub file_name: String,
    /// Its media type.
    pub content_type: &'static str,
}

/// Writes `parcels` in `opts.format` into memory as a file named after `stem`.
pub fn export_parcels_download(
    parcels: &[Parcel],
    opts: &ExportOptions,
    stem: &str,
) -> IoResult<Download> {
    let dir = tempfile::Builder::new()
        .prefix("landcycle-export-")
        .tempdir()
        .map_err(|e| IoError::write(Path::new("(temporary directory)"), e))?;
    let path = dir
        .path()
        .join(format!("{stem}.{}", opts.format.extension()));
    export_parcels(parcels, &path, opts, &mut |_, _| {})?;
    if opts.format != Format::Shp {
        let bytes = std::fs::read(&path).map_err(|e| IoError::write(&path, e))?;
        return Ok(Download {
            bytes,
            file_name: format!("{stem}.{}", opts.format.extension()),
            content_type: opts.format.content_type(),
        });
    }
    let zip_err = |e: zip::result::ZipError| IoError::write(&path, format!("zip: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        let part = path.with_extension(ext);
        let bytes = std::fs::read(&part).map_err(|e| IoError::write(&part, e))?;
        zip.start_file(format!("{stem}.{ext}"), deflated)
            .map_err(zip_err)?;
        zip.write_all(&bytes)
            .map_err(|e| IoError::write(&part, e))?;
    }
    let bytes = zip.finish().map_err(zip_err)?.into_inner();
    Ok(Download {
        bytes,
        file_name: format!("{stem}.zip"),
        content_type: "application/zip",
    })
}
