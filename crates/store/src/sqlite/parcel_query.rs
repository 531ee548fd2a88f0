//! The parcel list query: filters built as SQL with bound parameters only.

use super::rows::{self, backend};
use crate::error::StoreResult;
use crate::model::{Page, ParcelQuery};
use landcycle_domain::Parcel;
use rusqlite::Connection;
use rusqlite::types::Value;

pub(super) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Builds the FROM/WHERE part of a parcel query and its parameters. Every value is a bound
/// parameter; only fixed identifiers are formatted into the SQL.
fn parcel_filter(q: &ParcelQuery) -> (String, Vec<Value>) {
    let table = if q.as_of.is_some() {
        "parcel_versions"
    } else {
        "parcels"
    };
    let mut sql = format!("FROM {table} p");
    let mut args: Vec<Value> = Vec::new();
    if let Some([minx, miny, maxx, maxy]) = q.bbox {
        sql.push_str(&format!(
            " JOIN rtree_{table}_geom r ON r.id = p.fid AND r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?"
        ));
        args.extend([
            Value::Real(minx),
            Value::Real(maxx),
            Value::Real(miny),
            Value::Real(maxy),
        ]);
    }
    sql.push_str(" WHERE 1 = 1");
    if let Some([minx, miny, maxx, maxy]) = q.bbox {
        sql.push_str(" AND ST_IntersectsBox(p.geom, ?, ?, ?, ?)");
        args.extend([
            Value::Real(minx),
            Value::Real(miny),
            Value::Real(maxx),
            Value::Real(maxy),
        ]);
    }
    if let Some(d) = q.as_of {
        sql.push_str(" AND p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to > ?)");
        args.extend([Value::Text(d.to_string()), Value::Text(d.to_string())]);
    }
    if let Some(p) = &q.park {
        sql.push_str(" AND p.park_id = ?");
        args.push(Value::Text(p.as_str().to_owned()));
    }
    if !q.status.is_empty() {
        sql.push_str(&format!(
            " AND p.status IN ({})",
            vec!["?"; q.status.len()].join(", ")
        ));
        args.extend(q.status.iter().map(|s| Value::Text(s.as_str().to_owned())));
    }
    if let Some((system, prefix)) = &q.land_use {
        if let Some(s) = system {
            sql.push_str(" AND p.land_use_system = ?");
            args.push(Value::Text(s.as_str().to_owned()));
        }
        sql.push_str(" AND p.land_use_code LIKE ? ESCAPE '\\'");
        args.push(Value::Text(format!("{}%", like_escape(prefix))));
    }
    if let Some(u) = &q.enterprise {
        sql.push_str(" AND p.enterprise_uscc = ?");
        args.push(Value::Text(u.as_str().to_owned()));
    }
    if let Some(j) = &q.jurisdiction {
        sql.push_str(
            " AND (p.jurisdiction = ? OR p.park_id IN (SELECT park_id FROM parks WHERE jurisdiction = ?))",
        );
        args.extend([
            Value::Text(j.as_str().to_owned()),
            Value::Text(j.as_str().to_owned()),
        ]);
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        sql.push_str(" AND (p.code LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\' OR p.legacy_codes LIKE ? ESCAPE '\\' OR p.address LIKE ? ESCAPE '\\')");
        let pat = format!("%{}%", like_escape(text));
        args.extend([
            Value::Text(pat.clone()),
            Value::Text(pat.clone()),
            Value::Text(pat.clone()),
            Value::Text(pat),
        ]);
    }
    (sql, args)
}

pub(super) fn query_parcels(conn: &Connection, q: &ParcelQuery) -> StoreResult<Page<Parcel>> {
    let (from, args) = parcel_filter(q);
    let total: u64 = conn
        .prepare_cached(&format!("SELECT count(*) {from}"))?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    let cols = rows::PARCEL_COLS
        .replace('\n', " ")
        .split(',')
        .map(|c| format!("p.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut page_args = args;
    page_args.push(Value::Integer(i64::from(q.limit.clamp(1, 10_000))));
    page_args.push(Value::Integer(i64::try_from(q.offset).unwrap_or(i64::MAX)));
    let items = conn
        .prepare_cached(&format!(
            "SELECT {cols} {from} ORDER BY p.fid LIMIT ? OFFSET ?"
        ))?
        .query_map(
            rusqlite::params_from_iter(page_args.iter()),
            rows::parcel_from_row,
        )?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    Ok(Page { items, total })
}
