//! Checks `Transformer` and `gk_area_m2` against PROJ's `cs2cs` (Debian `proj-bin`) as an
//! oracle. Without cs2cs these tests FAIL, unless `LANDCYCLE_SKIP_ORACLE=1` is set.

use std::io::Write;
use std::process::{Command, Stdio};

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use landcycle_geo::{Crs, Transformer, gk_area_m2, gk_zone_epsg_for};

/// Runs cs2cs; `None` only when it is missing and the skip variable is set.
fn cs2cs(from: u32, to: u32, points: &[(f64, f64)]) -> Option<Vec<(f64, f64)>> {
    let from_crs = Crs::from_epsg(from).expect("supported source");
    let to_crs = Crs::from_epsg(to).expect("supported target");
    let child = Command::new("cs2cs")
        .args([
            "-f",
            "%.10f",
            &format!("EPSG:{from}"),
            &format!("EPSG:{to}"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if std::env::var("LANDCYCLE_SKIP_ORACLE").as_deref() == Ok("1") => {
            eprintln!("skipping PROJ oracle check (LANDCYCLE_SKIP_ORACLE=1): cs2cs: {e}");
            return None;
        }
        Err(e) => panic!(
            "cannot run `cs2cs` ({e}). The CRS tests use PROJ's cs2cs as an oracle: install it \
             with `apt-get install proj-bin`, or set LANDCYCLE_SKIP_ORACLE=1 to skip them"
        ),
    };
    // cs2cs with EPSG codes uses each CRS's authority axis order: lat/lon for 4490,
    // northing/easting for Gauss–Krüger, easting/northing for 3857.
    let input: String = points
        .iter()
        .map(|&(x, y)| {
            if from_crs.northing_first() {
                format!("{y} {x}\n")
            } else {
                format!("{x} {y}\n")
            }
        })
        .collect();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to cs2cs");
    let out = child.wait_with_output().expect("cs2cs output");
    assert!(
        out.status.success(),
        "cs2cs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let result: Vec<(f64, f64)> = text
        .lines()
        .map(|line| {
            let mut it = line.split_whitespace().map(|t| {
                t.parse::<f64>()
                    .unwrap_or_else(|_| panic!("cs2cs printed `{line}`"))
            });
            let (a, b) = (it.next().expect("first"), it.next().expect("second"));
            if to_crs.northing_first() {
                (b, a)
            } else {
                (a, b)
            }
        })
        .collect();
    assert_eq!(result.len(), points.len(), "cs2cs output: {text}");
    Some(result)
}

/// ~50 deterministic points: longitudes spread by the golden ratio over [lon_min, lon_max],
/// latitudes evenly over 18–53°N (China's extent).
fn sample(lon_min: f64, lon_max: f64) -> Vec<(f64, f64)> {
    let golden = 0.618_033_988_749_895;
    (0..50)
        .map(|i| {
            let t = (f64::from(i) * golden).fract();
            (
                lon_min + (lon_max - lon_min) * t,
                18.0 + 35.0 * f64::from(i) / 49.0,
            )
        })
        .collect()
}

/// Forward from 4490 and back, both against cs2cs; returns the largest error in metres.
fn check_zone(to: u32, lon_min: f64, lon_max: f64) {
    let points = sample(lon_min, lon_max);
    let Some(expected) = cs2cs(4490, to, &points) else {
        return;
    };
    let crs = Crs::from_epsg(to).expect("supported");
    let fwd = Transformer::new(&Crs::Cgcs2000Geographic, &crs).expect("transformer");
    let mut worst = 0.0f64;
    for (&(lon, lat), &(ex, ey)) in points.iter().zip(&expected) {
        let (x, y) = fwd.point(lon, lat).expect("forward");
        let err = (x - ex).hypot(y - ey);
        worst = worst.max(err);
        assert!(
            err < 0.001,
            "EPSG:{to} ({lon}, {lat}): ours ({x}, {y}) vs cs2cs ({ex}, {ey})"
        );
    }
    // Inverse: projected → 4490, compared in degrees (1e-8° ≈ 1 mm).
    let Some(back_expected) = cs2cs(to, 4490, &expected) else {
        return;
    };
    let inv = Transformer::new(&crs, &Crs::Cgcs2000Geographic).expect("inverse transformer");
    for (&(x, y), &(elon, elat)) in expected.iter().zip(&back_expected) {
        let (lon, lat) = inv.point(x, y).expect("inverse");
        assert!(
            (lon - elon).abs() < 1e-8 && (lat - elat).abs() < 1e-8,
            "EPSG:{to} inverse ({x}, {y}): ours ({lon}, {lat}) vs cs2cs ({elon}, {elat})"
        );
    }
    eprintln!("EPSG:4490 -> EPSG:{to}: worst difference from cs2cs {worst:.2e} m");
}

#[test]
fn gk3_zone_38_prefixed_4526() {
    check_zone(4526, 112.5, 115.5);
}

#[test]
fn gk3_cm_114e_4547() {
    check_zone(4547, 112.5, 115.5);
}

#[test]
fn web_mercator_3857() {
    check_zone(3857, 73.0, 135.0);
}

#[test]
fn gk3_zone_25_4513() {
    check_zone(4513, 73.5, 76.5);
}

#[test]
fn gk3_cm_135e_4554() {
    check_zone(4554, 133.5, 136.5);
}

#[test]
fn gk6_zone_20_4498() {
    check_zone(4498, 114.0, 120.0);
}

fn ring(pts: &[(f64, f64)]) -> LineString<f64> {
    pts.iter().map(|&(x, y)| Coord { x, y }).collect()
}

/// Shoelace area of cs2cs-projected rings, relative to the first vertex for precision.
fn oracle_area(mp: &MultiPolygon<f64>, epsg: u32) -> Option<f64> {
    let mut total = 0.0;
    for p in &mp.0 {
        for (k, r) in std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
        {
            let pts: Vec<(f64, f64)> = r.coords().map(|c| (c.x, c.y)).collect();
            let projected = cs2cs(4490, epsg, &pts)?;
            let (ox, oy) = projected[0];
            let twice: f64 = projected
                .windows(2)
                .map(|w| (w[0].0 - ox) * (w[1].1 - oy) - (w[1].0 - ox) * (w[0].1 - oy))
                .sum();
            let a = twice.abs() / 2.0;
            total += if k == 0 { a } else { -a };
        }
    }
    Some(total)
}

fn assert_area_matches_proj(mp: &MultiPolygon<f64>, expected_epsg: u32) {
    assert_eq!(gk_zone_epsg_for(mp), expected_epsg);
    let Some(expected) = oracle_area(mp, expected_epsg) else {
        return;
    };
    let ours = gk_area_m2(mp).expect("area");
    eprintln!("EPSG:{expected_epsg}: ours {ours:.4} m², cs2cs shoelace {expected:.4} m²");
    assert!(
        (ours - expected).abs() < 0.01,
        "ours {ours} vs PROJ {expected}"
    );
}

#[test]
fn xuchang_quadrilateral_area() {
    // About 300 m × 200 m, deliberately not a rectangle.
    let quad = Polygon::new(
        ring(&[
            (113.848_40, 34.029_10),
            (113.851_65, 34.029_25),
            (113.851_50, 34.031_00),
            (113.848_30, 34.030_95),
            (113.848_40, 34.029_10),
        ]),
        vec![],
    );
    let mp = MultiPolygon(vec![quad]);
    assert_area_matches_proj(&mp, 4547);
    let area = gk_area_m2(&mp).expect("area");
    assert!((50_000.0..65_000.0).contains(&area), "{area}");
}

#[test]
fn xuchang_polygon_with_hole_area() {
    let outer = ring(&[
        (113.860_0, 34.040_0),
        (113.865_0, 34.040_2),
        (113.865_3, 34.044_0),
        (113.862_0, 34.045_1),
        (113.859_8, 34.043_0),
        (113.860_0, 34.040_0),
    ]);
    let hole = ring(&[
        (113.861_0, 34.041_0),
        (113.861_2, 34.042_5),
        (113.863_5, 34.042_4),
        (113.863_0, 34.041_1),
        (113.861_0, 34.041_0),
    ]);
    let second = ring(&[
        (113.870_0, 34.040_0),
        (113.871_0, 34.040_0),
        (113.871_0, 34.041_0),
        (113.870_0, 34.041_0),
        (113.870_0, 34.040_0),
    ]);
    let mp = MultiPolygon(vec![
        Polygon::new(outer, vec![hole]),
        Polygon::new(second, vec![]),
    ]);
    assert_area_matches_proj(&mp, 4547);
}

#[test]
fn far_from_xuchang_uses_the_local_zone() {
    // Ürümqi, 87.6°E → zone 29, CM 87E → EPSG:4538.
    let p = Polygon::new(
        ring(&[
            (87.60, 43.80),
            (87.61, 43.80),
            (87.61, 43.81),
            (87.60, 43.81),
            (87.60, 43.80),
        ]),
        vec![],
    );
    assert_area_matches_proj(&MultiPolygon(vec![p]), 4538);
}
