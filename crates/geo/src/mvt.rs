//! Mapbox Vector Tile (MVT 2.1) layers of polygons: geometry projected onto the tile grid,
//! simplified to the grid's resolution, clipped to the tile plus a buffer, snapped to integers
//! with repeated points and collapsed rings dropped, rings wound as the specification demands
//! (exterior clockwise on screen, i.e. positive shoelace area with y down), and encoded as
//! command integers. The protobuf messages are geozero's generated `vector_tile` types.

use crate::fx_hash::FxMap;

use geo::Simplify;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use geozero::mvt::{Message, Tile, tile};

use crate::tms::TileMatrixSet;

/// Units per tile side.
pub const EXTENT: u32 = 4096;
/// Grid units kept around the tile so that strokes do not show seams at tile edges.
pub const BUFFER: f64 = 64.0;

/// A property value of a feature (text borrowed: the layer copies a text once, into its value
/// table, the first time it sees it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MvtValue<'a> {
    /// Text.
    Text(&'a str),
    /// A floating-point number.
    Number(f64),
    /// An integer.
    Int(i64),
}

/// One tile's place in its matrix set.
#[derive(Debug, Clone, Copy)]
pub struct TileId {
    /// The matrix set.
    pub tms: TileMatrixSet,
    /// Zoom.
    pub z: u8,
    /// Column.
    pub x: u32,
    /// Row (from the top).
    pub y: u32,
}

/// Builds one layer.
#[derive(Debug)]
pub struct LayerBuilder {
    layer: tile::Layer,
    tile: TileId,
    // Indexes of the key and value tables: a low-zoom tile holds tens of thousands of
    // features, each with its own id and code, and a linear search of the tables made
    // building one quadratic (20 s for 50,000 parcels).
    // Equal values share one entry of the value table, as the specification intends; numbers
    // are keyed by their bits. Texts are looked up borrowed, so a repeated one costs no copy.
    key_index: FxMap<String>,
    text_index: FxMap<String>,
    number_index: FxMap<u64>,
    int_index: FxMap<i64>,
}

impl LayerBuilder {
    /// An empty layer named `name` for `tile`.
    pub fn new(name: &str, tile: TileId) -> Self {
        Self {
            layer: tile::Layer {
                version: 2,
                name: name.to_owned(),
                extent: Some(EXTENT),
                ..Default::default()
            },
            tile,
            key_index: FxMap::default(),
            text_index: FxMap::default(),
            number_index: FxMap::default(),
            int_index: FxMap::default(),
        }
    }

    /// Number of features added so far.
    pub fn len(&self) -> usize {
        self.layer.features.len()
    }

    /// True when no feature has been added.
    pub fn is_empty(&self) -> bool {
        self.layer.features.is_empty()
    }

    /// Adds a polygonal feature given in longitude/latitude. Returns false (and adds nothing)
    /// when nothing of it is left on this tile at this zoom.
    pub fn add_polygons(
        &mut self,
        id: Option<u64>,
        geometry: &MultiPolygon<f64>,
        properties: &[(&str, MvtValue<'_>)],
    ) -> bool {
        let t = self.tile;
        let to_grid = t.tms.to_tile_grid(t.z, t.x, t.y, EXTENT);
        let mut commands = Vec::new();
        let mut cursor = (0i32, 0i32);
        for poly in geometry {
            let projected = Polygon::new(
                project(poly.exterior(), &to_grid),
                poly.interiors()
                    .iter()
                    .map(|r| project(r, &to_grid))
                    .collect(),
            );
            // Half a grid unit: finer detail cannot be drawn.
            let simple = projected.simplify(0.5);
            let Some(ext) = ring_to_grid(simple.exterior(), true) else {
                continue;
            };
            encode_ring(&ext, &mut commands, &mut cursor);
            for hole in simple.interiors() {
                if let Some(h) = ring_to_grid(hole, false) {
                    encode_ring(&h, &mut commands, &mut cursor);
                }
            }
        }
        if commands.is_empty() {
            return false;
        }
        let mut tags = Vec::with_capacity(properties.len() * 2);
        for (k, v) in properties {
            tags.push(self.key(k));
            tags.push(self.value(v));
        }
        self.layer.features.push(tile::Feature {
            id,
            tags,
            r#type: Some(tile::GeomType::Polygon as i32),
            geometry: commands,
        });
        true
    }

    fn key(&mut self, k: &str) -> u32 {
        if let Some(&i) = self.key_index.get(k) {
            return i;
        }
        let i = self.layer.keys.len() as u32;
        self.layer.keys.push(k.to_owned());
        self.key_index.insert(k.to_owned(), i);
        i
    }

    fn value(&mut self, v: &MvtValue<'_>) -> u32 {
        let next = self.layer.values.len() as u32;
        let (i, value) = match *v {
            MvtValue::Text(t) => match self.text_index.get(t) {
                Some(&i) => (i, None),
                None => {
                    self.text_index.insert(t.to_owned(), next);
                    (
                        next,
                        Some(tile::Value {
                            string_value: Some(t.to_owned()),
                            ..Default::default()
                        }),
                    )
                }
            },
            MvtValue::Number(n) => match self.number_index.entry(n.to_bits()) {
                std::collections::hash_map::Entry::Occupied(e) => (*e.get(), None),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(next);
                    (
                        next,
                        Some(tile::Value {
                            double_value: Some(n),
                            ..Default::default()
                        }),
                    )
                }
            },
            MvtValue::Int(n) => match self.int_index.entry(n) {
                std::collections::hash_map::Entry::Occupied(e) => (*e.get(), None),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(next);
                    (
                        next,
                        Some(tile::Value {
                            sint_value: Some(n),
                            ..Default::default()
                        }),
                    )
                }
            },
        };
        if let Some(value) = value {
            self.layer.values.push(value);
        }
        i
    }

