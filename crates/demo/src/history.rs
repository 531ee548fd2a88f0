//! Each parcel's life from approval (批) through supply (供) to production or exit, walked along
//! the §8.3 lifecycle, 2014-01-01 … 2025-12-31. Kinds of story are drawn so the rules find
//! real cases: idle land, land left unsupplied, recoveries, transfers, expiring leases.

use crate::dates::{Day, add_years, day, year_of};
use crate::story::{Book, Live, document_kind};
use landcycle_domain::ParcelLifecycle::{self, *};
use landcycle_domain::{SupplyDraft, SupplyMode};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

/// First day of the demo history.
pub(crate) const START: Day = day(2014, 1, 1);
/// Last day of the demo history.
pub(crate) const HORIZON: Day = day(2025, 12, 31);
/// From this day new industrial grants run 20 years (the pilot's rule), before it 50.
pub(crate) const PILOT_START: Day = day(2021, 2, 1);

/// The kind of story a parcel gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Stays 批而未供.
    Unsupplied,
    /// Taken into reserve, maybe listed, not yet supplied.
    Prepared,
    /// Supplied, never started: idle (over two years for some).
    Idle { over2: bool },
    /// Idle two years, recovered without compensation; some supplied again.
    RecoveredIdle { resupply: bool },
    /// In production, then recovered with compensation (退二优二).
    RecoveredOp,
    /// 先租后让: a 5-year lease reaching its renewal window.
    Lease { near: bool },
    /// In production, then transferred on the secondary market.
    Transfer,
    /// The ordinary path, ending wherever its dates reach by the horizon.
    Normal { allocation: bool },
    /// Half of a pair held by one enterprise, later merged.
    Pair,
}

impl Kind {
    /// True when the story supplies the land to an enterprise.
    pub(crate) fn supplied(self) -> bool {
        !matches!(self, Kind::Unsupplied | Kind::Prepared)
    }

    /// Draws a kind for a parcel that is not part of a pair.
    pub(crate) fn draw(rng: &mut ChaCha8Rng) -> Kind {
        let u: f64 = rng.random();
        let table: [(f64, Kind); 8] = [
            (0.080, Kind::Unsupplied),
            (0.015, Kind::Prepared),
            (0.046, Kind::Idle { over2: false }),
            (0.016, Kind::Idle { over2: true }),
            (0.012, Kind::RecoveredIdle { resupply: u < 0.5 }),
            (0.004, Kind::RecoveredOp),
            (0.040, Kind::Lease { near: u < 0.3 }),
            (0.020, Kind::Transfer),
        ];
        let mut acc = 0.0;
        let v: f64 = rng.random();
        for (p, k) in table {
            acc += p;
            if v < acc {
                return k;
            }
        }
        Kind::Normal {
            allocation: rng.random_bool(0.04),
        }
    }
}

/// The dates a supply contract agrees.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Contract {
    pub(crate) signed: Day,
    pub(crate) delivery: Day,
    pub(crate) start: Day,
    pub(crate) completion: Day,
}

impl Contract {
    /// Delivery 20–90 days after signing, start 3–6 months after delivery, completion 18–30
    /// months after the start.
    pub(crate) fn draw(rng: &mut ChaCha8Rng, signed: Day) -> Self {
        let delivery = signed + rng.random_range(20..=90);
        let start = delivery + rng.random_range(92..=183);
        Self {
            signed,
            delivery,
            start,
            completion: start + rng.random_range(548..=913),
        }
    }
}

/// One planned status change.
pub(crate) type Step = (Day, ParcelLifecycle, &'static str);

/// A uniform day in `lo..=hi`.
pub(crate) fn between(rng: &mut ChaCha8Rng, lo: Day, hi: Day) -> Day {
    if hi > lo {
        rng.random_range(lo..=hi)
    } else {
        lo
    }
}

/// Applies steps in order until one falls after the horizon; true when all were applied.
pub(crate) fn apply(book: &mut Book<'_>, live: &mut Live, steps: &[Step]) -> bool {
    for &(d, s, why) in steps {
        if d > HORIZON {
            return false;
        }
        book.set(live, d, s, why);
    }
    true
}

/// Reserve and listing steps between approval and supply.
pub(crate) fn pre_supply(
    rng: &mut ChaCha8Rng,
    approved: Day,
    signed: Day,
    list: bool,
) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut last = approved;
    if signed - last > 90 && rng.random_bool(0.5) {
        last += rng.random_range(1..=(signed - last) / 2);
        steps.push((last, Reserved, "纳入土地储备，开展前期开发（净地）"));
    }
    if list && signed - last > 25 && rng.random_bool(0.8) {
        let l = signed - rng.random_range(15..=(signed - last - 1).min(40));
        steps.push((l, Listed, "云上供地：挂牌出让公告"));
    }
    steps
}

