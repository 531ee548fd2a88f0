//! 用地单位 / 企业: the land user, keyed by its 统一社会信用代码.

use crate::codes::Uscc;
use crate::error::{DomainResult, Errors, FieldError};
use crate::park::ParkId;
use serde::{Deserialize, Serialize};

/// An enterprise (企业).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Enterprise {
    /// 统一社会信用代码.
    pub uscc: Uscc,
    /// Registered name (企业名称).
    pub name: String,
    /// GB/T 4754-2017 industry code (国民经济行业分类), e.g. `C3821`.
    pub industry_code: Option<String>,
    /// 规上 (above designated size) or 规下.
    pub above_scale: bool,
    /// The park it is registered in.
    #[schema(value_type = Option<String>)]
    pub park_id: Option<ParkId>,
    /// Registered address.
    pub address: Option<String>,
}

impl Enterprise {
    /// Validates an enterprise given as raw fields.
    pub fn new(
        uscc: &str,
        name: &str,
        industry_code: Option<&str>,
        above_scale: bool,
        park_id: Option<&str>,
        address: Option<&str>,
    ) -> DomainResult<Self> {
        let mut errs = Errors::new();
        let uscc = errs.take(Uscc::parse(uscc));
        if name.trim().is_empty() {
            errs.push(FieldError::new(
                "name",
                Some(name),
                "must not be empty",
                "企业名称不能为空",
            ));
        }
        let industry_code = industry_code
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_uppercase);
        if let Some(c) = &industry_code {
            // A section letter followed by 2–4 digits (division, group, class).
            let ok = c.len() >= 3
                && c.len() <= 5
                && c.as_bytes()[0].is_ascii_uppercase()
                && c[1..].bytes().all(|b| b.is_ascii_digit());
            if !ok {
                errs.push(FieldError::new(
                    "industry_code",
                    Some(c),
                    "must be a GB/T 4754-2017 code such as C3821",
                    "行业代码应符合 GB/T 4754-2017，如 C3821",
                ));
            }
        }
        let park_id = match park_id {
            Some(p) => errs.take(ParkId::parse(p)),
            None => None,
        };
        errs.finish()?;
        Ok(Self {
            uscc: uscc.ok_or_else(|| crate::DomainError::field("uscc", None, "missing", "缺失"))?,
            name: name.trim().to_owned(),
            industry_code,
            above_scale,
            park_id,
            address: address.map(str::to_owned),
        })
    }

    /// True for industrial enterprises: GB/T 4754 divisions 06–46 (§7.5).
    pub fn is_industrial(&self) -> bool {
        self.industry_code
            .as_deref()
            .and_then(|c| c.get(1..3))
            .and_then(|d| d.parse::<u8>().ok())
            .is_some_and(|d| (6..=46).contains(&d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_validates() {
        let e = Enterprise::new(
            "914403001922038216",
            "华为技术有限公司",
            Some("c3921"),
            true,
            None,
            None,
        )
        .unwrap();
        assert_eq!(e.industry_code.as_deref(), Some("C3921"));
        assert!(e.is_industrial());
        let err =
            Enterprise::new("914403001922038210", "", Some("x"), false, None, None).unwrap_err();
        let fields: Vec<_> = err
            .field_errors()
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, ["uscc", "name", "industry_code"]);
    }

    #[test]
    fn industrial_divisions() {
        let mk = |c: &str| {
            Enterprise::new("914403001922038216", "x", Some(c), true, None, None).unwrap()
        };
        assert!(mk("B0610").is_industrial());
        assert!(mk("D4411").is_industrial());
        assert!(!mk("F5110").is_industrial());
    }
}
