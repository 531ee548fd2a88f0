//! Accounts at the HTTP edge: who is calling, and may they.
//!
//! - [`credentials`]: a bearer token or the session cookie → a [`Principal`](landcycle_domain::access::Principal).
//! - [`policy`]: the route policy table, method + path → action and where its target is.
//! - [`layer`]: the middleware that enforces the table on every routed request, checks CSRF for
//!   cookie sessions and audits writes and downloads.
//! - [`guard`]: what handlers read and write through, so that records named in bodies and the
//!   rows of lists are checked against the principal's scope.
//! - [`password`], [`secret`]: argon2 hashes; random tokens, their sha256.
//! - [`ratelimit`]: failed sign-ins per user name and per address.
//! - [`cache`]: live credentials kept in memory for a moment, wiped by account changes.

pub mod admin;
pub mod cache;
pub mod credentials;
pub mod guard;
pub mod layer;
pub mod password;
pub mod policy;
pub mod public_limit;
pub mod ratelimit;
pub mod secret;
pub mod targets;

pub use credentials::{CSRF_HEADER, SESSION_COOKIE};
pub use guard::{Auth, Guard};
pub use policy::{POLICIES, RoutePolicy, TargetFrom, policy_for};

/// Settings of sign-in.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Mark the session cookie `Secure` (sent over HTTPS only). Off only when serving on
    /// loopback or when asked (`--insecure-cookies`).
    pub secure_cookies: bool,
    /// How long a session lasts.
    pub session_ttl: std::time::Duration,
    /// Requests without an account that read, per client address.
    pub public_reads: public_limit::Rate,
    /// Requests without an account that store something (我要用地), per client address.
    pub public_submissions: public_limit::Rate,
    /// How long a live token's or session's principal is kept in memory ([`cache`]): the
    /// delay before a change to accounts by *another process* shows; changes through this
    /// server show at once.
    pub credentials_ttl: std::time::Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            session_ttl: std::time::Duration::from_secs(12 * 3600),
            public_reads: public_limit::Rate {
                burst: 300,
                per_sec: 30.0,
            },
            public_submissions: public_limit::Rate {
                burst: 5,
                per_sec: 1.0 / 120.0,
            },
            credentials_ttl: std::time::Duration::from_secs(2),
        }
    }
}
