//! Outgoing webhooks of the warnings centre: a subscriber (a 互联网+监管 platform, a messaging
//! gateway) receives one signed JSON POST each time a warning of its scope reaches a new level
//! (T−30 提示 → T−7 预警 → 逾期).
//!
//! **Why a scheduled dispatcher** (`landcycle warnings dispatch`, from cron or a systemd timer)
//! rather than a sender inside the server: warning levels change because days pass, not
//! because someone writes, so only a run on a schedule can notice them; the run is idempotent
//! (a level already delivered is never sent again, a failed one is retried next run), leaves
//! the web server without background state, and its log is one table the city can audit.
//!
//! **Signature**: `X-Landcycle-Signature: sha256=<hex>` is HMAC-SHA256 (RFC 2104) of the raw
//! body with the subscriber's secret. The body carries `delivery` (unique) and `sent_at`, so a
//! receiver can refuse replays. Verify by recomputing over the bytes received, e.g.
//! `openssl dgst -sha256 -hmac "$SECRET" < body`, and comparing in constant time.
//!
//! Transport is plain HTTP/1.1 (`http://` URLs): the build carries no TLS stack; put a
//! TLS-terminating proxy in front of an `https://` receiver.

pub use crate::routes::workflow::warnings::{TaskView, due_items};
use jiff::civil::Date;
use landcycle_domain::workflow::warnings::{Warning, warnings};
use landcycle_domain::{AdminCode, FieldError, ParkId};
use landcycle_store::{Delivery, SqliteStore, StoreError, StoreResult, WfKind, WfQuery};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Landcycle-Signature";

/// A subscription (stored in `wf_webhooks`; the record's park or county is its scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// Name.
    pub id: String,
    /// `http://host[:port]/path`.
    pub url: String,
    /// Shared secret for the signature.
    pub secret: String,
    /// Only this park's warnings.
    pub park: Option<ParkId>,
    /// Only this county's warnings.
    pub county: Option<AdminCode>,
}

/// Checks a receiver URL: `http://`, a host (and port), no credentials, no spaces, ≤ 2000
/// characters. `https://` is refused with the reason: the dispatcher speaks plain HTTP (the
/// build carries no TLS stack), so such a subscription could never be delivered.
pub fn check_url(url: &str) -> Result<(), FieldError> {
    let bad = |en: &str, zh: &str| FieldError::new("url", Some(url), en, zh);
    if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(
            "at most 2000 characters, no spaces",
            "地址过长或含空白字符",
        ));
    }
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("http://") {
        &url[url.len() - r.len()..]
    } else if lower.starts_with("https://") {
        return Err(bad(
            "deliveries are plain HTTP (no TLS in this build): put a TLS-terminating proxy before the https receiver and subscribe its http:// address",
            "本系统以HTTP推送，请在HTTPS接收端前设置TLS代理并订阅其http://地址",
        ));
    } else {
        return Err(bad("an http:// URL", "应为http://地址"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(bad(
            "no user or password in the URL: the signature authenticates deliveries",
            "地址中不得包含用户名或密码（以签名验证推送）",
        ));
    }
    if rest[authority.len()..].starts_with(['?', '#']) {
        return Err(bad(
            "give a path before the query",
            "请在查询参数前写明路径",
        ));
    }
    // `host:port`, `[v6]:port`; a `:` inside `[v6]` is not a port separator.
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    if !host_ok || !port_ok {
        return Err(bad(
            "a host and an optional port 1–65535",
            "主机名或端口无效",
        ));
    }
    Ok(())
}

/// HMAC-SHA256 (RFC 2104): H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), keys longer than the block hashed.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| k.map(|x| x ^ b);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// The header value for `body`: `sha256=<hex>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    format!(
        "sha256={}",
        hex::encode(hmac_sha256(secret.as_bytes(), body))
    )
}

/// Retry policy of one run.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Attempts per delivery in one run.
    pub attempts: u32,
    /// Wait before the second attempt; doubled before each further one.
    pub backoff: Duration,
    /// Connect, read and write timeout.
    pub timeout: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            attempts: 3,
            backoff: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DispatchReport {
    /// Level changes delivered.
    pub delivered: usize,
    /// Level changes still undelivered after every attempt (retried next run).
    pub failed: usize,
    /// Warnings whose level the subscriber already has.
    pub unchanged: usize,
}

