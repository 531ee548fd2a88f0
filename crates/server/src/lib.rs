//! # landcycle-server — the HTTP API
//!
//! REST + OpenAPI 3.1 over the registry. Handlers are thin: parse and name bad input, call the
//! registry or the store on a blocking thread, map the result. Errors are RFC 9457
//! `application/problem+json`, built in one place ([`error`]).
//!
//! Every routed request passes the access layer ([`auth`]): a route policy table names the
//! action of every route, the role table of `landcycle_domain::access` decides, and records
//! are checked against the caller's jurisdiction. Public (no account): `/api/health`,
//! `/api/openapi.json`, `/api/parks`, `/api/parks/{id}` and sign-in; everything else needs a
//! session cookie or a bearer token.
#![forbid(unsafe_code)]

pub mod auth;
pub mod dto;
pub mod error;
pub mod extract;
pub mod ogc;
mod openapi;
mod per_core;
mod routes;
mod upload_dirs;
pub mod web;
pub mod webhook;

use auth::AuthConfig;
use auth::public_limit::PublicLimiter;
use auth::ratelimit::SignInLimiter;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use error::{ApiError, ApiResult};
use landcycle_store::{AccountStore, Registry, Store};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use openapi::openapi;
pub use per_core::serve_per_core;
pub use routes::ui_config::{BaseMap, UiConfig};
pub use upload_dirs::sweep_stale_uploads;

/// Shared state of every handler: one pointer, so that the several clones a request makes
/// (the access layer, the extractors, the handler) are one reference count each, not one per
/// field.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.inner
    }
}

/// What [`AppState`] points to.
#[derive(Clone)]
pub struct Shared {
    reg: Registry<dyn Store>,
    /// The account store behind the credentials cache ([`auth::cache`]): every account change
    /// of this process passes the cache, which forgets what it changed.
    accounts: Arc<auth::cache::CachedAccounts>,
    auth: Arc<AuthConfig>,
    limiter: Arc<SignInLimiter>,
    public_limiter: Arc<PublicLimiter>,
    /// The last rule scan, reused until the next write.
    pub(crate) findings: Arc<routes::FindingsCache>,
    /// The public list's price guides, reused until the next write.
    pub(crate) price_guides: Arc<routes::public_land::PriceGuideCache>,
    /// Rendered vector tiles, evicted by edits.
    pub(crate) tiles: Arc<ogc::tile_cache::TileCache>,
    /// What the web UI is told at start (base map).
    pub(crate) ui: Arc<UiConfig>,
    /// Limits of `POST /api/imports` (body, archive expansion).
    uploads: landcycle_io::upload::UploadLimits,
    /// The CJK font of the parcel card (`serve --font`); `None`: env, then system fonts.
    card_font: Option<Arc<std::path::PathBuf>>,
}

impl AppState {
    /// State over a registry and an account store.
    pub fn new(reg: Registry<dyn Store>, accounts: Arc<dyn AccountStore>) -> Self {
        let auth = AuthConfig::default();
        let shared = Shared {
            reg,
            accounts: Arc::new(auth::cache::CachedAccounts::new(
                accounts,
                auth.credentials_ttl,
            )),
            public_limiter: Arc::new(PublicLimiter::new(
                auth.public_reads,
                auth.public_submissions,
            )),
            auth: Arc::new(auth),
            limiter: Arc::new(SignInLimiter::default()),
            findings: Arc::default(),
            price_guides: Arc::default(),
            tiles: Arc::default(),
            ui: Arc::default(),
            uploads: landcycle_io::upload::UploadLimits::default(),
            card_font: None,
        };
        Self {
            inner: Arc::new(shared),
        }
    }

