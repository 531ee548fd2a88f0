//! Real files made by GDAL (not by this crate) import with the right values, Chinese text
//! intact, and geometries within 1 mm of the source.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use geo_types::Geometry;
use landcycle_domain::{LandUseSystem, ParcelLifecycle};
use landcycle_io::{ImportOptions, read_parcels};
use landcycle_store::{ImportRow, ImportSource, Store};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;

const N: usize = 12;

fn read_ok(path: &Path, opts: &ImportOptions) -> (ImportSource, Vec<ImportRow>) {
    read_parcels(path, opts).unwrap_or_else(|p| panic!("{path:?}: {p:#?}"))
}

/// The values of the test rows, Chinese text intact.
fn assert_values(rows: &[ImportRow]) {
    assert_eq!(rows.len(), N);
    for (i, r) in rows.iter().enumerate() {
        let d = &r.draft;
        assert_eq!(r.row, i + 1);
        assert_eq!(d.code.as_deref(), Some(code(i).as_str()));
        assert_eq!(d.name, format!("许昌测试机械厂区{}期", i + 1));
        assert_eq!(d.address.as_deref(), Some("魏都区魏文路东段南侧"));
        assert_eq!(d.jurisdiction, "411002");
        assert_eq!(d.park_id.as_deref(), Some("weidu"));
        assert_eq!(
            (d.land_use.system, d.land_use.code.as_str()),
            (LandUseSystem::Territorial, "100101")
        );
        assert_eq!(d.status, ParcelLifecycle::Granted);
        assert_eq!(d.enterprise.as_deref(), Some(USCC));
        // 4.5 亩 = 3000 m² exactly.
        assert_eq!(
            d.registered_area_m2,
            Some(Decimal::from_str("3000").unwrap())
        );
    }
}

/// Every source vertex is within 1 mm of an imported one, measured in GK zone 38 with the
/// source projected by PROJ's cs2cs and the import projected by landcycle-geo.
fn assert_within_1mm(rows: &[ImportRow]) {
    let to_gk = landcycle_geo::Transformer::new(
        &landcycle_geo::Crs::Cgcs2000Geographic,
        &landcycle_geo::Crs::from_epsg(4526).unwrap(),
    )
    .unwrap();
    for (i, r) in rows.iter().enumerate() {
        let expected = cs2cs_to(4526, &ring(i));
        let got = to_gk
            .geometry(&Geometry::MultiPolygon(r.draft.geometry.clone()))
            .unwrap();
        let d = max_vertex_distance(&got, &expected);
        assert!(d < 0.001, "row {}: {d} m from the source", r.row);
    }
}

fn dry_run_clean(source: ImportSource, rows: Vec<ImportRow>) {
    let (reg, _dir) = registry();
    let before = snapshot(reg.store());
    let r = reg
        .import_parcels(rows, source, &meta("导入"), true)
        .unwrap();
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert!(!r.written);
    assert_eq!(snapshot(reg.store()), before);
}

