//! Word lists: industries (GB/T 4754-2017 classes by lead industry), enterprise-name words and
//! road names. Every name made from them is synthetic.

use landcycle_domain::{LandUse, LandUseSystem};

/// One industry class an enterprise can be in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Industry {
    /// GB/T 4754-2017 class code.
    pub(crate) code: &'static str,
    /// Word in the enterprise name (电气, 药业 …).
    pub(crate) word: &'static str,
    /// 工业用地 class (1, 2 or 3; 0 for warehousing).
    pub(crate) class: u8,
    /// Electricity use per 元 of output, kWh.
    pub(crate) kwh_per_yuan: f64,
}

const fn ind(code: &'static str, word: &'static str, class: u8, kwh_per_yuan: f64) -> Industry {
    Industry {
        code,
        word,
        class,
        kwh_per_yuan,
    }
}

/// Keyword of a lead industry → the classes it stands for.
const GROUPS: &[(&str, &[Industry])] = &[
    (
        "电力电气",
        &[
            ind("C3821", "电气", 1, 0.03),
            ind("C3823", "电力设备", 1, 0.03),
            ind("C3831", "电缆", 1, 0.05),
            ind("C3824", "电力电子", 1, 0.03),
        ],
    ),
    (
        "电子信息",
        &[
            ind("C3982", "电子科技", 1, 0.04),
            ind("C3981", "电子元件", 1, 0.04),
            ind("C3912", "智能科技", 1, 0.03),
        ],
    ),
    (
        "医药",
        &[
            ind("C2720", "制药", 2, 0.04),
            ind("C2740", "药业", 2, 0.04),
            ind("C2730", "中药饮片", 2, 0.03),
            ind("C2761", "生物科技", 2, 0.05),
        ],
    ),
    (
        "卫生材料",
        &[
            ind("C2770", "卫材", 2, 0.04),
            ind("C2770", "医疗用品", 2, 0.04),
        ],
    ),
    (
        "再生金属",
        &[
            ind("C3216", "铝业", 3, 0.30),
            ind("C3211", "铜业", 3, 0.25),
            ind("C4210", "再生资源", 3, 0.10),
            ind("C3252", "铝材", 2, 0.12),
        ],
    ),
    (
        "金属制品",
        &[
            ind("C3311", "钢结构", 2, 0.06),
            ind("C3340", "金属制品", 2, 0.08),
        ],
    ),
    (
        "煤化工",
        &[ind("C2521", "焦化", 3, 0.25), ind("C2614", "化工", 3, 0.20)],
    ),
    (
        "新材料",
        &[
            ind("C3091", "碳素", 2, 0.20),
            ind("C3099", "新材料", 2, 0.12),
            ind("C3062", "复合材料", 2, 0.08),
        ],
    ),
    (
        "汽车零部件",
        &[
            ind("C3670", "汽车部件", 1, 0.04),
            ind("C3670", "汽配", 1, 0.04),
        ],
    ),
    (
        "环保",
        &[
            ind("C3591", "环保设备", 1, 0.03),
            ind("C3591", "环保科技", 1, 0.03),
        ],
    ),
    ("发制品", &[ind("C2439", "发制品", 1, 0.02)]),
    (
        "家具板材",
        &[ind("C2110", "家具", 1, 0.03), ind("C2021", "木业", 2, 0.06)],
    ),
    (
        "纺织服装制鞋",
        &[
            ind("C1711", "纺织", 2, 0.10),
            ind("C1819", "服饰", 1, 0.02),
            ind("C1951", "鞋业", 2, 0.02),
        ],
    ),
    (
        "装备",
        &[
            ind("C3411", "锅炉", 1, 0.04),
            ind("C3441", "泵业", 1, 0.04),
            ind("C3453", "传动机械", 1, 0.04),
            ind("C3511", "重工", 1, 0.05),
            ind("C3484", "机械", 1, 0.04),
        ],
    ),
];

/// Logistics and warehousing (通用仓储), the users of 物流仓储用地.
pub(crate) const LOGISTICS: Industry = ind("G5920", "物流", 0, 0.01);

