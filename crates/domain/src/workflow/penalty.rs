//! 违约金计算 (§4.3 formulas, VERIFIED structure, configurable rates):
//!
//! ```text
//! late_start      = price × r_start‰ × days_late          late_completion = price × r‰ × days_late
//! investment      = price × (contract − actual) / contract (if short)
//! far             = price × (far_min − actual) / far_min   (if short)   → max-of or sum-of
//! tax_gap         = Σ_years max(0, target − actual 亩均税收) × area_亩 × 10 000, capped at price
//! ```
//!
//! Amounts are exact decimals rounded to the fen once, at the end of each line.

use super::contract::{Combine, GrantContract};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::units::Yuan;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The kind of a penalty line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    /// 延期动工.
    LateStart,
    /// 延期竣工.
    LateCompletion,
    /// 投资不足.
    InvestmentShortfall,
    /// 容积率不足.
    FarShortfall,
    /// 税收差额补偿.
    TaxGap,
}

impl PenaltyKind {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::LateStart => "延期动工违约金",
            Self::LateCompletion => "延期竣工违约金",
            Self::InvestmentShortfall => "投资强度不足违约金",
            Self::FarShortfall => "容积率不足违约金",
            Self::TaxGap => "亩均税收差额补偿",
        }
    }
}

/// One line of a penalty statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PenaltyLine {
    /// Kind.
    pub kind: PenaltyKind,
    /// How it was computed, in Chinese, with the values.
    pub basis_zh: String,
    /// Amount, to the fen.
    #[schema(value_type = String)]
    pub amount: Yuan,
    /// True when a cap reduced it.
    pub capped: bool,
}

/// Days from `due` to `actual` (0 when on time). The due day itself is not late.
pub fn days_late(due: Date, actual: Date) -> DomainResult<i64> {
    if actual <= due {
        return Ok(0);
    }
    let span = due.until((jiff::Unit::Day, actual)).map_err(|e| {
        DomainError::field(
            "actual",
            Some(&actual.to_string()),
            e.to_string(),
            "日期计算失败",
        )
    })?;
    Ok(i64::from(span.get_days()))
}

fn per_day(
    kind: PenaltyKind,
    c: &GrantContract,
    rate: Decimal,
    due: Date,
    actual: Date,
) -> DomainResult<Option<PenaltyLine>> {
    c.penalties.validate()?;
    let days = days_late(due, actual)?;
    if days == 0 {
        return Ok(None);
    }
    let amount = (c.price.0 * rate / Decimal::from(1000) * Decimal::from(days)).round_dp(2);
    Ok(Some(PenaltyLine {
        kind,
        basis_zh: format!(
            "出让价款{}元 × 千分之{rate}/日 × {days}日（约定{due}，实际{actual}）",
            c.price.0
        ),
        amount: Yuan(amount),
        capped: false,
    }))
}

/// 延期动工违约金: `actual` is the day 动工 was achieved (§1.2 definition).
pub fn late_start(c: &GrantContract, actual: Date) -> DomainResult<Option<PenaltyLine>> {
    per_day(
        PenaltyKind::LateStart,
        c,
        c.penalties.late_start_per_mille,
        c.start_deadline,
        actual,
    )
}

/// 延期竣工违约金: `actual` is the day of 竣工验收备案.
pub fn late_completion(c: &GrantContract, actual: Date) -> DomainResult<Option<PenaltyLine>> {
    per_day(
        PenaltyKind::LateCompletion,
        c,
        c.penalties.late_completion_per_mille,
        c.completion_deadline,
        actual,
    )
}

fn shortfall(
    kind: PenaltyKind,
    price: Decimal,
    agreed: Decimal,
    actual: Decimal,
    what: &str,
) -> Option<PenaltyLine> {
    (actual < agreed && agreed > Decimal::ZERO).then(|| {
        let ratio = (agreed - actual) / agreed;
        PenaltyLine {
            kind,
            basis_zh: format!(
                "出让价款{price}元 × （约定{what}{agreed} − 实际{actual}）÷ {agreed}"
            ),
            amount: Yuan((price * ratio).round_dp(2)),
            capped: false,
        }
    })
}

/// 对标验收 shortfalls: investment and 容积率 below the contract, combined per the clauses
/// (max-of keeps only the larger line).
pub fn conformity_shortfalls(
    c: &GrantContract,
    actual_investment: Yuan,
    actual_far: Decimal,
) -> Vec<PenaltyLine> {
    let inv = shortfall(
        PenaltyKind::InvestmentShortfall,
        c.price.0,
        c.total_investment.0,
        actual_investment.0,
        "固定资产总投资",
    );
    let far = shortfall(
        PenaltyKind::FarShortfall,
        c.price.0,
        c.far_min,
        actual_far,
        "容积率",
    );
    match (c.penalties.shortfall_combine, inv, far) {
        (Combine::MaxOf, Some(a), Some(b)) => vec![if a.amount >= b.amount { a } else { b }],
        (_, a, b) => a.into_iter().chain(b).collect(),
    }
}

