//! The vector-tile cache, and why it is never stale.
//!
//! Every write goes through this process's store handle, which bumps
//! [`landcycle_store::Store::generation`]. Before serving from the cache, [`TileCache::sync`]
//! compares generations; when they differ it reads the history events written since it last
//! looked, finds the parcels (and parks) they touched, and evicts exactly the cached tiles
//! whose area meets the envelope of those records **before and after** the change (the last
//! versions of each parcel). So the first tile request after an edit regenerates the affected
//! tiles, and their ETag (a hash of the bytes) changes with their content.
//!
//! A tile computed while a write landed is not stored (its generation is stale).

use super::Coll;
use landcycle_domain::{EntityKind, ParcelId};
use landcycle_geo::{Envelope, TileMatrixSet};
use landcycle_store::Store;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// What identifies a cached tile.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TileKey {
    /// Collection.
    pub coll: Coll,
    /// Matrix set.
    pub tms: TileMatrixSet,
    /// Zoom, column, row.
    pub zxy: (u8, u32, u32),
    /// Filter and scope: tiles of different filters or jurisdictions are different tiles.
    pub variant: String,
}

/// A rendered tile.
#[derive(Debug)]
pub struct CachedTile {
    /// MVT bytes (empty: no features); shared, so answering a cached tile copies nothing.
    pub bytes: axum::body::Bytes,
    /// The same bytes gzip-compressed (empty when `bytes` is), for `Content-Encoding: gzip`.
    pub gzip: axum::body::Bytes,
    /// Strong ETag of `bytes`: a hash of them.
    pub etag: String,
    /// Strong ETag of `gzip`: another representation, so another tag (RFC 9110 §8.8.3).
    pub etag_gzip: String,
    /// The tile's area with its buffer, longitude/latitude.
    pub area: Envelope,
}

/// gzip level of cached tiles. Level 1 compresses a low-zoom MVT nearly as well as the default
/// level 6 at a fraction of the time, which a cold tile (rendered on the request) pays.
const GZIP_LEVEL: u32 = 1;

impl CachedTile {
    /// A tile of `bytes`, gzipped once here.
    pub fn new(bytes: Vec<u8>, area: Envelope) -> CachedTile {
        use sha2::Digest;
        let tag = hex::encode(&sha2::Sha256::digest(&bytes)[..10]);
        let gzip = if bytes.is_empty() {
            Vec::new()
        } else {
            let mut e = flate2::write::GzEncoder::new(
                Vec::with_capacity(bytes.len() / 3),
                flate2::Compression::new(GZIP_LEVEL),
            );
            // Writing to a Vec cannot fail.
            let _ = std::io::Write::write_all(&mut e, &bytes);
            e.finish().unwrap_or_default()
        };
        CachedTile {
            bytes: bytes.into(),
            gzip: gzip.into(),
            etag: format!("\"{tag}\""),
            etag_gzip: format!("\"{tag}-gzip\""),
            area,
        }
    }
}

/// Entries kept at most (FIFO beyond).
const MAX_ENTRIES: usize = 20_000;
/// Events read per sync; more changes than this since the last look clear the cache.
const MAX_EVENTS: u32 = 2_000;

#[derive(Default)]
struct Inner {
    entries: HashMap<TileKey, Arc<CachedTile>>,
    order: VecDeque<TileKey>,
    generation: Option<u64>,
    last_seq: i64,
}

/// See the module documentation.
#[derive(Default)]
pub struct TileCache {
    /// A read lock for the warm path: the runtime's workers answering cached tiles at once
    /// do not queue on each other (a mutex here was a futex wait in many requests).
    inner: RwLock<Inner>,
}

