//! The store file must open in GDAL (and so in QGIS and ArcGIS) as it is: a GeoPackage in
//! CGCS2000 with the parcel layers and their attributes. This runs GDAL's own `ogrinfo` on a
//! store written through the registry.
//!
//! Needs `ogrinfo` (Debian: `apt-get install gdal-bin`). Set `LANDCYCLE_SKIP_GDAL=1` to skip
//! where GDAL cannot be installed.

#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../benches/fixtures/mod.rs"]
#[allow(dead_code)]
mod fixtures;

use landcycle_store::{SqliteStore, Store};
use std::path::Path;
use std::process::Command;

const PARCELS: u32 = 20;
/// Parcels given two more versions, so `parcel_versions` holds `PARCELS + 2 × VERSIONED` rows.
const VERSIONED: u32 = 3;

/// Runs `ogrinfo` with `args` and returns its stdout and stderr; `None` when skipped.
fn ogrinfo(args: &[&str]) -> Option<(String, String)> {
    if std::env::var("LANDCYCLE_SKIP_GDAL").is_ok_and(|v| v == "1") {
        eprintln!("LANDCYCLE_SKIP_GDAL=1: skipping the GDAL interoperability test");
        return None;
    }
    let out = match Command::new("ogrinfo")
        // Debug output would mix GDAL's chatter into what we match on.
        .env("CPL_DEBUG", "OFF")
        .args(args)
        .output()
    {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`ogrinfo` not found: install GDAL's command-line tools (Debian/Ubuntu: \
             `apt-get install gdal-bin`), or set LANDCYCLE_SKIP_GDAL=1 to skip this test"
        ),
        Err(e) => panic!("cannot run ogrinfo: {e}"),
    };
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "ogrinfo {args:?} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    Some((stdout, stderr))
}

/// GDAL reports problems with a file as `Warning n:` / `ERROR n:` lines on stderr.
fn assert_no_complaints(args: &[&str], stdout: &str, stderr: &str) {
    let bad: Vec<&str> = stdout
        .lines()
        .chain(stderr.lines())
        .filter(|l| {
            let l = l.trim_start().to_ascii_lowercase();
            l.starts_with("warning") || l.starts_with("error")
        })
        .collect();
    assert!(
        bad.is_empty(),
        "GDAL complains about the GeoPackage (ogrinfo {args:?}):\n{}",
        bad.join("\n")
    );
}

fn build(path: &Path) {
    let reg = fixtures::open(path);
    let ids = fixtures::create(&reg, 0..PARCELS);
    for id in &ids[..VERSIONED as usize] {
        fixtures::add_versions(&reg, *id);
    }
    let store: &SqliteStore = reg.store();
    assert_eq!(store.stats().unwrap().parcels, u64::from(PARCELS));
    // The extents are what GDAL reports and GIS clients zoom to; the checkpoint after them
    // leaves a main file that is complete on its own, as when it is copied or mailed.
    store.refresh_extents().unwrap();
    store.checkpoint().unwrap();
}

fn has(out: &str, needle: &str) {
    assert!(
        out.contains(needle),
        "expected {needle:?} in ogrinfo's output:\n{out}"
    );
}

#[test]
fn ogrinfo_reads_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("许昌.gpkg");
    build(&path);
    let file = path.to_str().unwrap();

    // The layer list, with every warning GDAL has about the file as a whole.
    let args = ["-ro", file];
    let Some((out, err)) = ogrinfo(&args) else {
        return;
    };
    assert_no_complaints(&args, &out, &err);
    has(&out, "using driver `GPKG' successful");
    for layer in [
        "parcels (Multi Polygon)",
        "parcel_versions (Multi Polygon)",
        "parks (Multi Polygon)",
        "enterprises (None)",
        "supplies (None)",
    ] {
        has(&out, layer);
    }

    let args = ["-so", "-ro", file, "parcels"];
    let (out, err) = ogrinfo(&args).unwrap();
    assert_no_complaints(&args, &out, &err);
    has(&out, "Geometry: Multi Polygon");
    has(&out, &format!("Feature Count: {PARCELS}"));
    has(&out, "China Geodetic Coordinate System 2000");
    has(&out, r#"ID["EPSG",4490]"#);
    has(&out, "Geometry Column = geom");
    // Stored lon/lat while EPSG:4490 is lat/lon: GDAL must know to swap.
    has(&out, "Data axis to CRS axis mapping: 2,1");
    // The extent (set by refresh_extents; the R*Tree rounds to float32) lies around Xuchang.
    has(&out, "Extent: (113.699997, 33.899998) - (113.7");
    for column in [
        "parcel_id: String",
        "version: Integer",
        "code: String",
        "name: String",
        "status: String",
        "computed_area_m2: String",
        "area_mu: Real",
        "valid_from: Date",
        "valid_to: Date",
        "recorded_at: DateTime",
    ] {
        has(&out, column);
    }

    // Chinese text comes back intact through GDAL's own reader.
    let args = [
        "-ro",
        "-q",
        file,
        "-sql",
        "SELECT name, code, status FROM parcels WHERE code = '411002001001GB00001'",
    ];
    let (out, err) = ogrinfo(&args).unwrap();
    assert_no_complaints(&args, &out, &err);
    has(&out, "name (String) = 魏都产业集聚区1号地块（二期）");
    has(&out, "status (String) = started");

    let args = ["-so", "-ro", file, "parcel_versions"];
    let (out, err) = ogrinfo(&args).unwrap();
    assert_no_complaints(&args, &out, &err);
    has(&out, &format!("Feature Count: {}", PARCELS + 2 * VERSIONED));

    // GDAL answers spatial filters from the R*Tree the store's triggers keep: a filter on the
    // first parcel's corner finds that parcel alone.
    let [x0, y0, ..] = fixtures::extent(PARCELS);
    let (sx, sy) = (format!("{x0}"), format!("{y0}"));
    let (ex, ey) = (format!("{}", x0 + 0.0005), format!("{}", y0 + 0.0005));
    let args = ["-so", "-ro", "-spat", &sx, &sy, &ex, &ey, file, "parcels"];
    let (out, err) = ogrinfo(&args).unwrap();
    assert_no_complaints(&args, &out, &err);
    has(&out, "Feature Count: 1\n");
}

/// GDAL's GeoPackage validator from python3-gdal, where Debian puts it.
const VALIDATOR: &str = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";

/// Reading every feature makes GDAL parse every value, and the validator checks the file
/// against the GeoPackage 1.3 requirements.
#[test]
fn gdal_finds_nothing_to_complain_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.gpkg");
    build(&path);
    let file = path.to_str().unwrap();
    let args = ["-ro", "-al", "-q", file];
    let Some((out, err)) = ogrinfo(&args) else {
        return;
    };
    assert_no_complaints(&args, &out, &err);

    if !Path::new(VALIDATOR).exists() {
        eprintln!("{VALIDATOR} not found (Debian: python3-gdal); skipping the validator");
        return;
    }
    let out = Command::new("python3")
        .args([VALIDATOR, "-k", "--warning-as-error", file])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "validate_gpkg.py finds problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
