//! The R*Trees a bulk write packs in one pass (`sqlite/bulk_rtree`): SQLite's `rtreecheck`
//! accepts them, they answer bbox queries exactly as a tree built row by row from the
//! features' own envelopes, rows updated or ended within the same bulk write keep the entry
//! the triggers gave them, and GDAL reads the layer through them with a spatial filter.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use jiff::civil::date;
use landcycle_demo::fixtures;
use landcycle_domain::{Parcel, ParcelId, units::AreaM2};
use landcycle_store::{Change, ImportRow, Registry, SqliteStore, Store};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::sync::Arc;

/// The bulk write's effective date: after the parcels created through the registry (today).
const LATER: jiff::civil::Date = date(2030, 1, 1);

const TREES: [&str; 2] = ["rtree_parcels_geom", "rtree_parcel_versions_geom"];

fn import(reg: &Registry<SqliteStore>, n: usize, y0: f64) {
    let rows = (0..n)
        .map(|i| ImportRow {
            row: i + 1,
            draft: square(i, 113.75, y0),
        })
        .collect();
    import_all(reg, rows);
}

/// A new version 1 of a parcel from its draft, as the importer builds it.
fn parcel(draft: landcycle_domain::ParcelDraft) -> Parcel {
    let id = ParcelId(uuid::Uuid::new_v4());
    let area = AreaM2(rust_decimal::Decimal::from(1000));
    Parcel::from_draft(id, 1, draft.validate().unwrap(), area, LATER, vec![])
}

/// `p` moved to a new square, as its next version.
fn moved(p: &Parcel, x: f64, y: f64) -> Change {
    let mut next = p.clone();
    next.version += 1;
    next.geometry = fixtures::rect(x, y, 0.0005, 0.0005);
    Change::PutParcel {
        parcel: Box::new(next),
        expected_version: Some(p.version),
    }
}

fn apply(reg: &Registry<SqliteStore>, changes: Vec<Change>) {
    reg.store()
        .apply_stream(
            jiff::Timestamp::now(),
            LATER,
            &mut changes.into_iter().map(Ok),
        )
        .unwrap();
}

/// `rtreecheck` of both trees.
fn rtreecheck(c: &rusqlite::Connection) -> Vec<String> {
    TREES
        .iter()
        .map(|t| {
            c.query_row(&format!("SELECT rtreecheck('{t}')"), [], |r| r.get(0))
                .unwrap()
        })
        .collect()
}

