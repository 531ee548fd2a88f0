//! Coordinate systems of input files: `.prj` / WKT parsing and the checks and transformation
//! of coordinates into CGCS2000 (EPSG:4490).

mod coords;
mod prj;
mod wkt_tree;

pub use coords::{ToCgcs2000, plausible};
pub use prj::{ParsedCrs, crs_from_wkt};

#[cfg(test)]
mod tests;
