//! Tests of the generated population (default config, generated once).

mod batches;
mod geometry;
mod records;

use super::*;
use crate::replay::replay;
use geo_types::{MultiPolygon, Polygon};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

pub(super) fn data() -> &'static DemoData {
    static D: OnceLock<DemoData> = OnceLock::new();
    D.get_or_init(|| generate(&DemoConfig::default()))
}

pub(super) fn poly(m: &MultiPolygon<f64>) -> &Polygon<f64> {
    assert_eq!(m.0.len(), 1, "one polygon");
    &m.0[0]
}

/// Ring as local metres (GRS80 radii at the ring's first vertex): near-exact for a parcel.
pub(super) fn metres(p: &Polygon<f64>) -> Vec<(f64, f64)> {
    let c = p.exterior().0[0];
    let f = geom::Frame::new(c.x, c.y, 0.0);
    let ring = &p.exterior().0;
    ring[..ring.len() - 1]
        .iter()
        .map(|&q| f.to_metric(q))
        .collect()
}

pub(super) fn area_m2(p: &Polygon<f64>) -> f64 {
    geom::shoelace2(&metres(p)) / 2.0
}

/// Planar area in degrees², relative to the first vertex (absolute coordinates would cancel).
pub(super) fn deg_area(m: &MultiPolygon<f64>) -> f64 {
    let ring = &poly(m).exterior().0;
    let o = ring[0];
    let r: Vec<(f64, f64)> = ring.iter().map(|c| (c.x - o.x, c.y - o.y)).collect();
    geom::shoelace2(&r[..r.len() - 1]) / 2.0
}

/// Final live parcels (id → draft).
pub(super) fn live() -> BTreeMap<ParcelId, ParcelDraft> {
    replay(&data().ops)
        .live
        .into_iter()
        .map(|(k, v)| (k, v.draft))
        .collect()
}

#[test]
fn print_default_summary() {
    let t = std::time::Instant::now();
    let fresh = generate(&DemoConfig::default());
    let took = t.elapsed();
    let s = fresh.summary();
    println!("{s}");
    println!("generated in {took:?} (run with --release for the real figure)");
    assert_eq!(s.problems, 0);
    assert_eq!(&s, &data().summary());
}

#[test]
fn same_seed_same_bytes_other_seed_other_data() {
    let a = serde_json::to_vec(data()).unwrap();
    let b = serde_json::to_vec(&generate(&DemoConfig::default())).unwrap();
    assert!(a == b, "same seed must give byte-identical JSON");
    let c = serde_json::to_vec(&generate(&DemoConfig {
        seed: 7,
        ..DemoConfig::default()
    }))
    .unwrap();
    assert!(a != c, "another seed must give other data");
    let back: DemoData = serde_json::from_slice(&a).unwrap();
    assert_eq!(back.ops.len(), data().ops.len());
}

#[test]
fn parks_follow_the_plan() {
    let parks = &data().parks;
    assert_eq!(parks.len(), 10);
    let ids: Vec<&str> = parks.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "jingkai",
            "dianqigu",
            "changge",
            "dazhou",
            "yuzhou",
            "xiangcheng-xh",
            "shangji",
            "yanling",
            "xiangcheng",
            "weidu"
        ]
    );
    let by = |id: &str| parks.iter().find(|p| p.id.as_str() == id).unwrap();
    let weidu = by("weidu");
    assert_eq!(weidu.tax_per_mu_target.min_wan, Decimal::from(15));
    assert_eq!(weidu.tax_per_mu_target.max_wan, None);
    assert_eq!(weidu.aliases[0].name, "魏都产业集聚区(高新技术产业园区)");
    assert_eq!(weidu.jurisdiction.code.as_str(), "411002");
    let jingkai = by("jingkai");
    assert_eq!(jingkai.tax_per_mu_target.min_wan, Decimal::from(20));
    assert_eq!(jingkai.tax_per_mu_target.max_wan, Some(Decimal::from(30)));
    assert_eq!(jingkai.jurisdiction.code.as_str(), "411071");
    assert_eq!(jingkai.area_km2, Some(Decimal::new(166, 1)));
    let dianqigu = by("dianqigu");
    assert_eq!(
        (
            dianqigu.jurisdiction.code.as_str(),
            dianqigu.jurisdiction.name.as_str()
        ),
        ("411003", "建安区")
    );
    assert_eq!(by("yuzhou").lead_industries, ["装备制造业", "生物医药业"]);
    assert!(
        parks
            .iter()
            .filter(|p| p.id.as_str() != "weidu")
            .all(|p| p.aliases.is_empty())
    );
}

/// Every (id, draft) the ops write.
pub(super) fn drafts(d: &DemoData) -> Vec<(ParcelId, &ParcelDraft)> {
    let mut out = Vec::new();
    for op in &d.ops {
        match op {
            DemoOp::CreateParcel { id, draft, .. } | DemoOp::UpdateParcel { id, draft, .. } => {
                out.push((*id, draft));
            }
            DemoOp::SplitParcel { children, .. } => {
                out.extend(children.iter().map(|(i, d)| (*i, d)))
            }
            DemoOp::MergeParcels { child, .. } => out.push((child.0, &child.1)),
            DemoOp::AddSupply { .. } => {}
        }
    }
    out
}

/// A ring in metres of the frame of `origin`'s first vertex.
pub(super) fn metres_at(p: &Polygon<f64>, origin: &Polygon<f64>) -> Vec<(f64, f64)> {
    let c = origin.exterior().0[0];
    let f = geom::Frame::new(c.x, c.y, 0.0);
    let ring = &p.exterior().0;
    ring[..ring.len() - 1]
        .iter()
        .map(|&q| f.to_metric(q))
        .collect()
}

/// Area of the intersection of two convex anticlockwise polygons (Sutherland–Hodgman).
pub(super) fn clip_area(subject: &[(f64, f64)], clip: &[(f64, f64)]) -> f64 {
    let mut out = subject.to_vec();
    for i in 0..clip.len() {
        let (a, b) = (clip[i], clip[(i + 1) % clip.len()]);
        let side = |p: (f64, f64)| (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        let input = std::mem::take(&mut out);
        for j in 0..input.len() {
            let (p, q) = (input[j], input[(j + 1) % input.len()]);
            let (sp, sq) = (side(p), side(q));
            if sp >= 0.0 {
                out.push(p);
            }
            if (sp >= 0.0) != (sq >= 0.0) {
                let t = sp / (sp - sq);
                out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
            }
        }
        if out.is_empty() {
            return 0.0;
        }
    }
    geom::shoelace2(&out).abs() / 2.0
}
