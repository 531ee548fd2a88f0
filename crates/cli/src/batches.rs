//! `landcycle batches [--park P] [--as-of D] [--xlsx FILE]`: every approval batch (批次) with
//! its 批而未供 accounting on a day — approved, supplied, deducted and unsupplied area, 供地率,
//! age bucket and the 2019 flags (满2年未征收, 征收满3年仍未供) — and the city-wide totals.

use crate::xlsx_table::{Cell, write};
use anyhow::Context;
use jiff::civil::Date;
use landcycle_domain::ParkId;
use landcycle_domain::rules::RuleSet;
use landcycle_domain::units::AreaM2;
use landcycle_store::{BatchRow, Registry, SqliteStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Options of `batches`.
#[derive(Debug, clap::Args)]
pub struct BatchesArgs {
    /// Only the batches of this park.
    #[arg(long)]
    park: Option<String>,
    /// Account as of this day (default: today).
    #[arg(long)]
    as_of: Option<Date>,
    /// Export the table (Chinese headers) to this .xlsx file.
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

fn mu(m2: rust_decimal::Decimal) -> String {
    AreaM2(m2).to_mu().display().round_dp(2).to_string()
}

fn flags(r: &BatchRow) -> String {
    r.status
        .findings
        .iter()
        .map(|f| f.rule_id.clone())
        .collect::<Vec<_>>()
        .join(",")
}

const HEADERS: [&str; 14] = [
    "批文号",
    "批次名称",
    "园区",
    "批准日期",
    "征收完成日期",
    "批准面积(平方米)",
    "已供面积(平方米)",
    "核减面积(平方米)",
    "批而未供面积(平方米)",
    "批而未供面积(亩)",
    "供地率",
    "年龄段",
    "预警规则",
    "预警说明",
];

fn export(path: &Path, rows: &[BatchRow]) -> anyhow::Result<()> {
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let (b, s) = (&r.batch, &r.status);
            vec![
                Cell::Text(b.id.clone()),
                Cell::Text(b.name.clone()),
                Cell::Text(
                    b.park_id
                        .as_ref()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_default(),
                ),
                Cell::Text(b.approved_on.to_string()),
                Cell::Text(b.acquired_on.map(|d| d.to_string()).unwrap_or_default()),
                Cell::dec(s.approved_m2),
                Cell::dec(s.supplied_m2),
                Cell::dec(s.deducted_m2),
                Cell::dec(s.unsupplied_m2),
                Cell::dec(AreaM2(s.unsupplied_m2).to_mu().display()),
                Cell::dec(s.supply_rate),
                Cell::Text(s.age_bucket.clone()),
                Cell::Text(flags(r)),
                Cell::Text(
                    s.findings
                        .iter()
                        .map(|f| f.reason_zh.clone())
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
            ]
        })
        .collect();
    write(path, "批次", &HEADERS, &cells)
}

/// Runs `batches`.
pub fn run(db: &Path, a: BatchesArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        db.exists(),
        "{} does not exist (run `landcycle demo` first) / 数据库不存在",
        db.display()
    );
    let park = a
        .park
        .as_deref()
        .map(ParkId::parse)
        .transpose()
        .context("--park")?;
    let as_of = a.as_of.unwrap_or_else(|| jiff::Zoned::now().date());
    let store =
        Arc::new(SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?);
    let rows: Vec<BatchRow> = Registry::new(store)
        .batch_rows(&RuleSet::xuchang_default(), as_of)?
        .into_iter()
        .filter(|r| {
            park.as_ref()
                .is_none_or(|p| r.batch.park_id.as_ref() == Some(p))
        })
        .collect();
    println!("批次 approval batches as of {as_of} (面积: 亩 mu)");
    println!(
        "{:<20} {:<10} {:<10} {:>10} {:>10} {:>10} {:>8} {:<5} flags",
        "批文号", "园区", "批准日期", "批准", "已供", "未供", "供地率", "年龄"
    );
    for r in &rows {
        let (b, s) = (&r.batch, &r.status);
        println!(
            "{:<20} {:<10} {:<10} {:>10} {:>10} {:>10} {:>8} {:<5} {}",
            b.id,
            b.park_id.as_ref().map_or("-", |p| p.as_str()),
            b.approved_on,
            mu(s.approved_m2),
            mu(s.supplied_m2),
            mu(s.unsupplied_m2),
            s.supply_rate,
            s.age_bucket,
            flags(r)
        );
    }
    let refs: Vec<&BatchRow> = rows.iter().collect();
    let from = jiff::civil::date(as_of.year() - 1, 12, 31);
    let t = landcycle_store::summarize_batches(&refs, from, as_of).total;
    println!(
        "{} batches: approved {} 亩, supplied {} 亩, unsupplied {} 亩, 供地率 {}; 消化率 since {from}: {}",
        t.batches,
        mu(t.approved_m2),
        mu(t.supplied_m2),
        mu(t.unsupplied_m2),
        t.supply_rate.map_or_else(|| "-".into(), |r| r.to_string()),
        t.disposal_rate
            .map_or_else(|| "-".into(), |r| r.to_string()),
    );
    if let Some(path) = &a.xlsx {
        export(path, &rows)?;
        println!("written / 已导出 {}", path.display());
    }
    Ok(())
}
