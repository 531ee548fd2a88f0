//! Writing change sets: one IMMEDIATE transaction per set, all or nothing.

use super::SqliteStore;
use super::bulk_journal::Journal;
use super::bulk_parcels::NewParcels;
use super::parcel_write::{end_version, put_parcel};
use super::rows::mode_str;
use crate::error::{StoreError, StoreResult};
use crate::model::{Applied, Change, ChangeSet};
use jiff::Timestamp;
use jiff::civil::Date;
use landcycle_domain::{ChangeEvent, Enterprise, Park, Supply, figures::AnnualFigures};
use rusqlite::types::Value;
use rusqlite::{Transaction, params};
use sha2::{Digest, Sha256};

pub(super) fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

pub(super) fn opt_text(s: Option<impl Into<String>>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.into()))
}

/// GeoPackage DATETIME form (`YYYY-MM-DDTHH:MM:SS.SSSZ`, milliseconds, UTC).
pub(crate) fn gpkg_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The event an `event_refs` row links to: the last one of its change set so far.
pub(super) fn ref_seq(last_event: Option<i64>, entity_id: &str) -> StoreResult<i64> {
    last_event.ok_or_else(|| {
        StoreError::Backend(format!(
            "a reference to {entity_id} precedes every event of its change set"
        ))
    })
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

fn put_park(tx: &Transaction<'_>, p: &Park) -> StoreResult<()> {
    let geom = p
        .boundary
        .as_ref()
        .map(|b| landcycle_geo::encode_gpkg(&geo_types::Geometry::MultiPolygon(b.clone()), 4490));
    tx.prepare_cached(
        "INSERT INTO parks (geom, park_id, name, aliases, jurisdiction, jurisdiction_name, lead_industries,
         tax_per_mu_min_wan, tax_per_mu_max_wan, area_km2, roles) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(park_id) DO UPDATE SET geom = excluded.geom, name = excluded.name, aliases = excluded.aliases,
         jurisdiction = excluded.jurisdiction, jurisdiction_name = excluded.jurisdiction_name,
         lead_industries = excluded.lead_industries, tax_per_mu_min_wan = excluded.tax_per_mu_min_wan,
         tax_per_mu_max_wan = excluded.tax_per_mu_max_wan, area_km2 = excluded.area_km2, roles = excluded.roles",
    )?
    .execute(params![
        geom,
        p.id.as_str(),
        p.name,
        to_json(&p.aliases)?,
        p.jurisdiction.code.as_str(),
        p.jurisdiction.name,
        to_json(&p.lead_industries)?,
        p.tax_per_mu_target.min_wan.to_string(),
        p.tax_per_mu_target.max_wan.map(|m| m.to_string()),
        p.area_km2.map(|a| a.to_string()),
        to_json(&p.roles)?,
    ])?;
    Ok(())
}

fn put_enterprise(tx: &Transaction<'_>, e: &Enterprise) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO enterprises (uscc, name, industry_code, above_scale, park_id, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(uscc) DO UPDATE SET name = excluded.name, industry_code = excluded.industry_code,
         above_scale = excluded.above_scale, park_id = excluded.park_id, address = excluded.address",
    )?
    .execute(params![
        e.uscc.as_str(),
        e.name,
        e.industry_code,
        e.above_scale,
        e.park_id.as_ref().map(|p| p.as_str().to_owned()),
        e.address
    ])?;
    Ok(())
}

fn put_supply(tx: &Transaction<'_>, s: &Supply) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO supplies (supply_id, parcel_id, enterprise_uscc, mode, right_nature, contract_no, contract_date,
         delivery_date, agreed_start, agreed_completion, term_years, price_yuan)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        s.id.0.to_string(),
        s.parcel_id.to_string(),
        s.enterprise.as_str(),
        mode_str(s.mode),
        s.right_nature.code(),
        s.contract_no,
        s.contract_date.to_string(),
        s.delivery_date.map(|d| d.to_string()),
        s.agreed_start.map(|d| d.to_string()),
        s.agreed_completion.map(|d| d.to_string()),
        s.term_years,
        s.price.0.to_string(),
    ])
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Conflict(format!("supply {} already exists", s.id.0))
        }
        other => other.into(),
    })?;
    Ok(())
}

