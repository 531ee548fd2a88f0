//! 低效用地认定 (low-efficiency land), rules LE-1 … LE-9 of §3.5 of the domain rules
//! [PROPOSED-DEFAULT rule set, seeded from a local standard quoted in §3.2 (LOCAL-EXAMPLE,
//! VERIFIED text), the national 建筑系数 floor (《工业项目建设用地控制指标》, VERIFIED) and
//! 国土资发〔2016〕147号 scope (RECALLED)]. The plan (task 11) asks each county to set its own
//! standard: every threshold is a rule parameter.
//!
//! Exclusions: land already determined idle (it follows 53号令 instead), public utilities and
//! parcels under an approved disposal plan are not assessed. The 暂评 window (< 3 years since
//! registration or contractual completion, as of 31 Dec of the evaluation year; Hefei
//! [VERIFIED]) suppresses the 亩均-based rules LE-4 and LE-8 only — see the report's decisions.
//! "Less than" is strict everywhere: a value exactly at its threshold does not fire.

use super::config::{Confidence, ResolvedRules};
use super::dates::{add_years, reached};
use super::finding::{Finding, LegalSource, Severity, Subject, docs};
use super::mu_evaluation::MuClass;
use crate::error::DomainResult;
use jiff::civil::{Date, date};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Low-efficiency thresholds (§10 `low_efficiency`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LowEffParams {
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// LE-1: years past the agreed completion (2).
    pub overdue_completion_years: i32,
    /// LE-2/3: years since completion (2).
    pub post_completion_years: i32,
    /// LE-2: investment intensity below this share of the contract (0.5).
    pub investment_ratio_lt: Decimal,
    /// LE-3: output below this share of the control standard (0.5).
    pub output_ratio_lt: Decimal,
    /// LE-4: floor in 万元/亩 (3).
    pub tax_per_mu_floor_wan: Decimal,
    /// LE-4: share of the park average (0.5).
    pub tax_vs_park_avg_lt: Decimal,
    /// LE-4/LE-8: consecutive years (2).
    pub consecutive_years: i32,
    /// LE-5: 容积率 floor when the industry has none (0.8).
    pub far_floor_fallback: Decimal,
    /// LE-5: 建筑系数 floor (0.30).
    pub building_coverage_lt: Decimal,
    /// LE-6: years stopped (1).
    pub stopped_production_years: i32,
    /// 暂评 window in years (3).
    pub new_enterprise_grace_years: i32,
}

impl LowEffParams {
    /// Reads the parameters from resolved rules.
    pub fn from_rules(r: &ResolvedRules) -> DomainResult<Self> {
        let k = |s: &str| format!("low_efficiency.{s}");
        Ok(Self {
            rule_set_version: r.version.clone(),
            overdue_completion_years: r.int(&k("overdue_completion_years"))?,
            post_completion_years: r.int(&k("post_completion_years"))?,
            investment_ratio_lt: r.number(&k("investment_ratio_lt"))?,
            output_ratio_lt: r.number(&k("output_ratio_lt"))?,
            tax_per_mu_floor_wan: r.number(&k("tax_per_mu_floor_wan"))?,
            tax_vs_park_avg_lt: r.number(&k("tax_vs_park_avg_lt"))?,
            consecutive_years: r.int(&k("consecutive_years"))?,
            far_floor_fallback: r.number(&k("far_floor_fallback"))?,
            building_coverage_lt: r.number(&k("building_coverage_lt"))?,
            stopped_production_years: r.int(&k("stopped_production_years"))?,
            new_enterprise_grace_years: r.int(&k("new_enterprise_grace_years"))?,
        })
    }
}

/// The facts the low-efficiency rules read, for one land unit (parcel or enterprise-occupied).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LowEffFacts {
    /// Evaluation year (评价年度) for the yearly figures.
    pub evaluation_year: i16,
    /// Already determined idle (闲置土地认定书 issued).
    pub determined_idle: bool,
    /// Public utility (公用事业: power, water, gas, sewage …).
    pub public_utility: bool,
    /// Under an approved disposal plan (已有批准的处置方案).
    pub under_disposal_plan: bool,
    /// Enterprise registration date.
    pub registered_on: Option<Date>,
    /// 约定竣工日期.
    pub agreed_completion: Option<Date>,
    /// Actual completion (竣工验收备案).
    pub completed_on: Option<Date>,
    /// The delay is the enterprise's own fault (自身原因).
    pub completion_delay_own_fault: bool,
    /// 投资强度 achieved, 万元/亩.
    pub investment_intensity_wan: Option<Decimal>,
    /// 投资强度 agreed in the contract, 万元/亩.
    pub contract_investment_intensity_wan: Option<Decimal>,
    /// 亩均产值, 万元/亩.
    pub output_per_mu_wan: Option<Decimal>,
    /// The industry's control standard for 亩均产值, 万元/亩.
    pub control_output_per_mu_wan: Option<Decimal>,
    /// 亩均税收 by year, 万元/亩.
    pub tax_per_mu_wan: BTreeMap<i16, Decimal>,
    /// The park's average 亩均税收 by year, 万元/亩.
    pub park_avg_tax_per_mu_wan: BTreeMap<i16, Decimal>,
    /// 容积率.
    pub far: Option<Decimal>,
    /// The industry's 容积率 floor.
    pub far_floor: Option<Decimal>,
    /// 建筑系数 (0–1).
    pub building_coverage: Option<Decimal>,
    /// Day production stopped or fell to half (停产/半停产).
    pub stopped_since: Option<Date>,
    /// Industry on the 淘汰/禁止 list.
    pub eliminated_industry: bool,
    /// Safety or environmental non-compliance.
    pub safety_env_noncompliant: bool,
    /// 亩均评价 class by year.
    pub mu_class: BTreeMap<i16, MuClass>,
    /// Designation by the district or county government (document number).
    pub designated_by: Option<String>,
}

