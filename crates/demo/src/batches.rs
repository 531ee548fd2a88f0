//! Approval batches (批次) of the demo: every live parcel that is 批而未供 or supplied at the
//! end of the history lies in one batch of its park, grouped by approval year. The mix is
//! shaped so the batch rules find cases: old batches fully supplied, batches approved more
//! than two years ago and never acquired (满2年未征收), batches with an unregistered remainder
//! left unsupplied for years (征收满3年仍未供), and a few deductions (撤回批文, 核实无需供应,
//! 纳入储备).

use crate::DemoOp;
use crate::replay::replay;
use crate::summary::HISTORY_END;
use jiff::ToSpan;
use jiff::civil::Date;
use landcycle_domain::rules::unsupplied::{BatchParcel, DisposalKind};
use landcycle_domain::units::AreaM2;
use landcycle_domain::{BatchDeduction, BatchDraft, ParcelDraft, ParcelId, ParcelLifecycle, Park};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use std::collections::BTreeMap;

/// Approval day and first supply contract of every parcel ever created; children inherit
/// their parents' (a split keeps the batch's approval, a merge the earliest).
fn origins(ops: &[DemoOp]) -> BTreeMap<ParcelId, (Date, Option<Date>)> {
    let mut o: BTreeMap<ParcelId, (Date, Option<Date>)> = BTreeMap::new();
    for op in ops {
        match op {
            DemoOp::CreateParcel { id, on, .. } => {
                o.insert(*id, (*on, None));
            }
            DemoOp::SplitParcel {
                parent,
                children,
                on,
                ..
            } => {
                let from = o.get(parent).copied().unwrap_or((*on, None));
                for (c, _) in children {
                    o.insert(*c, from);
                }
            }
            DemoOp::MergeParcels {
                parents, child, on, ..
            } => {
                let from = parents
                    .iter()
                    .filter_map(|p| o.get(p).copied())
                    .min()
                    .unwrap_or((*on, None));
                o.insert(child.0, from);
            }
            DemoOp::AddSupply { draft, .. } => {
                if let Some(x) = o.get_mut(&draft.parcel_id) {
                    x.1 = Some(x.1.map_or(draft.contract_date, |d| d.min(draft.contract_date)));
                }
            }
            DemoOp::UpdateParcel { .. } => {}
        }
    }
    o
}

/// The parcel's size as the batch records it: the registered area, or the polygon's area in
/// local metres (the registry computes its exact area separately).
fn area_m2(d: &ParcelDraft) -> Decimal {
    if let Some(a) = d.registered_area_m2 {
        return a;
    }
    let mut sum = 0.0;
    for p in &d.geometry.0 {
        let ring = &p.exterior().0;
        let Some(c) = ring.first() else { continue };
        let f = crate::geom::Frame::new(c.x, c.y, 0.0);
        let pts: Vec<(f64, f64)> = ring[..ring.len() - 1]
            .iter()
            .map(|&q| f.to_metric(q))
            .collect();
        sum += crate::geom::shoelace2(&pts).abs() / 2.0;
    }
    Decimal::from_f64(sum).unwrap_or(Decimal::ONE).round_dp(2)
}

struct Member {
    id: ParcelId,
    approved: Date,
    area: Decimal,
    supplied: bool,
    /// Supply date the registry will not know (a child of a supplied parcel).
    inherited: Option<Date>,
}

fn pct(x: Decimal, p: u32) -> Decimal {
    (x * Decimal::from(p) / Decimal::from(100)).round_dp(2)
}

