use super::*;

#[test]
fn from_epsg_covers_every_cgcs2000_gk_zone() {
    for code in 4491..=4554 {
        let crs = Crs::from_epsg(code).expect("GK code");
        assert_eq!(crs.epsg(), code);
        crs.check().expect("zone in range");
        assert!(!crs.is_geographic());
        assert!(crs.northing_first());
    }
    assert_eq!(
        Crs::from_epsg(4526),
        Ok(Crs::Gk3 {
            zone: 38,
            prefixed: true
        })
    );
    assert_eq!(
        Crs::from_epsg(4547),
        Ok(Crs::Gk3 {
            zone: 38,
            prefixed: false
        })
    );
    assert_eq!(
        Crs::from_epsg(4513),
        Ok(Crs::Gk3 {
            zone: 25,
            prefixed: true
        })
    );
    assert_eq!(
        Crs::from_epsg(4554),
        Ok(Crs::Gk3 {
            zone: 45,
            prefixed: false
        })
    );
    assert_eq!(
        Crs::from_epsg(4498),
        Ok(Crs::Gk6 {
            zone: 20,
            prefixed: true
        })
    );
    assert_eq!(
        Crs::from_epsg(4508),
        Ok(Crs::Gk6 {
            zone: 19,
            prefixed: false
        })
    );
}

