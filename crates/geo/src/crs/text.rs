//! Textual forms of a CRS: `EPSG:nnnn`, OGC URIs and URNs, CRS84 — parsing, display, serde.

use std::fmt;
use std::str::FromStr;

use super::Crs;
use crate::error::{GeoError, GeoResult};

impl Crs {
    /// Parses `EPSG:4490`, `4490`, `http://www.opengis.net/def/crs/EPSG/0/4490`,
    /// `urn:ogc:def:crs:EPSG::4490`, and the CRS84 spellings (`CRS84`, `OGC:CRS84`,
    /// `http://www.opengis.net/def/crs/OGC/1.3/CRS84`, `urn:ogc:def:crs:OGC:1.3:CRS84`).
    pub fn parse(s: &str) -> GeoResult<Crs> {
        let lower = s.trim().to_ascii_lowercase();
        let without_scheme = lower
            .strip_prefix("http://")
            .or_else(|| lower.strip_prefix("https://"))
            .unwrap_or(&lower);
        const CRS84: [&str; 6] = [
            "crs84",
            "ogc:crs84",
            "crs:84",
            "www.opengis.net/def/crs/ogc/1.3/crs84",
            "urn:ogc:def:crs:ogc:1.3:crs84",
            "urn:ogc:def:crs:ogc::crs84",
        ];
        if CRS84.contains(&without_scheme) {
            return Ok(Crs::Crs84);
        }
        let code = if let Some(rest) = without_scheme.strip_prefix("epsg:") {
            rest
        } else if let Some(rest) = without_scheme.strip_prefix("www.opengis.net/def/crs/epsg/") {
            // The path segment after EPSG is the register version ("0" in practice).
            rest.rsplit('/').next().unwrap_or(rest)
        } else if let Some(rest) = without_scheme.strip_prefix("urn:ogc:def:crs:epsg:") {
            rest.rsplit(':').next().unwrap_or(rest)
        } else {
            without_scheme
        };
        match code.parse::<u32>() {
            Ok(code) => Crs::from_epsg(code),
            Err(_) => Err(GeoError::UnknownCrs(s.to_owned())),
        }
    }
}

impl fmt::Display for Crs {
    /// `EPSG:nnnn`, or `OGC:CRS84`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Crs::Crs84 => f.write_str("OGC:CRS84"),
            other => write!(f, "EPSG:{}", other.epsg()),
        }
    }
}

impl FromStr for Crs {
    type Err = GeoError;

    fn from_str(s: &str) -> GeoResult<Crs> {
        Crs::parse(s)
    }
}

impl serde::Serialize for Crs {
    /// As its [`Display`](fmt::Display) string, `EPSG:4490` or `OGC:CRS84`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Crs {
    /// From any spelling [`Crs::parse`] accepts.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Crs, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Crs::parse(&s).map_err(serde::de::Error::custom)
    }
}
