//! 闲置土地处置案件 — the idle-land case procedure of 《闲置土地处置办法》(国土资源部令第53号) as a
//! workflow (§1.6 steps and time limits, §1.7 state machine), with the two legal paths:
//!
//! - land-user-caused (第十四条): 认定 → 告知听证 (第十五条) → 征缴土地闲置费 (20 % of the price,
//!   when idle 满一年) or 无偿收回 (when idle 满二年) → 履行 within 30 days (第十七条) →
//!   复议/诉讼 or 强制 (第十八条) → closed / recovered;
//! - government-caused (第八条): 政府原因确认 → 协商 (第十二条) → 方案报本级政府批准 (第十三条) →
//!   执行 → closed. No fee and no recovery decision may be taken on this path.
//!
//! Time limits: 调查通知书 within 30 days of discovery (第五条, VERIFIED); answer within 30 days of
//! service (第五条, VERIFIED); 认定 within 60 days after the answer (PROPOSED-DEFAULT SLA, §1.6
//! step 3); 公开 within 10 working days (PROPOSED-DEFAULT, 第十一条 says "及时"); hearing request
//! within 5 working days of the notice (RECALLED, low confidence); performance within 30 days
//! (第十七条, RECALLED). Without a holiday calendar working days count as calendar days.

use super::engine::{CaseState, TransitionRequest, WorkflowDef};
use crate::ParcelLifecycle;
use crate::error::{DomainError, DomainResult};
use crate::parcel::ParcelId;
use crate::park::ParkId;
use crate::rules::dates::{HolidayCalendar, whole_years};
use crate::rules::idle::GovCause;
use crate::units::Yuan;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use super::idle_def::idle_case_workflow;

/// 闲置土地处置案件: the case with the facts the legal guards read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IdleCase {
    /// Case number (案件编号).
    pub id: String,
    /// The parcel, if registered.
    #[schema(value_type = Option<String>)]
    pub parcel_id: Option<ParcelId>,
    /// The park.
    #[schema(value_type = Option<String>)]
    pub park_id: Option<ParkId>,
    /// 约定动工开发日期 (after any Art. 12 extension: the clock restarts).
    #[schema(value_type = String, format = Date)]
    pub agreed_start: Date,
    /// 出让价款 or 划拨价款, for the fee.
    #[schema(value_type = String)]
    pub land_price: Yuan,
    /// Fee rate (0.20, 第十四条).
    #[schema(value_type = String)]
    pub fee_rate: Decimal,
    /// Years of idleness that lead to recovery (2, 第十四条).
    pub recovery_years: i32,
    /// The government cause, once confirmed.
    #[schema(value_type = Option<String>)]
    pub gov_cause: Option<GovCause>,
    /// 土地闲置费 decided, once decided.
    #[schema(value_type = Option<String>)]
    pub fee: Option<Yuan>,
    /// Where the case stands.
    pub state: CaseState,
}

/// The decision the idleness supports on a day (第十四条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleDecision {
    /// Not idle 满一年 yet: no decision.
    None,
    /// 征缴土地闲置费.
    Fee,
    /// 无偿收回.
    Recovery,
}

impl IdleCase {
    /// Opens a case on the day of discovery (the 30-day clock of 第五条 starts).
    pub fn open(
        id: &str,
        def: &WorkflowDef,
        agreed_start: Date,
        land_price: Yuan,
        discovered_on: Date,
        cal: Option<&HolidayCalendar>,
    ) -> DomainResult<Self> {
        if discovered_on < agreed_start {
            return Err(DomainError::field(
                "discovered_on",
                Some(&discovered_on.to_string()),
                format!("discovery precedes the agreed start date {agreed_start}"),
                format!("发现日期早于约定动工日期{agreed_start}"),
            ));
        }
        if land_price.0 <= Decimal::ZERO {
            return Err(DomainError::field(
                "land_price",
                Some(&land_price.0.to_string()),
                "the land price must be positive",
                "土地价款须为正数",
            ));
        }
        Ok(Self {
            id: id.into(),
            parcel_id: None,
            park_id: None,
            agreed_start,
            land_price,
            fee_rate: Decimal::new(20, 2),
            recovery_years: 2,
            gov_cause: None,
            fee: None,
            state: def.open(discovered_on, cal),
        })
    }

