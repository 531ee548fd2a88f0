//! Point and geometry transformation between the CRSs of [`crate::crs`], backed by proj4rs.

use geo::MapCoords;
use geo_types::{Coord, Geometry};
use proj4rs::proj::Proj;

use crate::crs::Crs;
use crate::error::{GeoError, GeoResult};

/// Half the Web Mercator world width in metres (π × 6 378 137).
pub(crate) const WEB_MERCATOR_HALF_WORLD: f64 = 20_037_508.342_789_244;

/// Transform (x, y) points in "GIS order" (x = lon/easting, y = lat/northing) between CRSs.
///
/// Always x = easting/longitude in and out of this type; axis-order swapping for output formats
/// is the caller's job via [`Crs::northing_first`]. Geographic coordinates are in degrees.
///
/// CGCS2000, WGS 84 and CRS84 are treated as the same datum: they differ by well under ~0.1 m
/// in China, and PROJ itself only offers a "ballpark" no-op transformation between them.
#[derive(Clone)]
pub struct Transformer {
    from: Crs,
    to: Crs,
    /// `None` when both CRSs share the same coordinates (e.g. 4490 → CRS84).
    projs: Option<(Proj, Proj)>,
}

impl std::fmt::Debug for Transformer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transformer")
            .field("from", &self.from)
            .field("to", &self.to)
            .finish()
    }
}

impl Transformer {
    /// A transformer from `from` to `to`.
    pub fn new(from: &Crs, to: &Crs) -> GeoResult<Self> {
        from.check()?;
        to.check()?;
        let same =
            from.proj_string() == to.proj_string() || (from.is_geographic() && to.is_geographic());
        let projs = if same {
            None
        } else {
            let make = |crs: &Crs| {
                Proj::from_proj_string(&crs.proj_string()).map_err(|e| GeoError::Projection {
                    from: from.to_string(),
                    to: to.to_string(),
                    message: format!("{crs}: {e}"),
                })
            };
            Some((make(from)?, make(to)?))
        };
        Ok(Transformer {
            from: *from,
            to: *to,
            projs,
        })
    }

    /// Source CRS.
    pub fn from_crs(&self) -> &Crs {
        &self.from
    }

    /// Target CRS.
    pub fn to_crs(&self) -> &Crs {
        &self.to
    }

