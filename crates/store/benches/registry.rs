//! Store benchmarks: registry insert throughput, as-of reads and bbox queries at 100k parcels.
//! How to run them and the figures: `BENCHMARKS.md` at the repository root.

#![allow(missing_docs, clippy::unwrap_used)]

#[allow(dead_code)] // shared with the GDAL test and the synthetic_store example
mod fixtures;

use criterion::{BatchSize, Criterion, Throughput};
use jiff::civil::date;
use landcycle_domain::ParcelId;
use landcycle_store::{ParcelQuery, Registry, SqliteStore, Store};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use std::cell::OnceCell;
use std::hint::black_box;
use std::time::Instant;

/// Parcels in the store the reads run against.
const BIG: u32 = 100_000;
/// Every `VERSIONED_EVERY`-th parcel of the big store gets three versions (1,000 in all).
const VERSIONED_EVERY: usize = 100;
/// Parcels created per timed insert iteration.
const INSERT_BATCH: u32 = 1_000;
/// ~500 m in degrees of longitude and latitude at 34°N.
const BOX: (f64, f64) = (0.0054, 0.0045);

/// The 100k-parcel store shared by the read benchmarks.
struct Big {
    reg: Registry<SqliteStore>,
    versioned: Vec<ParcelId>,
    _dir: tempfile::TempDir,
}

impl Big {
    /// Built through the registry, like real data, so that the rows, the R*Tree and the history
    /// have the shape production writes give them.
    fn build() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let reg = fixtures::open(&dir.path().join("big.gpkg"));
        let t = Instant::now();
        let ids = fixtures::create(&reg, 0..BIG);
        let created = t.elapsed();
        let versioned: Vec<ParcelId> = ids.iter().step_by(VERSIONED_EVERY).copied().collect();
        let t = Instant::now();
        for id in &versioned {
            fixtures::add_versions(&reg, *id);
        }
        let updated = t.elapsed();
        let stats = reg.store().stats().unwrap();
        eprintln!(
            "built the {BIG}-parcel store in {:.1} s ({:.0} creates/s) + {} parcels × 2 updates in {:.1} s; {stats:?}",
            created.as_secs_f64(),
            f64::from(BIG) / created.as_secs_f64(),
            versioned.len(),
            updated.as_secs_f64(),
        );
        reg.store().checkpoint().unwrap();
        Self {
            reg,
            versioned,
            _dir: dir,
        }
    }
}

fn insert_throughput(c: &mut Criterion) {
    let mut g = c.benchmark_group("insert_throughput");
    // One iteration is a thousand durable commits, so the default 100 samples would take long.
    g.sample_size(10);
    g.throughput(Throughput::Elements(u64::from(INSERT_BATCH)));
    g.bench_function("create_parcel_1000", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let reg = fixtures::open(&dir.path().join("insert.gpkg"));
                (reg, dir)
            },
            // Returning the store keeps its closing and deletion out of the timing.
            |(reg, dir)| {
                black_box(fixtures::create(&reg, 0..INSERT_BATCH));
                (reg, dir)
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

fn as_of_read(c: &mut Criterion, big: &OnceCell<Big>) {
    let dates = [
        date(2019, 6, 1), // before the parcel existed: no row
        date(2020, 6, 1),
        fixtures::V2,
        date(2022, 6, 1),
        fixtures::V3,
        date(2025, 6, 1),
    ];
    c.bench_function("as_of_read", |b| {
        let big = big.get_or_init(Big::build);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        b.iter(|| {
            let id = big.versioned[rng.random_range(0..big.versioned.len())];
            let d = dates[rng.random_range(0..dates.len())];
            black_box(big.reg.store().parcel(id, Some(d)).unwrap())
        });
    });
}

fn bbox_query(c: &mut Criterion, big: &OnceCell<Big>) {
    let [x0, y0, x1, y1] = fixtures::extent(BIG);
    c.bench_function("bbox_query", |b| {
        let big = big.get_or_init(Big::build);
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        b.iter(|| {
            let x = rng.random_range(x0..x1 - BOX.0);
            let y = rng.random_range(y0..y1 - BOX.1);
            let q = ParcelQuery {
                bbox: Some([x, y, x + BOX.0, y + BOX.1]),
                limit: 100,
                ..Default::default()
            };
            black_box(big.reg.store().parcels(&q).unwrap())
        });
    });
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    insert_throughput(&mut c);
    // Built lazily, so a filter that selects only the insert benchmark does not pay for it.
    let big = OnceCell::new();
    as_of_read(&mut c, &big);
    bbox_query(&mut c, &big);
    c.final_summary();
}
