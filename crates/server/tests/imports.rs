//! `POST /api/imports` over HTTP: a GBK Shapefile made by GDAL and zipped imports with its
//! Chinese text intact; bad rows answer 422 naming file/row/field with the store unchanged; a
//! dry run writes nothing; unsafe archives, zip bombs, mislabelled content and oversized bodies
//! are refused; a park user cannot import parcels of another park, a department no parcels.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_domain::ParkId;
use landcycle_domain::access::{Role, Scope};
use landcycle_io::upload::UploadLimits;
use landcycle_store::{AuditQuery, SqliteStore, WriteMeta};
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::Command;
use tower::ServiceExt;

const USCC: &str = landcycle_demo::fixtures::TEST_USCC;

struct Fixture {
    router: Router,
    state: landcycle_server::AppState,
    city: String,
    dir: tempfile::TempDir,
}

fn fixture(limits: UploadLimits) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("a.gpkg")).unwrap())
        .with_upload_limits(limits);
    let reg = state.registry();
    let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2015, 1, 1));
    let boundary = landcycle_demo::fixtures::rect(113.83, 34.01, 0.05, 0.05);
    reg.put_park(landcycle_demo::fixtures::weidu(Some(boundary)), &m)
        .unwrap();
    reg.put_park(
        landcycle_demo::fixtures::park("yuzhou", "411081", "禹州市", "禹州产业集聚区", None),
        &m,
    )
    .unwrap();
    reg.put_enterprise(landcycle_demo::fixtures::enterprise("weidu"), &m)
        .unwrap();
    let city = common::token(&state, "city", Role::City, Scope::All);
    Fixture {
        router: landcycle_server::router(state.clone()),
        state,
        city,
        dir,
    }
}

fn stats(f: &Fixture) -> String {
    format!("{:?}", f.state.registry().store().stats().unwrap())
}

