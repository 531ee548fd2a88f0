//! The `landcycle` binary as a user runs it: the demo store opens in GDAL with the count the
//! demo reported, the same seed gives the same file, and `serve` on a fresh machine builds the
//! demo and answers.
#![allow(missing_docs, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_landcycle");

fn demo(db: &Path, parcels: &str) -> String {
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
    let stdout = demo(&db, "400");
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
    demo(&a, "150");
    demo(&b, "150");
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

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf[9..12].parse().unwrap();
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_on_a_fresh_machine_builds_the_demo_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.gpkg");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--db",
            db.to_str().unwrap(),
            "--demo-parcels",
            "200",
        ])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("serve exited before listening")
            .unwrap();
        if let Some(rest) = line.strip_prefix("landcycle: http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    let (status, parks) = get(&addr, "/api/parks");
    let (doc_status, doc) = get(&addr, "/api/openapi.json");
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