    /// Transforms one point (GIS order, degrees for geographic CRSs).
    pub fn point(&self, x: f64, y: f64) -> GeoResult<(f64, f64)> {
        check_input(&self.from, x, y)?;
        let Some((src, dst)) = &self.projs else {
            return Ok((x, y));
        };
        let mut p = if self.from.is_geographic() {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(src, dst, &mut p).map_err(|e| self.error(x, y, e))?;
        let out = if self.to.is_geographic() {
            (p.0.to_degrees(), p.1.to_degrees())
        } else {
            (p.0, p.1)
        };
        if out.0.is_finite() && out.1.is_finite() {
            Ok(out)
        } else {
            Err(self.error(x, y, "result is not finite"))
        }
    }

    /// Transforms every coordinate of a geometry; fails on the first point that fails.
    pub fn geometry(&self, g: &Geometry<f64>) -> GeoResult<Geometry<f64>> {
        g.try_map_coords(|c: Coord<f64>| self.point(c.x, c.y).map(|(x, y)| Coord { x, y }))
    }

    fn error(&self, x: f64, y: f64, message: impl std::fmt::Display) -> GeoError {
        GeoError::Transform {
            x,
            y,
            from: self.from.to_string(),
            to: self.to.to_string(),
            message: message.to_string(),
        }
    }
}

/// Rejects non-finite and out-of-domain input before proj4rs sees it, so the error says why.
fn check_input(crs: &Crs, x: f64, y: f64) -> GeoResult<()> {
    let expected = if !(x.is_finite() && y.is_finite()) {
        Some("finite numbers".to_owned())
    } else if crs.is_geographic() && !((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y))
    {
        Some(format!(
            "{crs} longitude in [-180, 180] and latitude in [-90, 90] (x = longitude, y = latitude)"
        ))
    } else if *crs == Crs::WebMercator
        && !(x.abs() <= WEB_MERCATOR_HALF_WORLD * 1.000_001
            && y.abs() <= WEB_MERCATOR_HALF_WORLD * 1.000_001)
    {
        Some(format!("{crs} x and y within ±{WEB_MERCATOR_HALF_WORLD} m"))
    } else {
        None
    };
    match expected {
        Some(expected) => Err(GeoError::CoordinateOutOfRange { x, y, expected }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Point, polygon};

    fn gk38() -> Crs {
        Crs::Gk3 {
            zone: 38,
            prefixed: true,
        }
    }

    #[test]
    fn xuchang_reference_point() {
        // domain README §7.2: (34.03N, 113.85E) → N 3 766 999.27, E 38 486 147.15.
        let t = Transformer::new(&Crs::Cgcs2000Geographic, &gk38()).expect("transformer");
        let (e, n) = t.point(113.85, 34.03).expect("point");
        assert!((e - 38_486_147.15).abs() < 0.01, "{e}");
        assert!((n - 3_766_999.27).abs() < 0.01, "{n}");
        let back = Transformer::new(&gk38(), &Crs::Cgcs2000Geographic).expect("inverse");
        let (lon, lat) = back.point(e, n).expect("inverse point");
        assert!(
            (lon - 113.85).abs() < 1e-10 && (lat - 34.03).abs() < 1e-10,
            "{lon} {lat}"
        );
    }

    #[test]
    fn geographic_crss_share_coordinates() {
        let t = Transformer::new(&Crs::Cgcs2000Geographic, &Crs::Crs84).expect("transformer");
        assert_eq!(t.point(113.85, 34.03), Ok((113.85, 34.03)));
    }

    #[test]
    fn web_mercator_round_trip() {
        let t = Transformer::new(&Crs::Wgs84, &Crs::WebMercator).expect("transformer");
        let (x, y) = t.point(113.85, 34.03).expect("point");
        assert!((x - 12_673_724.026_814).abs() < 1e-5, "{x}");
        assert!((y - 4_032_831.004_856).abs() < 1e-5, "{y}");
        let back = Transformer::new(&Crs::WebMercator, &Crs::Crs84).expect("inverse");
        let (lon, lat) = back.point(x, y).expect("inverse point");
        assert!((lon - 113.85).abs() < 1e-10 && (lat - 34.03).abs() < 1e-10);
    }

    #[test]
    fn bad_input_is_an_error_not_nan() {
        let t = Transformer::new(&Crs::Cgcs2000Geographic, &gk38()).expect("transformer");
        assert!(matches!(
            t.point(f64::NAN, 34.0),
            Err(GeoError::CoordinateOutOfRange { .. })
        ));
        assert!(matches!(
            t.point(34.0, 113.85),
            Err(GeoError::CoordinateOutOfRange { .. })
        ));
        let merc = Transformer::new(&Crs::Cgcs2000Geographic, &Crs::WebMercator).expect("t");
        assert!(merc.point(0.0, 90.0).is_err());
        let bad = Crs::Gk3 {
            zone: 99,
            prefixed: true,
        };
        assert!(matches!(
            Transformer::new(&bad, &Crs::Cgcs2000Geographic),
            Err(GeoError::InvalidZone { .. })
        ));
    }

    #[test]
    fn geometry_is_transformed_coordinate_by_coordinate() {
        let t = Transformer::new(&Crs::Cgcs2000Geographic, &gk38()).expect("transformer");
        let poly = polygon![(x: 113.85, y: 34.03), (x: 113.86, y: 34.03), (x: 113.86, y: 34.04)];
        let Geometry::Polygon(out) = t.geometry(&poly.clone().into()).expect("geometry") else {
            panic!("type changed");
        };
        for (a, b) in poly.exterior().coords().zip(out.exterior().coords()) {
            assert_eq!(t.point(a.x, a.y), Ok((b.x, b.y)));
        }
        let bad: Geometry<f64> = Point::new(500.0, 0.0).into();
        assert!(t.geometry(&bad).is_err());
    }

    #[test]
    fn transformer_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Transformer>();
    }
}
