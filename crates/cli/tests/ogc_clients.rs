//! The OGC API read by clients no one here wrote: GDAL's OAPIF driver (ogrinfo, ogr2ogr with
//! -spat and -where), OWSLib's `Features` (CGCS2000 and a Gauss–Krüger zone via `crs`), and
//! GDAL's MVT driver on a fetched tile. `scripts/test` installs gdal-bin and owslib.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{BIN, get, spawn_serve};
use std::process::Command;

fn landcycle(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (scripts/test installs it)"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed: {text}");
    text
}

#[test]
fn gdal_owslib_and_the_mvt_driver_read_the_ogc_api() {
    if std::env::var("LANDCYCLE_SKIP_GDAL").as_deref() == Ok("1") {
        eprintln!("LANDCYCLE_SKIP_GDAL=1: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ogc.gpkg");
    landcycle(
        &db,
        &[
            "demo",
            "--parcels",
            "400",
            "--enterprises",
            "100",
            "--no-users",
        ],
    );
    landcycle(&db, &["user", "add", "gis", "--role", "city"]);
    let token = landcycle(&db, &["token", "create", "gis"])
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_owned();
    let (mut child, addr) = spawn_serve(&["--no-demo", "--db", db.to_str().unwrap()]);
    let header = format!("Authorization: Bearer {token}");
    let url = format!("OAPIF:http://{addr}/ogc");
    let (_, body) = get(
        &addr,
        "/ogc/collections/parcels/items?limit=1",
        Some(&token),
    );
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let total = v["numberMatched"].as_u64().unwrap();
    assert!(total > 100, "{total}");

    // GDAL lists the collections and counts the parcels.
    let list =
        run(Command::new("ogrinfo").args(["-ro", &url, "--config", "GDAL_HTTP_HEADERS", &header]));
    for c in ["parcels", "available-land", "parks"] {
        assert!(list.contains(c), "{list}");
    }
    let info = run(Command::new("ogrinfo").args([
        "-ro",
        "-so",
        &url,
        "parcels",
        "--config",
        "GDAL_HTTP_HEADERS",
        &header,
    ]));
    assert!(info.contains(&format!("Feature Count: {total}")), "{info}");
    // ogr2ogr with a spatial and an attribute filter gets what the API itself answers.
    let out = dir.path().join("listed.geojson");
    run(Command::new("ogr2ogr").args([
        "-f",
        "GeoJSON",
        out.to_str().unwrap(),
        &url,
        "parcels",
        "-spat",
        "113.0",
        "33.5",
        "114.5",
        "34.5",
        "-where",
        "status = 'listed'",
        "--config",
        "GDAL_HTTP_HEADERS",
        &header,
    ]));
    let got: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let (_, api) = get(
        &addr,
        "/ogc/collections/parcels/items?status=listed&bbox=113.0,33.5,114.5,34.5&limit=1",
        Some(&token),
    );
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(
        got["features"].as_array().unwrap().len() as u64,
        api["numberMatched"].as_u64().unwrap()
    );
    let first = &got["features"][0]["geometry"]["coordinates"][0][0][0];
    assert!(
        (113.0..114.5).contains(&first[0].as_f64().unwrap()),
        "lon first: {first}"
    );

    // OWSLib: collections, items in CGCS2000 (latitude first) and in GK zone 38 (northing first).
    let script = format!(
        r#"
from owslib.ogcapi.features import Features
w = Features("http://{addr}/ogc", headers={{"Authorization": "Bearer {token}"}})
ids = [c["id"] for c in w.collections()["collections"]]
assert ids == ["parcels", "available-land", "parks"], ids
items = w.collection_items("parcels", limit=5)
assert items["numberReturned"] == 5 and items["numberMatched"] == {total}, items["numberMatched"]
lat_first = w.collection_items("parcels", limit=1, crs="http://www.opengis.net/def/crs/EPSG/0/4490")["features"][0]["geometry"]["coordinates"][0][0][0]
assert 33 < lat_first[0] < 35 and 113 < lat_first[1] < 115, lat_first
gk = w.collection_items("parcels", limit=1, crs="http://www.opengis.net/def/crs/EPSG/0/4526")["features"][0]["geometry"]["coordinates"][0][0][0]
assert 3.6e6 < gk[0] < 3.9e6 and 38.3e6 < gk[1] < 38.7e6, gk
print("owslib ok", len(ids))
"#
    );
    let py = run(Command::new("python3").args(["-c", &script]));
    assert!(py.contains("owslib ok 3"), "{py}");

    // GDAL's MVT driver on a tile fetched at z14 over the first parcel.
    let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
    let (px, py) = landcycle_geo_position(14, lon, lat);
    let tile_path = dir.path().join(format!("14/{px}/{py}.pbf"));
    std::fs::create_dir_all(tile_path.parent().unwrap()).unwrap();
    let bytes = Command::new("curl")
        .args([
            "-sf",
            "-H",
            &header,
            &format!("http://{addr}/ogc/collections/parcels/tiles/WebMercatorQuad/14/{py}/{px}"),
        ])
        .output()
        .unwrap();
    assert!(bytes.status.success() && !bytes.stdout.is_empty());
    std::fs::write(&tile_path, &bytes.stdout).unwrap();
    let mvt = run(Command::new("ogrinfo").args([
        "-ro",
        "-al",
        "-so",
        &format!("MVT:{}", tile_path.display()),
    ]));
    assert!(mvt.contains("Layer name: parcels"), "{mvt}");
    let count: u64 = mvt
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(count >= 1, "{mvt}");
    // Georeferenced from the z/x/y path: the extent is in EPSG:3857 around Xuchang.
    assert!(
        mvt.contains("Extent: (126") || mvt.contains("Extent: (127"),
        "{mvt}"
    );
    // The same tile as a browser gets it (Content-Encoding: gzip), kept compressed: the
    // driver reads gzipped tiles too, and finds the same features.
    let gz = Command::new("curl")
        .args([
            "-sf",
            "-H",
            &header,
            "-H",
            "Accept-Encoding: gzip",
            &format!("http://{addr}/ogc/collections/parcels/tiles/WebMercatorQuad/14/{py}/{px}"),
        ])
        .output()
        .unwrap();
    assert!(gz.status.success());
    assert_eq!(gz.stdout[..2], [0x1f, 0x8b], "gzip");
    let gz_path = dir.path().join(format!("gz/14/{px}/{py}.pbf"));
    std::fs::create_dir_all(gz_path.parent().unwrap()).unwrap();
    std::fs::write(&gz_path, &gz.stdout).unwrap();
    let mvt_gz = run(Command::new("ogrinfo").args([
        "-ro",
        "-al",
        "-so",
        &format!("MVT:{}", gz_path.display()),
    ]));
    assert!(
        mvt_gz.contains(&format!("Feature Count: {count}")),
        "{mvt_gz}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

fn landcycle_geo_position(z: u32, lon: f64, lat: f64) -> (u64, u64) {
    let n = f64::from(1u32 << z);
    let lat_r = lat.to_radians();
    let x = (lon + 180.0) / 360.0 * n;
    let y = (1.0 - lat_r.tan().asinh() / std::f64::consts::PI) / 2.0 * n;
    (x.floor() as u64, y.floor() as u64)
}
