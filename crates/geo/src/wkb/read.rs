//! WKB reader: bounds-checked, never panics, and refuses counts the input cannot hold so a
//! hostile header cannot make us allocate gigabytes.

use geo_types::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};

use super::code;
use crate::error::{GeoError, GeoResult};

/// Nesting limit for GeometryCollections; real data nests one or two levels.
const MAX_DEPTH: usize = 32;
/// Smallest possible encoding of any geometry (empty LineString: order + type + count).
const MIN_GEOMETRY_BYTES: usize = 9;

/// Decodes WKB (either byte order; ISO or EWKB Z/M flags accepted, Z and M dropped).
///
/// Polygon rings are closed if the input left them open (geo-types always closes rings).
/// Trailing bytes after the geometry are an error.
pub fn read(bytes: &[u8]) -> GeoResult<Geometry<f64>> {
    let mut r = Reader { bytes, pos: 0 };
    let g = r.geometry(0)?;
    if r.pos != bytes.len() {
        return Err(r.err(format!(
            "{} unexpected bytes after the geometry",
            bytes.len() - r.pos
        )));
    }
    Ok(g)
}

#[derive(Clone, Copy)]
enum Order {
    Big,
    Little,
}

#[derive(Clone, Copy)]
struct Header {
    order: Order,
    kind: u32,
    /// Coordinates per position (2 to 4).
    dims: usize,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

fn type_name(kind: u32) -> &'static str {
    match kind {
        code::POINT => "Point",
        code::LINE_STRING => "LineString",
        code::POLYGON => "Polygon",
        code::MULTI_POINT => "MultiPoint",
        code::MULTI_LINE_STRING => "MultiLineString",
        code::MULTI_POLYGON => "MultiPolygon",
        code::GEOMETRY_COLLECTION => "GeometryCollection",
        _ => "unknown",
    }
}

