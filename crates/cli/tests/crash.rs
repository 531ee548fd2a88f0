//! Durability: the store survives SIGKILL in the middle of a burst of HTTP writes and SIGKILL
//! or Ctrl-C (SIGINT) in the middle of a large CLI import. Every acknowledged write is there after the restart, an import is there
//! whole or not at all, and `landcycle check` (SQLite integrity check, foreign keys, current
//! layer against the open versions) passes. The server killed during an HTTP import:
//! `crash_http_import.rs`.
//!
//! Sizes are small by default so that the test stays well under a minute in a debug build;
//! `LANDCYCLE_CRASH_ROWS` (import rows, default 3000) and `LANDCYCLE_CRASH_WRITES` (most HTTP
//! writes of the burst, default 2000) make longer runs.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use common::BIN;
use common::store::{
    assert_check_ok, base_store, beside, env_usize, import_file, landcycle, parcel_count, rect,
    serve, wal_size,
};

/// One HTTP/1.1 request on a fresh connection; `None` when the connection fails or breaks
/// (the server was killed).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> Option<(u16, String, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/geo+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8(buf).ok()?;
    let status = text.get(9..12)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((status, head.to_owned(), body.to_owned()))
}

/// A parcel of the burst: its own 宗地代码 and rectangle (east of the demo parcels).
fn burst_parcel(i: usize) -> (String, String) {
    let code = format!("411002001999GB{:05}", i + 1);
    let (x, y) = (
        114.10 + (i % 100) as f64 * 0.0005,
        34.20 + (i / 100) as f64 * 0.0005,
    );
    let body = format!(
        r#"{{"type":"Feature","geometry":{{"type":"Polygon","coordinates":{}}},
        "properties":{{"code":"{code}","name":"断电测试{i}","jurisdiction":"411002","park_id":"weidu",
        "land_use_code":"100101","status":"approved_unsupplied","registered_area_mu":"2.5"}},
        "change":{{"reason":"crash test write {i}"}}}}"#,
        rect(x, y)
    );
    (code, body)
}

#[derive(Default)]
struct Burst {
    /// (code, id) of every write answered 201.
    acked: Vec<(String, String)>,
    /// Codes sent without an answer (in doubt: the kill came first).
    in_doubt: Vec<String>,
    /// Unexpected answers.
    other: Vec<(u16, String)>,
}

#[test]
fn sigkill_during_a_burst_of_writes_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("burst.gpkg");
    base_store(&db);
    let (ok, _, err) = landcycle(&db, &["user", "add", "writer", "--role", "city"]);
    assert!(ok, "{err}");
    let (ok, out, err) = landcycle(&db, &["token", "create", "writer"]);
    assert!(ok, "{err}");
    let token = out.lines().last().unwrap().trim().to_owned();
    let before = parcel_count(&db);

    let (mut child, addr) = serve(&db);
    let max_writes = env_usize("LANDCYCLE_CRASH_WRITES", 2000);
    let writers = 3;
    let burst = Arc::new(Mutex::new(Burst::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let (burst, stop, addr, token) =
                (burst.clone(), stop.clone(), addr.clone(), token.clone());
            std::thread::spawn(move || {
                for i in (w..max_writes).step_by(writers) {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let (code, body) = burst_parcel(i);
                    match request(&addr, "POST", "/api/parcels", &token, Some(&body)) {
                        Some((201, head, _)) => {
                            let id = head
                                .lines()
                                .find_map(|l| {
                                    l.to_ascii_lowercase()
                                        .starts_with("location:")
                                        .then(|| l.rsplit('/').next().unwrap().trim().to_owned())
                                })
                                .expect("201 without Location");
                            burst.lock().unwrap().acked.push((code, id));
                        }
                        Some((status, _, body)) => {
                            burst.lock().unwrap().other.push((status, body));
                        }
                        None => {
                            burst.lock().unwrap().in_doubt.push(code);
                            break;
                        }
                    }
                }
            })
        })
        .collect();
    // Kill once a good number of writes has been acknowledged (or after 20 s at most).
    let started = Instant::now();
    while burst.lock().unwrap().acked.len() < 150 && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.join().unwrap();
    }
    let burst = Arc::try_unwrap(burst).ok().unwrap().into_inner().unwrap();
    assert!(
        burst.other.is_empty(),
        "unexpected answers: {:?}",
        burst.other
    );
    assert!(
        burst.acked.len() >= 20,
        "too few writes before the kill to test anything ({})",
        burst.acked.len()
    );
    assert!(
        burst.acked.len() < max_writes,
        "the burst ended before the kill; raise LANDCYCLE_CRASH_WRITES"
    );

    eprintln!(
        "burst: {} acknowledged, {} in doubt at the kill",
        burst.acked.len(),
        burst.in_doubt.len()
    );
    // The store as found after the crash.
    assert_check_ok(&db, "SIGKILL during writes");
    let after = parcel_count(&db);
    let acked = burst.acked.len() as u64;
    let doubt = burst.in_doubt.len() as u64;
    assert!(
        after >= before + acked && after <= before + acked + doubt,
        "{before} parcels before, {acked} acknowledged, {doubt} in doubt, {after} after"
    );

    // Restarted, the server has every acknowledged write, whole.
    let (mut child, addr) = serve(&db);
    let mut missing = Vec::new();
    for (code, id) in &burst.acked {
        match request(&addr, "GET", &format!("/api/parcels/{id}"), &token, None) {
            Some((200, _, body)) => {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(v["properties"]["code"], code.as_str(), "{body}");
                assert_eq!(v["properties"]["version"], 1, "{body}");
            }
            other => missing.push((id.clone(), other.map(|o| o.0))),
        }
        let Some((200, _, hist)) = request(
            &addr,
            "GET",
            &format!("/api/parcels/{id}/history"),
            &token,
            None,
        ) else {
            panic!("history of {id}");
        };
        let h: serde_json::Value = serde_json::from_str(&hist).unwrap();
        assert_eq!(h["versions"].as_array().map(Vec::len), Some(1), "{hist}");
        assert!(
            h["events"].as_array().is_some_and(|e| e.len() == 1),
            "one create event: {hist}"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        missing.is_empty(),
        "acknowledged but lost: {missing:?} (of {acked})"
    );
    assert_check_ok(&db, "restart");
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Header bytes 18 and 19 of the store: 2 in WAL mode, 1 in rollback-journal mode.
fn header_mode(db: &Path) -> (u8, u8) {
    let bytes = std::fs::read(db).unwrap();
    (bytes[18], bytes[19])
}

/// When to kill the import, as shares of an uninterrupted import's phases on this machine
/// (`Phases`), so that the kills fall inside them on a fast machine and on a slow one alike.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This share of the time before the write transaction starts: reading and checking
    /// the rows, nothing written yet.
    Reading(f64),
    /// This share of the write phase after the transaction starts: the CLI import, alone on
    /// the file, writes in rollback-journal mode (its `-journal` file appears).
    Writing(f64),
    /// As soon as the commit starts writing pages into the file (it grows).
    Committing,
    /// Ctrl-C (SIGINT) at this share of the write phase.
    Interrupting(f64),
}

