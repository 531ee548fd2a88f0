//! Accounts, API tokens, sessions and the audit log: a store of their own, separate from the
//! registry's [`crate::Store`] (a deployment may keep them elsewhere), synchronous and
//! object-safe like it.
//!
//! Secrets never reach the store: API tokens and session ids are kept as their sha256, and
//! passwords as argon2 hashes made by the caller. The audit log is append-only (the embedded
//! store refuses UPDATE and DELETE on it with triggers).

use crate::error::{StoreError, StoreResult};
use crate::model::Page;
use jiff::Timestamp;
use landcycle_domain::access::{Principal, Role, Scope};
use serde::Serialize;

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Unique name (sign-in name).
    pub name: String,
    /// Argon2 PHC string; `None` for an account that signs in with tokens only.
    pub password_hash: Option<String>,
    /// Role.
    pub role: Role,
    /// Where the role applies.
    pub scope: Scope,
    /// When it was created.
    pub created_at: Timestamp,
    /// A disabled account can neither sign in nor use its tokens or sessions.
    pub disabled: bool,
}

impl User {
    /// The principal this account acts as.
    pub fn principal(&self) -> StoreResult<Principal> {
        Ok(Principal::new(&self.name, self.role, self.scope.clone())?)
    }
}

/// Checks a user name: 1–64 characters of `A-Z a-z 0-9 . _ - @`.
pub fn check_user_name(name: &str) -> StoreResult<()> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-@".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(StoreError::field(
            "name",
            Some(name),
            "a user name is 1–64 characters of A-Z, a-z, 0-9, '.', '_', '-' and '@'",
            "用户名应为1—64位字母、数字或“._-@”",
        ))
    }
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenAccess {
    /// Reads only.
    Read,
    /// Whatever the user's role allows.
    Write,
}

impl TokenAccess {
    /// As stored (`read` or `write`).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenAccess::Read => "read",
            TokenAccess::Write => "write",
        }
    }
}

/// An API token (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Public id (used to revoke it).
    pub id: String,
    /// Owner.
    pub user: String,
    /// sha256 (hex) of the secret.
    pub token_hash: String,
    /// Read-only or read-write.
    pub access: TokenAccess,
    /// Created.
    pub created_at: Timestamp,
    /// Expires (never when `None`).
    pub expires_at: Option<Timestamp>,
    /// Revoked.
    pub revoked_at: Option<Timestamp>,
}

/// A browser session (never its id: only the id's sha256).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// sha256 (hex) of the session id sent in the cookie.
    pub id_hash: String,
    /// Owner.
    pub user: String,
    /// The CSRF token unsafe requests of this session must echo.
    pub csrf: String,
    /// Created.
    pub created_at: Timestamp,
    /// Expires.
    pub expires_at: Timestamp,
}

/// One entry of the audit log, to append.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who (user name; `-` for the public; `cli` for the command line).
    pub actor: String,
    /// What (e.g. `write_registry`, `sign_in`, `user.add`).
    pub action: String,
    /// On what (e.g. `POST /api/parcels/…`, a user name).
    pub target: Option<String>,
    /// `ok`, `denied`, `failed`.
    pub outcome: String,
    /// Details (never a secret).
    pub detail: serde_json::Value,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    /// Sequence number (append order).
    pub seq: i64,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// On what.
    pub target: Option<String>,
    /// `ok`, `denied`, `failed`.
    pub outcome: String,
    /// Details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// A search of the audit log; every filter optional.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Exact actor.
    pub actor: Option<String>,
    /// Exact action.
    pub action: Option<String>,
    /// At or after.
    pub from: Option<Timestamp>,
    /// Before.
    pub to: Option<Timestamp>,
    /// Page size (1–10 000).
    pub limit: u32,
    /// Rows to skip (newest first).
    pub offset: u64,
}

/// Storage of accounts, tokens, sessions and the audit log. Methods block.
pub trait AccountStore: Send + Sync + 'static {
    /// Creates a user; a taken name is a conflict.
    fn create_user(&self, u: &User) -> StoreResult<()>;
    /// Every user, by name.
    fn users(&self) -> StoreResult<Vec<User>>;
    /// One user.
    fn user(&self, name: &str) -> StoreResult<Option<User>>;
    /// Disables a user and ends their sessions.
    fn disable_user(&self, name: &str) -> StoreResult<()>;
    /// Replaces a user's password hash and ends their sessions.
    fn set_password_hash(&self, name: &str, hash: &str) -> StoreResult<()>;

    /// Stores a token (its hash).
    fn create_token(&self, t: &Token) -> StoreResult<()>;
    /// Revokes a token by id (revoking twice keeps the first time).
    fn revoke_token(&self, id: &str, at: Timestamp) -> StoreResult<()>;
    /// Tokens, of one user or all, oldest first.
    fn tokens(&self, user: Option<&str>) -> StoreResult<Vec<Token>>;
    /// The live token with this hash (not expired at `now`, not revoked, user not disabled)
    /// and its user.
    fn token_by_hash(&self, hash: &str, now: Timestamp) -> StoreResult<Option<(Token, User)>>;

    /// Stores a session.
    fn create_session(&self, s: &Session) -> StoreResult<()>;
    /// The live session with this id hash (not expired at `now`, user not disabled) and its
    /// user.
    fn session(&self, id_hash: &str, now: Timestamp) -> StoreResult<Option<(Session, User)>>;
    /// Ends a session (and drops every expired one).
    fn delete_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()>;

    /// Appends to the audit log; returns the entry's sequence number.
    fn append_audit(&self, e: &AuditEntry) -> StoreResult<i64>;
    /// Searches the audit log, newest first.
    fn search_audit(&self, q: &AuditQuery) -> StoreResult<Page<AuditRecord>>;
}
