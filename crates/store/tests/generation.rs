//! The store's generation, which the tile, findings and price-guide caches key on, sees writes
//! by another process on the same file (a `landcycle import` while the server runs).

#![allow(missing_docs, clippy::unwrap_used)]

use landcycle_demo::fixtures;
use landcycle_store::{Registry, SqliteStore, Store, WriteMeta};
use std::sync::Arc;

#[test]
fn a_write_through_another_handle_changes_the_generation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.gpkg");
    let server = SqliteStore::open(&path).unwrap();
    let other = Registry::new(Arc::new(SqliteStore::open(&path).unwrap()));
    let before = server.generation();
    assert_eq!(server.generation(), before, "nothing written: no change");

    let meta = WriteMeta::new("import", "批量导入");
    other
        .put_park(
            fixtures::weidu(Some(fixtures::rect(113.84, 34.02, 0.03, 0.03))),
            &meta,
        )
        .unwrap();
    let after = server.generation();
    assert!(after > before, "{before} → {after}");
    assert_eq!(server.generation(), after, "stable until the next write");
}

/// The hot path's generation counts this handle's writes at once and another process's
/// within `GENERATION_RECHECK`, in the same numbering as the exact one.
#[test]
fn the_recent_generation_sees_other_writers_within_the_recheck_bound() {
    use landcycle_store::sqlite::GENERATION_RECHECK;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.gpkg");
    let server = Arc::new(SqliteStore::open(&path).unwrap());
    let own = Registry::new(Arc::clone(&server) as Arc<dyn Store>);
    let other = Registry::new(Arc::new(SqliteStore::open(&path).unwrap()));
    let start = server.generation();
    assert_eq!(server.generation_recent(), start, "same numbering");

    // A write through this handle: at once, without waiting for a recheck.
    let meta = WriteMeta::new("test", "本进程写入");
    own.put_park(fixtures::weidu(None), &meta).unwrap();
    let mine = server.generation_recent();
    assert!(mine > start, "{start} → {mine}");

    // Another handle on the file (a CLI import): seen within the bound, and then equal to
    // the exact generation.
    let written = std::time::Instant::now();
    other
        .put_park(
            fixtures::weidu(Some(fixtures::rect(113.84, 34.02, 0.03, 0.03))),
            &WriteMeta::new("import", "批量导入"),
        )
        .unwrap();
    let seen = loop {
        let g = server.generation_recent();
        if g > mine {
            break written.elapsed();
        }
        assert!(
            written.elapsed() < GENERATION_RECHECK * 3,
            "not seen after {:?}",
            written.elapsed()
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(
        seen <= GENERATION_RECHECK + std::time::Duration::from_millis(50),
        "{seen:?}"
    );
    assert_eq!(server.generation_recent(), server.generation());
}
