//! `landcycle evaluate`, `landcycle parks` and `landcycle import --kind figures` on a small demo:
//! every park has its 亩均税收 against its target; an evaluation run is stored and re-running it
//! from the stored inputs gives identical results.
#![allow(missing_docs, clippy::unwrap_used)]

use landcycle_store::{Registry, SqliteStore, Store};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

const BIN: &str = env!("CARGO_BIN_EXE_landcycle");

fn run(db: &Path, args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn demo(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.gpkg");
    run(
        &db,
        &[
            "demo",
            "--parcels",
            "600",
            "--enterprises",
            "200",
            "--no-users",
        ],
    );
    db
}

#[test]
fn every_park_has_its_tax_per_mu_against_its_target_with_a_trend() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let out = run(&db, &["parks", "--year", "2024", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 10, "the ten parks of the plan");
    for r in rows {
        assert!(
            r["target"]["min_wan"].is_string(),
            "target of {}",
            r["name"]
        );
        let years = r["years"].as_array().unwrap();
        assert!(years.len() >= 5, "trend over the years: {}", r["name"]);
        let y = years.iter().find(|y| y["year"] == 2024).unwrap();
        assert!(
            y["tax_per_mu_wan"].is_string(),
            "value of {}: {y}",
            r["name"]
        );
        assert!(y["position"].is_string());
    }
    let xlsx = dir.path().join("parks.xlsx");
    let out = run(
        &db,
        &["parks", "--year", "2024", "--xlsx", xlsx.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("达到目标") || xlsx.exists());
    let t = landcycle_io::read_table(&xlsx, &Default::default()).unwrap();
    assert_eq!(t.rows.len(), 10);
    assert!(
        t.headers.iter().any(|h| h == "2024年亩均税收(万元/亩)"),
        "{:?}",
        t.headers
    );
}

#[test]
fn evaluation_is_stored_and_reproduces_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let xlsx = dir.path().join("eval.xlsx");
    let out = run(
        &db,
        &[
            "evaluate",
            "--year",
            "2024",
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("亩均效益评价 2024"), "{text}");
    let t = landcycle_io::read_table(&xlsx, &Default::default()).unwrap();
    for h in [
        "企业名称",
        "统一社会信用代码",
        "园区",
        "亩均税收(万元/亩)",
        "得分",
        "等级",
        "排名",
    ] {
        assert!(t.headers.iter().any(|x| x == h), "{h} in {:?}", t.headers);
    }
    assert!(!t.rows.is_empty());

    let reg = Registry::new(Arc::new(SqliteStore::open(&db).unwrap()));
    let ids = reg.store().evaluation_runs(2024).unwrap();
    assert_eq!(ids.len(), 1);
    let stored = reg.store().evaluation_run(&ids[0]).unwrap().unwrap();
    assert!(stored.entries.iter().any(|e| e.class.is_some()));
    assert!(stored.entries.iter().any(|e| e.inputs.input.above_scale));
    assert!(stored.entries.iter().any(|e| !e.inputs.input.above_scale));
    let again = reg.reproduce_evaluation(&ids[0]).unwrap();
    assert_eq!(again, stored, "identical scores, classes and ranks");
    run(&db, &["evaluate", "--year", "2024", "--reproduce", &ids[0]]);
}

#[test]
fn figures_import_refuses_a_bad_file_by_row_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let csv = dir.path().join("tax.csv");
    std::fs::write(
        &csv,
        "统一社会信用代码,年度,税收(万元)\n914403001922038217,2024,10\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["import", "--kind", "figures", "--db"])
        .arg(&db)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("tax.csv") && text.contains("uscc"), "{text}");
}
