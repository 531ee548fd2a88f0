//! A bulk import's history: one event for the import (file, sha256, counts) with one
//! `event_refs` row per parcel, and each parcel's own history (一地一档) still opening with its
//! creation by that import, with its content, file, row and sha256. And stores made before
//! step 9 (per-parcel import events, no `source_row`) still open and read as they did.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use landcycle_domain::{ChangeKind, EntityKind};
use landcycle_store::{ImportRow, SqliteStore, Store};

fn rows(n: usize) -> Vec<ImportRow> {
    (0..n)
        .map(|i| {
            let mut draft = square(i, 113.80, 33.95);
            draft.code = Some(format!("411002001001GB{:05}", 1 + i));
            draft.name = format!("导入地块{i}");
            // Rows 1, 2, 3 … 7, 9, 10 …: the row numbers kept are the file's, not positions.
            ImportRow {
                row: if i < 7 { i + 1 } else { i + 2 },
                draft,
            }
        })
        .collect()
}

#[test]
fn an_import_is_one_event_and_each_parcel_still_shows_its_creation() {
    let dir = tempfile::tempdir().unwrap();
    let reg = seeded(&dir.path().join("store.gpkg"));
    let events_before = reg.store().stats().unwrap().events;
    let r = reg
        .import_parcels(rows(300), source(), &meta("批量导入"), false)
        .unwrap();
    assert!(r.written, "{:?}", r.problems.first());
    // One event, whatever the number of parcels.
    assert_eq!(reg.store().stats().unwrap().events, events_before + 1);
    let import = &reg.store().recent_events(1).unwrap()[0];
    assert_eq!(import.entity, EntityKind::Import);
    assert_eq!(import.entity_id, format!("sha256:{}", "cd".repeat(32)));
    let after = import.after.as_ref().unwrap();
    assert_eq!(after["file"], "宗地.shp");
    assert_eq!(
        (after["parcels"].as_u64(), after["rows"].as_u64()),
        (Some(300), Some(300))
    );
    assert_eq!(
        import.related,
        vec![format!("宗地.shp sha256:{}", "cd".repeat(32))]
    );
    // The import's own history lists it.
    let listed = reg.store().events_of(&import.entity_id).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].entity, EntityKind::Import);

    // Each parcel's history opens with its creation by the import, with its content.
    for (i, id) in [
        (0usize, r.created[0]),
        (6, r.created[6]),
        (7, r.created[7]),
        (299, r.created[299]),
    ] {
        let t = reg.timeline(id).unwrap();
        let e = &t.events[0];
        assert_eq!((e.entity, e.kind), (EntityKind::Parcel, ChangeKind::Create));
        assert_eq!(e.entity_id, id.to_string());
        assert_eq!(e.seq, import.seq);
        assert_eq!(e.reason.reason, "批量导入");
        assert_eq!(e.actor.0, "tester");
        assert!(e.before.is_none());
        assert!(e.related[0].contains("sha256:cdcd"), "{e:?}");
        let a = e.after.as_ref().unwrap();
        assert_eq!(a["name"], format!("导入地块{i}"));
        assert_eq!(a["code"], format!("411002001001GB{:05}", 1 + i));
        assert_eq!(a["status"], t.versions[0].status.as_str());
        assert_eq!(a["geometry"]["type"], "MultiPolygon");
        assert_eq!(a["import"]["file"], "宗地.shp");
        assert_eq!(a["import"]["sha256"], "cd".repeat(32));
        assert_eq!(a["import"]["crs"], "EPSG:4526");
        let row = if i < 7 { i + 1 } else { i + 2 };
        assert_eq!(a["import"]["row"].as_u64(), Some(row as u64), "{a}");
    }
    // Ids in write order (time-ordered UUIDv7): the id indexes are filled by appending.
    let text: Vec<String> = r.created.iter().map(|p| p.to_string()).collect();
    assert!(text.windows(2).all(|w| w[0] < w[1]));
    assert!(r.created.iter().all(|p| p.0.get_version_num() == 7));

    assert!(reg.store().integrity_check().unwrap().is_empty());
}

#[test]
fn a_store_from_before_step_9_opens_and_keeps_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.gpkg");
    {
        // The schema as steps 1–8 left it, with one per-parcel event of an old import.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE landcycle_migrations (version INTEGER PRIMARY KEY, applied_at DATETIME NOT NULL);",
        )
        .unwrap();
        for (v, sql) in landcycle_store::sqlite::schema::migrations() {
            if v <= 8 {
                c.execute_batch(&sql).unwrap();
                c.execute(
                    "INSERT INTO landcycle_migrations VALUES (?1, '2026-01-01T00:00:00Z')",
                    [v],
                )
                .unwrap();
            }
        }
        c.execute_batch(
            "INSERT INTO events (entity, entity_id, kind, actor, recorded_at, effective, reason, after, related)
             VALUES ('parcel', 'p-old', 'create', 'old', '2026-01-01T00:00:00.000Z', '2026-01-01', '导入',
                     '{\"name\":\"旧地块\",\"import\":{\"row\":4}}', '[\"a.shp sha256:ef\"]');
             INSERT INTO event_refs (entity_id, seq) VALUES ('p-old', 1), ('a.shp sha256:ef', 1);",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let step: u32 = c
        .query_row("SELECT max(version) FROM landcycle_migrations", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(step >= 9);
    let cols: Vec<String> = c
        .prepare("SELECT name FROM pragma_table_info('event_refs')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(cols, ["entity_id", "seq", "source_row"]);
    // The old per-parcel event reads as it was written.
    let ev = store.events_of("p-old").unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (ev[0].entity, ev[0].kind),
        (EntityKind::Parcel, ChangeKind::Create)
    );
    assert_eq!(ev[0].after.as_ref().unwrap()["import"]["row"], 4);
    assert!(store.integrity_check().unwrap().is_empty());
}
