//! Landing page, conformance, the API definition, collections and queryables.

use super::{Coll, Fmt, crs, html, link, negotiate, origin};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::Params;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use landcycle_store::filter::ValueKind;
use serde_json::{Value, json};

/// The conformance classes implemented — and only those. Each is exercised by a test in
/// `crates/server/tests/ogc.rs` or by a real client in `crates/cli/tests/ogc_clients.rs`.
pub const CONFORMANCE: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/collections-selection",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
];

fn respond(fmt: Fmt, title: &str, body: Value) -> Response {
    match fmt {
        Fmt::Json => super::json_response(&body, "application/json"),
        Fmt::Html => html::json_page(title, &body),
    }
}

/// `/ogc`.
pub async fn landing(h: HeaderMap, p: Params) -> ApiResult<Response> {
    p.only(&["f"])?;
    let fmt = negotiate(p.get("f"), &h)?;
    let o = origin(&h);
    Ok(respond(
        fmt,
        "landcycle OGC API",
        json!({
            "title": "landcycle — 工业用地全生命周期管理 OGC API",
            "description": "Parcels, the public available-land list and park boundaries of the Xuchang pilot, as OGC API – Features (Parts 1–4) and OGC API – Tiles (MVT)",
            "links": [
                link(format!("{o}/ogc?f=json"), "self", "application/json", "this document"),
                link(format!("{o}/ogc?f=html"), "alternate", "text/html", "this document as HTML"),
                link(format!("{o}/ogc/api"), "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"),
                link(format!("{o}/ogc/conformance"), "conformance", "application/json", "conformance classes"),
                link(format!("{o}/ogc/collections"), "data", "application/json", "collections"),
                link(format!("{o}/ogc/tileMatrixSets"), "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", "application/json", "tile matrix sets"),
            ]
        }),
    ))
}

/// `/ogc/conformance`.
pub async fn conformance(h: HeaderMap, p: Params) -> ApiResult<Response> {
    p.only(&["f"])?;
    let fmt = negotiate(p.get("f"), &h)?;
    Ok(respond(
        fmt,
        "Conformance",
        json!({ "conformsTo": CONFORMANCE }),
    ))
}

/// `/ogc/api`: the OpenAPI 3.0 definition of the OGC API.
pub async fn api(h: HeaderMap, p: Params) -> ApiResult<Response> {
    p.only(&["f"])?;
    Ok(super::json_response(
        &super::api_doc::document(&origin(&h)),
        "application/vnd.oai.openapi+json;version=3.0",
    ))
}

/// Metadata of one collection.
pub async fn collection_json(c: Coll, o: &str, st: &AppState) -> ApiResult<Value> {
    let parks = st.run(|r| Ok(r.store().parks()?)).await?;
    let mut env: Option<landcycle_geo::Envelope> = None;
    for p in &parks {
        if let Some(b) = &p.boundary
            && let Some(e) = landcycle_geo::Envelope::from_geometry(
                &geo_types::Geometry::MultiPolygon(b.clone()),
            )
        {
            env = Some(env.map_or(e, |x| x.union(&e)));
        }
    }
    let bbox = env.map_or(json!([73.0, 3.0, 136.0, 54.0]), |e| {
        json!([e.min_x, e.min_y, e.max_x, e.max_y])
    });
    let base = format!("{o}/ogc/collections/{}", c.id());
    let mut extent = json!({ "spatial": { "bbox": [bbox], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84" } });
    if c.is_temporal() {
        extent["temporal"] = json!({ "interval": [["2014-01-01T00:00:00Z", null]], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian" });
    }
    Ok(json!({
        "id": c.id(),
        "title": c.title(),
        "description": c.description(),
        "itemType": "feature",
        "extent": extent,
        "crs": crs::offered_uris(),
        "storageCrs": crs::STORAGE.ogc_uri(),
        "links": [
            link(format!("{base}?f=json"), "self", "application/json", c.title()),
            link(format!("{base}/items?f=json"), "items", "application/geo+json", "features"),
            link(format!("{base}/items?f=html"), "items", "text/html", "features as HTML"),
            link(format!("{base}/queryables"), "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "queryables"),
            link(format!("{base}/tiles"), "http://www.opengis.net/def/rel/ogc/1.0/vector-tilesets", "application/json", "vector tiles"),
        ]
    }))
}

/// `/ogc/collections`.
pub async fn collections(
    State(st): State<AppState>,
    h: HeaderMap,
    p: Params,
) -> ApiResult<Response> {
    p.only(&["f"])?;
    let fmt = negotiate(p.get("f"), &h)?;
    let o = origin(&h);
    let mut list = Vec::new();
    for c in Coll::ALL {
        list.push(collection_json(c, &o, &st).await?);
    }
    Ok(respond(
        fmt,
        "Collections",
        json!({
            "links": [link(format!("{o}/ogc/collections?f=json"), "self", "application/json", "collections")],
            "crs": crs::offered_uris(),
            "collections": list,
        }),
    ))
}

/// `/ogc/collections/{c}`.
pub async fn collection(
    c: Coll,
    h: HeaderMap,
    State(st): State<AppState>,
    p: Params,
) -> ApiResult<Response> {
    p.only(&["f"])?;
    let fmt = negotiate(p.get("f"), &h)?;
    Ok(respond(
        fmt,
        c.title(),
        collection_json(c, &origin(&h), &st).await?,
    ))
}

/// `/ogc/collections/{c}/queryables` (JSON Schema).
pub async fn queryables(c: Coll, h: HeaderMap, p: Params) -> ApiResult<Response> {
    p.only(&["f"])?;
    let fmt = negotiate(p.get("f"), &h)?;
    let mut props = serde_json::Map::new();
    if c != Coll::Parks {
        props.insert(
            "geometry".into(),
            json!({ "format": "geometry-multipolygon", "title": "几何 geometry", "x-ogc-role": "primary-geometry" }),
        );
    }
    for q in c.queryables() {
        let schema = match q.kind() {
            ValueKind::Text => json!({ "type": "string" }),
            ValueKind::Number => json!({ "type": "number" }),
            ValueKind::Integer => json!({ "type": "integer" }),
            ValueKind::Date => json!({ "type": "string", "format": "date" }),
        };
        let mut s = schema;
        s["title"] = json!(q.title_zh());
        if q == landcycle_store::filter::Queryable::Status {
            s["enum"] = json!(
                landcycle_domain::ParcelLifecycle::ALL
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>()
            );
        }
        props.insert(q.name().into(), s);
    }
    let o = origin(&h);
    let body = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{o}/ogc/collections/{}/queryables", c.id()),
        "type": "object",
        "title": c.title(),
        "properties": props,
        "additionalProperties": false,
    });
    Ok(match fmt {
        Fmt::Json => super::json_response(&body, "application/schema+json"),
        Fmt::Html => html::json_page("Queryables", &body),
    })
}
