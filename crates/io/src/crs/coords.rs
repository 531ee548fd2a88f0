//! Coordinates of a table: zone-prefix detection, plausibility for the CRS, and the
//! transformation into CGCS2000 (EPSG:4490).

use crate::table::Table;
use geo_types::{Coord, Geometry};
use landcycle_geo::{Crs, Transformer};
use landcycle_store::ImportProblem;
use rayon::prelude::*;

/// Why (x, y) cannot be a coordinate of `crs`, in English and Chinese; `None` when it can.
pub fn plausible(crs: &Crs, x: f64, y: f64) -> Option<(String, String)> {
    if !(x.is_finite() && y.is_finite()) {
        return Some(("not a finite number".into(), "坐标不是有效数字".into()));
    }
    match *crs {
        Crs::Cgcs2000Geographic | Crs::Wgs84 | Crs::Crs84 => {
            if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) {
                None
            } else {
                Some((
                    format!(
                        "({x}, {y}) is not a longitude/latitude in {crs}; these look like \
                         projected metres: give the right CRS (.prj or --crs)"
                    ),
                    format!("({x}, {y})不是{crs}的经纬度，疑似投影坐标（米），请提供正确的坐标系"),
                ))
            }
        }
        Crs::WebMercator => {
            let half = 20_037_508.35;
            (x.abs() > half || y.abs() > half).then(|| {
                (
                    format!("({x}, {y}) is outside the Web Mercator world"),
                    format!("({x}, {y})超出Web墨卡托范围"),
                )
            })
        }
        Crs::Gk3 { zone, prefixed } | Crs::Gk6 { zone, prefixed } => {
            let offset = if prefixed {
                f64::from(zone) * 1_000_000.0
            } else {
                0.0
            };
            let e = x - offset;
            if (100_000.0..=900_000.0).contains(&e) && (300_000.0..=7_000_000.0).contains(&y) {
                return None;
            }
            let hint = if x.abs() <= 180.0 && y.abs() <= 90.0 {
                " — they look like longitude/latitude degrees, not Gauss-Kruger metres"
            } else if prefixed {
                " — the easting must start with the zone number"
            } else {
                ""
            };
            Some((
                format!(
                    "({x}, {y}) is not a coordinate of {} (x = easting {}..{}, y = northing in \
                     metres){hint}",
                    crs.name(),
                    offset + 100_000.0,
                    offset + 900_000.0
                ),
                format!(
                    "({x}, {y})不是{}的坐标（x为东坐标，y为北坐标，单位米）{}",
                    crs.name(),
                    if hint.is_empty() {
                        ""
                    } else {
                        "，疑似经纬度或带号不符"
                    }
                ),
            ))
        }
    }
}

fn coords(g: &Geometry<f64>) -> Vec<Coord<f64>> {
    use geo::CoordsIter;
    g.coords_iter().collect()
}

/// If `crs` is an unprefixed Gauss–Krüger zone but the eastings carry the zone prefix, the
/// prefixed CRS of the same central meridian.
fn prefixed_instead(crs: &Crs, table: &Table) -> Option<(Crs, f64)> {
    if !matches!(
        crs,
        Crs::Gk3 {
            prefixed: false,
            ..
        } | Crs::Gk6 {
            prefixed: false,
            ..
        }
    ) {
        return None;
    }
    let x = table
        .rows
        .iter()
        .filter_map(|r| r.geometry.as_ref())
        .flat_map(coords)
        .map(|c| c.x)
        .find(|x| *x >= 1_000_000.0)?;
    let p = Crs::from_prefixed_easting(x)?;
    (p.central_meridian() == crs.central_meridian()).then_some((p, x))
}

/// Checks every coordinate and transforms every geometry of `table` into CGCS2000 lon/lat, in
/// place. Rows whose coordinates are impossible for the CRS lose their geometry and get a
/// problem naming the row. Notes go to `table.notes`.
pub fn to_cgcs2000(table: &mut Table, crs: Crs) -> Vec<ImportProblem> {
    let mut crs = crs;
    if let Some((p, x)) = prefixed_instead(&crs, table) {
        table.notes.push(format!(
            "eastings carry a zone prefix (e.g. x = {x}) although the CRS is {} ({crs}): read as \
             {} ({p}) / 东坐标带有带号，按{p}读取",
            crs.name(),
            p.name()
        ));
        crs = p;
    }
    table.crs = Some(crs);
    let mut problems = Vec::new();
    let problem = |row: usize, value: Option<String>, en: String, zh: String| ImportProblem {
        file: table.file.clone(),
        row: Some(row),
        field: "geometry".into(),
        value,
        reason: en,
        reason_zh: zh,
    };
    let transformer = match Transformer::new(&crs, &Crs::Cgcs2000Geographic) {
        Ok(t) => t,
        Err(e) => {
            problems.push(ImportProblem {
                file: table.file.clone(),
                row: None,
                field: "crs".into(),
                value: Some(crs.to_string()),
                reason: e.to_string(),
                reason_zh: format!("无法建立坐标转换：{e}"),
            });
            return problems;
        }
    };
    // Rows are independent: checked and transformed on all cores, problems kept in row order.
    let found: Vec<ImportProblem> = table
        .rows
        .par_iter_mut()
        .filter_map(|r| {
            let g = r.geometry.take()?;
            if let Some((en, zh)) = coords(&g).iter().find_map(|c| plausible(&crs, c.x, c.y)) {
                return Some(problem(r.row, None, en, zh));
            }
            match transformer.geometry(&g) {
                Ok(t) => {
                    r.geometry = Some(t);
                    None
                }
                Err(e) => Some(problem(
                    r.row,
                    None,
                    format!("cannot transform from {crs} to EPSG:4490: {e}"),
                    format!("无法从{crs}转换到EPSG:4490：{e}"),
                )),
            }
        })
        .collect();
    problems.extend(found);
    problems
}