/// Why a unit was not assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Determined idle: 53号令 applies instead.
    DeterminedIdle,
    /// 公用事业.
    PublicUtility,
    /// Under an approved disposal plan.
    UnderDisposalPlan,
}

/// The result for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LowEffAssessment {
    /// Set when the unit was not assessed at all.
    pub excluded: Option<Exclusion>,
    /// In the 暂评 window: LE-4 and LE-8 were not applied.
    pub provisional: bool,
    /// One finding per rule that fired, LE-1 first.
    pub findings: Vec<Finding>,
}

struct Ctx<'a> {
    subject: &'a Subject,
    t: Date,
    p: &'a LowEffParams,
}

impl Ctx<'_> {
    fn finding(&self, id: &str, article: &str, doc: &str, conf: Confidence) -> Finding {
        Finding::new(
            id,
            &self.p.rule_set_version,
            self.subject.clone(),
            self.t,
            LegalSource::new(doc, article),
            conf,
            Severity::Warning,
        )
    }
}

/// Applies LE-1 … LE-9 to one unit on day `t`.
pub fn assess_low_efficiency(
    subject: &Subject,
    f: &LowEffFacts,
    t: Date,
    p: &LowEffParams,
) -> LowEffAssessment {
    let excluded = if f.determined_idle {
        Some(Exclusion::DeterminedIdle)
    } else if f.public_utility {
        Some(Exclusion::PublicUtility)
    } else if f.under_disposal_plan {
        Some(Exclusion::UnderDisposalPlan)
    } else {
        None
    };
    if excluded.is_some() {
        return LowEffAssessment {
            excluded,
            provisional: false,
            findings: vec![],
        };
    }
    let year_end = date(f.evaluation_year, 12, 31);
    let provisional = [f.registered_on, f.agreed_completion]
        .into_iter()
        .flatten()
        .any(|a| !reached(year_end, a, p.new_enterprise_grace_years));
    let c = Ctx { subject, t, p };
    let mut findings: Vec<Finding> = [le1(&c, f), le2(&c, f), le3(&c, f)]
        .into_iter()
        .flatten()
        .collect();
    if !provisional {
        findings.extend(le4(&c, f));
    }
    findings.extend([le5(&c, f), le6(&c, f), le7(&c, f)].into_iter().flatten());
    if !provisional {
        findings.extend(le8(&c, f));
    }
    findings.extend(le9(&c, f));
    LowEffAssessment {
        excluded: None,
        provisional,
        findings,
    }
}

/// LE-1 逾期未竣工: own fault, 满 N years past the agreed completion, not completed.
fn le1(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    let due = f.agreed_completion?;
    let n = c.p.overdue_completion_years;
    if f.completed_on.is_some() || !f.completion_delay_own_fault || !reached(c.t, due, n) {
        return None;
    }
    Some(
        c.finding(
            "LE-1",
            "LE-1 逾期未竣工",
            docs::LOCAL_DEFAULT,
            Confidence::LocalExample,
        )
        .input("agreed_completion", due)
        .threshold(format!("超过约定竣工日期满{n}年"))
        .reason(
            format!("因企业自身原因，超过约定竣工日期 {due} 已满{n}年仍未竣工"),
            format!("not completed {n} full years after the agreed completion date {due}"),
        ),
    )
}

