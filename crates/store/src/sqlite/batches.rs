//! Approval batches (批次): writes within a change set's transaction, and reads.

use super::rows;
use super::write::gpkg_time;
use crate::error::{StoreError, StoreResult};
use jiff::Timestamp;
use landcycle_domain::rules::unsupplied::{BatchParcel, DisposalKind};
use landcycle_domain::units::AreaM2;
use landcycle_domain::{AdminCode, BatchDeduction, BatchRecord, ParcelId, ParkId};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::collections::BTreeMap;

/// The batch a registered parcel lies in, if any.
pub(super) fn batch_of_parcel(c: &Connection, id: ParcelId) -> StoreResult<Option<String>> {
    Ok(
        c.prepare_cached("SELECT batch_id FROM batch_parcels WHERE parcel_id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?,
    )
}

pub(super) fn put_batch(tx: &Transaction<'_>, b: &BatchRecord, at: Timestamp) -> StoreResult<()> {
    let exists: bool = tx.query_row(
        "SELECT count(*) > 0 FROM approval_batches WHERE batch_id = ?1",
        [&b.id],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StoreError::Conflict(format!(
            "batch {} already exists",
            b.id
        )));
    }
    tx.prepare_cached(
        "INSERT INTO approval_batches (batch_id, name, jurisdiction, park_id, approved_on, approved_area_m2,
         acquired_on, source_doc, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        b.id,
        b.name,
        b.jurisdiction.as_str(),
        b.park_id.as_ref().map(|p| p.as_str().to_owned()),
        b.approved_on.to_string(),
        b.approved_area_m2.0.to_string(),
        b.acquired_on.map(|d| d.to_string()),
        b.source_doc,
        gpkg_time(at),
    ])?;
    for (i, p) in b.parcels.iter().enumerate() {
        if let Some(id) = p.parcel_id
            && let Some(other) = batch_of_parcel(tx, id)?
        {
            return Err(StoreError::field(
                &format!("parcels[{i}].parcel_id"),
                Some(&id.to_string()),
                format!("the parcel already lies in batch {other}"),
                format!("该地块已属于批次 {other}，一个地块只能属于一个批次"),
            ));
        }
        tx.prepare_cached(
            "INSERT INTO batch_parcels (batch_id, seq, parcel_id, area_m2, supplied_on) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            b.id,
            i,
            p.parcel_id.map(|x| x.to_string()),
            p.area_m2.0.to_string(),
            p.supplied_on.map(|d| d.to_string()),
        ])?;
    }
    for d in &b.deductions {
        add_deduction(tx, &b.id, d)?;
    }
    Ok(())
}

pub(super) fn add_deduction(
    tx: &Transaction<'_>,
    batch_id: &str,
    d: &BatchDeduction,
) -> StoreResult<()> {
    let next: Option<i64> = tx
        .prepare_cached(
            "SELECT (SELECT coalesce(max(seq) + 1, 0) FROM batch_deductions WHERE batch_id = ?1)
             FROM approval_batches WHERE batch_id = ?1",
        )?
        .query_row([batch_id], |r| r.get(0))
        .optional()?;
    let Some(seq) = next else {
        return Err(StoreError::NotFound {
            entity: "batch",
            id: batch_id.to_owned(),
        });
    };
    tx.prepare_cached(
        "INSERT INTO batch_deductions (batch_id, seq, kind, area_m2, on_day, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        batch_id,
        seq,
        d.kind.as_str(),
        d.area_m2.0.to_string(),
        d.on.to_string(),
        d.reason
    ])?;
    Ok(())
}