    /// Whole years idle on `t` (满N年 by the anniversary rule, §7.6).
    pub fn idle_years(&self, t: Date) -> i32 {
        whole_years(self.agreed_start, t)
    }

    /// The decision the idleness supports on `t`.
    pub fn decision_on(&self, t: Date) -> IdleDecision {
        match self.idle_years(t) {
            y if y >= self.recovery_years => IdleDecision::Recovery,
            y if y >= 1 => IdleDecision::Fee,
            _ => IdleDecision::None,
        }
    }

    /// 土地闲置费 = rate × price, to the fen.
    pub fn fee_amount(&self) -> Yuan {
        Yuan((self.land_price.0 * self.fee_rate).round_dp(2))
    }

    /// The parcel lifecycle state a transition to `to` puts the parcel in, if any.
    pub fn parcel_status_after(to: &str) -> Option<ParcelLifecycle> {
        (to == "recovered").then_some(ParcelLifecycle::Recovered)
    }

    /// Takes a transition: the workflow's guards, then the legal ones — a government cause bars
    /// fee and recovery (第八条); a fee needs 满一年, recovery 满二年 (第十四条).
    pub fn transition(
        &mut self,
        def: &WorkflowDef,
        req: &TransitionRequest,
        cal: Option<&HolidayCalendar>,
    ) -> DomainResult<()> {
        let next = def.apply(&self.state, req, cal)?;
        let refuse = |en: String, zh: String| Err(DomainError::field("to", Some(&req.to), en, zh));
        let years = self.idle_years(req.on);
        let mut gov_cause = self.gov_cause;
        match req.to.as_str() {
            "gov_cause_confirmed" => {
                let v = req
                    .fields
                    .get("gov_cause")
                    .map(String::as_str)
                    .unwrap_or("");
                gov_cause = Some(
                    serde_json::from_value(serde_json::Value::String(v.into())).map_err(|_| {
                        DomainError::field(
                            "fields.gov_cause",
                            Some(v),
                            "unknown government cause (第八条 (一)–(六) or force_majeure)",
                            "未知的政府原因",
                        )
                    })?,
                );
            }
            "idle_confirmed" if years < 1 => {
                return refuse(
                    format!("idle {years} whole years on {}: not 满一年", req.on),
                    format!("截至{}未动工不满一年，不能认定闲置", req.on),
                );
            }
            "fee_decision_issued" | "recovery_decision_issued" if self.gov_cause.is_some() => {
                return refuse(
                    "idleness caused by the government is disposed of by negotiation (第八条)"
                        .into(),
                    "政府原因造成的闲置应协商处置，不得征缴闲置费或无偿收回（第八条）".into(),
                );
            }
            "fee_decision_issued" if self.decision_on(req.on) != IdleDecision::Fee => {
                return refuse(
                    format!(
                        "a fee needs 1 ≤ idle years < {}; idle {years} on {}",
                        self.recovery_years, req.on
                    ),
                    format!(
                        "闲置{years}年：征缴闲置费须满一年不满{}年",
                        self.recovery_years
                    ),
                );
            }
            "recovery_decision_issued" if self.decision_on(req.on) != IdleDecision::Recovery => {
                return refuse(
                    format!(
                        "recovery needs {} idle years; idle {years} on {}",
                        self.recovery_years, req.on
                    ),
                    format!(
                        "闲置{years}年：无偿收回须满{}年（第十四条）",
                        self.recovery_years
                    ),
                );
            }
            _ => {}
        }
        // 第十五条: the decision may not come before the hearing-request window has closed.
        if self.state.status == "hearing_notified"
            && matches!(
                req.to.as_str(),
                "fee_decision_issued" | "recovery_decision_issued"
            )
            && let Some(d) = &self.state.deadline
            && req.on <= d.due
        {
            return refuse(
                format!("the hearing-request window is open until {}", d.due),
                format!("听证申请期限{}尚未届满，不得作出决定（第十五条）", d.due),
            );
        }
        if req.to == "fee_decision_issued" {
            self.fee = Some(self.fee_amount());
        }
        self.gov_cause = gov_cause;
        self.state = next;
        Ok(())
    }
}
