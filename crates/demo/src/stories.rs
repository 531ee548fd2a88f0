//! The driver: draws each parcel's kind of story and land user, then writes the stories.

use crate::dates::{Day, add_years, day, year_of};
use crate::enterprises::Firm;
use crate::history::{
    Contract, HORIZON, Kind, START, apply, between, development, lease_renewal, pre_supply, supply,
};
use crate::names::{self, land_use_for};
use crate::parcels::{MAX_M2, Slot};
use crate::story::{Book, Live};
use landcycle_domain::ParcelLifecycle::*;
use landcycle_domain::{PlanningConditions, SupplyMode};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

/// What the driver decided for one slot.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) kind: Kind,
    pub(crate) firm: Option<usize>,
    /// The other slot of a merge pair.
    pub(crate) partner: Option<usize>,
    /// Registered area deliberately off by 1–3 %.
    pub(crate) off: bool,
}

/// Draws kinds, pairs and land users for every slot. About `merges` sibling pairs become pairs.
pub(crate) fn plan(
    slots: &[Slot],
    firms: &[Firm],
    merges: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Plan> {
    let mut plans: Vec<Plan> = slots
        .iter()
        .map(|_| Plan {
            kind: Kind::Normal { allocation: false },
            firm: None,
            partner: None,
            off: false,
        })
        .collect();
    let mut pairs: Vec<(usize, usize)> = slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.sibling.filter(|&j| j > i).map(|j| (i, j)))
        .filter(|&(i, j)| slots[i].rect.area_m2() + slots[j].rect.area_m2() <= MAX_M2)
        .collect();
    pairs.shuffle(rng);
    pairs.truncate(merges);
    for &(i, j) in &pairs {
        plans[i].kind = Kind::Pair;
        plans[j].kind = Kind::Pair;
        plans[i].partner = Some(j);
        plans[j].partner = Some(i);
    }
    for p in plans.iter_mut().filter(|p| p.kind != Kind::Pair) {
        p.kind = Kind::draw(rng);
        p.off = p.kind.supplied() && rng.random_bool(0.03);
    }
    assign_firms(slots, firms, &mut plans, rng);
    plans
}

/// Gives every supplied slot (a pair counts once) a land user from its park: first one unit to
/// each of 95 % of the park's enterprises, then the rest by the enterprises' weights.
fn assign_firms(slots: &[Slot], firms: &[Firm], plans: &mut [Plan], rng: &mut ChaCha8Rng) {
    let parks = slots.iter().map(|s| s.park + 1).max().unwrap_or(0);
    for p in 0..parks {
        let mut units: Vec<usize> = (0..slots.len())
            .filter(|&i| slots[i].park == p && plans[i].kind.supplied())
            .filter(|&i| plans[i].partner.is_none_or(|j| j > i))
            .collect();
        units.shuffle(rng);
        let mut holders: Vec<usize> = (0..firms.len()).filter(|&f| firms[f].park == p).collect();
        if holders.is_empty() {
            holders = (0..firms.len()).collect();
        }
        holders.truncate(((holders.len() as f64) * 0.95).ceil() as usize);
        let total: f64 = holders.iter().map(|&f| firms[f].weight).sum();
        for (n, &u) in units.iter().enumerate() {
            let firm = if holders.is_empty() {
                None
            } else if n < holders.len() {
                Some(holders[n])
            } else {
                let mut x = rng.random_range(0.0..total.max(f64::MIN_POSITIVE));
                let mut pick = holders[holders.len() - 1];
                for &f in &holders {
                    x -= firms[f].weight;
                    if x < 0.0 {
                        pick = f;
                        break;
                    }
                }
                Some(pick)
            };
            plans[u].firm = firm;
            if let Some(j) = plans[u].partner {
                plans[j].firm = firm;
            }
            if firm.is_none() {
                plans[u].kind = Kind::Unsupplied;
            }
        }
    }
}

/// Another land user of the same park (for transfers and re-supply).
pub(crate) fn other_firm(
    firms: &[Firm],
    park: usize,
    not: Option<usize>,
    rng: &mut ChaCha8Rng,
) -> Option<usize> {
    let c: Vec<usize> = (0..firms.len())
        .filter(|&f| firms[f].park == park && Some(f) != not)
        .collect();
    (!c.is_empty()).then(|| c[rng.random_range(0..c.len())])
}

