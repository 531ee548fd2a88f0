//! File readers: each turns one file into a [`Table`].

pub mod csv;
mod dbf;
pub mod fgb;
mod fgb_values;
pub mod geojson;
pub mod gpkg;
pub mod shapefile;
pub mod wkt_geom;
pub mod xlsx;

use crate::error::{IoError, IoResult};
use crate::mapping::normalize_header;
use crate::table::{RawRow, RawValue, Table};
use landcycle_geo::Crs;
use std::path::Path;

/// What a user can say about how to read a file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--crs`: overrides the file's own CRS (required for a Shapefile without `.prj`).
    pub crs: Option<Crs>,
    /// `--encoding`: `GBK` or `UTF-8`, overrides `.cpg` and detection.
    pub encoding: Option<String>,
    /// `--towgs84`: parameters for a legacy datum; recorded, never applied (see
    /// [`IoError::NeedsDatumShift`]).
    pub towgs84: Option<String>,
    /// GeoPackage layer or Excel sheet to read, when the file has several.
    pub layer: Option<String>,
}

/// The file name to show (the last path component).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The bytes of a file, with the path in the error.
pub fn read_bytes(path: &Path) -> IoResult<Vec<u8>> {
    std::fs::read(path).map_err(|source| IoError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Rows handed to [`read_table_chunks`]'s consumer at a time (the Shapefile reader has its own).
const CHUNK_ROWS: usize = if cfg!(test) { 64 } else { 65_536 };

/// What [`read_table_chunks`] hands its consumer: the table so far (everything but the rows:
/// format, CRS, headers, notes, and the row problems found so far), the next rows, and how many
/// rows the file holds in all (as far as known before reading them: deleted records count).
pub type EachChunk<'a> = dyn FnMut(&mut Table, Vec<RawRow>, usize) + 'a;

/// Reads any supported file, chosen by its extension.
pub fn read_table(path: &Path, opts: &ReadOptions) -> IoResult<Table> {
    let mut rows = Vec::new();
    let mut table = read_table_chunks(path, opts, &mut |_, chunk, total| {
        rows.reserve(total.saturating_sub(rows.len()));
        rows.extend(chunk);
    })?;
    table.rows = rows;
    Ok(table)
}

/// Reads any supported file, handing its rows to `each` a chunk at a time, in file order, and
/// returns the table without them. A Shapefile or a GeoPackage is read a chunk at a time, so
/// that a large one is never held whole; the other formats are read whole first. On an error part of the rows may
/// have been handed on already: the caller discards them.
pub fn read_table_chunks(
    path: &Path,
    opts: &ReadOptions,
    each: &mut EachChunk<'_>,
) -> IoResult<Table> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !path.exists() {
        return Err(IoError::Read {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let mut table = match ext.as_str() {
        "shp" => return shapefile::read_chunks(path, opts, each),
        "gpkg" => return gpkg::read_chunks(path, opts, each),
        _ => read_whole(path, &ext, opts)?,
    };
    let rows = std::mem::take(&mut table.rows);
    let total = rows.len();
    let mut rows = rows.into_iter();
    loop {
        let chunk: Vec<RawRow> = rows.by_ref().take(CHUNK_ROWS).collect();
        if chunk.is_empty() {
            break;
        }
        each(&mut table, chunk, total);
    }
    Ok(table)
}

fn read_whole(path: &Path, ext: &str, opts: &ReadOptions) -> IoResult<Table> {
    match ext {
        "fgb" => fgb::read(path, opts),
        "geojson" | "json" => geojson::read(path, opts),
        "xlsx" => xlsx::read(path, opts).map(|t| with_wkt_geometry(t, opts)),
        "csv" => csv::read(path, opts).map(|t| with_wkt_geometry(t, opts)),
        _ => Err(IoError::UnsupportedFormat {
            path: path.to_owned(),
        }),
    }
}

/// Headers (normalised) that hold a WKT geometry in attribute files.
pub const WKT_HEADERS: &[&str] = &[
    "wkt",
    "geometry",
    "geom",
    "几何",
    "图形",
    "shape",
    "空间信息",
];

/// Moves a WKT geometry column (if any) of an attribute table into the rows' geometries.
fn with_wkt_geometry(mut table: Table, opts: &ReadOptions) -> Table {
    let Some(col) = table
        .headers
        .iter()
        .find(|h| WKT_HEADERS.contains(&normalize_header(h).to_lowercase().as_str()))
        .cloned()
    else {
        return table;
    };
    table.headers.retain(|h| *h != col);
    let mut srid = None;
    let mut problems = Vec::new();
    for r in &mut table.rows {
        let Some(text) = r.fields.remove(&col).as_ref().and_then(RawValue::as_text) else {
            continue;
        };
        match wkt_geom::parse(&text) {
            Ok((g, s)) => {
                r.geometry = Some(g);
                srid = srid.or(s);
            }
            Err(e) => problems.push((r.row, text, e)),
        }
    }
    for (row, text, e) in problems {
        let shown: String = text.chars().take(60).collect();
        table.row_problem(
            row,
            &col,
            Some(shown),
            format!("not WKT: {e}"),
            format!("不是有效的WKT几何：{e}"),
        );
    }
    table.crs = match (opts.crs, srid.map(Crs::from_epsg)) {
        (Some(c), _) => {
            table
                .notes
                .push(format!("CRS {c} given with --crs / 用户指定坐标系"));
            Some(c)
        }
        (None, Some(Ok(c))) => {
            table
                .notes
                .push(format!("CRS {c} from the EWKT SRID / 坐标系取自SRID"));
            Some(c)
        }
        _ => {
            table.notes.push(
                "CRS: no --crs given, WKT read as CGCS2000 lon/lat (EPSG:4490) / 未指定坐标系，按CGCS2000经纬度读取"
                    .to_owned(),
            );
            Some(Crs::Cgcs2000Geographic)
        }
    };
    table
}