fn completed_long_enough(c: &Ctx, f: &LowEffFacts) -> Option<Date> {
    f.completed_on
        .filter(|d| reached(c.t, *d, c.p.post_completion_years))
}

/// LE-2 投资强度不足: completed 满 N years and intensity < ratio × contract.
fn le2(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    let done = completed_long_enough(c, f)?;
    let (x, k) = (
        f.investment_intensity_wan?,
        f.contract_investment_intensity_wan?,
    );
    let r = c.p.investment_ratio_lt;
    (x < r * k).then(|| {
        c.finding(
            "LE-2",
            "LE-2 投资强度不足",
            docs::LOCAL_DEFAULT,
            Confidence::LocalExample,
        )
        .input("completed_on", done)
        .input("investment_intensity_wan", x)
        .input("contract_investment_intensity_wan", k)
        .threshold(format!("< {r} × 约定投资强度"))
        .reason(
            format!(
                "竣工满{}年，投资强度 {x} 万元/亩低于约定 {k} 万元/亩的{r}倍",
                c.p.post_completion_years
            ),
            format!("investment intensity {x} below {r} × contract {k} (万元/亩)"),
        )
    })
}

/// LE-3 产出不足: completed 满 N years and 亩均产值 < ratio × control standard.
fn le3(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    let done = completed_long_enough(c, f)?;
    let (x, k) = (f.output_per_mu_wan?, f.control_output_per_mu_wan?);
    let r = c.p.output_ratio_lt;
    (x < r * k).then(|| {
        c.finding(
            "LE-3",
            "LE-3 产出不足",
            docs::LOCAL_DEFAULT,
            Confidence::LocalExample,
        )
        .input("completed_on", done)
        .input("output_per_mu_wan", x)
        .input("control_output_per_mu_wan", k)
        .threshold(format!("< {r} × 控制标准"))
        .reason(
            format!(
                "竣工满{}年，亩均产值 {x} 万元/亩低于控制标准 {k} 万元/亩的{r}倍",
                c.p.post_completion_years
            ),
            format!("output per mu {x} below {r} × standard {k}"),
        )
    })
}

/// LE-4 亩均税收偏低: below max(floor, ratio × park average) for N consecutive years ending
/// with the evaluation year.
fn le4(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    let n = i16::try_from(c.p.consecutive_years).ok()?;
    let years: Vec<i16> = (f.evaluation_year - n + 1..=f.evaluation_year).collect();
    let mut fi = c.finding(
        "LE-4",
        "LE-4 亩均税收偏低",
        docs::LOCAL_DEFAULT,
        Confidence::ProposedDefault,
    );
    let mut parts = Vec::new();
    for y in &years {
        let x = *f.tax_per_mu_wan.get(y)?;
        let avg = f.park_avg_tax_per_mu_wan.get(y).copied();
        let cut = avg.map_or(c.p.tax_per_mu_floor_wan, |a| {
            c.p.tax_per_mu_floor_wan.max(c.p.tax_vs_park_avg_lt * a)
        });
        if x >= cut {
            return None;
        }
        fi = fi
            .input(&format!("tax_per_mu_wan.{y}"), x)
            .input(&format!("threshold_wan.{y}"), cut);
        parts.push(format!("{y}年 {x}（标准 {cut}）"));
    }
    Some(
        fi.threshold(format!(
            "连续{n}年 < max({} 万元/亩, {} × 园区平均)",
            c.p.tax_per_mu_floor_wan, c.p.tax_vs_park_avg_lt
        ))
        .reason(
            format!("亩均税收连续{n}年低于标准：{} 万元/亩", parts.join("，")),
            format!("tax per mu below the threshold for {n} consecutive years"),
        ),
    )
}

