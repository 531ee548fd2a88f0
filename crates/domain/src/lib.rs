//! # landcycle-domain — the pure core (领域核心)
//!
//! Types, codes, units, rules and state machines of industrial-land lifecycle management
//! (工业用地全生命周期管理). Nothing here does I/O, async or SQL: every other crate builds on it,
//! and everything here is unit-tested.
//!
//! - [`units`]: exact areas (m², 亩) and money (元, 万元) as decimals.
//! - [`codes`]: 统一社会信用代码 (GB 32100-2015), 宗地代码 (GB/T 37346-2019), 行政区划代码 (GB/T 2260).
//! - [`land_use`]: land-use codes in the three coexisting systems and their mapping.
//! - [`lifecycle`]: the parcel lifecycle state machine.
//! - [`parcel`], [`park`], [`enterprise`], [`supply`]: the registry's records.
//! - [`history`]: change events, the 一地一档 of every record.
//! - [`access`]: roles scoped by jurisdiction, and the one table that decides who may do what.
#![forbid(unsafe_code)]

pub mod access;
pub mod batch;
pub mod codes;
pub mod enterprise;
pub mod error;
pub mod figures;
pub mod history;
pub mod land_use;
pub mod lifecycle;
pub mod parcel;
pub mod park;
pub mod rules;
pub mod supply;
pub mod units;
pub mod workflow;

pub use batch::{BatchDeduction, BatchDraft, BatchRecord};
pub use codes::{AdminCode, Uscc, ZongdiCode};
pub use enterprise::Enterprise;
pub use error::{DomainError, DomainResult, FieldError};
pub use history::{Actor, ChangeEvent, ChangeKind, ChangeReason, EntityKind};
pub use land_use::{LandUse, LandUseSystem};
pub use lifecycle::ParcelLifecycle;
pub use parcel::{AreaCheck, Parcel, ParcelDraft, ParcelId, PlanningConditions};
pub use park::{Jurisdiction, Park, ParkAlias, ParkId, TaxPerMuTarget};
pub use supply::{LandRightNature, Supply, SupplyDraft, SupplyId, SupplyMode};
pub use units::{AreaM2, Mu, Yuan};