/// The batches (one, or all with `one = None`) with their deductions but no parcels, by id.
fn read_batch_heads(
    c: &Connection,
    one: Option<&str>,
) -> StoreResult<BTreeMap<String, BatchRecord>> {
    let filter = if one.is_some() {
        "WHERE batch_id = ?1"
    } else {
        "WHERE ?1 IS NULL"
    };
    let mut batches: BTreeMap<String, BatchRecord> = BTreeMap::new();
    let sql = format!(
        "SELECT batch_id, name, jurisdiction, park_id, approved_on, approved_area_m2, acquired_on, source_doc
         FROM approval_batches {filter}"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([one], |r| {
        let park: Option<String> = r.get(3)?;
        Ok(BatchRecord {
            id: r.get(0)?,
            name: r.get(1)?,
            jurisdiction: rows::parse_field(
                "jurisdiction",
                AdminCode::parse(&r.get::<_, String>(2)?),
            )?,
            park_id: park
                .as_deref()
                .map(|p| rows::parse_field("park_id", ParkId::parse(p)))
                .transpose()?,
            approved_on: rows::date(&r.get::<_, String>(4)?)?,
            approved_area_m2: AreaM2(rows::dec(&r.get::<_, String>(5)?)?),
            acquired_on: rows::opt_date(r.get(6)?)?,
            source_doc: r.get(7)?,
            parcels: Vec::new(),
            deductions: Vec::new(),
        })
    })?;
    for b in rows {
        let b = b?;
        batches.insert(b.id.clone(), b);
    }
    let sql = format!(
        "SELECT batch_id, kind, area_m2, on_day, reason FROM batch_deductions {filter} ORDER BY batch_id, seq"
    );
    let mut st = c.prepare_cached(&sql)?;
    let deductions = st.query_map([one], |r| {
        Ok((
            r.get::<_, String>(0)?,
            BatchDeduction {
                kind: rows::parse_field("kind", DisposalKind::parse(&r.get::<_, String>(1)?))?,
                area_m2: AreaM2(rows::dec(&r.get::<_, String>(2)?)?),
                on: rows::date(&r.get::<_, String>(3)?)?,
                reason: r.get(4)?,
            },
        ))
    })?;
    for d in deductions {
        let (b, d) = d?;
        if let Some(b) = batches.get_mut(&b) {
            b.deductions.push(d);
        }
    }
    Ok(batches)
}

/// Every batch with its deductions but without its parcels, ordered by id (the scan reads the
/// parcels itself, in one pass).
pub(super) fn read_batches_without_parcels(c: &Connection) -> StoreResult<Vec<BatchRecord>> {
    Ok(read_batch_heads(c, None)?.into_values().collect())
}

/// Every batch (or one), ordered by 批文号, with its parcels and deductions. A registered
/// parcel's supply date is its earliest supply contract in the registry, the stored date
/// otherwise.
pub(super) fn read_batches(c: &Connection, one: Option<&str>) -> StoreResult<Vec<BatchRecord>> {
    let filter = if one.is_some() {
        "WHERE batch_id = ?1"
    } else {
        "WHERE ?1 IS NULL"
    };
    let mut batches = read_batch_heads(c, one)?;
    let sql = format!(
        "SELECT batch_id, parcel_id, area_m2,
           coalesce((SELECT min(s.contract_date) FROM supplies s WHERE s.parcel_id = bp.parcel_id), supplied_on)
         FROM batch_parcels bp {filter} ORDER BY batch_id, seq"
    );
    let mut st = c.prepare_cached(&sql)?;
    let parcels = st.query_map([one], |r| {
        let id: Option<String> = r.get(1)?;
        Ok((
            r.get::<_, String>(0)?,
            BatchParcel {
                parcel_id: id
                    .as_deref()
                    .map(|s| rows::parse_field("parcel_id", ParcelId::parse(s, "parcel_id")))
                    .transpose()?,
                area_m2: AreaM2(rows::dec(&r.get::<_, String>(2)?)?),
                supplied_on: rows::opt_date(r.get(3)?)?,
            },
        ))
    })?;
    for p in parcels {
        let (b, p) = p?;
        if let Some(b) = batches.get_mut(&b) {
            b.parcels.push(p);
        }
    }
    Ok(batches.into_values().collect())
}
