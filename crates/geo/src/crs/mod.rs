//! Coordinate reference systems landcycle understands: CGCS2000 (EPSG:4490) and its
//! Gauss–Krüger zones, WGS 84 / CRS84 and Web Mercator.
//!
//! Legacy Chinese datums (Xian 1980, Beijing 1954) are refused on purpose: converting them
//! needs locally published 7-parameter sets that EPSG does not carry (domain README §7.2).

mod definitions;
mod legacy;
mod text;

use crate::error::{GeoError, GeoResult};

pub use crate::transform::Transformer;

/// EPSG code of CGCS2000 geographic (2000国家大地坐标系).
pub const EPSG_CGCS2000: u32 = 4490;
/// EPSG code of WGS 84 geographic (latitude first).
pub const EPSG_WGS84: u32 = 4326;
/// EPSG code of WGS 84 / Pseudo-Mercator, the web-map projection.
pub const EPSG_WEB_MERCATOR: u32 = 3857;

const GK3_ZONES: std::ops::RangeInclusive<u8> = 25..=45;
const GK6_ZONES: std::ops::RangeInclusive<u8> = 13..=23;

/// A CRS landcycle understands.
///
/// Coordinates handed to [`Transformer`] are always in "GIS order" (x = longitude or easting,
/// y = latitude or northing) whatever the CRS's official axis order; see [`Crs::northing_first`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// CGCS2000 geographic, EPSG:4490 (axis order latitude, longitude).
    Cgcs2000Geographic,
    /// WGS 84 geographic, EPSG:4326 (axis order latitude, longitude).
    Wgs84,
    /// OGC CRS84: WGS 84 with longitude first, the default of GeoJSON and OGC API Features.
    Crs84,
    /// WGS 84 / Pseudo-Mercator, EPSG:3857.
    WebMercator,
    /// CGCS2000 3-degree Gauss–Krüger zone `zone` (25..=45, central meridian `3 × zone`°E).
    /// `prefixed`: false easting carries the zone number (EPSG:4513–4533), else 500 000 m
    /// (EPSG:4534–4554, "CM nnnE").
    Gk3 {
        /// Zone number, 25..=45.
        zone: u8,
        /// Whether the easting is prefixed with the zone number.
        prefixed: bool,
    },
    /// CGCS2000 6-degree Gauss–Krüger zone `zone` (13..=23, central meridian `6 × zone − 3`°E).
    /// `prefixed`: EPSG:4491–4501; else EPSG:4502–4512.
    Gk6 {
        /// Zone number, 13..=23.
        zone: u8,
        /// Whether the easting is prefixed with the zone number.
        prefixed: bool,
    },
}

/// The 3-degree Gauss–Krüger zone whose central meridian is nearest `lon_deg`
/// (`round(lon / 3)`; Xuchang at 113.85°E → 38). Not clamped to China's zones 25..=45;
/// NaN gives 0.
pub fn gk3_zone_for_lon(lon_deg: f64) -> u8 {
    // `as` saturates, which is what we want for absurd longitudes.
    (lon_deg / 3.0).round() as u8
}

impl Crs {
    /// The CRS with this EPSG code.
    ///
    /// Xian 1980 and Beijing 1954 codes (e.g. 2362, 2383, 2414, 2435, 21413…) are refused with
    /// [`GeoError::NeedsDatumShift`]: they need a local 7-parameter transformation.
    pub fn from_epsg(code: u32) -> GeoResult<Crs> {
        // Zone arithmetic below relies on these ranges; the u8 casts cannot truncate.
        let crs = match code {
            4490 => Crs::Cgcs2000Geographic,
            4326 => Crs::Wgs84,
            // 900913 is the unofficial code older tile stacks still send.
            3857 | 900913 => Crs::WebMercator,
            4491..=4501 => Crs::Gk6 {
                zone: (code - 4491 + 13) as u8,
                prefixed: true,
            },
            4502..=4512 => Crs::Gk6 {
                zone: (code - 4502 + 13) as u8,
                prefixed: false,
            },
            4513..=4533 => Crs::Gk3 {
                zone: (code - 4513 + 25) as u8,
                prefixed: true,
            },
            4534..=4554 => Crs::Gk3 {
                zone: (code - 4534 + 25) as u8,
                prefixed: false,
            },
            _ => {
                return Err(match legacy::legacy_datum(code) {
                    Some((datum, name)) => GeoError::NeedsDatumShift { code, name, datum },
                    None => GeoError::UnsupportedEpsg { code },
                });
            }
        };
        Ok(crs)
    }

    /// A checked 3-degree Gauss–Krüger CRS (zone 25..=45).
    pub fn gk3(zone: u8, prefixed: bool) -> GeoResult<Crs> {
        let crs = Crs::Gk3 { zone, prefixed };
        crs.check()?;
        Ok(crs)
    }

    /// A checked 6-degree Gauss–Krüger CRS (zone 13..=23).
    pub fn gk6(zone: u8, prefixed: bool) -> GeoResult<Crs> {
        let crs = Crs::Gk6 { zone, prefixed };
        crs.check()?;
        Ok(crs)
    }

    /// The zone-prefixed Gauss–Krüger CRS an easting belongs to, read from its leading digits
    /// (38 486 147 → 3-degree zone 38; 20 209 035 → 6-degree zone 20). `None` if the easting
    /// carries no valid prefix (unprefixed eastings are below 1 000 000 and say nothing about
    /// the zone).
    pub fn from_prefixed_easting(easting: f64) -> Option<Crs> {
        if !(easting.is_finite() && easting >= 1_000_000.0) {
            return None;
        }
        let prefix = (easting / 1_000_000.0).floor();
        if prefix > 45.0 {
            return None;
        }
        let zone = prefix as u8;
        if GK3_ZONES.contains(&zone) {
            Some(Crs::Gk3 {
                zone,
                prefixed: true,
            })
        } else if GK6_ZONES.contains(&zone) {
            Some(Crs::Gk6 {
                zone,
                prefixed: true,
            })
        } else {
            None
        }
    }

