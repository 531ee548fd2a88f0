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
