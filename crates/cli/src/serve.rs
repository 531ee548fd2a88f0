//! `landcycle serve`.

use anyhow::Context;
use std::net::SocketAddr;
use std::path::Path;

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LANDCYCLE_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Do not build the demo data when the store does not exist yet.
    #[arg(long)]
    no_demo: bool,
    /// Size of the demo built on the first run (parcels; enterprises scale with it).
    #[arg(long, default_value_t = landcycle_demo::DemoConfig::default().parcels)]
    demo_parcels: usize,
    /// Send the session cookie without `Secure` even when not bound to loopback (only behind a
    /// proxy that terminates TLS on the same host, or for tests).
    #[arg(long)]
    insecure_cookies: bool,
    /// Requests without an account (portal, public OGC collections and tiles) allowed per
    /// second and client address, after a burst of ten times as many.
    #[arg(long, env = "LANDCYCLE_PUBLIC_RATE", default_value_t = 30.0)]
    public_rate: f64,
    /// Largest upload `POST /api/imports` takes, in MiB (archives may inflate to 10× that).
    #[arg(long, env = "LANDCYCLE_MAX_UPLOAD_MB", default_value_t = 200)]
    max_upload_mb: u64,
    /// CJK font (.ttf/.ttc) of the parcel card PDF; default: env LANDCYCLE_CJK_FONT, then the
    /// system's WenQuanYi Micro Hei (Debian fonts-wqy-microhei).
    #[arg(long)]
    font: Option<std::path::PathBuf>,
}

pub fn run(db: &Path, args: ServeArgs) -> anyhow::Result<()> {
    if !db.exists() && !args.no_demo {
        tracing::info!(db = %db.display(), "no store yet: building the demo data first");
        let d = landcycle_demo::DemoConfig::default();
        let cfg = landcycle_demo::DemoConfig {
            parcels: args.demo_parcels,
            enterprises: d.enterprises * args.demo_parcels / d.parcels.max(1),
            ..d
        };
        crate::demo::build(db, &cfg, false, true)?;
    }
    let store = landcycle_store::SqliteStore::open(db)
        .with_context(|| format!("opening {}", db.display()))?;
    let auth = landcycle_server::auth::AuthConfig {
        secure_cookies: !(args.bind.ip().is_loopback() || args.insecure_cookies),
        public_reads: landcycle_server::auth::public_limit::Rate {
            burst: (args.public_rate * 10.0).clamp(1.0, 1e6) as u32,
            per_sec: args.public_rate.max(0.01),
        },
        ..Default::default()
    };
    let state = landcycle_server::state_for(store)
        .with_auth_config(auth)
        .with_ui_config(landcycle_server::UiConfig::from_env())
        .with_upload_limits(landcycle_io::upload::UploadLimits {
            max_body: args.max_upload_mb << 20,
            max_unzipped: (args.max_upload_mb << 20).saturating_mul(10),
            ..Default::default()
        });
    let state = match args.font {
        Some(f) => state.with_card_font(f),
        None => state,
    };
    let swept = landcycle_server::sweep_stale_uploads(&std::env::temp_dir());
    if swept > 0 {
        tracing::info!(
            swept,
            "removed the upload directories of servers that were killed during an import"
        );
    }
    // One single-threaded runtime per core (see `landcycle_server::serve_per_core`).
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    landcycle_server::serve_per_core(state, args.bind, threads, |addr| {
        tracing::info!(%addr, db = %db.display(), threads, "landcycle is serving; API document at /api/openapi.json");
        eprintln!("landcycle: http://{addr}/api/parks  (OpenAPI: http://{addr}/api/openapi.json)");
    })
    .with_context(|| format!("serving on {}", args.bind))?;
    Ok(())
}
