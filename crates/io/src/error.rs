//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can stop a file from being read at all. Problems of single rows are not
/// errors: they are collected as [`landcycle_store::ImportProblem`]s.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IoError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// The file's extension names no format landcycle reads.
    #[error(
        "{path}: unsupported file type (supported: .shp, .gpkg, .geojson/.json, .fgb, .xlsx, .csv)"
    )]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
    },

    /// A Shapefile has no `.prj` and no `--crs` was given.
    #[error(
        "{path}: no .prj file next to the Shapefile and no --crs given; the coordinate system is \
         unknown (缺少 .prj 坐标系文件，请提供 .prj 或使用 --crs EPSG:n 指定坐标系)"
    )]
    MissingPrj {
        /// The missing `.prj` path.
        path: PathBuf,
    },

    /// A `.prj` or stored CRS definition could not be understood.
    #[error(
        "{file}: cannot understand the coordinate system: {reason} (无法识别坐标系：{reason_zh})"
    )]
    Crs {
        /// The file holding the definition.
        file: String,
        /// Why, in English.
        reason: String,
        /// Why, in Chinese.
        reason_zh: String,
    },

    /// The CRS is on Xian 1980 / Beijing 1954: a local 7-parameter transformation is needed.
    #[error(
        "{file}: the coordinate system `{name}` uses the {datum} datum. Converting it to CGCS2000 \
         needs the locally published 7-parameter (七参数) transformation, which landcycle cannot \
         apply yet; convert the data to CGCS2000 first (e.g. with the surveying bureau's \
         parameters) or ask the provider for CGCS2000 coordinates. {towgs84}\
         （{datum}坐标系需要当地七参数转换到CGCS2000，请先转换或向数据提供方索取CGCS2000坐标。）"
    )]
    NeedsDatumShift {
        /// The file.
        file: String,
        /// The CRS name as found.
        name: String,
        /// "Xian 1980" or "Beijing 1954".
        datum: &'static str,
        /// What was done with `--towgs84`, if given.
        towgs84: String,
    },

    /// The file's structure is wrong (not a FeatureCollection, no header row …).
    #[error("{file}: {reason} ({reason_zh})")]
    Format {
        /// The file.
        file: String,
        /// Why, in English.
        reason: String,
        /// Why, in Chinese.
        reason_zh: String,
    },

    /// An export file could not be written.
    #[error("cannot write {path}: {reason} (无法写入文件：{reason})")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// The mapping file could not be read.
    #[error("mapping file {path}: {reason}")]
    Mapping {
        /// The mapping file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

impl IoError {
    /// A write error for `path`.
    pub fn write(path: &std::path::Path, reason: impl std::fmt::Display) -> Self {
        IoError::Write {
            path: path.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// A format error for `file`.
    pub fn format(file: &str, reason: impl Into<String>, reason_zh: impl Into<String>) -> Self {
        IoError::Format {
            file: file.to_owned(),
            reason: reason.into(),
            reason_zh: reason_zh.into(),
        }
    }

    /// A CRS error for `file`.
    pub fn crs(file: &str, reason: impl Into<String>, reason_zh: impl Into<String>) -> Self {
        IoError::Crs {
            file: file.to_owned(),
            reason: reason.into(),
            reason_zh: reason_zh.into(),
        }
    }

    /// The error as one file-level import problem (no row).
    pub fn to_problem(&self, file: &str) -> landcycle_store::ImportProblem {
        let (field, zh) = match self {
            IoError::MissingPrj { .. } | IoError::Crs { .. } | IoError::NeedsDatumShift { .. } => {
                ("crs", self.to_string())
            }
            IoError::Mapping { .. } => ("mapping", self.to_string()),
            _ => ("file", self.to_string()),
        };
        landcycle_store::ImportProblem {
            file: file.to_owned(),
            row: None,
            field: field.to_owned(),
            value: None,
            reason: self.to_string(),
            reason_zh: zh,
        }
    }
}

/// Result alias for this crate.
pub type IoResult<T> = Result<T, IoError>;
