//! `GET /api/parcels?…&format=…`: the filtered list as a file — Excel with Chinese headers that
//! calamine opens, a zipped Shapefile in a Gauss–Krüger zone and GBK that GDAL reads with its CRS
//! and feature count, GeoPackage and FlatGeobuf; a park's committee gets only its own parcels;
//! bad parameters are refused naming the parameter.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::Reader;
use http_body_util::BodyExt;
use landcycle_demo::fixtures;
use landcycle_domain::access::{Role, Scope};
use landcycle_domain::{LandUse, ParkId};
use landcycle_store::{SqliteStore, WriteMeta};
use std::path::Path;
use std::process::Command;
use tower::ServiceExt;

mod common;
use common::token;

struct Fx {
    r: Router,
    city: String,
    park: String,
    _dir: tempfile::TempDir,
}

/// Three parcels in weidu (411002), one in yuzhou (411081).
fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let state = landcycle_server::state_for(SqliteStore::open(dir.path().join("d.gpkg")).unwrap());
    let reg = state.registry();
    let m = WriteMeta::new("seed", "首次登记").effective(jiff::civil::date(2015, 1, 1));
    reg.put_park(fixtures::weidu(None), &m).unwrap();
    reg.put_park(
        fixtures::park("yuzhou", "411081", "禹州市", "禹州产业集聚区", None),
        &m,
    )
    .unwrap();
    reg.put_enterprise(fixtures::enterprise("weidu"), &m)
        .unwrap();
    for i in 0..3 {
        let mut d = fixtures::parcel_draft(fixtures::rect(
            113.85 + 0.003 * f64::from(i),
            34.03,
            0.002,
            0.0015,
        ));
        d.code = Some(format!("411002001001GB0000{}", i + 1));
        d.name = format!("魏都测试地块{}号", i + 1);
        reg.create_parcel(d, &m, None).unwrap();
    }
    let mut y = fixtures::parcel_draft(fixtures::rect(113.47, 34.15, 0.002, 0.0015));
    y.code = Some("411081001001GB00001".into());
    y.jurisdiction = "411081".into();
    y.park_id = Some("yuzhou".into());
    y.enterprise = None;
    y.land_use = LandUse::industrial_class1();
    y.status = landcycle_domain::ParcelLifecycle::ApprovedUnsupplied;
    reg.create_parcel(y, &m, None).unwrap();
    let city = token(&state, "city", Role::City, Scope::All);
    let park = token(
        &state,
        "weidu-committee",
        Role::Park,
        Scope::Park(ParkId::parse("weidu").unwrap()),
    );
    Fx {
        r: landcycle_server::router(state),
        city,
        park,
        _dir: dir,
    }
}

struct Got {
    status: StatusCode,
    content_type: String,
    disposition: String,
    body: Vec<u8>,
}

