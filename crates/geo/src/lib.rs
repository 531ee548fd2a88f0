//! # landcycle-geo — geometry for industrial-land management
//!
//! - [`crs`]: CGCS2000 (EPSG:4490), its 3° and 6° Gauss–Krüger zones, WGS 84 / CRS84 and Web
//!   Mercator; [`Transformer`] moves coordinates between them (pure Rust, via proj4rs,
//!   checked against PROJ's `cs2cs` in the tests). Xian 1980 / Beijing 1954 need local
//!   7-parameter sets (七参数): [`datum_shift`] applies a user's set as PROJ's `+towgs84` does.
//! - [`area`]: parcel (宗地) area in the Gauss–Krüger zone of the parcel, as surveyors compute it.
//! - [`gpkg`] and [`wkb`]: GeoPackage binary geometry and ISO WKB.
//! - [`validate`]: parcel geometry validation with English and Chinese messages.
//! - [`geojson`]: GeoJSON geometries with errors that name the member at fault.
//! - [`tiles`]: XYZ tile math for vector tiles.
//!
//! Coordinates are always in "GIS order" (x = longitude/easting, y = latitude/northing);
//! swapping to a CRS's official axis order is done at the output format, using
//! [`Crs::northing_first`].
//!
//! ```
//! use geo_types::{Geometry, MultiPolygon, polygon};
//! use landcycle_geo::{Crs, Transformer, decode_gpkg, encode_gpkg, gk_area_m2};
//!
//! // CGCS2000 lon/lat → 3-degree Gauss–Krüger zone 38 (EPSG:4526), x = easting.
//! let to_gk = Transformer::new(&Crs::from_epsg(4490)?, &Crs::from_epsg(4526)?)?;
//! let (e, n) = to_gk.point(113.85, 34.03)?;
//! assert!((e - 38_486_147.15).abs() < 0.01 && (n - 3_766_999.27).abs() < 0.01);
//!
//! // A parcel's area as surveyors compute it (in its GK zone, here CM 114°E).
//! let parcel = polygon![
//!     (x: 113.850, y: 34.030), (x: 113.853, y: 34.030),
//!     (x: 113.853, y: 34.032), (x: 113.850, y: 34.032),
//! ];
//! let area = gk_area_m2(&MultiPolygon(vec![parcel.clone()]))?;
//! assert!((area - 61_463.50).abs() < 0.01, "{area}"); // cs2cs to EPSG:4547 + shoelace
//!
//! // GeoPackage binary geometry round trip.
//! let blob = encode_gpkg(&Geometry::Polygon(parcel.clone()), 4490);
//! assert_eq!(decode_gpkg(&blob)?, Geometry::Polygon(parcel));
//! # Ok::<(), landcycle_geo::GeoError>(())
//! ```
#![forbid(unsafe_code)]

pub mod area;
pub mod crs;
pub mod datum_shift;
pub mod envelope;
pub mod error;
mod fx_hash;
pub mod geojson;
pub mod gpkg;
pub mod mvt;
pub mod polygonal;
pub mod tiles;
pub mod tms;
pub mod transform;
pub mod validate;
pub mod wkb;

#[cfg(test)]
mod test_support;

pub use area::{gk_area_m2, gk_zone_crs_for, gk_zone_epsg_for, gk_zone_for};
pub use crs::{Crs, EPSG_CGCS2000, EPSG_WEB_MERCATOR, EPSG_WGS84, gk3_zone_for_lon};
pub use datum_shift::{LegacyCrs, ShiftTransformer, TmParams, parse_towgs84};
pub use envelope::Envelope;
pub use error::{GeoError, GeoResult};
pub use geojson::{GeoJson, geometry_from_geojson, geometry_to_geojson};
pub use gpkg::{GpkgHeader, decode_gpkg, encode_gpkg, gpkg_envelope, gpkg_header, gpkg_is_empty};
pub use polygonal::{geometry_type_name, normalize_orientation, to_multipolygon};
pub use tiles::{lonlat_to_tile, tile_bounds_3857, tile_bounds_lonlat};
pub use tms::TileMatrixSet;
pub use transform::Transformer;
pub use validate::{
    GeometryProblem, Severity, validate_parcel_geojson, validate_parcel_geometry,
    validate_parcel_multipolygon,
};