/// Construction and start of production after delivery; `fast` for leases, which must be
/// running well before their renewal window.
pub(crate) fn development(rng: &mut ChaCha8Rng, k: &Contract, fast: bool) -> Vec<Step> {
    let mut steps = vec![(k.delivery, Delivered, "签订交地确认书")];
    let started = if fast {
        k.start + rng.random_range(-30..=60)
    } else {
        k.start + rng.random_range(-60..=300)
    }
    .max(k.delivery + 1);
    steps.push((
        started,
        Started,
        "取得施工许可证，地基施工完成三分之一（动工开发）",
    ));
    let mut last = started + rng.random_range(365..=if fast { 540 } else { 900 });
    steps.push((last, Completed, "竣工验收备案"));
    if !fast && rng.random_bool(0.7) {
        last += rng.random_range(20..=60);
        steps.push((last, ConformityChecked, "竣工对标验收通过"));
    }
    let produced = last + rng.random_range(30..=if fast { 90 } else { 180 });
    steps.push((produced, InProduction, "项目投产"));
    let operating = if !fast && rng.random_bool(0.6) {
        let reviewed = produced + rng.random_range(365..=730);
        steps.push((reviewed, CapacityReviewed, "达产复核通过"));
        reviewed + rng.random_range(1..=90)
    } else {
        produced + rng.random_range(if fast { 90..=180 } else { 180..=540 })
    };
    steps.push((operating, Operating, "正常运营，纳入亩均效益年度评价"));
    steps
}

/// A price per 亩 in 万元, to 0.1.
fn rate_wan(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> Decimal {
    Decimal::new((rng.random_range(lo..hi) * 10.0).round() as i64, 1)
}

/// Supplies the parcel to `firm` on `k.signed`: code, registered area, land user, the Granted
/// version and its supply record.
pub(crate) fn supply(
    book: &mut Book<'_>,
    rng: &mut ChaCha8Rng,
    live: &mut Live,
    firm: usize,
    mode: SupplyMode,
    k: &Contract,
) {
    if live.draft.code.is_none() {
        live.draft.code = book.zongdi_code(live.slot);
    }
    if live.draft.legacy_codes.is_empty() && rng.random_bool(0.2) {
        let y = year_of(k.signed);
        let year = if y <= 2015 {
            y
        } else {
            rng.random_range(2003..=2013)
        };
        let legacy = book.legacy_code(live, year);
        live.draft.legacy_codes.push(legacy);
    }
    let nominal = live.nominal_m2();
    let registered = if live.off {
        let sign = if rng.random_bool(0.5) { 1 } else { -1 };
        let pct = Decimal::new(sign * rng.random_range(100..=300), 4);
        nominal * (Decimal::ONE + pct)
    } else {
        nominal
    };
    live.draft.registered_area_m2 = Some(registered.round_dp(2));
    let why = match mode {
        SupplyMode::Allocation => "核发国有建设用地划拨决定书",
        SupplyMode::LeaseThenTransfer => "签订先租后让租赁合同（弹性供应）",
        _ => "签订国有建设用地使用权出让合同",
    };
    book.set_holder(live, k.signed, Some(firm), Granted, why);
    let rate = rate_wan(rng, 8.0, 25.0);
    let factor = match mode {
        SupplyMode::Allocation => Decimal::new(4, 1),
        SupplyMode::LeaseThenTransfer => Decimal::new(1, 1),
        _ => Decimal::ONE,
    };
    let draft = SupplyDraft {
        parcel_id: live.id,
        enterprise: book.firms[firm].uscc.as_str().to_owned(),
        mode,
        right_nature: None,
        contract_no: book.contract_no(live, document_kind(mode), k.signed),
        contract_date: crate::dates::to_date(k.signed),
        delivery_date: Some(crate::dates::to_date(k.delivery)),
        agreed_start: Some(crate::dates::to_date(k.start)),
        agreed_completion: Some(crate::dates::to_date(k.completion)),
        term_years: match mode {
            SupplyMode::Allocation => None,
            SupplyMode::LeaseThenTransfer => Some(5),
            _ if k.signed >= PILOT_START => Some(20),
            _ => Some(50),
        },
        price_yuan: price(nominal, rate * factor),
    };
    book.add_supply(rng, live, draft);
}

/// area × rate: m² → 亩 → 万元 → 元, to the fen.
pub(crate) fn price(area_m2: Decimal, wan_per_mu: Decimal) -> Decimal {
    (area_m2 * Decimal::from(3) / Decimal::from(2000) * wan_per_mu * Decimal::from(10_000))
        .round_dp(2)
}

/// 先租后让 at the end of its lease: the renewal window, then conversion to a grant.
pub(crate) fn lease_renewal(
    book: &mut Book<'_>,
    rng: &mut ChaCha8Rng,
    live: &mut Live,
    k: &Contract,
) {
    let term_end = add_years(k.delivery, 5);
    let near = term_end - 365 + rng.random_range(1..=45);
    if live.status() != Operating || near <= live.day || near > HORIZON {
        return;
    }
    book.set(
        live,
        near,
        NearExpiry,
        "租赁期满前一年，启动先租后让转出让评估",
    );
    let renew = term_end - rng.random_range(15..=60);
    if renew <= live.day || renew > HORIZON {
        return;
    }
    book.set(live, renew, Renewed, "履约评估合格，先租后让转为出让");
    if let Some(lease) = live.supply.clone() {
        let years = if renew >= PILOT_START { 15 } else { 45 };
        let draft = SupplyDraft {
            mode: SupplyMode::Grant,
            right_nature: None,
            contract_no: book.contract_no(live, "出让", renew),
            contract_date: crate::dates::to_date(renew),
            delivery_date: Some(crate::dates::to_date(renew)),
            agreed_start: None,
            agreed_completion: None,
            term_years: Some(years),
            price_yuan: price(
                live.nominal_m2(),
                rate_wan(rng, 8.0, 25.0) * Decimal::new(8, 1),
            ),
            ..lease
        };
        book.add_supply(rng, live, draft);
    }
    let back = renew + rng.random_range(1..=30);
    if back <= HORIZON {
        book.set(live, back, Operating, "转为出让后继续运营");
    }
}