impl Reader<'_> {
    fn err(&self, message: impl Into<String>) -> GeoError {
        GeoError::Wkb {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn take<const N: usize>(&mut self) -> GeoResult<[u8; N]> {
        let chunk = self
            .bytes
            .get(self.pos..)
            .and_then(|rest| rest.first_chunk::<N>())
            .copied()
            .ok_or_else(|| {
                self.err(format!(
                    "truncated: {N} bytes needed, {} left",
                    self.remaining()
                ))
            })?;
        self.pos += N;
        Ok(chunk)
    }

    fn u32(&mut self, order: Order) -> GeoResult<u32> {
        let b = self.take::<4>()?;
        Ok(match order {
            Order::Big => u32::from_be_bytes(b),
            Order::Little => u32::from_le_bytes(b),
        })
    }

    fn f64(&mut self, order: Order) -> GeoResult<f64> {
        let b = self.take::<8>()?;
        Ok(match order {
            Order::Big => f64::from_be_bytes(b),
            Order::Little => f64::from_le_bytes(b),
        })
    }

    fn header(&mut self) -> GeoResult<Header> {
        let start = self.pos;
        let order = match self.take::<1>()?[0] {
            0 => Order::Big,
            1 => Order::Little,
            other => {
                return Err(GeoError::Wkb {
                    offset: start,
                    message: format!("byte-order marker {other} is neither 0 nor 1"),
                });
            }
        };
        let raw = self.u32(order)?;
        // EWKB (PostGIS) flags in the high bits; ISO encodes Z/M as +1000/+2000/+3000.
        let mut has_z = raw & 0x8000_0000 != 0;
        let mut has_m = raw & 0x4000_0000 != 0;
        if raw & 0x2000_0000 != 0 {
            // EWKB embedded SRID: not ours to interpret, GeoPackage carries srs_id itself.
            self.u32(order)?;
        }
        let base = raw & 0x0FFF_FFFF;
        match base / 1000 {
            0 => {}
            1 => has_z = true,
            2 => has_m = true,
            3 => (has_z, has_m) = (true, true),
            _ => {
                return Err(GeoError::Wkb {
                    offset: start,
                    message: unsupported(raw),
                });
            }
        }
        let kind = base % 1000;
        if !(code::POINT..=code::GEOMETRY_COLLECTION).contains(&kind) {
            return Err(GeoError::Wkb {
                offset: start,
                message: unsupported(raw),
            });
        }
        Ok(Header {
            order,
            kind,
            dims: 2 + usize::from(has_z) + usize::from(has_m),
        })
    }

    /// Reads an element count and checks the remaining input could hold that many elements.
    fn count(&mut self, order: Order, min_element_bytes: usize, what: &str) -> GeoResult<usize> {
        let n = usize::try_from(self.u32(order)?).unwrap_or(usize::MAX);
        let needed = n.saturating_mul(min_element_bytes);
        if needed > self.remaining() {
            return Err(self.err(format!(
                "{what} count {n} needs at least {needed} bytes but only {} remain",
                self.remaining()
            )));
        }
        Ok(n)
    }

    fn coord(&mut self, h: Header) -> GeoResult<Coord<f64>> {
        let x = self.f64(h.order)?;
        let y = self.f64(h.order)?;
        for _ in 2..h.dims {
            self.f64(h.order)?;
        }
        Ok(Coord { x, y })
    }

    fn coords(&mut self, h: Header) -> GeoResult<Vec<Coord<f64>>> {
        let n = self.count(h.order, 8 * h.dims, "point")?;
        (0..n).map(|_| self.coord(h)).collect()
    }

    fn polygon(&mut self, h: Header) -> GeoResult<Polygon<f64>> {
        let n = self.count(h.order, 4, "ring")?;
        let mut rings = (0..n)
            .map(|_| self.coords(h).map(LineString))
            .collect::<GeoResult<Vec<_>>>()?;
        if rings.is_empty() {
            return Ok(Polygon::new(LineString::new(vec![]), vec![]));
        }
        let exterior = rings.remove(0);
        Ok(Polygon::new(exterior, rings))
    }

    /// Reads a member of a Multi* geometry, which must be of type `expected`.
    fn member(&mut self, expected: u32, parent: u32) -> GeoResult<Header> {
        let start = self.pos;
        let h = self.header()?;
        if h.kind != expected {
            return Err(GeoError::Wkb {
                offset: start,
                message: format!(
                    "a {} may only contain {}s, found a {}",
                    type_name(parent),
                    type_name(expected),
                    type_name(h.kind)
                ),
            });
        }
        Ok(h)
    }

    fn members<T>(
        &mut self,
        h: Header,
        expected: u32,
        mut body: impl FnMut(&mut Self, Header) -> GeoResult<T>,
    ) -> GeoResult<Vec<T>> {
        let n = self.count(h.order, MIN_GEOMETRY_BYTES, type_name(expected))?;
        (0..n)
            .map(|_| {
                let member = self.member(expected, h.kind)?;
                body(self, member)
            })
            .collect()
    }

    fn geometry(&mut self, depth: usize) -> GeoResult<Geometry<f64>> {
        if depth > MAX_DEPTH {
            return Err(self.err(format!(
                "geometry collections nested deeper than {MAX_DEPTH}"
            )));
        }
        let h = self.header()?;
        Ok(match h.kind {
            code::POINT => Geometry::Point(Point(self.coord(h)?)),
            code::LINE_STRING => Geometry::LineString(LineString(self.coords(h)?)),
            code::POLYGON => Geometry::Polygon(self.polygon(h)?),
            code::MULTI_POINT => {
                Geometry::MultiPoint(MultiPoint(
                    self.members(h, code::POINT, |r, m| r.coord(m).map(Point))?,
                ))
            }
            code::MULTI_LINE_STRING => Geometry::MultiLineString(MultiLineString(self.members(
                h,
                code::LINE_STRING,
                |r, m| r.coords(m).map(LineString),
            )?)),
            code::MULTI_POLYGON => {
                Geometry::MultiPolygon(MultiPolygon(
                    self.members(h, code::POLYGON, |r, m| r.polygon(m))?,
                ))
            }
            _ => {
                let n = self.count(h.order, MIN_GEOMETRY_BYTES, "geometry")?;
                let members = (0..n)
                    .map(|_| self.geometry(depth + 1))
                    .collect::<GeoResult<_>>()?;
                Geometry::GeometryCollection(GeometryCollection(members))
            }
        })
    }
}

fn unsupported(raw: u32) -> String {
    format!(
        "unsupported geometry type code {raw} (supported: Point, LineString, Polygon, \
         MultiPoint, MultiLineString, MultiPolygon, GeometryCollection)"
    )
}
