//! # landcycle-demo — the synthetic population of the Xuchang pilot
//!
//! [`generate`] builds, from a seed alone, the ten parks of the 百园增效 Xuchang pilot plan
//! ([`pilot_plan`], parsed from `data/xuchang-pilot.toml`), enterprises with valid
//! 统一社会信用代码, their yearly figures, and a dated list of operations ([`DemoOp`]) that the
//! registry applies through its normal write path, so every parcel has a real history
//! (批 → 供 → 建 → 产, splits, merges, transfers, recoveries) from 2014 to 2025.
//!
//! The same seed always gives byte-identical output: one `ChaCha8Rng` stream per stage, ordered
//! collections only, no clock. The population is shaped so the rules find real cases: idle
//! land, land left unsupplied, low 亩均税收, registered areas off by more than 0.5 %.
//!
//! Everything is synthetic: [`SYNTHETIC_NOTICE_ZH`] / [`SYNTHETIC_NOTICE_EN`].
#![forbid(unsafe_code)]

mod annual;
mod batches;
mod dates;
mod enterprises;
pub mod fixtures;
mod geom;
mod history;
mod lineage;
mod names;
mod parcels;
mod parks;
pub mod plan;
mod replay;
mod stories;
mod story;
pub mod summary;
pub mod workflow;

#[cfg(test)]
mod tests;

pub use plan::{PilotPlan, pilot_plan};
pub use summary::{DemoSummary, HISTORY_END, ParkCounts};

use jiff::civil::Date;
use landcycle_domain::figures::AnnualFigures;
use landcycle_domain::{Enterprise, ParcelDraft, ParcelId, Park, SupplyDraft, SupplyId};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Shown wherever demo data is shown (Chinese).
pub const SYNTHETIC_NOTICE_ZH: &str = "演示数据为合成数据，不代表真实宗地与企业";
/// Shown wherever demo data is shown (English).
pub const SYNTHETIC_NOTICE_EN: &str =
    "The demo population is synthetic: no real parcel or enterprise";

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoConfig {
    /// Seed of every random choice.
    pub seed: u64,
    /// About how many parcels are live at the end of the history.
    pub parcels: usize,
    /// How many enterprises.
    pub enterprises: usize,
}

impl Default for DemoConfig {
    /// Seed 20210201 (the pilot's start), 5 000 parcels, 2 000 enterprises.
    fn default() -> Self {
        Self {
            seed: 20_210_201,
            parcels: 5_000,
            enterprises: 2_000,
        }
    }
}

/// One write to apply to the registry, in date order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DemoOp {
    /// Create a parcel (always as 批而未供, on its approval day).
    CreateParcel {
        /// Id to give it.
        id: ParcelId,
        /// Its first version.
        draft: ParcelDraft,
        /// Effective day.
        on: Date,
        /// Why (history reason).
        reason: String,
    },
    /// Replace a parcel's attributes with a full new draft (status change, new land user …).
    UpdateParcel {
        /// The parcel.
        id: ParcelId,
        /// The new version.
        draft: ParcelDraft,
        /// Effective day.
        on: Date,
        /// Why.
        reason: String,
    },
    /// Split a parcel into pieces that tile it.
    SplitParcel {
        /// The parcel that ends.
        parent: ParcelId,
        /// The new parcels.
        children: Vec<(ParcelId, ParcelDraft)>,
        /// Effective day.
        on: Date,
        /// Why.
        reason: String,
    },
    /// Merge parcels into their union.
    MergeParcels {
        /// The parcels that end.
        parents: Vec<ParcelId>,
        /// The new parcel.
        child: (ParcelId, ParcelDraft),
        /// Effective day.
        on: Date,
        /// Why.
        reason: String,
    },
    /// Record a supply (出让合同, 划拨决定书, lease).
    AddSupply {
        /// Id to give the record.
        id: SupplyId,
        /// The record; names its parcel.
        draft: SupplyDraft,
        /// Effective day.
        on: Date,
    },
}

