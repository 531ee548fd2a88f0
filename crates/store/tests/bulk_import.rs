//! The bulk import's write path on the GeoPackage store: parcels streamed into one transaction,
//! the R*Tree indexes filled at the end (insert triggers dropped and re-created inside the
//! transaction), and all or nothing when the write fails half way.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
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
    let err = failed_stream(&reg, changes);
    assert!(err.to_string().contains("producer stopped"), "{err}");
    assert_eq!(rtree_state(&path), before);
    assert_eq!(format!("{:?}", reg.store().stats().unwrap()), stats);
}

#[test]
fn a_bulk_write_refuses_a_parcel_that_exists_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded(&path);
    import_all(&reg, rows(300, 113.80));
    let id: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT parcel_id FROM parcels LIMIT 1 OFFSET 150",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let id = landcycle_domain::ParcelId(id.parse().unwrap());
    let existing = reg.store().parcel(id, None).unwrap().unwrap();
    let before = rtree_state(&path);
    let stats = format!("{:?}", reg.store().stats().unwrap());
    // New parcels around one whose id the store has: the many-rows-per-statement write finds
    // the collision in the middle of a statement.
    let mut changes = new_parcels(rows(200, 114.10));
    changes.insert(
        130,
        Ok(landcycle_store::Change::PutParcel {
            parcel: Box::new(existing.clone()),
            expected_version: None,
        }),
    );
    let err = failed_stream(&reg, changes);
    assert!(
        matches!(&err, landcycle_store::StoreError::Conflict(m)
            if m.contains(&existing.id.to_string()) && m.contains("already exists")),
        "{err:?}"
    );
    assert_eq!(rtree_state(&path), before);
    assert_eq!(format!("{:?}", reg.store().stats().unwrap()), stats);
}

#[test]
fn the_current_rows_of_a_bulk_import_equal_their_version_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded(&path);
    import_all(&reg, rows(1_000, 113.80));
    let c = rusqlite::Connection::open(&path).unwrap();
    let cols: Vec<String> = c
        .prepare("SELECT name FROM pragma_table_info('parcels') WHERE name != 'fid'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(cols.len() > 20 && cols.iter().any(|c| c == "geom"));
    let differ = cols
        .iter()
        .map(|c| format!("p.{c} IS NOT v.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let (joined, different): (i64, i64) = c
        .query_row(
            &format!(
                "SELECT count(*), coalesce(sum({differ}), 0) FROM parcels p
                 JOIN parcel_versions v ON v.parcel_id = p.parcel_id AND v.version = p.version"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((joined, different), (1_000, 0));
    // Each row's history link keeps its row number in the file.
    let linked: i64 = c
        .query_row(
            "SELECT count(DISTINCT source_row) FROM event_refs r JOIN parcels p
             ON p.parcel_id = r.entity_id WHERE r.source_row BETWEEN 1 AND 1000",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, 1_000);
}
