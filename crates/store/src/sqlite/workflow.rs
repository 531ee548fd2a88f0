//! Workflow records in SQLite: one table per kind, the transition log, and the reads.

use super::SqliteStore;
use super::rows::{date, json, opt_date, parse_field};
use super::write::{gpkg_time, to_json};
use crate::error::{StoreError, StoreResult};
use crate::model::Page;
use crate::workflow::{WfKind, WfQuery, WfRecord, WfTransition, WorkflowStore};
use jiff::Timestamp;
use landcycle_domain::{AdminCode, ParcelId, ParkId, Uscc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use std::str::FromStr;

const COLS: &str =
    "id, version, park_id, jurisdiction, parcel_id, enterprise_uscc, status, due, updated_at, doc";

pub(crate) fn put(tx: &Transaction<'_>, r: &WfRecord, expected: Option<u32>) -> StoreResult<()> {
    let t = r.kind.table();
    let stored: Option<u32> = tx
        .prepare_cached(&format!("SELECT version FROM {t} WHERE id = ?1"))?
        .query_row([&r.id], |row| row.get(0))
        .optional()?;
    if stored != expected {
        return Err(match (stored, expected) {
            (Some(_), None) => {
                StoreError::Conflict(format!("{} {} already exists", r.kind.as_str(), r.id))
            }
            (None, Some(_)) => StoreError::NotFound {
                entity: "workflow record",
                id: r.id.clone(),
            },
            (s, e) => StoreError::Conflict(format!(
                "{} {} is at version {}, but the change was based on version {}; reload and retry",
                r.kind.as_str(),
                r.id,
                s.unwrap_or(0),
                e.unwrap_or(0)
            )),
        });
    }
    tx.prepare_cached(&format!(
        "INSERT INTO {t} ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, park_id = excluded.park_id,
         jurisdiction = excluded.jurisdiction, parcel_id = excluded.parcel_id, enterprise_uscc = excluded.enterprise_uscc,
         status = excluded.status, due = excluded.due, updated_at = excluded.updated_at, doc = excluded.doc"
    ))?
    .execute(params![
        r.id,
        r.version,
        r.park_id.as_ref().map(|p| p.as_str().to_owned()),
        r.jurisdiction.as_ref().map(|j| j.as_str().to_owned()),
        r.parcel_id.map(|p| p.to_string()),
        r.enterprise.as_ref().map(|u| u.as_str().to_owned()),
        r.status,
        r.due.map(|d| d.to_string()),
        gpkg_time(r.updated_at),
        to_json(&r.doc)?,
    ])?;
    Ok(())
}

pub(crate) fn insert_transition(tx: &Transaction<'_>, t: &WfTransition) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO wf_transitions (kind, record_id, from_status, to_status, actor, role, on_day, reason, detail, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        t.kind.as_str(),
        t.record_id,
        t.from,
        t.to,
        t.actor,
        t.role,
        t.on.to_string(),
        t.reason,
        to_json(&t.detail)?,
        gpkg_time(t.recorded_at),
    ])?;
    Ok(())
}

fn ts(s: &str) -> rusqlite::Result<Timestamp> {
    parse_field("timestamp", Timestamp::from_str(s))
}

fn record(kind: WfKind, r: &Row<'_>) -> rusqlite::Result<WfRecord> {
    let park: Option<String> = r.get(2)?;
    let jur: Option<String> = r.get(3)?;
    let parcel: Option<String> = r.get(4)?;
    let ent: Option<String> = r.get(5)?;
    Ok(WfRecord {
        kind,
        id: r.get(0)?,
        version: r.get(1)?,
        park_id: park
            .map(|p| parse_field("park_id", ParkId::parse(&p)))
            .transpose()?,
        jurisdiction: jur
            .map(|j| parse_field("jurisdiction", AdminCode::parse(&j)))
            .transpose()?,
        parcel_id: parcel
            .map(|p| parse_field("parcel_id", ParcelId::parse(&p, "parcel_id")))
            .transpose()?,
        enterprise: ent
            .map(|u| parse_field("enterprise_uscc", Uscc::parse(&u)))
            .transpose()?,
        status: r.get(6)?,
        due: opt_date(r.get(7)?)?,
        updated_at: ts(&r.get::<_, String>(8)?)?,
        doc: json(&r.get::<_, String>(9)?)?,
    })
}

impl WorkflowStore for SqliteStore {
    fn wf_record(&self, kind: WfKind, id: &str) -> StoreResult<Option<WfRecord>> {
        self.read(|c| {
            Ok(c.prepare_cached(&format!(
                "SELECT {COLS} FROM {} WHERE id = ?1",
                kind.table()
            ))?
            .query_row([id], |r| record(kind, r))
            .optional()?)
        })
    }

    fn wf_records(&self, kind: WfKind, q: &WfQuery) -> StoreResult<Page<WfRecord>> {
        let mut wh: Vec<String> = Vec::new();
        let mut vals: Vec<Value> = Vec::new();
        let mut add = |cond: &str, v: String| {
            vals.push(Value::Text(v));
            wh.push(cond.replace('?', &format!("?{}", vals.len())));
        };
        if let Some(p) = &q.park {
            add("park_id = ?", p.as_str().to_owned());
        }
        if let Some(j) = &q.jurisdiction {
            add(
                "(jurisdiction = ? OR park_id IN (SELECT park_id FROM parks WHERE jurisdiction = ?))",
                j.as_str().to_owned(),
            );
        }
        if let Some(u) = &q.enterprise {
            add("enterprise_uscc = ?", u.as_str().to_owned());
        }
        if let Some(p) = &q.parcel {
            add("parcel_id = ?", p.to_string());
        }
        if let Some(s) = &q.status {
            add("status = ?", s.clone());
        }
        let where_sql = if wh.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wh.join(" AND "))
        };
        let t = kind.table();
        self.read(|c| {
            let total: u64 = c.query_row(
                &format!("SELECT count(*) FROM {t}{where_sql}"),
                rusqlite::params_from_iter(vals.iter()),
                |r| r.get(0),
            )?;
            let limit = if q.limit == 0 { -1 } else { i64::from(q.limit) };
            let sql = format!(
                "SELECT {COLS} FROM {t}{where_sql} ORDER BY id LIMIT {limit} OFFSET {}",
                q.offset.min(i64::MAX as u64)
            );
            let mut st = c.prepare(&sql)?;
            let items = st
                .query_map(rusqlite::params_from_iter(vals.iter()), |r| record(kind, r))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Page { items, total })
        })
    }

    fn wf_transitions(&self, kind: WfKind, id: &str) -> StoreResult<Vec<WfTransition>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT seq, record_id, from_status, to_status, actor, role, on_day, reason, detail, recorded_at
                 FROM wf_transitions WHERE kind = ?1 AND record_id = ?2 ORDER BY seq",
            )?;
            let rows = st
                .query_map([kind.as_str(), id], |r| {
                    Ok(WfTransition {
                        seq: r.get(0)?,
                        kind,
                        record_id: r.get(1)?,
                        from: r.get(2)?,
                        to: r.get(3)?,
                        actor: r.get(4)?,
                        role: r.get(5)?,
                        on: date(&r.get::<_, String>(6)?)?,
                        reason: r.get(7)?,
                        detail: json(&r.get::<_, String>(8)?)?,
                        recorded_at: ts(&r.get::<_, String>(9)?)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}
