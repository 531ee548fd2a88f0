//! OGC API – Tiles: vector tilesets of each collection in `WebMercatorQuad` and
//! `WorldCRS84Quad`, MVT encoded, with TileJSON. Tiles take the same `filter` as items. Tiles
//! are cached ([`super::tile_cache`]) and answered with a strong ETag and `Cache-Control:
//! no-cache`, so browsers and proxies keep them but ask again each time (a 304 costs nothing),
//! and an edit shows on the next request.

use super::tile_cache::{CachedTile, TileKey};
use super::{Coll, Fmt, link, negotiate, origin, params};
use crate::AppState;
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use landcycle_geo::mvt::{self, LayerBuilder, MvtValue, TileId};
use landcycle_geo::{Envelope, TileMatrixSet};
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use std::sync::Arc;

/// Zoom levels offered.
pub const MIN_ZOOM: u8 = 0;
/// Deepest zoom offered.
pub const MAX_ZOOM: u8 = 22;
/// Features read per tile at most. Parcels under a pixel are left out before this counts, so
/// only a pathological store (tens of thousands of separately visible parcels in one tile)
/// reaches it.
const MAX_FEATURES: u32 = landcycle_store::MAX_ROWS;
/// Display pixels per tile side: MapLibre draws a vector tile over 512 CSS pixels.
const DISPLAY_PIXELS: f64 = 512.0;
// Parcels carry no text id (the UUID): each feature's numeric MVT id is its row's `fid`, and
// the web map finds a clicked parcel by it (`GET /api/parcels/by-feature/{fid}`). The text id
// was 36 bytes a parcel, a third of a z10 tile and the reason our warm tiles moved more bytes
// than martin's. Two exceptions keep it, having no lookup: tiles as of a date (`datetime`:
// rows of the history table, whose fids are another numbering; they carry no numeric id) and
// `available-land`, which the public reads without an account.

fn tms_of(s: &str) -> ApiResult<TileMatrixSet> {
    TileMatrixSet::parse(s).ok_or_else(|| {
        ApiError::NotFound(format!(
            "tile matrix set {s} not offered (WebMercatorQuad, WorldCRS84Quad)"
        ))
    })
}

fn fields(c: Coll) -> Value {
    match c {
        Coll::Parks => json!({ "id": "String", "name": "String", "tax_per_mu_min_wan": "Number" }),
        Coll::AvailableLand => {
            json!({ "id": "String", "code": "String", "status": "String", "land_use": "String", "park_id": "String", "area_mu": "Number" })
        }
        Coll::Parcels => {
            json!({ "code": "String", "name": "String", "status": "String", "land_use": "String", "park_id": "String", "area_mu": "Number" })
        }
    }
}