fn put_figures(tx: &Transaction<'_>, f: &AnnualFigures) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO enterprise_figures (uscc, year, tax_yuan, output_yuan, electricity_kwh, employees)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(uscc, year) DO UPDATE SET tax_yuan = excluded.tax_yuan,
         output_yuan = excluded.output_yuan, electricity_kwh = excluded.electricity_kwh, employees = excluded.employees",
    )?
    .execute(params![
        f.uscc.as_str(),
        f.year,
        f.tax_yuan.to_string(),
        f.output_yuan.map(|d| d.to_string()),
        f.electricity_kwh.map(|d| d.to_string()),
        f.employees
    ])?;
    Ok(())
}

fn insert_event(tx: &Transaction<'_>, e: &ChangeEvent) -> StoreResult<i64> {
    tx.prepare_cached(
        "INSERT INTO events (entity, entity_id, kind, actor, recorded_at, effective, reason, reference, before, after, related)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        e.entity.as_str(),
        e.entity_id,
        e.kind.as_str(),
        e.actor.0,
        gpkg_time(e.recorded_at),
        e.effective.to_string(),
        e.reason.reason,
        e.reason.reference,
        e.before.as_ref().map(to_json).transpose()?,
        e.after.as_ref().map(to_json).transpose()?,
        to_json(&e.related)?,
    ])?;
    let seq = tx.last_insert_rowid();
    let mut refs =
        tx.prepare_cached("INSERT OR IGNORE INTO event_refs (entity_id, seq) VALUES (?1, ?2)")?;
    refs.execute(params![e.entity_id, seq])?;
    for r in &e.related {
        refs.execute(params![r, seq])?;
    }
    Ok(seq)
}

/// Change sets above this many changes are written with a page cache of [`BULK_CACHE_KIB`].
const BULK_CHANGES: usize = 10_000;
/// The page cache of a bulk write in WAL mode, in KiB (SQLite takes it only as pages are used).
const BULK_CACHE_KIB: u32 = 1024 * 1024;
/// The page cache of a bulk write in rollback-journal mode, in KiB. Pages the import appends
/// are written once whenever they leave the cache, and no WAL has to be searched for spilled
/// ones: a small cache spares the allocation and zeroing of a large one. Measured at 1M
/// parcels in alternating pairs: 64 MiB 11.8 and 13.3 s against 1 GiB 13.0 and 14.7 s.
const BULK_ROLLBACK_CACHE_KIB: u32 = 64 * 1024;

impl SqliteStore {
    pub(crate) fn apply_set(&self, set: ChangeSet) -> StoreResult<Applied> {
        let bulk = set.changes.len() > BULK_CHANGES;
        let ChangeSet {
            changes,
            recorded_at,
            effective,
        } = set;
        self.apply_changes(
            recorded_at,
            effective,
            &mut changes.into_iter().map(Ok),
            bulk,
        )
    }

