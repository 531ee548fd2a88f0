//! 增存挂钩 (plan task 16, §2.3): `GET /api/quota/allocation` splits a year's new
//! construction-land quota among counties by their stock disposal, each county's figures
//! computed from the data (batches, closed idle-land cases) and its arithmetic shown; also as
//! Excel. The allocation is the city's: the city, its admin and the auditor see every county;
//! a county sees its own line with the totals it is measured against (Σ scores, the total),
//! which is what it needs to check its share. A report for the natural-resources department,
//! not a binding decision.

use super::workflow::{wants_xlsx, xlsx};
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Params;
use axum::Json;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use landcycle_domain::AdminCode;
use landcycle_domain::access::{Action, Decision, Target, decide};
use landcycle_domain::rules::RuleSet;
use landcycle_domain::rules::quota::{CountyQuota, QuotaStep};
use landcycle_store::{FigureSource, IdleDisposal, QuotaOverrides, StoreError};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::str::FromStr;
use utoipa::ToSchema;

/// One step of a county's score.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepOut {
    /// What, in Chinese (e.g. 批而未供消化奖励 0.5 × 120).
    pub label_zh: String,
    /// Points (negative for a deduction).
    pub points: String,
}

/// One county's line: its figures from the data, where each came from, and its arithmetic.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountyOut {
    /// County code (GB/T 2260).
    pub county: String,
    /// 基础指标, 亩.
    pub base_mu: String,
    /// Where the 基础指标 came from (the request or the rule set).
    pub base_source: FigureSource,
    /// 处置任务 last year, 亩.
    pub task_mu: String,
    /// Where the task came from.
    pub task_source: FigureSource,
    /// 批而未供消化 in the period, m² (counted kinds of the rule set).
    pub disposed_unsupplied_m2: String,
    /// … in 亩.
    pub disposed_unsupplied_mu: String,
    /// 闲置处置 in the period (closed or recovered idle-land cases), 亩.
    pub disposed_idle_mu: String,
    /// The idle-land cases counted.
    pub idle_cases: Vec<IdleDisposal>,
    /// Batches of the county.
    pub batches: usize,
    /// Batches approved in the 供地率 window.
    pub window_batches: usize,
    /// Window approved area, m².
    pub window_approved_m2: String,
    /// … of which supplied by as_of, m².
    pub window_supplied_m2: String,
    /// Window 供地率 (4 places); absent without approvals in the window.
    pub window_supply_rate: Option<String>,
    /// The score's arithmetic.
    pub steps: Vec<StepOut>,
    /// Score (≥ 0; 0 when key projects only).
    pub score: String,
    /// Window 供地率 below the threshold: key projects only (仅保障重点项目).
    pub key_projects_only: bool,
    /// total × score / Σ scores, before rounding, 亩.
    pub raw_mu: String,
    /// Rounding units added by the largest-remainder step.
    pub remainder_units: u32,
    /// Final quota, 亩.
    pub quota_mu: String,
}

/// The terms the counties are measured by (the rule set at the city).
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaTerms {
    /// Version of the resolved rules.
    pub rule_set_version: String,
    /// Points per 亩 of 批而未供 disposed.
    pub reward_ratio_unsupplied: String,
    /// Points per 亩 of 闲置 disposed.
    pub reward_ratio_idle: String,
    /// Points off per 亩 of task shortfall.
    pub penalty_ratio: String,
    /// Window 供地率 below which a county gets key projects only.
    pub supply_rate_threshold: String,
    /// Decimal places of the quotas.
    pub rounding_dp: u32,
}

/// The allocation with its arithmetic.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaOut {
    /// The year allocated.
    pub year: i16,
    /// The data and rules as of this day.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// The disposal period (from, to]: last year, cut at as_of.
    #[schema(value_type = String, format = Date)]
    pub period_from: Date,
    /// End of the disposal period.
    #[schema(value_type = String, format = Date)]
    pub period_to: Date,
    /// First approval year of the 供地率 window.
    pub window_first_year: i16,
    /// Last approval year of the window.
    pub window_last_year: i16,
    /// The city the terms were resolved at.
    pub city: String,
    /// The formula's terms.
    pub terms: QuotaTerms,
    /// Total to allocate, 亩.
    pub total_mu: String,
    /// Σ scores over every county (also when only some lines are shown).
    pub score_sum: String,
    /// Not allocated (the whole total when every score is 0), 亩.
    pub unallocated_mu: String,
    /// The counties the caller may see, by code.
    pub counties: Vec<CountyOut>,
}

fn s(d: Decimal) -> String {
    d.normalize().to_string()
}

