//! The CRS of a `.prj` file or a stored WKT definition (ESRI WKT1, OGC WKT1, WKT2), decided by
//! its datum, projection and parameters, and by its EPSG authority code when it has one.

use super::wkt_tree::{self, Node};
use crate::error::{IoError, IoResult};
use landcycle_geo::{Crs, GeoError, LegacyCrs, TmParams, parse_towgs84};

/// A CRS read from WKT, with how it was recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCrs {
    /// The CRS.
    pub crs: Crs,
    /// The name the WKT gives it.
    pub name: String,
    /// How it was recognised, for the import notes.
    pub how: String,
    /// For Xian 1980 / Beijing 1954 with the user's `--towgs84`: the source CRS and the
    /// parameters; `crs` is then CGCS2000 lon/lat, what the coordinates become once shifted.
    pub shift: Option<LegacyCrs>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Datum {
    Cgcs2000,
    Wgs84,
    Legacy(&'static str),
}

/// Lower-case letters and digits only: `D_Xian_1980` → `dxian1980`.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn datum_of(names: &str) -> Option<Datum> {
    let n = norm(names);
    if n.contains("xian") {
        Some(Datum::Legacy("Xian 1980"))
    } else if n.contains("newbeijing") {
        Some(Datum::Legacy("New Beijing"))
    } else if n.contains("beijing") {
        Some(Datum::Legacy("Beijing 1954"))
    } else if n.contains("cgcs2000")
        || n.contains("china2000")
        || n.contains("chinageodeticcoordinatesystem2000")
    {
        Some(Datum::Cgcs2000)
    } else if n.contains("wgs84") || n.contains("wgs1984") {
        Some(Datum::Wgs84)
    } else {
        None
    }
}

/// Reads the CRS of a WKT text found in `file`. `towgs84` is what the user gave with
/// `--towgs84`, reported when the datum is a legacy one.
pub fn crs_from_wkt(file: &str, text: &str, towgs84: Option<&str>) -> IoResult<ParsedCrs> {
    let root = wkt_tree::parse(text.trim()).map_err(|e| {
        IoError::crs(
            file,
            format!("not a WKT coordinate system: {e}"),
            format!("不是有效的WKT坐标系定义：{e}"),
        )
    })?;
    let name = root.name().unwrap_or_default().to_owned();
    let geog = root.find(&["GEOGCS", "BASEGEOGCRS", "GEOGCRS", "BASEGEODCRS", "GEODCRS"]);
    let datum_node = root.find(&["DATUM", "GEODETICDATUM", "TRF"]);
    let names = [
        name.as_str(),
        geog.and_then(Node::name).unwrap_or_default(),
        datum_node.and_then(Node::name).unwrap_or_default(),
    ]
    .join(" ");
    let datum = datum_of(&names);
    if let Some(Datum::Legacy(datum)) = datum {
        return match towgs84 {
            Some(t) => legacy_with_parameters(file, &root, &name, datum, t),
            None => Err(legacy(file, &name, datum, None)),
        };
    }
    // An EPSG authority on the CRS itself (not on its datum or units).
    let authority = root
        .children(&["AUTHORITY", "ID"])
        .find(|a| a.name().is_some_and(|n| n.eq_ignore_ascii_case("EPSG")))
        .and_then(Node::code)
        .and_then(|c| c.parse::<f64>().ok());
    if let Some(code) = authority {
        match Crs::from_epsg(code as u32) {
            Ok(crs) => {
                return Ok(ParsedCrs {
                    crs,
                    name,
                    how: format!("EPSG authority code {code} in the WKT"),
                    shift: None,
                });
            }
            Err(GeoError::NeedsDatumShift { datum, .. }) => {
                return Err(legacy(file, &name, datum, towgs84));
            }
            Err(_) => {} // Decide from the definition below.
        }
    }
    let Some(datum) = datum else {
        return Err(IoError::crs(
            file,
            format!(
                "unknown datum in `{names}`; landcycle reads CGCS2000 (China_2000) and WGS 84 data"
            ),
            format!("未知的大地基准“{names}”，仅支持CGCS2000和WGS 84"),
        ));
    };
    match root.keyword.as_str() {
        "GEOGCS" | "GEOGCRS" | "GEODCRS" => Ok(ParsedCrs {
            crs: if datum == Datum::Wgs84 {
                Crs::Wgs84
            } else {
                Crs::Cgcs2000Geographic
            },
            name,
            how: "geographic CRS from the datum name".to_owned(),
            shift: None,
        }),
        "PROJCS" | "PROJCRS" => projected(file, &root, &name, datum),
        other => Err(IoError::crs(
            file,
            format!("unsupported WKT keyword {other}"),
            format!("不支持的WKT类型{other}"),
        )),
    }
}

