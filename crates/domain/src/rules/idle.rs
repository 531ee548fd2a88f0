//! 闲置土地认定 (idle land), 《闲置土地处置办法》(国土资源部令第53号), §1 of the domain rules.
//!
//! - 第二条 [VERIFIED]: (A) 超过约定、规定的动工开发日期满一年未动工开发; (B) 已动工开发但开发
//!   建设用地面积占应动工开发建设用地总面积不足三分之一，或者已投资额占总投资额不足百分之二十五，
//!   中止开发建设满一年 — "也可以认定", so B needs an officer's confirmation.
//! - 第八条 [RECALLED]: idleness caused by the government or force majeure is handled by
//!   negotiation (第十二、十三条), not by fee or recovery: its own outcome here.
//! - 第十四条 [VERIFIED]: 满一年 → 土地闲置费 20 % of the price; 满二年 → 无偿收回.
//! - 第二十二条 [RECALLED]: no agreed start date → one year after actual delivery.
//!
//! "满一年" uses [`reached`]: on the anniversary itself the year is full (§7.6). Ratios compare
//! exactly by cross-multiplication: exactly 1/3 is not "不足三分之一", exactly 25 % is not
//! "不足百分之二十五". After an Art. 12 disposal the clock restarts: pass the newly agreed date.

use super::config::{Confidence, ExactRatio, ResolvedRules};
use super::dates::{add_years, reached, whole_years};
use super::finding::{Finding, LegalSource, Severity, Subject, docs};
use crate::error::{DomainError, DomainResult};
use crate::parcel::ParcelId;
use crate::units::{AreaM2, Yuan};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Idle-land thresholds (§10 `idle_land`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleParams {
    /// Version of the resolved rules these came from.
    pub rule_set_version: String,
    /// 未动工满N年 (1).
    pub no_start_years: i32,
    /// 中止开发建设满N年 (1).
    pub suspended_years: i32,
    /// 开发建设用地面积占比不足 (1/3).
    pub developed_area_ratio_lt: ExactRatio,
    /// 已投资额占比不足 (25 %).
    pub invested_ratio_lt: ExactRatio,
    /// 无偿收回: 满N年 (2).
    pub recovery_years: i32,
    /// No agreed start date: delivery + N years (1).
    pub default_start_after_delivery_years: i32,
    /// 土地闲置费 rate of the price (0.20).
    pub fee_rate: Decimal,
}

impl IdleParams {
    /// Reads the parameters from resolved rules.
    pub fn from_rules(r: &ResolvedRules) -> DomainResult<Self> {
        Ok(Self {
            rule_set_version: r.version.clone(),
            no_start_years: r.int("idle_land.no_start_years")?,
            suspended_years: r.int("idle_land.suspended_years")?,
            developed_area_ratio_lt: r.ratio("idle_land.developed_area_ratio_lt")?,
            invested_ratio_lt: r.ratio("idle_land.invested_ratio_lt")?,
            recovery_years: r.int("idle_land.recovery_years")?,
            default_start_after_delivery_years: r
                .int("idle_land.default_start_after_delivery_years")?,
            fee_rate: r.number("idle_land.fee_rate")?,
        })
    }
}

/// Causes of idleness attributable to the government or force majeure (第八条, 政府原因).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GovCause {
    /// (一) 未按约定期限、条件交地，致使不具备动工条件.
    LandNotDeliveredPerContract,
    /// (二) 土地利用总体规划、城乡规划依法修改.
    PlanRevision,
    /// (三) 国家出台相关政策，需修改规划和建设条件.
    NationalPolicyChange,
    /// (四) 处置土地上相关群众信访事项等无法动工.
    PetitionOrResettlementIssue,
    /// (五) 军事管制、文物保护等.
    MilitaryOrHeritageControl,
    /// (六) 政府、政府有关部门的其他行为.
    OtherGovernmentAct,
    /// 自然灾害等不可抗力 (handled as above).
    ForceMajeure,
}

