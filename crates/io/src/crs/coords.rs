//! Coordinates of a file's rows: zone-prefix detection, plausibility for the CRS, and the
//! transformation into CGCS2000 (EPSG:4490).

use crate::table::RawRow;
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
fn prefixed_instead(crs: &Crs, rows: &[RawRow]) -> Option<(Crs, f64)> {
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
    let x = rows
        .iter()
        .filter_map(|r| r.geometry.as_ref())
        .flat_map(coords)
        .map(|c| c.x)
        .find(|x| *x >= 1_000_000.0)?;
    let p = Crs::from_prefixed_easting(x)?;
    (p.central_meridian() == crs.central_meridian()).then_some((p, x))
}

/// The transformation of a file's rows into CGCS2000 lon/lat, decided once per file and applied
/// to its rows a chunk at a time ([`ToCgcs2000::apply`]).
pub struct ToCgcs2000 {
    file: String,
    crs: Crs,
    transformer: Transformer,
}

impl ToCgcs2000 {
    /// For the rows of `file` in `crs`, judged by `first` (the first rows with a geometry): an
    /// unprefixed Gauss–Krüger zone whose eastings carry the zone prefix is read as the prefixed
    /// zone, with a note saying so. `Err` is the problem when no transformation can be built.
    pub fn new(
        file: &str,
        crs: Crs,
        first: &[RawRow],
        notes: &mut Vec<String>,
    ) -> Result<Self, Box<ImportProblem>> {
        let mut crs = crs;
        if let Some((p, x)) = prefixed_instead(&crs, first) {
            notes.push(format!(
                "eastings carry a zone prefix (e.g. x = {x}) although the CRS is {} ({crs}): read \
                 as {} ({p}) / 东坐标带有带号，按{p}读取",
                crs.name(),
                p.name()
            ));
            crs = p;
        }
        match Transformer::new(&crs, &Crs::Cgcs2000Geographic) {
            Ok(transformer) => Ok(Self {
                file: file.to_owned(),
                crs,
                transformer,
            }),
            Err(e) => Err(Box::new(ImportProblem {
                file: file.to_owned(),
                row: None,
                field: "crs".into(),
                value: Some(crs.to_string()),
                reason: e.to_string(),
                reason_zh: format!("无法建立坐标转换：{e}"),
            })),
        }
    }

    /// The CRS the coordinates are read in (the prefixed zone when detected).
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// Checks every coordinate of `rows` and transforms every geometry into CGCS2000 lon/lat,
    /// in place. Rows whose coordinates are impossible for the CRS lose their geometry and get
    /// a problem naming the row.
    pub fn apply(&self, rows: &mut [RawRow]) -> Vec<ImportProblem> {
        let crs = &self.crs;
        let problem = |row: usize, en: String, zh: String| ImportProblem {
            file: self.file.clone(),
            row: Some(row),
            field: "geometry".into(),
            value: None,
            reason: en,
            reason_zh: zh,
        };
        // Rows are independent: checked and transformed on all cores, problems kept in row
        // order.
        rows.par_iter_mut()
            .filter_map(|r| {
                let g = r.geometry.take()?;
                if let Some((en, zh)) = coords(&g).iter().find_map(|c| plausible(crs, c.x, c.y)) {
                    return Some(problem(r.row, en, zh));
                }
                match self.transformer.geometry(&g) {
                    Ok(t) => {
                        r.geometry = Some(t);
                        None
                    }
                    Err(e) => Some(problem(
                        r.row,
                        format!("cannot transform from {crs} to EPSG:4490: {e}"),
                        format!("无法从{crs}转换到EPSG:4490：{e}"),
                    )),
                }
            })
            .collect()
    }
}
