//! Stores driven through the binary, for the crash tests: build a small one, check it, count
//! its parcels, and write a large import file.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::{BIN, spawn_serve_env};

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn landcycle(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .args(["--db", db.to_str().unwrap(), "--log", "warn"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A small demo store without accounts (parks, enterprises, ~200 parcels).
pub fn base_store(db: &Path) {
    let (ok, _, err) = landcycle(
        db,
        &[
            "demo",
            "--parcels",
            "200",
            "--enterprises",
            "60",
            "--no-users",
        ],
    );
    assert!(ok, "demo: {err}");
}

pub fn assert_check_ok(db: &Path, when: &str) {
    let (ok, out, err) = landcycle(db, &["check"]);
    assert!(ok && out.trim() == "ok", "check after {when}: {out}{err}");
}

pub fn parcel_count(db: &Path) -> u64 {
    let (ok, out, err) = landcycle(db, &["stats"]);
    assert!(ok, "stats: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["parcels"].as_u64().unwrap()
}

/// Serves `db`. Its temporary files (an upload being imported) go beside `db`, so that those
/// of a killed server go with the test's directory.
pub fn serve(db: &Path) -> (Child, String) {
    spawn_serve_env(
        &["--no-demo", "--log", "warn", "--db", db.to_str().unwrap()],
        &[("TMPDIR", db.parent().unwrap())],
    )
}

pub fn rect(x: f64, y: f64) -> String {
    let (w, h) = (0.0004, 0.0003);
    format!(
        "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
        x + w,
        x + w,
        y + h,
        y + h
    )
}

/// A GeoJSON file of `n` parcels east of the demo data, with their own codes.
pub fn import_file(dir: &Path, n: usize) -> PathBuf {
    let mut s = String::with_capacity(n * 400);
    s.push_str(r#"{"type":"FeatureCollection","features":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let (x, y) = (
            114.20 + (i % 200) as f64 * 0.0007,
            34.30 + (i / 200) as f64 * 0.0007,
        );
        s.push_str(&format!(
            r#"{{"type":"Feature","properties":{{"code":"411002001998GB{:05}","name":"导入{i}","jurisdiction":"411002","park_id":"weidu","land_use_code":"100101","status":"approved_unsupplied","registered_area_mu":"4.5"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            i + 1,
            rect(x, y)
        ));
    }
    s.push_str("]}");
    let path = dir.join("big.geojson");
    std::fs::write(&path, s).unwrap();
    path
}

pub fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

pub fn wal_size(db: &Path) -> u64 {
    std::fs::metadata(beside(db, "-wal")).map_or(0, |m| m.len())
}
