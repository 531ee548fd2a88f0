//! Bulk reads for the rule scan: one snapshot of everything it needs.
//!
//! Every table is read in storage order (`rowid`), never through an index: walking
//! `parcel_versions` or `supplies` by `parcel_id` jumped between table pages for each row and
//! was most of the scan's time. The scan orders what it needs itself, on integers. Only the
//! columns the rules use are read (no geometry), text is borrowed from SQLite rather than
//! copied into a `String` per cell, and the few distinct counties, parks and land users are
//! interned. The work is split over two connections that read in parallel from the same
//! snapshot (see `SqliteStore::scan_data`).

use super::rows::{self, mode_str};
use crate::error::StoreResult;
use crate::model::{ScanData, ScanParcel, ScanSupply, StatusStep};
use jiff::civil::Date;
use landcycle_domain::units::{AreaM2, Yuan};
use landcycle_domain::{
    AdminCode, BatchRecord, ParcelId, ParcelLifecycle, ParkId, SupplyMode, Uscc,
    rules::unsupplied::BatchParcel,
};
use rusqlite::{Connection, Row};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use uuid::Uuid;

fn corrupt(what: &str, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{what}: {e}").into(),
    )
}

/// Column `i` as borrowed text (`None` for NULL).
fn text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(r.get_ref(i)?.as_str_or_null()?)
}

fn req<'r>(r: &'r Row<'_>, i: usize, what: &str) -> rusqlite::Result<&'r str> {
    text(r, i)?.ok_or_else(|| corrupt(what, "NULL"))
}

fn uuid_of(s: &str, what: &str) -> rusqlite::Result<ParcelId> {
    Uuid::parse_str(s)
        .map(ParcelId)
        .map_err(|e| corrupt(what, e))
}

fn date(s: &str, what: &str) -> rusqlite::Result<Date> {
    Date::from_str(s).map_err(|e| corrupt(what, e))
}

fn opt_date(s: Option<&str>, what: &str) -> rusqlite::Result<Option<Date>> {
    s.map(|s| date(s, what)).transpose()
}

fn status(s: &str) -> rusqlite::Result<ParcelLifecycle> {
    rows::parse_field("status", ParcelLifecycle::parse(s))
}

/// Distinct values by their text, numbered in first-seen order.
struct Interner<T> {
    index: HashMap<String, u32>,
    values: Vec<T>,
}

impl<T> Interner<T> {
    fn new() -> Self {
        Self {
            index: HashMap::new(),
            values: Vec::new(),
        }
    }

    fn get(
        &mut self,
        s: &str,
        make: impl FnOnce(&str) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<u32> {
        if let Some(i) = self.index.get(s) {
            return Ok(*i);
        }
        let i = u32::try_from(self.values.len()).map_err(|e| corrupt("interned values", e))?;
        self.values.push(make(s)?);
        self.index.insert(s.to_owned(), i);
        Ok(i)
    }
}

/// The parcels with their interned tables, and the batches with each member's own
/// `supplied_on` (the supplies' first contract date is applied in [`assemble`]).
pub(super) struct PartA {
    parcels: Vec<ScanParcel>,
    jurisdictions: Vec<AdminCode>,
    parks: Vec<ParkId>,
    enterprises: Vec<Uscc>,
    batches: Vec<BatchRecord>,
}

/// The versions, the supplies and the tax figures.
pub(super) struct PartB {
    statuses: Vec<StatusStep>,
    supplies: Vec<ScanSupply>,
    tax: Vec<(Uscc, i16, rust_decimal::Decimal)>,
}

/// Reads the parcels and the batches.
pub(super) fn read_a(c: &Connection) -> StoreResult<PartA> {
    let mut jurisdictions = Interner::new();
    let mut parks = Interner::new();
    let mut enterprises = Interner::new();
    let mut parcels = Vec::new();
    let mut st = c.prepare(
        "SELECT parcel_id, jurisdiction, park_id, status, computed_area_m2, enterprise_uscc, valid_from
         FROM parcels ORDER BY fid",
    )?;
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        parcels.push(ScanParcel {
            id: uuid_of(req(r, 0, "parcel_id")?, "parcel_id")?,
            jurisdiction: jurisdictions.get(req(r, 1, "jurisdiction")?, |s| {
                rows::parse_field("jurisdiction", AdminCode::parse(s))
            })?,
            park: text(r, 2)?
                .map(|s| parks.get(s, |s| rows::parse_field("park_id", ParkId::parse(s))))
                .transpose()?,
            status: status(req(r, 3, "status")?)?,
            computed_area_m2: AreaM2(rows::dec(req(r, 4, "computed_area_m2")?)?),
            enterprise: text(r, 5)?
                .map(|s| {
                    enterprises.get(s, |s| rows::parse_field("enterprise_uscc", Uscc::parse(s)))
                })
                .transpose()?,
            valid_from: date(req(r, 6, "valid_from")?, "valid_from")?,
        });
    }
    Ok(PartA {
        parcels,
        jurisdictions: jurisdictions.values,
        parks: parks.values,
        enterprises: enterprises.values,
        batches: read_batches(c)?,
    })
}

