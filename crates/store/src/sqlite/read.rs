//! Reads, and the [`Store`] implementation that ties reads and writes together.

use super::SqliteStore;
use super::rows::{self, backend};
use crate::backend::Store;
use crate::error::StoreResult;
use crate::model::{
    Applied, AttachmentMeta, ChangeSet, EnterpriseQuery, Page, ParcelQuery, ScanData, ScanParcel,
    StatusStep, StoreStats,
};
use jiff::civil::Date;
use landcycle_domain::{
    AdminCode, ChangeEvent, Enterprise, Parcel, ParcelId, ParcelLifecycle, Park, ParkId, Supply,
    Uscc, figures::AnnualFigures, units::AreaM2,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

fn like_escape(s: &str) -> String {
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
        sql.push_str(" AND (p.code LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\' OR p.legacy_codes LIKE ? ESCAPE '\\')");
        let pat = format!("%{}%", like_escape(text));
        args.extend([
            Value::Text(pat.clone()),
            Value::Text(pat.clone()),
            Value::Text(pat),
        ]);
    }
    (sql, args)
}

fn query_parcels(conn: &Connection, q: &ParcelQuery) -> StoreResult<Page<Parcel>> {
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

fn ids(conn: &Connection, sql: &str, id: ParcelId) -> StoreResult<Vec<ParcelId>> {
    let v: Vec<String> = conn
        .prepare_cached(sql)?
        .query_map([id.to_string()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    v.iter()
        .map(|s| {
            Uuid::parse_str(s)
                .map(ParcelId)
                .map_err(|e| crate::StoreError::Backend(format!("bad id in lineage: {e}")))
        })
        .collect()
}

fn uuid_of(s: &str) -> rusqlite::Result<ParcelId> {
    Uuid::parse_str(s).map(ParcelId).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Reads what the rule scan needs in four sequential queries inside one read transaction.
fn scan_data(c: &Connection) -> StoreResult<ScanData> {
    c.execute_batch("BEGIN DEFERRED")?;
    let out = scan_queries(c);
    // A read transaction: ending it cannot lose anything.
    let _ = c.execute_batch("COMMIT");
    out
}

fn scan_queries(c: &Connection) -> StoreResult<ScanData> {
    let parcels = c
        .prepare(
            "SELECT parcel_id, jurisdiction, park_id, status, computed_area_m2, enterprise_uscc, valid_from
             FROM parcels ORDER BY fid",
        )?
        .query_map([], |r| {
            let park: Option<String> = r.get(2)?;
            let uscc: Option<String> = r.get(5)?;
            Ok(ScanParcel {
                id: uuid_of(&r.get::<_, String>(0)?)?,
                jurisdiction: rows::parse_field(
                    "jurisdiction",
                    AdminCode::parse(&r.get::<_, String>(1)?),
                )?,
                park_id: park
                    .as_deref()
                    .map(|p| rows::parse_field("park_id", ParkId::parse(p)))
                    .transpose()?,
                status: rows::parse_field(
                    "status",
                    ParcelLifecycle::parse(&r.get::<_, String>(3)?),
                )?,
                computed_area_m2: AreaM2(rows::dec(&r.get::<_, String>(4)?)?),
                enterprise: uscc
                    .as_deref()
                    .map(|u| rows::parse_field("enterprise_uscc", Uscc::parse(u)))
                    .transpose()?,
                valid_from: rows::date(&r.get::<_, String>(6)?)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let statuses = c
        .prepare(
            "SELECT parcel_id, status, valid_from FROM parcel_versions ORDER BY parcel_id, version",
        )?
        .query_map([], |r| {
            Ok(StatusStep {
                parcel_id: uuid_of(&r.get::<_, String>(0)?)?,
                status: rows::parse_field(
                    "status",
                    ParcelLifecycle::parse(&r.get::<_, String>(1)?),
                )?,
                valid_from: rows::date(&r.get::<_, String>(2)?)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let supplies = c
        .prepare(&format!(
            "SELECT {} FROM supplies ORDER BY parcel_id, contract_date, fid",
            rows::SUPPLY_COLS
        ))?
        .query_map([], rows::supply_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let tax = c
        .prepare("SELECT uscc, year, tax_yuan FROM enterprise_figures ORDER BY uscc, year")?
        .query_map([], |r| {
            Ok((
                rows::parse_field("uscc", Uscc::parse(&r.get::<_, String>(0)?))?,
                r.get(1)?,
                rows::dec(&r.get::<_, String>(2)?)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ScanData {
        parcels,
        statuses,
        supplies,
        tax,
    })
}

impl Store for SqliteStore {
    fn apply(&self, set: ChangeSet) -> StoreResult<Applied> {
        let out = self.apply_set(set);
        // Counted even when refused: a spurious bump only costs a recomputation.
        self.bump_generation();
        out
    }

    fn scan_data(&self) -> StoreResult<ScanData> {
        self.read(scan_data)
    }

    fn generation(&self) -> u64 {
        self.current_generation()
    }

    fn put_blob(&self, bytes: &[u8]) -> StoreResult<String> {
        self.put_blob_bytes(bytes)
    }

    fn blob(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        self.read(|c| {
            Ok(
                c.prepare_cached("SELECT content FROM blobs WHERE sha256 = ?1")?
                    .query_row([sha256], |r| r.get(0))
                    .optional()?,
            )
        })
    }

    fn attachments(&self, parcel: ParcelId) -> StoreResult<Vec<AttachmentMeta>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT sha256, name, content_type, size, uploaded_by, uploaded_at FROM parcel_attachments WHERE parcel_id = ?1 ORDER BY id",
            )?
            .query_map([parcel.to_string()], rows::attachment_from_row)?
            .collect::<Result<_, _>>()
            .map_err(backend)
        })
    }

    fn attachment_parcels(&self, sha256: &str) -> StoreResult<Vec<ParcelId>> {
        self.read(|c| {
            let v: Vec<String> = c
                .prepare_cached(
                    "SELECT DISTINCT parcel_id FROM parcel_attachments WHERE sha256 = ?1 ORDER BY parcel_id",
                )?
                .query_map([sha256], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            v.iter()
                .map(|s| {
                    Uuid::parse_str(s)
                        .map(ParcelId)
                        .map_err(|e| crate::StoreError::Backend(format!("bad parcel id: {e}")))
                })
                .collect()
        })
    }

    fn parks(&self) -> StoreResult<Vec<Park>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {} FROM parks ORDER BY fid",
                rows::PARK_COLS
            ))?
            .query_map([], rows::park_from_row)?
            .collect::<Result<_, _>>()
            .map_err(backend)
        })
    }

    fn park(&self, id: &ParkId) -> StoreResult<Option<Park>> {
        self.read(|c| {
            Ok(c.prepare_cached(&format!(
                "SELECT {} FROM parks WHERE park_id = ?1",
                rows::PARK_COLS
            ))?
            .query_row([id.as_str()], rows::park_from_row)
            .optional()?)
        })
    }

    fn enterprise(&self, uscc: &Uscc) -> StoreResult<Option<Enterprise>> {
        self.read(|c| {
            Ok(c.prepare_cached(&format!(
                "SELECT {} FROM enterprises WHERE uscc = ?1",
                rows::ENTERPRISE_COLS
            ))?
            .query_row([uscc.as_str()], rows::enterprise_from_row)
            .optional()?)
        })
    }

    fn find_enterprises(&self, eq: &EnterpriseQuery) -> StoreResult<Page<Enterprise>> {
        let (limit, offset) = (eq.limit, eq.offset);
        self.read(|c| {
            let mut sql = String::from("FROM enterprises WHERE 1 = 1");
            let mut args: Vec<Value> = vec![];
            if let Some(p) = &eq.park {
                sql.push_str(" AND park_id = ?");
                args.push(Value::Text(p.as_str().to_owned()));
            }
            if let Some(j) = &eq.jurisdiction {
                sql.push_str(" AND park_id IN (SELECT park_id FROM parks WHERE jurisdiction = ?)");
                args.push(Value::Text(j.as_str().to_owned()));
            }
            if let Some(u) = &eq.uscc {
                sql.push_str(" AND uscc = ?");
                args.push(Value::Text(u.as_str().to_owned()));
            }
            if let Some(t) = eq.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                sql.push_str(" AND (name LIKE ? ESCAPE '\\' OR uscc LIKE ? ESCAPE '\\')");
                let pat = format!("%{}%", like_escape(t));
                args.extend([Value::Text(pat.clone()), Value::Text(pat)]);
            }
            let total: u64 = c
                .prepare_cached(&format!("SELECT count(*) {sql}"))?
                .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
            args.push(Value::Integer(i64::from(limit.clamp(1, 10_000))));
            args.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
            let items = c
                .prepare_cached(&format!(
                    "SELECT {} {sql} ORDER BY fid LIMIT ? OFFSET ?",
                    rows::ENTERPRISE_COLS
                ))?
                .query_map(
                    rusqlite::params_from_iter(args.iter()),
                    rows::enterprise_from_row,
                )?
                .collect::<Result<_, _>>()
                .map_err(backend)?;
            Ok(Page { items, total })
        })
    }

    fn figures(&self, uscc: &Uscc) -> StoreResult<Vec<AnnualFigures>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {} FROM enterprise_figures WHERE uscc = ?1 ORDER BY year",
                rows::FIGURES_COLS
            ))?
            .query_map([uscc.as_str()], rows::figures_from_row)?
            .collect::<Result<_, _>>()
            .map_err(backend)
        })
    }

    fn parcel(&self, id: ParcelId, as_of: Option<Date>) -> StoreResult<Option<Parcel>> {
        self.read(|c| {
            let r = match as_of {
                None => c
                    .prepare_cached(&format!(
                        "SELECT {} FROM parcels WHERE parcel_id = ?1",
                        rows::PARCEL_COLS
                    ))?
                    .query_row([id.to_string()], rows::parcel_from_row),
                Some(d) => c
                    .prepare_cached(&format!(
                        "SELECT {} FROM parcel_versions WHERE parcel_id = ?1 AND valid_from <= ?2
                         AND (valid_to IS NULL OR valid_to > ?2) ORDER BY version DESC LIMIT 1",
                        rows::PARCEL_COLS
                    ))?
                    .query_row(
                        params![id.to_string(), d.to_string()],
                        rows::parcel_from_row,
                    ),
            };
            Ok(r.optional()?)
        })
    }

    fn parcel_latest(&self, id: ParcelId) -> StoreResult<Option<Parcel>> {
        self.read(|c| {
            Ok(c.prepare_cached(&format!(
                "SELECT {} FROM parcel_versions WHERE parcel_id = ?1 ORDER BY version DESC LIMIT 1",
                rows::PARCEL_COLS
            ))?
            .query_row([id.to_string()], rows::parcel_from_row)
            .optional()?)
        })
    }

    fn parcel_versions(&self, id: ParcelId) -> StoreResult<Vec<Parcel>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {} FROM parcel_versions WHERE parcel_id = ?1 ORDER BY version",
                rows::PARCEL_COLS
            ))?
            .query_map([id.to_string()], rows::parcel_from_row)?
            .collect::<Result<_, _>>()
            .map_err(backend)
        })
    }

    fn parcels(&self, q: &ParcelQuery) -> StoreResult<Page<Parcel>> {
        self.read(|c| query_parcels(c, q))
    }

    fn parents(&self, id: ParcelId) -> StoreResult<Vec<ParcelId>> {
        self.read(|c| {
            ids(
                c,
                "SELECT parent_id FROM parcel_lineage WHERE child_id = ?1 ORDER BY parent_id",
                id,
            )
        })
    }

    fn children(&self, id: ParcelId) -> StoreResult<Vec<ParcelId>> {
        self.read(|c| {
            ids(
                c,
                "SELECT child_id FROM parcel_lineage WHERE parent_id = ?1 ORDER BY child_id",
                id,
            )
        })
    }

    fn supplies_of_parcel(&self, id: ParcelId) -> StoreResult<Vec<Supply>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {} FROM supplies WHERE parcel_id = ?1 ORDER BY contract_date, fid",
                rows::SUPPLY_COLS
            ))?
            .query_map([id.to_string()], rows::supply_from_row)?
            .collect::<Result<_, _>>()
            .map_err(backend)
        })
    }

    fn supplies_of_enterprise(&self, uscc: &Uscc) -> StoreResult<Vec<Supply>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {} FROM supplies WHERE enterprise_uscc = ?1 ORDER BY contract_date, fid",
                rows::SUPPLY_COLS
            ))?
            .query_map([uscc.as_str()], rows::supply_from_row)?
            .collect::<Result<_, _>>()
            .map_err(backend)
        })
    }

    fn events_of(&self, id: &str) -> StoreResult<Vec<ChangeEvent>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {} FROM events WHERE seq IN (SELECT seq FROM event_refs WHERE entity_id = ?1) ORDER BY seq",
                rows::EVENT_COLS
            ))?
                .query_map([id], rows::event_from_row)?
                .collect::<Result<_, _>>()
                .map_err(backend)
        })
    }

    fn recent_events(&self, limit: u32) -> StoreResult<Vec<ChangeEvent>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {} FROM events ORDER BY seq DESC LIMIT ?1",
                rows::EVENT_COLS
            ))?
            .query_map([limit.clamp(1, 10_000)], rows::event_from_row)?
            .collect::<Result<_, _>>()
            .map_err(backend)
        })
    }

    fn stats(&self) -> StoreResult<StoreStats> {
        self.read(|c| {
            let n = |t: &str| -> StoreResult<u64> {
                Ok(c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?)
            };
            Ok(StoreStats {
                parcels: n("parcels")?,
                parcel_versions: n("parcel_versions")?,
                parks: n("parks")?,
                enterprises: n("enterprises")?,
                supplies: n("supplies")?,
                events: n("events")?,
                attachments: n("blobs")?,
            })
        })
    }

    fn evaluation_run(&self, id: &str) -> StoreResult<Option<crate::EvaluationRun>> {
        self.load_evaluation_run(id)
    }

    fn evaluation_runs(&self, year: i16) -> StoreResult<Vec<String>> {
        self.evaluation_run_ids(year)
    }

    fn integrity_check(&self) -> StoreResult<Vec<String>> {
        self.read(|c| {
            let mut problems: Vec<String> = c
                .prepare("PRAGMA integrity_check")?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .filter(|s| s != "ok")
                .collect();
            let fk: Vec<String> = c
                .prepare("PRAGMA foreign_key_check")?
                .query_map([], |r| Ok(format!("foreign key violation in {}", r.get::<_, String>(0)?)))?
                .collect::<Result<_, _>>()?;
            problems.extend(fk);
            // The current table must be exactly the open versions.
            let drift: u64 = c.query_row(
                "SELECT (SELECT count(*) FROM parcels) - (SELECT count(*) FROM parcel_versions WHERE valid_to IS NULL)",
                [],
                |r| r.get::<_, i64>(0),
            )?.unsigned_abs();
            if drift != 0 {
                problems.push(format!("{drift} parcels differ between the current layer and open history versions"));
            }
            Ok(problems)
        })
    }
}
