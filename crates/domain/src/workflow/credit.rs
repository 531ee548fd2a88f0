//! 企业信用记录 — the entries a breach leaves in the enterprise's record (§4.3 option (c):
//! "credit record, restrictions on new land"). An entry is written with the penalty statement
//! that caused it, never edited: a later payment or rectification is a new entry.

use super::penalty::PenaltyStatement;
use crate::units::Yuan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The kind of a credit entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreditKind {
    /// 履约违约: a checkpoint missed or an agreed indicator not met.
    ContractBreach,
    /// 违约金已缴清: the statement a breach cost was paid in full (a new entry; the breach's
    /// entry stays as written).
    PenaltyPaid,
}

impl CreditKind {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::ContractBreach => "土地出让合同或履约监管协议违约",
            Self::PenaltyPaid => "违约金已缴清",
        }
    }
}

/// One entry of an enterprise's credit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CreditRecord {
    /// Entry id.
    pub id: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// Kind.
    pub kind: CreditKind,
    /// Day of the breach (the checkpoint's day).
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// 合同编号 the breach is under.
    pub contract_no: String,
    /// The penalty statement id it comes with.
    pub penalty_id: String,
    /// Amount due (元).
    #[schema(value_type = String)]
    pub amount: Yuan,
    /// What happened, in Chinese, with the computed lines.
    pub detail_zh: String,
}

impl CreditRecord {
    /// The entry for a penalty statement raised at checkpoint `label_zh` on `on`.
    pub fn for_penalty(
        id: &str,
        uscc: &str,
        penalty_id: &str,
        statement: &PenaltyStatement,
        label_zh: &str,
        on: Date,
    ) -> Self {
        let lines: Vec<String> = statement
            .lines
            .iter()
            .map(|l| format!("{}{}元", l.kind.label_zh(), l.amount.0))
            .collect();
        Self {
            id: id.into(),
            uscc: uscc.into(),
            kind: CreditKind::ContractBreach,
            on,
            contract_no: statement.contract_no.clone(),
            penalty_id: penalty_id.into(),
            amount: statement.total,
            detail_zh: format!("{label_zh}违约：{}", lines.join("；")),
        }
    }

    /// The entry recording that `statement` was paid in full on `on` (receipts named).
    pub fn for_settlement(
        id: &str,
        uscc: &str,
        penalty_id: &str,
        statement: &PenaltyStatement,
        on: Date,
    ) -> Self {
        let receipts: Vec<&str> = statement
            .payments
            .iter()
            .map(|p| p.receipt.as_str())
            .collect();
        Self {
            id: id.into(),
            uscc: uscc.into(),
            kind: CreditKind::PenaltyPaid,
            on,
            contract_no: statement.contract_no.clone(),
            penalty_id: penalty_id.into(),
            amount: statement.total,
            detail_zh: format!(
                "违约金{}元已缴清（缴款凭证：{}）",
                statement.total.0,
                receipts.join("、")
            ),
        }
    }
}
