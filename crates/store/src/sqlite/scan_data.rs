//! Bulk reads for the rule scan: one snapshot of everything it needs.
//!
//! Every table is read in storage order (`rowid`), never through an index: walking
//! `parcel_versions` or `supplies` by `parcel_id` jumped between table pages for each row and
//! was most of the scan's time. The scan orders what it needs itself, on integers. Only the
//! columns the rules use are read (no geometry), text is borrowed from SQLite rather than
//! copied into a `String` per cell, and the few distinct counties, parks and land users are
//! interned. A parcel whose current row is its first version (`version = 1`) has no other
//! history: its one version is taken from that row, and `parcel_versions` (whose rows carry
//! the geometry too) is read only for the parcels that changed. The work is split over two
//! connections that read in parallel from the same snapshot (see `SqliteStore::scan_data`);
//! [`super::scan_merge`] joins the parts by parcel position.

use super::rows::{self, mode_str};
use super::scan_merge::{Others, Parcels, assemble};
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

/// Parcels with history are read by an index seek each while they are at most one in this
/// many; above that, one pass over the whole `parcel_versions` table costs less.
const SEEK_SHARE: usize = 8;

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

/// Column `i` as a parcel id, parsed from the bytes (no UTF-8 check of a million ids).
fn id_at(r: &Row<'_>, i: usize, what: &str) -> rusqlite::Result<ParcelId> {
    let v = r.get_ref(i)?;
    if matches!(v, rusqlite::types::ValueRef::Null) {
        return Err(corrupt(what, "NULL"));
    }
    Uuid::try_parse_ascii(v.as_bytes()?)
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
    /// The last text looked up: neighbouring rows mostly share their county, park and user,
    /// so most rows are answered without hashing.
    last: Option<(String, u32)>,
}

impl<T> Interner<T> {
    fn new() -> Self {
        Self {
            index: HashMap::new(),
            values: Vec::new(),
            last: None,
        }
    }

    fn get(
        &mut self,
        s: &str,
        make: impl FnOnce(&str) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<u32> {
        if let Some((t, i)) = &self.last
            && t == s
        {
            return Ok(*i);
        }
        let i = match self.index.get(s) {
            Some(i) => *i,
            None => {
                let i =
                    u32::try_from(self.values.len()).map_err(|e| corrupt("interned values", e))?;
                self.values.push(make(s)?);
                self.index.insert(s.to_owned(), i);
                i
            }
        };
        self.last = Some((s.to_owned(), i));
        Ok(i)
    }
}

/// Reads the live parcels, noting those with more than one version.
pub(super) fn read_parcels(c: &Connection) -> StoreResult<Parcels> {
    let mut jurisdictions = Interner::new();
    let mut parks = Interner::new();
    let mut enterprises = Interner::new();
    let mut parcels = Vec::new();
    let mut multi = Vec::new();
    let mut st = c.prepare(
        "SELECT parcel_id, jurisdiction, park_id, status, computed_area_m2, enterprise_uscc, valid_from, version
         FROM parcels ORDER BY fid",
    )?;
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        let p = ScanParcel {
            id: id_at(r, 0, "parcel_id")?,
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
        };
        if r.get::<_, i64>(7)? != 1 {
            let at = u32::try_from(parcels.len()).map_err(|e| corrupt("parcel count", e))?;
            multi.push((at, p.id));
        }
        parcels.push(p);
    }
    Ok(Parcels {
        parcels,
        jurisdictions: jurisdictions.values,
        parks: parks.values,
        enterprises: enterprises.values,
        multi,
    })
}

/// The batches as [`super::batches::read_batches`] reads them, but with each member's stored
/// `supplied_on` (that function's per-row sub-query for the first contract date is replaced
/// by one pass over the supplies in [`assemble`]) and the members read in storage order, then
/// put in `seq` order per batch: `ORDER BY batch_id, seq` walked an index with a table seek
/// per row.
fn read_batches(c: &Connection) -> StoreResult<Vec<BatchRecord>> {
    let mut batches = super::batches::read_batches_without_parcels(c)?;
    let at: BTreeMap<String, usize> = batches
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.clone(), i))
        .collect();
    let mut members: Vec<Vec<(i64, BatchParcel)>> = vec![Vec::new(); batches.len()];
    let mut st = c.prepare(
        "SELECT batch_id, seq, parcel_id, area_m2, supplied_on FROM batch_parcels ORDER BY fid",
    )?;
    let mut q = st.query([])?;
    // Rows come mostly grouped by batch: look the batch up only when the id changes.
    let mut current: Option<(String, Option<usize>)> = None;
    while let Some(r) = q.next()? {
        let id = req(r, 0, "batch_id")?;
        if current.as_ref().is_none_or(|(c, _)| c != id) {
            current = Some((id.to_owned(), at.get(id).copied()));
        }
        let Some(list) = current
            .as_ref()
            .and_then(|(_, b)| *b)
            .and_then(|b| members.get_mut(b))
        else {
            continue;
        };
        let parcel_id = match r.get_ref(2)? {
            rusqlite::types::ValueRef::Null => None,
            _ => Some(id_at(r, 2, "parcel_id")?),
        };
        list.push((
            r.get(1)?,
            BatchParcel {
                parcel_id,
                area_m2: AreaM2(rows::dec(req(r, 3, "area_m2")?)?),
                supplied_on: opt_date(text(r, 4)?, "supplied_on")?,
            },
        ));
    }
    for (b, mut list) in batches.iter_mut().zip(members) {
        // Stable: members with equal `seq` keep their storage order, as the index had them.
        list.sort_by_key(|(seq, _)| *seq);
        b.parcels.extend(list.into_iter().map(|(_, p)| p));
    }
    Ok(batches)
}

