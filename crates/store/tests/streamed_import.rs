//! An import checks its rows chunk by chunk while the store writes the chunks already checked,
//! in one transaction: a problem found late rolls back what was written, every problem of the
//! file is still reported, and a store changed since the checks read it refuses the write.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use landcycle_store::{Change, ChangeSet, SqliteStore, Store, StoreError};

/// Parcels, versions, history and R*Tree rows, and the journal mode byte of the file header.
fn footprint(path: &std::path::Path) -> (Vec<i64>, u8) {
    let c = rusqlite::Connection::open(path).unwrap();
    let counts = [
        "parcels",
        "parcel_versions",
        "events",
        "event_refs",
        "rtree_parcels_geom",
        "rtree_parcel_versions_geom",
    ]
    .iter()
    .map(|t| {
        c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    })
    .collect();
    let header = std::fs::read(path).unwrap();
    (counts, header[18])
}

#[test]
fn a_problem_found_late_rolls_back_the_rows_written_before_it_and_all_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let store = SqliteStore::open(&path).unwrap();
    // As `landcycle import` runs: the file to itself, the write in rollback-journal mode.
    store.set_sole_writer(true);
    let reg = seeded_with(store);
    let before = footprint(&path);
    let stats = format!("{:?}", reg.store().stats().unwrap());
    // 13,000 rows are four chunks of checks; the first two are clean and go to the writer
    // before the third's problem is found.
    let mut rows = rows(13_000, 113.72);
    rows[8_999].draft.geometry = rows[1].draft.geometry.clone();
    rows[12_499].draft.code = rows[9].draft.code.clone();
    let report = reg
        .import_parcels(rows, source(), &meta("导入"), false)
        .unwrap();
    assert!(!report.written && report.created.is_empty());
    let found: Vec<(Option<usize>, &str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.field.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Some(9_000),
                "geometry",
                "overlaps row 2 of this file by 100.0 %"
            ),
            (
                Some(12_500),
                "code",
                "宗地代码 also used by row 10 of this file"
            ),
        ]
    );
    assert_eq!(footprint(&path), before);
    assert_eq!(before.1, 2, "the file is back in WAL mode");
    assert_eq!(format!("{:?}", reg.store().stats().unwrap()), stats);
    assert!(reg.store().integrity_check().unwrap().is_empty());
    // The same file without its two problems imports whole, its progress told as it is
    // written.
    let mut told = Vec::new();
    let report = reg
        .import_parcels_with(
            common::rows(13_000, 113.72),
            source(),
            &meta("导入"),
            false,
            &mut |done, total| told.push((done, total)),
        )
        .unwrap();
    assert!(report.written && report.created.len() == 13_000);
    assert_eq!(footprint(&path).0[0], 13_000);
    assert!(told.len() >= 4 && told.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(told.last(), Some(&(13_000, 13_000)));
}

#[test]
fn a_write_refuses_a_store_changed_since_its_checks() {
    let dir = tempfile::tempdir().unwrap();
    let reg = seeded(&dir.path().join("store.gpkg"));
    let seen = reg.store().generation();
    let unchanged = |generation| ChangeSet {
        changes: vec![Change::Unchanged { generation }],
        recorded_at: jiff::Timestamp::now(),
        effective: jiff::civil::date(2026, 1, 1),
    };
    reg.store().apply(unchanged(seen)).unwrap();
    reg.create_parcel(square(0, 113.75, 33.91), &meta("入库"), None)
        .unwrap();
    let err = reg.store().apply(unchanged(seen)).unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("changed while the import")),
        "{err:?}"
    );
    reg.store()
        .apply(unchanged(reg.store().generation()))
        .unwrap();
}

#[test]
fn files_checked_together_are_checked_again_against_the_files_written_before_them() {
    let dir = tempfile::tempdir().unwrap();
    let reg = seeded(&dir.path().join("store.gpkg"));
    // Two files whose rows carry the same codes in different places: each is clean alone.
    let first = reg
        .check_import(rows(50, 113.72), source(), &meta("导入"))
        .unwrap();
    let second = reg
        .check_import(rows(50, 113.80), source(), &meta("导入"))
        .unwrap();
    assert!(first.problems().is_empty() && second.problems().is_empty());
    assert!(reg.write_import(first, &meta("导入")).unwrap().written);
    let again = reg.write_import(second, &meta("导入")).unwrap();
    assert!(!again.written);
    assert_eq!(again.problems.len(), 50, "{:?}", again.problems.first());
    assert!(
        again
            .problems
            .iter()
            .all(|p| p.field == "code" && p.reason == "a live parcel already has this 宗地代码")
    );
    assert_eq!(reg.store().stats().unwrap().parcels, 50);
}
