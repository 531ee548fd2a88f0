//! Shared test helpers: files made by GDAL (`ogr2ogr`), coordinates from PROJ (`cs2cs`), and a
//! seeded registry on a temporary GeoPackage store.

#![allow(dead_code, clippy::unwrap_used)]

use geo_types::{Geometry, MultiPolygon, polygon};
use jiff::civil::date;
use landcycle_store::{Registry, SqliteStore, Store, WriteMeta};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The land user of the test rows (a valid 统一社会信用代码).
pub const USCC: &str = "914403001922038216";
/// The same with a wrong check character.
pub const BAD_USCC: &str = "914403001922038217";

/// Fails (not skips) when a GDAL/PROJ tool is missing.
pub fn require(tool: &str) {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    assert!(
        ok,
        "`{tool}` is missing: these tests build their input files with GDAL and check \
         coordinates with PROJ; install them with `apt-get install gdal-bin proj-bin`"
    );
}

/// Runs `ogr2ogr` with `args`, panicking with its stderr on failure.
pub fn ogr2ogr(args: &[&str]) {
    require("ogr2ogr");
    let out = Command::new("ogr2ogr").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A rectangle near Xuchang (inside the 魏都 park), `w`×`h` degrees from (`x`, `y`).
pub fn rect(x: f64, y: f64, w: f64, h: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h), (x: x, y: y)
    ]])
}

/// The lon/lat rectangle of test row `i` (0-based): a 40-column grid of ~90 m squares.
pub fn cell(i: usize) -> (f64, f64) {
    (
        113.841 + (i % 40) as f64 * 0.0007,
        34.021 + (i / 40) as f64 * 0.0007,
    )
}

/// 宗地代码 of test row `i`.
pub fn code(i: usize) -> String {
    format!("411002001{:03}GB{:05}", 1 + i / 90_000, 1 + i % 90_000)
}

/// The polygon of test row `i` as GeoJSON coordinates (lon/lat, counter-clockwise).
pub fn ring(i: usize) -> Vec<[f64; 2]> {
    let (x, y) = cell(i);
    let (w, h) = (0.0006, 0.0005);
    vec![[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]
}

/// Chinese attribute values of test row `i` with the headers a Shapefile can hold (≤ 10 GBK bytes).
pub fn properties(i: usize) -> Value {
    json!({
        "宗地代码": code(i),
        "项目名称": format!("许昌测试机械厂区{}期", i + 1),
        "坐落": "魏都区魏文路东段南侧",
        "行政区代码": "411002",
        "园区": "weidu",
        "土地用途": "一类工业用地",
        "状态": "已供应",
        "面积(亩)": 4.5,
        "信用代码": USCC,
    })
}

/// A GeoJSON FeatureCollection in CGCS2000 lon/lat with `n` features; `edit` may change each.
pub fn source_geojson(
    dir: &Path,
    name: &str,
    n: usize,
    edit: impl Fn(usize, &mut Value),
) -> PathBuf {
    let features: Vec<Value> = (0..n)
        .map(|i| {
            let mut f = json!({
                "type": "Feature",
                "properties": properties(i),
                "geometry": {"type": "Polygon", "coordinates": [ring(i)]},
            });
            edit(i, &mut f);
            f
        })
        .collect();
    let fc = json!({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}},
        "features": features,
    });
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(&fc).unwrap()).unwrap();
    path
}

/// Points transformed by PROJ's `cs2cs` from EPSG:4490 lon/lat into EPSG:`to` (easting, northing).
pub fn cs2cs_to(to: u32, pts: &[[f64; 2]]) -> Vec<[f64; 2]> {
    require("cs2cs");
    use std::io::Write;
    let mut child = Command::new("cs2cs")
        .args(["-f", "%.6f", "EPSG:4490", &format!("EPSG:{to}")])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for p in pts {
            // EPSG:4490 axis order is latitude, longitude.
            writeln!(stdin, "{} {}", p[1], p[0]).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Vec<f64> = l
                .split_whitespace()
                .take(2)
                .map(|t| t.parse().unwrap())
                .collect();
            // Gauss-Kruger EPSG axis order is northing, easting.
            [v[1], v[0]]
        })
        .collect()
}

/// Largest distance (in the CRS's units) from each expected point to the nearest vertex of `g`.
pub fn max_vertex_distance(g: &Geometry<f64>, expected: &[[f64; 2]]) -> f64 {
    use geo::CoordsIter;
    let got: Vec<_> = g.coords_iter().collect();
    expected
        .iter()
        .map(|e| {
            got.iter()
                .map(|c| ((c.x - e[0]).powi(2) + (c.y - e[1]).powi(2)).sqrt())
                .fold(f64::INFINITY, f64::min)
        })
        .fold(0.0, f64::max)
}

/// A registry on a temporary GeoPackage store, seeded with the 魏都 park and the land user.
pub fn registry() -> (Registry<SqliteStore>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("t.gpkg")).unwrap();
    let reg = Registry::new(Arc::new(store));
    let park = landcycle_demo::fixtures::weidu(Some(rect(113.83, 34.01, 0.05, 0.05)));
    reg.put_park(park, &meta("建园").effective(date(2015, 1, 1)))
        .unwrap();
    let e = landcycle_demo::fixtures::enterprise("weidu");
    reg.put_enterprise(e, &meta("登记企业").effective(date(2015, 1, 1)))
        .unwrap();
    (reg, dir)
}

/// Write metadata for a test import.
pub fn meta(reason: &str) -> WriteMeta {
    WriteMeta::new("tester", reason)
}

/// The store's row counts, to show that nothing was written.
pub fn snapshot<S: Store>(s: &S) -> String {
    format!("{:?}", s.stats().unwrap())
}

/// Writes an .xlsx with rust_xlsxwriter (not calamine, which reads it).
pub fn write_xlsx(path: &Path, headers: &[&str], rows: &[Vec<XlsxCell>]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match v {
                XlsxCell::S(s) => sheet.write_string(r, c, s).unwrap(),
                XlsxCell::N(n) => sheet.write_number(r, c, *n).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

/// A cell for [`write_xlsx`].
pub enum XlsxCell {
    /// Text.
    S(String),
    /// Number.
    N(f64),
}

/// The test rows as an Excel sheet with the headers an office uses (full-width parentheses).
pub fn xlsx_rows(n: usize) -> (Vec<&'static str>, Vec<Vec<XlsxCell>>) {
    use XlsxCell::{N as Num, S};
    let headers = vec![
        "序号",
        "宗地代码",
        "项目名称",
        "坐落",
        "行政区划代码",
        "所属园区",
        "土地用途",
        "状态",
        "用地面积（亩）",
        "用地单位",
        "统一社会信用代码",
        "容积率下限",
        "建筑系数",
        "WKT",
    ];
    let rows = (0..n)
        .map(|i| {
            let wkt = format!(
                "POLYGON (({}))",
                ring(i)
                    .iter()
                    .map(|p| format!("{} {}", p[0], p[1]))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            vec![
                Num((i + 1) as f64),
                S(code(i)),
                S(format!("许昌测试机械厂区{}期", i + 1)),
                S("魏都区魏文路东段南侧".into()),
                Num(411002.0),
                S("weidu".into()),
                S("100101".into()),
                S("granted".into()),
                Num(4.5),
                S("许昌测试机械有限公司".into()),
                S(USCC.into()),
                Num(1.2),
                S("40%".into()),
                S(wkt),
            ]
        })
        .collect();
    (headers, rows)
}
