//! The two tile matrix sets of OGC API – Tiles that landcycle serves (OGC 17-083r4 annex D):
//! `WebMercatorQuad` (EPSG:3857, one tile at zoom 0) and `WorldCRS84Quad` (plate carrée in
//! CRS84, two tiles side by side at zoom 0). Tiles are numbered from the top-left (row 0 is the
//! northernmost), as in XYZ and MVT.

use std::f64::consts::PI;

use crate::envelope::Envelope;
use crate::tiles::{MAX_MERCATOR_LAT, tile_bounds_lonlat};

/// A tile matrix set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TileMatrixSet {
    /// Web Mercator, EPSG:3857.
    WebMercatorQuad,
    /// CRS84 plate carrée.
    WorldCrs84Quad,
}

/// The deepest zoom served (tile numbers stay within `u32`).
pub const MAX_ZOOM: u8 = 24;

impl TileMatrixSet {
    /// Both, in the order listed.
    pub const ALL: [TileMatrixSet; 2] = [Self::WebMercatorQuad, Self::WorldCrs84Quad];

    /// The identifier in URLs.
    pub fn id(self) -> &'static str {
        match self {
            Self::WebMercatorQuad => "WebMercatorQuad",
            Self::WorldCrs84Quad => "WorldCRS84Quad",
        }
    }

    /// Parses [`TileMatrixSet::id`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.id() == s)
    }

    /// The OGC URI of the definition.
    pub fn uri(self) -> String {
        format!(
            "http://www.opengis.net/def/tilematrixset/OGC/1.0/{}",
            self.id()
        )
    }

    /// The CRS the matrices are defined in.
    pub fn crs_uri(self) -> &'static str {
        match self {
            Self::WebMercatorQuad => "http://www.opengis.net/def/crs/EPSG/0/3857",
            Self::WorldCrs84Quad => "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        }
    }

    /// Columns and rows at zoom `z`.
    pub fn matrix_size(self, z: u8) -> (u64, u64) {
        let n = 1u64 << z.min(MAX_ZOOM);
        match self {
            Self::WebMercatorQuad => (n, n),
            Self::WorldCrs84Quad => (2 * n, n),
        }
    }

    /// True when (z, x, y) names a tile of the set.
    pub fn contains(self, z: u8, x: u32, y: u32) -> bool {
        let (cols, rows) = self.matrix_size(z);
        z <= MAX_ZOOM && u64::from(x) < cols && u64::from(y) < rows
    }

    /// The tile's bounds in longitude/latitude degrees.
    pub fn tile_bounds_lonlat(self, z: u8, x: u32, y: u32) -> Envelope {
        match self {
            Self::WebMercatorQuad => tile_bounds_lonlat(z, x, y),
            Self::WorldCrs84Quad => {
                let size = 180.0 / (1u64 << z) as f64;
                let min_x = -180.0 + f64::from(x) * size;
                let max_y = 90.0 - f64::from(y) * size;
                Envelope {
                    min_x,
                    max_x: min_x + size,
                    min_y: max_y - size,
                    max_y,
                }
            }
        }
    }

    /// Position of a longitude/latitude in the whole matrix at zoom `z`, in tiles (fractional;
    /// x to the east, y to the south).
    pub fn position(self, z: u8, lon: f64, lat: f64) -> (f64, f64) {
        let n = (1u64 << z) as f64;
        match self {
            Self::WebMercatorQuad => {
                let lat = lat.clamp(-MAX_MERCATOR_LAT, MAX_MERCATOR_LAT).to_radians();
                (
                    (lon + 180.0) / 360.0 * n,
                    (1.0 - lat.tan().asinh() / PI) / 2.0 * n,
                )
            }
            Self::WorldCrs84Quad => ((lon + 180.0) / 180.0 * n, (90.0 - lat) / 180.0 * n),
        }
    }

    /// A function from longitude/latitude to the pixel grid of tile (z, x, y) with `extent`
    /// units per side (y down, as MVT wants).
    pub fn to_tile_grid(
        self,
        z: u8,
        x: u32,
        y: u32,
        extent: u32,
    ) -> impl Fn(f64, f64) -> (f64, f64) {
        let e = f64::from(extent);
        move |lon, lat| {
            let (px, py) = self.position(z, lon, lat);
            ((px - f64::from(x)) * e, (py - f64::from(y)) * e)
        }
    }

    /// The tiles at zoom `z` whose area, grown by `buffer` (a fraction of a tile), meets the
    /// envelope (longitude/latitude): `(x_min..=x_max, y_min..=y_max)`.
    pub fn tiles_covering(self, env: &Envelope, z: u8, buffer: f64) -> (u32, u32, u32, u32) {
        let (cols, rows) = self.matrix_size(z);
        let (x0, y0) = self.position(z, env.min_x, env.max_y);
        let (x1, y1) = self.position(z, env.max_x, env.min_y);
        let clamp = |v: f64, n: u64| v.floor().clamp(0.0, (n - 1) as f64) as u32;
        (
            clamp(x0 - buffer, cols),
            clamp(x1 + buffer, cols),
            clamp(y0 - buffer, rows),
            clamp(y1 + buffer, rows),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_and_bounds() {
        assert_eq!(TileMatrixSet::WorldCrs84Quad.matrix_size(0), (2, 1));
        assert_eq!(TileMatrixSet::WebMercatorQuad.matrix_size(3), (8, 8));
        let b = TileMatrixSet::WorldCrs84Quad.tile_bounds_lonlat(0, 1, 0);
        assert_eq!(
            (b.min_x, b.max_x, b.min_y, b.max_y),
            (0.0, 180.0, -90.0, 90.0)
        );
        assert!(!TileMatrixSet::WorldCrs84Quad.contains(0, 2, 0));
        assert!(TileMatrixSet::WorldCrs84Quad.contains(0, 1, 0));
    }

    #[test]
    fn a_point_lands_in_the_tile_that_covers_it() {
        for tms in TileMatrixSet::ALL {
            for z in [0u8, 5, 10, 14, 18] {
                let (px, py) = tms.position(z, 113.85, 34.03);
                let (x, y) = (px.floor() as u32, py.floor() as u32);
                assert!(
                    tms.tile_bounds_lonlat(z, x, y)
                        .contains_point(113.85, 34.03)
                );
                let (gx, gy) = tms.to_tile_grid(z, x, y, 4096)(113.85, 34.03);
                assert!((0.0..4096.0).contains(&gx) && (0.0..4096.0).contains(&gy));
                let env = Envelope {
                    min_x: 113.85,
                    max_x: 113.85,
                    min_y: 34.03,
                    max_y: 34.03,
                };
                assert_eq!(
                    tms.tiles_covering(&env, z, 0.0),
                    (x, x, y, y),
                    "{tms:?} z{z}"
                );
            }
        }
    }
}