/// Builds `ref_{table}`, a temporary R*Tree filled row by row from the features' own
/// envelopes (their GeoPackage blobs), and asserts that the store's tree answers many random
/// boxes with the same fids. Returns the number of features.
fn same_answers_as_row_by_row(c: &rusqlite::Connection, table: &str, seed: u64) -> usize {
    c.execute_batch(&format!(
        "DROP TABLE IF EXISTS temp.ref_{table};
         CREATE VIRTUAL TABLE temp.ref_{table} USING rtree(id, minx, maxx, miny, maxy);"
    ))
    .unwrap();
    let mut n = 0;
    let mut q = c
        .prepare(&format!("SELECT fid, geom FROM {table}"))
        .unwrap();
    let mut rows = q.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let (fid, blob): (i64, Vec<u8>) = (r.get(0).unwrap(), r.get(1).unwrap());
        let e = landcycle_geo::gpkg_envelope(&blob).unwrap().unwrap();
        c.execute(
            &format!("INSERT INTO temp.ref_{table} VALUES (?1, ?2, ?3, ?4, ?5)"),
            rusqlite::params![fid, e.min_x, e.max_x, e.min_y, e.max_y],
        )
        .unwrap();
        n += 1;
    }
    let ids = |t: &str, b: [f64; 4]| -> Vec<i64> {
        c.prepare(&format!(
            "SELECT id FROM {t} WHERE maxx >= ?1 AND minx <= ?2 AND maxy >= ?3 AND miny <= ?4 ORDER BY id"
        ))
        .unwrap()
        .query_map(rusqlite::params![b[0], b[1], b[2], b[3]], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut hits = 0;
    for _ in 0..500 {
        let (x, y) = (
            rng.random_range(113.74..113.81),
            rng.random_range(33.89..34.05),
        );
        let (w, h) = (rng.random_range(0.0..0.01), rng.random_range(0.0..0.01));
        let b = [x, x + w, y, y + h];
        let want = ids(&format!("temp.ref_{table}"), b);
        hits += want.len();
        assert_eq!(
            ids(&format!("rtree_{table}_geom"), b),
            want,
            "{table}, box {b:?}"
        );
    }
    assert!(hits > 500, "the boxes hit features: {hits}");
    let all = |t: &str| -> i64 {
        c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        all(&format!("rtree_{table}_geom")),
        n as i64,
        "{table}: one entry per feature"
    );
    n
}

/// The node count of a tree packed full from `n` entries (51 cells a node, 4 KiB pages).
fn packed_nodes(n: usize) -> i64 {
    let (mut nodes, mut level) = (1, n);
    while level > 51 {
        level = level.div_ceil(51);
        nodes += level;
    }
    nodes as i64
}

fn node_count(c: &rusqlite::Connection, t: &str) -> i64 {
    c.query_row(&format!("SELECT count(*) FROM {t}_node"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_bulk_import_into_an_empty_store_is_packed_and_checks_ok() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded(&path);
    import(&reg, 6_000, 33.91);
    let c = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(rtreecheck(&c), ["ok", "ok"]);
    for t in TREES {
        assert_eq!(node_count(&c, t), packed_nodes(6_000), "{t} is packed full");
    }
    assert_eq!(same_answers_as_row_by_row(&c, "parcels", 1), 6_000);
    assert_eq!(same_answers_as_row_by_row(&c, "parcel_versions", 2), 6_000);
}

/// A store with parcels, then one bulk write that adds `new` parcels, moves an existing
/// parcel, ends another, and adds two parcels of which it then moves one and ends the other.
fn mixed_write(new: usize) -> (tempfile::TempDir, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded(&path);
    import(&reg, 2_000, 33.91);
    let a = reg
        .create_parcel(square(0, 113.90, 33.91), &meta("入库"), None)
        .unwrap();
    let b = reg
        .create_parcel(square(1, 113.90, 33.91), &meta("入库"), None)
        .unwrap();
    let (x, y) = (
        parcel(square(2, 113.90, 33.91)),
        parcel(square(3, 113.90, 33.91)),
    );
    let mut changes: Vec<Change> = (0..new)
        .map(|i| Change::PutParcel {
            parcel: Box::new(parcel(square(i, 113.75, 33.98))),
            expected_version: None,
        })
        .collect();
    changes.splice(
        new / 2..new / 2,
        [
            moved(&a, 113.76, 33.975),
            Change::EndParcel {
                id: b.id,
                expected_version: 1,
            },
            Change::PutParcel {
                parcel: Box::new(x.clone()),
                expected_version: None,
            },
            Change::PutParcel {
                parcel: Box::new(y.clone()),
                expected_version: None,
            },
        ],
    );
    changes.extend([
        moved(&x, 113.77, 33.975),
        Change::EndParcel {
            id: y.id,
            expected_version: 1,
        },
    ]);
    apply(&reg, changes);
    // Live: 2,000 + a + the new ones + x. Versions: 2,002 + a's and x's second + new + x + y.
    (dir, 2_001 + new + 1, 2_002 + 2 + new + 2)
}

#[test]
fn a_bulk_write_into_a_store_with_parcels_merges_updates_and_ends() {
    for new in [3_000, 300] {
        let (dir, live, versions) = mixed_write(new);
        let c = rusqlite::Connection::open(dir.path().join("store.gpkg")).unwrap();
        assert_eq!(rtreecheck(&c), ["ok", "ok"], "{new} new parcels");
        assert_eq!(same_answers_as_row_by_row(&c, "parcels", 3), live);
        assert_eq!(
            same_answers_as_row_by_row(&c, "parcel_versions", 4),
            versions
        );
        if new == 3_000 {
            // More new entries than a quarter of the tree: re-packed whole.
            assert_eq!(node_count(&c, TREES[0]), packed_nodes(live));
            assert_eq!(node_count(&c, TREES[1]), packed_nodes(versions));
        }
        // The triggers are back: a later write through them keeps the tree whole.
        let reg = Registry::new(Arc::new(
            SqliteStore::open(dir.path().join("store.gpkg")).unwrap(),
        ));
        reg.create_parcel(square(5, 113.90, 33.91), &meta("入库"), None)
            .unwrap();
        assert_eq!(rtreecheck(&c), ["ok", "ok"]);
        assert_eq!(same_answers_as_row_by_row(&c, "parcels", 5), live + 1);
    }
}

/// GDAL's `ogrinfo` with `-spat` reads the layer through the packed tree. `None` when
/// skipped (LANDCYCLE_SKIP_GDAL=1, as in `tests/gdal.rs`).
fn ogrinfo_count(file: &Path, layer: &str, b: [f64; 4]) -> Option<i64> {
    if std::env::var("LANDCYCLE_SKIP_GDAL").is_ok_and(|v| v == "1") {
        return None;
    }
    let spat = b.map(|v| v.to_string());
    let out = std::process::Command::new("ogrinfo")
        .env("CPL_DEBUG", "OFF")
        .args([
            "-ro", "-so", "-spat", &spat[0], &spat[1], &spat[2], &spat[3],
        ])
        .arg(file)
        .arg(layer)
        .output()
        .expect("`ogrinfo` (Debian gdal-bin) runs, or set LANDCYCLE_SKIP_GDAL=1");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ogrinfo failed:\n{stdout}\n{stderr}");
    assert!(!stderr.to_ascii_lowercase().contains("error"), "{stderr}");
    let line = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("Feature Count: "))
        .unwrap();
    Some(line.parse().unwrap())
}

#[test]
fn gdal_reads_the_packed_layer_with_a_spatial_filter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded(&path);
    import(&reg, 4_000, 33.91);
    reg.store().refresh_extents().unwrap();
    reg.store().checkpoint().unwrap();
    // Boxes with their edges in the gaps between the squares: columns 3–12 of rows 5–24
    // (200 parcels), one whole column, one parcel, and nothing.
    let (x0, y0, s) = (113.75, 33.91, 0.0012);
    let boxes = [
        (
            [
                x0 + 3.0 * s - 1e-4,
                y0 + 5.0 * s - 1e-4,
                x0 + 12.0 * s + 0.0011,
                y0 + 24.0 * s + 0.0011,
            ],
            200,
        ),
        (
            [
                x0 + 7.0 * s - 1e-4,
                y0 - 1.0,
                x0 + 7.0 * s + 0.0011,
                y0 + 1.0,
            ],
            100,
        ),
        ([x0 + 0.0003, y0 + 0.0003, x0 + 0.0004, y0 + 0.0004], 1),
        ([x0 + 0.00105, y0, x0 + 0.00115, y0 + 0.1], 0),
    ];
    for (b, want) in boxes {
        for layer in ["parcels", "parcel_versions"] {
            if let Some(n) = ogrinfo_count(&path, layer, b) {
                assert_eq!(n, want, "{layer} within {b:?}");
            }
        }
    }
}
