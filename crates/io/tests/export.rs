//! Export round trip: a small registry exported to every format imports back (with the crate's
//! own readers) to the same parcels — codes, Chinese names, land use, status, registered area,
//! planning conditions and geometry within 1 mm in Gauss–Krüger coordinates; GDAL's `ogrinfo`
//! reads the GIS files (FlatGeobuf too) with the right CRS (EPSG code) and feature count; calamine reads the workbook with its
//! Chinese headers, numbers, dates and text codes.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use geo::CoordsIter;
use geo_types::{Geometry, LineString, MultiPolygon, Polygon};
use landcycle_domain::{
    LandUse, LandUseSystem, Parcel, ParcelDraft, ParcelLifecycle, PlanningConditions,
};
use landcycle_geo::{Crs, Transformer};
use landcycle_io::export::{
    ExportMeta, ExportOptions, Format, Lang, export_parcels, fetch_parcels,
};
use landcycle_io::{ImportOptions, read_parcels};
use landcycle_store::{ImportRow, ParcelQuery, Registry, SqliteStore, Store};
use rust_decimal::Decimal;
use std::path::Path;
use std::process::Command;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Three parcels: one with everything filled in, one with a hole and a 控规 land use, one
/// without a code.
fn drafts() -> Vec<ParcelDraft> {
    let (x, y) = cell(0);
    let full = ParcelDraft {
        code: Some(code(0)),
        legacy_codes: vec!["许魏国用(2008)第0001号".into(), "X-2".into()],
        name: "许昌测试机械厂区1期".into(),
        address: Some("魏都区魏文路东段南侧".into()),
        jurisdiction: "411002".into(),
        park_id: Some("weidu".into()),
        land_use: LandUse::industrial_class1(),
        status: ParcelLifecycle::Granted,
        geometry: rect(x, y, 0.0006, 0.0005),
        registered_area_m2: Some(dec("3000.5")),
        enterprise: Some(USCC.into()),
        planning: PlanningConditions {
            far_min: Some(dec("1.0")),
            far_max: Some(dec("2.5")),
            building_coverage_min: Some(dec("0.4")),
            green_ratio_max: Some(dec("0.15")),
            height_max_m: Some(dec("24")),
        },
    };
    let (x, y) = cell(1);
    let outer = LineString::from(vec![
        (x, y),
        (x + 0.0006, y),
        (x + 0.0006, y + 0.0005),
        (x, y + 0.0005),
        (x, y),
    ]);
    let hole = LineString::from(vec![
        (x + 0.0002, y + 0.0001),
        (x + 0.0002, y + 0.0003),
        (x + 0.0004, y + 0.0003),
        (x + 0.0004, y + 0.0001),
        (x + 0.0002, y + 0.0001),
    ]);
    let holed = ParcelDraft {
        code: Some(code(1)),
        legacy_codes: vec![],
        name: "许昌测试电气产业园（二期）".into(),
        address: None,
        land_use: LandUse::new(LandUseSystem::Gb50137, "M2").unwrap(),
        status: ParcelLifecycle::ApprovedUnsupplied,
        geometry: MultiPolygon(vec![Polygon::new(outer, vec![hole])]),
        registered_area_m2: None,
        enterprise: None,
        planning: PlanningConditions::default(),
        ..full.clone()
    };
    let (x, y) = cell(2);
    let uncoded = ParcelDraft {
        code: None,
        name: "魏都区待登记地块".into(),
        status: ParcelLifecycle::Operating,
        geometry: rect(x, y, 0.0005, 0.0006),
        registered_area_m2: Some(dec("2345.6789")),
        legacy_codes: vec![],
        planning: PlanningConditions::default(),
        ..full.clone()
    };
    vec![full, holed, uncoded]
}

fn seeded() -> (Registry<SqliteStore>, tempfile::TempDir, Vec<Parcel>) {
    let (reg, dir) = registry();
    for d in drafts() {
        reg.create_parcel(d, &meta("测试"), None).unwrap();
    }
    let q = ParcelQuery {
        limit: 2,
        ..ParcelQuery::default()
    };
    let mut seen = vec![];
    let parcels =
        fetch_parcels(reg.store(), &q, &mut |done, total| seen.push((done, total))).unwrap();
    assert_eq!(seen, [(2, 3), (3, 3)], "paged through all rows");
    (reg, dir, parcels)
}

