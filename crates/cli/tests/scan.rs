//! `landcycle scan` on the demo data finds idle, approved-but-unsupplied and low-efficiency
//! parcels in several parks, each with a readable reason.
#![allow(missing_docs, clippy::unwrap_used)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_landcycle");

#[test]
fn scan_of_the_demo_finds_each_kind_in_several_parks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.gpkg");
    let db = db.to_str().unwrap();
    let out = Command::new(BIN)
        .args([
            "demo",
            "--db",
            db,
            "--parcels",
            "1200",
            "--enterprises",
            "400",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(BIN)
        .args([
            "scan",
            "--db",
            db,
            "--as-of",
            "2025-12-31",
            "--year",
            "2025",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let parks = report["by_park"].as_object().unwrap();
    let with = |key: &str| {
        parks
            .values()
            .filter(|t| t[key].as_u64().unwrap() > 0)
            .count()
    };
    assert!(with("idle") >= 3, "idle in several parks: {parks:?}");
    assert!(
        with("unsupplied") >= 3,
        "批而未供 in several parks: {parks:?}"
    );
    assert!(
        with("low_efficiency") >= 3,
        "low efficiency in several parks: {parks:?}"
    );
    let findings = report["findings"].as_array().unwrap();
    for (rule, words) in [
        ("IDLE-A", "未动工"),
        ("PWG", "未供应"),
        ("LE-4", "亩均税收"),
    ] {
        let f = findings
            .iter()
            .find(|f| f["rule_id"].as_str().unwrap().starts_with(rule))
            .unwrap_or_else(|| panic!("no {rule} finding"));
        let reason = f["reason_zh"].as_str().unwrap();
        assert!(reason.contains(words), "{rule}: {reason}");
        assert!(!f["rule_set_version"].as_str().unwrap().is_empty());
        assert!(
            !f["inputs"].as_object().unwrap().is_empty(),
            "{rule} records its inputs"
        );
    }
}