/// GeoJSON features near Xuchang (inside 魏都), `edit` may change each.
fn geojson(n: usize, edit: impl Fn(usize, &mut Value)) -> Vec<u8> {
    let features: Vec<Value> = (0..n)
        .map(|i| {
            let (x, y) = (
                113.841 + (i % 40) as f64 * 0.0007,
                34.021 + (i / 40) as f64 * 0.0007,
            );
            let (w, h) = (0.0006, 0.0005);
            let mut f = json!({"type": "Feature",
                "properties": {"宗地代码": format!("411002001001GB{:05}", i + 1),
                    "项目名称": format!("许昌测试机械厂区{}期", i + 1), "坐落": "魏都区魏文路东段南侧",
                    "行政区代码": "411002", "园区": "weidu", "土地用途": "一类工业用地",
                    "状态": "已供应", "面积(亩)": 4.5, "信用代码": USCC},
                "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]]}});
            edit(i, &mut f);
            f
        })
        .collect();
    serde_json::to_vec(&json!({"type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}},
        "features": features}))
    .unwrap()
}

/// A multipart body of `files` (name, bytes) and text `fields`.
fn form(files: &[(&str, &[u8])], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let b = "XyZlandcycleBoundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        write!(
            body,
            "--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    for (name, bytes) in files {
        write!(body, "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{b}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={b}"), body)
}

async fn upload(
    f: &Fixture,
    auth: &str,
    files: &[(&str, &[u8])],
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let (ct, body) = form(files, fields);
    let req = Request::builder()
        .method("POST")
        .uri("/api/imports")
        .header(header::AUTHORIZATION, auth)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    let resp = f.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A GBK Shapefile in CGCS2000 GK zone 38 (EPSG:4526) made by `ogr2ogr`, without `.cpg`,
/// zipped with its `.shx`, `.dbf` and `.prj`.
fn gbk_shapefile_zip(dir: &Path, n: usize) -> Vec<u8> {
    let src = dir.join("in.geojson");
    std::fs::write(&src, geojson(n, |_, _| {})).unwrap();
    let shp = dir.join("宗地.shp");
    let out = Command::new("ogr2ogr")
        .args(["-f", "ESRI Shapefile", "-lco", "ENCODING=GBK"])
        .args(["-s_srs", "EPSG:4490", "-t_srs", "EPSG:4526"])
        .arg(&shp)
        .arg(&src)
        .output()
        .expect("ogr2ogr (Debian gdal-bin) is needed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dbf = std::fs::read(shp.with_extension("dbf")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("许昌测试机械厂区");
    assert!(dbf.windows(gbk.len()).any(|w| w == &gbk[..]), "DBF not GBK");
    let parts: Vec<(String, Vec<u8>)> = ["shp", "shx", "dbf", "prj"]
        .iter()
        .map(|e| {
            (
                format!("宗地数据/宗地.{e}"),
                std::fs::read(shp.with_extension(e)).unwrap(),
            )
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&refs)
}

#[tokio::test]
async fn a_gbk_shapefile_zip_imports_with_chinese_text_intact_and_is_audited() {
    let f = fixture(UploadLimits::default());
    let z = gbk_shapefile_zip(f.dir.path(), 12);
    let (s, v) = upload(
        &f,
        &f.city,
        &[("宗地.zip", &z[..])],
        &[("reason", "2024年宗地普查成果导入")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v:#}");
    assert_eq!(v["written"], true);
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["rows"], 12);
    assert_eq!(v["created"], 12);
    assert_eq!(v["updated"], 0);
    assert!(
        v["import_id"].as_str().is_some_and(|s| s.len() == 36),
        "{v}"
    );
    let src = &v["sources"][0];
    assert_eq!(src["file"], "宗地.shp");
    assert_eq!(src["crs"], "EPSG:4526");
    assert!(
        src["encoding"].as_str().unwrap().starts_with("GBK"),
        "{src}"
    );
    // The Chinese name survives, read back over the API.
    let (s, list) = common::send(
        &f.router,
        "GET",
        "/api/parcels?q=%E8%AE%B8%E6%98%8C%E6%B5%8B%E8%AF%95%E6%9C%BA%E6%A2%B0%E5%8E%82%E5%8C%BA7%E6%9C%9F",
        &f.city,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(list.to_string().contains("许昌测试机械厂区7期"), "{list}");
    assert!(list.to_string().contains("魏都区魏文路东段南侧"), "{list}");
    // Audited with the uploaded file's name and sha256.
    let page = f
        .state
        .accounts()
        .search_audit(&AuditQuery {
            action: Some("import".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let entry = serde_json::to_value(&page.items[0]).unwrap();
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&z));
    assert!(entry.to_string().contains(&sha), "{entry}");
    assert!(entry.to_string().contains("宗地.zip"), "{entry}");
}

#[tokio::test]
async fn separate_shapefile_parts_import_too() {
    let f = fixture(UploadLimits::default());
    let dir = f.dir.path().join("parts");
    std::fs::create_dir(&dir).unwrap();
    gbk_shapefile_zip(&dir, 3);
    let files: Vec<(String, Vec<u8>)> = ["shp", "shx", "dbf", "prj"]
        .iter()
        .map(|e| {
            (
                format!("宗地.{e}"),
                std::fs::read(dir.join(format!("宗地.{e}"))).unwrap(),
            )
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let (s, v) = upload(&f, &f.city, &refs, &[("dry_run", "true")]).await;
    assert_eq!(s, StatusCode::OK, "{v:#}");
    assert_eq!(v["created"], 3);
    assert_eq!(v["written"], false);
}

#[tokio::test]
async fn one_bad_row_answers_422_with_file_row_field_and_writes_nothing() {
    let f = fixture(UploadLimits::default());
    let before = stats(&f);
    let bad = geojson(50, |i, feat| {
        if i == 30 {
            feat["properties"]["信用代码"] = json!("914403001922038217");
        }
    });
    let (s, v) = upload(&f, &f.city, &[("宗地.geojson", &bad[..])], &[]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["written"], false);
    assert_eq!(v["created"], 0);
    let p = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["row"] == 31)
        .unwrap_or_else(|| panic!("no problem for row 31: {v:#}"));
    assert_eq!(p["file"], "宗地.geojson");
    assert_eq!(p["field"], "enterprise");
    assert_eq!(p["value"], "914403001922038217");
    assert!(!p["reason_zh"].as_str().unwrap().is_empty());
    assert_eq!(stats(&f), before);
}

#[tokio::test]
async fn a_dry_run_checks_everything_and_writes_nothing() {
    let f = fixture(UploadLimits::default());
    let before = stats(&f);
    let (s, v) = upload(
        &f,
        &f.city,
        &[("parcels.json", &geojson(20, |_, _| {})[..])],
        &[("dry_run", "true"), ("kind", "parcels")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v:#}");
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["written"], false);
    assert_eq!(v["created"], 20);
    assert!(v.get("import_id").is_none(), "{v}");
    assert_eq!(stats(&f), before);
}

#[tokio::test]
async fn unsafe_archives_bombs_wrong_content_and_big_bodies_are_refused() {
    let f = fixture(UploadLimits::default());
    let before = stats(&f);
    let evil = zip_of(&[("../../evil.geojson", &geojson(1, |_, _| {}))]);
    let (s, v) = upload(&f, &f.city, &[("x.zip", &evil[..])], &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains(".."), "{v}");

    let bomb = zip_of(&[("big.csv", &vec![b' '; 40 << 20])]);
    assert!(bomb.len() < 1 << 20);
    let (s, v) = upload(&f, &f.city, &[("bomb.zip", &bomb[..])], &[]).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v:#}");

    let (s, v) = upload(
        &f,
        &f.city,
        &[("宗地.shp", &b"this is not a shapefile"[..])],
        &[],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v:#}");
    let (s, v) = upload(
        &f,
        &f.city,
        &[("宗地.xlsx", &b"SQLite format 3\0...."[..])],
        &[],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v:#}");
    let (s, v) = upload(&f, &f.city, &[], &[("kind", "parcels")]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v:#}");
    let (s, v) = upload(
        &f,
        &f.city,
        &[("a.csv", &b"a\n"[..])],
        &[("kind", "enterprises")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v:#}");
    assert_eq!(stats(&f), before);

    let small = fixture(UploadLimits {
        max_body: 1 << 20,
        ..UploadLimits::default()
    });
    let city = small.city.clone();
    let big = vec![b'a'; 2 << 20];
    let (s, v) = upload(&small, &city, &[("big.csv", &big[..])], &[]).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v:#}");
}

#[tokio::test]
async fn a_park_user_imports_its_own_park_only_and_a_department_no_parcels() {
    let f = fixture(UploadLimits::default());
    let park = common::token(
        &f.state,
        "weidu",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    let before = stats(&f);
    let other_park = geojson(5, |i, feat| {
        if i == 3 {
            feat["properties"]["园区"] = json!("yuzhou");
            feat["properties"]["行政区代码"] = json!("411081");
        }
    });
    let (s, v) = upload(&f, &park, &[("宗地.geojson", &other_park[..])], &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("row 4"), "{v}");
    assert_eq!(stats(&f), before);

    let own = geojson(5, |_, _| {});
    let (s, v) = upload(&f, &park, &[("宗地.geojson", &own[..])], &[]).await;
    assert_eq!(s, StatusCode::OK, "{v:#}");
    assert_eq!(v["created"], 5);

    let dept = common::token(
        &f.state,
        "tax",
        Role::Department,
        Scope::Department("tax".into()),
    );
    let (s, v) = upload(&f, &dept, &[("宗地.geojson", &own[..])], &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v:#}");
    let (s, v) = upload(
        &f,
        &park,
        &[("税收.csv", &b"a\n"[..])],
        &[("kind", "figures")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v:#}");
}