fn opts(format: Format, crs: Crs) -> ExportOptions {
    ExportOptions {
        format,
        crs,
        meta: ExportMeta {
            source: "t.gpkg".into(),
            exported_at: "2025-01-01T00:00:00Z".into(),
            synthetic: false,
        },
        ..ExportOptions::default()
    }
}

const GK38: Crs = Crs::Gk3 {
    zone: 38,
    prefixed: false,
};

fn gk(g: &MultiPolygon<f64>) -> Geometry<f64> {
    Transformer::new(&Crs::Cgcs2000Geographic, &GK38)
        .unwrap()
        .geometry(&Geometry::MultiPolygon(g.clone()))
        .unwrap()
}

/// The imported drafts are the exported parcels.
fn assert_same(what: &str, parcels: &[Parcel], rows: &[ImportRow]) {
    assert_eq!(rows.len(), parcels.len(), "{what}");
    for p in parcels {
        let d = &rows
            .iter()
            .find(|r| r.draft.name == p.name)
            .unwrap_or_else(|| panic!("{what}: {} not imported", p.name))
            .draft;
        let ctx = format!("{what}: {}", p.name);
        assert_eq!(
            d.code.as_deref(),
            p.code.as_ref().map(|c| c.as_str()),
            "{ctx}"
        );
        assert_eq!(d.legacy_codes, p.legacy_codes, "{ctx}");
        assert_eq!(d.address, p.address, "{ctx}");
        assert_eq!(d.jurisdiction, p.jurisdiction.as_str(), "{ctx}");
        assert_eq!(
            d.park_id.as_deref(),
            p.park_id.as_ref().map(|x| x.as_str()),
            "{ctx}"
        );
        assert_eq!(d.land_use, p.land_use, "{ctx}");
        assert_eq!(d.status, p.status, "{ctx}");
        assert_eq!(
            d.enterprise.as_deref(),
            p.enterprise.as_ref().map(|u| u.as_str()),
            "{ctx}"
        );
        match (d.registered_area_m2, p.registered_area_m2) {
            (Some(a), Some(b)) => assert!((a - b.0).abs() <= dec("0.0001"), "{ctx}: {a} vs {b:?}"),
            (a, b) => assert_eq!(a, b.map(|b| b.0), "{ctx}"),
        }
        let plan = |x: &PlanningConditions| {
            [
                x.far_min,
                x.far_max,
                x.building_coverage_min,
                x.green_ratio_max,
                x.height_max_m,
            ]
            .map(|v| v.map(|v| v.normalize()))
        };
        assert_eq!(plan(&d.planning), plan(&p.planning), "{ctx}");
        let (got, want) = (gk(&d.geometry), gk(&p.geometry));
        let expected: Vec<[f64; 2]> = want.coords_iter().map(|c| [c.x, c.y]).collect();
        let back: Vec<[f64; 2]> = got.coords_iter().map(|c| [c.x, c.y]).collect();
        assert_eq!(back.len(), expected.len(), "{ctx}: vertex count");
        let off = max_vertex_distance(&got, &expected).max(max_vertex_distance(&want, &back));
        assert!(off < 0.001, "{ctx}: geometry off by {off} m");
        assert_eq!(
            d.geometry
                .0
                .iter()
                .map(|p| p.interiors().len())
                .sum::<usize>(),
            p.geometry
                .0
                .iter()
                .map(|p| p.interiors().len())
                .sum::<usize>(),
            "{ctx}: holes"
        );
    }
}

/// Imports the file into a fresh registry too: every row passes the registry's checks.
fn import_into_fresh(path: &Path, rows: Vec<ImportRow>, source: landcycle_store::ImportSource) {
    let (reg, _dir) = registry();
    let report = reg
        .import_parcels(rows, source, &meta("回导"), false)
        .unwrap();
    assert!(
        report.written && report.problems.is_empty(),
        "{path:?}: {:#?}",
        report.problems
    );
    assert_eq!(reg.store().stats().unwrap().parcels, 3);
}

fn export(parcels: &[Parcel], dir: &Path, name: &str, o: &ExportOptions) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut last = (0, 0);
    export_parcels(parcels, &path, o, &mut |d, t| last = (d, t)).unwrap();
    assert_eq!(last, (parcels.len(), parcels.len()), "{name}: progress");
    path
}

