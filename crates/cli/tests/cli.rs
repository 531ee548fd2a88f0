//! The `landcycle` binary as a user runs it: the demo store opens in GDAL with the count the
//! demo reported, the same seed gives the same file, and `serve` on a fresh machine builds the
//! demo and answers.
#![allow(missing_docs, clippy::unwrap_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

mod common;

use common::{BIN, get, spawn_serve};

fn demo(db: &Path, parcels: &str, extra: &[&str]) -> String {
    let out = Command::new(BIN)
        .args([
            "demo",
            "--db",
            db.to_str().unwrap(),
            "--parcels",
            parcels,
            "--enterprises",
            "150",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("合成数据"), "the demo says it is synthetic");
    String::from_utf8(out.stdout).unwrap()
}

fn ogrinfo(args: &[&str]) -> String {
    let out = match Command::new("ogrinfo").args(args).output() {
        Ok(o) => o,
        Err(e) => panic!(
            "ogrinfo (Debian gdal-bin) is needed for this test; scripts/test installs it: {e}"
        ),
    };
    assert!(
        out.status.success(),
        "ogrinfo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn demo_store_opens_in_gdal_with_the_reported_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("landcycle.gpkg");
    let stdout = demo(&db, "400", &[]);
    // One account per role, passwords printed once, none of them the same.
    let accounts: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("demo accounts"))
        .skip(1)
        .collect();
    assert_eq!(accounts.len(), 7, "{stdout}");
    for role in [
        "admin",
        "city",
        "county",
        "park",
        "department",
        "enterprise",
        "auditor",
    ] {
        assert!(
            accounts.iter().any(|l| l.contains(&format!("demo-{role}"))),
            "{role}: {stdout}"
        );
    }
    let reported: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("parcels: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(reported > 300, "{reported}");
    let info = ogrinfo(&["-so", "-ro", db.to_str().unwrap(), "parcels"]);
    assert!(
        info.contains(&format!("Feature Count: {reported}")),
        "{info}"
    );
    assert!(info.contains("ID[\"EPSG\",4490]"), "{info}");
    assert!(info.contains("Geometry: Multi Polygon"), "{info}");
    for col in [
        "parcel_id",
        "code",
        "status",
        "computed_area_m2",
        "valid_from",
    ] {
        assert!(
            info.contains(&format!("{col}: ")),
            "column {col} missing: {info}"
        );
    }
    let layers = ogrinfo(&["-ro", "-q", db.to_str().unwrap()]);
    for l in [
        "parcels",
        "parcel_versions",
        "parks",
        "enterprises",
        "supplies",
    ] {
        assert!(layers.contains(l), "layer {l} missing: {layers}");
    }
    let check = Command::new(BIN)
        .args(["check", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(check.status.success() && String::from_utf8_lossy(&check.stdout).trim() == "ok");
}

#[test]
fn same_seed_gives_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.gpkg"), dir.path().join("b.gpkg"));
    demo(&a, "150", &["--no-users"]);
    demo(&b, "150", &["--no-users"]);
    assert!(
        std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
        "demo stores of one seed differ"
    );
    let again = Command::new(BIN)
        .args(["demo", "--db", a.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing store is not overwritten without --force"
    );
}

#[test]
fn serve_on_a_fresh_machine_builds_the_demo_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.gpkg");
    let (mut child, addr) = spawn_serve(&["--db", db.to_str().unwrap(), "--demo-parcels", "200"]);
    let (status, parks) = get(&addr, "/api/parks", None);
    let (doc_status, doc) = get(&addr, "/api/openapi.json", None);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
    let parks: serde_json::Value = serde_json::from_str(&parks).unwrap();
    assert_eq!(
        parks.as_array().unwrap().len(),
        10,
        "the ten parks of the pilot"
    );
    assert!(
        parks
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["tax_per_mu_target"]["min_wan"].is_string())
    );
    assert_eq!(doc_status, 200);
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
}

fn landcycle(db: &Path, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .args(["--db", db.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn token_create_prints_the_token_last_and_it_works_against_serve() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("accounts.gpkg");
    // The first admin: a generated password, printed once.
    let (ok, out, err) = landcycle(&db, &["user", "add", "admin", "--role", "admin"], None);
    assert!(ok, "{err}");
    assert!(out.contains("password (shown once"), "{out}");
    // A county user with a password from stdin; a scope that does not fit the role is refused.
    let (ok, _, err) = landcycle(
        &db,
        &[
            "user",
            "add",
            "wei",
            "--role",
            "county",
            "--jurisdiction",
            "411002",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(ok, "{err}");
    let (ok, _, err) = landcycle(&db, &["user", "add", "bad", "--role", "county"], None);
    assert!(!ok && err.contains("scope"), "{err}");
    let (ok, _, _) = landcycle(&db, &["user", "add", "admin", "--role", "city"], None);
    assert!(!ok, "names are unique");
    let (ok, out, err) = landcycle(&db, &["token", "create", "admin", "--expires", "30d"], None);
    assert!(ok, "{err}");
    let token = out.lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("lc_") && token.len() == 67, "{out}");
    let id = out.split_whitespace().nth(1).unwrap().to_owned();
    assert!(id.starts_with("tok_"), "{out}");
    let (ok, list, _) = landcycle(&db, &["user", "list"], None);
    assert!(
        ok && list.contains("wei\tcounty\tcounty:411002\tactive"),
        "{list}"
    );

    let (mut child, addr) = spawn_serve(&["--no-demo", "--db", db.to_str().unwrap()]);
    let (anon, _) = get(&addr, "/api/parcels", None);
    let (with_token, body) = get(&addr, "/api/parcels", Some(&token));
    let (me, who) = get(&addr, "/api/auth/me", Some(&token));
    let (public, _) = get(&addr, "/api/parks", None);
    let (ok, _, err) = landcycle(&db, &["token", "revoke", &id], None);
    // Revoked by another process: the server keeps a live token's principal in memory for
    // the credentials TTL (2 s; a revocation through the server itself is refused at once,
    // crates/server/tests/hot_caches.rs), so it stops working within that.
    let since = std::time::Instant::now();
    let revoked = loop {
        let (s, _) = get(&addr, "/api/parcels", Some(&token));
        if s != 200 || since.elapsed() > std::time::Duration::from_secs(4) {
            break s;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let took = since.elapsed();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(ok, "{err}");
    assert_eq!(anon, 401);
    assert_eq!(with_token, 200, "{body}");
    assert_eq!(me, 200);
    assert!(who.contains("\"role\":\"admin\""), "{who}");
    assert_eq!(public, 200, "the parks are public");
    assert_eq!(revoked, 401, "a revoked token stops working");
    assert!(
        took < std::time::Duration::from_millis(2500),
        "within the credentials TTL: {took:?}"
    );
    let (ok, audit, _) = landcycle(&db, &["audit", "--actor", "cli"], None);
    assert!(ok);
    for action in ["user.add", "token.create", "token.revoke"] {
        assert!(
            audit.contains(&format!("\"action\":\"{action}\"")),
            "{action}: {audit}"
        );
    }
    assert!(
        !audit.contains(&token),
        "the secret never reaches the audit log"
    );
}
