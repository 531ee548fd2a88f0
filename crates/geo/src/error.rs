//! The crate's one error type.

/// Everything that can go wrong in `landcycle-geo`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeoError {
    /// The EPSG code is not one of the CRSs landcycle understands.
    #[error(
        "EPSG:{code} is not a coordinate reference system landcycle supports \
         (supported: EPSG:4490 CGCS2000, EPSG:4326 WGS 84, OGC CRS84, EPSG:3857, \
         CGCS2000 Gauss-Kruger zones EPSG:4491-4554)"
    )]
    UnsupportedEpsg {
        /// The code that was asked for.
        code: u32,
    },

    /// The CRS is on a legacy Chinese datum (Xian 1980, Beijing 1954); PROJ has no usable
    /// transformation from it to CGCS2000.
    #[error(
        "EPSG:{code} ({name}) uses the {datum} datum. Converting it to CGCS2000 needs a locally \
         published 7-parameter (七参数) or grid transformation, which EPSG/PROJ do not carry; \
         ask the data provider for CGCS2000 coordinates or for the local 7-parameter set. \
         （{datum}坐标转换到CGCS2000需要当地发布的七参数或格网转换参数，请提供CGCS2000坐标或转换参数。）"
    )]
    NeedsDatumShift {
        /// The code that was asked for.
        code: u32,
        /// The CRS's EPSG name.
        name: String,
        /// The datum ("Xian 1980", "Beijing 1954", "New Beijing").
        datum: &'static str,
    },

    /// A CRS string (URI, URN, `EPSG:nnnn`) could not be understood.
    #[error("cannot understand CRS `{0}`: expected EPSG:nnnn, an OGC CRS URI or URN, or CRS84")]
    UnknownCrs(String),

    /// A Gauss–Krüger zone number outside the range EPSG defines for CGCS2000.
    #[error(
        "{kind} Gauss-Kruger zone {zone} does not exist for CGCS2000 (3-degree: 25..=45, 6-degree: 13..=23)"
    )]
    InvalidZone {
        /// "3-degree" or "6-degree".
        kind: &'static str,
        /// The zone asked for.
        zone: u8,
    },

    /// The projection library refused to set up a transformation.
    #[error("cannot set up transformation {from} -> {to}: {message}")]
    Projection {
        /// Source CRS (EPSG code or name).
        from: String,
        /// Target CRS.
        to: String,
        /// What the projection library said.
        message: String,
    },

    /// One point could not be transformed.
    #[error("cannot transform point ({x}, {y}) from {from} to {to}: {message}")]
    Transform {
        /// x (longitude or easting) of the input point.
        x: f64,
        /// y (latitude or northing) of the input point.
        y: f64,
        /// Source CRS.
        from: String,
        /// Target CRS.
        to: String,
        /// Why.
        message: String,
    },

    /// A coordinate is NaN/infinite or outside the valid range of its CRS.
    #[error("coordinate ({x}, {y}) is out of range: {expected}")]
    CoordinateOutOfRange {
        /// x (longitude or easting).
        x: f64,
        /// y (latitude or northing).
        y: f64,
        /// What range was expected.
        expected: String,
    },

    /// A polygonal geometry was required.
    #[error("expected a Polygon or MultiPolygon, found {found}")]
    NotPolygonal {
        /// The geometry type found.
        found: &'static str,
    },

    /// A GeoJSON geometry is malformed; `member` is the JSON path of the offending member.
    #[error("invalid GeoJSON at `{member}`: {message}")]
    GeoJson {
        /// Path of the wrong member, e.g. `coordinates[0][3]`.
        member: String,
        /// What is wrong with it.
        message: String,
    },

    /// A GeoPackage binary geometry header is malformed or unsupported.
    #[error("invalid GeoPackage geometry: {0}")]
    Gpkg(String),

    /// Well-known binary is malformed or unsupported.
    #[error("invalid WKB at byte {offset}: {message}")]
    Wkb {
        /// Byte offset (within the WKB) where reading failed.
        offset: usize,
        /// What is wrong.
        message: String,
    },
}

/// Result alias for this crate.
pub type GeoResult<T> = Result<T, GeoError>;
