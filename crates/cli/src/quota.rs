//! `landcycle quota --year Y --total T [--as-of D] [--base-mu C:亩,…] [--task-mu C:亩,…]
//! [--xlsx FILE]`: the 增存挂钩 allocation of year Y's new construction-land quota among the
//! counties, each county's stock disposal computed from the data (batches, closed idle-land
//! cases), with its arithmetic — the same report as `GET /api/quota/allocation`.

use crate::xlsx_table::{Cell, write};
use anyhow::Context;
use jiff::civil::Date;
use landcycle_domain::AdminCode;
use landcycle_domain::rules::{QuotaAllocation, RuleSet};
use landcycle_store::{QuotaInputs, QuotaOverrides, Registry, SqliteStore};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// Options of `quota`.
#[derive(Debug, clap::Args)]
pub struct QuotaArgs {
    /// The year whose quota is allocated (disposal is counted in the year before).
    #[arg(long)]
    year: i16,
    /// Total new construction-land quota to allocate, 亩.
    #[arg(long)]
    total: Decimal,
    /// Data and rules as of this day (default: 31 December of the year before).
    #[arg(long)]
    as_of: Option<Date>,
    /// 基础指标 per county, e.g. 411002:120,411081:80 (default: the rule set's quota.base_mu).
    #[arg(long)]
    base_mu: Option<String>,
    /// 处置任务 per county, e.g. 411002:50 (default: the rule set's quota.task_mu).
    #[arg(long)]
    task_mu: Option<String>,
    /// Export the table (Chinese headers) to this .xlsx file.
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

fn per_county(flag: &str, raw: Option<&str>) -> anyhow::Result<BTreeMap<AdminCode, Decimal>> {
    let mut out = BTreeMap::new();
    for pair in raw
        .unwrap_or("")
        .split(',')
        .filter(|p| !p.trim().is_empty())
    {
        let (c, v) = pair
            .split_once(':')
            .with_context(|| format!("{flag}: `{pair}` is not county:亩 / 应为“县代码:亩数”"))?;
        let code = AdminCode::parse(c.trim()).with_context(|| format!("{flag}: county `{c}`"))?;
        let mu = Decimal::from_str(v.trim())
            .ok()
            .filter(|m| *m >= Decimal::ZERO)
            .with_context(|| format!("{flag}: `{v}` is not 亩 ≥ 0 / 亩数应不为负"))?;
        anyhow::ensure!(
            out.insert(code, mu).is_none(),
            "{flag}: county {c} given twice / 县重复"
        );
    }
    Ok(out)
}

const HEADERS: [&str; 14] = [
    "县（市、区）代码",
    "基础指标（亩）",
    "基础指标来源",
    "处置任务（亩）",
    "处置任务来源",
    "批而未供消化（亩）",
    "闲置土地处置（亩）",
    "窗口批准面积（平方米）",
    "窗口已供面积（平方米）",
    "计算过程",
    "得分",
    "仅保障重点项目",
    "按比例指标（亩）",
    "分配指标（亩）",
];

fn export(path: &Path, inputs: &QuotaInputs, alloc: &QuotaAllocation) -> anyhow::Result<()> {
    let rows: Vec<Vec<Cell>> = inputs
        .counties
        .iter()
        .zip(&alloc.counties)
        .map(|(i, q)| {
            let w = &i.stock;
            vec![
                Cell::Text(w.county.as_str().to_owned()),
                Cell::dec(w.base_mu.normalize()),
                Cell::Text(i.base_source.label_zh.clone()),
                Cell::dec(w.task_mu.normalize()),
                Cell::Text(i.task_source.label_zh.clone()),
                Cell::dec(w.disposed_unsupplied_mu.normalize()),
                Cell::dec(w.disposed_idle_mu.normalize()),
                Cell::dec(w.window_approved_m2.normalize()),
                Cell::dec(w.window_supplied_m2.normalize()),
                Cell::Text(
                    q.steps
                        .iter()
                        .map(|s| format!("{}：{}", s.label_zh, s.points.normalize()))
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
                Cell::dec(q.score.normalize()),
                Cell::Text(if q.key_projects_only { "是" } else { "否" }.into()),
                Cell::dec(q.raw_mu.round_dp(8).normalize()),
                Cell::dec(q.quota_mu.normalize()),
            ]
        })
        .collect();
    write(path, "增存挂钩", &HEADERS, &rows)
}

/// Runs `quota`.
pub fn run(db: &Path, a: QuotaArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        db.exists(),
        "{} does not exist (run `landcycle demo` first) / 数据库不存在",
        db.display()
    );
    anyhow::ensure!(
        a.total >= Decimal::ZERO,
        "--total must not be negative / 指标总量不能为负"
    );
    let given = QuotaOverrides {
        base_mu: per_county("--base-mu", a.base_mu.as_deref())?,
        task_mu: per_county("--task-mu", a.task_mu.as_deref())?,
    };
    let store =
        Arc::new(SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?);
    let (inputs, alloc) = Registry::new(store).quota_allocation(
        &RuleSet::xuchang_default(),
        a.year,
        a.as_of,
        &given,
        a.total,
    )?;
    let t = &inputs.params;
    println!(
        "增存挂钩 {} 年新增建设用地指标 {} 亩 (data as of {}; disposal in ({}, {}]; 供地率 window {}–{})",
        a.year,
        a.total,
        inputs.as_of,
        inputs.period_from,
        inputs.period_to,
        inputs.window_first_year,
        inputs.window_last_year
    );
    println!(
        "terms ({}): reward 批而未供 {} / 闲置 {} per 亩, penalty {} per 亩 short, 供地率 threshold {}",
        t.rule_set_version,
        t.reward_ratio_unsupplied,
        t.reward_ratio_idle,
        t.penalty_ratio,
        t.supply_rate_threshold
    );
    for (i, q) in inputs.counties.iter().zip(&alloc.counties) {
        let w = &i.stock;
        println!(
            "{}  批而未供消化 {} 亩 ({} batches), 闲置处置 {} 亩 ({} cases), 基础 {} ({}), 任务 {} ({})",
            w.county,
            w.disposed_unsupplied_mu.round_dp(4).normalize(),
            i.batches,
            w.disposed_idle_mu.round_dp(4).normalize(),
            i.idle_cases.len(),
            w.base_mu.normalize(),
            i.base_source.from,
            w.task_mu.normalize(),
            i.task_source.from
        );
        for s in &q.steps {
            println!("    {:<40} {:>12}", s.label_zh, s.points.normalize());
        }
        println!(
            "    score {}{}  →  quota {} 亩 (raw {}, +{} units)",
            q.score.normalize(),
            if q.key_projects_only {
                " (供地率 below threshold: key projects only / 仅保障重点项目)"
            } else {
                ""
            },
            q.quota_mu.normalize(),
            q.raw_mu.round_dp(8).normalize(),
            q.remainder_units
        );
    }
    println!(
        "Σ scores {}, unallocated {} 亩",
        alloc.score_sum.normalize(),
        alloc.unallocated_mu.normalize()
    );
    if let Some(path) = &a.xlsx {
        export(path, &inputs, &alloc)?;
        println!("written / 已导出 {}", path.display());
    }
    Ok(())
}
