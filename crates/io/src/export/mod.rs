//! Data out: parcels to Excel (Chinese headers with units), GeoPackage, Shapefile (with `.prj`
//! and `.cpg`), GeoJSON, FlatGeobuf and CSV. Every file imports again with [`crate::read_parcels`] and gives
//! the same parcels (round trip): the headers are ones the import dictionary knows.
//!
//! - [`columns`]: the column list and the cell of each column for a parcel.
//! - [`fetch_parcels`]: every parcel of a [`ParcelQuery`], page after page.
//! - [`export_parcels`]: writes the parcels in a [`Format`].
//! - [`export_parcels_download`]: the same as one file in memory for an HTTP download
//!   (a Shapefile's parts zipped together).

pub mod columns;
mod csv;
mod download;
mod fgb;
mod geojson;
mod gpkg;
mod shp;
mod wkt;
mod xlsx;

use crate::error::{IoError, IoResult};
use geo_types::{Geometry, MultiPolygon};
use landcycle_domain::Parcel;
use landcycle_geo::{Crs, Transformer};
use landcycle_store::{ParcelQuery, Store, StoreResult};
use std::path::Path;

pub use download::{Download, export_parcels_download};
pub use wkt::to_wkt;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Excel workbook (`.xlsx`): a data sheet and a 说明 sheet.
    Xlsx,
    /// GeoPackage (`.gpkg`), layer `parcels`.
    Gpkg,
    /// ESRI Shapefile (`.shp` with `.shx`, `.dbf`, `.prj`, `.cpg`).
    Shp,
    /// GeoJSON (RFC 7946 in lon/lat; a legacy `crs` member for projected output).
    GeoJson,
    /// CSV with a WKT geometry column.
    Csv,
    /// FlatGeobuf (`.fgb`) with its spatial index, layer `parcels`, the GeoPackage's columns.
    Fgb,
}

impl Format {
    /// Parses `xlsx`, `gpkg`, `shp`, `geojson`, `fgb` or `csv` (case-insensitive).
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" | "excel" => Format::Xlsx,
            "gpkg" | "geopackage" => Format::Gpkg,
            "shp" | "shapefile" => Format::Shp,
            "geojson" | "json" => Format::GeoJson,
            "csv" => Format::Csv,
            "fgb" | "flatgeobuf" => Format::Fgb,
            _ => return None,
        })
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Gpkg => "gpkg",
            Format::Shp => "shp",
            Format::GeoJson => "geojson",
            Format::Csv => "csv",
            Format::Fgb => "fgb",
        }
    }

    /// The media type of a download.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Gpkg => "application/geopackage+sqlite3",
            Format::Shp => "application/x-esri-shape",
            Format::GeoJson => "application/geo+json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Fgb => "application/flatgeobuf",
        }
    }
}

/// The language of headers and status values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese headers with units (宗地代码, 计算面积(平方米) …) and status labels (已供应).
    #[default]
    Zh,
    /// English field names (code, computed_area_m2 …) and API status names (granted).
    En,
}

/// How to write an export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The format.
    pub format: Format,
    /// Output CRS (EPSG:4490 by default). GeoJSON without a `crs` member is always lon/lat.
    pub crs: Crs,
    /// Header language.
    pub lang: Lang,
    /// Text encoding of Shapefile DBF and CSV text: UTF-8 (default) or GBK.
    pub encoding: &'static encoding_rs::Encoding,
    /// Facts for the 说明 sheet: where the data comes from, when, and whether it is synthetic.
    pub meta: ExportMeta,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: Format::Xlsx,
            crs: Crs::Cgcs2000Geographic,
            lang: Lang::Zh,
            encoding: encoding_rs::UTF_8,
            meta: ExportMeta::default(),
        }
    }
}

/// What the 说明 sheet (and GeoPackage description) says about the export.
#[derive(Debug, Clone, Default)]
pub struct ExportMeta {
    /// The source, e.g. the store file and the filters.
    pub source: String,
    /// Export time as text (RFC 3339).
    pub exported_at: String,
    /// True when the data is the synthetic demo population.
    pub synthetic: bool,
}

/// The text encoding named `label` for Shapefile and CSV export: UTF-8 or GBK (GB2312,
/// GB18030 and CP936 are written as GBK, which every GIS reads).
pub fn text_encoding(label: &str) -> Option<&'static encoding_rs::Encoding> {
    match label.trim().to_ascii_uppercase().as_str() {
        "UTF-8" | "UTF8" => Some(encoding_rs::UTF_8),
        "GBK" | "GB2312" | "GB18030" | "CP936" | "936" => Some(encoding_rs::GBK),
        _ => None,
    }
}