    /// The state to change, while it is being built (a copy if already shared).
    fn edit(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.inner)
    }

    /// The same state with other upload limits for `POST /api/imports`.
    #[must_use]
    pub fn with_upload_limits(mut self, l: landcycle_io::upload::UploadLimits) -> Self {
        self.edit().uploads = l;
        self
    }

    /// The same state with the parcel card's CJK font at `path` (instead of
    /// `LANDCYCLE_CJK_FONT` or the system's fonts).
    #[must_use]
    pub fn with_card_font(mut self, path: std::path::PathBuf) -> Self {
        self.edit().card_font = Some(Arc::new(path));
        self
    }

    /// The configured card font, if any.
    pub(crate) fn card_font(&self) -> Option<&std::path::Path> {
        self.card_font.as_deref().map(std::path::PathBuf::as_path)
    }

    /// Limits of `POST /api/imports`.
    pub fn upload_limits(&self) -> landcycle_io::upload::UploadLimits {
        self.uploads
    }

    /// The same state with another UI configuration (base map).
    #[must_use]
    pub fn with_ui_config(mut self, c: UiConfig) -> Self {
        self.edit().ui = Arc::new(c);
        self
    }

    /// The same state with other sign-in settings.
    #[must_use]
    pub fn with_auth_config(mut self, c: AuthConfig) -> Self {
        let e = self.edit();
        e.public_limiter = Arc::new(PublicLimiter::new(c.public_reads, c.public_submissions));
        e.accounts = Arc::new(e.accounts.with_ttl(c.credentials_ttl));
        e.auth = Arc::new(c);
        self
    }

    /// The account store.
    pub fn accounts(&self) -> Arc<dyn AccountStore> {
        Arc::clone(&self.accounts) as Arc<dyn AccountStore>
    }

    /// The account store with its credentials cache.
    pub(crate) fn cached_accounts(&self) -> &auth::cache::CachedAccounts {
        &self.accounts
    }

    /// Sign-in settings.
    pub fn auth_config(&self) -> &AuthConfig {
        &self.auth
    }

    /// The failed sign-in limiter.
    pub(crate) fn limiter(&self) -> &SignInLimiter {
        &self.limiter
    }

    /// The limiter of requests without an account.
    pub(crate) fn public_limiter(&self) -> &PublicLimiter {
        &self.public_limiter
    }

    /// Runs blocking store work off the async threads.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Registry<dyn Store>) -> ApiResult<T> + Send + 'static,
    ) -> ApiResult<T> {
        let reg = self.reg.clone();
        tokio::task::spawn_blocking(move || f(&reg))
            .await
            .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))?
    }

    /// The registry.
    pub fn registry(&self) -> &Registry<dyn Store> {
        &self.reg
    }
}

/// Wraps a concrete store (registry and accounts in one) into the state the router needs.
pub fn state_for<S: Store + AccountStore>(store: S) -> AppState {
    let store = Arc::new(store);
    let accounts: Arc<dyn AccountStore> = store.clone();
    let store: Arc<dyn Store> = store;
    AppState::new(Registry::new(store), accounts)
}

/// Security headers of every response besides the Content-Security-Policy.
const SECURITY_HEADERS: [(HeaderName, &str); 3] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// The Content-Security-Policy: no inline script or style, nothing from other hosts except a
/// configured base map's tile origins (images and fetches). MapLibre GL's workers are module
/// scripts from this server (`new Worker(url, {type: "module"})`, no `blob:`), so `script-src
/// 'self'` covers them; the end-to-end tests fail on any CSP violation.
pub fn content_security_policy(extra_origins: &[String]) -> String {
    let extra: String = extra_origins.iter().map(|o| format!(" {o}")).collect();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:{extra}; \
         connect-src 'self'{extra}; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let csp = content_security_policy(&state.ui.origins());
    let mut app = routes::api()
        .merge(ogc::routes())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::layer::enforce,
        ))
        .with_state(state)
        .fallback_service(web::service());
    if let Ok(v) = HeaderValue::from_str(&csp) {
        app = app.layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            v,
        ));
    }
    for (name, value) in SECURITY_HEADERS {
        app = app.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app.layer(axum::extract::DefaultBodyLimit::max(64 << 20))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(TraceLayer::new_for_http())
}

/// Serves the application on `listener` until `shutdown` resolves.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
