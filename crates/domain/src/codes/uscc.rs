//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! 18 characters: 登记管理部门码 (1), 机构类别码 (1), 登记管理机关行政区划码 (6),
//! 主体标识码 (9, the GB 11714 organisation code), 校验码 (1). The check character is
//! `31 − (Σ value(cᵢ)·wᵢ mod 31)` over the first 17, mapped back through the 31-character
//! alphabet (I, O, Z, S, V are not used); a result of 31 is `0`.

use crate::error::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character GB 32100-2015 computes for the first 17 characters, or `None` when one
/// of them is outside the code's alphabet.
pub fn uscc_check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in b.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(char::from(ALPHABET[check as usize]))
}

/// A verified 统一社会信用代码, the key of an enterprise (用地单位).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "91411000MA9F0FJ12X")]
pub struct Uscc(String);

impl Uscc {
    /// Parses and verifies a code. Lower-case letters are accepted and upper-cased; surrounding
    /// spaces are trimmed. The error names the field `uscc`, the position of a bad character,
    /// or the expected check character.
    pub fn parse(s: &str) -> DomainResult<Self> {
        let field = "uscc";
        let code = s.trim().to_ascii_uppercase();
        let err = |en: String, zh: String| DomainError::field(field, Some(s), en, zh);
        let n = code.chars().count();
        if n != 18 {
            return Err(err(
                format!("must be 18 characters, got {n}"),
                format!("统一社会信用代码应为18位，实际为{n}位"),
            ));
        }
        for (i, c) in code.bytes().enumerate() {
            if value_of(c).is_none() {
                return Err(err(
                    format!(
                        "character {} ({:?}) is not allowed (digits and letters except I, O, Z, S, V)",
                        i + 1,
                        char::from(c)
                    ),
                    format!(
                        "第{}位字符“{}”不合法（不得使用 I、O、Z、S、V）",
                        i + 1,
                        char::from(c)
                    ),
                ));
            }
        }
        if !code.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return Err(err(
                "characters 3–8 must be the six-digit administrative division code".into(),
                "第3—8位应为6位数字的登记管理机关行政区划码".into(),
            ));
        }
        let expected = uscc_check_char(&code[..17]).unwrap_or('?');
        let actual = char::from(code.as_bytes()[17]);
        if expected != actual {
            return Err(err(
                format!("check character is {actual:?}, expected {expected:?} (GB 32100-2015)"),
                format!("校验码错误：应为“{expected}”，实际为“{actual}”（GB 32100-2015）"),
            ));
        }
        Ok(Self(code))
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit administrative division of the registering authority.
    pub fn admin_division(&self) -> &str {
        &self.0[2..8]
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Uscc {
    type Error = DomainError;
    fn try_from(s: String) -> DomainResult<Self> {
        Self::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(u: Uscc) -> String {
        u.0
    }
}

impl std::str::FromStr for Uscc {
    type Err = DomainError;
    fn from_str(s: &str) -> DomainResult<Self> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Codes of real, publicly registered enterprises (from their public business licences).
    const REAL: &[&str] = &[
        "914403001922038216", // 华为技术有限公司
        "91440300708461136T", // 深圳市腾讯计算机系统有限公司
        "91330100799655058B", // 阿里巴巴(中国)有限公司
        "91350100M000100Y43", // the standard's worked example
    ];

    #[test]
    fn real_codes_pass() {
        for c in REAL {
            assert!(
                Uscc::parse(c).is_ok(),
                "{c} should be valid: {:?}",
                Uscc::parse(c)
            );
        }
    }

    #[test]
    fn every_single_character_change_fails() {
        for code in REAL {
            for i in 0..18 {
                for &a in ALPHABET {
                    let mut b = code.as_bytes().to_vec();
                    if b[i] == a {
                        continue;
                    }
                    b[i] = a;
                    let changed = String::from_utf8(b).unwrap();
                    assert!(
                        Uscc::parse(&changed).is_err(),
                        "{changed} (position {i}) must fail"
                    );
                }
            }
        }
    }

    #[test]
    fn wrong_check_names_expected_character() {
        let e = Uscc::parse("914403001922038217").unwrap_err();
        let f = &e.field_errors()[0];
        assert_eq!(f.field, "uscc");
        assert!(f.reason.contains("expected '6'"), "{}", f.reason);
        assert!(f.reason_zh.contains("应为“6”"), "{}", f.reason_zh);
    }

    #[test]
    fn wrong_length_and_alphabet() {
        assert!(
            Uscc::parse("91440300708461136")
                .unwrap_err()
                .to_string()
                .contains("18")
        );
        let e = Uscc::parse("91440300708461136I").unwrap_err();
        assert!(e.field_errors()[0].reason.contains("character 18"), "{e}");
    }

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(
            Uscc::parse(" 91440300708461136t ").unwrap().as_str(),
            "91440300708461136T"
        );
    }

    proptest! {
        #[test]
        fn computed_check_char_always_validates(body in "[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}") {
            let c = uscc_check_char(&body).unwrap();
            let code = format!("{body}{c}");
            prop_assert!(Uscc::parse(&code).is_ok());
        }

        #[test]
        fn never_panics(s in "\\PC{0,24}") {
            let _ = Uscc::parse(&s);
        }
    }
}
