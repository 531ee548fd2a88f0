//! # landcycle-store — where the registry lives
//!
//! - [`Store`]: the storage trait every backend implements (the embedded GeoPackage today,
//!   PostgreSQL/PostGIS next), written against by one shared test suite.
//! - [`SqliteStore`]: the embedded default, a SQLite file that is a valid GeoPackage.
//! - [`Registry`]: the write path. It validates input with the domain core and the geometry
//!   crate, computes areas, builds the history events and hands the store one atomic
//!   [`ChangeSet`] per operation. Reads go straight to the store.
//! - [`AccountStore`]: users, API tokens, sessions and the append-only audit log.
#![forbid(unsafe_code)]

pub mod accounts;
mod backend;
mod error;
mod evaluation;
pub mod filter;
mod intentions;
mod model;
mod registry;
mod sniff;
pub mod sqlite;
pub mod webhooks;
pub mod workflow;

pub use accounts::{
    AccountStore, AuditEntry, AuditQuery, AuditRecord, Session, Token, TokenAccess, User,
    check_user_name,
};
pub use backend::Store;
pub use error::{StoreError, StoreResult};
pub use evaluation::{
    ClassCounts, EvaluationEntry, EvaluationInput, EvaluationRun, EvaluationRunHead, StoredClass,
};
pub use intentions::Intention;
pub use model::{
    Applied, AttachmentMeta, Change, ChangeSet, EnterpriseQuery, MAX_ROWS, Page, ParcelQuery,
    ScanData, ScanParcel, ScanSupply, StatusStep, StoreStats, TileParcel,
};
pub use registry::{AgeBucketArea, BatchRow, BatchSummary, BatchTotals, summarize_batches};
pub use registry::{
    CheckedImport, DEFAULT_OVERLAP_TOLERANCE, ImportProblem, ImportReport, ImportRow, ImportSource,
    Lineage, ParkTally, Registry, ScanFilter, ScanReport, Timeline, WriteMeta,
};
pub use registry::{CountyInputs, FigureSource, IdleDisposal, QuotaInputs, QuotaOverrides};
pub use registry::{EvaluationOutcome, FiguresReport, FiguresRow, ParkTaxRow, ParkYear};
pub use sniff::sniff_content_type;
pub use sqlite::SqliteStore;
pub use webhooks::Delivery;
pub use workflow::{WfKind, WfQuery, WfRecord, WfTransition, WorkflowStore};
