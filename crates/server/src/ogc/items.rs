//! `/collections/{c}/items` and `/items/{id}` (Part 1 core, Part 2 CRS, Part 3 filtering).
//!
//! `numberMatched`: exact whenever at most [`COUNT_CAP`] features match (counting stops there,
//! so its cost is bounded); above that it is the store's estimate (candidates in the bbox times
//! the share of matches in a sample of 20 000 of them) and the response says so with
//! `"numberMatchedIsEstimate": true`.

use super::crs::Output;
use super::params::{self, When};
use super::{Coll, Fmt, features, html, link, negotiate, origin};
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use crate::routes::parcels::enc;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use landcycle_store::ParcelQuery;
use landcycle_store::filter::Count;
use serde_json::{Value, json};

/// Above this many matches `numberMatched` is an estimate.
pub const COUNT_CAP: u64 = 50_000;

fn query_string(p: &Params, offset: Option<u64>) -> String {
    let mut pairs: Vec<(String, String)> =
        p.0.iter()
            .filter(|(k, _)| k.as_str() != "offset" && k.as_str() != "f")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
    if let Some(o) = offset {
        pairs.push(("offset".into(), o.to_string()));
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn with_qs(base: &str, qs: &str, f: &str) -> String {
    if qs.is_empty() {
        format!("{base}?f={f}")
    } else {
        format!("{base}?{qs}&f={f}")
    }
}

/// Adds the `Content-Crs` header (Part 2).
pub(crate) fn content_crs(resp: &mut Response, out: &Output) {
    if let Ok(v) = HeaderValue::from_str(&format!("<{}>", out.crs().ogc_uri())) {
        resp.headers_mut().insert("content-crs", v);
    }
}

/// The store query of an items request on a parcel collection.
pub(crate) fn store_query(c: Coll, q: &params::ItemsQuery) -> ParcelQuery {
    let mut sq = c.base_query();
    sq.bbox = q.bbox;
    sq.filter = q.filter.clone();
    match q.when {
        When::Now => {}
        When::On(d) => sq.as_of = Some(d),
        When::During(..) => sq.all_versions = true,
    }
    sq
}

/// The features of one items page.
enum Feats {
    /// Parks, as built.
    Values(Vec<Value>),
    /// Parcels of a collection with their geometries in the output CRS.
    Parcels(
        Coll,
        Vec<landcycle_domain::Parcel>,
        Vec<geo_types::Geometry<f64>>,
    ),
}

impl Feats {
    fn len(&self) -> usize {
        match self {
            Self::Values(v) => v.len(),
            Self::Parcels(_, p, _) => p.len(),
        }
    }
}

impl serde::Serialize for Feats {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            Self::Values(v) => v.serialize(s),
            Self::Parcels(c, items, geoms) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for (p, g) in items.iter().zip(geoms) {
                    seq.serialize_element(&features::parcel_feature_of(*c, p, g))?;
                }
                seq.end()
            }
        }
    }
}

/// An items response (members in the order the `Value` version had).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FeatureCollection<'a> {
    r#type: &'static str,
    time_stamp: String,
    number_matched: u64,
    number_returned: u64,
    features: &'a Feats,
    links: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number_matched_is_estimate: Option<bool>,
}

/// Features of a collection.
pub async fn list(c: Coll, guard: Guard, h: HeaderMap, p: Params) -> ApiResult<Response> {
    let fmt = negotiate(p.get("f"), &h)?;
    let q = params::parse(c, &p, true)?;
    if !c.is_temporal() && q.when != When::Now {
        return Err(ApiError::bad_field(
            "datetime",
            p.get("datetime"),
            "this collection has no history",
            "此集合无历史数据",
        ));
    }
    let out = Output::new(q.crs)?;
    let (feats, matched) = match c {
        Coll::Parks => {
            let (f, n) = parks(&guard, &q, &out).await?;
            (Feats::Values(f), n)
        }
        _ => {
            let mut sq = store_query(c, &q);
            sq.limit = q.limit;
            sq.offset = q.offset;
            sq.skip_total = true;
            let crs = q.crs;
            let (items, geoms, count) = guard
                .run(move |k| {
                    let out = Output::new(crs)?;
                    if c == Coll::Parcels {
                        k.scope_parcels(&mut sq)?;
                    }
                    // The page and its count in one pass over the matches.
                    let (items, count) = k.store().counted_parcels(&sq, COUNT_CAP)?;
                    let geoms = items
                        .iter()
                        .map(|x| features::parcel_geometry(x, &out))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok((items, geoms, count))
                })
                .await?;
            (Feats::Parcels(c, items, geoms), count)
        }
    };
    let base = format!("{}/ogc/collections/{}/items", origin(&h), c.id());
    let qs = query_string(&p, Some(q.offset));
    let returned = feats.len() as u64;
    let mut links = vec![
        link(
            with_qs(&base, &qs, "json"),
            "self",
            "application/geo+json",
            "this page",
        ),
        link(
            with_qs(&base, &qs, "html"),
            "alternate",
            "text/html",
            "this page as HTML",
        ),
        link(
            format!("{}/ogc/collections/{}", origin(&h), c.id()),
            "collection",
            "application/json",
            c.title(),
        ),
    ];
    let more = match matched {
        Count::Exact(n) => q.offset + returned < n,
        Count::Estimate(_) => returned == u64::from(q.limit),
    };
    if more && returned > 0 {
        let qs = query_string(&p, Some(q.offset + returned));
        links.push(link(
            with_qs(&base, &qs, "json"),
            "next",
            "application/geo+json",
            "next page",
        ));
    }
    if q.offset > 0 {
        let prev = q.offset.saturating_sub(u64::from(q.limit.max(1)));
        let qs = query_string(&p, Some(prev));
        links.push(link(
            with_qs(&base, &qs, "json"),
            "prev",
            "application/geo+json",
            "previous page",
        ));
    }
    let body = FeatureCollection {
        r#type: "FeatureCollection",
        time_stamp: jiff::Timestamp::now().to_string(),
        number_matched: matched.value(),
        number_returned: returned,
        features: &feats,
        links,
        number_matched_is_estimate: matches!(matched, Count::Estimate(_)).then_some(true),
    };
    let mut resp = match fmt {
        // Written straight to text: no `Value` tree of the page is built.
        Fmt::Json => {
            let bytes = serde_json::to_vec(&body)
                .map_err(|e| ApiError::Internal(format!("items of {}: {e}", c.id())))?;
            super::json_bytes_response(bytes, "application/geo+json")
        }
        Fmt::Html => {
            let v = serde_json::to_value(&body)
                .map_err(|e| ApiError::Internal(format!("items of {}: {e}", c.id())))?;
            html::items_page(c, &v)
        }
    };
    content_crs(&mut resp, &out);
    Ok(resp)
}

