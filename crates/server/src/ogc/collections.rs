//! The collections: what each holds, who may read it, which properties filter it.

use landcycle_domain::ParcelLifecycle;
use landcycle_store::ParcelQuery;
use landcycle_store::filter::Queryable;

/// A collection of the OGC API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coll {
    /// Every parcel with its full record (signed-in users, scoped to their jurisdiction).
    Parcels,
    /// The annual list of land available for supply (云上看地): public, redacted fields.
    AvailableLand,
    /// Park boundaries with their targets: public.
    Parks,
}

/// The statuses on the public available-land list: reserved (储备) and listed (挂牌).
pub const AVAILABLE: [ParcelLifecycle; 2] = [ParcelLifecycle::Reserved, ParcelLifecycle::Listed];

impl Coll {
    /// All, in listing order.
    pub const ALL: [Coll; 3] = [Coll::Parcels, Coll::AvailableLand, Coll::Parks];

    /// The id in URLs (and the MVT layer name).
    pub fn id(self) -> &'static str {
        match self {
            Coll::Parcels => "parcels",
            Coll::AvailableLand => "available-land",
            Coll::Parks => "parks",
        }
    }

    /// Title.
    pub fn title(self) -> &'static str {
        match self {
            Coll::Parcels => "宗地 Parcels",
            Coll::AvailableLand => "可供应土地 Available land (云上看地)",
            Coll::Parks => "产业集聚区 Parks",
        }
    }

    /// Description.
    pub fn description(self) -> &'static str {
        match self {
            Coll::Parcels => {
                "Every parcel (一宗一卡) with status, use, area and land user; history via datetime"
            }
            Coll::AvailableLand => {
                "Parcels reserved or listed for supply, public fields only (no land user, no internal notes)"
            }
            Coll::Parks => {
                "Boundaries of the ten Xuchang industrial clusters with their 亩均税收 targets"
            }
        }
    }

    /// True when anyone may read it.
    pub fn is_public(self) -> bool {
        !matches!(self, Coll::Parcels)
    }

    /// True when its features change through history (the `datetime` parameter applies).
    pub fn is_temporal(self) -> bool {
        matches!(self, Coll::Parcels)
    }

    /// The properties a filter may name. The public list exposes only public fields.
    pub fn queryables(self) -> Vec<Queryable> {
        match self {
            Coll::Parcels => Queryable::ALL.to_vec(),
            Coll::AvailableLand => vec![
                Queryable::Code,
                Queryable::Address,
                Queryable::Jurisdiction,
                Queryable::ParkId,
                Queryable::Status,
                Queryable::LandUseSystem,
                Queryable::LandUseCode,
                Queryable::AreaMu,
            ],
            Coll::Parks => Vec::new(),
        }
    }

    /// The store query every request on this collection starts from.
    pub fn base_query(self) -> ParcelQuery {
        match self {
            Coll::AvailableLand => ParcelQuery {
                status: AVAILABLE.to_vec(),
                ..ParcelQuery::default()
            },
            _ => ParcelQuery::default(),
        }
    }
}
