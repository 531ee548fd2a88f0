//! 出让合同 and 履约监管协议 (§8.2): the contract terms the supervision reads, the penalty
//! clauses with their rates (§4.3), and the checkpoint timeline generated from them (§4.3
//! table; the legal date module computes every date, §7.6).

use super::standard_land::{CheckStage, Indicator};
use super::supply_scheme::SupplyScheme;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::parcel::ParcelId;
use crate::rules::dates::{add_months, add_years};
use crate::units::{AreaM2, Yuan};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How several proportional shortfalls (投资 and 容积率) combine (§4.3: max-of by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// The largest one.
    MaxOf,
    /// Their sum.
    SumOf,
}

/// Penalty clauses (违约责任). Rates per day are in ‰ of the land price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PenaltyClauses {
    /// Late start, ‰ of the price per day (model contract leaves it blank; 1 ‰ PROPOSED-DEFAULT, §10).
    #[schema(value_type = String)]
    pub late_start_per_mille: Decimal,
    /// Late completion, ‰ of the price per day (1 ‰ PROPOSED-DEFAULT, §10).
    #[schema(value_type = String)]
    pub late_completion_per_mille: Decimal,
    /// How investment and 容积率 shortfalls combine.
    pub shortfall_combine: Combine,
    /// Tax gap compensation is capped at the land price (§4.3 option (a) with cap, PROPOSED-DEFAULT).
    pub tax_gap_capped_at_price: bool,
}

/// The largest per-day rate accepted, in ‰ [PROPOSED-DEFAULT: ten times the 1 ‰ of the model
/// contract's late-payment clause; a higher daily rate would exceed the price within 100 days].
pub const MAX_PER_MILLE_PER_DAY: i64 = 10;

impl PenaltyClauses {
    /// The defaults of §10 `standard_land.penalties`.
    pub fn xuchang_default() -> Self {
        Self {
            late_start_per_mille: Decimal::ONE,
            late_completion_per_mille: Decimal::ONE,
            shortfall_combine: Combine::MaxOf,
            tax_gap_capped_at_price: true,
        }
    }

    /// Rates must lie in (0, 10] ‰ per day.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errs = Vec::new();
        for (f, v) in [
            ("late_start_per_mille", self.late_start_per_mille),
            ("late_completion_per_mille", self.late_completion_per_mille),
        ] {
            if v <= Decimal::ZERO || v > Decimal::from(MAX_PER_MILLE_PER_DAY) {
                errs.push(FieldError::new(
                    format!("penalties.{f}"),
                    Some(&v.to_string()),
                    format!(
                        "a daily penalty rate must be above 0 and at most {MAX_PER_MILLE_PER_DAY} ‰"
                    ),
                    format!("日违约金比例应大于0且不超过千分之{MAX_PER_MILLE_PER_DAY}"),
                ));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }
}

/// 国有建设用地使用权出让合同 (the fields supervision reads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GrantContract {
    /// 合同编号.
    pub contract_no: String,
    /// The parcel.
    #[schema(value_type = Option<String>)]
    pub parcel_id: Option<ParcelId>,
    /// 受让人 统一社会信用代码.
    pub grantee: String,
    /// 出让面积, m².
    #[schema(value_type = String)]
    pub area_m2: AreaM2,
    /// 出让价款 (the price of the granted term).
    #[schema(value_type = String)]
    pub price: Yuan,
    /// Supply scheme.
    pub scheme: SupplyScheme,
    /// Granted (or leased) years.
    pub term_years: u16,
    /// Signing day.
    #[schema(value_type = String, format = Date)]
    pub signed_on: Date,
    /// Agreed delivery day (the term runs from actual delivery).
    #[schema(value_type = String, format = Date)]
    pub delivery_on: Date,
    /// 约定动工日期.
    #[schema(value_type = String, format = Date)]
    pub start_deadline: Date,
    /// 约定竣工日期.
    #[schema(value_type = String, format = Date)]
    pub completion_deadline: Date,
    /// 固定资产总投资 agreed.
    #[schema(value_type = String)]
    pub total_investment: Yuan,
    /// 容积率 minimum agreed.
    #[schema(value_type = String)]
    pub far_min: Decimal,
    /// Penalty clauses.
    pub penalties: PenaltyClauses,
}

/// 履约监管协议 (投资建设协议 / 标准地协议).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SupervisionAgreement {
    /// 协议编号.
    pub agreement_no: String,
    /// Counterparty (管委会 / 园区平台).
    pub counterparty: String,
    /// Signing day.
    #[schema(value_type = String, format = Date)]
    pub signed_on: Date,
    /// Indicators agreed (from the 标准地 set, with the project's own targets).
    pub indicators: Vec<Indicator>,
    /// 初始运行期 in years (达产复核 at its end; 3 PROPOSED-DEFAULT, §10).
    pub initial_operation_years: u16,
    /// Months from completion to 投产 (12 PROPOSED-DEFAULT, §4.3 "6–12 months").
    pub production_after_completion_months: i32,
    /// Years between periodic reviews (3 PROPOSED-DEFAULT, §4.3 "3–5").
    pub periodic_review_years: u16,
    /// 履约保证金.
    #[schema(value_type = Option<String>)]
    pub performance_bond: Option<Yuan>,
}

