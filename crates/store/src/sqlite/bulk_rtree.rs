//! Bulk writes fill the GeoPackage R*Tree indexes once, at the end of their transaction,
//! instead of row by row (as GDAL does when it loads a layer).
//!
//! Row by row, the standard insert trigger makes every parcel INSERT a trigger program, and a
//! statement with triggers inside a transaction keeps a statement journal: measured on a
//! 100,000-parcel import, the triggers' R*Tree updates and the statement journals were ~40 % of
//! the write. The insert triggers are dropped inside the transaction and re-created, from their
//! own stored SQL, before it commits, so the file is never seen without them: a failure or a
//! `kill -9` rolls the drop back with everything else.
//!
//! The entries come from the geometries as they are written ([`Deferred::record`]), not from
//! reading the tables back: at a million parcels the tables no longer fit the page cache, and
//! scanning them again (and parsing every GeoPackage blob four times through `ST_MinX` …)
//! took 47 s of a 138 s write.
//!
//! At the end the tree is built in memory and its nodes written straight into the R*Tree's
//! shadow tables ([`pack`], [`shadow`]), as GDAL ≥ 3.7 does: inserting a million entries one
//! by one through the virtual table (R*Tree choose-subtree, splits, reinserts) took 19 s of a
//! 64 s write at 1M parcels. Entries already in the tree — the store's earlier parcels, and
//! rows the update triggers indexed during this transaction — are read and packed with the
//! new ones. When the tree is much larger than the insert, re-packing it all costs more than
//! inserting the few new entries, and those go in one by one as before ([`PACK_WHEN`]).

mod pack;
mod shadow;

use crate::error::{StoreError, StoreResult};
use geo::BoundingRect;
use geo_types::MultiPolygon;
use pack::Cell;
use rayon::slice::ParallelSliceMut;
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashSet;

/// Feature tables whose R*Tree a bulk write fills at the end.
const TABLES: [&str; 2] = ["parcels", "parcel_versions"];

/// The tree is re-packed when the new entries are at least this fraction of the entries
/// already in it (numerator, denominator); below, they are inserted one by one. Estimated
/// from measurements (BENCHMARKS.md, "R*Tree packed", 2026-11-26): packing and writing cost
/// ~1.1 µs an entry (2.3 s for 2 × 1M), reading the existing entries ~1.7 µs an entry
/// (1M in 1.7 s, measured through Python's sqlite3 under load), a row-by-row insert into a
/// tree of 1M ~13 µs (21.9 s for 2 × 1M into growing trees, 15 % more into a full one):
/// packing wins from N ≈ 2.8 E / 11.9 ≈ E / 4.
const PACK_WHEN: (u64, u64) = (1, 4);

/// Where the triggers below note the rows of this transaction whose R*Tree entry the
/// standard update and delete triggers have already set (or removed) after the insert.
const TOUCHED: &str = "lc_bulk_rtree_touched";

/// One R*Tree entry: fid, min x, max x, min y, max y.
type Entry = (i64, [f64; 4]);

/// The insert triggers dropped for one bulk write, with the entries to add at the end.
pub(super) struct Deferred {
    /// (table, the trigger's SQL, the entries of the rows inserted since).
    tables: Vec<(&'static str, String, Vec<Entry>)>,
}

/// Drops the R*Tree insert triggers of the parcel tables for the rest of the transaction.
///
/// A row inserted now and then updated or deleted within the same transaction has its
/// R*Tree entry set (or removed) by the standard update and delete triggers, after the
/// insert: its recorded entry is then stale and must not win. Temporary triggers note
/// those rows (only rows newer than the table's AUTOINCREMENT counter at this point, so
/// updates of older parcels cost one comparison). The temporary objects are part of the
/// transaction and go with it.
pub(super) fn defer(tx: &Transaction<'_>) -> StoreResult<Deferred> {
    let mut tables = Vec::new();
    for t in TABLES {
        let name = format!("rtree_{t}_geom_insert");
        let sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [&name],
                |r| r.get(0),
            )
            .optional()?;
        // A store without the trigger (never the case for landcycle's own schema) keeps
        // whatever it has.
        let Some(sql) = sql else { continue };
        tx.execute_batch(&format!("DROP TRIGGER {name};"))?;
        let first: i64 = tx.query_row(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0)",
            [t],
            |r| r.get(0),
        )?;
        let note = |fid: &str| format!("INSERT OR IGNORE INTO {TOUCHED} VALUES ('{t}', {fid})");
        tx.execute_batch(&format!(
            "CREATE TEMP TABLE IF NOT EXISTS {TOUCHED}
               (tbl TEXT NOT NULL, fid INTEGER NOT NULL, PRIMARY KEY (tbl, fid)) WITHOUT ROWID;
             DROP TRIGGER IF EXISTS temp.lc_bulk_{t}_geom;
             DROP TRIGGER IF EXISTS temp.lc_bulk_{t}_fid;
             DROP TRIGGER IF EXISTS temp.lc_bulk_{t}_delete;
             CREATE TEMP TRIGGER lc_bulk_{t}_geom AFTER UPDATE OF geom ON main.{t}
               WHEN OLD.fid > {first} OR NEW.fid > {first}
               BEGIN {}; {}; END;
             CREATE TEMP TRIGGER lc_bulk_{t}_fid AFTER UPDATE OF fid ON main.{t}
               WHEN OLD.fid != NEW.fid AND (OLD.fid > {first} OR NEW.fid > {first})
               BEGIN {}; {}; END;
             CREATE TEMP TRIGGER lc_bulk_{t}_delete AFTER DELETE ON main.{t}
               WHEN OLD.fid > {first}
               BEGIN {}; END;",
            note("OLD.fid"),
            note("NEW.fid"),
            note("OLD.fid"),
            note("NEW.fid"),
            note("OLD.fid"),
        ))?;
        tables.push((t, sql, Vec::new()));
    }
    Ok(Deferred { tables })
}