impl TileCache {
    fn lock(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Brings the cache up to date with the store; returns the generation it now reflects.
    pub fn sync(&self, store: &dyn Store) -> u64 {
        let now = store.generation();
        let mut inner = self.lock();
        if inner.generation == Some(now) {
            return now;
        }
        let first = inner.generation.is_none();
        let events = store.recent_events(MAX_EVENTS).unwrap_or_default();
        let newest = events.first().map_or(inner.last_seq, |e| e.seq);
        if first {
            // Nothing cached yet: only remember where the history stands.
            inner.entries.clear();
            inner.order.clear();
        } else {
            let fresh: Vec<_> = events.iter().filter(|e| e.seq > inner.last_seq).collect();
            if fresh.len() as u32 >= MAX_EVENTS {
                inner.entries.clear();
                inner.order.clear();
            } else {
                let mut areas: Vec<(Option<Coll>, Envelope)> = Vec::new();
                let mut per_parcel: HashMap<String, u32> = HashMap::new();
                for e in &fresh {
                    match e.entity {
                        EntityKind::Parcel => {
                            *per_parcel.entry(e.entity_id.clone()).or_default() += 1
                        }
                        EntityKind::Park => areas.push((Some(Coll::Parks), world())),
                        // A bulk import is one event for all its parcels (their ids are in
                        // `event_refs`, not here): every parcel tile may have changed.
                        EntityKind::Import => areas.push((None, world())),
                        _ => {}
                    }
                }
                for (id, n) in per_parcel {
                    let Ok(id) = ParcelId::parse(&id, "id") else {
                        continue;
                    };
                    let versions = store.parcel_versions(id).unwrap_or_default();
                    // The versions written by these events and the one before them.
                    for v in versions.iter().rev().take(n as usize + 1) {
                        if let Some(env) = Envelope::from_geometry(
                            &geo_types::Geometry::MultiPolygon(v.geometry.clone()),
                        ) {
                            areas.push((None, env));
                        }
                    }
                }
                let doomed: Vec<TileKey> = inner
                    .entries
                    .iter()
                    .filter(|(k, t)| {
                        areas.iter().any(|(c, a)| {
                            // A parcel change touches the parcel layers; a park change the parks.
                            let layer = match c {
                                None => k.coll != Coll::Parks,
                                Some(c) => k.coll == *c,
                            };
                            layer && t.area.intersects(a)
                        })
                    })
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in &doomed {
                    inner.entries.remove(k);
                }
                inner.order.retain(|k| !doomed.contains(k));
            }
        }
        inner.generation = Some(now);
        inner.last_seq = newest;
        now
    }

    /// A cached tile, only when the cache already reflects `generation` (the store's current
    /// one): the request path's fast check, which needs no sync and no blocking thread.
    pub fn get_current(&self, k: &TileKey, generation: u64) -> Option<Arc<CachedTile>> {
        let inner = self.read();
        if inner.generation != Some(generation) {
            return None;
        }
        inner.entries.get(k).cloned()
    }

    /// A cached tile.
    pub fn get(&self, k: &TileKey) -> Option<Arc<CachedTile>> {
        self.read().entries.get(k).cloned()
    }

    /// Stores a tile computed at `generation`, unless the store has moved on since.
    pub fn put(&self, k: TileKey, t: Arc<CachedTile>, generation: u64) {
        let mut inner = self.lock();
        if inner.generation != Some(generation) {
            return;
        }
        if inner.entries.insert(k.clone(), t).is_none() {
            inner.order.push_back(k);
        }
        while inner.order.len() > MAX_ENTRIES {
            if let Some(old) = inner.order.pop_front() {
                inner.entries.remove(&old);
            }
        }
    }
}

fn world() -> Envelope {
    Envelope {
        min_x: -180.0,
        max_x: 180.0,
        min_y: -90.0,
        max_y: 90.0,
    }
}

/// Does `Accept-Encoding` take gzip (RFC 9110 §12.5.3)? `gzip` (or `x-gzip`, or `*` when gzip
/// is not named) with a quality above zero.
pub(crate) fn accepts_gzip(h: &axum::http::HeaderMap) -> bool {
    let mut star = false;
    for v in h.get_all(axum::http::header::ACCEPT_ENCODING) {
        let Ok(v) = v.to_str() else { continue };
        for item in v.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                return q > 0.0;
            }
            if coding == "*" {
                star = q > 0.0;
            }
        }
    }
    star
}

#[cfg(test)]
mod tests {
    use super::accepts_gzip;
    use axum::http::{HeaderMap, HeaderValue, header};

    fn takes(v: &str) -> bool {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("")),
        );
        accepts_gzip(&h)
    }

    #[test]
    fn accept_encoding_is_read_as_rfc_9110_says() {
        assert!(!accepts_gzip(&HeaderMap::new()), "no header: identity");
        for yes in [
            "gzip",
            "GZIP",
            "deflate, gzip;q=0.5",
            "x-gzip",
            "*",
            "br, *;q=0.1",
        ] {
            assert!(takes(yes), "{yes}");
        }
        for no in [
            "identity",
            "br",
            "gzip;q=0",
            "*, gzip;q=0",
            "gzip; q=0.0",
            "*;q=0",
        ] {
            assert!(!takes(no), "{no}");
        }
    }
}
