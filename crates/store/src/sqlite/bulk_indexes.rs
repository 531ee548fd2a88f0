//! A bulk write that adds many rows relative to what a table holds builds the table's
//! secondary indexes after the load instead of row by row.
//!
//! Row by row, every insert searches each index's B-tree and writes into it at a random page;
//! `CREATE INDEX` over the loaded table reads it once, sorts the keys and writes the index
//! pages in order, each once. The indexes are dropped inside the write's transaction and
//! re-created from their own stored SQL (`sqlite_master.sql`) before it commits, so no reader
//! ever sees the table without them and a failure or a `kill -9` rolls the drop back with
//! everything else. UNIQUE indexes stay: they enforce constraints the write relies on (a
//! parcel id exists once, one row per version), and the write's own lookups use them.

use crate::error::StoreResult;
use rusqlite::Transaction;

/// The tables a bulk import fills.
const TABLES: [&str; 3] = ["parcels", "parcel_versions", "event_refs"];

/// The secondary indexes of a table are built after the load when the write brings at least
/// this many rows per row already in the table (measured, BENCHMARKS.md "Import benchmarks").
const ROWS_PER_EXISTING_ROW: u64 = 1;

/// The secondary indexes dropped for one bulk write: (name, its `CREATE INDEX` SQL).
pub(super) struct Deferred {
    indexes: Vec<(String, String)>,
}

/// Drops the non-unique indexes of the tables that `incoming` new rows (an estimate per
/// table) would at least double.
pub(super) fn defer(tx: &Transaction<'_>, incoming: u64) -> StoreResult<Deferred> {
    let mut indexes = Vec::new();
    for t in TABLES {
        // max(rowid) is one B-tree descent; count(*) would read the table.
        let existing: i64 = tx.query_row(
            &format!("SELECT coalesce(max(rowid), 0) FROM {t}"),
            [],
            |r| r.get(0),
        )?;
        if incoming < u64::try_from(existing).unwrap_or(0) * ROWS_PER_EXISTING_ROW {
            continue;
        }
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1
             AND sql IS NOT NULL ORDER BY name",
        )?;
        let found: Vec<(String, String)> = stmt
            .query_map([t], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (name, sql) in found {
            // Autoindexes of PRIMARY KEY/UNIQUE constraints have no SQL (skipped above).
            if is_unique(&sql) {
                continue;
            }
            tx.execute_batch(&format!("DROP INDEX \"{name}\";"))?;
            indexes.push((name, sql));
        }
    }
    if !indexes.is_empty() {
        tracing::debug!(
            indexes = ?indexes.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            incoming,
            "bulk write: secondary indexes built after the load"
        );
    }
    Ok(Deferred { indexes })
}

fn is_unique(sql: &str) -> bool {
    sql.split_whitespace()
        .nth(1)
        .is_some_and(|w| w.eq_ignore_ascii_case("unique"))
}

impl Deferred {
    /// Re-creates the dropped indexes over the loaded tables.
    pub(super) fn finish(self, tx: &Transaction<'_>) -> StoreResult<()> {
        for (_, sql) in self.indexes {
            tx.execute_batch(&format!("{sql};"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::is_unique;

    #[test]
    fn unique_indexes_are_recognised_from_their_sql() {
        assert!(is_unique(
            "CREATE UNIQUE INDEX parcels_id ON parcels(parcel_id)"
        ));
        assert!(is_unique("create  unique index x on t(a)"));
        assert!(!is_unique("CREATE INDEX parcels_code ON parcels(code)"));
        assert!(!is_unique("CREATE INDEX unique_looking ON t(a)"));
    }
}
