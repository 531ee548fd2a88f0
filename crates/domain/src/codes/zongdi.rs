//! 宗地代码 (parcel code), GB/T 37346-2019: 19 characters.
//!
//! | chars | field |
//! |---|---|
//! | 1–6 | 县级行政区划代码 (GB/T 2260) |
//! | 7–9 | 地籍区 001–999 |
//! | 10–12 | 地籍子区 001–999 |
//! | 13 | 所有权类型 G / J / Z |
//! | 14 | 宗地类型 A B S X C D E F H G W Y |
//! | 15–19 | 宗地顺序号 00001–99999 |
//!
//! A 28-character 不动产单元代码 (the 19 above + 9 for the fixture) is accepted and cut to its
//! parcel part by [`ZongdiCode::parse_unit`].

use crate::codes::AdminCode;
use crate::error::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};

/// 宗地特征码 ①: who owns the land.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OwnershipType {
    /// G 国家土地所有权 (state-owned).
    State,
    /// J 集体土地所有权 (collective).
    Collective,
    /// Z 争议/未确权 (disputed or undetermined).
    Disputed,
}

/// 宗地特征码 ②: the kind of right of the parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParcelType {
    /// A 集体土地所有权宗地.
    CollectiveOwnership,
    /// B 建设用地使用权宗地(地表) — the normal case for industrial parcels.
    ConstructionSurface,
    /// S 建设用地使用权宗地(地上).
    ConstructionAbove,
    /// X 建设用地使用权宗地(地下).
    ConstructionBelow,
    /// C 宅基地使用权宗地.
    Homestead,
    /// D 土地承包经营权宗地(耕地).
    ContractCropland,
    /// E 土地承包经营权宗地(林地).
    ContractForest,
    /// F 土地承包经营权宗地(草地).
    ContractGrassland,
    /// H 海域使用权宗海.
    SeaArea,
    /// G 无居民海岛使用权.
    Island,
    /// W 使用权未确定或有争议.
    Undetermined,
    /// Y 其他使用权.
    Other,
}

/// A structurally valid 19-character 宗地代码.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "411003001002GB00123")]
pub struct ZongdiCode(String);

fn bad(s: &str, en: String, zh: String) -> DomainError {
    DomainError::field("code", Some(s), en, zh)
}

fn digits_in_range(
    s: &str,
    part: &str,
    name_en: &str,
    name_zh: &str,
    pos: usize,
) -> DomainResult<()> {
    if !part.bytes().all(|b| b.is_ascii_digit()) || part.bytes().all(|b| b == b'0') {
        let (a, b) = (pos + 1, pos + part.len());
        return Err(bad(
            s,
            format!("characters {a}–{b} ({name_en}) must be digits and not all zero, got {part:?}"),
            format!("第{a}—{b}位（{name_zh}）应为非全零的数字，实际为“{part}”"),
        ));
    }
    Ok(())
}

impl ZongdiCode {
    /// Parses a 19-character 宗地代码 (spaces are ignored, letters upper-cased). The error names
    /// the field `code` and the position of the first wrong part.
    pub fn parse(s: &str) -> DomainResult<Self> {
        let code: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let n = code.chars().count();
        if n != 19 || !code.is_ascii() {
            return Err(bad(
                s,
                format!("宗地代码 must be 19 characters (GB/T 37346-2019), got {n}"),
                format!("宗地代码应为19位（GB/T 37346-2019），实际为{n}位"),
            ));
        }
        AdminCode::parse_field(&code[..6], "code").map_err(|_| {
            bad(
                s,
                format!(
                    "characters 1–6 must be a GB/T 2260 county code, got {:?}",
                    &code[..6]
                ),
                format!("第1—6位应为县级行政区划代码，实际为“{}”", &code[..6]),
            )
        })?;
        digits_in_range(s, &code[6..9], "cadastral district 地籍区", "地籍区", 6)?;
        digits_in_range(
            s,
            &code[9..12],
            "cadastral sub-district 地籍子区",
            "地籍子区",
            9,
        )?;
        let own = code.as_bytes()[12];
        if Self::ownership_of(own).is_none() {
            return Err(bad(
                s,
                format!(
                    "character 13 (ownership) must be G, J or Z, got {:?}",
                    char::from(own)
                ),
                format!(
                    "第13位（所有权类型）应为 G、J 或 Z，实际为“{}”",
                    char::from(own)
                ),
            ));
        }
        let kind = code.as_bytes()[13];
        if Self::type_of(kind).is_none() {
            return Err(bad(
                s,
                format!(
                    "character 14 (parcel type) must be one of ABSXCDEFHGWY, got {:?}",
                    char::from(kind)
                ),
                format!(
                    "第14位（宗地类型）应为 ABSXCDEFHGWY 之一，实际为“{}”",
                    char::from(kind)
                ),
            ));
        }
        digits_in_range(
            s,
            &code[14..19],
            "sequence number 宗地顺序号",
            "宗地顺序号",
            14,
        )?;
        Ok(Self(code))
    }

