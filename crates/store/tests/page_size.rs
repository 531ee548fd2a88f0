//! New stores are created with 16 KiB pages (faster bulk imports, a smaller file); a store
//! made with SQLite's default 4 KiB pages opens and is written as it is.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use landcycle_store::{SqliteStore, Store};

fn page_size(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_store_has_16_kib_pages_and_an_old_one_keeps_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.gpkg");
    drop(SqliteStore::open(&new).unwrap());
    assert_eq!(page_size(&new), 16_384);
    // A GeoPackage begun by other software with 4 KiB pages.
    let old = dir.path().join("old.gpkg");
    rusqlite::Connection::open(&old)
        .unwrap()
        .execute_batch("PRAGMA page_size = 4096; CREATE TABLE other_app (x);")
        .unwrap();
    let reg = seeded(&old);
    import_all(&reg, rows(500, 113.80));
    assert_eq!(page_size(&old), 4_096);
    assert!(reg.store().integrity_check().unwrap().is_empty());
}
