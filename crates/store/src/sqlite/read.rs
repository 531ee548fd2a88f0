//! Reads, and the [`Store`] implementation that ties reads and writes together.

use super::SqliteStore;
use super::parcel_query::{like_escape, query_parcels};
use super::rows::{self, backend};
use crate::backend::Store;
use crate::error::StoreResult;
use crate::model::{
    Applied, AttachmentMeta, ChangeSet, EnterpriseQuery, Page, ParcelQuery, ScanData, StoreStats,
};
use jiff::civil::Date;
use landcycle_domain::{
    ChangeEvent, Enterprise, Parcel, ParcelId, Park, ParkId, Supply, Uscc, figures::AnnualFigures,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

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

impl Store for SqliteStore {
    fn apply(&self, set: ChangeSet) -> StoreResult<Applied> {
        let out = self.apply_set(set);
        // Counted even when refused: a spurious bump only costs a recomputation.
        self.bump_generation();
        out
    }

    fn apply_stream(
        &self,
        recorded_at: jiff::Timestamp,
        effective: Date,
        changes: &mut dyn Iterator<Item = StoreResult<crate::model::Change>>,
    ) -> StoreResult<Applied> {
        let out = self.apply_changes(recorded_at, effective, changes, true);
        self.bump_generation();
        out
    }

    fn live_codes(&self, codes: &[String]) -> StoreResult<std::collections::HashSet<String>> {
        self.read(|c| super::import_lookup::live_codes(c, codes))
    }

    fn live_envelopes(&self, bbox: [f64; 4]) -> StoreResult<Vec<[f64; 4]>> {
        self.read(|c| super::import_lookup::live_envelopes(c, bbox))
    }

    fn scan_data(&self) -> StoreResult<ScanData> {
        self.scan_data_parallel()
    }

    fn batches(&self) -> StoreResult<Vec<landcycle_domain::BatchRecord>> {
        self.read(|c| super::batches::read_batches(c, None))
    }

    fn batch(&self, id: &str) -> StoreResult<Option<landcycle_domain::BatchRecord>> {
        self.read(|c| Ok(super::batches::read_batches(c, Some(id))?.pop()))
    }

    fn batch_of_parcel(&self, id: ParcelId) -> StoreResult<Option<String>> {
        self.read(|c| super::batches::batch_of_parcel(c, id))
    }

    fn generation(&self) -> u64 {
        self.generation_exact()
    }

    fn generation_recent(&self) -> u64 {
        self.generation_within()
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

    fn tile_parcels(
        &self,
        q: &ParcelQuery,
        each: &mut dyn FnMut(crate::model::TileParcel<'_>),
    ) -> StoreResult<()> {
        self.read(|c| super::parcel_query::tile_parcels(c, q, each))
    }

    fn parcel_id_by_fid(&self, fid: i64) -> StoreResult<Option<ParcelId>> {
        self.read(|c| {
            let id: Option<String> = c
                .prepare_cached("SELECT parcel_id FROM parcels WHERE fid = ?1")?
                .query_row([fid], |r| r.get(0))
                .optional()?;
            id.map(|s| {
                Uuid::parse_str(&s).map(ParcelId).map_err(|e| {
                    crate::StoreError::Backend(format!("parcels row {fid}: parcel_id: {e}"))
                })
            })
            .transpose()
        })
    }

    fn count_parcels(&self, q: &ParcelQuery, cap: u64) -> StoreResult<crate::filter::Count> {
        self.read(|c| super::parcel_query::count_parcels(c, q, cap))
    }

    fn counted_parcels(
        &self,
        q: &ParcelQuery,
        cap: u64,
    ) -> StoreResult<(Vec<Parcel>, crate::filter::Count)> {
        self.read(|c| super::parcel_query::counted_parcels(c, q, cap))
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
        self.read(|c| super::history::events_of(c, id))
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

    fn evaluation_run_heads(&self) -> StoreResult<Vec<crate::EvaluationRunHead>> {
        self.load_evaluation_run_heads()
    }

    fn classes_of(&self, uscc: &Uscc) -> StoreResult<Vec<crate::StoredClass>> {
        self.load_classes_of(uscc)
    }

    fn evaluation_class_counts(
        &self,
        run_id: &str,
        parks: Option<&[ParkId]>,
        uscc: Option<&Uscc>,
    ) -> StoreResult<crate::ClassCounts> {
        self.load_class_counts(run_id, parks, uscc)
    }

    fn webhook_deliveries(&self, webhook_id: &str) -> StoreResult<Vec<crate::Delivery>> {
        self.deliveries(webhook_id)
    }

    fn add_intention(&self, i: &crate::Intention) -> StoreResult<i64> {
        self.insert_intention(i)
    }

    fn intentions(
        &self,
        parks: Option<&[ParkId]>,
        limit: u32,
    ) -> StoreResult<Vec<crate::Intention>> {
        self.select_intentions(parks, limit)
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