#[test]
fn every_format_round_trips() {
    let (_reg, _store_dir, parcels) = seeded();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("p.xlsx", Format::Xlsx, Crs::Cgcs2000Geographic),
        ("p_gk.xlsx", Format::Xlsx, GK38),
        ("p.gpkg", Format::Gpkg, Crs::Cgcs2000Geographic),
        ("p_gk.gpkg", Format::Gpkg, GK38),
        ("p.shp", Format::Shp, Crs::Cgcs2000Geographic),
        ("p_gk.shp", Format::Shp, GK38),
        ("p.geojson", Format::GeoJson, Crs::Cgcs2000Geographic),
        ("p_gk.geojson", Format::GeoJson, GK38),
        ("p.csv", Format::Csv, Crs::Cgcs2000Geographic),
        ("p_gk.csv", Format::Csv, GK38),
        ("p.fgb", Format::Fgb, Crs::Cgcs2000Geographic),
        ("p_gk.fgb", Format::Fgb, GK38),
    ];
    for (name, format, crs) in cases {
        let path = export(&parcels, dir.path(), name, &opts(format, crs));
        let (source, rows) = read_parcels(&path, &ImportOptions::default())
            .unwrap_or_else(|p| panic!("{name}: {p:#?}"));
        assert_same(name, &parcels, &rows);
        if crs == GK38 {
            assert!(source.crs.contains("4547"), "{name}: {}", source.crs);
        }
        import_into_fresh(&path, rows, source);
    }
}

#[test]
fn english_headers_and_gbk_round_trip() {
    let (_reg, _store_dir, parcels) = seeded();
    let dir = tempfile::tempdir().unwrap();
    for (name, format) in [
        ("en.xlsx", Format::Xlsx),
        ("en.csv", Format::Csv),
        ("gbk.shp", Format::Shp),
        ("gbk.csv", Format::Csv),
    ] {
        let mut o = opts(format, Crs::Cgcs2000Geographic);
        if name.starts_with("en") {
            o.lang = Lang::En;
        } else {
            o.encoding = encoding_rs::GBK;
        }
        let path = export(&parcels, dir.path(), name, &o);
        let (source, rows) = read_parcels(&path, &ImportOptions::default())
            .unwrap_or_else(|p| panic!("{name}: {p:#?}"));
        assert_same(name, &parcels, &rows);
        if name == "gbk.shp" {
            assert_eq!(
                std::fs::read_to_string(path.with_extension("cpg")).unwrap(),
                "GBK"
            );
            assert!(source.encoding.unwrap_or_default().contains("GBK"));
            let dbf = std::fs::read(path.with_extension("dbf")).unwrap();
            let gbk = encoding_rs::GBK.encode("许昌测试机械厂区1期").0;
            assert!(
                dbf.windows(gbk.len()).any(|w| w == &*gbk),
                "DBF text is GBK"
            );
        }
        if name == "gbk.csv" {
            let bytes = std::fs::read(&path).unwrap();
            assert!(!bytes.starts_with(b"\xef\xbb\xbf") && std::str::from_utf8(&bytes).is_err());
        }
    }
}

#[test]
fn csv_has_a_bom_and_xlsx_opens_with_calamine() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let (_reg, _store_dir, parcels) = seeded();
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts(Format::Csv, Crs::Cgcs2000Geographic);
    let csv = export(&parcels, dir.path(), "p.csv", &o);
    let text = std::fs::read(&csv).unwrap();
    assert!(text.starts_with("\u{feff}宗地代码,".as_bytes()));
    o.format = Format::Xlsx;
    o.meta.synthetic = true;
    let path = export(&parcels, dir.path(), "p.xlsx", &o);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["宗地", "说明"]);
    let sheet = book.worksheet_range("宗地").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    for h in [
        "宗地代码",
        "项目名称",
        "计算面积(平方米)",
        "计算面积(亩)",
        "证载面积(亩)",
        "WKT",
    ] {
        assert!(header.iter().any(|x| x == h), "header {h} in {header:?}");
    }
    let col = |h: &str| header.iter().position(|x| x == h).unwrap();
    let first = sheet.rows().nth(1).unwrap();
    assert!(matches!(&first[col("宗地代码")], Data::String(s) if *s == code(0)));
    assert!(matches!(&first[col("行政区代码")], Data::String(s) if s == "411002"));
    assert!(matches!(first[col("计算面积(平方米)")], Data::Float(_)));
    assert!(matches!(first[col("证载面积(亩)")], Data::Float(x) if (x - 4.50075).abs() < 1e-9));
    assert!(matches!(first[col("生效日期")], Data::DateTime(_)));
    assert!(matches!(&first[col("状态")], Data::String(s) if s == "已供应"));
    let about = book.worksheet_range("说明").unwrap();
    let all: String = about.rows().flatten().map(|c| c.to_string()).collect();
    assert!(all.contains("t.gpkg") && all.contains("EPSG:4490") && all.contains("合成数据"));
}

