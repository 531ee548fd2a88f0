//! Builds a store of N synthetic parcels for the OGC API, tile and rule-scan benchmarks
//! (BENCHMARKS.md), through the registry's write path (validation, areas, history), with
//! per-commit syncing off: a crash loses the file, which a benchmark store can afford.
//!
//! ```sh
//! cargo run --release -p landcycle-store --example synthetic_store -- 1000000 /tmp/b1m.gpkg
//! cargo run --release -p landcycle-store --example synthetic_store -- 1000000 /tmp/s1m.gpkg --bulk
//! ```
//!
//! The grid is square (`ceil(sqrt(N))` parcels a row), so 100k parcels cover ~29 × 28 km and
//! 1M ~92 × 90 km around Xuchang, at the density of the criterion benchmarks. The last line of
//! the output is the extent, `min_lon,min_lat,max_lon,max_lat`, for the load generators.
//!
//! `--bulk` writes 10,000 parcels (or supplies) per transaction through the registry's bulk
//! calls (each row checked as a single write is, each with its history event), and adds what
//! the rule scan reads, so that it finds something: one enterprise per 50 parcels with its
//! 2023–2024 figures (one in five paying little tax: 低效), a grant contract for every supplied
//! parcel with an agreed start of 2020-06-01 and completion of 2021-06-01 (one in sixteen
//! never started: 闲置; the rest out of the 3-year 暂评 window for 2024), and an
//! approval batch (批次) per 1,000 parcels holding them (the unsupplied quarter: 批而未供).
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../benches/fixtures/mod.rs"]
#[allow(dead_code)]
mod fixtures;

use jiff::civil::date;
use landcycle_domain::codes::uscc_check_char;
use landcycle_domain::figures::AnnualFigures;
use landcycle_domain::rules::unsupplied::BatchParcel;
use landcycle_domain::{BatchDraft, Enterprise, ParcelLifecycle, SupplyDraft, SupplyMode};
use landcycle_store::{Registry, SqliteStore};
use rust_decimal::Decimal;
use std::time::Instant;

const CHUNK: u32 = 10_000;
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A valid, unique 统一社会信用代码 for enterprise `i`.
fn uscc(i: u32) -> String {
    let mut body = String::from("91411002");
    let mut n = i;
    for _ in 0..9 {
        body.push(char::from(ALPHABET[(n % 31) as usize]));
        n /= 31;
    }
    let c = uscc_check_char(&body).unwrap();
    format!("{body}{c}")
}

