//! ISO well-known binary (WKB), 2D, as GeoPackage stores it after its header.
//!
//! Hand-written because it is small and we want precise errors and hard limits on hostile
//! input. [`write()`] emits little-endian 2D WKB; [`read`] accepts either byte order, and ISO
//! (1000/2000/3000) or EWKB-flagged Z/M dimensions, dropping Z and M.

mod read;
mod write;

pub use read::read;
pub use write::write;

/// WKB geometry type codes (ISO 13249-3 / OGC SFA).
pub(crate) mod code {
    pub const POINT: u32 = 1;
    pub const LINE_STRING: u32 = 2;
    pub const POLYGON: u32 = 3;
    pub const MULTI_POINT: u32 = 4;
    pub const MULTI_LINE_STRING: u32 = 5;
    pub const MULTI_POLYGON: u32 = 6;
    pub const GEOMETRY_COLLECTION: u32 = 7;
}

#[cfg(test)]
mod tests;
