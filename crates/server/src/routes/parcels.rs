//! Parcels (宗地): list, read (also as of a date), create, replace; history and lineage in
//! [`super::parcel_history`].

use super::{parcel_id, write_meta};
use crate::AppState;
use crate::auth::Guard;
use crate::dto::{Link, ParcelCollection, ParcelFeature, ParcelIn};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use landcycle_domain::access::Action;
use landcycle_domain::{LandUseSystem, ParcelLifecycle, ParkId, Uscc};
use landcycle_store::ParcelQuery;
use serde::Serialize;

const LIST_PARAMS: &[&str] = &[
    "bbox",
    "park",
    "status",
    "land_use",
    "land_use_system",
    "enterprise",
    "q",
    "as_of",
    "limit",
    "offset",
    "f",
];

fn parse_bbox(v: &str) -> Option<[f64; 4]> {
    let n: Vec<f64> = v
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()?;
    let b: [f64; 4] = n.try_into().ok()?;
    let ok = b.iter().all(|x| x.is_finite())
        && b[0] <= b[2]
        && b[1] <= b[3]
        && b[0] >= -180.0
        && b[2] <= 180.0
        && b[1] >= -90.0
        && b[3] <= 90.0;
    ok.then_some(b)
}

fn query_from(p: &Params) -> ApiResult<ParcelQuery> {
    let allowed: Vec<&str> = LIST_PARAMS
        .iter()
        .chain(super::parcels_export::EXPORT_PARAMS)
        .copied()
        .collect();
    p.only(&allowed)?;
    if let Some(f) = p.0.get("f")
        && f != "json"
        && f != "geojson"
    {
        return Err(ApiError::bad_field(
            "f",
            Some(f),
            "supported formats: json, geojson",
            "支持的格式：json、geojson",
        ));
    }
    let bbox = p.parse(
        "bbox",
        "minLon,minLat,maxLon,maxLat in CGCS2000 degrees",
        "“最小经度,最小纬度,最大经度,最大纬度”（CGCS2000 度）",
        parse_bbox,
    )?;
    let park = p.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let mut status = Vec::new();
    if let Some(v) = p.0.get("status") {
        for s in v.split(',') {
            status.push(
                ParcelLifecycle::parse(s.trim())
                    .map_err(|e| ApiError::BadRequest(e.to_string(), e.field_errors().to_vec()))?,
            );
        }
    }
    let system = p.parse(
        "land_use_system",
        "territorial, gbt21010, sandiao, gb50137 or local",
        "用地分类体系",
        |v| LandUseSystem::parse(v).ok(),
    )?;
    let land_use = match (p.get("land_use"), system) {
        (Some(code), s) => Some((s, code.to_ascii_uppercase())),
        (None, Some(_)) => {
            return Err(ApiError::bad_field(
                "land_use_system",
                None,
                "give land_use too",
                "请同时给出 land_use",
            ));
        }
        (None, None) => None,
    };
    let enterprise = match p.get("enterprise") {
        Some(v) => Some(Uscc::parse(v).map_err(|e| {
            ApiError::BadRequest(
                e.to_string(),
                e.field_errors()
                    .iter()
                    .map(|f| landcycle_domain::FieldError {
                        field: "enterprise".into(),
                        ..f.clone()
                    })
                    .collect(),
            )
        })?),
        None => None,
    };
    Ok(ParcelQuery {
        bbox,
        park,
        status,
        land_use,
        enterprise,
        jurisdiction: None,
        q: p.get("q").map(str::to_owned),
        as_of: p.date("as_of")?,
        limit: u32::try_from(p.int("limit", 1, 10_000)?.unwrap_or(100)).unwrap_or(100),
        offset: p.int("offset", 0, u64::MAX >> 1)?.unwrap_or(0),
        ..ParcelQuery::default()
    })
}

fn page_link(p: &Params, offset: u64, rel: &str) -> Link {
    let mut q: Vec<(String, String)> =
        p.0.iter()
            .filter(|(k, _)| k.as_str() != "offset")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
    q.push(("offset".into(), offset.to_string()));
    let qs: Vec<String> = q
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    Link {
        href: format!("/api/parcels?{}", qs.join("&")),
        rel: rel.into(),
        type_: "application/geo+json".into(),
    }
}

