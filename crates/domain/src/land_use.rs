//! Land-use codes (§7.4). Three national systems coexist and old datasets keep using the older
//! ones, so a use is stored as a `(system, code)` pair and mapped to the 国土空间 用地用海分类
//! (the current system) when rules need one vocabulary.

use crate::error::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};

/// The classification a land-use code belongs to.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LandUseSystem {
    /// 国土空间调查、规划、用途管制用地用海分类指南 (自然资发〔2023〕234号) — the current system.
    Territorial,
    /// GB/T 21010-2017 土地利用现状分类.
    Gbt21010,
    /// 三调 working classification (第三次全国国土调查).
    Sandiao,
    /// GB 50137-2011 城市用地分类与规划建设用地标准 (控规 M1/M2/M3 …).
    Gb50137,
    /// A local extension such as M0 新型产业用地.
    Local,
}

/// A land-use code in one classification (土地用途).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LandUse {
    /// Classification.
    pub system: LandUseSystem,
    /// Code within it, e.g. `100101` or `M1`.
    pub code: String,
}

const TERRITORIAL: &[(&str, &str)] = &[
    ("01", "耕地"),
    ("02", "园地"),
    ("03", "林地"),
    ("04", "草地"),
    ("05", "湿地"),
    ("06", "农业设施建设用地"),
    ("07", "居住用地"),
    ("08", "公共管理与公共服务用地"),
    ("0801", "机关团体用地"),
    ("0802", "科研用地"),
    ("0803", "文化用地"),
    ("0804", "教育用地"),
    ("0805", "体育用地"),
    ("0806", "医疗卫生用地"),
    ("0807", "社会福利用地"),
    ("09", "商业服务业用地"),
    ("0901", "商业用地"),
    ("090101", "零售商业用地"),
    ("090102", "批发市场用地"),
    ("090103", "餐饮用地"),
    ("090104", "旅馆用地"),
    ("090105", "公用设施营业网点用地"),
    ("0902", "商务金融用地"),
    ("0903", "娱乐用地"),
    ("0904", "其他商业服务业用地"),
    ("10", "工矿用地"),
    ("1001", "工业用地"),
    ("100101", "一类工业用地"),
    ("100102", "二类工业用地"),
    ("100103", "三类工业用地"),
    ("1002", "采矿用地"),
    ("1003", "盐田"),
    ("11", "仓储用地"),
    ("1101", "物流仓储用地"),
    ("110101", "一类物流仓储用地"),
    ("110102", "二类物流仓储用地"),
    ("110103", "三类物流仓储用地"),
    ("1102", "储备库用地"),
    ("12", "交通运输用地"),
    ("13", "公用设施用地"),
    ("14", "绿地与开敞空间用地"),
    ("15", "特殊用地"),
    ("16", "留白用地"),
    ("17", "陆地水域"),
    ("18", "渔业用海"),
    ("19", "工矿通信用海"),
    ("20", "交通运输用海"),
    ("21", "游憩用海"),
    ("22", "特殊用海"),
    ("23", "其他土地"),
    ("24", "其他海域"),
];

const GBT21010: &[(&str, &str)] = &[
    ("01", "耕地"),
    ("02", "园地"),
    ("03", "林地"),
    ("04", "草地"),
    ("05", "商服用地"),
    ("0501", "零售商业用地"),
    ("0502", "批发市场用地"),
    ("0503", "餐饮用地"),
    ("0504", "旅馆用地"),
    ("0505", "商务金融用地"),
    ("0506", "娱乐用地"),
    ("0507", "其他商服用地"),
    ("0508", "物流仓储用地"),
    ("06", "工矿仓储用地"),
    ("0601", "工业用地"),
    ("0602", "采矿用地"),
    ("0603", "盐田"),
    ("0604", "仓储用地"),
    ("07", "住宅用地"),
    ("0701", "城镇住宅用地"),
    ("0702", "农村宅基地"),
    ("08", "公共管理与公共服务用地"),
    ("09", "特殊用地"),
    ("10", "交通运输用地"),
    ("11", "水域及水利设施用地"),
    ("12", "其他土地"),
];

