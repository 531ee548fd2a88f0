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

use crate::error::StoreResult;
use geo::BoundingRect;
use geo_types::MultiPolygon;
use rusqlite::{OptionalExtension, Transaction, params};

/// Feature tables whose R*Tree a bulk write fills at the end.
const TABLES: [&str; 2] = ["parcels", "parcel_versions"];

/// One R*Tree entry: fid, min x, max x, min y, max y.
type Entry = (i64, [f64; 4]);

/// The insert triggers dropped for one bulk write, with the entries to add at the end.
pub(super) struct Deferred {
    /// (table, the trigger's SQL, the entries of the rows inserted since).
    tables: Vec<(&'static str, String, Vec<Entry>)>,
}

/// Drops the R*Tree insert triggers of the parcel tables for the rest of the transaction.
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
        if let Some((_, _, entries)) = self.tables.iter_mut().find(|(t, ..)| *t == table) {
            entries.push((fid, [r.min().x, r.max().x, r.min().y, r.max().y]));
        }
    }

    /// Indexes the rows inserted since [`defer`] and re-creates the triggers. Rows updated in
    /// the meantime were indexed by the update triggers: `OR REPLACE` keeps one entry each.
    pub(super) fn finish(self, tx: &Transaction<'_>) -> StoreResult<()> {
        for (t, sql, entries) in self.tables {
            let mut insert = tx.prepare(&format!(
                "INSERT OR REPLACE INTO rtree_{t}_geom VALUES (?1, ?2, ?3, ?4, ?5)"
            ))?;
            for (fid, [x0, x1, y0, y1]) in entries {
                insert.execute(params![fid, x0, x1, y0, y1])?;
            }
            drop(insert);
            tx.execute_batch(&format!("{sql};"))?;
        }
        Ok(())
    }
}