/// Percent-encodes a query-string key or value (commas kept: bbox lists read better).
pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~,".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// List parcels as GeoJSON, filtered and paged. With `as_of`, the parcels as they were on that
/// date (from the history). With `format=xlsx|csv|gpkg|shp|fgb`, the whole filtered list
/// (at most 100,000 parcels; `limit`/`offset` do not apply) as a file to download: Excel and CSV
/// with Chinese headers and units (`lang=en` for English), GIS formats in `crs` (EPSG:4490 by
/// default), a Shapefile as a zip of its parts with `.prj` and `.cpg` (`encoding=GBK` on request).
#[utoipa::path(get, path = "/api/parcels", tag = "parcels",
    params(
        ("bbox" = Option<String>, Query, description = "minLon,minLat,maxLon,maxLat (CGCS2000)", pattern = "^-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?$"),
        ("park" = Option<String>, Query, description = "Park id", pattern = "^[a-z0-9-]{1,40}$"),
        ("status" = Option<String>, Query, description = "Lifecycle statuses, comma-separated", pattern = "^(approved_unsupplied|reserved|listed|granted|delivered|started|completed|conformity_checked|in_production|capacity_reviewed|operating|near_expiry|renewed|recovered|transferred)(,(approved_unsupplied|reserved|listed|granted|delivered|started|completed|conformity_checked|in_production|capacity_reviewed|operating|near_expiry|renewed|recovered|transferred))*$"),
        ("land_use" = Option<String>, Query, description = "Land-use code prefix, e.g. 1001"),
        ("land_use_system" = Option<String>, Query, description = "Restrict land_use to one system (needs land_use)", pattern = "^(territorial|gbt21010|sandiao|gb50137|local)$"),
        ("enterprise" = Option<String>, Query, description = "Land user's 统一社会信用代码"),
        ("q" = Option<String>, Query, description = "Text in 宗地代码, legacy codes, name or address"),
        ("as_of" = Option<jiff::civil::Date>, Query, description = "Date YYYY-MM-DD: read the history"),
        ("limit" = Option<u32>, Query, description = "Page size 1–10000 (default 100)", minimum = 1, maximum = 10000),
        ("offset" = Option<u64>, Query, description = "Rows to skip", maximum = 9_223_372_036_854_775_807_u64),
        ("f" = Option<String>, Query, description = "json or geojson", pattern = "^(json|geojson)$"),
        ("format" = Option<String>, Query, description = "Download the whole filtered list as a file", pattern = "^(json|xlsx|csv|gpkg|shp|fgb)$"),
        ("crs" = Option<String>, Query, description = "Output CRS of a download, e.g. EPSG:4547 (default EPSG:4490)", pattern = "^EPSG:[0-9]{4,5}$"),
        ("lang" = Option<String>, Query, description = "Header language of a download", pattern = "^(zh|en)$"),
        ("encoding" = Option<String>, Query, description = "Text encoding of a Shapefile or CSV download", pattern = "^(UTF-8|GBK)$"),
    ),
    responses((status = 200, description = "A page of parcels, or with `format` the file", content(
            (ParcelCollection = "application/geo+json"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv; charset=utf-8"),
            (Vec<u8> = "application/geopackage+sqlite3"),
            (Vec<u8> = "application/zip"),
            (Vec<u8> = "application/flatgeobuf"))),
        (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn list(State(st): State<AppState>, guard: Guard, params: Params) -> ApiResult<Response> {
    let q = query_from(&params)?;
    if let Some(opts) = super::parcels_export::wanted(&params)? {
        return super::parcels_export::download(guard, q, opts, &params).await;
    }
    let page = {
        let mut q = q.clone();
        guard
            .run(move |c| {
                c.scope_parcels(&mut q)?;
                Ok(c.store().parcels(&q)?)
            })
            .await?
    };
    let tol = st.registry().area_tolerance();
    let mut links = Vec::new();
    let returned = page.items.len();
    if q.offset + (returned as u64) < page.total {
        links.push(page_link(&params, q.offset + returned as u64, "next"));
    }
    if q.offset > 0 {
        links.push(page_link(
            &params,
            q.offset.saturating_sub(u64::from(q.limit)),
            "prev",
        ));
    }
    let body = ParcelCollection {
        type_: "FeatureCollection",
        number_matched: page.total,
        number_returned: returned,
        features: page
            .items
            .iter()
            .map(|p| ParcelFeature::new(p, tol))
            .collect(),
        links,
    };
    Ok(geojson(StatusCode::OK, &body, None))
}

pub(crate) fn etag(version: u32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).unwrap_or(HeaderValue::from_static("\"v0\""))
}

pub(crate) fn geojson<T: Serialize>(status: StatusCode, body: &T, tag: Option<u32>) -> Response {
    let mut resp = (status, Json(body)).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    if let Some(v) = tag {
        resp.headers_mut().insert(header::ETAG, etag(v));
    }
    resp
}

/// Reads `If-Match: "vN"` as the expected version.
pub(crate) fn if_match(headers: &HeaderMap) -> ApiResult<Option<u32>> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let s = v
        .to_str()
        .unwrap_or("")
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"');
    s.strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::bad_field(
                "If-Match",
                Some(s),
                "expected an ETag \"vN\" from a previous read",
                "应为此前读取得到的 ETag（\"vN\"）",
            )
        })
}

