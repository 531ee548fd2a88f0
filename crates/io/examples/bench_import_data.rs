//! Data for `scripts/bench-import N`: a store seeded with the park and the land users the
//! parcels refer to, and a CSV of N parcels (WKT in CGCS2000 3° GK zone 38 with the zone
//! prefix, EPSG:4526, and Chinese attributes) that the script turns into a GBK Shapefile with
//! GDAL.
//!
//! `cargo run --release -p landcycle-io --example bench_import_data -- N STORE.gpkg OUT.csv`
//!
//! The parcels are ~65 m × ~67 m rectangles on a ~92 m × ~100 m grid (roads between them, no
//! overlaps) from 113.0E 33.5N, 1,000 to a row: 1,000,000 parcels cover ~92 km × ~100 km, all
//! in zone 38 (112.5E–115.5E). Nine in ten carry a valid 宗地代码 (GB/T 37346: county 411002,
//! 地籍区, 地籍子区, GB, sequence); three in four are supplied to one of 500 registered land users
//! (用地单位 with a valid 统一社会信用代码, check character per GB 32100), the others are
//! 批而未供. 面积(亩) is the registered area: the parcel's Gauss–Krüger area, rounded to 0.0001
//! 亩 as a registry records it.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use geo_types::{Geometry, MultiPolygon, polygon};
use jiff::civil::date;
use landcycle_domain::codes::uscc_check_char;
use landcycle_domain::park::{Jurisdiction, TaxPerMuTarget};
use landcycle_domain::{AdminCode, Enterprise, Park, ParkId};
use landcycle_geo::{Crs, Transformer, gk_area_m2};
use landcycle_store::{Registry, SqliteStore, WriteMeta};
use rust_decimal::Decimal;
use std::sync::Arc;

const ORIGIN: (f64, f64) = (113.0, 33.5);
const PITCH: (f64, f64) = (0.0010, 0.0009);
const SIZE: (f64, f64) = (0.0007, 0.0006);
const COLUMNS: usize = 1000;
const USERS: usize = 500;
const PARK: &str = "weidu";

const FIRST: &[&str] = &[
    "瑞", "丰", "远", "东", "华", "盛", "恒", "信", "宏", "达", "金", "鼎",
];
const SECOND: &[&str] = &[
    "机械",
    "电气",
    "铝业",
    "发制品",
    "食品",
    "化工",
    "陶瓷",
    "纺织",
];
const ROADS: &[&str] = &["建设路", "魏文路", "尚德路", "许继大道", "永昌路", "八一路"];

fn rect(i: usize) -> MultiPolygon<f64> {
    let x = ORIGIN.0 + (i % COLUMNS) as f64 * PITCH.0;
    let y = ORIGIN.1 + (i / COLUMNS) as f64 * PITCH.1;
    let (w, h) = SIZE;
    MultiPolygon(vec![
        polygon![(x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h), (x: x, y: y)],
    ])
}

/// A valid 宗地代码, or none for one parcel in ten (unregistered land).
fn zongdi(i: usize) -> Option<String> {
    if i % 10 == 9 {
        return None;
    }
    let seq = i % 99_999 + 1;
    let sub = (i / 99_999) % 999 + 1;
    let district = (i / (99_999 * 999)) % 999 + 1;
    Some(format!("411002{district:03}{sub:03}GB{seq:05}"))
}

/// Land user `k`: a 统一社会信用代码 (91 = 工商/企业, 411002, 9-digit body, check character)
/// and a company name.
fn user(k: usize) -> (String, String) {
    let first17 = format!("91411002{:09}", 317_000_000 + k * 7_919);
    let check = uscc_check_char(&first17).expect("digits only");
    let name = format!(
        "许昌{}{}{}有限公司",
        FIRST[k % FIRST.len()],
        FIRST[(k / FIRST.len()) % FIRST.len()],
        SECOND[k % SECOND.len()]
    );
    (format!("{first17}{check}"), name)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, n, store, csv_path] = &args[..] else {
        panic!("usage: bench_import_data N STORE.gpkg OUT.csv");
    };
    let n: usize = n.parse().expect("N is a number");
    let meta = WriteMeta::new("基准测试", "基准数据").effective(date(2015, 1, 1));

    let reg = Registry::new(Arc::new(
        SqliteStore::open(std::path::Path::new(store)).unwrap(),
    ));
    let rows = n.div_ceil(COLUMNS);
    let (x1, y1) = (
        ORIGIN.0 + COLUMNS as f64 * PITCH.0,
        ORIGIN.1 + rows as f64 * PITCH.1,
    );
    let (x0, y0) = ORIGIN;
    reg.put_park(
        Park {
            id: ParkId::parse(PARK).unwrap(),
            name: "魏都产业集聚区".into(),
            aliases: vec![],
            jurisdiction: Jurisdiction {
                code: AdminCode::parse("411002").unwrap(),
                name: "魏都区".into(),
            },
            lead_industries: vec!["高端装备制造业".into()],
            tax_per_mu_target: TaxPerMuTarget {
                min_wan: Decimal::from(15),
                max_wan: None,
            },
            area_km2: None,
            roles: vec![],
            boundary: Some(MultiPolygon(vec![polygon![
                (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)
            ]])),
        },
        &meta,
    )
    .unwrap();
    for k in 0..USERS {
        let (uscc, name) = user(k);
        let e = Enterprise::new(&uscc, &name, Some("C3411"), true, Some(PARK), None).unwrap();
        reg.put_enterprise(e, &meta).unwrap();
    }

    let to_gk = Transformer::new(&Crs::Cgcs2000Geographic, &Crs::from_epsg(4526).unwrap()).unwrap();
    let mut w = csv::Writer::from_path(csv_path).unwrap();
    w.write_record([
        "WKT",
        "宗地代码",
        "项目名称",
        "坐落",
        "行政区代码",
        "园区",
        "土地用途",
        "状态",
        "面积(亩)",
        "用地单位",
        "信用代码",
    ])
    .unwrap();
    for i in 0..n {
        let g = rect(i);
        let mu = Decimal::from_f64_retain(gk_area_m2(&g).unwrap() * 3.0 / 2000.0)
            .unwrap()
            .round_dp(4);
        let Geometry::MultiPolygon(gk) = to_gk.geometry(&Geometry::MultiPolygon(g)).unwrap() else {
            unreachable!("a multipolygon stays one")
        };
        let ring: Vec<String> = gk.0[0]
            .exterior()
            .coords()
            .map(|c| format!("{:.3} {:.3}", c.x, c.y))
            .collect();
        let wkt = format!("POLYGON (({}))", ring.join(","));
        let supplied = i % 4 != 3;
        let (uscc, name) = if supplied {
            user(i % USERS)
        } else {
            (String::new(), String::new())
        };
        w.write_record([
            wkt.as_str(),
            zongdi(i).as_deref().unwrap_or(""),
            &format!("魏都产业集聚区{}号地块", i + 1),
            &format!("许昌市魏都区{}{}号", ROADS[i % ROADS.len()], i % 500 + 1),
            "411002",
            PARK,
            "一类工业用地",
            if supplied {
                "已供应"
            } else {
                "批而未供"
            },
            &mu.to_string(),
            &name,
            &uscc,
        ])
        .unwrap();
    }
    w.flush().unwrap();
    eprintln!("{n} parcels → {csv_path}; store with the park and {USERS} land users → {store}");
}