impl GovCause {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::LandNotDeliveredPerContract => "未按约定期限、条件交地",
            Self::PlanRevision => "规划依法修改",
            Self::NationalPolicyChange => "国家出台相关政策需修改规划和建设条件",
            Self::PetitionOrResettlementIssue => "群众信访等事项无法动工",
            Self::MilitaryOrHeritageControl => "军事管制、文物保护",
            Self::OtherGovernmentAct => "政府或政府有关部门的其他行为",
            Self::ForceMajeure => "自然灾害等不可抗力",
        }
    }
}

/// The facts of a parcel the idle rule reads (闲置土地认定事实).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleFacts {
    /// The parcel.
    pub parcel_id: ParcelId,
    /// 合同或划拨决定书约定、规定的动工开发日期 (the newest, after any Art. 12 extension).
    pub agreed_start: Option<Date>,
    /// Actual delivery date (交地确认书), for the Art. 22 fallback.
    pub actual_delivery: Option<Date>,
    /// 已动工开发 in the sense of Art. 29 (permit plus pit, piles or 1/3 of the foundation).
    pub started: bool,
    /// 已开发建设用地面积 (land area, not floor area).
    pub developed_land_area: Option<AreaM2>,
    /// 应动工开发建设用地总面积.
    pub required_land_area: Option<AreaM2>,
    /// 已投资额, excluding the land price and related taxes and fees.
    pub invested: Option<Yuan>,
    /// 总投资额, excluding the land price and related taxes and fees.
    pub total_investment: Option<Yuan>,
    /// Day construction was suspended (中止开发建设), if it is.
    pub suspended_since: Option<Date>,
    /// 出让价款 or 划拨价款, for the fee.
    pub land_price: Option<Yuan>,
    /// Government causes confirmed by the investigation (第八条).
    pub gov_causes: Vec<GovCause>,
}

/// Which limb of Art. 2 applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleKind {
    /// (A) 未动工满一年 — mandatory ("是指").
    NotStarted,
    /// (B) 动工后中止满一年 with low progress — discretionary ("也可以认定").
    Suspended,
}

/// How far the idleness has gone (第十四条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleStage {
    /// 满一年不满二年: 征缴土地闲置费.
    OneYear,
    /// 满二年: 无偿收回.
    TwoYears,
}

/// A positive determination (闲置认定).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleDetermination {
    /// Limb of Art. 2.
    pub kind: IdleKind,
    /// Stage reached.
    pub stage: IdleStage,
    /// The clock's anchor: start date (A) or suspension date (B).
    pub anchor: Date,
    /// First day idle (anchor + 1 year).
    pub idle_from: Date,
    /// First day of the recovery stage (anchor + 2 years).
    pub recovery_from: Option<Date>,
    /// Whole years since the anchor.
    pub years_since_anchor: i32,
    /// 土地闲置费 = rate × price, when the price is known (user-caused only).
    pub fee: Option<Yuan>,
    /// The finding.
    pub finding: Finding,
}

/// The outcome of the idle rule for one parcel on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IdleOutcome {
    /// Not idle; `idle_from` is when limb A would fire if nothing changes.
    NotIdle {
        /// Day limb A would fire.
        idle_from: Option<Date>,
    },
    /// Idle, caused by the land user (第十四条 applies).
    UserCaused(IdleDetermination),
    /// The facts of Art. 2 hold but the government caused it (第八条): negotiate, no fee.
    GovernmentCaused(IdleDetermination),
    /// Facts missing to decide.
    Undetermined {
        /// Names of the missing facts.
        missing: Vec<String>,
    },
}

fn pct(part: Decimal, whole: Decimal) -> String {
    if whole > Decimal::ZERO {
        format!("{}%", (part * Decimal::ONE_HUNDRED / whole).round_dp(2))
    } else {
        "—".into()
    }
}

fn overflow() -> DomainError {
    DomainError::field("date", None, "date out of range", "日期超出范围")
}

