//! GeoPackage binary geometry (GPKG 1.3/1.4 §2.1.3): a small header — "GP" magic, version,
//! flags, srs_id and an optional envelope — followed by ISO WKB.

use geo_types::Geometry;

pub use crate::envelope::Envelope;
use crate::error::{GeoError, GeoResult};
pub use crate::wkb;

const MAGIC: [u8; 2] = *b"GP";
const VERSION_1: u8 = 0;
const FLAG_LITTLE_ENDIAN: u8 = 0b0000_0001;
const FLAG_EMPTY: u8 = 0b0001_0000;
const FLAG_EXTENDED: u8 = 0b0010_0000;
const ENVELOPE_SHIFT: u8 = 1;
/// Envelope contents code 1: [minx, maxx, miny, maxy].
const ENVELOPE_XY: u8 = 1;
const FIXED_HEADER_LEN: usize = 8;

/// The decoded GeoPackage header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GpkgHeader {
    /// `srs_id`, a key of `gpkg_spatial_ref_sys` (normally the EPSG code).
    pub srs_id: i32,
    /// The empty-geometry flag.
    pub empty: bool,
    /// The x/y part of the stored envelope, if one is stored (Z/M ranges are skipped).
    pub envelope: Option<Envelope>,
    /// Header length in bytes: the WKB starts here.
    pub len: usize,
}

/// Encodes a geometry as a GeoPackage blob: little-endian header with an [minx, maxx, miny,
/// maxy] envelope (of the finite coordinates), or no envelope and the empty flag for empty
/// geometries (a NaN point is the GeoPackage empty point), then little-endian 2D ISO WKB.
pub fn encode_gpkg(geom: &Geometry<f64>, srs_id: i32) -> Vec<u8> {
    let empty = is_empty(geom);
    let envelope = if empty {
        None
    } else {
        Envelope::from_geometry(geom)
    };
    let wkb = wkb::write(geom);
    let mut out = Vec::with_capacity(FIXED_HEADER_LEN + 32 + wkb.len());
    out.extend_from_slice(&MAGIC);
    out.push(VERSION_1);
    let mut flags = FLAG_LITTLE_ENDIAN;
    if empty {
        flags |= FLAG_EMPTY;
    }
    if envelope.is_some() {
        flags |= ENVELOPE_XY << ENVELOPE_SHIFT;
    }
    out.push(flags);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(e) = envelope {
        for v in [e.min_x, e.max_x, e.min_y, e.max_y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.extend(wkb);
    out
}

/// Reads and checks the header of a GeoPackage blob.
pub fn gpkg_header(bytes: &[u8]) -> GeoResult<GpkgHeader> {
    let fixed: &[u8; FIXED_HEADER_LEN] = bytes.first_chunk().ok_or_else(|| {
        GeoError::Gpkg(format!(
            "{} bytes is shorter than the 8-byte header",
            bytes.len()
        ))
    })?;
    if fixed[..2] != MAGIC {
        return Err(GeoError::Gpkg(format!(
            "bad magic {:02x}{:02x}, expected 4750 (\"GP\")",
            fixed[0], fixed[1]
        )));
    }
    if fixed[2] != VERSION_1 {
        return Err(GeoError::Gpkg(format!(
            "unsupported version byte {}",
            fixed[2]
        )));
    }
    let flags = fixed[3];
    if flags & FLAG_EXTENDED != 0 {
        return Err(GeoError::Gpkg(
            "extended GeoPackage geometry types are not supported".into(),
        ));
    }
    let little = flags & FLAG_LITTLE_ENDIAN != 0;
    let read_f64 = |b: [u8; 8]| {
        if little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        }
    };
    let srs = [fixed[4], fixed[5], fixed[6], fixed[7]];
    let srs_id = if little {
        i32::from_le_bytes(srs)
    } else {
        i32::from_be_bytes(srs)
    };
    let doubles = match (flags >> ENVELOPE_SHIFT) & 0b111 {
        0 => 0,
        1 => 4,
        2 | 3 => 6,
        4 => 8,
        code => {
            return Err(GeoError::Gpkg(format!(
                "invalid envelope contents code {code}"
            )));
        }
    };
    let len = FIXED_HEADER_LEN + 8 * doubles;
    let envelope_bytes = bytes.get(FIXED_HEADER_LEN..len).ok_or_else(|| {
        GeoError::Gpkg(format!(
            "truncated: header needs {len} bytes, blob has {}",
            bytes.len()
        ))
    })?;
    let mut values = envelope_bytes
        .chunks_exact(8)
        .take(4)
        .filter_map(|c| c.first_chunk::<8>().map(|b| read_f64(*b)));
    let envelope = match (values.next(), values.next(), values.next(), values.next()) {
        (Some(min_x), Some(max_x), Some(min_y), Some(max_y)) => Some(Envelope {
            min_x,
            max_x,
            min_y,
            max_y,
        }),
        _ => None,
    };
    Ok(GpkgHeader {
        srs_id,
        empty: flags & FLAG_EMPTY != 0,
        envelope,
        len,
    })
}

/// Decodes a GeoPackage blob to a geometry (the `srs_id` is in [`gpkg_header`]).
pub fn decode_gpkg(bytes: &[u8]) -> GeoResult<Geometry<f64>> {
    let header = gpkg_header(bytes)?;
    wkb::read(bytes.get(header.len..).unwrap_or_default())
}

/// The envelope of a GeoPackage blob: from the header if stored there, else computed from the
/// WKB. `None` for an empty geometry.
pub fn gpkg_envelope(bytes: &[u8]) -> GeoResult<Option<Envelope>> {
    let header = gpkg_header(bytes)?;
    if header.empty {
        return Ok(None);
    }
    // Writers put NaN in the envelope of an empty geometry; fall back to the WKB then.
    match header.envelope {
        Some(e)
            if ![e.min_x, e.max_x, e.min_y, e.max_y]
                .iter()
                .any(|v| v.is_nan()) =>
        {
            Ok(Some(e))
        }
        _ => Ok(Envelope::from_geometry(&decode_gpkg(bytes)?)),
    }
}

/// Whether the blob holds an empty geometry: the header's empty flag, or — for writers that
/// forget the flag — a WKB geometry with no coordinates.
pub fn gpkg_is_empty(bytes: &[u8]) -> GeoResult<bool> {
    let header = gpkg_header(bytes)?;
    if header.empty {
        return Ok(true);
    }
    if header.envelope.is_some_and(|e| !e.min_x.is_nan()) {
        return Ok(false);
    }
    Ok(is_empty(&decode_gpkg(bytes)?))
}

/// Emptiness in the GeoPackage sense: no coordinates, or only NaN ones (a GeoPackage empty
/// point is POINT(NaN NaN)).
pub fn is_empty(g: &Geometry<f64>) -> bool {
    use geo::CoordsIter;
    g.coords_iter().all(|c| c.x.is_nan() && c.y.is_nan())
}

#[cfg(test)]
#[path = "gpkg_tests.rs"]
mod tests;