#[test]
fn definitions_match_proj_database() {
    for code in (4491..=4554).chain([4490, 4326, 3857]) {
        let crs = Crs::from_epsg(code).expect("supported");
        let def = crs_definitions::from_code(code as u16).expect("in table");
        assert_eq!(crs.wkt(), def.wkt, "WKT of EPSG:{code}");
        let quoted_name = def.wkt.split('"').nth(1).expect("named");
        assert_eq!(crs.name(), quoted_name, "name of EPSG:{code}");
        if !crs.is_geographic() && code != 3857 {
            assert_eq!(crs.proj_string(), def.proj4, "PROJ string of EPSG:{code}");
        }
    }
    assert!(Crs::Crs84.wkt().contains(r#"AUTHORITY["OGC","CRS84"]"#));
}

#[test]
fn wkt_4490_is_the_china_2000_datum() {
    let wkt = Crs::Cgcs2000Geographic.wkt();
    assert!(wkt.starts_with(r#"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101"#));
    assert!(wkt.ends_with(r#"AUTHORITY["EPSG","4490"]]"#));
}

#[test]
fn names_and_uris() {
    assert_eq!(
        Crs::Gk3 {
            zone: 38,
            prefixed: true
        }
        .name(),
        "CGCS2000 / 3-degree Gauss-Kruger zone 38"
    );
    assert_eq!(
        Crs::Gk3 {
            zone: 38,
            prefixed: false
        }
        .name(),
        "CGCS2000 / 3-degree Gauss-Kruger CM 114E"
    );
    assert_eq!(
        Crs::Gk6 {
            zone: 20,
            prefixed: false
        }
        .name(),
        "CGCS2000 / Gauss-Kruger CM 117E"
    );
    assert_eq!(
        Crs::Cgcs2000Geographic.ogc_uri(),
        "http://www.opengis.net/def/crs/EPSG/0/4490"
    );
    assert_eq!(
        Crs::Crs84.ogc_uri(),
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    );
    assert_eq!(Crs::WebMercator.to_string(), "EPSG:3857");
    assert_eq!(Crs::Crs84.to_string(), "OGC:CRS84");
}

#[test]
fn axis_order() {
    assert!(Crs::Cgcs2000Geographic.northing_first());
    assert!(Crs::Wgs84.northing_first());
    assert!(!Crs::Crs84.northing_first());
    assert!(!Crs::WebMercator.northing_first());
    assert!(
        Crs::Gk6 {
            zone: 20,
            prefixed: true
        }
        .northing_first()
    );
}

#[test]
fn parse_accepts_common_spellings() {
    let cgcs = Ok(Crs::Cgcs2000Geographic);
    assert_eq!(Crs::parse("EPSG:4490"), cgcs);
    assert_eq!(Crs::parse(" epsg:4490 "), cgcs);
    assert_eq!(Crs::parse("4490"), cgcs);
    assert_eq!(
        Crs::parse("http://www.opengis.net/def/crs/EPSG/0/4490"),
        cgcs
    );
    assert_eq!(
        Crs::parse("https://www.opengis.net/def/crs/EPSG/0/4490"),
        cgcs
    );
    assert_eq!(Crs::parse("urn:ogc:def:crs:EPSG::4490"), cgcs);
    assert_eq!(Crs::parse("urn:ogc:def:crs:EPSG:9.8.1:4490"), cgcs);
    for s in [
        "CRS84",
        "OGC:CRS84",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
    ] {
        assert_eq!(Crs::parse(s), Ok(Crs::Crs84), "{s}");
    }
    assert_eq!(
        "EPSG:4526".parse::<Crs>(),
        Ok(Crs::Gk3 {
            zone: 38,
            prefixed: true
        })
    );
    assert!(matches!(
        Crs::parse("EPSG:abc"),
        Err(GeoError::UnknownCrs(_))
    ));
    assert!(matches!(
        Crs::parse("EPSG:2362"),
        Err(GeoError::NeedsDatumShift { .. })
    ));
}

#[test]
fn unknown_code_error_names_the_code() {
    let err = Crs::from_epsg(32650).expect_err("UTM is not supported");
    assert_eq!(err, GeoError::UnsupportedEpsg { code: 32650 });
    assert!(err.to_string().contains("EPSG:32650"), "{err}");
}

#[test]
fn legacy_datums_are_refused_with_a_seven_parameter_hint() {
    for code in [2362, 2383, 2414, 2435, 21413, 4610, 4214, 2327, 2442] {
        let err = Crs::from_epsg(code).expect_err("legacy datum");
        assert!(
            matches!(err, GeoError::NeedsDatumShift { .. }),
            "EPSG:{code}: {err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains("7-parameter"), "{msg}");
        assert!(msg.contains("七参数"), "{msg}");
        assert!(msg.contains(&format!("EPSG:{code}")), "{msg}");
    }
    let err = Crs::from_epsg(2362).expect_err("Xian 80");
    assert!(
        err.to_string()
            .contains("Xian 1980 / 3-degree Gauss-Kruger zone 38"),
        "{err}"
    );
    let err = Crs::from_epsg(2414).expect_err("Beijing 54");
    assert!(err.to_string().contains("Beijing 1954"), "{err}");
}

#[test]
fn zone_for_lon() {
    assert_eq!(gk3_zone_for_lon(113.85), 38);
    assert_eq!(gk3_zone_for_lon(112.5), 38);
    assert_eq!(gk3_zone_for_lon(115.4), 38);
    assert_eq!(gk3_zone_for_lon(75.0), 25);
    assert_eq!(gk3_zone_for_lon(135.0), 45);
    assert_eq!(gk3_zone_for_lon(-10.0), 0);
}

#[test]
fn zone_prefix_detection() {
    assert_eq!(
        Crs::from_prefixed_easting(38_486_147.15),
        Some(Crs::Gk3 {
            zone: 38,
            prefixed: true
        })
    );
    assert_eq!(
        Crs::from_prefixed_easting(20_209_035.0),
        Some(Crs::Gk6 {
            zone: 20,
            prefixed: true
        })
    );
    assert_eq!(Crs::from_prefixed_easting(486_147.15), None);
    assert_eq!(Crs::from_prefixed_easting(24_500_000.0), None);
    assert_eq!(Crs::from_prefixed_easting(f64::NAN), None);
}

#[test]
fn invalid_zones_are_caught() {
    assert!(Crs::gk3(24, true).is_err());
    assert!(Crs::gk3(46, false).is_err());
    assert!(Crs::gk6(12, true).is_err());
    assert_eq!(
        Crs::Gk3 {
            zone: 10,
            prefixed: true
        }
        .epsg(),
        0
    );
    assert_eq!(
        Crs::Gk6 {
            zone: 200,
            prefixed: false
        }
        .epsg(),
        0
    );
    assert_eq!(
        Crs::gk3(38, true),
        Ok(Crs::Gk3 {
            zone: 38,
            prefixed: true
        })
    );
}

#[test]
fn geometry_parameters() {
    let gk = Crs::Gk3 {
        zone: 38,
        prefixed: true,
    };
    assert_eq!(gk.central_meridian(), Some(114.0));
    assert_eq!(gk.false_easting(), Some(38_500_000.0));
    assert_eq!(
        Crs::Gk6 {
            zone: 20,
            prefixed: false
        }
        .central_meridian(),
        Some(117.0)
    );
    assert_eq!(Crs::WebMercator.central_meridian(), None);
}

#[test]
fn serde_uses_the_epsg_string() {
    let gk = Crs::Gk3 {
        zone: 38,
        prefixed: true,
    };
    assert_eq!(
        serde_json::to_value(gk).expect("ser"),
        serde_json::json!("EPSG:4526")
    );
    let back: Crs =
        serde_json::from_value(serde_json::json!("urn:ogc:def:crs:EPSG::4526")).expect("de");
    assert_eq!(back, gk);
    let err = serde_json::from_value::<Crs>(serde_json::json!("EPSG:2362")).expect_err("legacy");
    assert!(err.to_string().contains("七参数"), "{err}");
}
