//! Builds a store of N synthetic parcels for the OGC API and tile benchmarks (BENCHMARKS.md),
//! through the registry's normal write path (validation, areas, history), with per-commit
//! syncing off: a crash loses the file, which a benchmark store can afford.
//!
//! ```sh
//! cargo run --release -p landcycle-store --example synthetic_store -- 1000000 /tmp/b1m.gpkg
//! ```
//!
//! The grid is square (`ceil(sqrt(N))` parcels a row), so 100k parcels cover ~29 × 28 km and
//! 1M ~92 × 90 km around Xuchang, at the density of the criterion benchmarks. The last line of
//! the output is the extent, `min_lon,min_lat,max_lon,max_lat`, for the load generators.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../benches/fixtures/mod.rs"]
#[allow(dead_code)]
mod fixtures;

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: synthetic_store N PATH");
        std::process::exit(2);
    };
    let n: u32 = n.replace('_', "").parse().expect("N is a count of parcels");
    let path = std::path::Path::new(path);
    assert!(
        !path.exists(),
        "{} exists; choose a new path",
        path.display()
    );
    let columns = f64::from(n).sqrt().ceil() as u32;
    let reg = fixtures::open(path);
    reg.store().set_bulk_mode(true).unwrap();
    let m = fixtures::meta("批量入库", fixtures::V1);
    let started = Instant::now();
    let step = (n / 20).max(1);
    for i in 0..n {
        reg.create_parcel(fixtures::draft_in(i, columns), &m, None)
            .unwrap();
        if (i + 1) % step == 0 {
            let s = started.elapsed().as_secs_f64();
            eprintln!(
                "{:>9} / {n} parcels  {:>6.1} s  {:>7.0} parcels/s",
                i + 1,
                s,
                f64::from(i + 1) / s
            );
        }
    }
    reg.store().set_bulk_mode(false).unwrap();
    let [x0, y0, x1, y1] = fixtures::extent_in(n, columns);
    eprintln!(
        "{n} parcels in {:.1} s, {columns} a row",
        started.elapsed().as_secs_f64()
    );
    println!("{x0},{y0},{x1},{y1}");
}