/// Applies Art. 2 (and Arts. 8, 14, 22) to a parcel on day `t`.
pub fn assess_idle(f: &IdleFacts, t: Date, p: &IdleParams) -> DomainResult<IdleOutcome> {
    let subject = Subject::Parcel(f.parcel_id);
    let (kind, anchor, first, fi, basis) = if !f.started {
        let (anchor, derived) = match (f.agreed_start, f.actual_delivery) {
            (Some(a), _) => (a, false),
            (None, Some(d)) => (
                add_years(d, p.default_start_after_delivery_years).ok_or_else(overflow)?,
                true,
            ),
            (None, None) => {
                return Ok(IdleOutcome::Undetermined {
                    missing: vec!["agreed_start".into(), "actual_delivery".into()],
                });
            }
        };
        if !reached(t, anchor, p.no_start_years) {
            return Ok(IdleOutcome::NotIdle {
                idle_from: add_years(anchor, p.no_start_years),
            });
        }
        let basis = if derived {
            format!(
                "未约定动工日期，按实际交地日期 {} 后一年（{anchor}）起算",
                f.actual_delivery.map(|d| d.to_string()).unwrap_or_default()
            )
        } else {
            format!("约定开工日期 {anchor} ")
        };
        let fi = Finding::new(
            "IDLE-A",
            &p.rule_set_version,
            subject,
            t,
            LegalSource::new(docs::IDLE_MEASURES, "第二条、第十四条"),
            Confidence::Verified,
            Severity::Warning,
        )
        .input("agreed_start", opt(f.agreed_start))
        .input("actual_delivery", opt(f.actual_delivery))
        .input("start_anchor", anchor)
        .input("started", false)
        .threshold(format!("超过动工开发日期满{}年未动工", p.no_start_years));
        (IdleKind::NotStarted, anchor, p.no_start_years, fi, basis)
    } else {
        let Some(s) = f.suspended_since else {
            return Ok(IdleOutcome::NotIdle { idle_from: None });
        };
        let area = match (f.developed_land_area, f.required_land_area) {
            (Some(d), Some(r)) => Some(p.developed_area_ratio_lt.part_is_below(d.0, r.0)),
            _ => None,
        };
        let inv = match (f.invested, f.total_investment) {
            (Some(i), Some(tot)) => Some(p.invested_ratio_lt.part_is_below(i.0, tot.0)),
            _ => None,
        };
        let low = match (area, inv) {
            (Some(true), _) | (_, Some(true)) => true,
            (Some(false), Some(false)) => false,
            _ => {
                let mut missing = Vec::new();
                if area.is_none() {
                    missing.push("developed_land_area/required_land_area".to_owned());
                }
                if inv.is_none() {
                    missing.push("invested/total_investment".to_owned());
                }
                return Ok(IdleOutcome::Undetermined { missing });
            }
        };
        if !low || !reached(t, s, p.suspended_years) {
            return Ok(IdleOutcome::NotIdle { idle_from: None });
        }
        let (d, r) = (
            f.developed_land_area.unwrap_or_default().0,
            f.required_land_area.unwrap_or_default().0,
        );
        let (i, tot) = (
            f.invested.unwrap_or_default().0,
            f.total_investment.unwrap_or_default().0,
        );
        let mut why = Vec::new();
        if area == Some(true) {
            why.push(format!(
                "开发建设用地面积占比 {}（不足{}）",
                pct(d, r),
                p.developed_area_ratio_lt.label()
            ));
        }
        if inv == Some(true) {
            why.push(format!(
                "已投资额占比 {}（不足{}）",
                pct(i, tot),
                p.invested_ratio_lt.label()
            ));
        }
        let basis = format!("已动工但{}，自 {s} 中止开发建设", why.join("、"));
        let fi = Finding::new(
            "IDLE-B",
            &p.rule_set_version,
            subject,
            t,
            LegalSource::new(docs::IDLE_MEASURES, "第二条、第十四条"),
            Confidence::Verified,
            Severity::Notice,
        )
        .input("started", true)
        .input(
            "developed_land_area_m2",
            opt(f.developed_land_area.map(|a| a.0)),
        )
        .input(
            "required_land_area_m2",
            opt(f.required_land_area.map(|a| a.0)),
        )
        .input("invested_yuan", opt(f.invested.map(|a| a.0)))
        .input(
            "total_investment_yuan",
            opt(f.total_investment.map(|a| a.0)),
        )
        .input("suspended_since", s)
        .threshold(format!(
            "面积占比 < {} 或投资占比 < {}，且中止满{}年",
            p.developed_area_ratio_lt.label(),
            p.invested_ratio_lt.label(),
            p.suspended_years
        ))
        .discretionary();
        (IdleKind::Suspended, s, p.suspended_years, fi, basis)
    };
    let idle_from = add_years(anchor, first).ok_or_else(overflow)?;
    let recovery_from = add_years(anchor, p.recovery_years);
    let stage = if reached(t, anchor, p.recovery_years) {
        IdleStage::TwoYears
    } else {
        IdleStage::OneYear
    };
    let n = whole_years(anchor, t);
    let what = match kind {
        IdleKind::NotStarted => "未动工",
        IdleKind::Suspended => "",
    };
    let years_zh = if stage == IdleStage::TwoYears {
        format!("已满{}年{what}", p.recovery_years)
    } else {
        format!("已满{first}年{what}")
    };
    let mut fi = fi
        .input("evaluation_date", t)
        .input("idle_from", idle_from)
        .input("years_since_anchor", n);
    let det = |fi: Finding, fee: Option<Yuan>| IdleDetermination {
        kind,
        stage,
        anchor,
        idle_from,
        recovery_from,
        years_since_anchor: n,
        fee,
        finding: fi,
    };
    if !f.gov_causes.is_empty() {
        let causes: Vec<_> = f.gov_causes.iter().map(|c| c.label_zh()).collect();
        fi.rule_id = format!("{}-GOV", fi.rule_id);
        fi.source = LegalSource::new(docs::IDLE_MEASURES, "第八条");
        fi.confidence = Confidence::Recalled;
        fi.severity = Severity::Info;
        fi = fi.input("gov_causes", causes.join("；")).reason(
            format!(
                "{basis}{years_zh}，但系政府原因（{}）造成，应协商处置，不征收闲置费、不无偿收回",
                causes.join("；")
            ),
            format!(
                "{} years since {anchor}; caused by the government ({} cause(s)): negotiate under Arts. 12–13, no fee or recovery",
                n,
                causes.len()
            ),
        );
        return Ok(IdleOutcome::GovernmentCaused(det(fi, None)));
    }
    let fee = f.land_price.map(|pr| Yuan(pr.0 * p.fee_rate));
    let consequence = match stage {
        IdleStage::OneYear => format!(
            "，可征缴土地闲置费（价款的{}）",
            ExactRatio::new(p.fee_rate, Decimal::ONE).label()
        ),
        IdleStage::TwoYears => "，达到无偿收回条件".to_owned(),
    };
    let tail = if kind == IdleKind::Suspended {
        "，可认定为闲置土地（须经审核确认）"
    } else {
        ""
    };
    if stage == IdleStage::TwoYears {
        fi.rule_id = format!("{}-2Y", fi.rule_id);
        fi.severity = Severity::Serious;
    } else {
        fi.rule_id = format!("{}-1Y", fi.rule_id);
    }
    if let Some(pr) = f.land_price {
        fi = fi.input("land_price_yuan", pr.0);
    }
    let fi = fi.reason(
        format!("{basis}{years_zh}{tail}{consequence}"),
        format!(
            "{} since {anchor} ({n} full year(s)); {}",
            match kind {
                IdleKind::NotStarted => "not started",
                IdleKind::Suspended => "started, low progress, suspended",
            },
            match stage {
                IdleStage::OneYear => "idle-land fee applies",
                IdleStage::TwoYears => "recovery without compensation applies",
            }
        ),
    );
    Ok(IdleOutcome::UserCaused(det(fi, fee)))
}

fn opt(d: Option<impl ToString>) -> String {
    d.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
}

#[cfg(test)]
#[path = "idle_tests.rs"]
mod tests;