async fn get(r: &Router, uri: &str, auth: &str) -> Got {
    let req = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, auth)
        .body(Body::empty())
        .unwrap();
    let resp = r.clone().oneshot(req).await.unwrap();
    let h = |n| {
        resp.headers()
            .get(n)
            .map(|v: &header::HeaderValue| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (content_type, disposition) = (h(header::CONTENT_TYPE), h(header::CONTENT_DISPOSITION));
    let status = resp.status();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Got {
        status,
        content_type,
        disposition,
        body,
    }
}

/// `ogrinfo -so -al FILE`, failing with a hint when GDAL is missing.
fn ogrinfo(file: &Path) -> String {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(file)
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

#[tokio::test]
async fn excel_download_has_chinese_headers_and_every_filtered_parcel() {
    let fx = fixture();
    // limit=1 pages the JSON list; a download holds the whole filtered list.
    let g = get(
        &fx.r,
        "/api/parcels?park=weidu&limit=1&format=xlsx",
        &fx.city,
    )
    .await;
    assert_eq!(
        g.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&g.body)
    );
    assert!(
        g.content_type.contains("spreadsheetml"),
        "{}",
        g.content_type
    );
    assert!(
        g.disposition.starts_with("attachment; filename=\"parcels-"),
        "{}",
        g.disposition
    );
    assert!(g.disposition.ends_with(".xlsx\""), "{}", g.disposition);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(g.body)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert!(rows[0].contains(&"宗地代码".to_owned()), "{:?}", rows[0]);
    assert_eq!(rows.len(), 1 + 3, "header and the three weidu parcels");
    let text = format!("{rows:?}");
    assert!(text.contains("魏都测试地块2号"), "{text}");
    assert!(
        !text.contains("411081001001GB00001"),
        "a yuzhou parcel in a weidu export"
    );

    let en = get(
        &fx.r,
        "/api/parcels?park=weidu&format=csv&lang=en",
        &fx.city,
    )
    .await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(
        en.content_type.starts_with("text/csv"),
        "{}",
        en.content_type
    );
    let csv = String::from_utf8(en.body).unwrap();
    let header = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .to_owned();
    assert!(header.contains("code"), "{header}");
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
}

#[tokio::test]
async fn shapefile_download_is_a_zip_gdal_reads_in_the_gk_zone_asked_for() {
    let fx = fixture();
    let g = get(
        &fx.r,
        "/api/parcels?format=shp&crs=EPSG:4547&encoding=GBK",
        &fx.city,
    )
    .await;
    assert_eq!(
        g.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&g.body)
    );
    assert_eq!(g.content_type, "application/zip");
    assert!(g.disposition.ends_with(".zip\""), "{}", g.disposition);
    let dir = tempfile::tempdir().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(g.body)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    names.sort();
    let exts: Vec<&str> = names
        .iter()
        .map(|n| n.rsplit('.').next().unwrap())
        .collect();
    assert_eq!(exts, ["cpg", "dbf", "prj", "shp", "shx"], "{names:?}");
    zip.extract(dir.path()).unwrap();
    let shp = dir
        .path()
        .join(names.iter().find(|n| n.ends_with(".shp")).unwrap());
    let cpg = std::fs::read_to_string(shp.with_extension("cpg")).unwrap();
    assert!(cpg.contains("GBK") || cpg.contains("936"), "{cpg}");
    let info = ogrinfo(&shp);
    assert!(info.contains("Feature Count: 4"), "{info}");
    assert!(info.contains("114"), "the GK zone of CM 114E: {info}");
    assert!(
        info.contains("Gauss") || info.contains("Transverse"),
        "{info}"
    );
}

#[tokio::test]
async fn a_park_committee_downloads_only_its_parks_parcels_as_gpkg_and_fgb() {
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    for (format, media) in [
        ("gpkg", "application/geopackage+sqlite3"),
        ("fgb", "application/flatgeobuf"),
    ] {
        let g = get(&fx.r, &format!("/api/parcels?format={format}"), &fx.park).await;
        assert_eq!(
            g.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&g.body)
        );
        assert_eq!(g.content_type, media);
        let path = dir.path().join(format!("parcels.{format}"));
        std::fs::write(&path, &g.body).unwrap();
        let info = ogrinfo(&path);
        assert!(info.contains("Feature Count: 3"), "{format}: {info}");
        assert!(
            info.contains("4490") || info.contains("China Geodetic Coordinate System 2000"),
            "{format}: {info}"
        );
    }
}

#[tokio::test]
async fn bad_download_parameters_are_refused_naming_them() {
    let fx = fixture();
    for (uri, field) in [
        ("/api/parcels?format=docx", "format"),
        ("/api/parcels?format=shp&crs=EPSG:1", "crs"),
        ("/api/parcels?format=xlsx&lang=fr", "lang"),
        ("/api/parcels?format=csv&encoding=latin1", "encoding"),
        ("/api/parcels?lang=en", "lang"),
        ("/api/parcels?lang=", "lang"),
        ("/api/parcels?format=", "format"),
    ] {
        let g = get(&fx.r, uri, &fx.city).await;
        assert_eq!(g.status, StatusCode::BAD_REQUEST, "{uri}");
        let v: serde_json::Value = serde_json::from_slice(&g.body).unwrap();
        assert!(
            v.to_string().contains(&format!("\"{field}\"")),
            "{uri}: {v}"
        );
    }
    // format=json is the page, as without format.
    let g = get(&fx.r, "/api/parcels?format=json&limit=2", &fx.city).await;
    assert_eq!(g.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_slice(&g.body).unwrap();
    assert_eq!(v["numberReturned"], 2);
    assert_eq!(v["numberMatched"], 4);
}
