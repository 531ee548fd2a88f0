//! The parcel rows of a change set: the current row (`parcels`) and its version rows
//! (`parcel_versions`) — insert, update in place, and end a version when the next one starts.

use super::write::{gpkg_time, opt_text, text, to_json};
use crate::error::{StoreError, StoreResult};
use crate::model::ChangeSet;
use jiff::Timestamp;
use jiff::civil::Date;
use landcycle_domain::{Parcel, ParcelId};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params};
use rust_decimal::prelude::ToPrimitive;

pub(super) const PARCEL_WRITE_COLS: [&str; 21] = [
    "geom",
    "parcel_id",
    "version",
    "code",
    "name",
    "address",
    "jurisdiction",
    "park_id",
    "land_use_system",
    "land_use_code",
    "status",
    "computed_area_m2",
    "registered_area_m2",
    "area_mu",
    "enterprise_uscc",
    "legacy_codes",
    "planning",
    "parents",
    "valid_from",
    "valid_to",
    "recorded_at",
];

fn parcel_values(p: &Parcel, recorded_at: Timestamp) -> StoreResult<Vec<Value>> {
    let mut values = Vec::with_capacity(PARCEL_WRITE_COLS.len());
    push_parcel_values(p, &gpkg_time(recorded_at), &mut values)?;
    Ok(values)
}

/// Appends the values of `p`'s row, in [`PARCEL_WRITE_COLS`] order, to `out`.
pub(super) fn push_parcel_values(
    p: &Parcel,
    recorded_at: &str,
    out: &mut Vec<Value>,
) -> StoreResult<()> {
    let geom =
        landcycle_geo::encode_gpkg(&geo_types::Geometry::MultiPolygon(p.geometry.clone()), 4490);
    out.extend([
        Value::Blob(geom),
        text(p.id.to_string()),
        Value::Integer(i64::from(p.version)),
        opt_text(p.code.as_ref().map(|c| c.as_str().to_owned())),
        text(p.name.clone()),
        opt_text(p.address.clone()),
        text(p.jurisdiction.as_str()),
        opt_text(p.park_id.as_ref().map(|x| x.as_str().to_owned())),
        text(p.land_use.system.as_str()),
        text(p.land_use.code.clone()),
        text(p.status.as_str()),
        text(p.computed_area_m2.0.to_string()),
        opt_text(p.registered_area_m2.map(|a| a.0.to_string())),
        Value::Real(p.computed_area_m2.to_mu().0.to_f64().unwrap_or(0.0)),
        opt_text(p.enterprise.as_ref().map(|u| u.as_str().to_owned())),
        text(json_list(&p.legacy_codes)?),
        text(to_json(&p.planning)?),
        text(if p.parents.is_empty() {
            "[]".to_owned()
        } else {
            to_json(&p.parents.iter().map(|x| x.0).collect::<Vec<_>>())?
        }),
        text(p.valid_from.to_string()),
        opt_text(p.valid_to.map(|d| d.to_string())),
        text(recorded_at),
    ]);
    Ok(())
}

fn json_list(items: &[String]) -> StoreResult<String> {
    if items.is_empty() {
        Ok("[]".to_owned())
    } else {
        to_json(&items)
    }
}

/// `INSERT INTO {table} (…) VALUES (?1, …)` for the two parcel tables, built once: a bulk
/// import inserts two rows per parcel.
fn insert_sql(table: &str) -> &'static str {
    static SQL: std::sync::OnceLock<[String; 2]> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        let placeholders: Vec<String> = (1..=PARCEL_WRITE_COLS.len())
            .map(|i| format!("?{i}"))
            .collect();
        ["parcels", "parcel_versions"].map(|t| {
            format!(
                "INSERT INTO {t} ({}) VALUES ({})",
                PARCEL_WRITE_COLS.join(", "),
                placeholders.join(", ")
            )
        })
    });
    if table == "parcels" { &sql[0] } else { &sql[1] }
}

