//! OGC API – Features Parts 1–4 and OGC API – Tiles under `/ogc`.
//!
//! Collections are fixed routes (`/ogc/collections/parcels/…`, `…/available-land/…`,
//! `…/parks/…`) rather than one `{collectionId}` route, so the access layer's policy table can
//! tell the public collections (parks, the available-land list) from the internal one
//! (parcels) before a handler runs. Handlers are thin: parse and name bad input ([`params`],
//! [`cql`]), read through the guard (scoped to the caller's jurisdiction), map ([`features`]).

pub mod api_doc;
pub(crate) mod collections;
pub(crate) mod cql;
mod cql_check;
pub(crate) mod crs;
pub(crate) mod edit;
pub(crate) mod features;
pub(crate) mod html;
pub(crate) mod items;
pub(crate) mod landing;
pub(crate) mod params;
pub(crate) mod tile_cache;
pub(crate) mod tiles;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
pub(crate) use collections::Coll;

/// Every route of the OGC API. Each has an entry in the route policy table.
pub fn routes() -> Router<AppState> {
    let mut r = Router::new()
        .route("/ogc", get(landing::landing))
        .route("/ogc/", get(landing::landing))
        .route("/ogc/conformance", get(landing::conformance))
        .route("/ogc/api", get(landing::api))
        .route("/ogc/collections", get(landing::collections))
        .route("/ogc/tileMatrixSets", get(tiles::matrix_sets))
        .route("/ogc/tileMatrixSets/{tms}", get(tiles::matrix_set));
    for c in Coll::ALL {
        let base = format!("/ogc/collections/{}", c.id());
        r = r
            .route(&base, get(move |h, s, p| landing::collection(c, h, s, p)))
            .route(
                &format!("{base}/queryables"),
                get(move |h, p| landing::queryables(c, h, p)),
            )
            .route(
                &format!("{base}/tiles"),
                get(move |h, p| tiles::tilesets(c, h, p)),
            )
            .route(
                &format!("{base}/tiles/{{tms}}"),
                get(move |h, path, p| tiles::tileset(c, h, path, p)),
            )
            .route(
                &format!("{base}/tiles/{{tms}}/{{z}}/{{y}}/{{x}}"),
                get(move |g, h, path, p| tiles::tile(c, g, h, path, p)),
            );
        r = match c {
            Coll::Parcels => r
                .route(
                    &format!("{base}/items"),
                    get(move |g, h, p| items::list(c, g, h, p)).post(edit::create),
                )
                .route(
                    &format!("{base}/items/{{id}}"),
                    get(move |g, h, path, p| items::one(c, g, h, path, p))
                        .put(edit::replace)
                        .patch(edit::patch)
                        .delete(edit::delete),
                ),
            _ => r
                .route(
                    &format!("{base}/items"),
                    get(move |g, h, p| items::list(c, g, h, p)),
                )
                .route(
                    &format!("{base}/items/{{id}}"),
                    get(move |g, h, path, p| items::one(c, g, h, path, p)),
                ),
        };
    }
    r
}

/// The origin clients reached us at, for absolute links (`http://host:port`).
pub(crate) fn origin(h: &HeaderMap) -> String {
    let host = h
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|s| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A link object.
pub(crate) fn link(href: String, rel: &str, type_: &str, title: &str) -> serde_json::Value {
    serde_json::json!({ "href": href, "rel": rel, "type": type_, "title": title })
}

/// What the client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fmt {
    Json,
    Html,
}

/// `f=` wins; otherwise a browser's `Accept: text/html` gets HTML; everyone else JSON.
pub(crate) fn negotiate(f: Option<&str>, h: &HeaderMap) -> Result<Fmt, crate::error::ApiError> {
    match f {
        Some("json" | "geojson" | "application/json" | "application/geo+json") => Ok(Fmt::Json),
        Some("html" | "text/html") => Ok(Fmt::Html),
        Some(other) => Err(crate::error::ApiError::bad_field(
            "f",
            Some(other),
            "supported formats: json, html",
            "支持的格式：json、html",
        )),
        None => {
            let accept = h
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let html = accept.find("text/html");
            let json = accept.find("json");
            Ok(match (html, json) {
                (Some(a), Some(b)) if a < b => Fmt::Html,
                (Some(_), None) => Fmt::Html,
                _ => Fmt::Json,
            })
        }
    }
}

/// A JSON body with its media type.
/// A response of JSON already serialized.
pub(crate) fn json_bytes_response(body: Vec<u8>, media: &'static str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    resp
}

pub(crate) fn json_response(body: &serde_json::Value, media: &'static str) -> Response {
    let mut resp = axum::Json(body).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    resp
}