/// An uninterrupted import's phases: when its rollback journal appeared and when it ended.
#[derive(Debug, Clone, Copy)]
struct Phases {
    journal: Duration,
    end: Duration,
}

/// `landcycle import FILE` into `db`, running.
fn spawn_import(db: &Path, file: &Path) -> Child {
    Command::new(BIN)
        .args(["import", file.to_str().unwrap(), "--log", "warn", "--db"])
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Times an uninterrupted import of `file` into a copy of `base`.
fn phases(base: &Path, db: &Path, file: &Path) -> Phases {
    std::fs::copy(base, db).unwrap();
    let mut child = spawn_import(db, file);
    let started = Instant::now();
    let mut journal = None;
    loop {
        if journal.is_none() && beside(db, "-journal").exists() {
            journal = Some(started.elapsed());
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the uninterrupted import failed");
            let end = started.elapsed();
            return Phases {
                journal: journal.expect("the import wrote without a rollback journal"),
                end,
            };
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the uninterrupted import never ended"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// One kill: where, whether the import had finished first, its exit code, the parcels added,
/// the store's header mode at the kill and whether a journal lay beside it.
type Outcome = (KillAt, bool, Option<i32>, u64, (u8, u8), bool);

/// The most kill points tried before the test gives up on hitting the write transaction.
const MAX_KILLS: usize = 10;

#[test]
fn sigkill_or_ctrl_c_during_an_import_leaves_all_or_nothing() {
    let rows = env_usize("LANDCYCLE_CRASH_ROWS", 3000);
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.gpkg");
    base_store(&base);
    let before = parcel_count(&base);
    let file = import_file(dir.path(), rows);

    let phases = phases(&base, &dir.path().join("whole.gpkg"), &file);
    // The first six are each tried; the rest only until a kill has hit the write transaction
    // (a loaded machine can make one miss).
    let points = [
        KillAt::Reading(0.5),
        KillAt::Writing(0.0),
        KillAt::Writing(0.3),
        KillAt::Writing(0.6),
        KillAt::Committing,
        KillAt::Interrupting(0.4),
        KillAt::Writing(0.15),
        KillAt::Writing(0.45),
        KillAt::Writing(0.75),
        KillAt::Writing(0.05),
        KillAt::Writing(0.9),
    ];
    let hit = |outcomes: &[Outcome]| {
        outcomes.iter().any(|(at, fin, _, added, mode, _)| {
            matches!(at, KillAt::Writing(_)) && !fin && *added == 0 && *mode == (1, 1)
        })
    };
    let mut outcomes: Vec<Outcome> = Vec::new();
    for (k, at) in points.iter().take(MAX_KILLS).enumerate() {
        if k >= 6 && hit(&outcomes) {
            break;
        }
        // Each kill point on its own copy of the store (a clean close leaves no WAL).
        let db = dir.path().join(format!("run{k}.gpkg"));
        std::fs::copy(&base, &db).unwrap();
        let wal0 = wal_size(&db);
        let size0 = file_size(&db);
        let mut journal_seen = false;
        let mut child = spawn_import(&db, &file);
        let started = Instant::now();
        let mut finished = false;
        match *at {
            KillAt::Reading(share) => std::thread::sleep(phases.journal.mul_f64(share)),
            KillAt::Writing(_) | KillAt::Interrupting(_) | KillAt::Committing => {
                // Wait for the write transaction (its rollback journal, or its spill into the
                // WAL), or for the commit to grow the file, then a little more.
                loop {
                    let journal = beside(&db, "-journal").exists();
                    journal_seen |= journal;
                    let started_writing = journal || wal_size(&db) > wal0 + 64 * 1024;
                    if matches!(at, KillAt::Writing(_) | KillAt::Interrupting(_)) && started_writing
                    {
                        break;
                    }
                    if matches!(at, KillAt::Committing) && file_size(&db) > size0 {
                        break;
                    }
                    if child.try_wait().unwrap().is_some() {
                        finished = true;
                        break;
                    }
                    assert!(
                        started.elapsed() < Duration::from_secs(120),
                        "import never started writing"
                    );
                    std::thread::sleep(Duration::from_millis(1));
                }
                if let KillAt::Writing(share) | KillAt::Interrupting(share) = *at {
                    std::thread::sleep((phases.end - phases.journal).mul_f64(share));
                }
            }
        }
        if child.try_wait().unwrap().is_some() {
            finished = true;
        }
        if matches!(at, KillAt::Interrupting(_)) {
            // As a terminal's Ctrl-C: the CLI has no handler, so the default action ends it.
            // (Not to a child already reaped: its pid may be another process's by now.)
            if !finished {
                let sent = Command::new("kill")
                    .args(["-INT", &child.id().to_string()])
                    .status()
                    .unwrap();
                assert!(sent.success(), "kill -INT failed");
            }
        } else {
            child.kill().ok(); // SIGKILL on Unix
        }
        let status = child.wait().unwrap();
        // Killed in rollback mode, the file says so and a hot journal may lie beside it; the
        // next open plays the journal back and returns the store to WAL.
        let killed_mode = header_mode(&db);
        let journal_left = file_size(&beside(&db, "-journal")) > 0;
        assert_check_ok(&db, &format!("SIGKILL of the import at {at:?}"));
        assert_eq!(
            header_mode(&db),
            (2, 2),
            "after the kill at {at:?} the store is in WAL mode again"
        );
        // A journal left behind is one the kill caught before it held anything to play back
        // (SQLite writes its header last): not hot, and ignored by every later open.
        if let Ok(j) = std::fs::read(beside(&db, "-journal")) {
            assert!(
                !j.starts_with(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]),
                "a hot journal ({} bytes) was left after the kill at {at:?}",
                j.len()
            );
        }
        let added = parcel_count(&db) - before;
        assert!(
            added == 0 || added == rows as u64,
            "kill at {at:?}: {added} of {rows} parcels imported (must be none or all)"
        );
        if matches!(at, KillAt::Reading(_)) && !finished {
            assert_eq!(added, 0, "killed while reading, yet parcels were written");
        }
        if matches!(at, KillAt::Writing(_) | KillAt::Interrupting(_)) && !finished {
            assert!(
                journal_seen,
                "the CLI import, alone on the file, writes in rollback-journal mode"
            );
        }
        outcomes.push((
            *at,
            finished,
            status.code(),
            added,
            killed_mode,
            journal_left,
        ));
    }
    eprintln!(
        "import of {rows} rows, uninterrupted {phases:?}: (kill point, finished first, exit \
         code, parcels added, header mode at the kill, a journal beside it): {outcomes:?}"
    );
    // At least one kill landed inside the write transaction, in rollback-journal mode, and
    // rolled back.
    assert!(
        hit(&outcomes),
        "no kill hit the write phase; outcomes {outcomes:?} (raise LANDCYCLE_CRASH_ROWS)"
    );

    // The interrupted import runs again to completion on a killed store.
    let db = dir.path().join("run1.gpkg");
    let (ok, out, err) = landcycle(&db, &["import", file.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert_eq!(parcel_count(&db), before + rows as u64);
    assert_check_ok(&db, "the import rerun");
}
