//! Xian 1980 / Beijing 1954 coordinates moved to CGCS2000 with a locally published 7-parameter
//! set (七参数): the Helmert (Bursa–Wolf) transformation in the position-vector convention, as
//! PROJ applies `+towgs84=dx,dy,dz,rx,ry,rz,ds` (metres, arc-seconds, ppm). The source
//! projection (Gauss–Krüger on the old ellipsoid) is inverted, the geodetic coordinates moved
//! through geocentric space, and the result is read on the CGCS2000 ellipsoid (GRS 80; CGCS2000
//! and WGS 84 are one datum here, see [`crate::Transformer`]). Checked against `cs2cs` with the
//! same `+towgs84` in the tests.

use crate::error::{GeoError, GeoResult};
use geo::MapCoords;
use geo_types::{Coord, Geometry};
use proj4rs::proj::Proj;

/// A Transverse Mercator (Gauss–Krüger) projection's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TmParams {
    /// Central meridian, degrees.
    pub lon_0: f64,
    /// Latitude of origin, degrees.
    pub lat_0: f64,
    /// Scale factor.
    pub k: f64,
    /// False easting, metres (with the zone prefix when the eastings carry it).
    pub x_0: f64,
    /// False northing, metres.
    pub y_0: f64,
}

/// A CRS on a legacy datum, with the user's 7 parameters to CGCS2000.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyCrs {
    /// The CRS name as found (e.g. `Xian_1980_3_Degree_GK_Zone_38`).
    pub name: String,
    /// "Xian 1980", "Beijing 1954" …
    pub datum: String,
    /// Semi-major axis of the datum's ellipsoid, metres.
    pub a: f64,
    /// Inverse flattening of the ellipsoid.
    pub rf: f64,
    /// The projection, or `None` for geographic (degrees) coordinates.
    pub tm: Option<TmParams>,
    /// dx, dy, dz (m), rx, ry, rz (″), ds (ppm): position vector, as PROJ's `+towgs84`.
    pub towgs84: [f64; 7],
}

/// Parses `dx,dy,dz[,rx,ry,rz,ds]` (3 or 7 numbers; `+towgs84=` prefix allowed).
pub fn parse_towgs84(text: &str) -> Result<[f64; 7], String> {
    let t = text.trim().trim_start_matches("+towgs84=");
    let nums: Result<Vec<f64>, _> = t
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::parse::<f64>)
        .collect();
    let nums = nums.map_err(|e| format!("`{text}`: {e}"))?;
    if !(nums.len() == 3 || nums.len() == 7) || nums.iter().any(|x| !x.is_finite()) {
        return Err(format!(
            "`{text}`: expected 3 or 7 numbers dx,dy,dz,rx,ry,rz,ds (m, arc-seconds, ppm)"
        ));
    }
    let mut p = [0.0; 7];
    p[..nums.len()].copy_from_slice(&nums);
    Ok(p)
}

impl LegacyCrs {
    /// The proj string of the source, `+towgs84` included (what `cs2cs` is given).
    pub fn proj_string(&self) -> String {
        let t = self.towgs84.map(|x| x.to_string()).join(",");
        let ellps = format!("+a={} +rf={}", self.a, self.rf);
        match self.tm {
            Some(tm) => format!(
                "+proj=tmerc +lat_0={} +lon_0={} +k={} +x_0={} +y_0={} {ellps} +towgs84={t} +units=m +no_defs",
                tm.lat_0, tm.lon_0, tm.k, tm.x_0, tm.y_0
            ),
            None => format!("+proj=longlat {ellps} +towgs84={t} +no_defs"),
        }
    }

    /// A short description for the import report and history.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}) +towgs84={}",
            self.name,
            self.datum,
            self.towgs84.map(|x| x.to_string()).join(",")
        )
    }

    /// The transformation of this CRS's coordinates into CGCS2000 lon/lat.
    pub fn to_cgcs2000(&self) -> GeoResult<ShiftTransformer> {
        let err = |e: proj4rs::errors::Error| GeoError::Projection {
            from: self.describe(),
            to: "EPSG:4490".into(),
            message: e.to_string(),
        };
        Ok(ShiftTransformer {
            src: Proj::from_proj_string(&self.proj_string()).map_err(err)?,
            dst: Proj::from_proj_string(
                "+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs",
            )
            .map_err(err)?,
            geographic: self.tm.is_none(),
            name: self.describe(),
        })
    }
}

/// Moves points from a [`LegacyCrs`] to CGCS2000 lon/lat (degrees, GIS order).
#[derive(Debug)]
pub struct ShiftTransformer {
    src: Proj,
    dst: Proj,
    geographic: bool,
    name: String,
}

impl ShiftTransformer {
    /// One point: (easting, northing) or (lon, lat) in → (lon, lat) in degrees out.
    pub fn point(&self, x: f64, y: f64) -> GeoResult<(f64, f64)> {
        let fail = |m: String| GeoError::Transform {
            x,
            y,
            from: self.name.clone(),
            to: "EPSG:4490".into(),
            message: m,
        };
        if !(x.is_finite() && y.is_finite()) {
            return Err(fail("not finite".into()));
        }
        let mut p = if self.geographic {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(&self.src, &self.dst, &mut p)
            .map_err(|e| fail(e.to_string()))?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 {
            Ok((lon, lat))
        } else {
            Err(fail("result is not a longitude/latitude".into()))
        }
    }

    /// Every coordinate of a geometry; fails on the first point that fails.
    pub fn geometry(&self, g: &Geometry<f64>) -> GeoResult<Geometry<f64>> {
        g.try_map_coords(|c: Coord<f64>| self.point(c.x, c.y).map(|(x, y)| Coord { x, y }))
    }
}
