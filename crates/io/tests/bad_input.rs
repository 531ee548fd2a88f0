//! Bad input, made by GDAL: every problem is reported with file, row and field, and the store
//! is left exactly as it was.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use landcycle_io::{ImportOptions, Mapping, read_parcels, read_parcels_partial};
use landcycle_store::{ImportProblem, ImportReport, Registry, SqliteStore};
use serde_json::json;
use std::path::Path;

/// Reads and imports (not a dry run) like the CLI does: reading problems and the registry's
/// problems of the rows that converted, in one list.
fn import(
    reg: &Registry<SqliteStore>,
    path: &Path,
    opts: &ImportOptions,
) -> (Vec<ImportProblem>, Option<ImportReport>) {
    let out = read_parcels_partial(path, opts, &mut |_, _| {});
    if out.rows.is_empty() {
        return (out.problems, None);
    }
    let report = reg
        .import_parcels(
            out.rows,
            out.source,
            &meta("导入"),
            !out.problems.is_empty(),
        )
        .unwrap();
    let mut all = out.problems;
    all.extend(report.problems.clone());
    (all, Some(report))
}

fn shapefile(
    dir: &Path,
    name: &str,
    t_srs: &str,
    n: usize,
    edit: impl Fn(usize, &mut serde_json::Value),
) -> std::path::PathBuf {
    let src = source_geojson(dir, &format!("{name}.geojson"), n, edit);
    let shp = dir.join(format!("{name}.shp"));
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-lco",
        "ENCODING=GBK",
        "-s_srs",
        "EPSG:4490",
        "-t_srs",
        t_srs,
        shp.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    shp
}

fn has(problems: &[ImportProblem], file: &str, row: Option<usize>, field: &str) -> bool {
    problems
        .iter()
        .any(|p| p.file == file && p.row == row && p.field == field)
}

#[test]
fn self_intersecting_polygon() {
    let dir = tempfile::tempdir().unwrap();
    let shp = shapefile(dir.path(), "bowtie", "EPSG:4526", 5, |i, f| {
        if i == 3 {
            let (x, y) = cell(i);
            f["geometry"]["coordinates"] = json!([[
                [x, y],
                [x + 0.0006, y + 0.0005],
                [x + 0.0006, y],
                [x, y + 0.0005],
                [x, y]
            ]]);
        }
    });
    let (reg, _d) = registry();
    let before = snapshot(reg.store());
    let (problems, report) = import(&reg, &shp, &ImportOptions::default());
    assert!(
        has(&problems, "bowtie.shp", Some(4), "geometry"),
        "{problems:#?}"
    );
    let p = problems.iter().find(|p| p.field == "geometry").unwrap();
    assert!(
        p.reason.contains("self") || p.value.as_deref() == Some("self_intersection"),
        "{p:?}"
    );
    assert!(!p.reason_zh.is_empty());
    assert!(!report.unwrap().written);
    assert_eq!(snapshot(reg.store()), before);
}

#[test]
fn missing_prj() {
    let dir = tempfile::tempdir().unwrap();
    let shp = shapefile(dir.path(), "noprj", "EPSG:4526", 3, |_, _| {});
    std::fs::remove_file(shp.with_extension("prj")).unwrap();
    let problems = read_parcels(&shp, &ImportOptions::default()).unwrap_err();
    assert!(has(&problems, "noprj.shp", None, "crs"), "{problems:#?}");
    assert!(
        problems[0].reason.contains("noprj.prj") && problems[0].reason_zh.contains(".prj"),
        "{problems:#?}"
    );
    // With --crs it reads.
    let mut opts = ImportOptions::default();
    opts.read.crs = Some(landcycle_geo::Crs::from_epsg(4526).unwrap());
    assert_eq!(read_parcels(&shp, &opts).unwrap().1.len(), 3);
}

