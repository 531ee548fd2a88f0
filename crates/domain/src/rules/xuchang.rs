//! 许昌默认规则集 — the §10 consolidated configuration as the Xuchang (411000) rule set, in force
//! from 2021-01-01, each value with its source and confidence tag. Counties and parks override
//! values with [`RuleSet::amend`].

use super::config::{Confidence, ParamValue, RuleParam, RuleSet, Scope};
use super::finding::docs;
use super::mu_evaluation::MuEvalConfig;
use crate::codes::AdminCode;
use jiff::civil::{Date, date};
use rust_decimal::Decimal;

/// The city code of 许昌市 (GB/T 2260).
pub const XUCHANG: &str = "411000";

/// The day the default set takes effect.
pub const XUCHANG_FROM: Date = date(2021, 1, 1);

fn n(v: i64, scale: u32) -> ParamValue {
    ParamValue::Number(Decimal::new(v, scale))
}

fn list(v: &[&str]) -> ParamValue {
    ParamValue::List(v.iter().map(|s| (*s).to_owned()).collect())
}

impl RuleSet {
    /// The §10 defaults as the Xuchang configuration (`xuchang-default`).
    pub fn xuchang_default() -> RuleSet {
        use Confidence::{LocalExample as L, ProposedDefault as P, Recalled as R, Verified as V};
        let idle = docs::IDLE_MEASURES;
        let plan = docs::XUCHANG_PLAN;
        let local = docs::LOCAL_DEFAULT;
        let mu = docs::MU_EVALUATION;
        let u19 = docs::UNSUPPLIED_2019;
        let zc = docs::ZENGCUN;
        let rows: Vec<(&str, ParamValue, &str, &str, Confidence)> = vec![
            // 闲置土地 (53号令)
            ("idle_land.no_start_years", n(1, 0), idle, "第二条", V),
            ("idle_land.suspended_years", n(1, 0), idle, "第二条", V),
            (
                "idle_land.developed_area_ratio_lt",
                ParamValue::Fraction { num: 1, den: 3 },
                idle,
                "第二条",
                V,
            ),
            (
                "idle_land.invested_ratio_lt",
                ParamValue::Fraction { num: 1, den: 4 },
                idle,
                "第二条",
                V,
            ),
            ("idle_land.fee_rate", n(20, 2), idle, "第十四条", V),
            ("idle_land.recovery_years", n(2, 0), idle, "第十四条", V),
            (
                "idle_land.investigate_within_days",
                n(30, 0),
                idle,
                "第五条",
                V,
            ),
            ("idle_land.respond_within_days", n(30, 0), idle, "第五条", V),
            (
                "idle_land.perform_within_days",
                n(30, 0),
                idle,
                "第十七条",
                R,
            ),
            (
                "idle_land.gov_cause_extension_max_years",
                n(1, 0),
                idle,
                "第十二条",
                R,
            ),
            ("idle_land.temp_use_max_years", n(2, 0), idle, "第十二条", R),
            (
                "idle_land.default_start_after_delivery_years",
                n(1, 0),
                idle,
                "第二十二条",
                R,
            ),
            // 批而未供
            (
                "unsupplied.window_short_years",
                n(3, 0),
                "2017年城市批次用地报批改革",
                "供地率",
                V,
            ),
            (
                "unsupplied.window_short_threshold",
                n(50, 2),
                "2017年城市批次用地报批改革",
                "供地率",
                V,
            ),
            (
                "unsupplied.window_long_years",
                n(5, 0),
                zc,
                "近五年平均供地率",
                R,
            ),
            (
                "unsupplied.window_long_threshold",
                n(60, 2),
                zc,
                "近五年平均供地率",
                R,
            ),
            (
                "unsupplied.no_acquisition_years",
                n(2, 0),
                u19,
                "批准满二年未征地",
                R,
            ),
            (
                "unsupplied.acquired_not_supplied_years",
                n(3, 0),
                u19,
                "征而未供满三年",
                R,
            ),
            (
                "unsupplied.age_buckets_years",
                list(&["2", "3", "5"]),
                local,
                "§2.2",
                P,
            ),
            (
                "unsupplied.disposal_kinds_counted",
                list(&[
                    "supplied",
                    "approval_withdrawn",
                    "verified_no_supply_needed",
                ]),
                local,
                "§2.2",
                P,
            ),
            // 存量状态
            (
                "stock_status.production_grace_months",
                n(12, 0),
                local,
                "§2.5",
                P,
            ),
            // 低效用地 (§3.5)
            (
                "low_efficiency.overdue_completion_years",
                n(2, 0),
                local,
                "LE-1",
                L,
            ),
            (
                "low_efficiency.post_completion_years",
                n(2, 0),
                local,
                "LE-2/LE-3",
                L,
            ),
            (
                "low_efficiency.investment_ratio_lt",
                n(5, 1),
                local,
                "LE-2",
                L,
            ),
            ("low_efficiency.output_ratio_lt", n(5, 1), local, "LE-3", L),
            (
                "low_efficiency.tax_per_mu_floor_wan",
                n(3, 0),
                local,
                "LE-4",
                P,
            ),
            (
                "low_efficiency.tax_vs_park_avg_lt",
                n(5, 1),
                local,
                "LE-4",
                P,
            ),
            (
                "low_efficiency.consecutive_years",
                n(2, 0),
                local,
                "LE-4/LE-8",
                P,
            ),
            (
                "low_efficiency.far_floor_fallback",
                n(8, 1),
                local,
                "LE-5",
                P,
            ),
            (
                "low_efficiency.building_coverage_lt",
                n(30, 2),
                docs::CONTROL_INDICATORS,
                "建筑系数",
                V,
            ),
            (
                "low_efficiency.stopped_production_years",
                n(1, 0),
                local,
                "LE-6",
                L,
            ),
            (
                "low_efficiency.new_enterprise_grace_years",
                n(3, 0),
                "合肥高新区亩均效益评价办法",
                "暂评",
                V,
            ),
            // 亩均效益评价 (§5)
            (
                "mu_evaluation.min_land_mu",
                n(5, 0),
                "合肥高新区亩均效益评价办法",
                "评价范围",
                V,
            ),
            (
                "mu_evaluation.config",
                ParamValue::Structured(
                    serde_json::to_value(MuEvalConfig::huangyan_population_mean())
                        .unwrap_or(serde_json::Value::Null),
                ),
                mu,
                "评价指标及权重",
                V,
            ),
            // 园区目标 (the plan)
            (
                "park_targets.le_disposal_rate",
                n(60, 2),
                plan,
                "二、主要目标",
                V,
            ),
            (
                "park_targets.le_disposal_deadline",
                ParamValue::Date(date(2021, 12, 31)),
                plan,
                "二、主要目标",
                V,
            ),
            (
                "park_targets.revitalise_mu",
                n(13_700, 0),
                plan,
                "二、主要目标",
                V,
            ),
            (
                "park_targets.revitalise_deadline",
                ParamValue::Date(date(2022, 12, 31)),
                plan,
                "二、主要目标",
                V,
            ),
            // 增存挂钩 (task 16, §2.3) — every ratio a placeholder
            ("quota.reward_ratio_unsupplied", n(5, 1), zc, "增存挂钩", P),
            ("quota.reward_ratio_idle", n(5, 1), zc, "增存挂钩", P),
            ("quota.penalty_ratio", n(1, 0), zc, "增存挂钩", P),
            (
                "quota.supply_rate_years",
                n(5, 0),
                zc,
                "近五年平均供地率",
                R,
            ),
            (
                "quota.supply_rate_threshold",
                n(60, 2),
                zc,
                "近五年平均供地率",
                R,
            ),
            ("quota.rounding_dp", n(4, 0), local, "§7.1 0.0001亩", P),
            // Each county's 基础指标 (from the provincial plan and key projects) and last year's
            // 处置任务: no city-wide value exists, so the default is 0 and a county's figure is
            // set by a county-scoped amendment from its date (or given with the request).
            (
                "quota.base_mu",
                n(0, 0),
                zc,
                "基础指标（省下达计划、重点项目）",
                P,
            ),
            ("quota.task_mu", n(0, 0), zc, "存量土地处置任务", P),
        ];
        let scope = AdminCode::parse(XUCHANG)
            .map(Scope::Admin)
            .unwrap_or(Scope::Admin(AdminCode(XUCHANG.to_owned())));
        let params = rows
            .into_iter()
            .map(|(key, value, doc, art, confidence)| RuleParam {
                key: key.to_owned(),
                value,
                jurisdiction_code: scope.clone(),
                effective_from: XUCHANG_FROM,
                effective_to: None,
                source_doc: doc.to_owned(),
                source_article: art.to_owned(),
                confidence,
            })
            .collect();
        RuleSet::unchecked("xuchang-default", params)
    }
}