    /// The EPSG code. CRS84 has none and reports 4326, its EPSG twin with the other axis order.
    /// A Gauss–Krüger zone outside EPSG's range (see [`Crs::check`]) reports 0, which is no
    /// EPSG code, rather than a neighbouring CRS's code.
    pub fn epsg(&self) -> u32 {
        match *self {
            Crs::Cgcs2000Geographic => EPSG_CGCS2000,
            Crs::Wgs84 | Crs::Crs84 => EPSG_WGS84,
            Crs::WebMercator => EPSG_WEB_MERCATOR,
            Crs::Gk3 { zone, .. } if !GK3_ZONES.contains(&zone) => 0,
            Crs::Gk6 { zone, .. } if !GK6_ZONES.contains(&zone) => 0,
            Crs::Gk3 { zone, prefixed } => {
                let base = if prefixed { 4513 } else { 4534 };
                base + u32::from(zone) - 25
            }
            Crs::Gk6 { zone, prefixed } => {
                let base = if prefixed { 4491 } else { 4502 };
                base + u32::from(zone) - 13
            }
        }
    }

    /// Errors with [`GeoError::InvalidZone`] if a Gauss–Krüger zone is outside what EPSG defines
    /// for CGCS2000.
    pub fn check(&self) -> GeoResult<()> {
        match *self {
            Crs::Gk3 { zone, .. } if !GK3_ZONES.contains(&zone) => Err(GeoError::InvalidZone {
                kind: "3-degree",
                zone,
            }),
            Crs::Gk6 { zone, .. } if !GK6_ZONES.contains(&zone) => Err(GeoError::InvalidZone {
                kind: "6-degree",
                zone,
            }),
            _ => Ok(()),
        }
    }

    /// The EPSG name, e.g. "CGCS2000 / 3-degree Gauss-Kruger zone 38".
    pub fn name(&self) -> String {
        match *self {
            Crs::Cgcs2000Geographic => "China Geodetic Coordinate System 2000".to_owned(),
            Crs::Wgs84 => "WGS 84".to_owned(),
            Crs::Crs84 => "WGS 84 (CRS84)".to_owned(),
            Crs::WebMercator => "WGS 84 / Pseudo-Mercator".to_owned(),
            Crs::Gk3 {
                zone,
                prefixed: true,
            } => {
                format!("CGCS2000 / 3-degree Gauss-Kruger zone {zone}")
            }
            Crs::Gk3 {
                zone,
                prefixed: false,
            } => {
                format!(
                    "CGCS2000 / 3-degree Gauss-Kruger CM {}E",
                    3 * u32::from(zone)
                )
            }
            Crs::Gk6 {
                zone,
                prefixed: true,
            } => format!("CGCS2000 / Gauss-Kruger zone {zone}"),
            Crs::Gk6 {
                zone,
                prefixed: false,
            } => {
                format!(
                    "CGCS2000 / Gauss-Kruger CM {}E",
                    (6 * u32::from(zone)).saturating_sub(3)
                )
            }
        }
    }

    /// True for longitude/latitude CRSs.
    pub fn is_geographic(&self) -> bool {
        matches!(self, Crs::Cgcs2000Geographic | Crs::Wgs84 | Crs::Crs84)
    }

    /// True when the CRS's official axis order puts latitude/northing first: EPSG:4490, 4326 and
    /// all Gauss–Krüger zones (Chinese surveying's X = north). False for CRS84 and EPSG:3857.
    /// Formats that honour authority axis order (GML, WFS 2, OGC API `crs=` output, cs2cs)
    /// must swap when this is true.
    pub fn northing_first(&self) -> bool {
        !matches!(self, Crs::Crs84 | Crs::WebMercator)
    }

    /// The OGC URI, e.g. `http://www.opengis.net/def/crs/EPSG/0/4490`.
    pub fn ogc_uri(&self) -> String {
        match self {
            Crs::Crs84 => "http://www.opengis.net/def/crs/OGC/1.3/CRS84".to_owned(),
            other => format!("http://www.opengis.net/def/crs/EPSG/0/{}", other.epsg()),
        }
    }

    /// OGC WKT1 (as GDAL and PROJ write it), for `gpkg_spatial_ref_sys.definition`.
    pub fn wkt(&self) -> String {
        definitions::wkt(self)
    }

    /// The PROJ string landcycle transforms with. It carries no datum terms: CGCS2000 and
    /// WGS 84 are treated as one datum, as PROJ's ballpark transformation does.
    pub fn proj_string(&self) -> String {
        definitions::proj_string(self)
    }

    /// Central meridian in degrees east, for Gauss–Krüger CRSs.
    pub fn central_meridian(&self) -> Option<f64> {
        match *self {
            Crs::Gk3 { zone, .. } => Some(3.0 * f64::from(zone)),
            Crs::Gk6 { zone, .. } => Some(6.0 * f64::from(zone) - 3.0),
            _ => None,
        }
    }

    /// False easting in metres, for Gauss–Krüger CRSs (38 500 000 for zone 38 prefixed).
    pub fn false_easting(&self) -> Option<f64> {
        match *self {
            Crs::Gk3 { zone, prefixed } | Crs::Gk6 { zone, prefixed } => Some(if prefixed {
                f64::from(zone) * 1_000_000.0 + 500_000.0
            } else {
                500_000.0
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
