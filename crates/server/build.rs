//! Builds the web UI (`web/`, Vue + Vite) into `web/dist` when it is missing or older than its
//! sources, so that the binary always embeds the UI (rust-embed, see `src/web.rs`).
//! `npm ci` runs only when `node_modules` is missing or older than `package-lock.json`.
//! Set `LANDCYCLE_WEB_SKIP_BUILD=1` to embed whatever `web/dist` holds without running npm.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

const SOURCES: &[&str] = &[
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
];

fn newest(p: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(p).ok()?;
    let mut t = meta.modified().ok()?;
    if meta.is_dir() {
        for e in std::fs::read_dir(p).ok()?.flatten() {
            if let Some(m) = newest(&e.path()) {
                t = t.max(m);
            }
        }
    }
    Some(t)
}

fn modified(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

fn npm(web: &Path, args: &[&str]) {
    eprintln!(
        "landcycle-server build: npm {} in {}",
        args.join(" "),
        web.display()
    );
    let status = Command::new("npm")
        .args(args)
        .current_dir(web)
        .stdin(Stdio::null())
        .stdout(std::io::stderr())
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "`npm {}` in {} failed ({s}); the web UI cannot be embedded. Run it by hand to see why.",
            args.join(" "),
            web.display()
        ),
        Err(e) => panic!(
            "the web UI in {} must be built and npm cannot be run ({e}). Install Node.js 20.19+ \
             with npm (Debian: apt-get install nodejs npm), or build web/dist elsewhere and set \
             LANDCYCLE_WEB_SKIP_BUILD=1.",
            web.display()
        ),
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let web = manifest.join("../../web");
    for s in SOURCES {
        println!("cargo:rerun-if-changed={}", web.join(s).display());
    }
    println!(
        "cargo:rerun-if-changed={}",
        web.join("dist/index.html").display()
    );
    println!("cargo:rerun-if-env-changed=LANDCYCLE_WEB_SKIP_BUILD");
    let dist_index = web.join("dist/index.html");
    if std::env::var_os("LANDCYCLE_WEB_SKIP_BUILD").is_some_and(|v| v == "1") {
        assert!(
            dist_index.exists(),
            "LANDCYCLE_WEB_SKIP_BUILD=1 but {} does not exist",
            dist_index.display()
        );
        return;
    }
    let sources = SOURCES.iter().filter_map(|s| newest(&web.join(s))).max();
    let built = modified(&dist_index);
    let stale = match (built, sources) {
        (None, _) => true,
        (Some(b), Some(s)) => s > b,
        (Some(_), None) => false,
    };
    if !stale {
        return;
    }
    let installed = modified(&web.join("node_modules/.package-lock.json"));
    let lock = modified(&web.join("package-lock.json"));
    if installed.is_none() || lock > installed {
        npm(&web, &["ci", "--no-audit", "--no-fund"]);
    }
    npm(&web, &["run", "build"]);
    assert!(
        dist_index.exists(),
        "npm run build did not write {}",
        dist_index.display()
    );
}
