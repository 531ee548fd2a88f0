//! `landcycle` — the command of the landcycle platform (工业用地全生命周期管理平台).

mod accounts;
mod batches;
mod demo;
mod demo_indicator_sets;
mod demo_workflow;
mod evaluate;
mod export;
mod import;
mod inspect;
mod parks;
mod quota;
mod scan;
mod serve;
mod warnings;
mod xlsx_table;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// mimalloc instead of glibc's allocator: a 1,000,000-parcel import spent a quarter of its
/// CPU time in glibc's `malloc`/`free` (arena locks, consolidation of freed chunks across the
/// reader, checker and writer threads); BENCHMARKS.md, "Import benchmarks".
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// landcycle: industrial land from supply to exit (工业用地全生命周期管理).
#[derive(Debug, Parser)]
#[command(name = "landcycle", version, about, long_about = None)]
struct Cli {
    /// The store: a GeoPackage file (opens in QGIS and GDAL as it is).
    #[arg(
        long,
        global = true,
        env = "LANDCYCLE_DB",
        default_value = "landcycle.gpkg"
    )]
    db: PathBuf,
    /// Log filter, e.g. `info` or `landcycle=debug,tower_http=debug`.
    #[arg(long, global = true, env = "LANDCYCLE_LOG", default_value = "info")]
    log: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the platform (REST API and OpenAPI at /api/openapi.json). On the first run, with no
    /// store yet, it builds the demo data of the Xuchang pilot first.
    Serve(serve::ServeArgs),
    /// Build the demo store: the ten Xuchang parks and a synthetic population (合成数据).
    Demo(demo::DemoArgs),
    /// Print row counts of the store.
    Stats,
    /// Check the store's integrity (SQLite, foreign keys, current layer vs history).
    Check,
    /// Read parcels.
    #[command(subcommand)]
    Parcel(inspect::ParcelCmd),
    /// User accounts: add (the first admin: `user add admin --role admin`), list, disable.
    #[command(subcommand)]
    User(accounts::UserCmd),
    /// API tokens for scripts and department systems: create, revoke, list.
    #[command(subcommand)]
    Token(accounts::TokenCmd),
    /// Search the audit log (newest first, one JSON object a line).
    Audit(accounts::AuditArgs),
    /// Import parcels from Shapefile, GeoPackage, GeoJSON, Excel or CSV files, all or nothing.
    Import(import::ImportArgs),
    /// Export parcels to Excel (Chinese headers), GeoPackage, Shapefile, GeoJSON or CSV.
    Export(export::ExportArgs),
    /// Run the rules (闲置, 批而未供, 低效) over every live parcel and report per park.
    Scan(scan::ScanArgs),
    /// 亩均效益评价 of a year: score and class every enterprise with land and figures, store the
    /// run, print class counts per park, export to Excel.
    Evaluate(evaluate::EvaluateArgs),
    /// Each park's 亩均税收 against its target from the pilot plan, with the trend over years.
    Parks(parks::ParksArgs),
    /// Approval batches (批次) with their 批而未供 accounting, 供地率 and flags.
    Batches(batches::BatchesArgs),
    /// 增存挂钩: a year's new construction-land quota allocated among counties by their stock
    /// disposal (from the batches and closed idle-land cases), with the arithmetic.
    Quota(quota::QuotaArgs),
    /// The warnings centre: list due and overdue items, or dispatch them to webhooks.
    #[command(subcommand)]
    Warnings(warnings::WarningsCmd),
    /// Webhook subscriptions of the warnings centre: add, list.
    #[command(subcommand)]
    Webhook(warnings::WebhookCmd),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&cli.log)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command {
        Command::Serve(a) => serve::run(&cli.db, a),
        Command::Demo(a) => demo::run(&cli.db, a),
        Command::Stats => inspect::stats(&cli.db),
        Command::Check => inspect::check(&cli.db),
        Command::Parcel(c) => inspect::parcel(&cli.db, c),
        Command::User(c) => accounts::user(&cli.db, c),
        Command::Token(c) => accounts::token(&cli.db, c),
        Command::Audit(a) => accounts::audit_log(&cli.db, a),
        Command::Import(a) => import::run(&cli.db, a),
        Command::Export(a) => export::run(&cli.db, a),
        Command::Scan(a) => scan::run(&cli.db, a),
        Command::Evaluate(a) => evaluate::run(&cli.db, a),
        Command::Parks(a) => parks::run(&cli.db, a),
        Command::Batches(a) => batches::run(&cli.db, a),
        Command::Quota(a) => quota::run(&cli.db, a),
        Command::Warnings(c) => warnings::run(&cli.db, c),
        Command::Webhook(c) => warnings::webhook(&cli.db, c),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
