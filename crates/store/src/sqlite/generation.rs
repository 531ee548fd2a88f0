//! The store's generation: a number that grows with every write, which the server's caches
//! (tiles, findings, price guides) key on.
//!
//! It is the sum of two counts: this handle's writes (an atomic bumped after each
//! [`crate::Store::apply`], so an edit through this process shows at once) and the newest
//! history event's `seq`, which counts registry writes by every process on the file (a
//! `landcycle import` while the server runs). Reading `seq` is a read transaction of SQLite
//! (a pooled connection, the WAL index's read lock, one indexed lookup): a few microseconds,
//! but on every warm tile it was a fifth of the request. So the hot path
//! ([`SqliteStore::generation_within`]) reads it at most once every [`RECHECK`] and otherwise
//! answers from memory: **a write by another process shows in the tiles within `RECHECK`**
//! (plus the request in flight); a write through this handle shows at once, as before.
//! [`SqliteStore::generation_exact`] always reads `seq` (the import's "has anything changed
//! since the check" test and the tile cache's sync use it).

use super::SqliteStore;
use crate::error::StoreResult;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How stale the hot path's view of other processes' writes may be.
pub const RECHECK: Duration = Duration::from_millis(100);

/// Sentinel of [`Seen::checked_ms`]: never read.
const NEVER: u64 = u64::MAX;

/// The newest history `seq` read, and when.
#[derive(Debug)]
pub(crate) struct Seen {
    /// Largest `seq` read so far (monotonic: readers may finish out of order).
    seq: AtomicI64,
    /// Milliseconds after `epoch` of the last read; [`NEVER`] before the first.
    checked_ms: AtomicU64,
    epoch: Instant,
}

impl Default for Seen {
    fn default() -> Self {
        Seen {
            seq: AtomicI64::new(0),
            checked_ms: AtomicU64::new(NEVER),
            epoch: Instant::now(),
        }
    }
}

impl Seen {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(NEVER - 1)
    }

    /// Claims the next read when the last is older than [`RECHECK`]: only one caller of many
    /// concurrent ones reads, the others answer from memory meanwhile.
    fn claim(&self) -> bool {
        let now = self.now_ms();
        let last = self.checked_ms.load(Ordering::Acquire);
        let due = last == NEVER || now.saturating_sub(last) >= RECHECK.as_millis() as u64;
        due && self
            .checked_ms
            .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    fn note(&self, seq: i64) {
        self.seq.fetch_max(seq, Ordering::AcqRel);
    }
}

impl SqliteStore {
    fn read_seq(&self) -> StoreResult<i64> {
        self.read(|c| {
            Ok(
                c.prepare_cached("SELECT coalesce(max(seq), 0) FROM events")?
                    .query_row([], |r| r.get(0))?,
            )
        })
    }

    fn generation_from_seen(&self) -> u64 {
        self.current_generation()
            + u64::try_from(self.seen.seq.load(Ordering::Acquire)).unwrap_or(0)
    }

    /// The generation with the history read now.
    pub(crate) fn generation_exact(&self) -> u64 {
        if let Ok(seq) = self.read_seq() {
            self.seen.note(seq);
            // A fresh read also serves the hot path for the next `RECHECK`.
            self.seen
                .checked_ms
                .store(self.seen.now_ms(), Ordering::Release);
        }
        self.generation_from_seen()
    }

    /// The generation with the history as read at most [`RECHECK`] ago.
    pub(crate) fn generation_within(&self) -> u64 {
        if self.seen.claim()
            && let Ok(seq) = self.read_seq()
        {
            self.seen.note(seq);
        }
        self.generation_from_seen()
    }
}
