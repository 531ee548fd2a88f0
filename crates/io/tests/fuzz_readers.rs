//! Robustness of the import readers against damaged files (issue 3's fuzzing, run as property
//! tests so that the ordinary test command runs them, time-boxed by the case count): valid
//! Shapefile, DBF, xlsx, CSV, GeoJSON, GeoPackage and FlatGeobuf files exported by the crate are damaged
//! (bytes flipped, inserted, the file cut short; JSON nodes replaced by odd values) and read.
//! Whatever the damage, reading never panics and every problem names its file and a reason in
//! both languages. `LANDCYCLE_FUZZ_CASES` sets the cases per target (default 96); longer runs
//! are recorded in SECURITY.md.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use landcycle_demo::fixtures::replace_node;
use landcycle_domain::{LandUse, ParcelDraft, ParcelLifecycle, PlanningConditions};
use landcycle_io::export::{ExportMeta, ExportOptions, Format, export_parcels, fetch_parcels};
use landcycle_io::{ImportOptions, read_parcels_partial};
use landcycle_store::ParcelQuery;
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn cases() -> u32 {
    std::env::var("LANDCYCLE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}

/// The seed files: one export per format of three parcels, made once per test binary.
struct Seeds {
    _dir: tempfile::TempDir,
    files: Vec<PathBuf>,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let (reg, _store_dir) = registry();
        for i in 0..3 {
            let (x, y) = cell(i);
            let d = ParcelDraft {
                code: Some(code(i)),
                legacy_codes: vec![],
                name: format!("许昌测试机械厂区{}期", i + 1),
                address: Some("魏都区魏文路东段南侧".into()),
                jurisdiction: "411002".into(),
                park_id: Some("weidu".into()),
                land_use: LandUse::industrial_class1(),
                status: ParcelLifecycle::Granted,
                geometry: rect(x, y, 0.0006, 0.0005),
                registered_area_m2: None,
                enterprise: Some(USCC.into()),
                planning: PlanningConditions::default(),
            };
            reg.create_parcel(d, &meta("种子"), None).unwrap();
        }
        let parcels = fetch_parcels(reg.store(), &ParcelQuery::default(), &mut |_, _| {}).unwrap();
        // Kept for the whole run in a static, never dropped: under target/tmp, not /tmp.
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let mut files = Vec::new();
        for (format, name) in [
            (Format::Shp, "seed.shp"),
            (Format::Xlsx, "seed.xlsx"),
            (Format::Csv, "seed.csv"),
            (Format::GeoJson, "seed.geojson"),
            (Format::Gpkg, "seed.gpkg"),
            (Format::Fgb, "seed.fgb"),
        ] {
            let o = ExportOptions {
                format,
                meta: ExportMeta {
                    source: "seed.gpkg".into(),
                    exported_at: "2025-01-01T00:00:00Z".into(),
                    synthetic: true,
                },
                ..ExportOptions::default()
            };
            let path = dir.path().join(name);
            export_parcels(&parcels, &path, &o, &mut |_, _| {}).unwrap();
            files.push(path);
        }
        Seeds { _dir: dir, files }
    })
}

/// The seed of `ext` and the files that travel with it (a Shapefile's .shx, .dbf, .prj, .cpg).
fn family(ext: &str) -> Vec<PathBuf> {
    let main = seeds()
        .files
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .unwrap()
        .clone();
    if ext != "shp" {
        return vec![main];
    }
    ["shp", "shx", "dbf", "prj", "cpg"]
        .iter()
        .map(|e| main.with_extension(e))
        .collect()
}

/// One damage to a file's bytes.
#[derive(Debug, Clone)]
enum Damage {
    Flip { at: usize, byte: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Cut { keep: usize },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::Flip { at, byte }),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(at, bytes)| Damage::Insert { at, bytes }),
        1 => any::<usize>().prop_map(|keep| Damage::Cut { keep }),
    ]
}

fn apply(bytes: &mut Vec<u8>, d: &Damage) {
    if bytes.is_empty() {
        return;
    }
    match d {
        Damage::Flip { at, byte } => {
            let n = bytes.len();
            bytes[at % n] ^= byte | 1;
        }
        Damage::Insert { at, bytes: b } => {
            let at = at % bytes.len();
            bytes.splice(at..at, b.iter().copied());
        }
        Damage::Cut { keep } => bytes.truncate(keep % bytes.len()),
    }
}

