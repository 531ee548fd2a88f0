//! Legacy Chinese datums that must not be silently treated as CGCS2000.
//!
//! Their EPSG definitions carry no usable shift to CGCS2000 (the offsets are tens to a hundred
//! metres and vary by region), so a local 7-parameter set is needed: domain README §7.2.

/// The datum and EPSG name of a Xian 1980 / Beijing 1954 / New Beijing CRS, or `None`.
pub(super) fn legacy_datum(code: u32) -> Option<(&'static str, String)> {
    let datum = match code {
        // Geographic 4610; 6° zones 2327–2348; 3° zones 2349–2390.
        4610 | 2327..=2390 => "Xian 1980",
        // Geographic 4214; 3° zones 2401–2442; 6° zones 21413–21423, 21453–21463 and the
        // deprecated 21473–21483.
        4214 | 2401..=2442 | 21413..=21423 | 21453..=21463 | 21473..=21483 => "Beijing 1954",
        4555 | 4568..=4589 | 4652..=4656 | 4766..=4800 | 4812 | 4822 => "New Beijing",
        _ => return None,
    };
    Some((
        datum,
        epsg_name(code).unwrap_or_else(|| format!("{datum} EPSG:{code}")),
    ))
}

/// The name PROJ gives the CRS: the first quoted string of its WKT.
fn epsg_name(code: u32) -> Option<String> {
    let def = crs_definitions::from_code(u16::try_from(code).ok()?)?;
    let start = def.wkt.find('"')? + 1;
    let len = def.wkt[start..].find('"')?;
    Some(def.wkt[start..start + len].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_epsg_table() {
        let (datum, name) = legacy_datum(2362).expect("2362 is Xian 1980");
        assert_eq!(datum, "Xian 1980");
        assert_eq!(name, "Xian 1980 / 3-degree Gauss-Kruger zone 38");
        let (datum, name) = legacy_datum(2435).expect("2435 is Beijing 1954");
        assert_eq!(datum, "Beijing 1954");
        assert_eq!(name, "Beijing 1954 / 3-degree Gauss-Kruger CM 114E");
        assert_eq!(legacy_datum(4774).map(|d| d.0), Some("New Beijing"));
    }

    #[test]
    fn every_code_in_the_ranges_is_really_legacy() {
        // Guards the hand-written ranges against EPSG gaps (e.g. 2391–2400 are Finnish).
        for code in (2300..2500).chain(4200..4900).chain(21400..21500) {
            if legacy_datum(code).is_some() {
                let def = crs_definitions::from_code(code as u16)
                    .unwrap_or_else(|| panic!("EPSG:{code} not in table"));
                assert!(
                    def.wkt.contains("Xian 1980") || def.wkt.contains("Beijing"),
                    "EPSG:{code} is not a legacy Chinese datum: {}",
                    &def.wkt[..60]
                );
            } else if let Some(def) = crs_definitions::from_code(code as u16) {
                assert!(
                    !(def.wkt.contains("Xian 1980") || def.wkt.contains("Beijing")),
                    "EPSG:{code} is a legacy Chinese datum the ranges miss"
                );
            }
        }
    }
}