fn legacy(file: &str, name: &str, datum: &'static str, towgs84: Option<&str>) -> IoError {
    let towgs84 = match towgs84 {
        Some(p) => format!("The --towgs84 parameters given ({p}) could not be applied."),
        None => "Give the local 7 parameters with --towgs84 dx,dy,dz,rx,ry,rz,ds (PROJ's \
                 position-vector convention) to have them applied."
            .to_owned(),
    };
    IoError::NeedsDatumShift {
        file: file.to_owned(),
        name: name.to_owned(),
        datum,
        towgs84,
    }
}

fn projected(file: &str, root: &Node, name: &str, datum: Datum) -> IoResult<ParsedCrs> {
    let conversion = root.child(&["CONVERSION"]);
    let method = root
        .child(&["PROJECTION"])
        .or_else(|| conversion.and_then(|c| c.child(&["METHOD"])))
        .and_then(Node::name)
        .unwrap_or_default();
    let m = norm(method);
    let n = norm(name);
    if m.contains("mercatorauxiliarysphere")
        || m.contains("pseudomercator")
        || n.contains("webmercator")
        || n.contains("pseudomercator")
    {
        return Ok(ParsedCrs {
            crs: Crs::WebMercator,
            name: name.to_owned(),
            how: format!("projection {method}"),
            shift: None,
        });
    }
    if !(m.contains("transversemercator") || m.contains("gausskr")) {
        return Err(IoError::crs(
            file,
            format!("unsupported projection `{method}` in `{name}`"),
            format!("不支持的投影“{method}”"),
        ));
    }
    if datum != Datum::Cgcs2000 {
        return Err(IoError::crs(
            file,
            format!("`{name}`: Transverse Mercator is supported on CGCS2000 only"),
            format!("“{name}”：仅支持CGCS2000高斯-克吕格投影"),
        ));
    }
    let params: Vec<&Node> = root
        .children(&["PARAMETER"])
        .chain(
            conversion
                .into_iter()
                .flat_map(|c| c.children(&["PARAMETER"])),
        )
        .collect();
    let param = |keys: &[&str]| {
        params
            .iter()
            .find(|p| p.name().is_some_and(|n| keys.contains(&norm(n).as_str())))
            .and_then(|p| p.number(0))
    };
    let cm = param(&[
        "centralmeridian",
        "longitudeofnaturalorigin",
        "longitudeofcenter",
    ]);
    let fe = param(&["falseeasting"]).unwrap_or(0.0);
    let fn_ = param(&["falsenorthing"]).unwrap_or(0.0);
    let k = param(&["scalefactor", "scalefactoratnaturalorigin"]).unwrap_or(1.0);
    let lat0 = param(&["latitudeoforigin", "latitudeofnaturalorigin"]).unwrap_or(0.0);
    let unit = root
        .child(&["UNIT", "LENGTHUNIT"])
        .and_then(|u| u.number(0))
        .unwrap_or(1.0);
    let bad = |what: String| {
        IoError::crs(
            file,
            format!("`{name}`: {what}; not a CGCS2000 Gauss-Kruger zone"),
            format!("“{name}”：{what}，不是CGCS2000高斯-克吕格分带"),
        )
    };
    let Some(cm) = cm else {
        return Err(bad("no Central_Meridian parameter".to_owned()));
    };
    if (k - 1.0).abs() > 1e-12 || lat0.abs() > 1e-12 || fn_.abs() > 1e-6 {
        return Err(bad(format!(
            "scale factor {k}, latitude of origin {lat0}, false northing {fn_}"
        )));
    }
    if (unit - 1.0).abs() > 1e-12 {
        return Err(bad(format!("linear unit {unit} m is not the metre")));
    }
    if (cm / 3.0).fract() != 0.0 {
        return Err(bad(format!(
            "central meridian {cm} is not a multiple of 3°"
        )));
    }
    let cm_i = cm as i64;
    let three_degree = n.contains("3degree");
    let crs = if (fe - 500_000.0).abs() < 1e-6 {
        if !three_degree && cm_i % 6 == 3 {
            Crs::gk6(((cm_i + 3) / 6) as u8, false)
        } else {
            Crs::gk3((cm_i / 3) as u8, false)
        }
    } else {
        let zone = ((fe - 500_000.0) / 1_000_000.0).round();
        if (fe - (zone * 1_000_000.0 + 500_000.0)).abs() > 1e-6 {
            return Err(bad(format!("false easting {fe} carries no zone prefix")));
        }
        let zone = zone as i64;
        if zone * 3 == cm_i {
            Crs::gk3(zone as u8, true)
        } else if zone * 6 - 3 == cm_i {
            Crs::gk6(zone as u8, true)
        } else {
            return Err(bad(format!(
                "false easting {fe} names zone {zone}, which does not have central meridian {cm}"
            )));
        }
    }
    .map_err(|e| bad(e.to_string()))?;
    Ok(ParsedCrs {
        crs,
        name: name.to_owned(),
        how: format!("{method}, central meridian {cm}, false easting {fe}"),
        shift: None,
    })
}

