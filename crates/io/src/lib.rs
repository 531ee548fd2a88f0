//! # landcycle-io — data in
//!
//! Reads the files a city's land data arrives in — Shapefiles in GBK with a `.prj` in a
//! Gauss–Krüger zone, GeoPackages, GeoJSON, FlatGeobuf, Excel sheets and CSV with Chinese
//! headers — into
//! [`landcycle_store::ImportRow`]s in CGCS2000 (EPSG:4490), ready for
//! [`landcycle_store::Registry::import_parcels`], which validates and writes all or nothing.
//!
//! - [`crs`]: the CRS of a `.prj` (ESRI/OGC WKT), zone-prefix detection, plausibility checks,
//!   transformation to EPSG:4490. Xian 1980 / Beijing 1954 are refused (七参数 needed).
//! - [`readers`]: one reader per format, each producing a neutral [`Table`].
//! - [`encoding`]: `.cpg`, `--encoding`, or detection (UTF-8 if valid, otherwise GBK).
//! - [`mapping`]: Chinese/pinyin/English headers → parcel fields, plus a TOML mapping file;
//!   land-use codes and names.
//! - [`read_parcels`]: all of it for one file, every problem collected.
//! - [`figures`]: department data (税收, 产值, 用电量, 从业人员 by 统一社会信用代码 and year)
//!   from Excel/CSV, units from the headers.
//! - [`pipeline`]: one import of many files, read and checked, then written all or nothing
//!   (shared by the CLI and `POST /api/imports`).
//! - [`export`]: data out — parcels to xlsx, GeoPackage, Shapefile, GeoJSON, FlatGeobuf and
//!   CSV, each importing back to the same parcels.
#![forbid(unsafe_code)]

mod convert;
pub mod crs;
pub mod encoding;
pub mod error;
pub mod export;
pub mod figures;
pub mod mapping;
pub mod pipeline;
mod read;
pub mod readers;
pub mod table;
pub mod upload;

pub use error::{IoError, IoResult};
pub use mapping::{Mapping, Target};
pub use pipeline::{
    ImportKind, ImportSummary, Prepared, commit, commit_with_progress, prepare, prepare_authorized,
};
pub use read::{ImportOptions, Kind, ReadOutcome, read_parcels, read_parcels_partial};
pub use readers::{ReadOptions, read_table, read_table_chunks};
pub use table::{Fields, RawRow, RawValue, Table};