    /// Parses a 28-character 不动产单元代码 and returns its 宗地代码 part; a 19-character input is
    /// parsed as a 宗地代码.
    pub fn parse_unit(s: &str) -> DomainResult<Self> {
        let code: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if code.len() != 28 || !code.is_ascii() {
            return Self::parse(s);
        }
        let fixture = &code[19..];
        let ok = match fixture.as_bytes()[0] {
            b'F' | b'L' | b'Q' => fixture[1..].bytes().all(|b| b.is_ascii_digit()),
            b'W' => &fixture[1..] == "00000000",
            _ => false,
        };
        if !ok {
            return Err(bad(
                s,
                format!(
                    "characters 20–28 (fixture 定着物单元) must be F/L/Q + 8 digits or W00000000, got {fixture:?}"
                ),
                format!(
                    "第20—28位（定着物单元代码）应为 F/L/Q 加8位数字或 W00000000，实际为“{fixture}”"
                ),
            ));
        }
        Self::parse(&code[..19])
    }

    fn ownership_of(b: u8) -> Option<OwnershipType> {
        Some(match b {
            b'G' => OwnershipType::State,
            b'J' => OwnershipType::Collective,
            b'Z' => OwnershipType::Disputed,
            _ => return None,
        })
    }

    fn type_of(b: u8) -> Option<ParcelType> {
        use ParcelType::*;
        Some(match b {
            b'A' => CollectiveOwnership,
            b'B' => ConstructionSurface,
            b'S' => ConstructionAbove,
            b'X' => ConstructionBelow,
            b'C' => Homestead,
            b'D' => ContractCropland,
            b'E' => ContractForest,
            b'F' => ContractGrassland,
            b'H' => SeaArea,
            b'G' => Island,
            b'W' => Undetermined,
            b'Y' => Other,
            _ => return None,
        })
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The county (chars 1–6).
    pub fn county(&self) -> AdminCode {
        AdminCode(self.0[..6].to_owned())
    }
    /// 所有权类型.
    pub fn ownership(&self) -> OwnershipType {
        Self::ownership_of(self.0.as_bytes()[12]).unwrap_or(OwnershipType::Disputed)
    }
    /// 宗地类型.
    pub fn parcel_type(&self) -> ParcelType {
        Self::type_of(self.0.as_bytes()[13]).unwrap_or(ParcelType::Other)
    }
    /// 地籍区 + 地籍子区 (chars 7–12).
    pub fn cadastral_zone(&self) -> &str {
        &self.0[6..12]
    }
    /// 宗地顺序号 (chars 15–19).
    pub fn sequence(&self) -> u32 {
        self.0[14..].parse().unwrap_or(0)
    }

    /// Builds a code from its parts (used by generators and splits); validated like `parse`.
    pub fn from_parts(
        county: &AdminCode,
        district: u16,
        sub: u16,
        own: char,
        kind: char,
        seq: u32,
    ) -> DomainResult<Self> {
        Self::parse(&format!("{county}{district:03}{sub:03}{own}{kind}{seq:05}"))
    }
}

impl std::fmt::Display for ZongdiCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ZongdiCode {
    type Error = DomainError;
    fn try_from(s: String) -> DomainResult<Self> {
        Self::parse(&s)
    }
}

impl From<ZongdiCode> for String {
    fn from(c: ZongdiCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_codes() {
        let c = ZongdiCode::parse("411003 001 002 GB 00123").unwrap();
        assert_eq!(c.as_str(), "411003001002GB00123");
        assert_eq!(c.county().as_str(), "411003");
        assert_eq!(c.ownership(), OwnershipType::State);
        assert_eq!(c.parcel_type(), ParcelType::ConstructionSurface);
        assert_eq!(c.sequence(), 123);
        assert_eq!(c.cadastral_zone(), "001002");
        assert!(ZongdiCode::parse("411002005003JA99999").is_ok());
    }

    #[test]
    fn unit_code_28() {
        let c = ZongdiCode::parse_unit("411003001002GB00123W00000000").unwrap();
        assert_eq!(c.as_str(), "411003001002GB00123");
        assert!(ZongdiCode::parse_unit("411003001002GB00123F00010002").is_ok());
        assert!(ZongdiCode::parse_unit("411003001002GB00123W00000001").is_err());
        assert!(ZongdiCode::parse_unit("411003001002GB00123K00000000").is_err());
    }

    #[test]
    fn each_wrong_part_is_named() {
        let cases = [
            ("411003001002GB0012", "19"),
            ("991003001002GB00123", "1–6"),
            ("411003000002GB00123", "7–9"),
            ("411003001000GB00123", "10–12"),
            ("411003001002QB00123", "13"),
            ("411003001002GK00123", "14"),
            ("411003001002GB00000", "15–19"),
            ("411003001002GB0012A", "15–19"),
        ];
        for (code, part) in cases {
            let e = ZongdiCode::parse(code).unwrap_err();
            let f = &e.field_errors()[0];
            assert_eq!(f.field, "code");
            assert!(f.reason.contains(part), "{code}: {}", f.reason);
        }
    }

    #[test]
    fn from_parts_round_trips() {
        let county = AdminCode::parse("411082").unwrap();
        let c = ZongdiCode::from_parts(&county, 3, 12, 'G', 'B', 42).unwrap();
        assert_eq!(c.as_str(), "411082003012GB00042");
    }

    proptest! {
        #[test]
        fn generated_codes_parse(d in 1u16..=999, s in 1u16..=999, q in 1u32..=99_999, own in "[GJZ]", kind in "[ABSXCDEFHGWY]") {
            let county = AdminCode::parse("411002").unwrap();
            let c = ZongdiCode::from_parts(&county, d, s, own.chars().next().unwrap(), kind.chars().next().unwrap(), q);
            prop_assert!(c.is_ok());
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = ZongdiCode::parse(&s);
            let _ = ZongdiCode::parse_unit(&s);
        }
    }
}
