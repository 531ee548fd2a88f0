//! 行政区划代码, GB/T 2260: six digits, province (2) + prefecture (2) + county (2).

use crate::error::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};

/// A six-digit GB/T 2260 administrative division code (e.g. 411002 魏都区), or a statistical
/// code of the same shape (411071 许昌经济技术开发区).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "411002")]
pub struct AdminCode(pub(crate) String);

/// Province-level prefixes of GB/T 2260 (11 北京 … 82 澳门).
const PROVINCES: &[&str] = &[
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

impl AdminCode {
    /// Parses a code; the error names `field`.
    pub fn parse_field(s: &str, field: &str) -> DomainResult<Self> {
        let t = s.trim();
        if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::field(
                field,
                Some(s),
                "must be a six-digit GB/T 2260 administrative division code",
                "应为6位数字的行政区划代码（GB/T 2260）",
            ));
        }
        if !PROVINCES.contains(&&t[..2]) {
            return Err(DomainError::field(
                field,
                Some(s),
                format!("{} is not a province code of GB/T 2260", &t[..2]),
                format!("前两位“{}”不是 GB/T 2260 的省级代码", &t[..2]),
            ));
        }
        Ok(Self(t.to_owned()))
    }

    /// Parses a code for the field `jurisdiction`.
    pub fn parse(s: &str) -> DomainResult<Self> {
        Self::parse_field(s, "jurisdiction")
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The prefecture (市) this division belongs to, e.g. 411002 → 411000.
    pub fn prefecture(&self) -> AdminCode {
        AdminCode(format!("{}00", &self.0[..4]))
    }

    /// True when `other` lies within this division (a city contains its counties).
    pub fn contains(&self, other: &AdminCode) -> bool {
        let s = self.0.as_str();
        if s.ends_with("0000") {
            other.0.starts_with(&s[..2])
        } else if s.ends_with("00") {
            other.0.starts_with(&s[..4])
        } else {
            s == other.0
        }
    }
}

impl std::fmt::Display for AdminCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AdminCode {
    type Error = DomainError;
    fn try_from(s: String) -> DomainResult<Self> {
        Self::parse(&s)
    }
}

impl From<AdminCode> for String {
    fn from(c: AdminCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xuchang_codes() {
        let city = AdminCode::parse("411000").unwrap();
        let weidu = AdminCode::parse("411002").unwrap();
        assert!(city.contains(&weidu));
        assert!(!weidu.contains(&city));
        assert_eq!(weidu.prefecture(), city);
        assert!(
            AdminCode::parse("411071").is_ok(),
            "statistical codes have the same shape"
        );
        assert!(
            !AdminCode::parse("410000")
                .unwrap()
                .contains(&AdminCode::parse("420100").unwrap())
        );
    }

    #[test]
    fn bad_codes() {
        assert!(AdminCode::parse("41100").is_err());
        assert!(AdminCode::parse("41100A").is_err());
        let e = AdminCode::parse("991000").unwrap_err();
        assert_eq!(e.field_errors()[0].field, "jurisdiction");
    }
}
