//! The embedded store: one SQLite file that is also a valid GeoPackage.
//!
//! One writer connection behind a mutex (SQLite allows one writer at a time anyway) and a small
//! pool of reader connections; WAL mode lets readers run while a write commits. Every write is
//! one `IMMEDIATE` transaction, and `synchronous = FULL` makes a commit durable before it is
//! acknowledged, so a crash (even `kill -9` or power loss) loses nothing that was acknowledged
//! and never leaves half a change set.

mod accounts;
mod batches;
mod bulk_indexes;
mod bulk_journal;
mod bulk_parcels;
mod bulk_rtree;
mod evaluation;
mod filter_sql;
mod functions;
mod generation;
mod history;
mod import_lookup;
mod intentions;
mod parcel_query;
mod parcel_write;
mod read;
mod rows;
mod scan_data;
mod scan_merge;
pub mod schema;
mod webhook_log;
mod workflow;
mod write;

use crate::error::{StoreError, StoreResult};
use crate::model::ScanData;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub use generation::RECHECK as GENERATION_RECHECK;

/// Readers kept open for reuse; more are opened on demand under load.
const READER_POOL: usize = 8;

/// The GeoPackage-backed store.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    generation: std::sync::atomic::AtomicU64,
    /// Bulk writes may take the file for themselves ([`SqliteStore::set_sole_writer`]).
    sole_writer: std::sync::atomic::AtomicBool,
    /// Writes seen through the history (see [`generation::Seen`]).
    seen: generation::Seen,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// How long a connection waits for a lock another one holds.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

