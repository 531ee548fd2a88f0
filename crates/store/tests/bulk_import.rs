//! The bulk import's write path on the GeoPackage store: parcels streamed into one transaction,
//! the R*Tree indexes filled at the end (insert triggers dropped and re-created inside the
//! transaction), and all or nothing when the write fails half way.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use jiff::civil::date;
use landcycle_store::Store;
use std::path::Path;

/// (trigger SQL of the parcel tables, R*Tree rows that disagree with their feature's envelope,
/// R*Tree rows, feature rows) per parcel table.
fn rtree_state(path: &Path) -> Vec<(String, i64, i64, i64)> {
    let c = rusqlite::Connection::open(path).unwrap();
    ["parcels", "parcel_versions"]
        .iter()
        .map(|t| {
            let triggers: String = c
                .query_row(
                    "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master
                     WHERE type = 'trigger' AND tbl_name = ?1 ORDER BY name)",
                    [t],
                    |r| r.get(0),
                )
                .unwrap();
            // Each feature's envelope (from its GeoPackage blob) against its R*Tree entry
            // (stored as 32-bit floats, rounded outwards).
            let mut q = c
                .prepare(&format!(
                    "SELECT f.geom, r.minx, r.maxx, r.miny, r.maxy FROM {t} f
                     LEFT JOIN rtree_{t}_geom r ON r.id = f.fid"
                ))
                .unwrap();
            let wrong = q
                .query_map([], |r| {
                    let blob: Vec<u8> = r.get(0)?;
                    let b: [Option<f64>; 4] = [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?];
                    Ok((blob, b))
                })
                .unwrap()
                .map(Result::unwrap)
                .filter(|(blob, b)| {
                    let e = landcycle_geo::gpkg_envelope(blob).unwrap().unwrap();
                    let want = [e.min_x, e.max_x, e.min_y, e.max_y];
                    !b.iter()
                        .zip(want)
                        .all(|(got, w)| got.is_some_and(|g| (g - w).abs() < 1e-4))
                })
                .count() as i64;
            let n_rtree: i64 = c
                .query_row(&format!("SELECT count(*) FROM rtree_{t}_geom"), [], |r| {
                    r.get(0)
                })
                .unwrap();
            let n: i64 = c
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap();
            (triggers, wrong, n_rtree, n)
        })
        .collect()
}

#[test]
fn a_bulk_import_indexes_every_parcel_and_keeps_the_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded(&path);
    // One parcel before, through the ordinary (trigger-maintained) path.
    reg.create_parcel(square(0, 113.75, 33.91), &meta("入库"), None)
        .unwrap();
    let before = rtree_state(&path);
    import_all(&reg, rows(2_500, 113.80));
    let after = rtree_state(&path);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.0, b.0, "the R*Tree triggers are re-created exactly");
        assert_eq!(a.1, 0, "every feature has its R*Tree entry: {a:?}");
        assert_eq!((a.2, a.3), (2_501, 2_501));
    }
    // The triggers work again: a later single create is indexed, and the overlap check of
    // the next import sees the imported parcels through the index.
    reg.create_parcel(square(0, 113.76, 33.91), &meta("入库"), None)
        .unwrap();
    assert!(rtree_state(&path).iter().all(|s| s.1 == 0 && s.2 == 2_502));
    let again = reg
        .import_parcels(rows(10, 113.80), source(), &meta("导入"), false)
        .unwrap();
    assert!(!again.written);
    assert!(
        again
            .problems
            .iter()
            .any(|p| p.field == "geometry" && p.reason.contains("existing"))
    );
    assert!(reg.store().integrity_check().unwrap().is_empty());
}

#[test]
fn a_bulk_write_that_fails_half_way_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded(&path);
    let before = rtree_state(&path);
    let stats = format!("{:?}", reg.store().stats().unwrap());
    let first = reg
        .import_parcels(rows(5, 113.80), source(), &meta("导入"), true)
        .unwrap();
    assert!(first.problems.is_empty(), "{:?}", first.problems.first());
    // A stream that breaks after some parcels were written: the transaction rolls back,
    // the dropped triggers included.
    let changes = broken_stream(rows(30, 113.80), 20);
    let err = reg
        .store()
        .apply_stream(
            jiff::Timestamp::now(),
            date(2024, 1, 1),
            &mut changes.into_iter(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("producer stopped"), "{err}");
    assert_eq!(rtree_state(&path), before);
    assert_eq!(format!("{:?}", reg.store().stats().unwrap()), stats);
}