    /// Writes changes as they arrive from `changes` in one transaction: all or nothing, like
    /// [`SqliteStore::apply_set`]. An `Err` item (the producer failed) rolls everything back.
    /// A bulk import streams its parcels through here while they are still being built, so
    /// the write overlaps the building and the whole set is never in memory at once.
    pub(crate) fn apply_changes(
        &self,
        recorded_at: Timestamp,
        effective: Date,
        changes: &mut dyn Iterator<Item = StoreResult<Change>>,
        bulk: bool,
    ) -> StoreResult<Applied> {
        let mut conn = self.writer()?;
        let times = ChangeSet {
            changes: vec![],
            recorded_at,
            effective,
        };
        let journal = if bulk {
            self.enter_bulk_journal(&conn)
        } else {
            Journal::Wal
        };
        // A bulk import is one transaction of millions of rows: in WAL mode, with SQLite's
        // default 2 MB page cache its dirty pages spill into the WAL mid-transaction and every
        // index insert then searches the WAL (measured: 8× slower than GDAL at 100k parcels).
        // A large cache for the transaction, given back after; in rollback mode a small one.
        // Inside a transaction every INSERT that fires a trigger (the GeoPackage R*Tree
        // triggers) or bumps an AUTOINCREMENT opens a statement journal, which SQLite writes to
        // a temporary file: measured 20 % of a 100k-parcel import in `pwrite`. In memory it
        // costs only the page copies (a statement touches a few pages).
        if bulk {
            let kib = match journal {
                Journal::Wal => BULK_CACHE_KIB,
                Journal::Rollback => BULK_ROLLBACK_CACHE_KIB,
            };
            conn.execute_batch(&format!(
                "PRAGMA cache_size = -{kib}; PRAGMA temp_store = MEMORY;"
            ))?;
        }
        let out = Self::apply_in(
            &mut conn,
            &times,
            changes,
            bulk,
            journal,
            self.current_generation(),
        );
        self.leave_bulk_journal(&conn, journal);
        if bulk {
            conn.execute_batch("PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT;")?;
        }
        out
    }

    fn apply_in(
        conn: &mut rusqlite::Connection,
        set: &ChangeSet,
        changes: &mut dyn Iterator<Item = StoreResult<Change>>,
        bulk: bool,
        journal: Journal,
        handle_generation: u64,
    ) -> StoreResult<Applied> {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut rtree = bulk.then(|| super::bulk_rtree::defer(&tx)).transpose()?;
        let indexes = bulk
            .then(|| super::bulk_indexes::defer(&tx, changes.size_hint().0 as u64))
            .transpose()?;
        let mut applied = Applied::default();
        let mut last_event = None;
        let mut fresh = bulk.then(|| NewParcels::new(gpkg_time(set.recorded_at)));
        for change in changes {
            let mut change = change?;
            if let Change::Unchanged { generation } = change {
                unchanged_since(&tx, handle_generation, generation)?;
                continue;
            }
            if let Some(f) = fresh.as_mut() {
                match f.offer(&tx, change, last_event, &mut rtree)? {
                    Some(other) => change = other,
                    None => continue,
                }
            }
            Self::apply_one(&tx, set, change, &mut rtree, &mut last_event, &mut applied)?;
        }
        if let Some(mut f) = fresh {
            f.flush(&tx, &mut rtree)?;
        }
        Self::finish_bulk(tx, rtree, indexes, bulk, journal)?;
        Ok(applied)
    }