fn configure(conn: &Connection) -> StoreResult<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")?;
    functions::register(conn)?;
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) a store at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> StoreResult<Self> {
        let path = path.as_ref().to_path_buf();
        let mut writer = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Backend(format!("cannot open {}: {e}", path.display())))?;
        configure(&writer)?;
        // A new file only (SQLite ignores it once the file has pages): 16 KiB pages instead of
        // 4 KiB. A 1,000,000-parcel import measured 5 % faster in alternating pairs (fewer pages
        // to split, cache and write: commit 1.6 → 0.8 s, index build 2.3 → 1.8 s) and the file
        // 8 % smaller; BENCHMARKS.md, "Import benchmarks".
        writer.execute_batch("PRAGMA page_size = 16384;")?;
        enable_wal(&writer, &path)?;
        migrate(&mut writer)?;
        Ok(Self {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            generation: std::sync::atomic::AtomicU64::new(0),
            sole_writer: std::sync::atomic::AtomicBool::new(false),
            seen: generation::Seen::default(),
        })
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn writer(&self) -> StoreResult<MutexGuard<'_, Connection>> {
        self.writer
            .lock()
            .map_err(|_| StoreError::Backend("writer lock poisoned".into()))
    }

    /// A reader connection from the pool, or a new one.
    fn take_reader(&self) -> StoreResult<Connection> {
        let pooled = self
            .readers
            .lock()
            .map_err(|_| StoreError::Backend("reader pool poisoned".into()))?
            .pop();
        match pooled {
            Some(c) => Ok(c),
            None => {
                let c = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                configure(&c)?;
                Ok(c)
            }
        }
    }

    /// Puts a reader connection back in the pool (or closes it when the pool is full).
    fn return_reader(&self, c: Connection) {
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < READER_POOL
        {
            pool.push(c);
        }
    }

    /// Runs `f` on a reader connection from the pool.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let conn = self.take_reader()?;
        let out = f(&conn);
        self.return_reader(conn);
        out
    }

    /// The rule scan's data: on two reader connections in parallel, from one snapshot, when
    /// the write lock can be had at once to align them; on one connection otherwise.
    fn scan_data_parallel(&self) -> StoreResult<ScanData> {
        let a = self.take_reader()?;
        let out = match self.writer.try_lock() {
            Ok(w) => {
                let b = self.take_reader()?;
                if scan_data::same_snapshot(&w, &a, &b)? {
                    drop(w);
                    let (b, out) = scan_data::read_parallel(&a, b);
                    if let Some(b) = b {
                        self.return_reader(b);
                    }
                    out
                } else {
                    drop(w);
                    self.return_reader(b);
                    scan_data::scan_data(&a)
                }
            }
            Err(_) => scan_data::scan_data(&a),
        };
        self.return_reader(a);
        out
    }

    /// Counts a write for [`crate::Store::generation`].
    pub(crate) fn bump_generation(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// The write count of this handle.
    pub(crate) fn current_generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Bulk mode trades durability for speed while a fresh store is filled (the demo): commits
    /// are not synced until bulk mode ends, when one checkpoint makes everything durable. A
    /// crash in bulk mode can lose the bulk work, never the file's consistency.
    pub fn set_bulk_mode(&self, on: bool) -> StoreResult<()> {
        let conn = self.writer()?;
        conn.execute_batch(if on {
            "PRAGMA synchronous = OFF;"
        } else {
            "PRAGMA synchronous = FULL;"
        })?;
        if !on {
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        Ok(())
    }

    /// Lets bulk writes (an import) switch the file to a rollback journal for their transaction
    /// when no other connection has it open, so that the pages they add are written once
    /// instead of to the WAL and again at the checkpoint (`sqlite/bulk_journal.rs`). For a
    /// process that owns the file for the duration (the CLI import), never for a server: in
    /// rollback mode readers wait while the writer spills and commits.
    pub fn set_sole_writer(&self, on: bool) {
        self.sole_writer
            .store(on, std::sync::atomic::Ordering::SeqCst);
    }

    /// Records `at` as the time the schema was created. Generated stores (the demo) use it so the
    /// same input gives a byte-identical file.
    pub fn pin_creation_time(&self, at: jiff::Timestamp) -> StoreResult<()> {
        let conn = self.writer()?;
        // The pinned time is shorter than the one it replaces: the freed bytes would keep the
        // real time (and the file differ run to run) unless zeroed.
        conn.execute_batch("PRAGMA secure_delete = ON;")?;
        conn.execute(
            "UPDATE landcycle_migrations SET applied_at = ?1",
            [at.to_string()],
        )?;
        conn.execute_batch("PRAGMA secure_delete = OFF;")?;
        Ok(())
    }

    /// Writes everything to the main file (a WAL checkpoint), e.g. before copying the file.
    pub fn checkpoint(&self) -> StoreResult<()> {
        self.writer()?
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Updates the layer extents in `gpkg_contents` (GIS clients zoom to them).
    pub fn refresh_extents(&self) -> StoreResult<()> {
        let conn = self.writer()?;
        for t in ["parcels", "parcel_versions", "parks"] {
            conn.execute(
                &format!(
                    "UPDATE gpkg_contents SET min_x = (SELECT min(minx) FROM rtree_{t}_geom),
                     max_x = (SELECT max(maxx) FROM rtree_{t}_geom), min_y = (SELECT min(miny) FROM rtree_{t}_geom),
                     max_y = (SELECT max(maxy) FROM rtree_{t}_geom),
                     last_change = coalesce((SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(recorded_at)) FROM events), last_change)
                     WHERE table_name = '{t}'"
                ),
                [],
            )?;
        }
        Ok(())
    }
}

/// Puts the file in WAL mode (it persists in the file; set before the first write). While
/// another process writes the file in rollback-journal mode (a CLI import that has it to
/// itself, `sqlite/bulk_journal.rs`) SQLite refuses the switch at once, without its busy
/// handler: retried here for as long as any lock is waited for.
fn enable_wal(conn: &Connection, path: &Path) -> StoreResult<()> {
    let started = std::time::Instant::now();
    loop {
        let outcome = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        let busy = match &outcome {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(_) => true,
            Err(rusqlite::Error::SqliteFailure(f, _)) => {
                matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                )
            }
            Err(_) => false,
        };
        if !busy || started.elapsed() >= BUSY_TIMEOUT {
            let got = match outcome {
                Ok(mode) => mode,
                Err(e) => e.to_string(),
            };
            return Err(StoreError::Backend(format!(
                "cannot enable WAL mode on {} (got {got}); is another process importing into it?",
                path.display()
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// True when the schema is current and the GeoPackage header ids are set: opening the store
/// then writes nothing (no write lock, no commit to sync), so a read-only command such as
/// `scan` leaves the file as it was.
fn up_to_date(conn: &Connection) -> StoreResult<bool> {
    let has_table: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'landcycle_migrations'",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(false);
    }
    let current: u32 = conn.query_row(
        "SELECT coalesce(max(version), 0) FROM landcycle_migrations",
        [],
        |r| r.get(0),
    )?;
    let latest = schema::migrations()
        .into_iter()
        .map(|(v, _)| v)
        .max()
        .unwrap_or(0);
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let user: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(current >= latest
        && app == i64::from(schema::GPKG_APPLICATION_ID)
        && user == i64::from(schema::GPKG_USER_VERSION))
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    if up_to_date(conn)? {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS landcycle_migrations (version INTEGER PRIMARY KEY, applied_at DATETIME NOT NULL)")?;
    let current: u32 = tx.query_row(
        "SELECT coalesce(max(version), 0) FROM landcycle_migrations",
        [],
        |r| r.get(0),
    )?;
    for (version, sql) in schema::migrations() {
        if version <= current {
            continue;
        }
        tracing::info!(version, "applying store migration");
        tx.execute_batch(&sql)
            .map_err(|e| StoreError::Backend(format!("migration {version} failed: {e}")))?;
        tx.execute(
            "INSERT INTO landcycle_migrations VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
            [version],
        )?;
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {}; PRAGMA user_version = {};",
        schema::GPKG_APPLICATION_ID,
        schema::GPKG_USER_VERSION
    ))?;
    tx.commit()?;
    Ok(())
}