/// Copies `files` into a fresh folder, damaging the `which`-th one; returns the folder and the
/// path of the main file.
fn damaged(files: &[PathBuf], which: usize, damages: &[Damage]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let which = which % files.len();
    for (i, f) in files.iter().enumerate() {
        let mut bytes = std::fs::read(f).unwrap();
        if i == which {
            damages.iter().for_each(|d| apply(&mut bytes, d));
        }
        std::fs::write(dir.path().join(f.file_name().unwrap()), bytes).unwrap();
    }
    let main = dir.path().join(files[0].file_name().unwrap());
    (dir, main)
}

/// Reads `path` and checks the outcome is an answer, not a crash: every problem names a file
/// and says why in English and Chinese.
fn read_and_check(path: &Path) -> Result<(), TestCaseError> {
    let out = read_parcels_partial(path, &ImportOptions::default(), &mut |_, _| {});
    for p in &out.problems {
        prop_assert!(!p.file.is_empty(), "problem without a file: {p:?}");
        prop_assert!(!p.reason.is_empty() && !p.reason_zh.is_empty(), "{p:?}");
    }
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_damaged_shapefile_set_is_reported_not_crashed_on(
        which in 0usize..5,
        damages in prop::collection::vec(damage(), 1..6),
    ) {
        let (_dir, main) = damaged(&family("shp"), which, &damages);
        read_and_check(&main)?;
    }

    #[test]
    fn a_damaged_xlsx_is_reported_not_crashed_on(damages in prop::collection::vec(damage(), 1..6)) {
        let (_dir, main) = damaged(&family("xlsx"), 0, &damages);
        read_and_check(&main)?;
    }

    #[test]
    fn a_damaged_csv_is_reported_not_crashed_on(damages in prop::collection::vec(damage(), 1..6)) {
        let (_dir, main) = damaged(&family("csv"), 0, &damages);
        read_and_check(&main)?;
    }

    #[test]
    fn a_damaged_geopackage_is_reported_not_crashed_on(damages in prop::collection::vec(damage(), 1..4)) {
        let (_dir, main) = damaged(&family("gpkg"), 0, &damages);
        read_and_check(&main)?;
    }

    #[test]
    fn a_damaged_flatgeobuf_is_reported_not_crashed_on(damages in prop::collection::vec(damage(), 1..6)) {
        let (_dir, main) = damaged(&family("fgb"), 0, &damages);
        read_and_check(&main)?;
    }

    #[test]
    fn damaged_geojson_bytes_are_reported_not_crashed_on(damages in prop::collection::vec(damage(), 1..6)) {
        let (_dir, main) = damaged(&family("geojson"), 0, &damages);
        read_and_check(&main)?;
    }

    #[test]
    fn odd_geojson_values_are_reported_not_crashed_on(
        edits in prop::collection::vec((any::<u64>(), odd_value()), 1..5),
    ) {
        let seed = &family("geojson")[0];
        let mut doc: Value = serde_json::from_slice(&std::fs::read(seed).unwrap()).unwrap();
        for (pick, v) in edits {
            replace_node(&mut doc, pick, v);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("odd.geojson");
        std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
        read_and_check(&path)?;
    }
}

/// Values that readers must not trust: extremes, wrong types, deep nesting, odd text.
fn odd_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(Value::from),
        Just(Value::from(1e308)),
        Just(Value::from(-0.0)),
        ".{0,40}".prop_map(Value::from),
        Just(Value::from("EPSG:2383")),
        Just(Value::from("urn:ogc:def:crs:EPSG::4547")),
        Just(Value::from("宗地代码")),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn the_seeds_themselves_read_cleanly() {
    for ext in ["shp", "xlsx", "csv", "geojson", "gpkg", "fgb"] {
        let main = &family(ext)[0];
        let out = read_parcels_partial(main, &ImportOptions::default(), &mut |_, _| {});
        assert!(out.problems.is_empty(), "{ext}: {:?}", out.problems);
        assert_eq!(out.rows.len(), 3, "{ext}");
    }
}