    /// Writes one change in its transaction.
    fn apply_one(
        tx: &Transaction<'_>,
        set: &ChangeSet,
        change: Change,
        rtree: &mut Option<super::bulk_rtree::Deferred>,
        last_event: &mut Option<i64>,
        applied: &mut Applied,
    ) -> StoreResult<()> {
        match &change {
            Change::PutParcel {
                parcel,
                expected_version,
            } => put_parcel(tx, parcel, *expected_version, set, rtree)?,
            Change::EndParcel {
                id,
                expected_version,
            } => {
                end_version(tx, *id, *expected_version, set.effective)?;
                tx.prepare_cached("DELETE FROM parcels WHERE parcel_id = ?1")?
                    .execute([id.to_string()])?;
            }
            Change::Lineage { parent, child } => {
                tx.prepare_cached(
                    "INSERT INTO parcel_lineage (parent_id, child_id) VALUES (?1, ?2)",
                )?
                .execute([parent.to_string(), child.to_string()])?;
            }
            Change::PutPark(p) => put_park(tx, p)?,
            Change::PutEnterprise(e) => put_enterprise(tx, e)?,
            Change::PutSupply(s) => put_supply(tx, s)?,
            Change::PutFigures(f) => put_figures(tx, f)?,
            Change::PutEvaluationRun(r) => super::evaluation::put_run(tx, r)?,
            Change::AttachToParcel {
                parcel,
                sha256,
                name,
                content_type,
                size,
                uploaded_by,
            } => {
                tx.prepare_cached(
                    "INSERT INTO parcel_attachments (parcel_id, sha256, name, content_type, size, uploaded_by, uploaded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    parcel.to_string(),
                    sha256,
                    name,
                    content_type,
                    size,
                    uploaded_by,
                    gpkg_time(set.recorded_at)
                ])?;
            }
            Change::PutWorkflow {
                record,
                expected_version,
            } => super::workflow::put(tx, record, *expected_version)?,
            Change::WorkflowTransition(t) => super::workflow::insert_transition(tx, t)?,
            Change::PutBatch(b) => super::batches::put_batch(tx, b, set.recorded_at)?,
            Change::AddBatchDeduction {
                batch_id,
                deduction,
            } => super::batches::add_deduction(tx, batch_id, deduction)?,
            Change::Event(e) => {
                let seq = insert_event(tx, e)?;
                *last_event = Some(seq);
                applied.event_seqs.push(seq);
            }
            // Checked where the transaction began (`apply_in`), which knows the handle.
            Change::Unchanged { .. } => {}
            Change::EventRef {
                entity_id,
                source_row,
            } => {
                let seq = ref_seq(*last_event, entity_id)?;
                tx.prepare_cached(
                    "INSERT INTO event_refs (entity_id, seq, source_row) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![entity_id, seq, source_row])?;
            }
        }
        Ok(())
    }

    /// Fills the deferred R*Trees and indexes of a bulk write and commits it.
    fn finish_bulk(
        tx: Transaction<'_>,
        rtree: Option<super::bulk_rtree::Deferred>,
        indexes: Option<super::bulk_indexes::Deferred>,
        bulk: bool,
        journal: Journal,
    ) -> StoreResult<()> {
        let started = std::time::Instant::now();
        if let Some(r) = rtree {
            r.finish(&tx)?;
            tracing::debug!(
                ms = started.elapsed().as_millis(),
                "bulk write: R*Tree filled"
            );
        }
        let started = std::time::Instant::now();
        if let Some(i) = indexes {
            i.finish(&tx)?;
            tracing::debug!(
                ms = started.elapsed().as_millis(),
                "bulk write: secondary indexes built"
            );
        }
        let started = std::time::Instant::now();
        tx.commit()?;
        if bulk {
            // In WAL mode the commit of a large transaction includes SQLite's automatic
            // checkpoint (the WAL copied into the file).
            tracing::debug!(
                ms = started.elapsed().as_millis(),
                ?journal,
                "bulk write: commit and checkpoint"
            );
        }
        Ok(())
    }

    pub(crate) fn put_blob_bytes(&self, bytes: &[u8]) -> StoreResult<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let conn = self.writer()?;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO blobs (sha256, size, content) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![sha, bytes.len() as i64, bytes])?;
        Ok(sha)
    }
}

/// The store's generation read inside the write transaction (as `generation_exact` computes
/// it: this handle's writes and the newest history `seq`) equals what the caller's checks saw.
fn unchanged_since(tx: &Transaction<'_>, handle: u64, expected: u64) -> StoreResult<()> {
    let seq: i64 = tx
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM events")?
        .query_row([], |r| r.get(0))?;
    if handle + u64::try_from(seq).unwrap_or(0) == expected {
        return Ok(());
    }
    Err(StoreError::Conflict(
        "the store changed while the import was being checked (another user wrote to it); \
         nothing was written, run the import again / 检查期间数据已被他人修改，未写入，请重新导入"
            .into(),
    ))
}
