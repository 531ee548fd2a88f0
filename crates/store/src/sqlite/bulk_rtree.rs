//! Bulk writes fill the GeoPackage R*Tree indexes once, at the end of their transaction,
//! instead of row by row (as GDAL does when it loads a layer).
//!
//! Row by row, the standard insert trigger makes every parcel INSERT a trigger program, and a
//! statement with triggers inside a transaction keeps a statement journal: measured on a
//! 100,000-parcel import, the triggers' R*Tree updates and the statement journals were ~40 % of
//! the write. The insert triggers are dropped inside the transaction and re-created, from their
//! own stored SQL, before it commits, so the file is never seen without them: a failure or a
//! `kill -9` rolls the drop back with everything else.

use crate::error::StoreResult;
use rusqlite::{OptionalExtension, Transaction};

/// Feature tables whose R*Tree a bulk write fills at the end.
const TABLES: [&str; 2] = ["parcels", "parcel_versions"];

/// The insert triggers dropped for one bulk write, with what is needed to catch up.
pub(super) struct Deferred {
    /// (table, largest fid before the write, the trigger's SQL).
    tables: Vec<(&'static str, i64, String)>,
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
        // fid is AUTOINCREMENT: every row this write inserts has a larger fid.
        let max: i64 =
            tx.query_row(&format!("SELECT coalesce(max(fid), 0) FROM {t}"), [], |r| {
                r.get(0)
            })?;
        tx.execute_batch(&format!("DROP TRIGGER {name};"))?;
        tables.push((t, max, sql));
    }
    Ok(Deferred { tables })
}

impl Deferred {
    /// Indexes the rows inserted since [`defer`] and re-creates the triggers. Rows updated in
    /// the meantime were indexed by the update triggers: `OR REPLACE` keeps one entry each.
    pub(super) fn finish(self, tx: &Transaction<'_>) -> StoreResult<()> {
        for (t, max, sql) in self.tables {
            tx.execute(
                &format!(
                    "INSERT OR REPLACE INTO rtree_{t}_geom
                     SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom)
                     FROM {t} WHERE fid > ?1 AND geom NOT NULL AND NOT ST_IsEmpty(geom)"
                ),
                [max],
            )?;
            tx.execute_batch(&format!("{sql};"))?;
        }
        Ok(())
    }
}