#[test]
fn xian_80_prj_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shp = shapefile(dir.path(), "xian80", "EPSG:2362", 3, |_, _| {});
    let prj = std::fs::read_to_string(shp.with_extension("prj")).unwrap();
    assert!(prj.contains("Xian_1980"), "{prj}");
    let (reg, _d) = registry();
    let before = snapshot(reg.store());
    let (problems, report) = import(&reg, &shp, &ImportOptions::default());
    assert!(report.is_none());
    assert!(
        has(&problems, "xian80.prj", None, "crs") || has(&problems, "xian80.shp", None, "crs"),
        "{problems:#?}"
    );
    assert!(
        problems[0].reason.contains("7-parameter") && problems[0].reason.contains("七参数"),
        "{problems:#?}"
    );
    assert_eq!(snapshot(reg.store()), before);
    // With the 7 parameters given (--towgs84) the file is shifted to CGCS2000 and the
    // parameters are recorded with the import (tests/towgs84.rs checks the shift against PROJ).
    let mut opts = ImportOptions::default();
    opts.read.towgs84 = Some("24.1,-69.2,-33.4,0.4,-0.3,1.1,2.5".into());
    let (source, rows) = read_parcels(&shp, &opts).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        source.crs.contains("+towgs84=24.1,-69.2,-33.4"),
        "{}",
        source.crs
    );
}

#[test]
fn lon_lat_numbers_in_a_gk_file_name_the_feature() {
    let dir = tempfile::tempdir().unwrap();
    let shp = shapefile(dir.path(), "degrees", "EPSG:4490", 3, |_, _| {});
    let gk = shapefile(dir.path(), "gk", "EPSG:4526", 1, |_, _| {});
    std::fs::copy(gk.with_extension("prj"), shp.with_extension("prj")).unwrap();
    let problems = read_parcels(&shp, &ImportOptions::default()).unwrap_err();
    for row in 1..=3 {
        assert!(
            has(&problems, "degrees.shp", Some(row), "geometry"),
            "{problems:#?}"
        );
    }
    assert!(
        problems[0].reason.contains("longitude/latitude"),
        "{problems:#?}"
    );
}

#[test]
fn wrong_uscc() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("uscc.gpkg");
    let src = source_geojson(dir.path(), "uscc.geojson", 4, |i, f| {
        if i == 2 {
            f["properties"]["信用代码"] = json!(BAD_USCC);
        }
    });
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-t_srs",
        "EPSG:4547",
        gpkg.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    let (reg, _d) = registry();
    let before = snapshot(reg.store());
    let (problems, report) = import(&reg, &gpkg, &ImportOptions::default());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        has(&problems, "uscc.gpkg", Some(3), "enterprise"),
        "{problems:#?}"
    );
    assert_eq!(problems[0].value.as_deref(), Some(BAD_USCC));
    assert!(problems[0].reason_zh.contains("校验码"), "{problems:#?}");
    assert!(!report.unwrap().written);
    assert_eq!(snapshot(reg.store()), before);
}

#[test]
fn excel_with_an_unknown_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.xlsx");
    let (mut headers, mut rows) = xlsx_rows(5);
    headers.push("颜色");
    for r in &mut rows {
        r.push(XlsxCell::S("红".into()));
    }
    write_xlsx(&path, &headers, &rows);
    let (reg, _d) = registry();
    let before = snapshot(reg.store());
    let (problems, report) = import(&reg, &path, &ImportOptions::default());
    assert!(
        has(&problems, "台账.xlsx", Some(1), "颜色"),
        "{problems:#?}"
    );
    assert!(
        problems[0].reason.contains("unknown column") && problems[0].reason.contains("宗地代码")
    );
    assert!(!report.unwrap().written);
    assert_eq!(snapshot(reg.store()), before);
    // Mapped to ignore, the same file imports.
    let opts = ImportOptions {
        mapping: Some(Mapping::from_toml("[fields]\n\"颜色\" = \"ignore\"\n").unwrap()),
        ..Default::default()
    };
    let (problems, report) = import(&reg, &path, &opts);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(report.unwrap().created.len(), 5);
}