fn planning(rng: &mut ChaCha8Rng, class: u8) -> PlanningConditions {
    let far_min = if class == 3 {
        8
    } else {
        [10, 12][rng.random_range(0..2)]
    };
    PlanningConditions {
        far_min: Some(Decimal::new(far_min, 1)),
        far_max: Some(Decimal::new([20, 25, 30][rng.random_range(0..3)], 1)),
        building_coverage_min: Some(Decimal::new([30, 40][rng.random_range(0..2)], 2)),
        green_ratio_max: Some(Decimal::new([15, 20][rng.random_range(0..2)], 2)),
        height_max_m: [None, Some(Decimal::from(24)), Some(Decimal::from(36))]
            [rng.random_range(0..3)],
    }
}

/// A merge waiting to be made: the indices of the two halves of a pair in the live parcels.
pub(crate) struct PairDone {
    pub(crate) a: usize,
    pub(crate) b: usize,
}

/// Writes every slot's story; returns the parcels live at the horizon and the pairs to merge
/// (indices into the returned parcels).
pub(crate) fn write(
    book: &mut Book<'_>,
    plans: &[Plan],
    rng: &mut ChaCha8Rng,
) -> (Vec<Live>, Vec<PairDone>, Vec<Kind>) {
    let mut lives: Vec<Live> = Vec::new();
    let mut kinds = Vec::new();
    let mut pairs = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        if plan.partner.is_some_and(|j| j < i) {
            continue;
        }
        let park = book.slots[i].park;
        let ind = match plan.firm {
            Some(f) => book.firms[f].industry,
            None => {
                let list = names::industries_for(&book.sites[park].lead_industries);
                list[rng.random_range(0..list.len())]
            }
        };
        // The supply day; for land that is never supplied, the approval day.
        let signed = match plan.kind {
            Kind::Unsupplied | Kind::Prepared => between(rng, day(2019, 12, 31), day(2024, 12, 31)),
            Kind::Idle { over2: true } => between(rng, day(2018, 1, 1), day(2023, 1, 31)),
            Kind::Idle { over2: false } => between(rng, day(2023, 2, 1), day(2024, 3, 31)),
            Kind::RecoveredIdle { .. } => between(rng, day(2015, 1, 1), day(2021, 6, 30)),
            Kind::RecoveredOp => between(rng, day(2014, 3, 1), day(2018, 12, 31)),
            Kind::Lease { near: true } => between(rng, day(2020, 11, 1), day(2021, 9, 30)),
            Kind::Lease { near: false } => between(rng, day(2016, 1, 1), day(2020, 6, 30)),
            Kind::Transfer => between(rng, day(2014, 3, 1), day(2019, 12, 31)),
            Kind::Pair => between(rng, day(2014, 3, 1), day(2020, 6, 30)),
            Kind::Normal { .. } => between(rng, day(2014, 3, 1), day(2025, 11, 30)),
        };
        let approved = if plan.kind.supplied() {
            (signed - rng.random_range(30..=720)).max(START)
        } else {
            signed
        };
        let legacy = year_of(approved) <= 2020 && rng.random_bool(0.3);
        let use_ = land_use_for(&ind, legacy);
        let cond = planning(rng, ind.class);
        let mut members = vec![i];
        members.extend(plan.partner);
        let mut group: Vec<Live> = members
            .iter()
            .map(|&s| {
                let mut l = book.create(rng, s, approved, use_.clone(), cond.clone());
                l.off = plans[s].off;
                l
            })
            .collect();
        let mode = match plan.kind {
            Kind::Lease { .. } => SupplyMode::LeaseThenTransfer,
            Kind::Normal { allocation: true } => SupplyMode::Allocation,
            _ => SupplyMode::Grant,
        };
        let pre = match plan.kind {
            Kind::Unsupplied => vec![],
            Kind::Prepared => prepared(rng, approved),
            _ => pre_supply(rng, approved, signed, mode != SupplyMode::Allocation),
        };
        for l in &mut group {
            apply(book, l, &pre);
        }
        if let (true, Some(firm)) = (plan.kind.supplied(), plan.firm) {
            let k = Contract::draw(rng, signed);
            let dev = development(rng, &k, matches!(plan.kind, Kind::Lease { .. }));
            for l in &mut group {
                supply(book, rng, l, firm, mode, &k);
            }
            match plan.kind {
                Kind::Idle { .. } => {
                    if rng.random_bool(0.7) {
                        apply(book, &mut group[0], &dev[..1]);
                    }
                }
                Kind::RecoveredIdle { resupply } => {
                    recover_idle(book, rng, &mut group[0], &k, &dev, resupply);
                }
                _ => {
                    for l in &mut group {
                        apply(book, l, &dev);
                    }
                    after_operating(book, rng, &mut group[0], plan.kind, &k);
                }
            }
        }
        if group.len() == 2 {
            pairs.push(PairDone {
                a: lives.len(),
                b: lives.len() + 1,
            });
        }
        for l in group {
            kinds.push(plan.kind);
            lives.push(l);
        }
    }
    (lives, pairs, kinds)
}