/// `/collections/{c}/tiles`.
pub async fn tilesets(c: Coll, h: HeaderMap, p: Params) -> ApiResult<Response> {
    p.only(&["f"])?;
    let o = origin(&h);
    let sets: Vec<Value> = TileMatrixSet::ALL
        .iter()
        .map(|t| {
            json!({
                "title": format!("{} ({})", c.title(), t.id()),
                "dataType": "vector",
                "crs": t.crs_uri(),
                "tileMatrixSetURI": t.uri(),
                "links": [
                    link(format!("{o}/ogc/collections/{}/tiles/{}", c.id(), t.id()), "self", "application/json", t.id()),
                    link(t.uri(), "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "application/json", t.id()),
                ]
            })
        })
        .collect();
    Ok(super::json_response(
        &json!({ "links": [link(format!("{o}/ogc/collections/{}/tiles", c.id()), "self", "application/json", "tilesets")], "tilesets": sets }),
        "application/json",
    ))
}

/// `/collections/{c}/tiles/{tms}`: the tileset (OGC JSON, or TileJSON with `f=tilejson`).
pub async fn tileset(
    c: Coll,
    h: HeaderMap,
    Path(tms): Path<String>,
    p: Params,
) -> ApiResult<Response> {
    p.only(&["f", "filter", "filter-lang"])?;
    let t = tms_of(&tms)?;
    let o = origin(&h);
    let mut qs = String::new();
    for k in ["filter", "filter-lang"] {
        if let Some(v) = p.get(k) {
            qs.push(if qs.is_empty() { '?' } else { '&' });
            qs.push_str(&format!("{k}={}", crate::routes::parcels::enc(v)));
        }
    }
    let template = format!(
        "{o}/ogc/collections/{}/tiles/{}/{{z}}/{{y}}/{{x}}{qs}",
        c.id(),
        t.id()
    );
    if p.get("f") == Some("tilejson") {
        return Ok(super::json_response(
            &json!({
                "tilejson": "3.0.0",
                "name": c.title(),
                "description": "Each parcel's numeric feature id is its row id (fid): GET /api/parcels/by-feature/{fid} gives the parcel. Tiles of available-land, and tiles as of a date (datetime), carry the text id instead.",
                "scheme": "xyz",
                "tiles": [template],
                "minzoom": MIN_ZOOM,
                "maxzoom": MAX_ZOOM,
                "bounds": [113.0, 33.5, 114.5, 34.5],
                "vector_layers": [{ "id": c.id(), "fields": fields(c), "minzoom": MIN_ZOOM, "maxzoom": MAX_ZOOM }],
            }),
            "application/json",
        ));
    }
    let fmt = negotiate(p.get("f"), &h)?;
    let body = json!({
        "title": c.title(),
        "dataType": "vector",
        "crs": t.crs_uri(),
        "tileMatrixSetURI": t.uri(),
        "layers": [{ "id": c.id(), "dataType": "vector", "geometryDimension": 2, "propertiesSchema": { "type": "object", "properties": fields(c) } }],
        "links": [
            link(format!("{o}/ogc/collections/{}/tiles/{}", c.id(), t.id()), "self", "application/json", "tileset"),
            link(format!("{o}/ogc/collections/{}/tiles/{}?f=tilejson", c.id(), t.id()), "alternate", "application/vnd.mapbox.tile+json", "TileJSON"),
            link(t.uri(), "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "application/json", t.id()),
            json!({ "href": format!("{o}/ogc/collections/{}/tiles/{}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}{qs}", c.id(), t.id()), "rel": "item", "type": "application/vnd.mapbox-vector-tile", "templated": true }),
        ]
    });
    Ok(match fmt {
        Fmt::Json => super::json_response(&body, "application/json"),
        Fmt::Html => super::html::json_page("Tileset", &body),
    })
}

/// `/tileMatrixSets`.
pub async fn matrix_sets(h: HeaderMap) -> ApiResult<Response> {
    let o = origin(&h);
    let sets: Vec<Value> = TileMatrixSet::ALL
        .iter()
        .map(|t| json!({ "id": t.id(), "uri": t.uri(), "links": [link(format!("{o}/ogc/tileMatrixSets/{}", t.id()), "self", "application/json", t.id())] }))
        .collect();
    Ok(super::json_response(
        &json!({ "tileMatrixSets": sets }),
        "application/json",
    ))
}

/// `/tileMatrixSets/{tms}`: the definition (OGC 17-083r4).
pub async fn matrix_set(Path(tms): Path<String>) -> ApiResult<Response> {
    let t = tms_of(&tms)?;
    let matrices: Vec<Value> = (MIN_ZOOM..=MAX_ZOOM)
        .map(|z| {
            let (cols, rows) = t.matrix_size(z);
            let (scale, origin, cell) = match t {
                TileMatrixSet::WebMercatorQuad => {
                    let cell = 2.0 * 20_037_508.342_789_244 / 256.0 / (1u64 << z) as f64;
                    (cell / 0.28e-3, json!([-20037508.3427892, 20037508.3427892]), cell)
                }
                TileMatrixSet::WorldCrs84Quad => {
                    let cell = 180.0 / 256.0 / (1u64 << z) as f64;
                    (cell * 111_319.490_793_273_58 / 0.28e-3, json!([-180.0, 90.0]), cell)
                }
            };
            json!({ "id": z.to_string(), "scaleDenominator": scale, "cellSize": cell, "cornerOfOrigin": "topLeft",
                    "pointOfOrigin": origin, "tileWidth": 256, "tileHeight": 256, "matrixWidth": cols, "matrixHeight": rows })
        })
        .collect();
    Ok(super::json_response(
        &json!({ "id": t.id(), "uri": t.uri(), "crs": t.crs_uri(),
                 "orderedAxes": if t == TileMatrixSet::WebMercatorQuad { json!(["E", "N"]) } else { json!(["Lon", "Lat"]) },
                 "tileMatrices": matrices }),
        "application/json",
    ))
}

/// Renders one tile (blocking: runs on the store's thread).
fn render(
    c: Coll,
    tile: TileId,
    q: &params::ItemsQuery,
    k: &crate::auth::guard::Checked<'_>,
) -> ApiResult<Vec<u8>> {
    let area = tile_area(tile);
    let mut layer = LayerBuilder::new(c.id(), tile);
    match c {
        Coll::Parks => {
            for p in k.store().parks()? {
                let Some(b) = &p.boundary else { continue };
                layer.add_polygons(
                    None,
                    b,
                    &[
                        ("id", MvtValue::Text(p.id.as_str())),
                        ("name", MvtValue::Text(&p.name)),
                        (
                            "tax_per_mu_min_wan",
                            MvtValue::Number(p.tax_per_mu_target.min_wan.to_f64().unwrap_or(0.0)),
                        ),
                    ],
                );
            }
        }
        _ => {
            let mut sq = super::items::store_query(c, q);
            sq.bbox = Some([area.min_x, area.min_y, area.max_x, area.max_y]);
            sq.limit = MAX_FEATURES;
            // A parcel narrower and lower than a pixel draws as nothing at this zoom; leaving
            // it out keeps low-zoom tiles small and fast (a z10 tile over a city's grid of
            // small parcels was 1.5 MB).
            let b = tile.tms.tile_bounds_lonlat(tile.z, tile.x, tile.y);
            sq.min_extent = Some((b.width() / DISPLAY_PIXELS, b.height() / DISPLAY_PIXELS));
            sq.skip_total = true;
            if c == Coll::Parcels {
                k.scope_parcels(&mut sq)?;
            }
            // Each row straight into the layer: only the columns drawn are read, and texts are
            // borrowed from the row (copied once into the layer's value table).
            let history = sq.as_of.is_some() || sq.all_versions;
            let with_id = history || c == Coll::AvailableLand;
            let mut failed = None;
            k.store().tile_parcels(&sq, &mut |p| {
                let mut props: [(&str, MvtValue<'_>); 7] = [("", MvtValue::Int(0)); 7];
                let mut n = 0;
                let mut push = |kv| {
                    props[n] = kv;
                    n += 1;
                };
                if with_id {
                    push(("id", MvtValue::Text(p.id)));
                }
                push(("status", MvtValue::Text(p.status)));
                push(("land_use", MvtValue::Text(p.land_use_code)));
                push((
                    "area_mu",
                    MvtValue::Number((p.area_mu * 100.0).round() / 100.0),
                ));
                if let Some(code) = p.code {
                    push(("code", MvtValue::Text(code)));
                }
                if let Some(park) = p.park_id {
                    push(("park_id", MvtValue::Text(park)));
                }
                if c == Coll::Parcels {
                    push(("name", MvtValue::Text(p.name)));
                }
                let fid = if history {
                    None
                } else {
                    u64::try_from(p.fid).ok()
                };
                if let Err(e) = layer.add_gpkg(fid, p.geom, &props[..n])
                    && failed.is_none()
                {
                    failed = Some(format!("parcel {}: geometry: {e}", p.id));
                }
            })?;
            if let Some(e) = failed {
                return Err(ApiError::Internal(e));
            }
        }
    }
    Ok(if layer.is_empty() {
        Vec::new()
    } else {
        mvt::encode(vec![layer.finish()])
    })
}

/// The tile's area grown by the MVT buffer, in longitude/latitude.
fn tile_area(t: TileId) -> Envelope {
    let b = t.tms.tile_bounds_lonlat(t.z, t.x, t.y);
    let grow = mvt::BUFFER / f64::from(mvt::EXTENT);
    let (dx, dy) = (b.width() * grow, b.height() * grow);
    Envelope {
        min_x: b.min_x - dx,
        max_x: b.max_x + dx,
        min_y: b.min_y - dy,
        max_y: b.max_y + dy,
    }
}

/// `/collections/{c}/tiles/{tms}/{z}/{y}/{x}` (tileMatrix/tileRow/tileCol).
pub async fn tile(
    c: Coll,
    guard: Guard,
    h: HeaderMap,
    Path((tms, z, y, x)): Path<(String, String, String, String)>,
    p: Params,
) -> ApiResult<Response> {
    let t = tms_of(&tms)?;
    let num = |s: &str| {
        s.trim_end_matches(".pbf")
            .trim_end_matches(".mvt")
            .parse::<u32>()
            .ok()
    };
    let (Some(z), Some(x), Some(y)) =
        (num(&z).and_then(|z| u8::try_from(z).ok()), num(&x), num(&y))
    else {
        return Err(ApiError::NotFound("tile numbers must be integers".into()));
    };
    if z > MAX_ZOOM || !t.contains(z, x, y) {
        return Err(ApiError::NotFound(format!(
            "tile {z}/{y}/{x} is outside {}",
            t.id()
        )));
    }
    if let Some(f) = p.get("f")
        && f != "mvt"
    {
        return Err(ApiError::bad_field(
            "f",
            Some(f),
            "tiles are MVT (f=mvt)",
            "瓦片格式为 MVT",
        ));
    }
    let mut q = params::parse(c, &p, false)?;
    q.bbox = None;
    let scope = if c.is_public() {
        String::new()
    } else {
        format!("{:?}", guard.principal().scope)
    };
    let key = TileKey {
        coll: c,
        tms: t,
        zxy: (z, x, y),
        variant: format!("{}|{scope}", q.filter_key),
    };
    let st: AppState = guard.state().clone();
    // A warm tile is answered here: the generation is one indexed read of the store (a few
    // microseconds), and an unchanged generation means the cached bytes are current.
    let hit = st
        .tiles
        .get_current(&key, st.registry().store().generation_recent());
    let cached = match hit {
        Some(hit) => hit,
        None => {
            guard
                .run(move |k| {
                    let cache = &st.tiles;
                    let generation = cache.sync(k.store());
                    if let Some(hit) = cache.get(&key) {
                        return Ok(hit);
                    }
                    let tile = TileId { tms: t, z, x, y };
                    let bytes = render(c, tile, &q, k)?;
                    let entry = Arc::new(CachedTile::new(bytes, tile_area(tile)));
                    cache.put(key, Arc::clone(&entry), generation);
                    Ok(entry)
                })
                .await?
        }
    };
    // The gzipped bytes when the client takes them (browsers always do): compressed once
    // when the tile was rendered, so a warm answer still copies and computes nothing.
    let gz = !cached.gzip.is_empty() && super::tile_cache::accepts_gzip(&h);
    let (bytes, etag) = if gz {
        (&cached.gzip, &cached.etag_gzip)
    } else {
        (&cached.bytes, &cached.etag)
    };
    let fresh = h
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            // Weak comparison (RFC 9110 §13.1.2), against the representation selected.
            v.split(',')
                .any(|e| e.trim() == "*" || e.trim().trim_start_matches("W/") == etag)
        });
    let status = if fresh {
        StatusCode::NOT_MODIFIED
    } else if bytes.is_empty() {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::OK
    };
    let body = if status == StatusCode::OK {
        bytes.clone()
    } else {
        axum::body::Bytes::new()
    };
    let mut resp = (status, body).into_response();
    let hd = resp.headers_mut();
    hd.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.mapbox-vector-tile"),
    );
    if gz {
        hd.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if let Ok(v) = HeaderValue::from_str(etag) {
        hd.insert(header::ETAG, v);
    }
    hd.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if c.is_public() {
            "public, no-cache"
        } else {
            "private, no-cache"
        }),
    );
    hd.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Cookie, Authorization"),
    );
    Ok(resp)
}