    /// Adds a polygonal feature given as a GeoPackage geometry blob in longitude/latitude; see
    /// [`Self::add_polygons`].
    pub fn add_gpkg(
        &mut self,
        id: Option<u64>,
        blob: &[u8],
        properties: &[(&str, MvtValue<'_>)],
    ) -> crate::GeoResult<bool> {
        let g = crate::to_multipolygon(crate::decode_gpkg(blob)?)?;
        Ok(self.add_polygons(id, &g, properties))
    }

    /// The finished layer.
    pub fn finish(self) -> tile::Layer {
        self.layer
    }
}

/// Encodes layers as one tile (empty layers are left out).
pub fn encode(layers: Vec<tile::Layer>) -> Vec<u8> {
    Tile {
        layers: layers
            .into_iter()
            .filter(|l| !l.features.is_empty())
            .collect(),
    }
    .encode_to_vec()
}

/// Decodes a tile (for tests and tools).
pub fn decode(bytes: &[u8]) -> Result<Tile, String> {
    Tile::decode(bytes).map_err(|e| e.to_string())
}

fn project(r: &LineString<f64>, f: &impl Fn(f64, f64) -> (f64, f64)) -> LineString<f64> {
    r.coords()
        .map(|c| {
            let (x, y) = f(c.x, c.y);
            Coord { x, y }
        })
        .collect()
}

/// Clips a closed ring to the buffered tile (Sutherland–Hodgman: exact for a convex clip
/// window; a concave ring may keep zero-width slivers along the edge, which draw as nothing),
/// snaps it to integers, drops repeated points, and winds it: exterior rings positive area.
/// `None` when nothing with area is left.
fn ring_to_grid(r: &LineString<f64>, exterior: bool) -> Option<Vec<(i32, i32)>> {
    let lo = -BUFFER;
    let hi = f64::from(EXTENT) + BUFFER;
    let mut pts: Vec<(f64, f64)> = r.coords().map(|c| (c.x, c.y)).collect();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    // Most rings lie wholly inside the buffered tile: they need no clipping (four passes that
    // each copy the ring).
    let inside = pts
        .iter()
        .all(|&(x, y)| (lo..=hi).contains(&x) && (lo..=hi).contains(&y));
    if !inside {
        for edge in 0..4 {
            pts = clip_edge(&pts, edge, lo, hi);
            if pts.is_empty() {
                return None;
            }
        }
    }
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(pts.len());
    for (x, y) in pts {
        let p = (x.round() as i32, y.round() as i32);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if out.len() < 3 {
        return None;
    }
    let area2: i64 = (0..out.len())
        .map(|i| {
            let (a, b) = (out[i], out[(i + 1) % out.len()]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum();
    if area2 == 0 {
        return None;
    }
    if (area2 > 0) != exterior {
        out.reverse();
    }
    Some(out)
}

fn clip_edge(pts: &[(f64, f64)], edge: u8, lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let inside = |p: (f64, f64)| match edge {
        0 => p.0 >= lo,
        1 => p.0 <= hi,
        2 => p.1 >= lo,
        _ => p.1 <= hi,
    };
    let cross = |a: (f64, f64), b: (f64, f64)| {
        let (t, _) = match edge {
            0 => ((lo - a.0) / (b.0 - a.0), ()),
            1 => ((hi - a.0) / (b.0 - a.0), ()),
            2 => ((lo - a.1) / (b.1 - a.1), ()),
            _ => ((hi - a.1) / (b.1 - a.1), ()),
        };
        (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
    };
    let mut out = Vec::with_capacity(pts.len() + 4);
    for i in 0..pts.len() {
        let cur = pts[i];
        let prev = pts[(i + pts.len() - 1) % pts.len()];
        match (inside(prev), inside(cur)) {
            (true, true) => out.push(cur),
            (true, false) => out.push(cross(prev, cur)),
            (false, true) => {
                out.push(cross(prev, cur));
                out.push(cur);
            }
            (false, false) => {}
        }
    }
    out
}

fn command(id: u32, count: u32) -> u32 {
    (id & 0x7) | (count << 3)
}

fn zigzag(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

fn encode_ring(ring: &[(i32, i32)], out: &mut Vec<u32>, cursor: &mut (i32, i32)) {
    let mut step = |p: (i32, i32), out: &mut Vec<u32>| {
        out.push(zigzag(p.0 - cursor.0));
        out.push(zigzag(p.1 - cursor.1));
        *cursor = p;
    };
    out.push(command(1, 1));
    step(ring[0], out);
    out.push(command(2, (ring.len() - 1) as u32));
    for p in &ring[1..] {
        step(*p, out);
    }
    out.push(command(7, 1));
}

#[cfg(test)]
#[path = "mvt_tests.rs"]
mod tests;
