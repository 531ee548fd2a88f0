//! Durability of `POST /api/imports`: the server killed (SIGKILL) at points across a large HTTP
//! import leaves the import whole or not at all, an acknowledged import is whole, and
//! `landcycle check` passes after each kill.
//!
//! The kill points are timed against an uninterrupted import of the same file on the same
//! machine, so they fall inside the import on a fast machine and on a slow one alike; and one
//! kills as soon as the import's pages reach the WAL (with the server's large page cache that is
//! usually its commit). A kill can still miss on a loaded machine, so kill points are tried
//! until one has interrupted the import (no answer, nothing added), at most `MAX_KILLS`.
//! `LANDCYCLE_CRASH_ROWS` (default 3000) makes the import larger.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;

use common::store::{
    assert_check_ok, base_store, env_usize, import_file, landcycle, parcel_count, serve, wal_size,
};

/// The most kills tried before the test gives up on interrupting an import.
const MAX_KILLS: usize = 8;
/// Kills tried even after one has interrupted the import.
const MIN_KILLS: usize = 3;

/// When to kill the server, counted from the moment the upload's last byte was sent.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This share of the uninterrupted import's time.
    Share(f64),
    /// As soon as the WAL has grown by 64 KiB.
    WalGrowth,
}

/// What one kill left behind.
struct Outcome {
    at: KillAt,
    /// After the upload was sent, when the kill came.
    after: Duration,
    /// The HTTP status, `None` when the connection broke first.
    status: Option<u16>,
    added: u64,
    /// Whether the server's upload directory was left behind.
    upload_left: bool,
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.status.map_or("none".to_owned(), |s| s.to_string());
        write!(
            f,
            "{:?} killed {:?} after the upload: status {status}, {} added, upload left: {}",
            self.at, self.after, self.added, self.upload_left
        )
    }
}

/// The upload directories under `dir` (the servers' temporary directory).
fn uploads(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with("landcycle-import-")
        })
        .count()
}

/// The multipart body and its boundary for an upload of `file`.
fn multipart(file: &Path) -> (Vec<u8>, &'static str) {
    let boundary = "landcycle-crash-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.geojson\"\r\n\
         Content-Type: application/geo+json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&std::fs::read(file).unwrap());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (body, boundary)
}

/// `POST /api/imports` of `body` on a fresh connection. Sends the instant the request's last
/// byte was written on `sent`; returns the status, `None` when the connection breaks (the
/// server was killed).
fn upload(
    addr: &str,
    token: &str,
    (body, boundary): &(Vec<u8>, &str),
    sent: &mpsc::Sender<Instant>,
) -> Option<u16> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(120))).ok()?;
    let head = format!(
        "POST /api/imports HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    sent.send(Instant::now()).ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    String::from_utf8_lossy(buf.get(9..12)?).parse().ok()
}

/// A copy of `base` with an importing account, and that account's token.
fn copy_with_importer(base: &Path, db: &Path) -> String {
    std::fs::copy(base, db).unwrap();
    let (ok, _, err) = landcycle(db, &["user", "add", "importer", "--role", "city"]);
    assert!(ok, "{err}");
    let (ok, out, err) = landcycle(db, &["token", "create", "importer"]);
    assert!(ok, "{err}");
    out.lines().last().unwrap().trim().to_owned()
}

/// Serves `db`, uploads `body` and kills the server at `at` (never when `None`). Returns the
/// status and how long after the upload was sent the kill came (or the answer, unkilled).
fn import_and_kill(
    db: &Path,
    token: &str,
    body: &(Vec<u8>, &'static str),
    at: Option<(KillAt, Duration)>,
) -> (Option<u16>, Duration) {
    let (mut child, addr) = serve(db);
    let wal0 = wal_size(db);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        let client = scope.spawn(|| upload(&addr, token, body, &tx));
        let sent = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the upload was never sent");
        let after = match at {
            None => {
                let status = client.join().unwrap();
                let took = sent.elapsed();
                child.kill().ok();
                child.wait().unwrap();
                return (status, took);
            }
            Some((KillAt::Share(share), full)) => {
                let due = full.mul_f64(share);
                std::thread::sleep(due.saturating_sub(sent.elapsed()));
                sent.elapsed()
            }
            Some((KillAt::WalGrowth, _)) => {
                while wal_size(db) <= wal0 + 64 * 1024 && !client.is_finished() {
                    assert!(
                        sent.elapsed() < Duration::from_secs(120),
                        "the HTTP import neither wrote nor answered"
                    );
                    std::thread::sleep(Duration::from_millis(1));
                }
                sent.elapsed()
            }
        };
        child.kill().ok(); // SIGKILL on Unix
        child.wait().unwrap();
        (client.join().unwrap(), after)
    })
}

#[test]
fn sigkill_of_the_server_during_an_http_import_leaves_all_or_nothing() {
    let rows = env_usize("LANDCYCLE_CRASH_ROWS", 3000);
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.gpkg");
    base_store(&base);
    let before = parcel_count(&base);
    let body = multipart(&import_file(dir.path(), rows));

    // The uninterrupted import, timed from the sent upload to the answer.
    let db = dir.path().join("whole.gpkg");
    let token = copy_with_importer(&base, &db);
    let (status, full) = import_and_kill(&db, &token, &body, None);
    assert_eq!(status, Some(200), "the uninterrupted import");
    assert_eq!(parcel_count(&db), before + rows as u64);

    let points = [
        KillAt::Share(0.5),
        KillAt::WalGrowth,
        KillAt::Share(0.8),
        KillAt::Share(0.3),
        KillAt::Share(0.65),
        KillAt::WalGrowth,
        KillAt::Share(0.4),
        KillAt::Share(0.9),
    ];
    let mut outcomes: Vec<Outcome> = Vec::new();
    for (k, at) in points.into_iter().take(MAX_KILLS).enumerate() {
        let interrupted = outcomes.iter().any(|o| o.status.is_none() && o.added == 0);
        if interrupted && k >= MIN_KILLS {
            break;
        }
        let db = dir.path().join(format!("killed{k}.gpkg"));
        let token = copy_with_importer(&base, &db);
        let (status, after) = import_and_kill(&db, &token, &body, Some((at, full)));
        // This server swept what the ones before it left: what is there now is its own.
        let upload_left = uploads(dir.path()) > 0;
        let when = format!("SIGKILL of the server {after:?} into an import ({at:?})");
        assert_check_ok(&db, &when);
        let added = parcel_count(&db) - before;
        assert!(
            added == 0 || added == rows as u64,
            "{when}: {added} of {rows} parcels imported (must be none or all)"
        );
        if status == Some(200) {
            assert_eq!(
                added, rows as u64,
                "{when}: an acknowledged import is whole"
            );
        }
        outcomes.push(Outcome {
            at,
            after,
            status,
            added,
            upload_left,
        });
    }
    eprintln!("HTTP import of {rows} rows, {full:?} uninterrupted; kills: {outcomes:#?}");
    // A killed server leaves its upload in its temporary directory (the test's); the next
    // server to start removes what the killed ones left.
    assert!(
        outcomes.iter().any(|o| o.status.is_none() && o.upload_left),
        "no killed server left its upload behind: {outcomes:?}"
    );
    let (mut child, _) = serve(&base);
    child.kill().ok();
    child.wait().unwrap();
    assert_eq!(
        uploads(dir.path()),
        0,
        "the next server removed the killed servers' uploads"
    );
    assert!(
        outcomes.iter().any(|o| o.status.is_none() && o.added == 0),
        "no kill interrupted the import; outcomes {outcomes:?} (raise LANDCYCLE_CRASH_ROWS)"
    );
}