/// Every parcel matching `query`, fetched page by page (`query.limit` per page, 1 000 when 0);
/// `progress` gets (rows fetched, rows in all).
pub fn fetch_parcels<S: Store + ?Sized>(
    store: &S,
    query: &ParcelQuery,
    progress: &mut dyn FnMut(usize, usize),
) -> StoreResult<Vec<Parcel>> {
    let mut q = query.clone();
    if q.limit == 0 {
        q.limit = 1_000;
    }
    let mut out = Vec::new();
    loop {
        let page = store.parcels(&q)?;
        let n = page.items.len();
        out.extend(page.items);
        progress(out.len(), usize::try_from(page.total).unwrap_or(usize::MAX));
        if n == 0 || out.len() as u64 >= page.total {
            return Ok(out);
        }
        q.offset += n as u64;
    }
}

/// Writes `parcels` to `path` in `opts.format`; `progress` gets (rows written, rows in all).
/// A Shapefile's `path` is its `.shp`; `.shx`, `.dbf`, `.prj` and `.cpg` are written beside it.
pub fn export_parcels(
    parcels: &[Parcel],
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    opts.crs.check().map_err(|e| IoError::write(path, e))?;
    match opts.format {
        Format::Xlsx => xlsx::write(parcels, path, opts, progress),
        Format::Gpkg => gpkg::write(parcels, path, opts, progress),
        Format::Shp => shp::write(parcels, path, opts, progress),
        Format::GeoJson => geojson::write(parcels, path, opts, progress),
        Format::Csv => csv::write(parcels, path, opts, progress),
        Format::Fgb => fgb::write(parcels, path, opts, progress),
    }
}

/// Moves the geometries from CGCS2000 lon/lat into the output CRS.
pub(crate) struct Reproject {
    transformer: Option<Transformer>,
}

impl Reproject {
    pub(crate) fn new(to: Crs, path: &Path) -> IoResult<Self> {
        let transformer = if to.is_geographic() {
            None
        } else {
            Some(
                Transformer::new(&Crs::Cgcs2000Geographic, &to)
                    .map_err(|e| IoError::write(path, e))?,
            )
        };
        Ok(Reproject { transformer })
    }

    pub(crate) fn geometry(&self, p: &Parcel, path: &Path) -> IoResult<MultiPolygon<f64>> {
        let Some(t) = &self.transformer else {
            return Ok(p.geometry.clone());
        };
        match t.geometry(&Geometry::MultiPolygon(p.geometry.clone())) {
            Ok(Geometry::MultiPolygon(mp)) => Ok(mp),
            Ok(_) => Err(IoError::write(
                path,
                "transformation changed the geometry type",
            )),
            Err(e) => Err(IoError::write(
                path,
                format!(
                    "parcel {}: {e}",
                    p.code
                        .as_ref()
                        .map_or_else(|| p.id.to_string(), |c| c.as_str().to_owned())
                ),
            )),
        }
    }
}

/// The 说明 lines: source, CRS, time, synthetic-data note, column notes.
pub(crate) fn notes(opts: &ExportOptions, rows: usize) -> Vec<(String, String)> {
    let crs = &opts.crs;
    let crs_note = if crs.is_geographic() {
        format!(
            "{} (EPSG:{}), 经度/纬度（度）；CGCS2000与WGS 84在我国相差不足0.1米，GeoJSON按RFC 7946经纬度顺序",
            crs.name(),
            crs.epsg()
        )
    } else {
        format!(
            "{} (EPSG:{}), 东坐标/北坐标（米）；由CGCS2000经纬度投影得到",
            crs.name(),
            crs.epsg()
        )
    };
    let mut out = vec![
        ("数据来源 / source".to_owned(), opts.meta.source.clone()),
        ("坐标系 / CRS".to_owned(), crs_note),
        ("导出时间 / exported".to_owned(), opts.meta.exported_at.clone()),
        ("宗地数 / parcels".to_owned(), rows.to_string()),
        (
            "面积 / areas".to_owned(),
            "计算面积按高斯-克吕格3度带计算（平方米保留2位小数，亩保留4位）；1亩 = 2000/3平方米；\
             证载面积为登记值"
                .to_owned(),
        ),
        (
            "导入 / re-import".to_owned(),
            "本文件可直接用 landcycle import 导入；计算面积、土地用途名称、生效日期、宗地标识列在导入时忽略"
                .to_owned(),
        ),
    ];
    if opts.meta.synthetic {
        out.push((
            "合成数据 / synthetic".to_owned(),
            "演示数据为合成数据，不代表真实宗地与企业 / The demo population is synthetic: no real \
             parcel or enterprise"
                .to_owned(),
        ));
    }
    out
}

/// Writes `path` through a sibling `<ext>.partial` file that is renamed into place on success
/// and removed on failure: a failed export never leaves a half-written file under the name.
pub(crate) fn write_via_partial(
    path: &Path,
    ext: &str,
    write: impl FnOnce(&Path) -> IoResult<()>,
) -> IoResult<()> {
    let tmp = path.with_extension(format!("{ext}.partial"));
    let _ = std::fs::remove_file(&tmp);
    let result =
        write(&tmp).and_then(|()| std::fs::rename(&tmp, path).map_err(|e| IoError::write(path, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