const SANDIAO: &[(&str, &str)] = &[
    ("00", "湿地"),
    ("05H1", "商业服务业设施用地"),
    ("0508", "物流仓储用地"),
    ("06", "工矿用地"),
    ("0601", "工业用地"),
    ("0602", "采矿用地"),
    ("08H1", "机关团体新闻出版用地"),
    ("08H2", "科教文卫用地"),
    ("0701", "城镇住宅用地"),
    ("0702", "农村宅基地"),
];

const GB50137: &[(&str, &str)] = &[
    ("R", "居住用地"),
    ("A", "公共管理与公共服务设施用地"),
    ("B", "商业服务业设施用地"),
    ("M", "工业用地"),
    ("M1", "一类工业用地"),
    ("M2", "二类工业用地"),
    ("M3", "三类工业用地"),
    ("W", "物流仓储用地"),
    ("W1", "一类物流仓储用地"),
    ("W2", "二类物流仓储用地"),
    ("W3", "三类物流仓储用地"),
    ("S", "道路与交通设施用地"),
    ("U", "公用设施用地"),
    ("G", "绿地与广场用地"),
];

/// Mapping to the 国土空间 classification (§7.4: M1→100101, S06-0601→P10-1001, S05-0508→P11-1101 …).
const TO_TERRITORIAL: &[(LandUseSystem, &str, &str)] = &[
    (LandUseSystem::Gb50137, "M", "1001"),
    (LandUseSystem::Gb50137, "M1", "100101"),
    (LandUseSystem::Gb50137, "M2", "100102"),
    (LandUseSystem::Gb50137, "M3", "100103"),
    (LandUseSystem::Gb50137, "W", "1101"),
    (LandUseSystem::Gb50137, "W1", "110101"),
    (LandUseSystem::Gb50137, "W2", "110102"),
    (LandUseSystem::Gb50137, "W3", "110103"),
    (LandUseSystem::Gbt21010, "0601", "1001"),
    (LandUseSystem::Gbt21010, "0602", "1002"),
    (LandUseSystem::Gbt21010, "0603", "1003"),
    (LandUseSystem::Gbt21010, "0604", "1101"),
    (LandUseSystem::Gbt21010, "0508", "1101"),
    (LandUseSystem::Sandiao, "06", "10"),
    (LandUseSystem::Sandiao, "0601", "1001"),
    (LandUseSystem::Sandiao, "0602", "1002"),
    (LandUseSystem::Sandiao, "0508", "1101"),
];

impl LandUseSystem {
    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Territorial => TERRITORIAL,
            Self::Gbt21010 => GBT21010,
            Self::Sandiao => SANDIAO,
            Self::Gb50137 => GB50137,
            Self::Local => &[],
        }
    }

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Territorial => "territorial",
            Self::Gbt21010 => "gbt21010",
            Self::Sandiao => "sandiao",
            Self::Gb50137 => "gb50137",
            Self::Local => "local",
        }
    }

    /// Parses a system name as used in the API and in import files.
    pub fn parse(s: &str) -> DomainResult<Self> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "territorial" | "gtkj" | "国土空间" | "用地用海" => Self::Territorial,
            "gbt21010" | "gb/t21010" | "gb/t 21010" | "21010" => Self::Gbt21010,
            "sandiao" | "三调" => Self::Sandiao,
            "gb50137" | "gb 50137" | "50137" | "控规" => Self::Gb50137,
            "local" | "地方" => Self::Local,
            _ => {
                return Err(DomainError::field(
                    "land_use.system",
                    Some(s),
                    "unknown land-use system (territorial, gbt21010, sandiao, gb50137, local)",
                    "未知的用地分类体系（territorial、gbt21010、sandiao、gb50137、local）",
                ));
            }
        })
    }
}

impl LandUse {
    /// A validated code. Local codes must be 1–8 letters or digits; national codes must be in
    /// their table.
    pub fn new(system: LandUseSystem, code: &str) -> DomainResult<Self> {
        Self::lookup(system, code).ok_or_else(|| {
            let code = code.trim().to_ascii_uppercase();
            DomainError::field(
                "land_use.code",
                Some(&code),
                format!("{code:?} is not a code of the {system:?} classification"),
                format!("“{code}”不是所选用地分类体系中的代码"),
            )
        })
    }