fn step(q: &QuotaStep) -> StepOut {
    StepOut {
        label_zh: q.label_zh.clone(),
        points: s(q.points),
    }
}

/// `411002:120,411081:80` → county → 亩; the parameter named on failure.
fn per_county(params: &Params, k: &str) -> ApiResult<BTreeMap<AdminCode, Decimal>> {
    let Some(raw) = params.get(k) else {
        return Ok(BTreeMap::new());
    };
    let bad = |v: &str| {
        ApiError::bad_field(
            k,
            Some(v),
            "expected county:亩 pairs, e.g. 411002:120,411081:80 (亩 ≥ 0, each county once)",
            "应为“县代码:亩数”，以逗号分隔，如 411002:120,411081:80（亩数不为负，县不重复）",
        )
    };
    let mut out = BTreeMap::new();
    for pair in raw.split(',') {
        let (c, v) = pair.split_once(':').ok_or_else(|| bad(raw))?;
        let code = AdminCode::parse(c.trim()).map_err(|_| bad(raw))?;
        let mu = Decimal::from_str(v.trim())
            .ok()
            .filter(|m| *m >= Decimal::ZERO)
            .ok_or_else(|| bad(raw))?;
        if out.insert(code, mu).is_some() {
            return Err(bad(raw));
        }
    }
    Ok(out)
}

const HEADER: [&str; 17] = [
    "县（市、区）代码",
    "基础指标（亩）",
    "基础指标来源",
    "处置任务（亩）",
    "处置任务来源",
    "批而未供消化（亩）",
    "闲置土地处置（亩）",
    "闲置处置案件",
    "窗口批准面积（平方米）",
    "窗口已供面积（平方米）",
    "窗口供地率",
    "计算过程",
    "得分",
    "仅保障重点项目",
    "按比例指标（亩）",
    "余数补足单位",
    "分配指标（亩）",
];

fn xlsx_row(c: CountyOut) -> Vec<String> {
    vec![
        c.county,
        c.base_mu,
        c.base_source.label_zh,
        c.task_mu,
        c.task_source.label_zh,
        c.disposed_unsupplied_mu,
        c.disposed_idle_mu,
        c.idle_cases
            .iter()
            .map(|d| format!("{}（{}）", d.case_id, d.closed_on))
            .collect::<Vec<_>>()
            .join("；"),
        c.window_approved_m2,
        c.window_supplied_m2,
        c.window_supply_rate.unwrap_or_default(),
        c.steps
            .iter()
            .map(|x| format!("{}：{}", x.label_zh, x.points))
            .collect::<Vec<_>>()
            .join("；"),
        c.score,
        if c.key_projects_only { "是" } else { "否" }.into(),
        c.raw_mu,
        c.remainder_units.to_string(),
        c.quota_mu,
    ]
}

/// A bad total is the caller's query parameter: 400, not 422.
fn total_refused(e: StoreError) -> ApiError {
    match e {
        StoreError::Invalid(v) if v.iter().any(|f| f.field == "total_mu") => {
            let detail = v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            ApiError::BadRequest(detail, v)
        }
        other => other.into(),
    }
}

/// 增存挂钩: `total_mu` 亩 of `year`'s new construction-land quota split among the counties in
/// proportion to a score of their stock disposal last year (批而未供消化 from the batches by
/// the counted disposal kinds, 闲置处置 from closed idle-land cases), less any shortfall
/// against the task, with the 供地率 rule of §2.3; `format=xlsx` for Excel. 基础指标 and
/// 处置任务 come from the rule set (`quota.base_mu`, `quota.task_mu`) unless given as
/// `base_mu` / `task_mu` (`county:亩` pairs). A county account sees its own line.
#[utoipa::path(get, path = "/api/quota/allocation", tag = "quota",
    params(
        ("year" = i16, Query, description = "The year whose quota is allocated (disposal is counted in the year before)", minimum = 2001, maximum = 2100),
        ("total_mu" = String, Query, description = "Total new construction-land quota to allocate, 亩 (≥ 0, a multiple of the rounding unit 0.0001)"),
        ("as_of" = Option<jiff::civil::Date>, Query, description = "Data and rules as of this day (default 31 December of the year before)"),
        ("base_mu" = Option<String>, Query, description = "基础指标 per county, e.g. 411002:120,411081:80 (overrides the rule set)"),
        ("task_mu" = Option<String>, Query, description = "处置任务 per county, e.g. 411002:50 (overrides the rule set)"),
        ("format" = Option<String>, Query, description = "json (default) or xlsx"),
    ),
    responses((status = 200, description = "The allocation", content((QuotaOut = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "A missing or malformed parameter (year, total_mu, as_of, base_mu, task_mu, format), named"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "as_of before the disposal year, counties of more than one city, or no rule set in force on as_of")))]
