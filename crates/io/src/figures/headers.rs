//! The header dictionary of department files: Chinese (and English) column names of 统一社会信用代码,
//! 年度, 税收, 产值, 用电量 and 从业人员, each with the unit written in the header
//! (`税收(万元)`, `用电量(万千瓦时)`), so values are converted exactly (Decimal) to 元, kWh, 人.

use crate::mapping::normalize_header;
use rust_decimal::Decimal;

/// What a column of a department file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FigureField {
    /// 统一社会信用代码.
    Uscc,
    /// 年度.
    Year,
    /// 税收 (to 元).
    Tax,
    /// 产值 (to 元).
    Output,
    /// 用电量 (to kWh).
    Electricity,
    /// 从业人员 (人).
    Employees,
    /// 企业名称: shown, not imported.
    Name,
}

impl FigureField {
    /// The field name used in problems (as in the API).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uscc => "uscc",
            Self::Year => "year",
            Self::Tax => "tax_yuan",
            Self::Output => "output_yuan",
            Self::Electricity => "electricity_kwh",
            Self::Employees => "employees",
            Self::Name => "name",
        }
    }
}

#[derive(Clone, Copy)]
enum Quantity {
    None,
    Money,
    Energy,
    People,
}

const NAMES: &[(FigureField, Quantity, &[&str])] = &[
    (
        FigureField::Uscc,
        Quantity::None,
        &[
            "统一社会信用代码",
            "社会信用代码",
            "信用代码",
            "纳税人识别号",
            "uscc",
            "creditcode",
        ],
    ),
    (
        FigureField::Year,
        Quantity::None,
        &["年度", "年份", "年", "所属年度", "统计年度", "year"],
    ),
    (
        FigureField::Tax,
        Quantity::Money,
        &[
            "税收",
            "实缴税金",
            "实缴税收",
            "实缴税费",
            "税收总额",
            "税收合计",
            "纳税总额",
            "tax",
            "tax_yuan",
        ],
    ),
    (
        FigureField::Output,
        Quantity::Money,
        &[
            "产值",
            "工业总产值",
            "总产值",
            "营业收入",
            "主营业务收入",
            "output",
            "output_yuan",
        ],
    ),
    (
        FigureField::Electricity,
        Quantity::Energy,
        &[
            "用电量",
            "用电",
            "总用电量",
            "年用电量",
            "electricity",
            "electricity_kwh",
        ],
    ),
    (
        FigureField::Employees,
        Quantity::People,
        &[
            "从业人员",
            "从业人数",
            "年末从业人员",
            "职工人数",
            "用工人数",
            "employees",
        ],
    ),
    (
        FigureField::Name,
        Quantity::None,
        &["企业名称", "名称", "纳税人名称", "单位名称", "name"],
    ),
];

/// A recognised column: its field and the factor to the stored unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The field.
    pub field: FigureField,
    /// Multiply a value by this to get 元, kWh or 人.
    pub scale: Decimal,
    /// True when the header names no unit and the base unit was assumed.
    pub unit_assumed: bool,
}

/// The scale of a unit for a quantity, `None` for a unit that does not fit.
fn scale(q: Quantity, unit: &str) -> Option<Decimal> {
    let one = Decimal::ONE;
    let wan = Decimal::from(10_000);
    match (q, unit) {
        (Quantity::Money, "元") => Some(one),
        (Quantity::Money, "万元") => Some(wan),
        (Quantity::Money, "亿元") => Some(Decimal::from(100_000_000)),
        (Quantity::Energy, "千瓦时" | "kwh" | "度" | "kw·h" | "kw.h") => Some(one),
        (Quantity::Energy, "万千瓦时" | "万kwh" | "万度") => Some(wan),
        (Quantity::People, "人") => Some(one),
        _ => None,
    }
}

/// Classifies a header: `None` for a column that is not a figure (kept out, noted),
/// `Err((en, zh))` for a figure whose unit is not understood.
pub fn classify(header: &str) -> Option<Result<Column, (String, String)>> {
    let h = normalize_header(header);
    let (base, unit) = match (h.find('('), h.ends_with(')')) {
        (Some(i), true) => (&h[..i], Some(&h[i + 1..h.len() - 1])),
        _ => (h.as_str(), None),
    };
    let (field, q) = NAMES
        .iter()
        .find(|(_, _, names)| names.contains(&base))
        .map(|(f, q, _)| (*f, *q))?;
    let col = |scale: Decimal, unit_assumed: bool| Column {
        field,
        scale,
        unit_assumed,
    };
    Some(match (q, unit) {
        (Quantity::None, _) => Ok(col(Decimal::ONE, false)),
        (_, None) => Ok(col(Decimal::ONE, !matches!(q, Quantity::People))),
        (q, Some(u)) => scale(q, u).map(|s| col(s, false)).ok_or_else(|| {
            (
                format!("unit `{u}` of column `{header}` is not understood"),
                format!("无法识别列“{header}”的单位“{u}”"),
            )
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_from_headers() {
        let c = classify("税收（万元）").and_then(Result::ok);
        assert_eq!(
            c.map(|c| (c.field, c.scale)),
            Some((FigureField::Tax, Decimal::from(10_000)))
        );
        let c = classify("用电量(万千瓦时)").and_then(Result::ok);
        assert_eq!(c.map(|c| c.scale), Some(Decimal::from(10_000)));
        assert!(
            classify("实缴税金")
                .and_then(Result::ok)
                .is_some_and(|c| c.unit_assumed)
        );
        assert!(classify("产值(斤)").is_some_and(|r| r.is_err()));
        assert!(classify("备注").is_none());
        assert_eq!(
            classify("年份").and_then(Result::ok).map(|c| c.field),
            Some(FigureField::Year)
        );
    }
}