/// Builds the batches of every park.
pub(crate) fn build(parks: &[Park], ops: &[DemoOp], rng: &mut ChaCha8Rng) -> Vec<BatchDraft> {
    let live = replay(ops).live;
    let origin = origins(ops);
    let mut by_park: BTreeMap<&str, Vec<Member>> = BTreeMap::new();
    for (id, f) in &live {
        // Reserved and listed parcels are still 批而未供 (§2.1); recovered land left the batch.
        let s = f.draft.status;
        if s == ParcelLifecycle::Recovered {
            continue;
        }
        let (Some(park), Some((approved, first))) = (f.draft.park_id.as_deref(), origin.get(id))
        else {
            continue;
        };
        let own = ops
            .iter()
            .any(|op| matches!(op, DemoOp::AddSupply { draft, .. } if draft.parcel_id == *id));
        by_park.entry(park).or_default().push(Member {
            id: *id,
            approved: *approved,
            area: area_m2(&f.draft),
            supplied: s.is_supplied(),
            inherited: if s.is_supplied() && !own {
                *first
            } else {
                None
            },
        });
    }
    let mut numbers: BTreeMap<i16, u32> = BTreeMap::new();
    let mut out = Vec::new();
    for park in parks {
        let Some(mut members) = by_park.remove(park.id.as_str()) else {
            continue;
        };
        members.sort_by_key(|m| (m.approved, m.id));
        // Land still unsupplied is batched apart from supplied land of the same year, as a
        // batch whose land was never taken up would be.
        let mut by_year: BTreeMap<(i16, bool), Vec<Member>> = BTreeMap::new();
        for m in members {
            by_year
                .entry((m.approved.year(), m.supplied))
                .or_default()
                .push(m);
        }
        let mut k = 0;
        for ((year, _), ms) in by_year {
            let mut rest = ms.as_slice();
            while !rest.is_empty() {
                let n = rng.random_range(4..=12).min(rest.len());
                let (chunk, tail) = rest.split_at(n);
                rest = tail;
                k += 1;
                let no = numbers.entry(year).or_insert(100);
                *no += 1;
                out.push(one(park, year, k, *no, chunk, rng));
            }
        }
    }
    out
}

fn one(park: &Park, year: i16, k: u32, no: u32, ms: &[Member], rng: &mut ChaCha8Rng) -> BatchDraft {
    let approved_on = ms.iter().map(|m| m.approved).min().unwrap_or(HISTORY_END);
    let age = approved_on.until(HISTORY_END).map_or(0, |s| s.get_days()) / 365;
    let registered: Decimal = ms.iter().map(|m| m.area).sum();
    let all_unsupplied = ms.iter().all(|m| !m.supplied);
    let mut parcels: Vec<BatchParcel> = ms
        .iter()
        .map(|m| BatchParcel {
            parcel_id: Some(m.id),
            area_m2: AreaM2(m.area),
            supplied_on: m.inherited.filter(|d| *d >= approved_on),
        })
        .collect();
    // 满2年未征收: some old batches of unsupplied parcels were never acquired.
    let acquired_on = if all_unsupplied && age >= 2 && rng.random_bool(0.45) {
        None
    } else {
        approved_on
            .checked_add(rng.random_range(3..=9).months())
            .ok()
    };
    // A remainder never carved into parcels, left unsupplied for years.
    if age >= 3 && rng.random_bool(0.35) {
        parcels.push(BatchParcel {
            parcel_id: None,
            area_m2: AreaM2(pct(registered, rng.random_range(10..=40))),
            supplied_on: None,
        });
    }
    let mut deductions = Vec::new();
    if age >= 2 && rng.random_bool(0.15) {
        let (kind, reason) = match rng.random_range(0..3) {
            0 => (
                DisposalKind::ApprovalWithdrawn,
                "超过两年未实施征地，依法撤回部分批文",
            ),
            1 => (
                DisposalKind::VerifiedNoSupplyNeeded,
                "核实为道路及防护绿地，无需供应",
            ),
            _ => (DisposalKind::ReserveDesignated, "纳入政府土地储备"),
        };
        let on = approved_on
            .checked_add(rng.random_range(24..=48).months())
            .unwrap_or(HISTORY_END)
            .min(HISTORY_END);
        deductions.push(BatchDeduction {
            kind,
            area_m2: AreaM2(pct(registered, rng.random_range(5..=15))),
            on,
            reason: format!("{reason}（演示数据）"),
        });
    }
    let approved: Decimal = parcels.iter().map(|p| p.area_m2.0).sum::<Decimal>()
        + deductions.iter().map(|d| d.area_m2.0).sum::<Decimal>();
    BatchDraft {
        id: format!("豫政土〔{year}〕{no}号"),
        name: format!("{}{year}年度第{k}批次城市建设用地", park.name),
        jurisdiction: park.jurisdiction.code.as_str().to_owned(),
        park_id: Some(park.id.as_str().to_owned()),
        approved_on,
        approved_area_m2: approved,
        acquired_on,
        source_doc: Some(format!(
            "河南省人民政府关于{}{year}年度第{k}批次城市建设用地的批复（演示数据）",
            park.jurisdiction.name
        )),
        parcels,
        deductions,
    }
}
