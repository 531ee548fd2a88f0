//! The new parcels of a bulk write, many rows per `INSERT` statement.
//!
//! Row by row, a new parcel of an import cost three statements (its version row, its current
//! row, its `event_refs` row), and every statement its own setup and teardown: cursors opened
//! on the table and each of its indexes, the AUTOINCREMENT counter read and written back,
//! bindings cleared. One statement of [`ROWS`] rows pays that once. The fids are given
//! explicitly, counted on from the table's AUTOINCREMENT counter, so each row's R*Tree entry
//! is known without asking SQLite which rowid it chose.

use super::bulk_rtree::Deferred;
use super::parcel_write::{PARCEL_WRITE_COLS, push_parcel_values};
use super::write::ref_seq;
use crate::error::{StoreError, StoreResult};
use crate::model::Change;
use geo::BoundingRect;
use landcycle_domain::{Parcel, ParcelId};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction};

/// Rows per statement: 22 parameters a parcel row, 64 rows = 1,408 parameters, far below
/// SQLite's limit of 32,766.
const ROWS: usize = 8;

/// New parcels (version 1) and their history links, buffered until a statement's worth.
pub(super) struct NewParcels {
    recorded_at: String,
    /// [`PARCEL_WRITE_COLS`] values of each buffered parcel, one after the other.
    values: Vec<Value>,
    ids: Vec<ParcelId>,
    envelopes: Vec<Option<[f64; 4]>>,
    /// (entity id, event seq, source row) of each buffered `event_refs` row.
    refs: Vec<(String, i64, Option<i64>)>,
}

impl NewParcels {
    pub(super) fn new(recorded_at: String) -> Self {
        Self {
            recorded_at,
            values: Vec::with_capacity(ROWS * PARCEL_WRITE_COLS.len()),
            ids: Vec::with_capacity(ROWS),
            envelopes: Vec::with_capacity(ROWS),
            refs: Vec::with_capacity(ROWS),
        }
    }

    /// Takes `change` into the buffer if it is a new parcel or a history link; any other
    /// change is given back, after the buffer is written (changes apply in order).
    pub(super) fn offer(
        &mut self,
        tx: &Transaction<'_>,
        change: Change,
        last_event: Option<i64>,
        rtree: &mut Option<Deferred>,
    ) -> StoreResult<Option<Change>> {
        match change {
            Change::PutParcel {
                parcel,
                expected_version: None,
            } if parcel.version == 1 => self.push_parcel(tx, &parcel, rtree)?,
            Change::EventRef {
                entity_id,
                source_row,
            } => {
                let seq = ref_seq(last_event, &entity_id)?;
                self.push_ref(tx, entity_id, seq, source_row)?;
            }
            other => {
                self.flush(tx, rtree)?;
                return Ok(Some(other));
            }
        }
        Ok(None)
    }

    /// Buffers a new parcel's rows; writes the buffer when it holds a statement's worth.
    fn push_parcel(
        &mut self,
        tx: &Transaction<'_>,
        p: &Parcel,
        rtree: &mut Option<Deferred>,
    ) -> StoreResult<()> {
        push_parcel_values(p, &self.recorded_at, &mut self.values)?;
        self.ids.push(p.id);
        self.envelopes.push(
            p.geometry
                .bounding_rect()
                .map(|r| [r.min().x, r.max().x, r.min().y, r.max().y]),
        );
        if self.ids.len() == ROWS {
            self.write_parcels(tx, rtree)?;
        }
        Ok(())
    }

    /// Buffers an `event_refs` row; writes the buffer when it holds a statement's worth.
    fn push_ref(
        &mut self,
        tx: &Transaction<'_>,
        entity_id: String,
        seq: i64,
        source_row: Option<i64>,
    ) -> StoreResult<()> {
        self.refs.push((entity_id, seq, source_row));
        if self.refs.len() == ROWS {
            self.write_refs(tx)?;
        }
        Ok(())
    }

    /// Writes everything buffered: before any other change of the set, and at its end.
    pub(super) fn flush(
        &mut self,
        tx: &Transaction<'_>,
        rtree: &mut Option<Deferred>,
    ) -> StoreResult<()> {
        self.write_parcels(tx, rtree)?;
        self.write_refs(tx)
    }

