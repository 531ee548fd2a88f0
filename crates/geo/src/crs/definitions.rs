//! PROJ strings and WKT1 definitions. Gauss–Krüger ones are composed from the zone so that
//! every zone is covered without a lookup that could fail; tests check them against the
//! `crs-definitions` tables (which mirror PROJ's database).

use super::Crs;

/// The CGCS2000 GEOGCS exactly as PROJ writes it in WKT1_GDAL.
const GEOGCS_4490: &str = crs_definitions::EPSG_4490.wkt;

/// PROJ writes no EPSG entry for CRS84; this is `projinfo -o WKT1_GDAL OGC:CRS84`.
const WKT_CRS84: &str = concat!(
    r#"GEOGCS["WGS 84 (CRS84)",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,"#,
    r#"AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,"#,
    r#"AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],"#,
    r#"AUTHORITY["OGC","CRS84"]]"#
);

pub(super) fn wkt(crs: &Crs) -> String {
    match crs {
        Crs::Cgcs2000Geographic => GEOGCS_4490.to_owned(),
        Crs::Wgs84 => crs_definitions::EPSG_4326.wkt.to_owned(),
        Crs::Crs84 => WKT_CRS84.to_owned(),
        Crs::WebMercator => crs_definitions::EPSG_3857.wkt.to_owned(),
        Crs::Gk3 { .. } | Crs::Gk6 { .. } => {
            let cm = crs.central_meridian().unwrap_or(0.0);
            let fe = crs.false_easting().unwrap_or(0.0);
            format!(
                concat!(
                    r#"PROJCS["{name}",{geogcs},PROJECTION["Transverse_Mercator"],"#,
                    r#"PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{cm}],"#,
                    r#"PARAMETER["scale_factor",1],PARAMETER["false_easting",{fe}],"#,
                    r#"PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],"#,
                    r#"AUTHORITY["EPSG","{code}"]]"#
                ),
                name = crs.name(),
                geogcs = GEOGCS_4490,
                cm = cm,
                fe = fe,
                code = crs.epsg(),
            )
        }
    }
}

pub(super) fn proj_string(crs: &Crs) -> String {
    match crs {
        Crs::Cgcs2000Geographic => "+proj=longlat +ellps=GRS80 +no_defs".to_owned(),
        // No +datum: proj4rs would then attempt a datum shift to CGCS2000 (which has none
        // defined) — we want the documented no-op instead.
        Crs::Wgs84 | Crs::Crs84 => "+proj=longlat +ellps=WGS84 +no_defs".to_owned(),
        Crs::WebMercator => concat!(
            "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1",
            " +units=m +no_defs"
        )
        .to_owned(),
        Crs::Gk3 { .. } | Crs::Gk6 { .. } => format!(
            "+proj=tmerc +lat_0=0 +lon_0={} +k=1 +x_0={} +y_0=0 +ellps=GRS80 +units=m +no_defs",
            crs.central_meridian().unwrap_or(0.0),
            crs.false_easting().unwrap_or(0.0),
        ),
    }
}
