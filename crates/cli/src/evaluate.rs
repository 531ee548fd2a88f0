//! `landcycle evaluate --year Y`: 亩均效益评价 of every enterprise with land and figures of the
//! year, stored as a run (reproducible from its stored inputs); prints class counts per park and
//! the top and bottom enterprises, and exports the result table to Excel on request.

use crate::xlsx_table::{Cell, write};
use anyhow::Context;
use landcycle_domain::rules::RuleSet;
use landcycle_store::{EvaluationEntry, EvaluationRun, Registry, SqliteStore, Store, WriteMeta};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Options of `evaluate`.
#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    /// Year of the department figures to evaluate.
    #[arg(long)]
    year: i16,
    /// Export the result table (Chinese headers) to this .xlsx file.
    #[arg(long)]
    xlsx: Option<PathBuf>,
    /// How many top and bottom enterprises to print per population.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Re-run a stored run from its stored inputs and check the results are identical.
    #[arg(long, value_name = "RUN_ID")]
    reproduce: Option<String>,
}

const CLASSES: [&str; 4] = ["A", "B", "C", "D"];

fn class_of(e: &EvaluationEntry) -> String {
    e.class.map_or_else(|| "-".to_owned(), |c| format!("{c:?}"))
}

fn print_run(run: &EvaluationRun, parks: &BTreeMap<String, String>, top: usize) {
    println!(
        "亩均效益评价 {} run {} (rules {}): {} enterprises",
        run.year,
        run.id,
        run.rule_set_version,
        run.entries.len()
    );
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for e in &run.entries {
        let park = e.park_id.as_ref().map_or("-", |p| p.as_str()).to_owned();
        *counts
            .entry(park)
            .or_default()
            .entry(class_of(e))
            .or_default() += 1;
    }
    println!(
        "{:<24} {:>5} {:>5} {:>5} {:>5} {:>6}",
        "园区 park", "A", "B", "C", "D", "未评"
    );
    for (park, c) in &counts {
        let name = parks.get(park).map_or(park.as_str(), String::as_str);
        let n = |k: &str| c.get(k).copied().unwrap_or(0);
        println!(
            "{name:<24} {:>5} {:>5} {:>5} {:>5} {:>6}",
            n(CLASSES[0]),
            n(CLASSES[1]),
            n(CLASSES[2]),
            n(CLASSES[3]),
            n("-")
        );
    }
    for (above, label) in [(true, "规上 above scale"), (false, "规下 below scale")] {
        let mut ranked: Vec<&EvaluationEntry> = run
            .entries
            .iter()
            .filter(|e| e.inputs.input.above_scale == above && e.rank.is_some())
            .collect();
        ranked.sort_by_key(|e| (e.rank, e.uscc.as_str().to_owned()));
        if ranked.is_empty() {
            continue;
        }
        let line = |e: &EvaluationEntry| {
            println!(
                "  {:>4}  {}  {:<28} {:>10} {}",
                e.rank.unwrap_or(0),
                e.uscc.as_str(),
                e.inputs.name,
                e.score
                    .map(|s| s.round_dp(2).to_string())
                    .unwrap_or_default(),
                class_of(e)
            );
        };
        println!("{label}: top {top} / 前{top}名");
        ranked.iter().take(top).for_each(|e| line(e));
        println!("{label}: bottom {top} / 后{top}名");
        let skip = ranked.len().saturating_sub(top).max(top.min(ranked.len()));
        ranked.iter().skip(skip).for_each(|e| line(e));
    }
}

fn export(
    path: &Path,
    run: &EvaluationRun,
    parks: &BTreeMap<String, String>,
) -> anyhow::Result<()> {
    let headers = [
        "企业名称",
        "统一社会信用代码",
        "园区",
        "规模",
        "亩均税收(万元/亩)",
        "得分",
        "等级",
        "排名",
        "未评原因",
    ];
    let rows: Vec<Vec<Cell>> = run
        .entries
        .iter()
        .map(|e| {
            let park = e.park_id.as_ref().map(|p| p.as_str().to_owned());
            vec![
                Cell::Text(e.inputs.name.clone()),
                Cell::Text(e.uscc.as_str().to_owned()),
                Cell::Text(
                    park.map(|p| parks.get(&p).cloned().unwrap_or(p))
                        .unwrap_or_default(),
                ),
                Cell::Text(
                    if e.inputs.input.above_scale {
                        "规上"
                    } else {
                        "规下"
                    }
                    .into(),
                ),
                e.inputs
                    .input
                    .values
                    .get("tax_per_mu")
                    .map_or(Cell::Empty, |v| Cell::dec(v.round_dp(4))),
                e.score.map_or(Cell::Empty, Cell::dec),
                e.class.map_or(Cell::Empty, |_| Cell::Text(class_of(e))),
                e.rank.map_or(Cell::Empty, |r| Cell::Num(f64::from(r))),
                e.not_rated.clone().map_or(Cell::Empty, Cell::Text),
            ]
        })
        .collect();
    write(path, &format!("亩均效益评价{}", run.year), &headers, &rows)
}

/// Runs `evaluate`.
pub fn run(db: &Path, a: EvaluateArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        db.exists(),
        "{} does not exist (run `landcycle demo` first) / 数据库不存在",
        db.display()
    );
    let store =
        Arc::new(SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?);
    let reg = Registry::new(store);
    let parks: BTreeMap<String, String> = reg
        .store()
        .parks()?
        .into_iter()
        .map(|p| (p.id.as_str().to_owned(), p.name))
        .collect();
    if let Some(id) = &a.reproduce {
        let stored = reg
            .store()
            .evaluation_run(id)?
            .with_context(|| format!("no evaluation run {id} / 评价批次不存在"))?;
        let again = reg.reproduce_evaluation(id)?;
        anyhow::ensure!(
            again == stored,
            "run {id} does not reproduce / 评价结果无法复现"
        );
        println!("run {id} reproduced: identical results / 复现一致");
        return Ok(());
    }
    let actor = std::env::var("USER").unwrap_or_else(|_| "cli".to_owned());
    let meta = WriteMeta::new(actor, format!("亩均效益评价 {} / evaluation", a.year));
    let out = reg.evaluate_year(&RuleSet::xuchang_default(), a.year, &meta)?;
    print_run(&out.run, &parks, a.top);
    println!(
        "left out / 未纳入: {} below the minimum land (用地不足), {} without figures of {} (无当年数据)",
        out.below_min_land, out.without_figures, a.year
    );
    if let Some(path) = &a.xlsx {
        export(path, &out.run, &parks)?;
        println!("written / 已导出 {}", path.display());
    }
    Ok(())
}