/// `ogrinfo -so -ro FILE LAYER`, failing with a hint when GDAL is missing.
fn ogrinfo(file: &Path, layer: &str) -> String {
    let out = Command::new("ogrinfo")
        .args(["-so", "-ro"])
        .arg(file)
        .arg(layer)
        .output()
        .unwrap_or_else(|e| {
            panic!("`ogrinfo` is missing ({e}): install GDAL with `apt-get install gdal-bin`")
        });
    assert!(
        out.status.success(),
        "ogrinfo {file:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn gdal_reads_the_crs_and_feature_count() {
    let (_reg, _store_dir, parcels) = seeded();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "g.gpkg",
            "parcels",
            Format::Gpkg,
            Crs::Cgcs2000Geographic,
            "China Geodetic Coordinate System 2000",
        ),
        (
            "g_gk.gpkg",
            "parcels",
            Format::Gpkg,
            GK38,
            "CGCS2000 / 3-degree Gauss-Kruger CM 114E",
        ),
        (
            "g.shp",
            "g",
            Format::Shp,
            Crs::Cgcs2000Geographic,
            "China Geodetic Coordinate System 2000",
        ),
        (
            "g_gk.shp",
            "g_gk",
            Format::Shp,
            GK38,
            "CGCS2000 / 3-degree Gauss-Kruger CM 114E",
        ),
        (
            "g.geojson",
            "parcels",
            Format::GeoJson,
            Crs::Cgcs2000Geographic,
            "WGS 84",
        ),
        (
            "g_gk.geojson",
            "parcels",
            Format::GeoJson,
            GK38,
            "CGCS2000 / 3-degree Gauss-Kruger CM 114E",
        ),
        (
            "g.fgb",
            "parcels",
            Format::Fgb,
            Crs::Cgcs2000Geographic,
            "ID[\"EPSG\",4490]",
        ),
        (
            "g_gk.fgb",
            "parcels",
            Format::Fgb,
            GK38,
            "ID[\"EPSG\",4547]",
        ),
    ];
    for (name, layer, format, crs, crs_name) in cases {
        let path = export(&parcels, dir.path(), name, &opts(format, crs));
        let info = ogrinfo(&path, layer);
        assert!(info.contains("Feature Count: 3"), "{name}: {info}");
        assert!(
            info.contains(crs_name),
            "{name}: expected {crs_name} in {info}"
        );
        assert!(info.contains("Polygon"), "{name}: {info}");
        if format == Format::Fgb {
            // The header carries the spatial index and the CRS as EPSG organisation and code.
            let file = std::fs::File::open(&path).unwrap();
            let fgb = flatgeobuf::FgbReader::open(std::io::BufReader::new(file)).unwrap();
            let h = fgb.header();
            assert!(h.index_node_size() > 0, "{name}: no spatial index");
            assert_eq!(h.features_count(), 3);
            let c = h.crs().unwrap();
            assert_eq!(
                (c.org(), c.code()),
                (Some("EPSG"), crs.epsg() as i32),
                "{name}"
            );
        }
    }
    // GBK attributes decode to the right Chinese through the .cpg.
    let mut o = opts(Format::Shp, Crs::Cgcs2000Geographic);
    o.encoding = encoding_rs::GBK;
    let path = export(&parcels, dir.path(), "gbk.shp", &o);
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("许昌测试机械厂区1期") && text.contains("已供应"),
        "{text}"
    );
}
