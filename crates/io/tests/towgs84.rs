//! Xian 1980 data with the user's 7 parameters (`--towgs84`): the shift matches PROJ's `cs2cs`
//! with the same `+towgs84` to < 1 mm at 50 points of a 3° GK zone, and a Shapefile with a Xian
//! 80 `.prj` (written by GDAL) imports with the parameters recorded.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::*;
use landcycle_geo::{LegacyCrs, TmParams, parse_towgs84};
use landcycle_io::{ImportOptions, ReadOptions, read_parcels};
use serde_json::json;
use std::io::Write;
use std::process::{Command, Stdio};

/// A made-up but realistically sized local parameter set (m, ″, ppm).
const TOWGS84: &str = "24.47,-119.63,-67.22,-0.83,-1.27,2.41,-3.86";

fn xian_zone_38() -> LegacyCrs {
    LegacyCrs {
        name: "Xian_1980_3_Degree_GK_Zone_38".into(),
        datum: "Xian 1980".into(),
        a: 6_378_140.0,
        rf: 298.257,
        tm: Some(TmParams {
            lon_0: 114.0,
            lat_0: 0.0,
            k: 1.0,
            x_0: 38_500_000.0,
            y_0: 0.0,
        }),
        towgs84: parse_towgs84(TOWGS84).unwrap(),
    }
}

/// 50 (easting, northing) points spread over the zone around Xuchang.
fn points() -> Vec<[f64; 2]> {
    (0..50)
        .map(|i| {
            let i = f64::from(i);
            [
                38_380_000.0 + (i * 7_919.0) % 240_000.0,
                3_660_000.0 + (i * 6_151.0) % 230_000.0,
            ]
        })
        .collect()
}

/// `cs2cs` from the source's proj string (with +towgs84) to CGCS2000 lon/lat on GRS 80.
fn cs2cs(src: &str, pts: &[[f64; 2]]) -> Vec<[f64; 2]> {
    require("cs2cs");
    let mut args: Vec<&str> = vec!["-f", "%.12f"];
    args.extend(src.split_whitespace());
    args.extend([
        "+to",
        "+proj=longlat",
        "+ellps=GRS80",
        "+towgs84=0,0,0,0,0,0,0",
        "+no_defs",
    ]);
    let mut child = Command::new("cs2cs")
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for p in pts {
            writeln!(stdin, "{} {}", p[0], p[1]).unwrap();
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
            [v[0], v[1]]
        })
        .collect()
}

/// Ground distance in metres between two nearby lon/lat points.
fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
    let r = 6_378_137.0_f64;
    let dy = (a[1] - b[1]).to_radians() * r;
    let dx = (a[0] - b[0]).to_radians() * r * a[1].to_radians().cos();
    dx.hypot(dy)
}

#[test]
fn seven_parameters_match_cs2cs_within_a_millimetre() {
    let crs = xian_zone_38();
    let t = crs.to_cgcs2000().unwrap();
    let pts = points();
    let want = cs2cs(&crs.proj_string(), &pts);
    assert_eq!(want.len(), pts.len());
    let mut worst: f64 = 0.0;
    for (p, w) in pts.iter().zip(&want) {
        let (lon, lat) = t.point(p[0], p[1]).unwrap();
        worst = worst.max(metres([lon, lat], *w));
    }
    assert!(worst < 0.001, "worst {worst} m");
    // The shift is real: without it the points land tens of metres away.
    let none = LegacyCrs {
        towgs84: [0.0; 7],
        ..xian_zone_38()
    };
    let t0 = none.to_cgcs2000().unwrap();
    let (lon0, lat0) = t0.point(pts[0][0], pts[0][1]).unwrap();
    assert!(metres([lon0, lat0], want[0]) > 10.0);
}

#[test]
fn a_xian_80_shapefile_imports_with_the_parameters_recorded() {
    let dir = tempfile::tempdir().unwrap();
    // Parcels whose Xian 80 GK coordinates are computed back from their CGCS2000 position by
    // cs2cs (inverse direction), so that the import must land on the test cells.
    let crs = xian_zone_38();
    let n = 5;
    let mut features = Vec::new();
    let mut expected = Vec::new();
    for i in 0..n {
        let ring = ring(i);
        let gk = cs2cs_inverse(&crs.proj_string(), &ring);
        expected.push(ring);
        features.push(json!({"type": "Feature", "properties": properties(i),
            "geometry": {"type": "Polygon", "coordinates": [gk]}}));
    }
    let src = dir.path().join("in.geojson");
    std::fs::write(
        &src,
        serde_json::to_vec(&json!({"type": "FeatureCollection", "features": features})).unwrap(),
    )
    .unwrap();
    let shp = dir.path().join("西安80.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-lco",
        "ENCODING=GBK",
        "-a_srs",
        "EPSG:2362",
        shp.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    let prj = std::fs::read_to_string(shp.with_extension("prj")).unwrap();
    assert!(prj.contains("Xian_1980"), "{prj}");
    // Without parameters: refused, naming the 七参数.
    let e = read_parcels(&shp, &ImportOptions::default()).unwrap_err();
    assert!(
        e[0].field == "crs" && e[0].reason.contains("七参数"),
        "{e:?}"
    );
    let opts = ImportOptions {
        read: ReadOptions {
            towgs84: Some(TOWGS84.into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let (source, rows) = read_parcels(&shp, &opts).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(
        source.crs.contains("+towgs84=24.47,-119.63"),
        "{}",
        source.crs
    );
    assert!(
        source.notes.iter().any(|n| n.contains("Xian 1980 applied")),
        "{:?}",
        source.notes
    );
    assert_eq!(rows.len(), n);
    for (r, want) in rows.iter().zip(&expected) {
        use geo::CoordsIter;
        let g = r.draft.geometry.clone();
        for w in want {
            let d = g
                .coords_iter()
                .map(|c| metres([c.x, c.y], *w))
                .fold(f64::INFINITY, f64::min);
            // The way there is PROJ's inverse Helmert (transposed rotations), not an exact
            // inverse: a round trip may differ by a fraction of a millimetre.
            assert!(d < 0.005, "row {}: {d} m", r.row);
        }
    }
}

/// `cs2cs` from CGCS2000 lon/lat to the legacy GK coordinates (the inverse of [`cs2cs`]).
fn cs2cs_inverse(dst: &str, pts: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut args: Vec<&str> = vec![
        "-f",
        "%.6f",
        "+proj=longlat",
        "+ellps=GRS80",
        "+towgs84=0,0,0,0,0,0,0",
        "+no_defs",
        "+to",
    ];
    args.extend(dst.split_whitespace());
    let mut child = Command::new("cs2cs")
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for p in pts {
            writeln!(stdin, "{} {}", p[0], p[1]).unwrap();
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
            [v[0], v[1]]
        })
        .collect()
}
