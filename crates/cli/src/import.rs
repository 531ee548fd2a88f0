//! `landcycle import FILE...`: read Shapefile, GeoPackage, GeoJSON, Excel or CSV files of
//! parcels (or, with `--kind figures`, department figures), check every row, and write all of
//! them or none.

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use landcycle_io::{
    ImportKind, ImportOptions, Kind, Mapping, ReadOptions, commit_with_progress, prepare,
};
use landcycle_store::{ImportProblem, ImportSource, Registry, SqliteStore, WriteMeta};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the files hold.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    /// 宗地 (one polygon per row).
    Parcels,
    /// 部门数据: yearly figures by 统一社会信用代码 (税收, 产值, 用电量, 从业人员).
    Figures,
}

/// `landcycle import` arguments.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Files to import: .shp (with .dbf/.shx/.prj/.cpg beside it), .gpkg, .geojson, .fgb, .xlsx,
    /// .csv.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// What the files hold.
    #[arg(long, value_enum, default_value = "parcels")]
    kind: KindArg,
    /// CRS of the coordinates (EPSG:n), over the file's own (.prj, gpkg_spatial_ref_sys, crs).
    #[arg(long)]
    crs: Option<String>,
    /// Text encoding of the attributes (GBK or UTF-8), over .cpg and detection.
    #[arg(long)]
    encoding: Option<String>,
    /// A TOML file mapping column names to fields: `[fields]` `"原列名" = "code"`.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// 7 parameters dx,dy,dz,rx,ry,rz,ds (m, ″, ppm; position vector as PROJ's +towgs84) that
    /// move Xian 1980 / Beijing 1954 Shapefile data to CGCS2000; applied and recorded.
    #[arg(long)]
    towgs84: Option<String>,
    /// GeoPackage layer or Excel sheet, when the file has several.
    #[arg(long)]
    layer: Option<String>,
    /// Check everything and report, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Why the parcels are imported (recorded in their history).
    #[arg(long, default_value = "批量导入 / bulk import")]
    reason: String,
}

fn bar(path: &Path) -> ProgressBar {
    bar_named(
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
    )
}

fn bar_named(message: String) -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg:24} [{bar:40}] {pos}/{len} ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(message);
    pb
}

fn print_problems(problems: &[ImportProblem]) {
    println!(
        "{:<20} {:>6}  {:<22} {:<24} 原因 / reason",
        "file", "row", "field", "value"
    );
    for p in problems {
        let value: String = p
            .value
            .clone()
            .unwrap_or_default()
            .chars()
            .take(24)
            .collect();
        let row = p.row.map_or_else(|| "-".to_owned(), |r| r.to_string());
        println!(
            "{:<20} {:>6}  {:<22} {:<24} {}",
            p.file, row, p.field, value, p.reason_zh
        );
        println!("{:<20} {:>6}  {:<22} {:<24} {}", "", "", "", "", p.reason);
    }
}

fn print_source(s: &ImportSource) {
    println!("{} ({}, {}, sha256 {})", s.file, s.format, s.crs, s.sha256);
    if let Some(e) = &s.encoding {
        println!("  encoding: {e}");
    }
    for n in &s.notes {
        println!("  {n}");
    }
}

/// Runs the import; an error (non-zero exit) when any file has a problem.
pub fn run(db: &Path, args: ImportArgs) -> anyhow::Result<()> {
    let crs = args
        .crs
        .as_deref()
        .map(landcycle_geo::Crs::parse)
        .transpose()
        .context("--crs")?;
    let mapping = args.mapping.as_deref().map(Mapping::load).transpose()?;
    let opts = ImportOptions {
        read: ReadOptions {
            crs,
            encoding: args.encoding.clone(),
            towgs84: args.towgs84.clone(),
            layer: args.layer.clone(),
        },
        mapping,
        kind: Kind::Parcels,
    };
    let store = SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?;
    // The import owns the file while it runs: a large write may then leave WAL for a rollback
    // journal and write its pages once (it falls back to WAL when a server has the file open).
    store.set_sole_writer(true);
    let reg = Registry::new(Arc::new(store));
    let actor = std::env::var("USER").unwrap_or_else(|_| "cli".to_owned());
    let meta = WriteMeta::new(actor, args.reason.clone());
    let kind = match args.kind {
        KindArg::Parcels => ImportKind::Parcels,
        KindArg::Figures => ImportKind::Figures,
    };
    let mut current: Option<(PathBuf, ProgressBar)> = None;
    let prepared = prepare(
        &reg,
        &args.files,
        kind,
        &opts,
        &meta,
        &mut |path, done, total| {
            if current.as_ref().is_none_or(|(p, _)| p != path) {
                if let Some((_, pb)) = current.take() {
                    pb.finish_and_clear();
                }
                current = Some((path.to_owned(), bar(path)));
            }
            if let Some((_, pb)) = &current {
                pb.set_length(total as u64);
                pb.set_position(done as u64);
            }
        },
    )?;
    if let Some((_, pb)) = current.take() {
        pb.finish_and_clear();
    }
    for s in prepared.sources() {
        print_source(&s);
    }
    // A single file is checked and written in one pass: its bar counts the rows written.
    let mut writing: Option<ProgressBar> = None;
    let report = commit_with_progress(
        &reg,
        prepared,
        &meta,
        args.dry_run,
        &mut |file, done, total| {
            let pb = writing.get_or_insert_with(|| {
                let pb = bar_named(format!("{file} 检查并写入 / checking, writing"));
                pb.set_length(total as u64);
                pb
            });
            pb.set_position(done as u64);
        },
    );
    if let Some(pb) = writing.take() {
        pb.finish_and_clear();
    }
    let report = report?;
    if !report.problems.is_empty() {
        print_problems(&report.problems);
        bail!(
            "{} problem(s) found; nothing was written (发现{}个问题，未写入任何数据)",
            report.problems.len(),
            report.problems.len()
        );
    }
    let (created, updated) = (report.created, report.updated);
    match (kind, args.dry_run) {
        (ImportKind::Parcels, true) => println!(
            "dry run: {created} parcel(s) would be created; nothing written (试运行，未写入)"
        ),
        (ImportKind::Parcels, false) => {
            println!("{created} parcel(s) created (已创建{created}宗宗地)");
        }
        (ImportKind::Figures, true) => println!(
            "dry run: {} row(s) would be imported; nothing written (试运行，未写入)",
            created + updated
        ),
        (ImportKind::Figures, false) => println!(
            "{created} enterprise-year(s) added, {updated} replaced (old values kept in history) \
             / 新增{created}条，替换{updated}条（原值保留于历史）"
        ),
    }
    if let Some(id) = report.import_id {
        println!("import {id}");
    }
    Ok(())
}
