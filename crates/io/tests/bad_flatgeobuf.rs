//! Damaged and refused FlatGeobuf files, made by GDAL and then damaged: each is refused through
//! the import pipeline (as `landcycle import` and `POST /api/imports` run it) with a report that
//! names the file, the feature and the field, and the store is left exactly as it was.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use landcycle_io::{ImportKind, ImportOptions, ImportSummary, commit, prepare, read_parcels};
use landcycle_store::{ImportProblem, Registry, SqliteStore};
use std::path::{Path, PathBuf};

/// A FlatGeobuf of `n` test parcels in `t_srs`, written by GDAL.
fn fgb(dir: &Path, name: &str, t_srs: &str, n: usize) -> PathBuf {
    let src = source_geojson(dir, &format!("{name}.geojson"), n, |_, _| {});
    let path = dir.join(format!("{name}.fgb"));
    ogr2ogr(&[
        "-f",
        "FlatGeobuf",
        "-s_srs",
        "EPSG:4490",
        "-t_srs",
        t_srs,
        path.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    path
}

/// Imports `path` for real (not a dry run) through the pipeline; asserts nothing was written
/// and the store is unchanged, and returns the problems.
fn refused(reg: &Registry<SqliteStore>, path: &Path) -> Vec<ImportProblem> {
    let before = snapshot(reg.store());
    let m = meta("导入");
    let files = [path.to_owned()];
    let opts = ImportOptions::default();
    let prepared = prepare(
        reg,
        &files,
        ImportKind::Parcels,
        &opts,
        &m,
        &mut |_, _, _| {},
    )
    .unwrap();
    let summary: ImportSummary = commit(reg, prepared, &m, false).unwrap();
    assert!(!summary.written, "{summary:#?}");
    assert!(!summary.problems.is_empty());
    assert_eq!(snapshot(reg.store()), before, "the store changed");
    for p in &summary.problems {
        assert!(!p.reason.is_empty() && !p.reason_zh.is_empty(), "{p:?}");
    }
    summary.problems
}

fn find(bytes: &[u8], what: &[u8]) -> usize {
    bytes
        .windows(what.len())
        .position(|w| w == what)
        .unwrap_or_else(|| panic!("{:?} not in the file", String::from_utf8_lossy(what)))
}

#[test]
fn a_cut_file_names_the_feature_where_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = fgb(dir.path(), "cut", "EPSG:4526", 6);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(bytes.len() - 40);
    std::fs::write(&path, bytes).unwrap();
    let (reg, _d) = registry();
    let problems = refused(&reg, &path);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert_eq!(
        (p.file.as_str(), p.row, p.field.as_str()),
        ("cut.fgb", None, "file")
    );
    assert!(
        p.reason.contains("feature 6") && p.reason.contains("past the end"),
        "{p:?}"
    );
    assert!(p.reason_zh.contains("第6个要素"), "{p:?}");
}

#[test]
fn a_damaged_property_names_the_feature_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = fgb(dir.path(), "utf8", "EPSG:4526", 6);
    let clean = read_parcels(&path, &ImportOptions::default()).unwrap().1;
    let feature = clean
        .iter()
        .find(|r| r.draft.name == "许昌测试机械厂区3期")
        .unwrap()
        .row;
    // The first byte of 许 in that feature's 项目名称 becomes a byte UTF-8 never has.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = find(&bytes, "许昌测试机械厂区3期".as_bytes());
    bytes[at] = 0xFF;
    std::fs::write(&path, bytes).unwrap();
    let (reg, _d) = registry();
    let problems = refused(&reg, &path);
    let p = problems
        .iter()
        .find(|p| p.row == Some(feature) && p.field == "项目名称")
        .unwrap_or_else(|| panic!("feature {feature}, 项目名称: {problems:#?}"));
    assert_eq!(p.file, "utf8.fgb");
    assert!(p.reason.contains("not UTF-8"), "{p:?}");
    assert!(p.reason_zh.contains("项目名称"), "{p:?}");
}

#[test]
fn a_file_that_is_not_flatgeobuf_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fake.fgb");
    std::fs::write(&path, b"PK\x03\x04 this is a zip, not a FlatGeobuf").unwrap();
    let (reg, _d) = registry();
    let problems = refused(&reg, &path);
    assert!(
        problems[0].file == "fake.fgb" && problems[0].reason.contains("not a FlatGeobuf"),
        "{problems:#?}"
    );
    // A damaged header is refused too, not read.
    let good = fgb(dir.path(), "hdr", "EPSG:4526", 2);
    let mut bytes = std::fs::read(&good).unwrap();
    bytes[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(&good, bytes).unwrap();
    let problems = refused(&reg, &good);
    assert!(problems[0].reason.contains("header size"), "{problems:#?}");
}

#[test]
fn xian_80_flatgeobuf_is_refused_and_no_crs_asks_for_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = fgb(dir.path(), "xian80", "EPSG:2362", 2);
    let (reg, _d) = registry();
    let problems = refused(&reg, &path);
    assert_eq!(problems[0].field, "crs", "{problems:#?}");
    assert!(
        problems[0].reason.contains("Xian 1980") && problems[0].reason.contains("七参数"),
        "{problems:#?}"
    );
    // Without any CRS in the header: a problem asking for --crs, and --crs reads it.
    let src = source_geojson(dir.path(), "nocrs.geojson", 2, |_, _| {});
    let path = dir.path().join("nocrs.fgb");
    ogr2ogr(&[
        "-f",
        "FlatGeobuf",
        "-a_srs",
        "None",
        path.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    let problems = read_parcels(&path, &ImportOptions::default()).unwrap_err();
    assert!(
        problems[0].field == "crs" && problems[0].reason.contains("--crs"),
        "{problems:#?}"
    );
    let mut opts = ImportOptions::default();
    opts.read.crs = Some(landcycle_geo::Crs::from_epsg(4490).unwrap());
    assert_eq!(read_parcels(&path, &opts).unwrap().1.len(), 2);
}