/// The industry classes that fit a park's lead industries. A lead industry naming 电力电气
/// does not also count as general 装备.
pub(crate) fn industries_for(lead: &[String]) -> Vec<Industry> {
    let mut out: Vec<Industry> = Vec::new();
    for l in lead {
        let hits: Vec<&str> = GROUPS
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| l.contains(k))
            .collect();
        for (k, list) in GROUPS {
            let generic_shadowed = *k == "装备" && hits.contains(&"电力电气");
            if hits.contains(k) && !generic_shadowed {
                for i in *list {
                    if !out.contains(i) {
                        out.push(*i);
                    }
                }
            }
        }
    }
    if out.is_empty() {
        out.extend(GROUPS.last().map(|(_, l)| l.to_vec()).unwrap_or_default());
    }
    out
}

/// The land use a parcel for this industry gets; `legacy` picks the GB 50137 控规 code.
pub(crate) fn land_use_for(ind: &Industry, legacy: bool) -> LandUse {
    let (system, code) = match (ind.class, legacy) {
        (0, _) => (LandUseSystem::Territorial, "1101"),
        (1, false) => (LandUseSystem::Territorial, "100101"),
        (2, false) => (LandUseSystem::Territorial, "100102"),
        (_, false) => (LandUseSystem::Territorial, "100103"),
        (1, true) => (LandUseSystem::Gb50137, "M1"),
        (2, true) => (LandUseSystem::Gb50137, "M2"),
        (_, true) => (LandUseSystem::Gb50137, "M3"),
    };
    LandUse {
        system,
        code: code.to_owned(),
    }
}

/// First characters of 字号 (trade names).
pub(crate) const NAME_FIRST: [&str; 36] = [
    "恒", "瑞", "宏", "金", "华", "鼎", "永", "昌", "嘉", "盛", "泰", "鑫", "润", "博", "佳", "豪",
    "正", "德", "东", "兴", "隆", "丰", "信", "宇", "卓", "创", "源", "诚", "睿", "航", "腾", "凯",
    "豫", "康", "晟", "立",
];

/// Second characters of 字号.
pub(crate) const NAME_SECOND: [&str; 24] = [
    "达", "丰", "远", "通", "源", "泰", "盛", "鑫", "昌", "诚", "华", "宇", "博", "凯", "隆", "安",
    "和", "祥", "辉", "科", "力", "拓", "元", "茂",
];

/// Chinese numeral for 1–99 (road numbers: 经三路, 纬十二路).
pub(crate) fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "零".to_owned(),
        1..=9 => D[n].to_owned(),
        10..=19 => format!("十{}", D[n % 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use landcycle_domain::Enterprise;

    #[test]
    fn lead_industries_map_to_classes() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let eq = industries_for(&s(&["电力电气装备制造业", "电子信息产业"]));
        assert!(
            eq.iter()
                .all(|i| i.code.starts_with("C38") || i.code.starts_with("C39"))
        );
        let shangji = industries_for(&s(&["高端装备制造业(汽车零部件、环保装备)", "发制品业"]));
        for code in ["C3670", "C3591", "C3411", "C2439"] {
            assert!(shangji.iter().any(|i| i.code == code), "{code}");
        }
        assert_eq!(industries_for(&s(&["煤化工业"]))[0].code, "C2521");
        assert!(!industries_for(&s(&["不认识的产业"])).is_empty());
        for (_, list) in GROUPS {
            for i in *list {
                let e = Enterprise::new("914403001922038216", "x", Some(i.code), true, None, None);
                assert!(e.unwrap().is_industrial(), "{}", i.code);
            }
        }
    }

    #[test]
    fn land_uses_are_valid_codes() {
        for class in 0..=3 {
            for legacy in [false, true] {
                let i = ind("C3821", "x", class, 0.0);
                let u = land_use_for(&i, legacy);
                assert!(LandUse::new(u.system, &u.code).is_ok(), "{u:?}");
            }
        }
    }

    #[test]
    fn numerals() {
        assert_eq!(numeral(3), "三");
        assert_eq!(numeral(12), "十二");
        assert_eq!(numeral(40), "四十");
        assert_eq!(numeral(47), "四十七");
    }
}