pub async fn allocation(guard: Guard, params: Params) -> ApiResult<Response> {
    params.only(&["year", "total_mu", "as_of", "base_mu", "task_mu", "format"])?;
    let missing =
        |k: &str| ApiError::bad_field(k, None, "required parameter missing", "缺少必填参数");
    let year = params
        .int("year", 2001, 2100)?
        .ok_or_else(|| missing("year"))?;
    let year = i16::try_from(year).map_err(|_| missing("year"))?;
    let total = params
        .parse(
            "total_mu",
            "a number of 亩 ≥ 0",
            "不小于0的亩数",
            |v| Decimal::from_str(v).ok().filter(|d| *d >= Decimal::ZERO),
        )?
        .ok_or_else(|| missing("total_mu"))?;
    let as_of = params.date("as_of")?;
    let given = QuotaOverrides {
        base_mu: per_county(&params, "base_mu")?,
        task_mu: per_county(&params, "task_mu")?,
    };
    let as_xlsx = wants_xlsx(&params)?;
    let out = guard
        .run(move |c| {
            let (inputs, alloc) = c
                .registry()
                .quota_allocation(&RuleSet::xuchang_default(), year, as_of, &given, total)
                .map_err(total_refused)?;
            let p = c.principal();
            let sees = |county: &AdminCode| {
                let t = Target {
                    jurisdiction: Some(county.clone()),
                    ..Target::default()
                };
                matches!(decide(p, Action::ReadQuota, &t), Decision::Allow)
            };
            let by_code: BTreeMap<&AdminCode, &CountyQuota> =
                alloc.counties.iter().map(|q| (&q.county, q)).collect();
            let counties = inputs
                .counties
                .iter()
                .filter(|i| sees(&i.stock.county))
                .filter_map(|i| by_code.get(&i.stock.county).map(|q| (i, *q)))
                .map(|(i, q)| {
                    let w = &i.stock;
                    CountyOut {
                        county: w.county.as_str().to_owned(),
                        base_mu: s(w.base_mu),
                        base_source: i.base_source.clone(),
                        task_mu: s(w.task_mu),
                        task_source: i.task_source.clone(),
                        disposed_unsupplied_m2: s(i.disposed_unsupplied_m2),
                        disposed_unsupplied_mu: s(w.disposed_unsupplied_mu),
                        disposed_idle_mu: s(w.disposed_idle_mu),
                        idle_cases: i.idle_cases.clone(),
                        batches: i.batches,
                        window_batches: i.window_batches,
                        window_approved_m2: s(w.window_approved_m2),
                        window_supplied_m2: s(w.window_supplied_m2),
                        window_supply_rate: (w.window_approved_m2 > Decimal::ZERO)
                            .then(|| s((w.window_supplied_m2 / w.window_approved_m2).round_dp(4))),
                        steps: q.steps.iter().map(step).collect(),
                        score: s(q.score),
                        key_projects_only: q.key_projects_only,
                        raw_mu: s(q.raw_mu),
                        remainder_units: q.remainder_units,
                        quota_mu: s(q.quota_mu),
                    }
                })
                .collect();
            let t = &inputs.params;
            Ok(QuotaOut {
                year,
                as_of: inputs.as_of,
                period_from: inputs.period_from,
                period_to: inputs.period_to,
                window_first_year: inputs.window_first_year,
                window_last_year: inputs.window_last_year,
                city: inputs.city.as_str().to_owned(),
                terms: QuotaTerms {
                    rule_set_version: t.rule_set_version.clone(),
                    reward_ratio_unsupplied: s(t.reward_ratio_unsupplied),
                    reward_ratio_idle: s(t.reward_ratio_idle),
                    penalty_ratio: s(t.penalty_ratio),
                    supply_rate_threshold: s(t.supply_rate_threshold),
                    rounding_dp: t.rounding_dp,
                },
                total_mu: s(alloc.total_mu),
                score_sum: s(alloc.score_sum),
                unallocated_mu: s(alloc.unallocated_mu),
                counties,
            })
        })
        .await?;
    if as_xlsx {
        let year = out.year;
        let table: Vec<Vec<String>> = out.counties.into_iter().map(xlsx_row).collect();
        return xlsx::response(&format!("quota-{year}.xlsx"), "增存挂钩", &HEADER, &table);
    }
    Ok(Json(out).into_response())
}
