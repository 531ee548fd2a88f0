//! OGC API – Features Part 4 on `parcels`: create (POST), replace (PUT), update (PATCH, a
//! merge of the given properties and geometry), delete (DELETE ends the parcel: 注销, its
//! history kept). Every change goes through the registry — the same validation, area
//! computation and history as the REST API — as the signed-in user, within their scope.
//! `If-Match` with the ETag of a read makes the write conditional: a stale one gets 412.
//!
//! The body is a GeoJSON Feature in CRS84 unless a `Content-Crs` header names another offered
//! CRS (then in that CRS's axis order). The reason recorded in the history is the
//! `X-Change-Reason` header (percent-encoded UTF-8), or a default naming the OGC API, since
//! desktop GIS clients cannot send one.

use super::crs::{self as ogc_crs, Output, STORAGE};
use super::{Coll, features, origin};
use crate::AppState;
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult};
use crate::routes::parcels::{etag, if_match};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use geo::MapCoords;
use landcycle_domain::access::Action;
use landcycle_domain::{FieldError, LandUse, LandUseSystem, ParcelDraft, ParcelLifecycle};
use landcycle_geo::{Crs, Transformer};
use landcycle_store::WriteMeta;
use serde_json::{Map, Value};

fn invalid(field: &str, en: &str, zh: &str) -> ApiError {
    ApiError::Invalid(vec![FieldError::new(field, None, en, zh)])
}

fn meta(guard: &Guard, h: &HeaderMap, what: &str) -> WriteMeta {
    let reason = h
        .get("x-change-reason")
        .and_then(|v| v.to_str().ok())
        .map(percent_decode)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("通过 OGC API 编辑（{what}）"));
    WriteMeta::new(guard.principal().user.clone(), reason)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parsed body: properties and geometry in storage lon/lat.
struct FeatureIn {
    props: Map<String, Value>,
    geometry: Option<geo_types::MultiPolygon<f64>>,
}

fn body_crs(h: &HeaderMap) -> ApiResult<Crs> {
    match h.get("content-crs").and_then(|v| v.to_str().ok()) {
        Some(v) => ogc_crs::parse(
            "Content-Crs",
            v.trim().trim_start_matches('<').trim_end_matches('>'),
        ),
        None => Ok(Crs::Crs84),
    }
}

fn parse_feature(h: &HeaderMap, bytes: &[u8]) -> ApiResult<FeatureIn> {
    let v: Value = crate::extract::parse_json(bytes)?;
    if v.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(invalid(
            "type",
            "the body must be a GeoJSON Feature",
            "请求体须为 GeoJSON Feature",
        ));
    }
    let props = match v.get("properties") {
        Some(Value::Object(m)) => m.clone(),
        None | Some(Value::Null) => Map::new(),
        Some(_) => {
            return Err(invalid(
                "properties",
                "must be an object",
                "properties 须为对象",
            ));
        }
    };
    let geometry = match v.get("geometry") {
        None | Some(Value::Null) => None,
        Some(g) => {
            let crs = body_crs(h)?;
            let g = landcycle_geo::geometry_from_geojson(g)
                .map_err(|e| invalid("geometry", &e.to_string(), "几何无法解析"))?;
            let g = if crs.northing_first() {
                g.map_coords(|c| geo_types::coord! { x: c.y, y: c.x })
            } else {
                g
            };
            let g = if crs.is_geographic() {
                g
            } else {
                Transformer::new(&crs, &STORAGE)
                    .and_then(|t| t.geometry(&g))
                    .map_err(|e| invalid("geometry", &e.to_string(), "几何坐标转换失败"))?
            };
            Some(
                landcycle_geo::to_multipolygon(g)
                    .map_err(|e| invalid("geometry", &e.to_string(), "宗地几何须为面"))?,
            )
        }
    };
    Ok(FeatureIn { props, geometry })
}

fn text(props: &Map<String, Value>, k: &str) -> ApiResult<Option<Option<String>>> {
    match props.get(k) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
        Some(Value::Number(n)) => Ok(Some(Some(n.to_string()))),
        Some(_) => Err(invalid(k, "must be text", "须为文本")),
    }
}

/// Applies the writable properties of `f` onto `d`; read-only ones (id, version, areas …) sent
/// back by a GIS client are ignored.
fn apply(d: &mut ParcelDraft, f: FeatureIn) -> ApiResult<()> {
    let p = &f.props;
    if let Some(v) = text(p, "code")? {
        d.code = v;
    }
    if let Some(v) = text(p, "name")? {
        d.name = v.unwrap_or_default();
    }
    if let Some(v) = text(p, "address")? {
        d.address = v;
    }
    if let Some(v) = text(p, "jurisdiction")? {
        d.jurisdiction = v.unwrap_or_default();
    }
    if let Some(v) = text(p, "park_id")? {
        d.park_id = v;
    }
    if let Some(v) = text(p, "enterprise")? {
        d.enterprise = v;
    }
    if let Some(v) = text(p, "status")? {
        d.status = ParcelLifecycle::parse(v.as_deref().unwrap_or(""))
            .map_err(|e| ApiError::Invalid(e.field_errors().to_vec()))?;
    }
    let system = match text(p, "land_use_system")? {
        Some(Some(s)) => {
            LandUseSystem::parse(&s).map_err(|e| ApiError::Invalid(e.field_errors().to_vec()))?
        }
        _ => d.land_use.system,
    };
    if let Some(code) = text(p, "land_use_code")? {
        d.land_use = LandUse::new(system, code.as_deref().unwrap_or(""))
            .map_err(|e| ApiError::Invalid(e.field_errors().to_vec()))?;
    }
    if let Some(v) = p.get("registered_area_m2") {
        d.registered_area_m2 = match v {
            Value::Null => None,
            Value::Number(n) => Some(
                n.to_string()
                    .parse()
                    .map_err(|_| invalid("registered_area_m2", "a number", "须为数值"))?,
            ),
            Value::String(s) => Some(
                s.parse()
                    .map_err(|_| invalid("registered_area_m2", "a number", "须为数值"))?,
            ),
            _ => return Err(invalid("registered_area_m2", "a number", "须为数值")),
        };
    }
    if let Some(g) = f.geometry {
        d.geometry = g;
    }
    Ok(())
}