fn insert_parcel(
    tx: &Transaction<'_>,
    table: &str,
    values: &[Value],
    p: &Parcel,
    rtree: &mut Option<super::bulk_rtree::Deferred>,
) -> StoreResult<()> {
    match tx
        .prepare_cached(insert_sql(table))
        .and_then(|mut st| st.execute(rusqlite::params_from_iter(values)))
    {
        // A new parcel's version 1 that collides with an existing one (see `put_parcel`).
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            return Err(StoreError::Conflict(format!(
                "parcel {} already exists",
                p.id
            )));
        }
        other => other?,
    };
    if let Some(r) = rtree {
        r.record(table, tx.last_insert_rowid(), &p.geometry);
    }
    Ok(())
}

fn update_current(tx: &Transaction<'_>, values: &[Value]) -> StoreResult<()> {
    let sets: Vec<String> = PARCEL_WRITE_COLS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE parcels SET {} WHERE parcel_id = ?2",
        sets.join(", ")
    );
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// The live version of a parcel: (version, valid_from).
fn current(tx: &Transaction<'_>, id: ParcelId) -> StoreResult<Option<(u32, Date)>> {
    let row: Option<(u32, String)> = tx
        .prepare_cached("SELECT version, valid_from FROM parcels WHERE parcel_id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(v, d)| Ok((v, super::rows::date(&d).map_err(super::rows::backend)?)))
        .transpose()
}

pub(super) fn end_version(
    tx: &Transaction<'_>,
    id: ParcelId,
    expected: u32,
    effective: Date,
) -> StoreResult<()> {
    match current(tx, id)? {
        None => {
            let ever: bool = tx.query_row(
                "SELECT count(*) > 0 FROM parcel_versions WHERE parcel_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )?;
            Err(if ever {
                StoreError::Conflict(format!(
                    "parcel {id} has ended; it can no longer be changed"
                ))
            } else {
                StoreError::NotFound {
                    entity: "parcel",
                    id: id.to_string(),
                }
            })
        }
        Some((v, _)) if v != expected => Err(StoreError::Conflict(format!(
            "parcel {id} is at version {v}, but the change was based on version {expected}; reload and retry"
        ))),
        Some((_, from)) if effective < from => Err(StoreError::field(
            "effective",
            Some(&effective.to_string()),
            format!(
                "the change takes effect on {effective}, before the current version began ({from})"
            ),
            format!("生效日期{effective}早于当前版本的起始日期{from}"),
        )),
        Some(_) => {
            tx.prepare_cached(
                "UPDATE parcel_versions SET valid_to = ?3 WHERE parcel_id = ?1 AND version = ?2",
            )?
            .execute(params![id.to_string(), expected, effective.to_string()])?;
            Ok(())
        }
    }
}

pub(super) fn put_parcel(
    tx: &Transaction<'_>,
    p: &Parcel,
    expected: Option<u32>,
    set: &ChangeSet,
    rtree: &mut Option<super::bulk_rtree::Deferred>,
) -> StoreResult<()> {
    // One encoding (geometry blob, JSON columns) for the version row and the current row.
    let values = parcel_values(p, set.recorded_at)?;
    match expected {
        None => {
            // Every parcel has a version-1 row, so a new parcel's version 1 that collides
            // with one is refused by the unique (parcel_id, version) index: no lookup per
            // parcel of a bulk import first.
            if p.version != 1 {
                let exists: bool = tx
                    .prepare_cached(
                        "SELECT count(*) > 0 FROM parcel_versions WHERE parcel_id = ?1",
                    )?
                    .query_row([p.id.to_string()], |r| r.get(0))?;
                if exists {
                    return Err(StoreError::Conflict(format!(
                        "parcel {} already exists",
                        p.id
                    )));
                }
            }
            insert_parcel(tx, "parcel_versions", &values, p, rtree)?;
            insert_parcel(tx, "parcels", &values, p, rtree)
        }
        Some(v) => {
            end_version(tx, p.id, v, set.effective)?;
            insert_parcel(tx, "parcel_versions", &values, p, rtree)?;
            update_current(tx, &values)
        }
    }
}