/// A Xian 1980 / Beijing 1954 CRS with the user's 7 parameters: its ellipsoid and Gauss–Krüger
/// projection read from the WKT, the coordinates to be shifted to CGCS2000 lon/lat.
fn legacy_with_parameters(
    file: &str,
    root: &Node,
    name: &str,
    datum: &'static str,
    towgs84: &str,
) -> IoResult<ParsedCrs> {
    let towgs84 = parse_towgs84(towgs84).map_err(|e| {
        IoError::crs(
            file,
            format!("--towgs84 {e}"),
            format!("七参数格式错误：{e}（应为 dx,dy,dz,rx,ry,rz,ds，单位米、秒、ppm）"),
        )
    })?;
    let bad = |what: String| {
        IoError::crs(
            file,
            format!("`{name}` ({datum}): {what}"),
            format!("“{name}”（{datum}）：{what}"),
        )
    };
    let spheroid = root
        .find(&["SPHEROID", "ELLIPSOID"])
        .ok_or_else(|| bad("no SPHEROID in the WKT".to_owned()))?;
    let (Some(a), Some(rf)) = (spheroid.number(0), spheroid.number(1)) else {
        return Err(bad("the SPHEROID has no axis and flattening".to_owned()));
    };
    let tm = match root.keyword.as_str() {
        "PROJCS" | "PROJCRS" => {
            let conversion = root.child(&["CONVERSION"]);
            let method = root
                .child(&["PROJECTION"])
                .or_else(|| conversion.and_then(|c| c.child(&["METHOD"])))
                .and_then(Node::name)
                .unwrap_or_default();
            let m = norm(method);
            if !(m.contains("transversemercator") || m.contains("gausskr")) {
                return Err(bad(format!("projection `{method}` is not Gauss-Kruger")));
            }
            let params: Vec<&Node> = root
                .children(&["PARAMETER"])
                .chain(
                    conversion
                        .into_iter()
                        .flat_map(|c| c.children(&["PARAMETER"])),
                )
                .collect();
            let param = |keys: &[&str]| {
                params
                    .iter()
                    .find(|p| p.name().is_some_and(|n| keys.contains(&norm(n).as_str())))
                    .and_then(|p| p.number(0))
            };
            let unit = root
                .child(&["UNIT", "LENGTHUNIT"])
                .and_then(|u| u.number(0))
                .unwrap_or(1.0);
            if (unit - 1.0).abs() > 1e-12 {
                return Err(bad(format!("linear unit {unit} m is not the metre")));
            }
            Some(TmParams {
                lon_0: param(&[
                    "centralmeridian",
                    "longitudeofnaturalorigin",
                    "longitudeofcenter",
                ])
                .ok_or_else(|| bad("no Central_Meridian parameter".to_owned()))?,
                lat_0: param(&["latitudeoforigin", "latitudeofnaturalorigin"]).unwrap_or(0.0),
                k: param(&["scalefactor", "scalefactoratnaturalorigin"]).unwrap_or(1.0),
                x_0: param(&["falseeasting"]).unwrap_or(0.0),
                y_0: param(&["falsenorthing"]).unwrap_or(0.0),
            })
        }
        _ => None,
    };
    let shift = LegacyCrs {
        name: name.to_owned(),
        datum: datum.to_owned(),
        a,
        rf,
        tm,
        towgs84,
    };
    Ok(ParsedCrs {
        crs: Crs::Cgcs2000Geographic,
        name: name.to_owned(),
        how: format!(
            "{datum} shifted to CGCS2000 with the 7 parameters given (position vector, as PROJ's \
             +towgs84): {}",
            shift.proj_string()
        ),
        shift: Some(shift),
    })
}
