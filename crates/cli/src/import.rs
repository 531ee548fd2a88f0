//! `landcycle import FILE...`: read Shapefile, GeoPackage, GeoJSON, Excel or CSV files of
//! parcels (or, with `--kind figures`, department figures), check every row, and write all of
//! them or none.

mod figures;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use landcycle_io::{ImportOptions, Kind, Mapping, ReadOptions, read_parcels_partial};
use landcycle_store::{ImportProblem, ImportRow, ImportSource, Registry, SqliteStore, WriteMeta};
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
    /// Files to import: .shp (with .dbf/.shx/.prj/.cpg beside it), .gpkg, .geojson, .xlsx, .csv.
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
    /// 7 parameters for Xian 1980 / Beijing 1954 data: recorded, not applied (such data is refused).
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
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg:24} [{bar:40}] {pos}/{len} ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
    );
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
    let reg = Registry::new(Arc::new(store));
    let actor = std::env::var("USER").unwrap_or_else(|_| "cli".to_owned());
    let meta = WriteMeta::new(actor, args.reason.clone());
    if let KindArg::Figures = args.kind {
        return figures::run(&reg, &args.files, &opts.read, &meta, args.dry_run);
    }
    let mut problems: Vec<ImportProblem> = Vec::new();
    let mut ready: Vec<(ImportSource, Vec<ImportRow>)> = Vec::new();
    for path in &args.files {
        let pb = bar(path);
        let out = read_parcels_partial(path, &opts, &mut |done, total| {
            pb.set_length(total as u64);
            pb.set_position(done as u64);
        });
        pb.finish_and_clear();
        print_source(&out.source);
        problems.extend(out.problems);
        if !out.rows.is_empty() {
            // Checks against the store (codes, enterprises, overlaps) without writing.
            let report = reg.import_parcels(out.rows.clone(), out.source.clone(), &meta, true)?;
            problems.extend(report.problems);
        }
        ready.push((out.source, out.rows));
    }
    if !problems.is_empty() {
        print_problems(&problems);
        bail!(
            "{} problem(s) found; nothing was written (发现{}个问题，未写入任何数据)",
            problems.len(),
            problems.len()
        );
    }
    let n: usize = ready.iter().map(|(_, rows)| rows.len()).sum();
    if args.dry_run {
        println!("dry run: {n} parcel(s) would be created; nothing written (试运行，未写入)");
        return Ok(());
    }
    let mut created = 0;
    for (source, rows) in ready {
        let report = reg.import_parcels(rows, source, &meta, false)?;
        if !report.written {
            print_problems(&report.problems);
            bail!(
                "{}: {} problem(s); this file was not written",
                report.source.file,
                report.problems.len()
            );
        }
        created += report.created.len();
    }
    println!("{created} parcel(s) created (已创建{created}宗宗地)");
    Ok(())
}
