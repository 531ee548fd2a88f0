//! The credentials cache: a bearer token's or session's principal, kept in memory for a short
//! time so that a request does not read the account store (a SQLite read transaction) before
//! it is answered — for a cached tile that read was most of the work.
//!
//! The rule, and why it is safe:
//! - Only live credentials are kept (an unknown, expired or revoked token is read again each
//!   time: nothing is learnt from guessing), keyed by the secret's sha256, for at most
//!   [`AuthConfig::credentials_ttl`](super::AuthConfig) (default 2 s), and never past the
//!   token's or session's own expiry.
//! - Every account change through this process — a token revoked, a user disabled or given a
//!   new password, a session ended — goes through [`CachedAccounts`], which wipes the cache
//!   **after** the store has committed and before the change's response is sent: such a
//!   change is refused at once by this server. An entry carries the wipe count read before
//!   its store read, so a read that raced a change is never kept.
//! - A change by another process on the same file (`landcycle token revoke` while the server
//!   runs) shows within the TTL.

use super::credentials::Resolved;
use jiff::Timestamp;
use landcycle_store::{
    AccountStore, AuditEntry, AuditQuery, AuditRecord, Page, Session, StoreResult, Token, User,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Entries kept at most; beyond, the cache starts over (each entry is one live credential).
const MAX_ENTRIES: usize = 10_000;

struct Entry {
    resolved: Resolved,
    /// When this entry stops being used.
    until: Instant,
    /// The credential's own expiry.
    expires: Option<Timestamp>,
    /// [`CachedAccounts::wipes`] when the store was read.
    wipes: u64,
}

/// The account store with the credentials cache in front; see the module documentation.
pub struct CachedAccounts {
    inner: Arc<dyn AccountStore>,
    ttl: Duration,
    wipes: AtomicU64,
    /// Read-locked on the hot path, so that concurrent requests do not queue on each other.
    entries: RwLock<HashMap<String, Entry>>,
}

impl CachedAccounts {
    /// A cache of `ttl` over `inner`.
    pub fn new(inner: Arc<dyn AccountStore>, ttl: Duration) -> Self {
        Self {
            inner,
            ttl,
            wipes: AtomicU64::new(0),
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// The same store with another TTL and an empty cache.
    pub fn with_ttl(&self, ttl: Duration) -> Self {
        Self::new(Arc::clone(&self.inner), ttl)
    }

    fn entries(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Entry>> {
        self.entries.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets every cached credential (after a change to accounts).
    fn wipe(&self) {
        self.wipes.fetch_add(1, Ordering::AcqRel);
        self.entries().clear();
    }

    /// The number of wipes so far: read before a store read, handed back to [`Self::keep`].
    pub(crate) fn wipes(&self) -> u64 {
        self.wipes.load(Ordering::Acquire)
    }

    /// The cached principal of the credential with this sha256 (`kind` keeps tokens and
    /// sessions apart), when fresh.
    pub(crate) fn cached(&self, kind: char, hash: &str, now: Timestamp) -> Option<Resolved> {
        let key = key(kind, hash);
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let e = entries.get(&key)?;
        let wipes = self.wipes();
        // A stale entry stays until `keep` replaces it with a fresh read (or a wipe clears it).
        (e.wipes == wipes && Instant::now() < e.until && e.expires.is_none_or(|x| now < x))
            .then(|| e.resolved.clone())
    }

    /// Keeps a live credential read from the store when `wipes` was current.
    pub(crate) fn keep(
        &self,
        kind: char,
        hash: &str,
        r: &Resolved,
        expires: Option<Timestamp>,
        wipes: u64,
    ) {
        let mut entries = self.entries();
        // Checked under the lock that `wipe` clears through: a change that committed after
        // our read has bumped the count, and the entry is not kept.
        if wipes != self.wipes() {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key(kind, hash),
            Entry {
                resolved: r.clone(),
                until: Instant::now() + self.ttl,
                expires,
                wipes,
            },
        );
    }
}

fn key(kind: char, hash: &str) -> String {
    let mut k = String::with_capacity(hash.len() + 1);
    k.push(kind);
    k.push_str(hash);
    k
}

/// Wipes after the inner store's change, also when it failed (it may have committed).
fn then_wipe<T>(c: &CachedAccounts, out: StoreResult<T>) -> StoreResult<T> {
    c.wipe();
    out
}

impl AccountStore for CachedAccounts {
    fn create_user(&self, u: &User) -> StoreResult<()> {
        self.inner.create_user(u)
    }
    fn users(&self) -> StoreResult<Vec<User>> {
        self.inner.users()
    }
    fn user(&self, name: &str) -> StoreResult<Option<User>> {
        self.inner.user(name)
    }
    fn disable_user(&self, name: &str) -> StoreResult<()> {
        then_wipe(self, self.inner.disable_user(name))
    }
    fn set_password_hash(&self, name: &str, hash: &str) -> StoreResult<()> {
        then_wipe(self, self.inner.set_password_hash(name, hash))
    }
    fn create_token(&self, t: &Token) -> StoreResult<()> {
        self.inner.create_token(t)
    }
    fn revoke_token(&self, id: &str, at: Timestamp) -> StoreResult<()> {
        then_wipe(self, self.inner.revoke_token(id, at))
    }
    fn tokens(&self, user: Option<&str>) -> StoreResult<Vec<Token>> {
        self.inner.tokens(user)
    }
    fn token_by_hash(&self, hash: &str, now: Timestamp) -> StoreResult<Option<(Token, User)>> {
        self.inner.token_by_hash(hash, now)
    }
    fn create_session(&self, s: &Session) -> StoreResult<()> {
        self.inner.create_session(s)
    }
    fn session(&self, id_hash: &str, now: Timestamp) -> StoreResult<Option<(Session, User)>> {
        self.inner.session(id_hash, now)
    }
    fn delete_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        then_wipe(self, self.inner.delete_session(id_hash, now))
    }
    fn append_audit(&self, e: &AuditEntry) -> StoreResult<i64> {
        self.inner.append_audit(e)
    }
    fn search_audit(&self, q: &AuditQuery) -> StoreResult<Page<AuditRecord>> {
        self.inner.search_audit(q)
    }
}
