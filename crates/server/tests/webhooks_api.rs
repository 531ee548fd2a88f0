//! Webhook subscribers over HTTP (`/api/webhooks`, city and admin only): the URL checked (http
//! only, no credentials), the secret shown once and never listed, a real loopback receiver
//! getting the dispatcher's POST signed with that secret (checked with OpenSSL), deletion
//! stopping deliveries, and every call in the audit log.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{send, token};
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::workflow::tasks::{Milestone, PlanTask};
use landcycle_domain::{AdminCode, ParkId};
use landcycle_server::webhook::{Retry, SIGNATURE_HEADER, dispatch};
use landcycle_store::{SqliteStore, WfKind, WfRecord, WriteMeta};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Received = Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>;

/// A receiver answering 200 to every POST, keeping headers and body.
fn receiver() -> (String, Received) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/landcycle", l.local_addr().unwrap());
    let got: Received = Arc::default();
    let g = Arc::clone(&got);
    std::thread::spawn(move || {
        for s in l.incoming() {
            let mut s = s.unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            let mut headers = Vec::new();
            loop {
                line.clear();
                r.read_line(&mut line).unwrap();
                let Some((k, v)) = line.trim_end().split_once(": ") else {
                    break;
                };
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
            write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
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
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn webhooks_are_managed_by_the_city_signed_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.gpkg");
    let state = landcycle_server::state_for(SqliteStore::open(&path).unwrap());
    let admin = token(&state, "admin", Role::Admin, Scope::All);
    let city = token(&state, "city", Role::City, Scope::All);
    let county = token(
        &state,
        "xuchang",
        Role::County,
        Scope::County(AdminCode::parse("411002").unwrap()),
    );
    let park = token(
        &state,
        "weidu",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    let r = landcycle_server::router(state.clone());
    let (url, got) = receiver();

    // Only the city and the admin; bad names and URLs refused with the field named.
    for who in [&county, &park] {
        let (s, _) = send(
            &r,
            "POST",
            "/api/webhooks",
            who,
            Some(json!({"id": "x", "url": url})),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = send(&r, "GET", "/api/webhooks", who, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    for (id, bad, field) in [
        ("hlw", "https://jg.example.cn/hook", "url"),
        ("hlw", "http://user:pw@127.0.0.1:9/hook", "url"),
        ("hlw", "ftp://127.0.0.1/hook", "url"),
        ("hlw", "http:///hook", "url"),
        ("hlw", "http://127.0.0.1:99999/hook", "url"),
        ("互联网 监管", url.as_str(), "id"),
    ] {
        let (s, b) = send(
            &r,
            "POST",
            "/api/webhooks",
            &city,
            Some(json!({"id": id, "url": bad})),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {b}");
        assert_eq!(b["errors"][0]["field"], field, "{b}");
    }

    // Created: the secret once; a second with the same name conflicts; lists never show it.
    let (s, b) = send(
        &r,
        "POST",
        "/api/webhooks",
        &city,
        Some(json!({"id": "hlw-jg", "url": url, "reason": "互联网+监管对接"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let secret = b["secret"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 32, "{secret}");
    assert_eq!(b["status"], "active");
    let (s, _) = send(
        &r,
        "POST",
        "/api/webhooks",
        &admin,
        Some(json!({"id": "hlw-jg", "url": url})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, list) = send(&r, "GET", "/api/webhooks", &admin, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(
        !list.to_string().contains(&secret) && list[0].get("secret").is_none(),
        "{list}"
    );

    // A warning due: the scheduled dispatcher posts it, signed with the secret the API gave.
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
    state
        .registry()
        .put_workflow(
            WfRecord {
                kind: WfKind::Task,
                id: "13".into(),
                version: 0,
                park_id: None,
                jurisdiction: None,
                parcel_id: None,
                enterprise: None,
                status: "on_track".into(),
                due: None,
                updated_at: jiff::Timestamp::now(),
                doc: serde_json::to_value(&task).unwrap(),
            },
            None,
            &WriteMeta::new("test", "seed"),
        )
        .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    let retry = Retry {
        attempts: 1,
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
    };
    let rep = dispatch(&store, jiff::civil::date(2022, 1, 10), retry).unwrap();
    assert_eq!((rep.delivered, rep.failed), (1, 0));
    {
        let got = got.lock().unwrap();
        let (headers, body) = &got[0];
        let sig = &headers
            .iter()
            .find(|(k, _)| *k == SIGNATURE_HEADER.to_ascii_lowercase())
            .unwrap()
            .1;
        assert_eq!(sig, &format!("sha256={}", openssl_hmac(&secret, body)));
        let v: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(
            (v["subscription"].as_str(), v["level"].as_str()),
            (Some("hlw-jg"), Some("notice"))
        );
    }
    let (_, list) = send(&r, "GET", "/api/webhooks", &city, None).await;
    assert_eq!(
        (&list[0]["delivered"], &list[0]["attempts"]),
        (&json!(1), &json!(1))
    );

    // Deleted: nothing more is sent; it stays listed as deleted; deleting again is 404.
    let (s, _) = send(&r, "DELETE", "/api/webhooks/hlw-jg", &city, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = send(&r, "DELETE", "/api/webhooks/hlw-jg", &city, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let rep = dispatch(&store, jiff::civil::date(2022, 1, 15), retry).unwrap();
    assert_eq!(rep.delivered, 0);
    assert_eq!(got.lock().unwrap().len(), 1);
    let (_, list) = send(&r, "GET", "/api/webhooks", &city, None).await;
    assert_eq!(list[0]["status"], "deleted");

    // Audited: the creation, the refused one and the deletions.
    let (s, audit) = send(
        &r,
        "GET",
        "/api/audit?action=manage_webhooks&limit=100",
        &admin,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{audit}");
    let text = audit.to_string();
    assert!(
        text.contains("/api/webhooks/hlw-jg") && text.contains("\"city\""),
        "{text}"
    );
}