/// One parcel, now or as of a date. The ETag is its version.
#[utoipa::path(get, path = "/api/parcels/{id}", tag = "parcels",
    params(("id" = uuid::Uuid, Path, description = "Parcel id (UUID)"), ("as_of" = Option<jiff::civil::Date>, Query, description = "Date YYYY-MM-DD")),
    responses((status = 200, body = ParcelFeature, content_type = "application/geo+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn one(
    State(st): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Response> {
    params.only(&["as_of"])?;
    let id = parcel_id(&id)?;
    let as_of = params.date("as_of")?;
    let p = st
        .run(move |r| {
            r.store().parcel(id, as_of)?.ok_or_else(|| {
                ApiError::NotFound(match as_of {
                    Some(d) => format!("parcel {id} did not exist on {d}"),
                    None => format!("parcel {id} not found (or ended; read it with as_of)"),
                })
            })
        })
        .await?;
    Ok(geojson(
        StatusCode::OK,
        &ParcelFeature::new(&p, st.registry().area_tolerance()),
        Some(p.version),
    ))
}

/// Create a parcel from a GeoJSON Feature (CGCS2000 lon/lat). Its area is computed in the
/// Gauss–Krüger zone; every invalid field is reported at once.
#[utoipa::path(post, path = "/api/parcels", tag = "parcels", request_body(content = ParcelIn, content_type = "application/geo+json"),
    responses((status = 201, body = ParcelFeature, content_type = "application/geo+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(st): State<AppState>,
    guard: Guard,
    JsonBody(body): JsonBody<ParcelIn>,
) -> ApiResult<Response> {
    let meta = write_meta(&guard, body.change.clone())?;
    let draft = body.into_draft("")?;
    let p = guard
        .run(move |c| {
            c.draft(Action::WriteRegistry, &draft)?;
            Ok(c.registry().create_parcel(draft, &meta, None)?)
        })
        .await?;
    let mut resp = geojson(
        StatusCode::CREATED,
        &ParcelFeature::new(&p, st.registry().area_tolerance()),
        Some(p.version),
    );
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/parcels/{}", p.id)) {
        resp.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(resp)
}

/// Replace a parcel's attributes and geometry (a new version). Send `If-Match` with the ETag you
/// read to be refused (412) if someone changed it since.
#[utoipa::path(put, path = "/api/parcels/{id}", tag = "parcels", params(("id" = uuid::Uuid, Path, description = "Parcel id")),
    request_body(content = ParcelIn, content_type = "application/geo+json"),
    responses((status = 200, body = ParcelFeature, content_type = "application/geo+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn replace(
    State(st): State<AppState>,
    Path(id): Path<String>,
    guard: Guard,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ParcelIn>,
) -> ApiResult<Response> {
    let id = parcel_id(&id)?;
    let expected = if_match(&headers)?;
    let meta = write_meta(&guard, body.change.clone())?;
    let draft = body.into_draft("")?;
    let p = guard
        .run(move |c| {
            c.draft(Action::WriteRegistry, &draft)?;
            let r = c.registry();
            if let Some(v) = expected {
                let cur = r
                    .store()
                    .parcel(id, None)?
                    .ok_or_else(|| ApiError::NotFound(format!("parcel {id} not found")))?;
                if cur.version != v {
                    return Err(ApiError::PreconditionFailed(format!(
                        "parcel {id} is now at version {}, not {v}",
                        cur.version
                    )));
                }
            }
            Ok(r.update_parcel(id, expected, draft, &meta)?)
        })
        .await?;
    Ok(geojson(
        StatusCode::OK,
        &ParcelFeature::new(&p, st.registry().area_tolerance()),
        Some(p.version),
    ))
}

pub(crate) use super::parcel_history::{EventOut, TimelineOut};
