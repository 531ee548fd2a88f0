//! `.prj` parsing against WKT as GDAL writes it (`gdalsrsinfo -o wkt_esri` / `-o wkt1`).

use super::*;
use crate::error::IoError;
use landcycle_geo::Crs;

const GEOGCS_ESRI: &str = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

fn esri_gk(name: &str, fe: f64, cm: f64) -> String {
    format!(
        r#"PROJCS["{name}",{GEOGCS_ESRI},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",{fe:.1}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",{cm:.1}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#
    )
}

fn crs(text: &str) -> Crs {
    crs_from_wkt("t.prj", text, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .crs
}

#[test]
fn esri_gauss_kruger_names_and_parameters() {
    let zone38 = esri_gk("CGCS2000_3_Degree_GK_Zone_38", 38_500_000.0, 114.0);
    assert_eq!(crs(&zone38), Crs::from_epsg(4526).expect("4526"));
    let cm114 = esri_gk("CGCS2000_3_Degree_GK_CM_114E", 500_000.0, 114.0);
    assert_eq!(crs(&cm114), Crs::from_epsg(4547).expect("4547"));
    // CM 111 is both 3° zone 37 and 6° zone 19: the name decides (EPSG:4508 vs 4546).
    let gk6 = esri_gk("CGCS2000_GK_CM_111E", 500_000.0, 111.0);
    assert_eq!(crs(&gk6), Crs::from_epsg(4508).expect("4508"));
    let gk3 = esri_gk("CGCS2000_3_Degree_GK_CM_111E", 500_000.0, 111.0);
    assert_eq!(crs(&gk3), Crs::from_epsg(4546).expect("4546"));
    let gk6p = esri_gk("CGCS2000_GK_Zone_19", 19_500_000.0, 111.0);
    assert_eq!(crs(&gk6p), Crs::from_epsg(4497).expect("4497"));
    assert_eq!(crs(GEOGCS_ESRI), Crs::Cgcs2000Geographic);
}

#[test]
fn ogc_wkt1_with_authority_and_web_mercator() {
    assert_eq!(
        crs(&Crs::from_epsg(4526).expect("4526").wkt()),
        Crs::Gk3 {
            zone: 38,
            prefixed: true
        }
    );
    assert_eq!(crs(&Crs::WebMercator.wkt()), Crs::WebMercator);
    let esri_3857 = r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#;
    assert_eq!(crs(esri_3857), Crs::WebMercator);
}

#[test]
fn legacy_datums_are_refused_with_the_seven_parameter_message() {
    let xian = r#"PROJCS["Xian_1980_3_Degree_GK_Zone_38",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    let e = crs_from_wkt("x.prj", xian, None).expect_err("refused");
    assert!(
        matches!(
            e,
            IoError::NeedsDatumShift {
                datum: "Xian 1980",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("七参数"), "{e}");
    // With the 7 parameters the file is read, shifted to CGCS2000 lon/lat.
    let p = crs_from_wkt("x.prj", xian, Some("1,2,3,4,5,6,7")).expect("applied");
    assert_eq!(p.crs, Crs::Cgcs2000Geographic);
    let shift = p.shift.expect("shift");
    assert_eq!(shift.towgs84, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
    assert_eq!((shift.a, shift.rf), (6_378_140.0, 298.257));
    assert_eq!(
        shift.tm.map(|t| (t.lon_0, t.x_0)),
        Some((114.0, 38_500_000.0))
    );
    let e = crs_from_wkt("x.prj", xian, Some("1,2")).expect_err("malformed");
    assert!(e.to_string().contains("3 or 7 numbers"), "{e}");
    let bj = xian.replace("Xian_1980", "Beijing_1954");
    let e = crs_from_wkt("b.prj", &bj, None).expect_err("refused");
    assert!(
        matches!(
            e,
            IoError::NeedsDatumShift {
                datum: "Beijing 1954",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn wrong_parameters_are_explained() {
    let odd = esri_gk("CGCS2000_TM", 500_000.0, 113.5);
    let e = crs_from_wkt("o.prj", &odd, None).expect_err("not a zone");
    assert!(e.to_string().contains("multiple of 3"), "{e}");
    assert!(crs_from_wkt("g.prj", "garbage", None).is_err());
}

#[test]
fn plausibility_catches_degrees_in_a_gk_file() {
    let gk = Crs::Gk3 {
        zone: 38,
        prefixed: true,
    };
    assert!(plausible(&gk, 38_486_147.0, 3_766_999.0).is_none());
    let (en, _) = plausible(&gk, 113.85, 34.03).expect("implausible");
    assert!(en.contains("longitude/latitude"), "{en}");
    assert!(plausible(&Crs::Cgcs2000Geographic, 486_147.0, 3_766_999.0).is_some());
}