impl Deferred {
    /// Notes the row just inserted into `table` (its fid and geometry) for the R*Tree. Empty
    /// geometries get no entry, as the trigger's `NOT ST_IsEmpty` would decide.
    pub(super) fn record(&mut self, table: &str, fid: i64, geometry: &MultiPolygon<f64>) {
        let Some(r) = geometry.bounding_rect() else {
            return;
        };
        self.record_envelope(table, fid, [r.min().x, r.max().x, r.min().y, r.max().y]);
    }

    /// Notes the row just inserted into `table` by its fid and envelope (min x, max x, min y,
    /// max y).
    pub(super) fn record_envelope(&mut self, table: &str, fid: i64, envelope: [f64; 4]) {
        if let Some((_, _, entries)) = self.tables.iter_mut().find(|(t, ..)| *t == table) {
            entries.push((fid, envelope));
        }
    }

    /// Indexes the rows inserted since [`defer`] and re-creates the triggers. An entry the
    /// update or delete triggers set or removed after the row's insert stays as they left
    /// it; otherwise the recorded entry replaces any entry of the same fid (as
    /// `INSERT OR REPLACE` would).
    pub(super) fn finish(self, tx: &Transaction<'_>) -> StoreResult<()> {
        for (t, sql, entries) in self.tables {
            let started = std::time::Instant::now();
            let name = format!("rtree_{t}_geom");
            let touched: HashSet<i64> = tx
                .prepare(&format!("SELECT fid FROM temp.{TOUCHED} WHERE tbl = ?1"))?
                .query_map([t], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut new = Vec::with_capacity(entries.len());
            for (fid, r) in entries {
                if touched.contains(&fid) {
                    continue;
                }
                new.push(Cell::outward(fid, r).ok_or_else(|| {
                    StoreError::Backend(format!(
                        "{t}: the envelope {r:?} of row fid {fid} is not a box (R*Tree {name})"
                    ))
                })?);
            }
            let (n, existing) = (new.len(), shadow::count(tx, &name)?);
            let packed = n > 0 && n as u64 * PACK_WHEN.1 >= existing * PACK_WHEN.0;
            if packed {
                pack_in(tx, &name, new, existing)?;
            } else {
                let mut insert = tx.prepare(&format!(
                    "INSERT OR REPLACE INTO {name} VALUES (?1, ?2, ?3, ?4, ?5)"
                ))?;
                for c in &new {
                    let [x0, x1, y0, y1] = c.r.map(f64::from);
                    insert.execute(params![c.id, x0, x1, y0, y1])?;
                }
            }
            tracing::debug!(
                table = t,
                new = n,
                existing,
                packed,
                ms = started.elapsed().as_millis(),
                "bulk write: R*Tree of one table"
            );
            tx.execute_batch(&format!("{sql};"))?;
        }
        let drops: String = TABLES
            .iter()
            .map(|t| {
                format!(
                    "DROP TRIGGER IF EXISTS temp.lc_bulk_{t}_geom;
                     DROP TRIGGER IF EXISTS temp.lc_bulk_{t}_fid;
                     DROP TRIGGER IF EXISTS temp.lc_bulk_{t}_delete;"
                )
            })
            .collect();
        tx.execute_batch(&format!("{drops} DROP TABLE IF EXISTS temp.{TOUCHED};"))?;
        Ok(())
    }
}

/// Packs the entries of R*Tree `name` with `new` (which replace entries of the same fid)
/// and writes the packed tree over it.
fn pack_in(tx: &Transaction<'_>, name: &str, new: Vec<Cell>, existing: u64) -> StoreResult<()> {
    let node_size = shadow::node_size(tx, name)?;
    let mut all = if existing > 0 {
        shadow::entries(tx, name)?
    } else {
        Vec::new()
    };
    all.extend(new);
    // Stable: of the entries of one fid the last (the newest) stays.
    all.par_sort_by_key(|c| c.id);
    let mut merged: Vec<Cell> = Vec::with_capacity(all.len());
    for c in all {
        match merged.last_mut() {
            Some(last) if last.id == c.id => *last = c,
            _ => merged.push(c),
        }
    }
    let tree = pack::pack(merged, node_size);
    tracing::debug!(
        rtree = name,
        entries = tree.rowids.len(),
        nodes = tree.nodes.len() / node_size,
        depth = tree.depth,
        "bulk write: R*Tree packed"
    );
    shadow::replace(tx, name, &tree)
}