/// `宗地.shp` in `dir`: the source parcels written by `ogr2ogr` in GBK in CGCS2000 GK zone 38
/// (EPSG:4526), its `.cpg` removed as in old ArcGIS output.
fn gbk_shapefile_without_cpg(dir: &Path) -> PathBuf {
    let src = source_geojson(dir, "in.geojson", N, |_, _| {});
    let shp = dir.join("宗地.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-lco",
        "ENCODING=GBK",
        "-s_srs",
        "EPSG:4490",
        "-t_srs",
        "EPSG:4526",
        shp.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    // The DBF really is GBK: the project name's GBK bytes are in it.
    let dbf = std::fs::read(shp.with_extension("dbf")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("许昌测试机械厂区");
    assert!(dbf.windows(gbk.len()).any(|w| w == &gbk[..]), "DBF not GBK");
    std::fs::remove_file(shp.with_extension("cpg")).unwrap();
    shp
}

#[test]
fn gbk_shapefile_in_gk_zone_38_without_cpg() {
    let dir = tempfile::tempdir().unwrap();
    let shp = gbk_shapefile_without_cpg(dir.path());

    let (source, rows) = read_ok(&shp, &ImportOptions::default());
    assert_eq!(source.file, "宗地.shp");
    assert_eq!(source.format, "shapefile");
    assert_eq!(source.crs, "EPSG:4526");
    assert_eq!(source.sha256.len(), 64);
    let enc = source.encoding.clone().unwrap();
    assert!(
        enc.starts_with("GBK: detected") && enc.contains("no .cpg"),
        "{enc}"
    );
    assert!(
        source
            .notes
            .iter()
            .any(|n| n.contains("CGCS2000_3_Degree_GK_Zone_38")),
        "{:?}",
        source.notes
    );
    assert_values(&rows);
    assert_within_1mm(&rows);

    // A real (not dry) import writes every parcel with its Chinese text intact.
    let (reg, _d) = registry();
    let r = reg
        .import_parcels(rows, source, &meta("导入宗地"), false)
        .unwrap();
    assert!(r.written && r.created.len() == N, "{:#?}", r.problems);
    let p = reg.store().parcel(r.created[0], None).unwrap().unwrap();
    assert_eq!(p.name, "许昌测试机械厂区1期");
}

/// `ogr2ogr` of a GBK Shapefile without its `.cpg` into a GeoPackage copies the GBK bytes of the
/// column names and text as they are (GeoPackage text must be UTF-8): read as GBK, with a note.
#[test]
fn geopackage_converted_by_gdal_from_a_gbk_shapefile_without_cpg() {
    let dir = tempfile::tempdir().unwrap();
    let shp = gbk_shapefile_without_cpg(dir.path());
    let gpkg = dir.path().join("宗地.gpkg");
    ogr2ogr(&["-f", "GPKG", gpkg.to_str().unwrap(), shp.to_str().unwrap()]);
    let (gbk, _, _) = encoding_rs::GBK.encode("宗地代码");
    let bytes = std::fs::read(&gpkg).unwrap();
    assert!(
        bytes.windows(gbk.len()).any(|w| w == &gbk[..]),
        "GDAL wrote UTF-8 after all: nothing to test"
    );

    let (source, rows) = read_ok(&gpkg, &ImportOptions::default());
    let enc = source.encoding.clone().unwrap();
    assert!(
        enc.starts_with("GBK") && enc.contains("column names and text values"),
        "{enc}"
    );
    assert_values(&rows);
    assert_within_1mm(&rows);
}

#[test]
fn cpg_and_encoding_flag_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    // UTF-8 Shapefiles cannot hold Chinese field names (10 bytes): pinyin initials as
    // surveyors use them.
    let pinyin = [
        ("宗地代码", "ZDDM"),
        ("项目名称", "XMMC"),
        ("坐落", "ZL"),
        ("行政区代码", "XZQDM"),
        ("园区", "YQ"),
        ("土地用途", "TDYT"),
        ("状态", "ZT"),
        ("面积(亩)", "MJ_MU"),
        ("信用代码", "XYDM"),
    ];
    let src = source_geojson(dir.path(), "in.geojson", N, |_, f| {
        let props = f["properties"].as_object().unwrap().clone();
        let renamed: serde_json::Map<String, serde_json::Value> = props
            .into_iter()
            .map(|(k, v)| {
                (
                    pinyin.iter().find(|(z, _)| *z == k).unwrap().1.to_owned(),
                    v,
                )
            })
            .collect();
        f["properties"] = serde_json::Value::Object(renamed);
    });
    let shp = dir.path().join("u.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-lco",
        "ENCODING=UTF-8",
        "-t_srs",
        "EPSG:4526",
        shp.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    let (source, rows) = read_ok(&shp, &ImportOptions::default());
    assert!(
        source.encoding.as_deref().unwrap().contains(".cpg"),
        "{:?}",
        source.encoding
    );
    assert_values(&rows);
    std::fs::remove_file(shp.with_extension("cpg")).unwrap();
    let (source, _) = read_ok(&shp, &ImportOptions::default());
    assert!(
        source
            .encoding
            .as_deref()
            .unwrap()
            .starts_with("UTF-8: detected"),
        "{:?}",
        source.encoding
    );
    let mut opts = ImportOptions::default();
    opts.read.encoding = Some("utf-8".into());
    let (source, rows) = read_ok(&shp, &opts);
    assert!(
        source.encoding.as_deref().unwrap().contains("--encoding"),
        "{:?}",
        source.encoding
    );
    assert_values(&rows);
}

#[test]
fn prefixed_eastings_under_an_unprefixed_prj_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let src = source_geojson(dir.path(), "in.geojson", N, |_, _| {});
    let shp = dir.path().join("p.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-lco",
        "ENCODING=GBK",
        "-t_srs",
        "EPSG:4526",
        shp.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    // The .prj of the unprefixed CM 114E zone, as GDAL writes it, over prefixed coordinates.
    let other = dir.path().join("cm114.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-t_srs",
        "EPSG:4547",
        other.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    std::fs::copy(other.with_extension("prj"), shp.with_extension("prj")).unwrap();
    let (source, rows) = read_ok(&shp, &ImportOptions::default());
    assert_eq!(source.crs, "EPSG:4526");
    assert!(
        source.notes.iter().any(|n| n.contains("zone prefix")),
        "{:?}",
        source.notes
    );
    assert_within_1mm(&rows);
}

#[test]
fn geopackage_in_epsg_4547() {
    let dir = tempfile::tempdir().unwrap();
    let src = source_geojson(dir.path(), "in.geojson", N, |_, _| {});
    let gpkg = dir.path().join("宗地.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-t_srs",
        "EPSG:4547",
        "-nln",
        "宗地",
        gpkg.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    let (source, rows) = read_ok(&gpkg, &ImportOptions::default());
    assert_eq!(
        (source.format.as_str(), source.crs.as_str()),
        ("geopackage", "EPSG:4547")
    );
    assert_values(&rows);
    assert_within_1mm(&rows);
    dry_run_clean(source, rows);
}

#[test]
fn geojson_written_by_gdal() {
    let dir = tempfile::tempdir().unwrap();
    let src = source_geojson(dir.path(), "in.geojson", N, |_, _| {});
    let out = dir.path().join("宗地.geojson");
    ogr2ogr(&[
        "-f",
        "GeoJSON",
        "-lco",
        "RFC7946=YES",
        out.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    let (source, rows) = read_ok(&out, &ImportOptions::default());
    assert_eq!(source.format, "geojson");
    assert_values(&rows);
    assert_within_1mm(&rows);
    dry_run_clean(source, rows);
}

#[test]
fn xlsx_with_chinese_headers_made_by_rust_xlsxwriter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("宗地台账.xlsx");
    let (headers, rows) = xlsx_rows(N);
    write_xlsx(&path, &headers, &rows);
    let (source, rows) = read_ok(&path, &ImportOptions::default());
    assert_eq!(
        (source.format.as_str(), source.crs.as_str()),
        ("xlsx", "EPSG:4490")
    );
    // Excel rows: the header is row 1, data starts at row 2.
    assert_eq!(rows[0].row, 2);
    let renumbered: Vec<ImportRow> = rows
        .iter()
        .cloned()
        .map(|mut r| {
            r.row -= 1;
            r
        })
        .collect();
    assert_values(&renumbered);
    assert_within_1mm(&rows);
    let d = &rows[0].draft;
    assert_eq!(d.planning.far_min, Some(Decimal::from_str("1.2").unwrap()));
    assert_eq!(
        d.planning.building_coverage_min,
        Some(Decimal::from_str("0.4").unwrap())
    );
    dry_run_clean(source, rows);
}

#[test]
fn csv_in_gbk_made_by_gdal() {
    let dir = tempfile::tempdir().unwrap();
    let src = source_geojson(dir.path(), "in.geojson", N, |_, _| {});
    let utf8 = dir.path().join("utf8.csv");
    ogr2ogr(&[
        "-f",
        "CSV",
        "-lco",
        "GEOMETRY=AS_WKT",
        utf8.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    // GDAL writes CSV in UTF-8 only; iconv turns it into GBK as Excel on a Chinese Windows saves it.
    let csv = dir.path().join("宗地.csv");
    let out = std::process::Command::new("iconv")
        .args(["-f", "UTF-8", "-t", "GBK"])
        .arg(&utf8)
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(&csv, out.stdout).unwrap();
    let bytes = std::fs::read(&csv).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "expected GBK bytes");
    let (source, rows) = read_ok(&csv, &ImportOptions::default());
    assert!(
        source.encoding.as_deref().unwrap().starts_with("GBK"),
        "{:?}",
        source.encoding
    );
    let renumbered: Vec<ImportRow> = rows
        .iter()
        .cloned()
        .map(|mut r| {
            r.row -= 1;
            r
        })
        .collect();
    assert_values(&renumbered);
    assert_within_1mm(&rows);
}

#[test]
fn flatgeobuf_in_gk_zone_38_made_by_gdal() {
    let dir = tempfile::tempdir().unwrap();
    let src = source_geojson(dir.path(), "in.geojson", N, |_, _| {});
    let fgb = dir.path().join("宗地.fgb");
    ogr2ogr(&[
        "-f",
        "FlatGeobuf",
        "-s_srs",
        "EPSG:4490",
        "-t_srs",
        "EPSG:4526",
        fgb.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&fgb).unwrap().starts_with(b"fgb\x03"));
    let (source, rows) = read_ok(&fgb, &ImportOptions::default());
    assert_eq!(
        (source.file.as_str(), source.format.as_str()),
        ("宗地.fgb", "flatgeobuf")
    );
    assert_eq!(source.crs, "EPSG:4526");
    assert!(
        source.notes.iter().any(|n| n.contains("FlatGeobuf header")),
        "{:?}",
        source.notes
    );
    // GDAL writes the features in the order of its Hilbert-sorted spatial index: put them back
    // in source order (by 宗地代码) before comparing.
    let mut rows = rows;
    rows.sort_by(|a, b| a.draft.code.cmp(&b.draft.code));
    let feature_numbers: std::collections::BTreeSet<usize> = rows.iter().map(|r| r.row).collect();
    assert_eq!(feature_numbers, (1..=N).collect());
    for (i, r) in rows.iter_mut().enumerate() {
        r.row = i + 1;
    }
    assert_values(&rows);
    assert_within_1mm(&rows);
    dry_run_clean(source, rows);
}