/// 达产复核 tax gap: for each year, the 亩均税收 shortfall (万元/亩) × area in 亩, in 元;
/// capped at the land price when the clauses say so.
pub fn tax_gap(
    c: &GrantContract,
    target_wan_per_mu: Decimal,
    actual_by_year: &[(i16, Decimal)],
) -> DomainResult<Option<PenaltyLine>> {
    if target_wan_per_mu <= Decimal::ZERO {
        return Err(DomainError::field(
            "target",
            Some(&target_wan_per_mu.to_string()),
            "the 亩均税收 target must be positive",
            "亩均税收目标须为正数",
        ));
    }
    let mu = c.area_m2.to_mu().0;
    let mut total = Decimal::ZERO;
    let mut parts = Vec::new();
    for (year, actual) in actual_by_year {
        let gap = (target_wan_per_mu - *actual).max(Decimal::ZERO);
        if gap > Decimal::ZERO {
            total += gap * mu * Decimal::from(10_000);
            parts.push(format!("{year}年差{gap}万元/亩"));
        }
    }
    if total.is_zero() {
        return Ok(None);
    }
    let total = total.round_dp(2);
    let capped = c.penalties.tax_gap_capped_at_price && total > c.price.0;
    Ok(Some(PenaltyLine {
        kind: PenaltyKind::TaxGap,
        basis_zh: format!(
            "{} × {}亩 × 10000 = {total}元{}",
            parts.join("、"),
            c.area_m2.to_mu().display(),
            if capped {
                format!("，以出让价款{}元为上限", c.price.0)
            } else {
                String::new()
            }
        ),
        amount: Yuan(if capped { c.price.0 } else { total }),
        capped,
    }))
}

/// A penalty statement (违约金清单) of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PenaltyStatement {
    /// Contract.
    pub contract_no: String,
    /// Lines.
    pub lines: Vec<PenaltyLine>,
    /// Total.
    #[schema(value_type = String)]
    pub total: Yuan,
    /// Payments received, oldest first.
    #[serde(default)]
    pub payments: Vec<Payment>,
}

/// A payment of a penalty statement (缴纳违约金), as the receipt shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Payment {
    /// Amount paid, 元.
    #[schema(value_type = String)]
    pub amount: Yuan,
    /// Day paid.
    #[schema(value_type = String, format = Date)]
    pub paid_on: Date,
    /// Receipt number (缴款凭证号) or the sha256 of the uploaded receipt.
    pub receipt: String,
    /// Who recorded it.
    pub recorded_by: String,
}

impl PenaltyStatement {
    /// A statement of `lines`.
    pub fn new(contract_no: &str, lines: Vec<PenaltyLine>) -> Self {
        let total = Yuan(lines.iter().map(|l| l.amount.0).sum());
        Self {
            contract_no: contract_no.into(),
            lines,
            total,
            payments: Vec::new(),
        }
    }

    /// What is still owed.
    pub fn outstanding(&self) -> Yuan {
        Yuan(self.total.0 - self.payments.iter().map(|p| p.amount.0).sum::<Decimal>())
    }

    /// True when nothing is owed any more: an open obligation no longer.
    pub fn is_paid(&self) -> bool {
        self.outstanding().0 <= Decimal::ZERO
    }

    /// Records a payment: a positive amount to the fen, not more than is owed, with a receipt,
    /// not dated before an earlier payment. Returns the status to store (`paid` once nothing
    /// is owed, else `partially_paid`).
    pub fn record_payment(&mut self, p: Payment) -> DomainResult<&'static str> {
        let mut errs = Vec::new();
        let owed = self.outstanding().0;
        if owed <= Decimal::ZERO {
            return Err(DomainError::field(
                "amount",
                Some(&p.amount.0.to_string()),
                "the statement is paid already",
                "该违约金已缴清",
            ));
        }
        if p.amount.0 <= Decimal::ZERO || p.amount.0.normalize().scale() > 2 {
            errs.push(FieldError::new(
                "amount",
                Some(&p.amount.0.to_string()),
                "a positive amount in 元, to the fen",
                "缴纳金额须为正数，精确到分",
            ));
        } else if p.amount.0 > owed {
            errs.push(FieldError::new(
                "amount",
                Some(&p.amount.0.to_string()),
                format!("more than the {owed} 元 still owed"),
                format!("超过尚欠金额{owed}元"),
            ));
        }
        if p.receipt.trim().is_empty() {
            errs.push(FieldError::new(
                "receipt",
                Some(""),
                "the receipt number or the uploaded receipt's sha256",
                "请填写缴款凭证号或上传凭证",
            ));
        }
        if let Some(last) = self.payments.last()
            && p.paid_on < last.paid_on
        {
            errs.push(FieldError::new(
                "paid_on",
                Some(&p.paid_on.to_string()),
                format!("before the previous payment of {}", last.paid_on),
                format!("早于上一笔缴款日期{}", last.paid_on),
            ));
        }
        if !errs.is_empty() {
            return Err(DomainError::Invalid(errs));
        }
        self.payments.push(p);
        Ok(if self.is_paid() {
            "paid"
        } else {
            "partially_paid"
        })
    }
}