/// The batches as [`super::batches::read_batches`] reads them, but with each member's stored
/// `supplied_on`: that function's per-row sub-query for the first contract date is replaced
/// by one pass over the supplies in [`assemble`].
fn read_batches(c: &Connection) -> StoreResult<Vec<BatchRecord>> {
    let mut batches: BTreeMap<String, BatchRecord> =
        super::batches::read_batches_without_parcels(c)?
            .into_iter()
            .map(|b| (b.id.clone(), b))
            .collect();
    let mut st = c.prepare(
        "SELECT batch_id, parcel_id, area_m2, supplied_on FROM batch_parcels ORDER BY batch_id, seq",
    )?;
    let mut q = st.query([])?;
    // Rows come grouped by batch: look the batch up only when the id changes.
    let mut current: Option<(String, Vec<BatchParcel>)> = None;
    let mut flush = |cur: Option<(String, Vec<BatchParcel>)>| {
        if let Some((id, ps)) = cur
            && let Some(b) = batches.get_mut(&id)
        {
            b.parcels.extend(ps);
        }
    };
    while let Some(r) = q.next()? {
        let id = req(r, 0, "batch_id")?;
        if current.as_ref().is_none_or(|(c, _)| c != id) {
            flush(current.take());
            current = Some((id.to_owned(), Vec::new()));
        }
        let p = BatchParcel {
            parcel_id: text(r, 1)?.map(|s| uuid_of(s, "parcel_id")).transpose()?,
            area_m2: AreaM2(rows::dec(req(r, 2, "area_m2")?)?),
            supplied_on: opt_date(text(r, 3)?, "supplied_on")?,
        };
        if let Some((_, ps)) = current.as_mut() {
            ps.push(p);
        }
    }
    flush(current);
    Ok(batches.into_values().collect())
}

/// Reads the versions, the supplies and the tax figures.
pub(super) fn read_b(c: &Connection) -> StoreResult<PartB> {
    let mut statuses = Vec::new();
    let mut st = c.prepare(
        "SELECT parcel_id, version, status, valid_from FROM parcel_versions ORDER BY rowid",
    )?;
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        statuses.push(StatusStep {
            parcel_id: uuid_of(req(r, 0, "parcel_id")?, "parcel_id")?,
            version: r.get(1)?,
            status: status(req(r, 2, "status")?)?,
            valid_from: date(req(r, 3, "valid_from")?, "valid_from")?,
        });
    }
    // The supplies with their storage key, ordered as `ORDER BY parcel_id, contract_date, fid`
    // would (a UUID's text sorts as its bytes).
    let mut supplies: Vec<(ScanSupply, i64)> = Vec::new();
    let mut st = c.prepare(
        "SELECT parcel_id, mode, contract_date, agreed_start, agreed_completion, price_yuan, fid
         FROM supplies ORDER BY fid",
    )?;
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        let mode = req(r, 1, "mode")?;
        let mode = SupplyMode::ALL
            .into_iter()
            .find(|m| mode_str(*m) == mode)
            .ok_or_else(|| corrupt("mode", mode))?;
        supplies.push((
            ScanSupply {
                parcel_id: uuid_of(req(r, 0, "parcel_id")?, "parcel_id")?,
                mode,
                contract_date: date(req(r, 2, "contract_date")?, "contract_date")?,
                agreed_start: opt_date(text(r, 3)?, "agreed_start")?,
                agreed_completion: opt_date(text(r, 4)?, "agreed_completion")?,
                price: Yuan(rows::dec(req(r, 5, "price_yuan")?)?),
            },
            r.get(6)?,
        ));
    }
    supplies.sort_by_key(|(s, fid)| (s.parcel_id, s.contract_date, *fid));
    let mut tax = Vec::new();
    let mut st =
        c.prepare("SELECT uscc, year, tax_yuan FROM enterprise_figures ORDER BY uscc, year")?;
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        tax.push((
            rows::parse_field("uscc", Uscc::parse(req(r, 0, "uscc")?))?,
            r.get(1)?,
            rows::dec(req(r, 2, "tax_yuan")?)?,
        ));
    }
    Ok(PartB {
        statuses,
        supplies: supplies.into_iter().map(|(s, _)| s).collect(),
        tax,
    })
}