async fn parks(
    guard: &Guard,
    q: &params::ItemsQuery,
    out: &Output,
) -> ApiResult<(Vec<Value>, Count)> {
    let all = guard.run(|k| Ok(k.store().parks()?)).await?;
    let bbox = q.bbox;
    let matching: Vec<_> = all
        .iter()
        .filter(|p| match (bbox, &p.boundary) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some([x0, y0, x1, y1]), Some(g)) => {
                use geo::Intersects;
                g.intersects(&geo_types::Rect::new(
                    geo_types::coord! { x: x0, y: y0 },
                    geo_types::coord! { x: x1, y: y1 },
                ))
            }
        })
        .collect();
    let n = matching.len() as u64;
    let feats = matching
        .into_iter()
        .skip(usize::try_from(q.offset).unwrap_or(usize::MAX))
        .take(q.limit as usize)
        .map(|p| features::park_feature(p, out))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((feats, Count::Exact(n)))
}

/// One feature. Parcels carry their version as the ETag (Part 4's optimistic locking).
pub async fn one(
    c: Coll,
    guard: Guard,
    h: HeaderMap,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Response> {
    p.only(&["f", "crs", "datetime"])?;
    let fmt = negotiate(p.get("f"), &h)?;
    let out = Output::new(match p.get("crs") {
        Some(v) => super::crs::parse("crs", v)?,
        None => landcycle_geo::Crs::Crs84,
    })?;
    let as_of = match params::when(p.get("datetime"))? {
        When::Now => None,
        When::On(d) if c.is_temporal() => Some(d),
        _ => {
            return Err(ApiError::bad_field(
                "datetime",
                p.get("datetime"),
                "a single date (the feature as it was that day)",
                "应为单一日期",
            ));
        }
    };
    let (feature, version) = match c {
        Coll::Parks => {
            let park_id = landcycle_domain::ParkId::parse(&id)
                .map_err(|_| ApiError::NotFound(format!("park {id} not found")))?;
            let park = guard
                .run(move |k| Ok(k.store().park(&park_id)?))
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("park {id} not found")))?;
            (features::park_feature(&park, &out)?, None)
        }
        _ => {
            let pid = crate::routes::parcel_id(&id)?;
            let parcel = guard
                .run(move |k| Ok(k.store().parcel(pid, as_of)?))
                .await?
                .filter(|x| {
                    c != Coll::AvailableLand || super::collections::AVAILABLE.contains(&x.status)
                })
                .ok_or_else(|| {
                    ApiError::NotFound(format!("feature {id} not found in {}", c.id()))
                })?;
            (
                features::parcel_feature(c, &parcel, &out)?,
                Some(parcel.version),
            )
        }
    };
    let mut feature = feature;
    feature["links"] = json!([
        link(
            format!("{}/ogc/collections/{}/items/{id}", origin(&h), c.id()),
            "self",
            "application/geo+json",
            "this feature"
        ),
        link(
            format!("{}/ogc/collections/{}", origin(&h), c.id()),
            "collection",
            "application/json",
            c.title()
        ),
    ]);
    let mut resp = match fmt {
        Fmt::Json => super::json_response(&feature, "application/geo+json"),
        Fmt::Html => html::feature_page(c, &feature),
    };
    if let Some(v) = version {
        resp.headers_mut()
            .insert(header::ETAG, crate::routes::parcels::etag(v));
    }
    content_crs(&mut resp, &out);
    Ok(resp)
}
