//! 土地用途 as found in files: a code of any of the national systems (`100101`, `M1`, `0601`)
//! or a Chinese name (`一类工业用地`, `工业用地`), resolved through the domain's tables.

use landcycle_domain::{LandUse, LandUseSystem};
use std::sync::OnceLock;

/// Systems tried in order when a file does not say which one a code belongs to: the current
/// 国土空间 classification first, then 控规 (GB 50137), GB/T 21010 and 三调.
const ORDER: [LandUseSystem; 4] = [
    LandUseSystem::Territorial,
    LandUseSystem::Gb50137,
    LandUseSystem::Gbt21010,
    LandUseSystem::Sandiao,
];

/// Codes whose names are looked up (the names themselves come from the domain's tables).
const CANDIDATES: &[(LandUseSystem, &[&str])] = &[
    (
        LandUseSystem::Territorial,
        &[
            "01", "02", "03", "04", "05", "06", "07", "08", "0801", "0802", "0803", "0804", "0805",
            "0806", "0807", "09", "0901", "090101", "090102", "090103", "090104", "090105", "0902",
            "0903", "0904", "10", "1001", "100101", "100102", "100103", "1002", "1003", "11",
            "1101", "110101", "110102", "110103", "1102", "12", "13", "14", "15", "16", "17", "18",
            "19", "20", "21", "22", "23", "24",
        ],
    ),
    (
        LandUseSystem::Gb50137,
        &[
            "R", "A", "B", "M", "M1", "M2", "M3", "W", "W1", "W2", "W3", "S", "U", "G",
        ],
    ),
    (
        LandUseSystem::Gbt21010,
        &[
            "01", "02", "03", "04", "05", "0501", "0502", "0503", "0504", "0505", "0506", "0507",
            "0508", "06", "0601", "0602", "0603", "0604", "07", "0701", "0702", "08", "09", "10",
            "11", "12",
        ],
    ),
    (
        LandUseSystem::Sandiao,
        &[
            "00", "05H1", "0508", "06", "0601", "0602", "08H1", "08H2", "0701", "0702",
        ],
    ),
];

/// The land use a Chinese name stands for, searching `system` or all systems in order.
pub fn land_use_by_name(name: &str, system: Option<LandUseSystem>) -> Option<LandUse> {
    let name = name.trim();
    names()
        .iter()
        .filter(|(s, _, n)| *n == name && system.is_none_or(|want| want == *s))
        .find_map(|(s, c, _)| LandUse::lookup(*s, c))
}

/// (system, code, name) of every candidate, in search order: built once, because resolving
/// each of a million cells through the domain's tables was 5 % of an import.
fn names() -> &'static [(LandUseSystem, &'static str, &'static str)] {
    static NAMES: OnceLock<Vec<(LandUseSystem, &'static str, &'static str)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        CANDIDATES
            .iter()
            .flat_map(|(s, codes)| codes.iter().map(move |c| (*s, *c)))
            .filter_map(|(s, c)| {
                let name = LandUse::lookup(s, c)?.name_zh()?;
                Some((s, c, name))
            })
            .collect()
    })
}

/// Resolves a cell: a code (in `system` when given, else the first system that has it), a
/// name, or `代码 名称` / `名称(代码)` combinations.
pub fn resolve_land_use(value: &str, system: Option<LandUseSystem>) -> Option<LandUse> {
    let v = value.trim();
    let by_code = |code: &str| -> Option<LandUse> {
        match system {
            Some(s) => LandUse::lookup(s, code),
            None => ORDER.iter().find_map(|s| LandUse::lookup(*s, code)),
        }
    };
    if let Some(u) = by_code(v).or_else(|| land_use_by_name(v, system)) {
        return Some(u);
    }
    // "100101 一类工业用地", "一类工业用地（100101）", "M1-一类工业用地".
    v.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .find_map(by_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_are_real_codes() {
        for (s, codes) in CANDIDATES {
            for c in *codes {
                let u = LandUse::new(*s, c).unwrap_or_else(|e| panic!("{s:?} {c}: {e}"));
                assert!(u.name_zh().is_some(), "{s:?} {c} has no name");
            }
        }
    }

    #[test]
    fn codes_and_names() {
        let t = |v: &str| resolve_land_use(v, None).map(|u| (u.system, u.code));
        assert_eq!(
            t("100101"),
            Some((LandUseSystem::Territorial, "100101".into()))
        );
        assert_eq!(t("m1"), Some((LandUseSystem::Gb50137, "M1".into())));
        assert_eq!(t("0601"), Some((LandUseSystem::Gbt21010, "0601".into())));
        assert_eq!(
            t("一类工业用地"),
            Some((LandUseSystem::Territorial, "100101".into()))
        );
        assert_eq!(
            t("工业用地"),
            Some((LandUseSystem::Territorial, "1001".into()))
        );
        assert_eq!(
            t("一类工业用地（100101）"),
            Some((LandUseSystem::Territorial, "100101".into()))
        );
        assert_eq!(
            resolve_land_use("工业用地", Some(LandUseSystem::Gbt21010)).map(|u| u.code),
            Some("0601".into())
        );
        assert_eq!(t("火星用地"), None);
    }
}
