//! The query parameters of `/items` and tiles: `bbox`, `bbox-crs`, `datetime`, `limit`,
//! `offset`, `crs`, `filter`, `filter-lang`, `filter-crs`, and `property=value` for every
//! queryable of the collection. Any other parameter is a 400 (Part 1, /req/core/query-param-unknown).

use super::Coll;
use super::cql::{self, Lang};
use super::crs;
use crate::error::ApiError;
use crate::extract::Params;
use jiff::civil::Date;
use landcycle_geo::Crs;
use landcycle_store::filter::{CmpOp, Filter, Interval, Operand, Queryable, TemporalOp, TimeEnd};

/// What `datetime` asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// Now (live parcels).
    Now,
    /// As they were on a day.
    On(Date),
    /// Every version valid at some time in the interval (ends open when `None`).
    During(Option<Date>, Option<Date>),
}

/// A parsed items/tiles request.
#[derive(Debug, Clone)]
pub struct ItemsQuery {
    /// In storage lon/lat.
    pub bbox: Option<[f64; 4]>,
    /// Time.
    pub when: When,
    /// Filters (the CQL2 filter and property equalities), all of which must hold.
    pub filter: Option<Filter>,
    /// The filter as given, for cache keys and links.
    pub filter_key: String,
    /// Page size.
    pub limit: u32,
    /// Offset.
    pub offset: u64,
    /// Output CRS.
    pub crs: Crs,
}

const COMMON: &[&str] = &[
    "f",
    "bbox",
    "bbox-crs",
    "datetime",
    "limit",
    "offset",
    "crs",
    "filter",
    "filter-lang",
    "filter-crs",
];

fn date(field: &str, s: &str) -> Result<Option<Date>, ApiError> {
    let s = s.trim();
    if s == ".." || s.is_empty() {
        return Ok(None);
    }
    s.get(..10)
        .unwrap_or(s)
        .parse::<Date>()
        .map(Some)
        .map_err(|_| {
            ApiError::bad_field(
                field,
                Some(s),
                "a date (YYYY-MM-DD or RFC 3339), or an interval a/b with .. for an open end",
                "应为日期（YYYY-MM-DD）或区间 a/b（开放端用 ..）",
            )
        })
}

/// Parses `datetime`.
pub fn when(v: Option<&str>) -> Result<When, ApiError> {
    let Some(v) = v else { return Ok(When::Now) };
    match v.split_once('/') {
        None => Ok(When::On(date("datetime", v)?.ok_or_else(|| {
            ApiError::bad_field("datetime", Some(v), "give a date", "请给出日期")
        })?)),
        Some((a, b)) => {
            let (a, b) = (date("datetime", a)?, date("datetime", b)?);
            if let (Some(a), Some(b)) = (a, b)
                && a > b
            {
                return Err(ApiError::bad_field(
                    "datetime",
                    Some(v),
                    "the interval ends before it starts",
                    "区间终点早于起点",
                ));
            }
            Ok(When::During(a, b))
        }
    }
}

fn bbox(p: &Params) -> Result<Option<[f64; 4]>, ApiError> {
    let Some(v) = p.get("bbox") else {
        return Ok(None);
    };
    let n: Vec<f64> = v
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bbox_error(v))?;
    // A 3-D box (6 numbers) is accepted; the heights are ignored (parcels are 2-D).
    let b: [f64; 4] = match n[..] {
        [a, b, c, d] => [a, b, c, d],
        [a, b, _, d, e, _] => [a, b, d, e],
        _ => return Err(bbox_error(v)),
    };
    if b.iter().any(|x| !x.is_finite()) {
        return Err(bbox_error(v));
    }
    let bcrs = match p.get("bbox-crs") {
        Some(c) => crs::parse("bbox-crs", c)?,
        None => Crs::Crs84,
    };
    crs::bbox_to_storage(b, bcrs).map(Some)
}

fn bbox_error(v: &str) -> ApiError {
    ApiError::bad_field(
        "bbox",
        Some(v),
        "four numbers: lower corner, upper corner (CRS84 lon,lat unless bbox-crs says otherwise)",
        "应为四个数：左下角、右上角（默认 CRS84 经度,纬度）",
    )
}

/// Parses an items or tiles request for collection `c`.
pub fn parse(c: Coll, p: &Params, paging: bool) -> Result<ItemsQuery, ApiError> {
    let allowed = c.queryables();
    let known: Vec<&str> = COMMON
        .iter()
        .copied()
        .chain(allowed.iter().map(|q| q.name()))
        .collect();
    p.only(&known)?;
    let mut parts = Vec::new();
    let mut key = Vec::new();
    if let Some(f) = p.0.get("filter").map(String::as_str) {
        if f.trim().is_empty() {
            return Err(ApiError::bad_field(
                "filter",
                Some(f),
                "the filter is empty; leave the parameter out to match everything",
                "过滤表达式为空",
            ));
        }
        let lang = match p.get("filter-lang") {
            None | Some("cql2-text") => Lang::Text,
            Some("cql2-json") => Lang::Json,
            Some(other) => {
                return Err(ApiError::bad_field(
                    "filter-lang",
                    Some(other),
                    "cql2-text or cql2-json",
                    "应为 cql2-text 或 cql2-json",
                ));
            }
        };
        let fcrs = match p.get("filter-crs") {
            Some(v) => crs::parse("filter-crs", v)?,
            None => Crs::Crs84,
        };
        parts.push(cql::parse(f, lang, &allowed, fcrs)?);
        key.push(format!("{:?}", parts.last()));
    }
    for q in &allowed {
        if let Some(v) = p.get(q.name()) {
            let lit = match q.kind() {
                landcycle_store::filter::ValueKind::Text => Operand::Text(v.to_owned()),
                landcycle_store::filter::ValueKind::Date => {
                    Operand::Date(date(q.name(), v)?.ok_or_else(|| {
                        ApiError::bad_field(q.name(), Some(v), "a date", "应为日期")
                    })?)
                }
                _ => Operand::Number(
                    v.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .ok_or_else(|| {
                            ApiError::bad_field(q.name(), Some(v), "a number", "应为数值")
                        })?,
                ),
            };
            parts.push(Filter::Compare(CmpOp::Eq, Operand::Prop(*q), lit));
            key.push(format!("{}={v}", q.name()));
        }
    }
    let when = when(p.get("datetime"))?;
    if let When::During(a, b) = &when {
        // Versions whose validity [valid_from, valid_to) meets the interval.
        parts.push(Filter::Temporal(
            TemporalOp::Intersects,
            Interval {
                start: Some(TimeEnd::Prop(Queryable::ValidFrom)),
                end: Some(TimeEnd::Prop(Queryable::ValidTo)),
            },
            Interval {
                start: a.map(TimeEnd::Date),
                end: b.map(TimeEnd::Date),
            },
        ));
    }
    let filter = match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Filter::And(parts)),
    };
    let (limit, offset) = if paging {
        (
            u32::try_from(p.int("limit", 1, 10_000)?.unwrap_or(100)).unwrap_or(100),
            p.int("offset", 0, u64::MAX >> 1)?.unwrap_or(0),
        )
    } else {
        (0, 0)
    };
    Ok(ItemsQuery {
        bbox: bbox(p)?,
        when,
        filter,
        filter_key: key.join("&"),
        limit,
        offset,
        crs: match p.get("crs") {
            Some(v) => crs::parse("crs", v)?,
            None => Crs::Crs84,
        },
    })
}
