//! A bulk import that has the file to itself writes it in rollback-journal mode (each page
//! once, no WAL, no checkpoint) and returns the store to WAL; with another connection on the
//! file it keeps to WAL. Either way the secondary indexes dropped for the load are re-created
//! exactly, and a write that fails half way leaves the store as it was.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use landcycle_store::{Registry, SqliteStore, Store};
use std::path::{Path, PathBuf};

/// A store with a park, an enterprise and one parcel, whose bulk writes may take the file.
fn seeded_sole(path: &Path) -> Registry<SqliteStore> {
    let store = SqliteStore::open(path).unwrap();
    store.set_sole_writer(true);
    let reg = seeded_with(store);
    reg.create_parcel(square(0, 113.75, 33.91), &meta("入库"), None)
        .unwrap();
    reg
}

fn wal(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-wal");
    PathBuf::from(p)
}

fn wal_len(path: &Path) -> u64 {
    std::fs::metadata(wal(path)).map_or(0, |m| m.len())
}

/// The file's own record of its journal mode: header bytes 18 and 19 are 2 in WAL mode, 1 in
/// rollback mode.
fn header_mode(path: &Path) -> (u8, u8) {
    let bytes = std::fs::read(path).unwrap();
    (bytes[18], bytes[19])
}

/// Every index of the bulk-written tables with its SQL (NULL for constraint autoindexes).
fn indexes(path: &Path) -> Vec<(String, Option<String>)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut q = c
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index'
             AND tbl_name IN ('parcels', 'parcel_versions', 'event_refs') ORDER BY name",
        )
        .unwrap();
    q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn count(c: &rusqlite::Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_sole_bulk_import_skips_the_wal_and_returns_the_store_to_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded_sole(&path);
    // The store's own readers were used (the import's checks read through them): the switch
    // must close them first.
    assert_eq!(reg.store().stats().unwrap().parcels, 1);
    let before = indexes(&path);
    assert!(
        before.iter().any(|(n, _)| n == "parcels_code"),
        "{before:?}"
    );
    reg.store().checkpoint().unwrap();
    import_all(&reg, rows(3_000, 113.80));
    // ~3 MB of pages written, none through the WAL; the file is in WAL mode again.
    assert!(
        wal_len(&path) < 64 * 1024,
        "the import went through the WAL ({} bytes)",
        wal_len(&path)
    );
    assert_eq!(header_mode(&path), (2, 2));
    assert_eq!(indexes(&path), before, "the indexes are re-created exactly");
    assert!(reg.store().integrity_check().unwrap().is_empty());
    let c = rusqlite::Connection::open(&path).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    // The rebuilt indexes answer queries (the planner uses parcels_code).
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM parcels WHERE code = '411002001001GB00007'"
        ),
        1
    );
    // Later writes go through the WAL as always.
    drop(c);
    reg.create_parcel(square(0, 113.76, 33.91), &meta("入库"), None)
        .unwrap();
    assert!(wal_len(&path) > 0);
}

#[test]
fn another_connection_on_the_file_keeps_the_bulk_import_in_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded_sole(&path);
    let before = indexes(&path);
    // Another process (a server) would hold the file open like this connection.
    let other = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(count(&other, "SELECT count(*) FROM parcels"), 1);
    import_all(&reg, rows(3_000, 113.80));
    assert!(
        wal_len(&path) > 1024 * 1024,
        "the import was written through the WAL ({} bytes)",
        wal_len(&path)
    );
    assert_eq!(header_mode(&path), (2, 2));
    assert_eq!(count(&other, "SELECT count(*) FROM parcels"), 3_001);
    assert_eq!(indexes(&path), before);
    assert!(reg.store().integrity_check().unwrap().is_empty());
}

#[test]
fn a_sole_bulk_write_that_fails_half_way_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    let reg = seeded_sole(&path);
    let before = indexes(&path);
    let stats = format!("{:?}", reg.store().stats().unwrap());
    let changes = broken_stream(rows(3_000, 113.80), 2_000);
    let err = failed_stream(&reg, changes);
    assert!(err.to_string().contains("producer stopped"), "{err}");
    assert_eq!(format!("{:?}", reg.store().stats().unwrap()), stats);
    assert_eq!(indexes(&path), before);
    assert_eq!(header_mode(&path), (2, 2));
    assert!(reg.store().integrity_check().unwrap().is_empty());
}

#[test]
fn opening_the_store_waits_for_a_write_in_rollback_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    drop(seeded_sole(&path));
    // Another process's import in rollback mode, as `sqlite/bulk_journal.rs` runs it: the
    // file out of WAL and a write transaction open for a while.
    let (open_tx, opened) = std::sync::mpsc::channel();
    let p = path.clone();
    let committer = std::thread::spawn(move || {
        let mut writer = rusqlite::Connection::open(&p).unwrap();
        let mode: String = writer
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        let tx = writer
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        tx.execute_batch(
            "CREATE TABLE import_in_progress (x); INSERT INTO import_in_progress VALUES (1);",
        )
        .unwrap();
        open_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(400));
        tx.commit().unwrap();
        let mode: String = writer
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        mode
    });
    opened.recv().unwrap();
    // Opening (a server starting, `landcycle stats`) waits for the write instead of failing
    // with "database is locked", and sees it whole.
    let started = std::time::Instant::now();
    let store = SqliteStore::open(&path).unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(store.stats().unwrap().parcels, 1);
    let c = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(count(&c, "SELECT count(*) FROM import_in_progress"), 1);
    assert_eq!(header_mode(&path), (2, 2));
    let mode = committer.join().unwrap();
    assert_eq!(mode, "wal");
}
