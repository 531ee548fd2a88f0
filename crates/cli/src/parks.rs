//! `landcycle parks --year Y`: each park's 亩均税收 (Σ tax ÷ Σ land of its enterprises) against its
//! target band from the pilot plan, with the trend over every year that has figures.

use crate::xlsx_table::{Cell, write};
use anyhow::Context;
use landcycle_domain::Yuan;
use landcycle_domain::rules::park_targets::BandPosition;
use landcycle_store::{ParkTaxRow, Registry, SqliteStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Options of `parks`.
#[derive(Debug, clap::Args)]
pub struct ParksArgs {
    /// The year to compare with the targets.
    #[arg(long)]
    year: i16,
    /// Export the table (Chinese headers) to this .xlsx file.
    #[arg(long)]
    xlsx: Option<PathBuf>,
    /// Print the table as JSON.
    #[arg(long)]
    json: bool,
}

fn band(r: &ParkTaxRow) -> String {
    match r.target.max_wan {
        Some(m) => format!("{}—{}", r.target.min_wan, m),
        None => format!("≥{}", r.target.min_wan),
    }
}

fn position_zh(p: Option<BandPosition>) -> &'static str {
    match p {
        Some(BandPosition::Below) => "低于目标 below",
        Some(BandPosition::Within) => "达到目标 within",
        Some(BandPosition::Above) => "高于目标 above",
        None => "无数据 no data",
    }
}

fn export(path: &Path, rows: &[ParkTaxRow], year: i16) -> anyhow::Result<()> {
    let years: Vec<i16> = rows
        .first()
        .map(|r| r.years.iter().map(|y| y.year).collect())
        .unwrap_or_default();
    let mut headers: Vec<String> = [
        "园区",
        "园区代码",
        "目标下限(万元/亩)",
        "目标上限(万元/亩)",
        "企业数",
        "用地(亩)",
        "税收(万元)",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    headers.push(format!("{year}年亩均税收(万元/亩)"));
    headers.push("对照目标".to_owned());
    headers.extend(years.iter().map(|y| format!("{y}年亩均税收(万元/亩)")));
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let y = r.year(year);
            let mut row = vec![
                Cell::Text(r.name.clone()),
                Cell::Text(r.park_id.as_str().to_owned()),
                Cell::dec(r.target.min_wan),
                r.target.max_wan.map_or(Cell::Empty, Cell::dec),
                Cell::Num(y.map_or(0.0, |y| y.enterprises as f64)),
                y.map_or(Cell::Empty, |y| Cell::dec(y.land_mu)),
                y.map_or(Cell::Empty, |y| {
                    Cell::dec(Yuan(y.tax_yuan).to_wan().round_dp(4))
                }),
                y.and_then(|y| y.tax_per_mu_wan)
                    .map_or(Cell::Empty, Cell::dec),
                Cell::Text(position_zh(y.and_then(|y| y.position)).to_owned()),
            ];
            row.extend(
                r.years
                    .iter()
                    .map(|y| y.tax_per_mu_wan.map_or(Cell::Empty, Cell::dec)),
            );
            row
        })
        .collect();
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    write(path, &format!("园区亩均税收{year}"), &h, &cells)
}

/// Runs `parks`.
pub fn run(db: &Path, a: ParksArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        db.exists(),
        "{} does not exist (run `landcycle demo` first) / 数据库不存在",
        db.display()
    );
    let store =
        Arc::new(SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?);
    let rows = Registry::new(store).park_table()?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        println!(
            "园区亩均税收 {} (万元/亩) against the pilot plan's targets",
            a.year
        );
        println!(
            "{:<26} {:>10} {:>10}  {:<16} trend / 历年",
            "园区 park", "目标", a.year, "对照"
        );
        for r in &rows {
            let y = r.year(a.year);
            let v = y
                .and_then(|y| y.tax_per_mu_wan)
                .map_or_else(|| "-".to_owned(), |v| v.round_dp(2).to_string());
            let trend: Vec<String> = r
                .years
                .iter()
                .map(|y| {
                    let v = y
                        .tax_per_mu_wan
                        .map_or_else(|| "-".to_owned(), |v| v.round_dp(2).to_string());
                    format!("{}:{v}", y.year)
                })
                .collect();
            println!(
                "{:<26} {:>10} {:>10}  {:<16} {}",
                r.name,
                band(r),
                v,
                position_zh(y.and_then(|y| y.position)),
                trend.join(" ")
            );
        }
    }
    if let Some(path) = &a.xlsx {
        export(path, &rows, a.year)?;
        println!("written / 已导出 {}", path.display());
    }
    Ok(())
}
