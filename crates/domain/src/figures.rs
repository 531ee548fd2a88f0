//! 企业年度经济数据: the yearly figures departments report per enterprise (亩均效益评价 inputs).

use crate::codes::Uscc;
use crate::error::{DomainError, DomainResult, Errors, FieldError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One enterprise's figures for one year, keyed by 统一社会信用代码: 税收 (tax paid, from the
/// tax bureau), 产值 (output, from statistics), 用电 (electricity use, from the grid company)
/// and 从业人员 (employees). Department data: each figure may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualFigures {
    /// 统一社会信用代码 of the enterprise.
    pub uscc: Uscc,
    /// Calendar year the figures cover.
    pub year: i16,
    /// 实缴税收 in 元.
    pub tax_yuan: Decimal,
    /// 工业总产值 / 营业收入 in 元, when reported.
    pub output_yuan: Option<Decimal>,
    /// 用电量 in kWh, when reported.
    pub electricity_kwh: Option<Decimal>,
    /// 年末从业人员, when reported.
    pub employees: Option<u32>,
}

impl AnnualFigures {
    /// Validates figures given as raw fields: the code must verify, the year lie in 1949–2100,
    /// and no amount be negative. Every problem is reported, each naming its field.
    pub fn new(
        uscc: &str,
        year: i16,
        tax_yuan: Decimal,
        output_yuan: Option<Decimal>,
        electricity_kwh: Option<Decimal>,
        employees: Option<u32>,
    ) -> DomainResult<Self> {
        let mut errs = Errors::new();
        let uscc = errs.take(Uscc::parse(uscc));
        if !(1949..=2100).contains(&year) {
            errs.push(FieldError::new(
                "year",
                Some(&year.to_string()),
                "must be between 1949 and 2100",
                "年份应在1949—2100之间",
            ));
        }
        let amounts = [
            ("tax_yuan", "税收", Some(tax_yuan)),
            ("output_yuan", "产值", output_yuan),
            ("electricity_kwh", "用电量", electricity_kwh),
        ];
        for (field, name_zh, value) in amounts {
            if let Some(v) = value
                && v < Decimal::ZERO
            {
                errs.push(FieldError::new(
                    field,
                    Some(&v.to_string()),
                    "must not be negative",
                    format!("{name_zh}不能为负数"),
                ));
            }
        }
        errs.finish()?;
        Ok(Self {
            uscc: uscc.ok_or_else(|| DomainError::field("uscc", None, "missing", "缺失"))?,
            year,
            tax_yuan,
            output_yuan,
            electricity_kwh,
            employees,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_figures() {
        let f = AnnualFigures::new(
            "914403001922038216",
            2024,
            Decimal::from(1_500_000),
            Some(Decimal::from(30_000_000)),
            Some(Decimal::from(2_000_000)),
            Some(120),
        )
        .unwrap();
        assert_eq!(f.uscc.as_str(), "914403001922038216");
        assert_eq!(f.year, 2024);
        let none = AnnualFigures::new("914403001922038216", 2019, Decimal::ZERO, None, None, None);
        assert!(none.is_ok(), "zero tax and missing figures are allowed");
    }

    #[test]
    fn negatives_are_named() {
        let e = AnnualFigures::new(
            "914403001922038217",
            1900,
            Decimal::from(-1),
            Some(Decimal::from(-2)),
            Some(Decimal::from(-3)),
            None,
        )
        .unwrap_err();
        let fields: Vec<_> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["uscc", "year", "tax_yuan", "output_yuan", "electricity_kwh"]
        );
        assert!(e.field_errors()[2].reason_zh.contains("税收"));
    }

    #[test]
    fn serde_round_trip() {
        let f = AnnualFigures::new(
            "914403001922038216",
            2025,
            Decimal::new(12345, 2),
            None,
            None,
            Some(3),
        )
        .unwrap();
        let j = serde_json::to_string(&f).unwrap();
        let back: AnnualFigures = serde_json::from_str(&j).unwrap();
        assert_eq!(back, f);
    }
}