impl GrantContract {
    /// Checks the dates in order and the clauses: delivery on or after signing, start after
    /// delivery, completion after start; positive price, area, investment and 容积率.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errs = Vec::new();
        let order = [
            (
                "delivery_on",
                self.delivery_on,
                "signed_on",
                self.signed_on,
                false,
            ),
            (
                "start_deadline",
                self.start_deadline,
                "delivery_on",
                self.delivery_on,
                true,
            ),
            (
                "completion_deadline",
                self.completion_deadline,
                "start_deadline",
                self.start_deadline,
                true,
            ),
        ];
        for (f, d, g, start, strict) in order {
            if d < start || (strict && d == start) {
                errs.push(FieldError::new(
                    f,
                    Some(&d.to_string()),
                    format!("{f} ({d}) must come after {g} ({start})"),
                    format!("{f}（{d}）不得早于{g}（{start}）"),
                ));
            }
        }
        for (f, v) in [
            ("price", self.price.0),
            ("area_m2", self.area_m2.0),
            ("total_investment", self.total_investment.0),
            ("far_min", self.far_min),
        ] {
            if v <= Decimal::ZERO {
                errs.push(FieldError::new(
                    f,
                    Some(&v.to_string()),
                    "must be positive",
                    "须为正数",
                ));
            }
        }
        if self.contract_no.trim().is_empty() {
            errs.push(FieldError::new(
                "contract_no",
                Some(""),
                "required",
                "须填写合同编号",
            ));
        }
        if let Err(DomainError::Invalid(v)) = self.penalties.validate() {
            errs.extend(v);
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }

    /// The day the term ends (delivery + term years).
    pub fn term_end(&self) -> Option<Date> {
        add_years(self.delivery_on, i32::from(self.term_years))
    }
}

/// One checkpoint of the supervision timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Checkpoint {
    /// Code (`start`, `completion`, `capacity_review`, `periodic_review_1` …).
    pub code: String,
    /// Chinese label.
    pub label_zh: String,
    /// Due day.
    #[schema(value_type = String, format = Date)]
    pub due: Date,
    /// The indicators checked there, if any.
    pub stage: Option<CheckStage>,
    /// Where the date comes from.
    pub rule_ref: String,
    /// The day it was met, once met.
    #[schema(value_type = Option<String>, format = Date)]
    pub met_on: Option<Date>,
}

/// The checkpoint timeline of §4.3 generated from a contract and its agreement: 交地, 动工,
/// 竣工, 对标验收 (+3 months), 投产 (+production months), 达产复核 (+initial operation years),
/// 定期复核 every N years, 期满评估 (term end − 1 year) and 期满.
pub fn checkpoints(c: &GrantContract, a: &SupervisionAgreement) -> DomainResult<Vec<Checkpoint>> {
    c.validate()?;
    let range = || {
        DomainError::field(
            "term_years",
            Some(&c.term_years.to_string()),
            "dates out of range",
            "日期超出范围",
        )
    };
    let cp = |code: &str, label: &str, due: Date, stage, rule: &str| Checkpoint {
        code: code.into(),
        label_zh: label.into(),
        due,
        stage,
        rule_ref: rule.into(),
        met_on: None,
    };
    let conformity = add_months(c.completion_deadline, 3).ok_or_else(range)?;
    let production = add_months(c.completion_deadline, a.production_after_completion_months)
        .ok_or_else(range)?;
    let capacity = add_years(production, i32::from(a.initial_operation_years)).ok_or_else(range)?;
    let end = c.term_end().ok_or_else(range)?;
    let assessment = add_years(end, -1).ok_or_else(range)?;
    let mut out = vec![
        cp("delivery", "交地", c.delivery_on, None, "出让合同"),
        cp("start", "动工", c.start_deadline, None, "出让合同（§4.3）"),
        cp(
            "completion",
            "竣工验收备案",
            c.completion_deadline,
            None,
            "出让合同（§4.3）",
        ),
        cp(
            "conformity_check",
            "对标验收",
            conformity,
            Some(CheckStage::Completion),
            "竣工后3个月 [PROPOSED-DEFAULT §4.3]",
        ),
        cp(
            "production",
            "投产",
            production,
            None,
            "竣工后N个月 [PROPOSED-DEFAULT §4.3]",
        ),
        cp(
            "capacity_review",
            "达产复核",
            capacity,
            Some(CheckStage::CapacityReview),
            "投产初始运行期满 [concept VERIFIED, length PROPOSED §4.3]",
        ),
    ];
    let step = i32::from(a.periodic_review_years.max(1));
    let mut k = 1;
    while let Some(d) = add_years(capacity, step * k) {
        if d >= assessment {
            break;
        }
        out.push(cp(
            &format!("periodic_review_{k}"),
            &format!("第{k}次定期复核"),
            d,
            Some(CheckStage::Periodic),
            "每N年过程评估 [PROPOSED-DEFAULT §4.3]",
        ));
        k += 1;
    }
    out.push(cp(
        "term_end_assessment",
        "期满评估（续期审查）",
        assessment,
        None,
        "期满前1年 [PROPOSED-DEFAULT §4.3, §6.4]",
    ));
    out.push(cp("term_end", "出让期满", end, None, "出让合同"));
    Ok(out)
}