/// LE-5 强度不达标: completed, and 容积率 below the floor or 建筑系数 below 30 %.
fn le5(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    f.completed_on?;
    let floor = f.far_floor.unwrap_or(c.p.far_floor_fallback);
    let far_low = f.far.filter(|x| *x < floor);
    let cov_low = f
        .building_coverage
        .filter(|x| *x < c.p.building_coverage_lt);
    if far_low.is_none() && cov_low.is_none() {
        return None;
    }
    let mut why = Vec::new();
    if let Some(x) = far_low {
        why.push(format!("容积率 {x} 低于 {floor}"));
    }
    if let Some(x) = cov_low {
        why.push(format!("建筑系数 {x} 低于 {}", c.p.building_coverage_lt));
    }
    Some(
        c.finding(
            "LE-5",
            "建筑系数、容积率",
            docs::CONTROL_INDICATORS,
            Confidence::Verified,
        )
        .input("far", f.far.map(|x| x.to_string()).unwrap_or_default())
        .input(
            "building_coverage",
            f.building_coverage
                .map(|x| x.to_string())
                .unwrap_or_default(),
        )
        .threshold(format!(
            "容积率 < {floor} 或 建筑系数 < {}",
            c.p.building_coverage_lt
        ))
        .reason(why.join("，"), "land-use intensity below the control floor"),
    )
}

/// LE-6 停产/半停产满 N years.
fn le6(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    let s = f.stopped_since?;
    let n = c.p.stopped_production_years;
    reached(c.t, s, n).then(|| {
        c.finding(
            "LE-6",
            "LE-6 停产半停产",
            docs::LOCAL_DEFAULT,
            Confidence::LocalExample,
        )
        .input("stopped_since", s)
        .threshold(format!("停产/半停产满{n}年"))
        .reason(
            format!("自 {s} 停产或半停产已满{n}年"),
            format!("stopped or half-stopped since {s}, {n} full year(s)"),
        )
    })
}

/// LE-7 政策性低效: 淘汰/禁止类 industry, or safety/environment non-compliance.
fn le7(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    if !f.eliminated_industry && !f.safety_env_noncompliant {
        return None;
    }
    let mut why = Vec::new();
    if f.eliminated_industry {
        why.push("属国家产业政策禁止类、淘汰类产业");
    }
    if f.safety_env_noncompliant {
        why.push("不符合安全生产或环保要求");
    }
    Some(
        c.finding(
            "LE-7",
            "适用范围",
            docs::LOW_EFFICIENCY_2016,
            Confidence::Recalled,
        )
        .input("eliminated_industry", f.eliminated_industry)
        .input("safety_env_noncompliant", f.safety_env_noncompliant)
        .threshold("禁止类/淘汰类，或安全、环保不达标")
        .reason(
            why.join("，"),
            "prohibited/eliminated industry or safety/environment non-compliance",
        ),
    )
}

/// LE-8 亩均评价: class D in the evaluation year, or C or worse N years running.
fn le8(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    let n = i16::try_from(c.p.consecutive_years).ok()?;
    let y = f.evaluation_year;
    let latest = *f.mu_class.get(&y)?;
    let run = (y - n + 1..=y).all(|k| f.mu_class.get(&k).is_some_and(|cl| *cl >= MuClass::C));
    if latest != MuClass::D && !run {
        return None;
    }
    let why = if latest == MuClass::D {
        format!("{y}年亩均效益评价为D类")
    } else {
        format!("亩均效益评价连续{n}年为C类及以下")
    };
    Some(
        c.finding(
            "LE-8",
            "LE-8 亩均评价",
            docs::LOCAL_DEFAULT,
            Confidence::ProposedDefault,
        )
        .input("mu_class", format!("{:?}", f.mu_class))
        .threshold(format!("D类，或连续{n}年C类"))
        .reason(why, "亩均 class D, or C for consecutive years"),
    )
}

/// LE-9 政府认定: designated by the district or county government.
fn le9(c: &Ctx, f: &LowEffFacts) -> Option<Finding> {
    let doc = f.designated_by.as_deref()?;
    Some(
        c.finding(
            "LE-9",
            "LE-9 政府认定",
            docs::LOCAL_DEFAULT,
            Confidence::LocalExample,
        )
        .input("designated_by", doc)
        .threshold("县（市、区）政府认定")
        .reason(
            format!("经县（市、区）政府认定为低效用地（{doc}）"),
            "designated by the county government",
        ),
    )
}

/// The day the 暂评 window ends for an anchor (registration or contractual completion).
pub fn grace_ends(anchor: Date, p: &LowEffParams) -> Option<Date> {
    add_years(anchor, p.new_enterprise_grace_years)
}

#[cfg(test)]
#[path = "low_efficiency_tests.rs"]
mod tests;