/// Joins the two halves: a registered batch member counts as supplied on its parcel's first
/// contract date when the registry has one, on its stored `supplied_on` otherwise.
pub(super) fn assemble(a: PartA, b: PartB) -> ScanData {
    let mut first: HashMap<ParcelId, Date> = HashMap::new();
    for s in &b.supplies {
        // Oldest contract first within a parcel.
        first.entry(s.parcel_id).or_insert(s.contract_date);
    }
    let mut batches = a.batches;
    for p in batches.iter_mut().flat_map(|b| b.parcels.iter_mut()) {
        if let Some(d) = p.parcel_id.and_then(|id| first.get(&id)) {
            p.supplied_on = Some(*d);
        }
    }
    ScanData {
        parcels: a.parcels,
        jurisdictions: a.jurisdictions,
        parks: a.parks,
        enterprises: a.enterprises,
        statuses: b.statuses,
        supplies: b.supplies,
        tax: b.tax,
        batches,
    }
}

/// Reads everything on one connection, inside one read transaction.
pub(super) fn scan_data(c: &Connection) -> StoreResult<ScanData> {
    c.execute_batch("BEGIN DEFERRED")?;
    let out = read_a(c).and_then(|a| Ok(assemble(a, read_b(c)?)));
    // A read transaction: ending it cannot lose anything.
    let _ = c.execute_batch("COMMIT");
    out
}

/// Starts read transactions on `a` and `b` that see the same commit: while `w` (the store's
/// writer) holds the write lock, no commit can come between them. Returns `false`, with
/// nothing started, when the write lock is not free at once (another process is writing):
/// the caller then reads on one connection.
pub(super) fn same_snapshot(w: &Connection, a: &Connection, b: &Connection) -> StoreResult<bool> {
    w.busy_timeout(std::time::Duration::ZERO)?;
    let locked = w.execute_batch("BEGIN IMMEDIATE").is_ok();
    w.busy_timeout(super::BUSY_TIMEOUT)?;
    if !locked {
        return Ok(false);
    }
    // A read transaction takes its snapshot at its first read.
    let start = |c: &Connection| -> StoreResult<()> {
        c.execute_batch("BEGIN DEFERRED")?;
        c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
        Ok(())
    };
    let started = start(a).and_then(|()| start(b));
    let _ = w.execute_batch("ROLLBACK");
    if started.is_err() {
        let _ = a.execute_batch("ROLLBACK");
        let _ = b.execute_batch("ROLLBACK");
    }
    started.map(|()| true)
}

/// Reads the two halves in parallel on connections whose read transactions
/// [`same_snapshot`] started, and ends them. Gives `b` back unless its thread panicked.
pub(super) fn read_parallel(
    a: &Connection,
    b: Connection,
) -> (Option<Connection>, StoreResult<ScanData>) {
    std::thread::scope(|s| {
        let h = s.spawn(move || {
            let r = read_b(&b);
            let _ = b.execute_batch("COMMIT");
            (b, r)
        });
        let ra = read_a(a);
        let _ = a.execute_batch("COMMIT");
        match h.join() {
            Ok((b, rb)) => (Some(b), ra.and_then(|ra| Ok(assemble(ra, rb?)))),
            Err(_) => (
                None,
                Err(crate::error::StoreError::Backend(
                    "the scan's second reader thread panicked".into(),
                )),
            ),
        }
    })
}
