//! A bulk write that has the file to itself runs in rollback-journal mode instead of WAL.
//!
//! In WAL mode every page a transaction writes goes to the WAL and then, at the checkpoint,
//! again into the file: a 1,000,000-parcel import wrote its 2.5 GB twice (commit and
//! checkpoint 14.7 s of a 93 s import). A rollback journal holds only the *original* content
//! of pages that existed before the transaction; pages the import appends to the file are
//! written once, and there is no checkpoint. Crash safety is SQLite's as in any rollback-mode
//! database: a `kill -9` leaves a hot journal that the next connection plays back before it
//! reads, so the file is exactly as before the transaction ([`super::SqliteStore::open`] then
//! switches it back to WAL).
//!
//! Leaving WAL needs every other connection to the file closed: in WAL mode each open
//! connection — this store's own idle reader connections too — holds a shared lock on the file
//! for as long as it is open, and SQLite refuses the switch while it cannot take the exclusive
//! lock. The idle readers of this store are closed first; a reader in use by another thread,
//! or another process on the file (a server), makes the switch fail and the write runs in WAL
//! mode as before. In rollback mode readers of other connections are locked out while the
//! writer spills pages and commits, which is why only callers that own the file (the CLI
//! import, [`super::SqliteStore::set_sole_writer`]) ask for it.

use super::SqliteStore;
use rusqlite::Connection;

/// Whether the bulk write runs in rollback-journal mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Journal {
    /// WAL, as every other write.
    Wal,
    /// Rollback journal (`DELETE`) for this write; back to WAL after it.
    Rollback,
}

impl SqliteStore {
    /// Switches `conn` (the writer) to rollback-journal mode for a bulk write when this store
    /// may take the file for itself and no other connection has it open; WAL otherwise.
    pub(super) fn enter_bulk_journal(&self, conn: &Connection) -> Journal {
        if !self.sole_writer.load(std::sync::atomic::Ordering::SeqCst) {
            return Journal::Wal;
        }
        // The idle readers hold shared locks (WAL mode): closed, they are reopened on demand.
        if let Ok(mut pool) = self.readers.lock() {
            pool.clear();
        }
        match conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
            r.get::<_, String>(0)
        }) {
            Ok(mode) if mode.eq_ignore_ascii_case("delete") => {
                tracing::debug!(
                    file = %self.path.display(),
                    "bulk write: rollback journal (the file is this process's alone)"
                );
                Journal::Rollback
            }
            Ok(mode) => {
                tracing::debug!(
                    file = %self.path.display(), %mode,
                    "bulk write: WAL (another connection has the file open)"
                );
                Journal::Wal
            }
            Err(e) => {
                tracing::debug!(
                    file = %self.path.display(), error = %e,
                    "bulk write: WAL (another connection has the file open)"
                );
                Journal::Wal
            }
        }
    }

    /// Back to WAL after a bulk write in rollback mode. The write itself is committed (or
    /// rolled back) either way: a failure here is logged, and the next open of the store
    /// switches the file to WAL again.
    pub(super) fn leave_bulk_journal(&self, conn: &Connection, journal: Journal) {
        if journal == Journal::Wal {
            return;
        }
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => {}
            Ok(mode) => tracing::warn!(
                file = %self.path.display(), %mode,
                "after a bulk write the store stays in {mode} mode until it is opened again"
            ),
            Err(e) => tracing::warn!(
                file = %self.path.display(), error = %e,
                "after a bulk write the store could not return to WAL mode until it is opened again"
            ),
        }
    }
}
