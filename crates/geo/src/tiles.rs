//! XYZ tile math (Web Mercator, y counted from the north, as MapLibre and MVT expect).

use std::f64::consts::PI;

use crate::envelope::Envelope;
use crate::transform::WEB_MERCATOR_HALF_WORLD;

/// Web Mercator cannot show the poles; tiles stop at ±85.0511…° (where the world is square).
pub const MAX_MERCATOR_LAT: f64 = 85.051_128_779_806_59;

/// Number of tiles along one axis at zoom `z` (2^z), as f64 so large zooms do not overflow.
fn tiles_per_axis(z: u8) -> f64 {
    2f64.powi(i32::from(z))
}

/// The tile's bounds in EPSG:3857 metres.
pub fn tile_bounds_3857(z: u8, x: u32, y: u32) -> Envelope {
    let size = 2.0 * WEB_MERCATOR_HALF_WORLD / tiles_per_axis(z);
    let min_x = -WEB_MERCATOR_HALF_WORLD + f64::from(x) * size;
    let max_y = WEB_MERCATOR_HALF_WORLD - f64::from(y) * size;
    Envelope {
        min_x,
        max_x: min_x + size,
        min_y: max_y - size,
        max_y,
    }
}

/// The tile's bounds in longitude/latitude degrees (CRS84 order: x = longitude).
pub fn tile_bounds_lonlat(z: u8, x: u32, y: u32) -> Envelope {
    let n = tiles_per_axis(z);
    let lon = |x: f64| x / n * 360.0 - 180.0;
    let lat = |y: f64| (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
    let (x, y) = (f64::from(x), f64::from(y));
    Envelope {
        min_x: lon(x),
        max_x: lon(x + 1.0),
        min_y: lat(y + 1.0),
        max_y: lat(y),
    }
}

/// The tile (x, y) containing a longitude/latitude at zoom `z`. Latitudes beyond ±85.0511° and
/// longitudes beyond ±180° are clamped onto the edge tiles; NaN maps to 0.
pub fn lonlat_to_tile(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let n = tiles_per_axis(z);
    let lat = lat.clamp(-MAX_MERCATOR_LAT, MAX_MERCATOR_LAT).to_radians();
    let fx = (lon.clamp(-180.0, 180.0) + 180.0) / 360.0 * n;
    let fy = (1.0 - lat.tan().asinh() / PI) / 2.0 * n;
    let last = n - 1.0;
    // `as` saturates; the clamp keeps the east/south edges inside the last tile.
    (
        fx.floor().clamp(0.0, last) as u32,
        fy.floor().clamp(0.0, last) as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::Crs;
    use crate::transform::Transformer;

    #[test]
    fn zoom_zero_is_the_world() {
        let b = tile_bounds_3857(0, 0, 0);
        assert_eq!(b.min_x, -WEB_MERCATOR_HALF_WORLD);
        assert_eq!(b.max_y, WEB_MERCATOR_HALF_WORLD);
        assert!((b.max_x - WEB_MERCATOR_HALF_WORLD).abs() < 1e-6);
        assert_eq!(lonlat_to_tile(113.85, 34.03, 0), (0, 0));
    }

    #[test]
    fn xuchang_tile() {
        // Standard slippy-map formula, checked with Python: x = floor((113.85 + 180) / 360 × 2^14)
        // = 13373, y = floor((1 − asinh(tan 34.03°)/π) / 2 × 2^14) = 6543.
        let (x, y) = lonlat_to_tile(113.85, 34.03, 14);
        assert_eq!((x, y), (13373, 6543));
        let b = tile_bounds_lonlat(14, x, y);
        assert!(b.contains_point(113.85, 34.03), "{b:?}");
        let t = Transformer::new(&Crs::Crs84, &Crs::WebMercator).expect("transformer");
        let (mx, my) = t.point(113.85, 34.03).expect("point");
        assert!(tile_bounds_3857(14, x, y).contains_point(mx, my));
    }

    #[test]
    fn lonlat_and_mercator_bounds_agree() {
        let t = Transformer::new(&Crs::Crs84, &Crs::WebMercator).expect("transformer");
        for (z, x, y) in [(3, 6, 3), (10, 835, 414), (18, 213_978, 106_170)] {
            let ll = tile_bounds_lonlat(z, x, y);
            let m = tile_bounds_3857(z, x, y);
            let (min_x, min_y) = t.point(ll.min_x, ll.min_y).expect("sw");
            let (max_x, max_y) = t.point(ll.max_x, ll.max_y).expect("ne");
            for (a, b) in [
                (min_x, m.min_x),
                (min_y, m.min_y),
                (max_x, m.max_x),
                (max_y, m.max_y),
            ] {
                assert!((a - b).abs() < 1e-6, "z{z}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn edges_and_garbage_are_clamped() {
        assert_eq!(lonlat_to_tile(180.0, -90.0, 2), (3, 3));
        assert_eq!(lonlat_to_tile(-180.0, 90.0, 2), (0, 0));
        assert_eq!(lonlat_to_tile(500.0, 0.0, 1), (1, 1));
        assert_eq!(lonlat_to_tile(f64::NAN, f64::NAN, 5), (0, 0));
    }
}