fn blank_draft() -> ParcelDraft {
    ParcelDraft {
        code: None,
        legacy_codes: Vec::new(),
        name: String::new(),
        address: None,
        jurisdiction: String::new(),
        park_id: None,
        land_use: LandUse::industrial_class1(),
        status: ParcelLifecycle::ApprovedUnsupplied,
        geometry: geo_types::MultiPolygon(Vec::new()),
        registered_area_m2: None,
        enterprise: None,
        planning: Default::default(),
    }
}

fn feature_response(
    st: &AppState,
    h: &HeaderMap,
    status: StatusCode,
    p: &landcycle_domain::Parcel,
) -> ApiResult<Response> {
    let _ = st;
    let body = features::parcel_feature(Coll::Parcels, p, &Output::new(Crs::Crs84)?)?;
    let mut resp = (status, axum::Json(body)).into_response();
    let hd = resp.headers_mut();
    hd.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    hd.insert(header::ETAG, etag(p.version));
    if let Ok(loc) = HeaderValue::from_str(&format!(
        "{}/ogc/collections/parcels/items/{}",
        origin(h),
        p.id
    )) {
        hd.insert(header::LOCATION, loc);
    }
    Ok(resp)
}

/// POST `/collections/parcels/items`.
pub async fn create(
    State(st): State<AppState>,
    guard: Guard,
    h: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let f = parse_feature(&h, &body)?;
    if f.geometry.is_none() {
        return Err(invalid(
            "geometry",
            "a parcel needs a geometry",
            "宗地须有几何",
        ));
    }
    let mut d = blank_draft();
    apply(&mut d, f)?;
    let m = meta(&guard, &h, "新增");
    let p = guard
        .run(move |c| {
            c.draft(Action::WriteRegistry, &d)?;
            Ok(c.registry().create_parcel(d, &m, None)?)
        })
        .await?;
    feature_response(&st, &h, StatusCode::CREATED, &p)
}

async fn write(
    st: AppState,
    guard: Guard,
    h: HeaderMap,
    id: String,
    body: Bytes,
    merge: bool,
) -> ApiResult<Response> {
    let id = crate::routes::parcel_id(&id)?;
    let expected = if_match(&h)?;
    let f = parse_feature(&h, &body)?;
    if !merge && f.geometry.is_none() {
        return Err(invalid(
            "geometry",
            "a replacement needs the geometry",
            "整体替换须包含几何",
        ));
    }
    let m = meta(&guard, &h, if merge { "修改" } else { "替换" });
    let p = guard
        .run(move |c| {
            let r = c.registry();
            let cur = r
                .store()
                .parcel(id, None)?
                .ok_or_else(|| ApiError::NotFound(format!("parcel {id} not found")))?;
            if let Some(v) = expected
                && cur.version != v
            {
                return Err(ApiError::PreconditionFailed(format!(
                    "parcel {id} is now at version {}, not {v}",
                    cur.version
                )));
            }
            let mut d = if merge { cur.to_draft() } else { blank_draft() };
            apply(&mut d, f)?;
            c.draft(Action::WriteRegistry, &d)?;
            Ok(r.update_parcel(id, Some(cur.version), d, &m)?)
        })
        .await?;
    feature_response(&st, &h, StatusCode::OK, &p)
}

/// PUT `/collections/parcels/items/{id}`.
pub async fn replace(
    State(st): State<AppState>,
    guard: Guard,
    h: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    write(st, guard, h, id, body, false).await
}

/// PATCH `/collections/parcels/items/{id}`.
pub async fn patch(
    State(st): State<AppState>,
    guard: Guard,
    h: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    write(st, guard, h, id, body, true).await
}

/// DELETE `/collections/parcels/items/{id}`: ends the parcel (注销); its versions stay.
pub async fn delete(guard: Guard, h: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let id = crate::routes::parcel_id(&id)?;
    let expected = if_match(&h)?;
    let m = meta(&guard, &h, "注销");
    guard
        .run(move |c| {
            let r = c.registry();
            let cur = r
                .store()
                .parcel(id, None)?
                .ok_or_else(|| ApiError::NotFound(format!("parcel {id} not found")))?;
            if let Some(v) = expected
                && cur.version != v
            {
                return Err(ApiError::PreconditionFailed(format!(
                    "parcel {id} is now at version {}, not {v}",
                    cur.version
                )));
            }
            Ok(r.end_parcel(id, Some(cur.version), &m)?)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
