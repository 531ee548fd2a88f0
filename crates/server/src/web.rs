//! The web UI, built from `web/` (Vue + Vite) by `build.rs` and embedded in the binary: the
//! internal application at `/` and the public 云上看地 portal at `/public`. Both are one
//! single-page application: a path that is not a file answers `index.html`, except under
//! `/api/` and `/ogc/`, which stay problem+json 404s. Static files are public (no account):
//! they hold no data; every datum comes from the API behind the access layer.

use crate::error::ApiError;
use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::RustEmbed)]
#[folder = "../../web/dist"]
struct Assets;

/// Paths that belong to the APIs, never to the UI.
const API_PREFIXES: &[&str] = &["/api/", "/ogc/", "/api", "/ogc"];

fn file(path: &str, method: &Method, if_none_match: Option<&HeaderValue>) -> Option<Response> {
    let f = Assets::get(path)?;
    let etag = format!("\"{}\"", hex::encode(&f.metadata.sha256_hash()[..16]));
    // Vite names built assets by content hash: they never change under one name.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut b = Response::builder()
        .header(header::CONTENT_TYPE, f.metadata.mimetype())
        .header(header::ETAG, &etag)
        .header(header::CACHE_CONTROL, cache);
    if if_none_match.is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        return b.status(StatusCode::NOT_MODIFIED).body(Body::empty()).ok();
    }
    b = b.header(header::CONTENT_LENGTH, f.data.len());
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(f.data.into_owned())
    };
    b.status(StatusCode::OK).body(body).ok()
}

/// The fallback of the router: a UI file, or the application's `index.html`.
pub async fn serve(method: Method, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    let path = uri.path();
    if API_PREFIXES
        .iter()
        .any(|p| path == *p || (p.ends_with('/') && path.starts_with(p)))
    {
        return ApiError::NotFound(format!("{path} not found")).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return ApiError::MethodNotAllowed("GET, HEAD".into()).into_response();
    }
    let inm = headers.get(header::IF_NONE_MATCH);
    let rel = path.trim_start_matches('/');
    if !rel.is_empty()
        && let Some(r) = file(rel, &method, inm)
    {
        return r;
    }
    // A missing built asset is a 404, not the application.
    if rel.starts_with("assets/") {
        return ApiError::NotFound(format!("{path} not found")).into_response();
    }
    file("index.html", &method, inm).unwrap_or_else(|| {
        ApiError::Internal("the web UI was not embedded (web/dist/index.html)".into())
            .into_response()
    })
}

/// The UI as a service (gzip when the browser accepts it), for the router's fallback.
pub fn service() -> axum::routing::MethodRouter {
    axum::routing::any(serve).layer(tower_http::compression::CompressionLayer::new())
}

/// True when the embedded UI has its entry page.
pub fn embedded() -> bool {
    Assets::get("index.html").is_some()
}
