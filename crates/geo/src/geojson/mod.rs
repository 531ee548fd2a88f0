//! GeoJSON (RFC 7946) geometry reading and writing.
//!
//! Reading is hand-written rather than delegated to the `geojson` crate so that every error
//! names the JSON member at fault (`coordinates[0][3]`) — that message goes straight back to
//! whoever uploaded the file. Coordinates are taken as they come (x = longitude first); a third
//! coordinate (height) is dropped.

mod read;
mod write;

pub use read::geometry_from_geojson;
pub use write::{GeoJson, geometry_to_geojson};

#[cfg(test)]
mod tests;
