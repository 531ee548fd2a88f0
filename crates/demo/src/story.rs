//! The ledger every parcel's story is written into: it turns status changes into `DemoOp`s with
//! full drafts, hands out codes and contract numbers, and records who held which land when (the
//! basis of the enterprises' yearly figures).

use crate::DemoOp;
use crate::dates::{Day, to_date, year_of};
use crate::enterprises::{Firm, short_name};
use crate::geom::Rect;
use crate::parcels::Slot;
use crate::parks::Site;
use landcycle_domain::{
    LandUse, ParcelDraft, ParcelId, ParcelLifecycle, PlanningConditions, SupplyDraft, SupplyId,
    SupplyMode, ZongdiCode,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Builder;

/// Land one enterprise held over a period.
#[derive(Debug, Clone)]
pub(crate) struct Holding {
    pub(crate) firm: usize,
    pub(crate) mu: f64,
    pub(crate) from: Day,
    /// Exclusive.
    pub(crate) to: Day,
    pub(crate) producing: bool,
}

/// A parcel while its story is being written.
#[derive(Debug, Clone)]
pub(crate) struct Live {
    pub(crate) id: ParcelId,
    pub(crate) slot: usize,
    pub(crate) rect: Rect,
    pub(crate) draft: ParcelDraft,
    /// Day of the last op.
    pub(crate) day: Day,
    pub(crate) holder: Option<usize>,
    pub(crate) since: Day,
    /// Registered area deliberately off by 1–3 %.
    pub(crate) off: bool,
    pub(crate) supply: Option<SupplyDraft>,
    pub(crate) plot: String,
}

impl Live {
    /// Nominal (designed) area in m², exact.
    pub(crate) fn nominal_m2(&self) -> Decimal {
        Decimal::new(self.rect.area_cm2(), 4)
    }
    pub(crate) fn mu(&self) -> f64 {
        self.rect.area_m2() * 3.0 / 2000.0
    }
    pub(crate) fn status(&self) -> ParcelLifecycle {
        self.draft.status
    }
}

/// True for the stages in which the land produces (and pays 亩均 taxes).
pub(crate) fn producing(s: ParcelLifecycle) -> bool {
    use ParcelLifecycle::*;
    matches!(
        s,
        InProduction | CapacityReviewed | Operating | NearExpiry | Renewed | Transferred
    )
}

/// Everything written so far.
pub(crate) struct Book<'a> {
    pub(crate) sites: &'a [Site],
    pub(crate) firms: &'a [Firm],
    pub(crate) slots: &'a [Slot],
    pub(crate) ops: Vec<(Day, DemoOp)>,
    pub(crate) holdings: Vec<Holding>,
    districts: Vec<u16>,
    zongdi_seq: BTreeMap<String, u32>,
    numbers: BTreeMap<(String, i32), u32>,
}

/// A fresh UUID from the generator's stream.
pub(crate) fn uuid(rng: &mut ChaCha8Rng) -> uuid::Uuid {
    Builder::from_random_bytes(rng.random()).into_uuid()
}

