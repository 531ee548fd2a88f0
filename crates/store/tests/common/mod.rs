//! The bulk-import tests' shared fixtures: a store with the 魏都 park and one land user, and
//! rows of 0.001° squares on a 0.0012° grid of 40 columns, as a Shapefile import gives them.
#![allow(dead_code, clippy::unwrap_used)]

use jiff::civil::date;
use landcycle_demo::fixtures;
use landcycle_domain::ParcelDraft;
use landcycle_store::{ImportRow, ImportSource, Registry, SqliteStore, WriteMeta};
use std::path::Path;
use std::sync::Arc;

pub fn meta(reason: &str) -> WriteMeta {
    WriteMeta::new("tester", reason)
}

/// The source of every test import: a GBK Shapefile in GK zone 38.
pub fn source() -> ImportSource {
    ImportSource {
        file: "宗地.shp".into(),
        sha256: "cd".repeat(32),
        format: "shapefile".into(),
        crs: "EPSG:4526".into(),
        encoding: Some("GBK".into()),
        notes: vec![],
    }
}

/// Grid cell `i` (0-based) from (x0, y0): a parcel without a 宗地代码.
pub fn square(i: usize, x0: f64, y0: f64) -> ParcelDraft {
    let (x, y) = (x0 + (i % 40) as f64 * 0.0012, y0 + (i / 40) as f64 * 0.0012);
    let mut d = fixtures::parcel_draft(fixtures::rect(x, y, 0.001, 0.001));
    d.code = None;
    d
}

/// `n` rows from x = `x0`, y = 33.95, each with a valid 宗地代码.
pub fn rows(n: usize, x0: f64) -> Vec<ImportRow> {
    (0..n)
        .map(|i| {
            let mut draft = square(i, x0, 33.95);
            draft.code = Some(format!(
                "411002001{:03}GB{:05}",
                1 + i / 90_000,
                1 + i % 90_000
            ));
            ImportRow { row: i + 1, draft }
        })
        .collect()
}

/// A registry over `store` with the park and the land user the rows refer to.
pub fn seeded_with(store: SqliteStore) -> Registry<SqliteStore> {
    let reg = Registry::new(Arc::new(store));
    reg.put_park(
        fixtures::weidu(Some(fixtures::rect(113.70, 33.90, 0.3, 0.3))),
        &meta("建园").effective(date(2015, 1, 1)),
    )
    .unwrap();
    reg.put_enterprise(
        fixtures::enterprise("weidu"),
        &meta("登记企业").effective(date(2015, 1, 1)),
    )
    .unwrap();
    reg
}

/// [`seeded_with`] a store opened at `path`.
pub fn seeded(path: &Path) -> Registry<SqliteStore> {
    seeded_with(SqliteStore::open(path).unwrap())
}

/// Imports `rows` and asserts that every one was written.
pub fn import_all(reg: &Registry<SqliteStore>, rows: Vec<ImportRow>) {
    let n = rows.len();
    let r = reg
        .import_parcels(rows, source(), &meta("导入"), false)
        .unwrap();
    assert!(
        r.written && r.created.len() == n,
        "{:?}",
        r.problems.first()
    );
}

/// The changes of `rows` as new parcels (ids and areas made up, every draft valid).
pub fn new_parcels(
    rows: Vec<ImportRow>,
) -> Vec<landcycle_store::StoreResult<landcycle_store::Change>> {
    rows.into_iter()
        .map(|r| {
            let id = landcycle_domain::ParcelId(uuid::Uuid::new_v4());
            let valid = r.draft.validate().unwrap();
            let area = landcycle_domain::units::AreaM2(rust_decimal::Decimal::from(1000));
            Ok(landcycle_store::Change::PutParcel {
                parcel: Box::new(landcycle_domain::Parcel::from_draft(
                    id,
                    1,
                    valid,
                    area,
                    date(2024, 1, 1),
                    vec![],
                )),
                expected_version: None,
            })
        })
        .collect()
}

/// [`new_parcels`] of `rows`, breaking off after `take` of them with an error: a producer that
/// fails half way through a bulk write.
pub fn broken_stream(
    rows: Vec<ImportRow>,
    take: usize,
) -> Vec<landcycle_store::StoreResult<landcycle_store::Change>> {
    let mut changes = new_parcels(rows);
    changes.truncate(take);
    changes.push(Err(landcycle_store::StoreError::Backend(
        "producer stopped".into(),
    )));
    changes
}

/// Streams `changes` into the store as one bulk write that must fail; returns its error.
pub fn failed_stream(
    reg: &Registry<SqliteStore>,
    changes: Vec<landcycle_store::StoreResult<landcycle_store::Change>>,
) -> landcycle_store::StoreError {
    use landcycle_store::Store;
    reg.store()
        .apply_stream(
            jiff::Timestamp::now(),
            date(2024, 1, 1),
            &mut changes.into_iter(),
        )
        .unwrap_err()
}