fn prepared(rng: &mut ChaCha8Rng, approved: Day) -> Vec<crate::history::Step> {
    let mut steps = Vec::new();
    let r = approved + rng.random_range(60..=500);
    steps.push((r, Reserved, "纳入土地储备，开展前期开发（净地）"));
    if rng.random_bool(0.5) {
        steps.push((
            r + rng.random_range(60..=400),
            Listed,
            "云上供地：挂牌出让公告",
        ));
    }
    steps
}

/// Idle for two years after the agreed start, recovered; then perhaps supplied again.
fn recover_idle(
    book: &mut Book<'_>,
    rng: &mut ChaCha8Rng,
    live: &mut Live,
    k: &Contract,
    dev: &[crate::history::Step],
    resupply: bool,
) {
    apply(book, live, &dev[..1]);
    let rec = add_years(k.start, 2) + rng.random_range(30..=300);
    if rec > HORIZON {
        return;
    }
    book.set_holder(
        live,
        rec,
        None,
        Recovered,
        "闲置满两年，依法无偿收回国有建设用地使用权",
    );
    if !resupply {
        return;
    }
    let r = rec + rng.random_range(60..=200);
    let l = r + rng.random_range(60..=200);
    let signed = l + rng.random_range(15..=40);
    let park = book.slots[live.slot].park;
    let Some(firm) = other_firm(book.firms, park, None, rng) else {
        return;
    };
    if signed + 10 > HORIZON {
        return;
    }
    apply(
        book,
        live,
        &[
            (r, Reserved, "收回后重新纳入储备"),
            (l, Listed, "云上供地：重新挂牌出让"),
        ],
    );
    let k2 = Contract::draw(rng, signed);
    supply(book, rng, live, firm, SupplyMode::Grant, &k2);
    let dev2 = development(rng, &k2, false);
    apply(book, live, &dev2);
}

/// What happens once a parcel runs: lease renewals, transfers, paid recoveries.
fn after_operating(
    book: &mut Book<'_>,
    rng: &mut ChaCha8Rng,
    live: &mut Live,
    kind: Kind,
    k: &Contract,
) {
    if live.status() != Operating {
        return;
    }
    match kind {
        Kind::Lease { .. } => lease_renewal(book, rng, live, k),
        Kind::Transfer => {
            let t = live.day + rng.random_range(180..=1500);
            let park = book.slots[live.slot].park;
            if t > HORIZON - 30 {
                return;
            }
            if let Some(f) = other_firm(book.firms, park, live.holder, rng) {
                book.set_holder(
                    live,
                    t,
                    Some(f),
                    Transferred,
                    "二级市场转让，土地使用权人变更",
                );
                let back = t + rng.random_range(60..=365);
                if rng.random_bool(0.5) && back <= HORIZON {
                    book.set(live, back, Operating, "受让人完成变更登记，恢复生产运营");
                }
            }
        }
        Kind::RecoveredOp => {
            let rec = live.day + rng.random_range(365..=1400);
            if rec <= HORIZON {
                book.set_holder(
                    live,
                    rec,
                    None,
                    Recovered,
                    "低效工业用地协议有偿收回（退二优二）",
                );
            }
        }
        _ => {}
    }
}