impl DemoOp {
    /// The day the op takes effect.
    pub fn on(&self) -> Date {
        match self {
            Self::CreateParcel { on, .. }
            | Self::UpdateParcel { on, .. }
            | Self::SplitParcel { on, .. }
            | Self::MergeParcels { on, .. }
            | Self::AddSupply { on, .. } => *on,
        }
    }
}

/// A generated population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoData {
    /// The ten parks, with synthetic boundaries at their estimated centres.
    pub parks: Vec<Park>,
    /// Enterprises (insert before the ops: parcels and supplies name them).
    pub enterprises: Vec<Enterprise>,
    /// Writes in date order (stable: same-day ops keep their causal order).
    pub ops: Vec<DemoOp>,
    /// Yearly figures 2019–2025 of every enterprise that held land.
    pub figures: Vec<AnnualFigures>,
    /// Approval batches (批次): every live 批而未供 or supplied parcel lies in one (apply after
    /// the ops: they name the parcels).
    pub batches: Vec<landcycle_domain::BatchDraft>,
}

/// Splits per parcel (≈30 for 5 000) and merges per parcel (≈20 for 5 000).
const SPLIT_RATE: f64 = 0.006;
const MERGE_RATE: f64 = 0.004;

/// An independent random stream per generation stage, all from the one seed.
fn stage_rng(seed: u64, stage: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ stage.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Generates the population for `cfg`; the same config always gives the same data.
pub fn generate(cfg: &DemoConfig) -> DemoData {
    let plan = pilot_plan();
    let sites = parks::build(plan, &mut stage_rng(cfg.seed, 1));
    let n_split = (cfg.parcels as f64 * SPLIT_RATE).round() as usize;
    let n_merge = (cfg.parcels as f64 * MERGE_RATE).round() as usize;
    // Splits add parcels and merges remove them: start with what ends near `cfg.parcels`.
    let initial = (cfg.parcels + n_merge).saturating_sub(n_split * 7 / 5);
    let areas: Vec<f64> = sites.iter().map(|s| s.area_m2).collect();
    let slots = parcels::layout(
        &sites,
        &parcels::share(initial, &areas),
        &mut stage_rng(cfg.seed, 2),
    );
    let per_park: Vec<f64> = (0..sites.len())
        .map(|p| slots.iter().filter(|s| s.park == p).count() as f64)
        .collect();
    let firms = enterprises::generate(
        &sites,
        &parcels::share(cfg.enterprises, &per_park),
        &mut stage_rng(cfg.seed, 3),
    );
    let mut rng = stage_rng(cfg.seed, 4);
    let plans = stories::plan(&slots, &firms, n_merge, &mut rng);
    let mut book = story::Book::new(&sites, &firms, &slots);
    let (lives, pairs, kinds) = stories::write(&mut book, &plans, &mut rng);
    let mut lives: Vec<Option<story::Live>> = lives.into_iter().map(Some).collect();
    lineage::merge_pairs(&mut book, &mut lives, &pairs, &mut rng);
    lineage::split_some(&mut book, &mut lives, &kinds, n_split, &mut rng);
    let mut rest: Vec<story::Live> = lives.into_iter().flatten().collect();
    book.finish(&mut rest, history::HORIZON + 1);
    let mut ops = std::mem::take(&mut book.ops);
    ops.sort_by_key(|(d, _)| *d); // stable: same-day ops keep their order
    let figures = annual::figures(&firms, &book.holdings, &mut stage_rng(cfg.seed, 5));
    let parks: Vec<Park> = sites.iter().map(|s| s.park.clone()).collect();
    let ops: Vec<DemoOp> = ops.into_iter().map(|(_, op)| op).collect();
    let batches = batches::build(&parks, &ops, &mut stage_rng(cfg.seed, 6));
    DemoData {
        parks,
        enterprises: enterprises::records(&firms, &figures, &sites),
        ops,
        figures,
        batches,
    }
}