/// The key of a warning: what it is about and when it is due.
fn key(w: &Warning) -> String {
    format!("{:?}:{}:{}", w.item.kind, w.item.subject_id, w.item.due)
}

fn level_str(w: &Warning) -> String {
    serde_json::to_value(w.level)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// POSTs `body` to an `http://` URL; returns the status code.
fn post(url: &str, headers: &[(&str, String)], body: &[u8], t: Duration) -> Result<u16, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs are supported (put a TLS proxy in front of https)")?;
    let (hostport, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let addr = if hostport.contains(':') {
        hostport.to_owned()
    } else {
        format!("{hostport}:80")
    };
    let sock = std::net::ToSocketAddrs::to_socket_addrs(&addr)
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no address")?;
    let mut s = TcpStream::connect_timeout(&sock, t).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(t)).map_err(|e| e.to_string())?;
    s.set_write_timeout(Some(t)).map_err(|e| e.to_string())?;
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\nUser-Agent: landcycle\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    s.write_all(body).map_err(|e| e.to_string())?;
    // The status line may come in several segments: read until its end (or 1 KiB, or EOF).
    let mut head = Vec::new();
    let mut buf = [0u8; 256];
    while !head.windows(2).any(|w| w == b"\r\n") && head.len() < 1024 {
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    line.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("not an HTTP answer: {line:?}"))
}

/// The stored subscriptions.
pub fn subscriptions(store: &SqliteStore) -> StoreResult<Vec<Subscription>> {
    use landcycle_store::WorkflowStore;
    store
        .wf_records(WfKind::Webhook, &WfQuery::default())?
        .items
        .into_iter()
        .filter(|r| r.status == "active")
        .map(|r| {
            serde_json::from_value(r.doc)
                .map_err(|e| StoreError::Backend(format!("webhook {}: {e}", r.id)))
        })
        .collect()
}

/// Sends every warning whose level changed since the subscriber's last delivery, as of `as_of`,
/// retrying per `retry` and recording every attempt.
pub fn dispatch(store: &SqliteStore, as_of: Date, retry: Retry) -> StoreResult<DispatchReport> {
    let mut report = DispatchReport::default();
    for sub in subscriptions(store)? {
        let q = WfQuery {
            park: sub.park.clone(),
            jurisdiction: sub.county.clone(),
            ..Default::default()
        };
        let view = if sub.park.is_some() {
            TaskView::Parks
        } else {
            TaskView::All
        };
        for w in warnings(due_items(store, &q, view)?, as_of) {
            let (k, level) = (key(&w), level_str(&w));
            let previous = store.delivered_level(&sub.id, &k)?;
            if previous.as_deref() == Some(level.as_str()) {
                report.unchanged += 1;
                continue;
            }
            let sent_at = jiff::Timestamp::now();
            let body = serde_json::to_vec(&serde_json::json!({
                "event": "warning.level_changed",
                "delivery": format!("{}:{k}:{level}:{}", sub.id, sent_at.as_millisecond()),
                "sent_at": sent_at.to_string(),
                "subscription": sub.id,
                "as_of": as_of.to_string(),
                "key": k,
                "level": level,
                "previous_level": previous,
                "warning": w,
            }))
            .map_err(|e| StoreError::Backend(e.to_string()))?;
            let headers = [
                (SIGNATURE_HEADER, signature(&sub.secret, &body)),
                ("X-Landcycle-Event", "warning.level_changed".to_owned()),
            ];
            let body_sha256 = hex::encode(Sha256::digest(&body));
            let mut wait = retry.backoff;
            let mut ok = false;
            for attempt in 1..=retry.attempts.max(1) {
                if attempt > 1 {
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                let res = post(&sub.url, &headers, &body, retry.timeout);
                ok = matches!(res, Ok(200..=299));
                store.record_delivery(&Delivery {
                    seq: 0,
                    webhook_id: sub.id.clone(),
                    item_key: k.clone(),
                    level: level.clone(),
                    attempt,
                    attempted_at: jiff::Timestamp::now(),
                    http_status: res.as_ref().ok().copied(),
                    error: res.err(),
                    delivered: ok,
                    body_sha256: body_sha256.clone(),
                })?;
                if ok {
                    break;
                }
            }
            if ok {
                report.delivered += 1;
            } else {
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than the block).
    #[test]
    fn hmac_matches_rfc_4231() {
        assert_eq!(
            hex::encode(hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
