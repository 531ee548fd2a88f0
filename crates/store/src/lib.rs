//! # landcycle-store — where the registry lives
//!
//! - [`Store`]: the storage trait every backend implements (the embedded GeoPackage today,
//!   PostgreSQL/PostGIS next), written against by one shared test suite.
//! - [`SqliteStore`]: the embedded default, a SQLite file that is a valid GeoPackage.
//! - [`Registry`]: the write path. It validates input with the domain core and the geometry
//!   crate, computes areas, builds the history events and hands the store one atomic
//!   [`ChangeSet`] per operation. Reads go straight to the store.
#![forbid(unsafe_code)]

mod backend;
mod error;
mod model;
mod registry;
mod sniff;
pub mod sqlite;

pub use backend::Store;
pub use error::{StoreError, StoreResult};
pub use model::{Applied, AttachmentMeta, Change, ChangeSet, Page, ParcelQuery, StoreStats};
pub use registry::{Lineage, Registry, Timeline, WriteMeta};
pub use sniff::sniff_content_type;
pub use sqlite::SqliteStore;