    fn write_parcels(
        &mut self,
        tx: &Transaction<'_>,
        rtree: &mut Option<Deferred>,
    ) -> StoreResult<()> {
        let n = self.ids.len();
        if n == 0 {
            return Ok(());
        }
        let cols = PARCEL_WRITE_COLS.len();
        let versions = next_fid(tx, "parcel_versions")?;
        let mut st = tx.prepare_cached(&insert_sql("parcel_versions", n))?;
        let mut param = 1;
        for (i, row) in self.values.chunks_exact(cols).enumerate() {
            st.raw_bind_parameter(param, versions + i as i64)?;
            for v in row {
                st.raw_bind_parameter(param + 1, v)?;
                param += 1;
            }
            param += 1;
        }
        match st.raw_execute() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                drop(st);
                return Err(self.conflict(tx));
            }
            other => other?,
        };
        drop(st);
        // The current rows are the version rows just written: copied inside SQLite from
        // pages still in its cache, instead of binding (and SQLite copying) every value again.
        let current = next_fid(tx, "parcels")?;
        tx.prepare_cached(&copy_sql())?.execute(rusqlite::params![
            current - versions,
            versions,
            versions + n as i64
        ])?;
        if let Some(r) = rtree {
            for (table, first) in [("parcel_versions", versions), ("parcels", current)] {
                for (i, envelope) in self.envelopes.iter().enumerate() {
                    if let Some(e) = envelope {
                        r.record_envelope(table, first + i as i64, *e);
                    }
                }
            }
        }
        self.values.clear();
        self.ids.clear();
        self.envelopes.clear();
        Ok(())
    }

    fn write_refs(&mut self, tx: &Transaction<'_>) -> StoreResult<()> {
        let n = self.refs.len();
        if n == 0 {
            return Ok(());
        }
        let mut st = tx.prepare_cached(&refs_sql(n))?;
        for (i, (id, seq, row)) in self.refs.iter().enumerate() {
            st.raw_bind_parameter(3 * i + 1, id)?;
            st.raw_bind_parameter(3 * i + 2, seq)?;
            st.raw_bind_parameter(3 * i + 3, row)?;
        }
        st.raw_execute()?;
        self.refs.clear();
        Ok(())
    }

    /// The error for a buffered parcel whose id the store already has (the statement that
    /// found it was undone; the transaction is rolled back by the caller).
    fn conflict(&self, tx: &Transaction<'_>) -> StoreError {
        let existing = self.ids.iter().find(|id| {
            tx.query_row(
                "SELECT 1 FROM parcel_versions WHERE parcel_id = ?1",
                [id.to_string()],
                |_| Ok(()),
            )
            .optional()
            .is_ok_and(|found| found.is_some())
        });
        StoreError::Conflict(match existing {
            Some(id) => format!("parcel {id} already exists"),
            None => "a parcel id repeats within the change set".to_owned(),
        })
    }
}

/// The fid after every fid the table has ever used (what AUTOINCREMENT would give next).
fn next_fid(tx: &Transaction<'_>, table: &str) -> StoreResult<i64> {
    let last: i64 = tx
        .prepare_cached(&format!(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0),
                        coalesce((SELECT max(fid) FROM {table}), 0))"
        ))?
        .query_row([], |r| r.get(0))?;
    Ok(last + 1)
}

fn insert_sql(table: &str, rows: usize) -> String {
    let cols = PARCEL_WRITE_COLS.len() + 1;
    let mut sql = format!(
        "INSERT INTO {table} (fid, {}) VALUES ",
        PARCEL_WRITE_COLS.join(", ")
    );
    push_tuples(&mut sql, rows, cols);
    sql
}

/// Copies version rows `?2 ≤ fid < ?3` into `parcels`, each with its fid moved by `?1`.
fn copy_sql() -> String {
    let cols = PARCEL_WRITE_COLS.join(", ");
    format!(
        "INSERT INTO parcels (fid, {cols}) SELECT fid + ?1, {cols} FROM parcel_versions
         WHERE fid >= ?2 AND fid < ?3 ORDER BY fid"
    )
}

fn refs_sql(rows: usize) -> String {
    let mut sql = "INSERT INTO event_refs (entity_id, seq, source_row) VALUES ".to_owned();
    push_tuples(&mut sql, rows, 3);
    sql
}

/// `(?,?,…),(?,?,…)…`: `rows` tuples of `cols` anonymous parameters, numbered in order.
fn push_tuples(sql: &mut String, rows: usize, cols: usize) {
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..cols {
            if c > 0 {
                sql.push(',');
            }
            sql.push('?');
        }
        sql.push(')');
    }
}
