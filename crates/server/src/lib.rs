//! # landcycle-server — the HTTP API
//!
//! REST + OpenAPI 3.1 over the registry. Handlers are thin: parse and name bad input, call the
//! registry or the store on a blocking thread, map the result. Errors are RFC 9457
//! `application/problem+json`, built in one place ([`error`]).
#![forbid(unsafe_code)]

pub mod dto;
pub mod error;
pub mod extract;
mod openapi;
mod routes;

use axum::Router;
use error::{ApiError, ApiResult};
use landcycle_store::{Registry, Store};
use std::sync::Arc;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use openapi::openapi;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    reg: Registry<dyn Store>,
}

impl AppState {
    /// State over a registry.
    pub fn new(reg: Registry<dyn Store>) -> Self {
        Self { reg }
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

/// Wraps a concrete store into the state the router needs.
pub fn state_for<S: Store>(store: S) -> AppState {
    let store: Arc<dyn Store> = Arc::new(store);
    AppState::new(Registry::new(store))
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    routes::api()
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(64 << 20))
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
