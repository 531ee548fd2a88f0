//! Lookups of a bulk import against the live parcels, by index only: which of many 宗地代码
//! are taken, and the envelopes of the parcels in the import's extent (from the GeoPackage
//! R*Tree), so that a million rows cost a handful of queries, not two each.

use crate::error::StoreResult;
use rusqlite::Connection;
use std::collections::HashSet;

/// Codes per query: under SQLite's default limit of 32 766 parameters.
const CHUNK: usize = 500;

/// The codes among `codes` that a live parcel carries (exact match on `parcels_code`).
pub(crate) fn live_codes(conn: &Connection, codes: &[String]) -> StoreResult<HashSet<String>> {
    let mut out = HashSet::new();
    for chunk in codes.chunks(CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut stmt =
            conn.prepare_cached(&format!("SELECT code FROM parcels WHERE code IN ({marks})"))?;
        let found = stmt.query_map(rusqlite::params_from_iter(chunk), |r| r.get::<_, String>(0))?;
        for c in found {
            out.insert(c?);
        }
    }
    Ok(out)
}

/// `[min_x, min_y, max_x, max_y]` of every live parcel whose index box meets `bbox`. R*Tree
/// boxes are stored as 32-bit floats rounded outwards, so they contain the parcel.
pub(crate) fn live_envelopes(conn: &Connection, bbox: [f64; 4]) -> StoreResult<Vec<[f64; 4]>> {
    let mut stmt = conn.prepare_cached(
        "SELECT minx, miny, maxx, maxy FROM rtree_parcels_geom
         WHERE maxx >= ?1 AND minx <= ?3 AND maxy >= ?2 AND miny <= ?4",
    )?;
    let rows = stmt.query_map(bbox, |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
