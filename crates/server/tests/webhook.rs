//! The warnings centre's webhook against a real HTTP receiver on a loopback port: one signed
//! POST per level change (提示 → 预警 → 逾期), the signature checked with OpenSSL (a tool nobody
//! here wrote), a failed attempt retried and every attempt recorded, nothing re-sent when the
//! level has not changed.
#![allow(missing_docs, clippy::unwrap_used)]

use landcycle_domain::workflow::tasks::{Milestone, PlanTask};
use landcycle_server::webhook::{Retry, SIGNATURE_HEADER, Subscription, dispatch};
use landcycle_store::{Registry, SqliteStore, WfKind, WfRecord, WriteMeta};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Received = Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>;

/// A receiver answering 500 to its first request and 200 after, keeping what it got.
fn receiver() -> (String, Received) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/landcycle", l.local_addr().unwrap());
    let got: Received = Arc::default();
    let g = Arc::clone(&got);
    std::thread::spawn(move || {
        for (n, s) in l.incoming().enumerate() {
            let mut s = s.unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            assert!(line.starts_with("POST /hooks/landcycle HTTP/1.1"), "{line}");
            loop {
                line.clear();
                r.read_line(&mut line).unwrap();
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                let (k, v) = l.split_once(": ").unwrap();
                headers.push((k.to_ascii_lowercase(), v.to_owned()));
            }
            let len: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .unwrap()
                .1
                .parse()
                .unwrap();
            let mut body = vec![0; len];
            r.read_exact(&mut body).unwrap();
            g.lock().unwrap().push((headers, body));
            let status = if n == 0 {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
        }
    });
    (url, got)
}

fn openssl_hmac(secret: &str, body: &[u8]) -> String {
    let mut c = Command::new("openssl")
        .args(["dgst", "-sha256", "-hmac", secret])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("openssl is needed for this test: {e}"));
    c.stdin.take().unwrap().write_all(body).unwrap();
    let out = c.wait_with_output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    s.trim().rsplit(' ').next().unwrap().to_owned()
}

fn put(reg: &Registry<SqliteStore>, kind: WfKind, id: &str, status: &str, doc: Value) {
    reg.put_workflow(
        WfRecord {
            kind,
            id: id.into(),
            version: 0,
            park_id: None,
            jurisdiction: None,
            parcel_id: None,
            enterprise: None,
            status: status.into(),
            due: None,
            updated_at: jiff::Timestamp::now(),
            doc,
        },
        None,
        &WriteMeta::new("test", "seed"),
    )
    .unwrap();
}

#[test]
fn level_changes_are_posted_signed_retried_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path().join("w.gpkg")).unwrap());
    let reg = Registry::new(Arc::clone(&store));
    let (url, got) = receiver();
    let secret = "9f0c1e7d2b3a4c5d6e7f8091a2b3c4d5";
    let sub = Subscription {
        id: "hlw-jg".into(),
        url,
        secret: secret.into(),
        park: None,
        county: None,
    };
    put(
        &reg,
        WfKind::Webhook,
        "hlw-jg",
        "active",
        serde_json::to_value(&sub).unwrap(),
    );
    let task = PlanTask::from_units(
        13,
        "妥善处置批而未供、闲置土地",
        &["市自然资源和规划局".into()],
        vec![Milestone {
            date: jiff::civil::date(2022, 1, 20),
            what: "挂牌督办2宗以上".into(),
            done_on: None,
        }],
    )
    .unwrap();
    put(
        &reg,
        WfKind::Task,
        "13",
        "on_track",
        serde_json::to_value(&task).unwrap(),
    );
    let retry = Retry {
        attempts: 3,
        backoff: Duration::from_millis(20),
        timeout: Duration::from_secs(5),
    };

    // T−10: 提示. The first attempt gets a 500, the retry a 200; both are in the log.
    let r = dispatch(&store, jiff::civil::date(2022, 1, 10), retry).unwrap();
    assert_eq!((r.delivered, r.failed, r.unchanged), (1, 0, 0));
    let log = store.deliveries("hlw-jg").unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].attempt, log[0].http_status, log[0].delivered),
        (1, Some(500), false)
    );
    assert_eq!(
        (log[1].attempt, log[1].http_status, log[1].delivered),
        (2, Some(200), true)
    );
    {
        let got = got.lock().unwrap();
        assert_eq!(got.len(), 2);
        let (headers, body) = &got[1];
        let sig = &headers
            .iter()
            .find(|(k, _)| *k == SIGNATURE_HEADER.to_ascii_lowercase())
            .unwrap()
            .1;
        assert_eq!(
            sig,
            &format!("sha256={}", openssl_hmac(secret, body)),
            "OpenSSL agrees on the signature"
        );
        let mut tampered = body.clone();
        tampered[10] ^= 1;
        assert_ne!(sig, &format!("sha256={}", openssl_hmac(secret, &tampered)));
        let v: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(
            (v["event"].as_str(), v["level"].as_str()),
            (Some("warning.level_changed"), Some("notice"))
        );
        assert_eq!(v["previous_level"], Value::Null);
        assert_eq!(v["warning"]["item"]["subject_id"], "task-13");
    }

    // Same level the same day: nothing is sent again.
    let r = dispatch(&store, jiff::civil::date(2022, 1, 12), retry).unwrap();
    assert_eq!((r.delivered, r.unchanged), (0, 1));
    assert_eq!(got.lock().unwrap().len(), 2);

    // T−5: 预警; then overdue.
    for (day, level, previous) in [(15, "warning", "notice"), (21, "overdue", "warning")] {
        let r = dispatch(&store, jiff::civil::date(2022, 1, day), retry).unwrap();
        assert_eq!(r.delivered, 1);
        let got = got.lock().unwrap();
        let v: Value = serde_json::from_slice(&got.last().unwrap().1).unwrap();
        assert_eq!(
            (v["level"].as_str(), v["previous_level"].as_str()),
            (Some(level), Some(previous))
        );
    }
    assert_eq!(store.deliveries("hlw-jg").unwrap().len(), 4);
}