fn progress(what: &str, done: u32, n: u32, started: Instant) {
    let s = started.elapsed().as_secs_f64();
    eprintln!(
        "{:>9} / {n} {what}  {:>6.1} s  {:>7.0} /s",
        done,
        s,
        f64::from(done) / s
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bulk = args.iter().any(|a| a == "--bulk");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (Some(n), Some(path)) = (pos.first(), pos.get(1)) else {
        eprintln!("usage: synthetic_store N PATH [--bulk]");
        std::process::exit(2);
    };
    let n: u32 = n.replace('_', "").parse().expect("N is a count of parcels");
    let path = std::path::Path::new(path.as_str());
    assert!(
        !path.exists(),
        "{} exists; choose a new path",
        path.display()
    );
    let columns = f64::from(n).sqrt().ceil() as u32;
    let reg = fixtures::open(path);
    reg.store().set_bulk_mode(true).unwrap();
    let started = Instant::now();
    if bulk {
        build_bulk(&reg, n, columns, started);
    } else {
        let m = fixtures::meta("批量入库", fixtures::V1);
        let step = (n / 20).max(1);
        for i in 0..n {
            reg.create_parcel(fixtures::draft_in(i, columns), &m, None)
                .unwrap();
            if (i + 1) % step == 0 {
                progress("parcels", i + 1, n, started);
            }
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

fn build_bulk(reg: &Registry<SqliteStore>, n: u32, columns: u32, started: Instant) {
    let enterprises = (n / 50).max(1);
    let em = fixtures::meta("登记企业", date(2015, 1, 1));
    let mut figures = Vec::new();
    for e in 0..enterprises {
        let u = uscc(e);
        let ent = Enterprise::new(
            &u,
            &format!("许昌合成企业{e}有限公司"),
            Some("C3411"),
            e % 3 != 0,
            Some(fixtures::PARK),
            None,
        )
        .unwrap();
        reg.put_enterprise(ent, &em).unwrap();
        // ~50 parcels of ~4,400 m² (~6.6 亩 each, ~330 亩): 10 万元/亩 is ~3,300 万元; one in five
        // pays a tenth of that (低效 by 亩均税收).
        let tax = if e % 5 == 0 { 3_300_000 } else { 33_000_000 };
        // Two years: LE-4 asks for 2 consecutive years below the cut.
        for year in [2023, 2024] {
            let t = Decimal::from(tax + i64::from(e % 97) * 1000);
            figures.push(AnnualFigures::new(&u, year, t, None, None, None).unwrap());
        }
    }
    reg.put_figures(figures, &fixtures::meta("部门数据", date(2025, 3, 1)))
        .unwrap();
    progress("enterprises", enterprises, enterprises, started);
    let m = fixtures::meta("批量入库", fixtures::V1);
    let sm = fixtures::meta("供地", fixtures::V1);
    let bm = fixtures::meta("批次录入", date(2019, 3, 1));
    let mut i = 0;
    while i < n {
        let end = (i + CHUNK).min(n);
        let drafts = (i..end)
            .map(|k| {
                let mut d = fixtures::draft_in(k, columns);
                if d.enterprise.is_some() {
                    d.enterprise = Some(uscc(k / 50 % enterprises));
                    // One supplied parcel in sixteen never started (闲置); the rest are in
                    // operation, where the 亩均 rules apply.
                    if k % 16 != 1 {
                        d.status = ParcelLifecycle::Operating;
                    }
                }
                d
            })
            .collect();
        let parcels = reg.create_parcels(drafts, &m).unwrap();
        let supplies = parcels
            .iter()
            .filter_map(|p| {
                p.enterprise.as_ref().map(|u| SupplyDraft {
                    parcel_id: p.id,
                    enterprise: u.as_str().to_owned(),
                    mode: SupplyMode::Grant,
                    right_nature: None,
                    contract_no: format!("许合成出让〔2019〕{}号", p.name),
                    contract_date: date(2019, 12, 1),
                    delivery_date: Some(date(2019, 12, 31)),
                    agreed_start: Some(date(2020, 6, 1)),
                    // More than 3 years before the end of 2024: a completion date within 3
                    // years of 31 Dec of the evaluation year puts the parcel in the 暂评 window
                    // (§3.5, Hefei), where LE-4 does not apply — with 2022-06-01 here, LE-4
                    // found nothing for 2024 although one enterprise in five pays ~1.4 万元/亩.
                    agreed_completion: Some(date(2021, 6, 1)),
                    term_years: Some(50),
                    price_yuan: Decimal::from(2_000_000),
                })
            })
            .collect();
        reg.add_supplies(supplies, &sm).unwrap();
        // A batch per 1,000 parcels, approved for their area and a fifth more (roads, unregistered).
        for (b, group) in parcels.chunks(1000).enumerate() {
            let no = i / 1000 + b as u32;
            let members: Vec<BatchParcel> = group
                .iter()
                .map(|p| BatchParcel {
                    parcel_id: Some(p.id),
                    area_m2: p.computed_area_m2,
                    supplied_on: None,
                })
                .collect();
            let area: Decimal = members.iter().map(|p| p.area_m2.0).sum();
            reg.add_batch(
                BatchDraft {
                    id: format!("豫政土合成〔2019〕{no}号"),
                    name: format!("合成批次{no}"),
                    jurisdiction: "411002".into(),
                    park_id: Some(fixtures::PARK.into()),
                    approved_on: date(2019, 3, 1),
                    approved_area_m2: (area * Decimal::new(12, 1)).round_dp(2),
                    acquired_on: Some(date(2019, 9, 1)),
                    source_doc: None,
                    parcels: members,
                    deductions: vec![],
                },
                &bm,
            )
            .unwrap();
        }
        i = end;
        progress("parcels", i, n, started);
    }
}
