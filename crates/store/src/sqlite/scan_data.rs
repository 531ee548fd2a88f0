//! Bulk reads for the rule scan: one snapshot of everything it needs.

use super::rows::{self};
use crate::error::StoreResult;
use crate::model::{ScanData, ScanParcel, StatusStep};
use landcycle_domain::{AdminCode, ParcelId, ParcelLifecycle, ParkId, Uscc, units::AreaM2};
use rusqlite::Connection;
use uuid::Uuid;

fn uuid_of(s: &str) -> rusqlite::Result<ParcelId> {
    Uuid::parse_str(s).map(ParcelId).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Reads what the rule scan needs in sequential queries inside one read transaction.
pub(super) fn scan_data(c: &Connection) -> StoreResult<ScanData> {
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
        batches: super::batches::read_batches(c, None)?,
    })
}