#[test]
fn one_bad_row_among_a_thousand() {
    let dir = tempfile::tempdir().unwrap();
    let shp = shapefile(dir.path(), "big", "EPSG:4526", 1001, |i, f| {
        if i == 700 {
            f["properties"]["土地用途"] = json!("火星用地");
        }
    });
    let (reg, _d) = registry();
    let before = snapshot(reg.store());
    let (problems, report) = import(&reg, &shp, &ImportOptions::default());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        has(&problems, "big.shp", Some(701), "land_use_code"),
        "{problems:#?}"
    );
    assert_eq!(problems[0].value.as_deref(), Some("火星用地"));
    let report = report.unwrap();
    assert_eq!(report.rows, 1000);
    assert!(!report.written);
    assert_eq!(snapshot(reg.store()), before);
}

#[test]
fn area_without_unit_and_missing_required_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("面积.xlsx");
    let (mut headers, mut rows) = xlsx_rows(3);
    headers[8] = "面积";
    rows[1][2] = XlsxCell::S(String::new());
    write_xlsx(&path, &headers, &rows);
    let problems = read_parcels(&path, &ImportOptions::default()).unwrap_err();
    assert!(
        has(&problems, "面积.xlsx", Some(1), "面积"),
        "{problems:#?}"
    );
    assert!(problems.iter().any(|p| p.reason_zh.contains("亩")));
    assert!(
        has(&problems, "面积.xlsx", Some(3), "name"),
        "{problems:#?}"
    );
}

/// The record of feature `i` (0-based) in a `.dbf`: (offset, length).
fn dbf_record(dbf: &[u8], i: usize) -> (usize, usize) {
    let header = usize::from(u16::from_le_bytes([dbf[8], dbf[9]]));
    let len = usize::from(u16::from_le_bytes([dbf[10], dbf[11]]));
    (header + i * len, len)
}

#[test]
fn a_deleted_record_is_skipped_with_its_shape() {
    let dir = tempfile::tempdir().unwrap();
    let shp = shapefile(dir.path(), "deleted", "EPSG:4526", 5, |_, _| {});
    let dbf_path = shp.with_extension("dbf");
    let mut dbf = std::fs::read(&dbf_path).unwrap();
    let (at, _) = dbf_record(&dbf, 1);
    dbf[at] = b'*';
    std::fs::write(&dbf_path, &dbf).unwrap();
    let (_, rows) = read_parcels(&shp, &ImportOptions::default()).unwrap();
    assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [1, 3, 4, 5]);
    for r in &rows {
        // Each row keeps its own attributes and its own shape.
        assert_eq!(r.draft.code.as_deref(), Some(code(r.row - 1).as_str()));
        let (x, y) = cell(r.row - 1);
        let c = geo::Centroid::centroid(&r.draft.geometry).unwrap();
        assert!((c.x() - x - 0.0003).abs() < 1e-6 && (c.y() - y - 0.00025).abs() < 1e-6);
    }
}

#[test]
fn a_dbf_that_does_not_match_the_shp_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shp = shapefile(dir.path(), "five", "EPSG:4526", 5, |_, _| {});
    let other = shapefile(dir.path(), "four", "EPSG:4526", 4, |_, _| {});
    std::fs::copy(other.with_extension("dbf"), shp.with_extension("dbf")).unwrap();
    let problems = read_parcels(&shp, &ImportOptions::default()).unwrap_err();
    assert!(
        problems[0].reason.contains("5 shapes") && problems[0].reason.contains("4 records"),
        "{problems:#?}"
    );
    assert!(problems[0].reason_zh.contains("不匹配"), "{problems:#?}");
    // A number field that is not a number names its feature and field.
    let shp = shapefile(dir.path(), "badnum", "EPSG:4526", 3, |_, _| {});
    let dbf_path = shp.with_extension("dbf");
    let mut dbf = std::fs::read(&dbf_path).unwrap();
    let (at, len) = dbf_record(&dbf, 2);
    let area = dbf[at..at + len]
        .windows(4)
        .position(|w| w == b" 4.5")
        .unwrap();
    dbf[at + area + 1..at + area + 4].copy_from_slice(b"4,5");
    std::fs::write(&dbf_path, &dbf).unwrap();
    let problems = read_parcels(&shp, &ImportOptions::default()).unwrap_err();
    let p = &problems[0];
    assert!(
        p.reason.contains("feature 3") && p.reason.contains("4,5"),
        "{p:?}"
    );
}