    /// Like [`LandUse::new`] without the error: for callers that try several systems, where
    /// building the refusal for each miss cost an import 4 % of its time.
    pub fn lookup(system: LandUseSystem, code: &str) -> Option<Self> {
        let code = code.trim();
        let ok = match system {
            LandUseSystem::Local => {
                (1..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
            }
            s => s.table().iter().any(|(c, _)| c.eq_ignore_ascii_case(code)),
        };
        ok.then(|| Self {
            system,
            code: code.to_ascii_uppercase(),
        })
    }

    /// 一类工业用地 in the current system, the most common use of park parcels.
    pub fn industrial_class1() -> Self {
        Self {
            system: LandUseSystem::Territorial,
            code: "100101".into(),
        }
    }

    /// The Chinese name of the code, where the system has a table.
    pub fn name_zh(&self) -> Option<&'static str> {
        self.system
            .table()
            .iter()
            .find(|(c, _)| *c == self.code)
            .map(|(_, n)| *n)
    }

    /// The equivalent 国土空间 code, when one is known.
    pub fn to_territorial(&self) -> Option<LandUse> {
        if self.system == LandUseSystem::Territorial {
            return Some(self.clone());
        }
        TO_TERRITORIAL
            .iter()
            .find(|(s, c, _)| *s == self.system && *c == self.code)
            .map(|(_, _, t)| LandUse {
                system: LandUseSystem::Territorial,
                code: (*t).to_owned(),
            })
    }

    /// True for industrial land (工业用地) in any system; local `M0` 新型产业用地 counts.
    pub fn is_industrial(&self) -> bool {
        if self.system == LandUseSystem::Local {
            return self.code.starts_with('M');
        }
        self.to_territorial()
            .is_some_and(|t| t.code.starts_with("1001"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb50137_maps_to_territorial() {
        for (m, t) in [
            ("M1", "100101"),
            ("M2", "100102"),
            ("M3", "100103"),
            ("W1", "110101"),
        ] {
            let u = LandUse::new(LandUseSystem::Gb50137, m).unwrap();
            assert_eq!(u.to_territorial().unwrap().code, t);
        }
        assert!(
            LandUse::new(LandUseSystem::Gb50137, "m2")
                .unwrap()
                .is_industrial()
        );
        assert!(
            !LandUse::new(LandUseSystem::Gb50137, "W2")
                .unwrap()
                .is_industrial()
        );
    }

    #[test]
    fn sandiao_and_21010() {
        let u = LandUse::new(LandUseSystem::Sandiao, "0601").unwrap();
        assert_eq!(u.to_territorial().unwrap().code, "1001");
        assert!(u.is_industrial());
        let w = LandUse::new(LandUseSystem::Gbt21010, "0508").unwrap();
        assert_eq!(w.to_territorial().unwrap().code, "1101");
        assert_eq!(w.name_zh(), Some("物流仓储用地"));
    }

    #[test]
    fn names_and_validation() {
        assert_eq!(LandUse::industrial_class1().name_zh(), Some("一类工业用地"));
        let e = LandUse::new(LandUseSystem::Territorial, "100104").unwrap_err();
        assert_eq!(e.field_errors()[0].field, "land_use.code");
        assert!(
            LandUse::new(LandUseSystem::Local, "M0")
                .unwrap()
                .is_industrial()
        );
        assert!(LandUse::new(LandUseSystem::Local, "M-0").is_err());
        assert_eq!(
            LandUseSystem::parse("控规").unwrap(),
            LandUseSystem::Gb50137
        );
        assert!(LandUseSystem::parse("xyz").is_err());
        for s in [
            LandUseSystem::Territorial,
            LandUseSystem::Gbt21010,
            LandUseSystem::Sandiao,
            LandUseSystem::Gb50137,
            LandUseSystem::Local,
        ] {
            assert_eq!(LandUseSystem::parse(s.as_str()).unwrap(), s);
        }
    }

    #[test]
    fn every_mapping_target_is_in_the_table() {
        for (s, c, t) in TO_TERRITORIAL {
            assert!(LandUse::new(*s, c).is_ok(), "{s:?} {c}");
            assert!(LandUse::new(LandUseSystem::Territorial, t).is_ok(), "{t}");
        }
    }
}