impl<'a> Book<'a> {
    pub(crate) fn new(sites: &'a [Site], firms: &'a [Firm], slots: &'a [Slot]) -> Self {
        // 地籍区: the parks of one county are numbered 001, 002 … in plan order.
        let districts = sites
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let same = sites[..i]
                    .iter()
                    .filter(|o| o.park.jurisdiction.code == s.park.jurisdiction.code)
                    .count();
                u16::try_from(same + 1).unwrap_or(999).min(999)
            })
            .collect();
        Self {
            sites,
            firms,
            slots,
            ops: Vec::new(),
            holdings: Vec::new(),
            districts,
            zongdi_seq: BTreeMap::new(),
            numbers: BTreeMap::new(),
        }
    }

    fn site_of(&self, live: &Live) -> &'a Site {
        &self.sites[self.slots[live.slot].park]
    }

    /// The next number in a series (contract numbers, legacy certificates) keyed by text + year.
    fn next_number(&mut self, series: String, year: i32) -> u32 {
        let n = self.numbers.entry((series, year)).or_insert(0);
        *n += 1;
        *n
    }

    /// A new 宗地代码 in the slot's county, park (地籍区) and block (地籍子区).
    pub(crate) fn zongdi_code(&mut self, slot: usize) -> Option<String> {
        let s = &self.slots[slot];
        let county = self.sites[s.park].park.jurisdiction.code.clone();
        let seq = self
            .zongdi_seq
            .entry(county.as_str().to_owned())
            .or_insert(0);
        *seq += 1;
        let sub = u16::try_from(s.block % 999 + 1).unwrap_or(1);
        ZongdiCode::from_parts(&county, self.districts[s.park], sub, 'G', 'B', *seq)
            .ok()
            .map(|c| c.as_str().to_owned())
    }

    /// A legacy 土地证号 such as 许国用(2012)第0123号.
    pub(crate) fn legacy_code(&mut self, live: &Live, year: i32) -> String {
        let abbr = self.site_of(live).abbr;
        let n = self.next_number(format!("{abbr}国用"), year);
        format!("{abbr}国用({year})第{n:04}号")
    }

    /// A contract or decision number such as 长出让(2019)第012号.
    pub(crate) fn contract_no(&mut self, live: &Live, kind: &str, day: Day) -> String {
        let abbr = self.site_of(live).abbr;
        let year = year_of(day);
        let n = self.next_number(format!("{abbr}{kind}"), year);
        format!("{abbr}{kind}({year})第{n:03}号")
    }

    /// Creates a parcel as 批而未供 on its approval day.
    pub(crate) fn create(
        &mut self,
        rng: &mut ChaCha8Rng,
        slot: usize,
        day: Day,
        land_use: LandUse,
        planning: PlanningConditions,
    ) -> Live {
        let s = &self.slots[slot];
        let site = &self.sites[s.park];
        let plot = format!("{}{:03}-{}号地块", site.short, s.block + 1, s.k);
        let dirs = ["东北侧", "西北侧", "东南侧", "西南侧"];
        let draft = ParcelDraft {
            code: None,
            legacy_codes: vec![],
            name: plot.clone(),
            address: Some(format!(
                "{}经{}路与纬{}路交叉口{}",
                site.park.name,
                crate::names::numeral(s.col + 1),
                crate::names::numeral(s.row + 1),
                dirs[s.k % 4]
            )),
            jurisdiction: site.park.jurisdiction.code.as_str().to_owned(),
            park_id: Some(site.park.id.as_str().to_owned()),
            land_use,
            status: ParcelLifecycle::ApprovedUnsupplied,
            geometry: s.rect.to_lonlat(&site.frame),
            registered_area_m2: None,
            enterprise: None,
            planning,
        };
        let live = Live {
            id: ParcelId(uuid(rng)),
            slot,
            rect: s.rect,
            draft,
            day,
            holder: None,
            since: day,
            off: false,
            supply: None,
            plot,
        };
        self.ops.push((
            day,
            DemoOp::CreateParcel {
                id: live.id,
                draft: live.draft.clone(),
                on: to_date(day),
                reason: "农用地转用和土地征收获批（批次用地）".into(),
            },
        ));
        live
    }

    /// Closes the current holding period of a parcel at `day`.
    fn close(&mut self, live: &mut Live, day: Day) {
        if let Some(firm) = live.holder
            && day > live.since
            && live.status().is_supplied()
        {
            self.holdings.push(Holding {
                firm,
                mu: live.mu(),
                from: live.since,
                to: day,
                producing: producing(live.status()),
            });
        }
        live.since = day;
    }

    /// Writes the parcel's current draft as a new version on `day`.
    pub(crate) fn update(&mut self, live: &mut Live, day: Day, reason: &str) {
        live.day = day;
        self.ops.push((
            day,
            DemoOp::UpdateParcel {
                id: live.id,
                draft: live.draft.clone(),
                on: to_date(day),
                reason: reason.into(),
            },
        ));
    }

    /// Moves a parcel to `status` on `day`.
    pub(crate) fn set(&mut self, live: &mut Live, day: Day, status: ParcelLifecycle, reason: &str) {
        self.close(live, day);
        live.draft.status = status;
        self.update(live, day, reason);
    }

    /// Changes the land user (and status) on `day`; `None` clears it (收回).
    pub(crate) fn set_holder(
        &mut self,
        live: &mut Live,
        day: Day,
        firm: Option<usize>,
        status: ParcelLifecycle,
        reason: &str,
    ) {
        self.close(live, day);
        live.holder = firm;
        live.draft.enterprise = firm.map(|f| self.firms[f].uscc.as_str().to_owned());
        live.draft.name = match firm {
            Some(f) => project_name(&self.firms[f]),
            None => format!("{}（已收回）", live.plot),
        };
        live.draft.status = status;
        self.update(live, day, reason);
    }

    /// Records a supply for the parcel on the draft's contract day.
    pub(crate) fn add_supply(&mut self, rng: &mut ChaCha8Rng, live: &mut Live, draft: SupplyDraft) {
        let day = live.day;
        live.supply = Some(draft.clone());
        self.ops.push((
            day,
            DemoOp::AddSupply {
                id: SupplyId(uuid(rng)),
                draft,
                on: to_date(day),
            },
        ));
    }

    /// Ends the holding periods of parcels still live at the end of the history.
    pub(crate) fn finish(&mut self, lives: &mut [Live], end: Day) {
        for l in lives {
            self.close(l, end);
        }
    }

    /// Ends a parcel's holding period because it was split or merged away.
    pub(crate) fn retire(&mut self, live: &mut Live, day: Day) {
        self.close(live, day);
    }

    /// Opens a holding period for a parcel created by a split or merge.
    pub(crate) fn adopt(&mut self, live: &mut Live, day: Day) {
        live.since = day;
    }
}

/// The project name of a parcel held by `firm`.
pub(crate) fn project_name(firm: &Firm) -> String {
    let what = if firm.industry.class == 0 {
        "物流仓储"
    } else {
        "生产基地"
    };
    format!("{}{what}项目", short_name(&firm.name))
}

/// The kind of number a supply mode's document carries.
pub(crate) fn document_kind(mode: SupplyMode) -> &'static str {
    match mode {
        SupplyMode::Allocation => "划拨",
        SupplyMode::Lease | SupplyMode::LeaseThenTransfer => "租赁",
        _ => "出让",
    }
}