/// Reads the supplies (storage order, with their storage key), the tax figures and the
/// batches: everything but the parcels and their versions.
pub(super) fn read_others(c: &Connection) -> StoreResult<Others> {
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
                parcel_id: id_at(r, 0, "parcel_id")?,
                parcel_index: u32::MAX,
                mode,
                contract_date: date(req(r, 2, "contract_date")?, "contract_date")?,
                agreed_start: opt_date(text(r, 3)?, "agreed_start")?,
                agreed_completion: opt_date(text(r, 4)?, "agreed_completion")?,
                price: Yuan(rows::dec(req(r, 5, "price_yuan")?)?),
            },
            r.get(6)?,
        ));
    }
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
    Ok(Others {
        supplies,
        tax,
        batches: read_batches(c)?,
    })
}

/// The versions of the parcels in `multi` (position and id, in parcel order), ordered by
/// (position, version): by an index seek per parcel when they are few among `parcels`, by one
/// pass over the table otherwise.
pub(super) fn read_versions(
    c: &Connection,
    multi: &[(u32, ParcelId)],
    parcels: usize,
) -> StoreResult<Vec<StatusStep>> {
    let mut out = Vec::new();
    if multi.is_empty() {
        return Ok(out);
    }
    let step = |r: &Row<'_>, parcel_id: ParcelId, parcel_index: u32| -> StoreResult<StatusStep> {
        Ok(StatusStep {
            parcel_id,
            parcel_index,
            version: r.get(0)?,
            status: status(req(r, 1, "status")?)?,
            valid_from: date(req(r, 2, "valid_from")?, "valid_from")?,
        })
    };
    if multi.len().saturating_mul(SEEK_SHARE) <= parcels {
        let mut st = c.prepare(
            "SELECT version, status, valid_from FROM parcel_versions WHERE parcel_id = ?1 ORDER BY version",
        )?;
        for (i, id) in multi {
            let mut q = st.query([id.to_string()])?;
            while let Some(r) = q.next()? {
                out.push(step(r, *id, *i)?);
            }
        }
        return Ok(out);
    }
    let mut by_id: Vec<(ParcelId, u32)> = multi.iter().map(|(i, id)| (*id, *i)).collect();
    by_id.sort_unstable();
    let mut st = c.prepare(
        "SELECT version, status, valid_from, parcel_id FROM parcel_versions ORDER BY rowid",
    )?;
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        let id = id_at(r, 3, "parcel_id")?;
        if let Ok(j) = by_id.binary_search_by_key(&id, |(k, _)| *k)
            && let Some((_, i)) = by_id.get(j)
        {
            out.push(step(r, id, *i)?);
        }
    }
    out.sort_by_key(|s| (s.parcel_index, s.version));
    Ok(out)
}

/// Reads everything on one connection, inside one read transaction.
pub(super) fn scan_data(c: &Connection) -> StoreResult<ScanData> {
    c.execute_batch("BEGIN DEFERRED")?;
    let out = (|| {
        let p = read_parcels(c)?;
        let o = read_others(c)?;
        let v = read_versions(c, &p.multi, p.parcels.len())?;
        Ok(assemble(p, o, v))
    })();
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

/// Reads in parallel on connections whose read transactions [`same_snapshot`] started, and
/// ends them: this thread reads the parcels, the other the supplies, tax figures and batches
/// and then the versions of the parcels this one found to have changed. Gives `b` back
/// unless its thread panicked.
pub(super) fn read_parallel(
    a: &Connection,
    b: Connection,
) -> (Option<Connection>, StoreResult<ScanData>) {
    let (send, recv) = std::sync::mpsc::channel::<(Vec<(u32, ParcelId)>, usize)>();
    std::thread::scope(|s| {
        let h = s.spawn(move || {
            let r = read_others(&b).and_then(|o| {
                // No message: the parcels could not be read, and that error is reported.
                let (multi, n) = recv.recv().map_err(|_| {
                    crate::error::StoreError::Backend("the parcels were not read".into())
                })?;
                Ok((o, read_versions(&b, &multi, n)?))
            });
            let _ = b.execute_batch("COMMIT");
            (b, r)
        });
        let rp = read_parcels(a);
        if let Ok(p) = &rp {
            let _ = send.send((p.multi.clone(), p.parcels.len()));
        }
        drop(send);
        let _ = a.execute_batch("COMMIT");
        match h.join() {
            Ok((b, rb)) => (
                Some(b),
                rp.and_then(|p| {
                    let (o, v) = rb?;
                    Ok(assemble(p, o, v))
                }),
            ),
            Err(_) => (
                None,
                Err(crate::error::StoreError::Backend(
                    "the scan's second reader thread panicked".into(),
                )),
            ),
        }
    })
}
