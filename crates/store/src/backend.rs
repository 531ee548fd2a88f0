//! The storage trait. The embedded GeoPackage backend implements it today; a PostgreSQL/PostGIS
//! backend implements the same trait and runs the same test suite (`tests/suite.rs`).
//!
//! The trait is deliberately small and dumb: validation, area computation and history building
//! happen in [`crate::Registry`], which hands the store finished [`ChangeSet`]s to write
//! atomically. Methods block; async callers use `spawn_blocking`.

use crate::error::StoreResult;
use crate::model::{
    Applied, AttachmentMeta, ChangeSet, EnterpriseQuery, Page, ParcelQuery, ScanData, StoreStats,
};
use jiff::civil::Date;
use landcycle_domain::{
    ChangeEvent, Enterprise, Parcel, ParcelId, Park, ParkId, Supply, Uscc, figures::AnnualFigures,
};

/// A landcycle store.
/// Workflow records are part of every store ([`crate::WorkflowStore`]).
pub trait Store: crate::workflow::WorkflowStore + Send + Sync + 'static {
    /// Writes every change of the set in one transaction, or none of them.
    fn apply(&self, set: ChangeSet) -> StoreResult<Applied>;

    /// Like [`Store::apply`] for a set too large to build before writing (a bulk import): the
    /// changes of one transaction arrive from `changes` while they are still being built. An
    /// `Err` item (the producer failed) rolls the whole set back.
    fn apply_stream(
        &self,
        recorded_at: jiff::Timestamp,
        effective: Date,
        changes: &mut dyn Iterator<Item = StoreResult<crate::model::Change>>,
    ) -> StoreResult<Applied>;

    /// Stores attachment content under its sha256 (idempotent) and returns the hash.
    fn put_blob(&self, bytes: &[u8]) -> StoreResult<String>;
    /// Reads attachment content by hash.
    fn blob(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Attachments linked to a parcel, oldest first.
    fn attachments(&self, parcel: ParcelId) -> StoreResult<Vec<AttachmentMeta>>;
    /// The parcels an attachment's content is linked to (to decide who may download it).
    fn attachment_parcels(&self, sha256: &str) -> StoreResult<Vec<ParcelId>>;

    /// All parks.
    fn parks(&self) -> StoreResult<Vec<Park>>;
    /// One park.
    fn park(&self, id: &ParkId) -> StoreResult<Option<Park>>;

    /// One enterprise.
    fn enterprise(&self, uscc: &Uscc) -> StoreResult<Option<Enterprise>>;
    /// Enterprises, optionally of one park or matching a name fragment.
    fn enterprises(
        &self,
        park: Option<&ParkId>,
        q: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> StoreResult<Page<Enterprise>> {
        self.find_enterprises(&EnterpriseQuery {
            park: park.cloned(),
            q: q.map(str::to_owned),
            limit,
            offset,
            ..Default::default()
        })
    }
    /// Enterprises matching a query.
    fn find_enterprises(&self, q: &EnterpriseQuery) -> StoreResult<Page<Enterprise>>;
    /// Yearly department figures of an enterprise.
    fn figures(&self, uscc: &Uscc) -> StoreResult<Vec<AnnualFigures>>;

    /// The parcel as it is now (live), or as it was on `as_of`.
    fn parcel(&self, id: ParcelId, as_of: Option<Date>) -> StoreResult<Option<Parcel>>;
    /// The latest version of a parcel, live or ended (ended parcels keep their last version
    /// with `valid_to` set).
    fn parcel_latest(&self, id: ParcelId) -> StoreResult<Option<Parcel>>;
    /// Every version of a parcel, oldest first.
    fn parcel_versions(&self, id: ParcelId) -> StoreResult<Vec<Parcel>>;
    /// A filtered, paged list of parcels.
    fn parcels(&self, q: &ParcelQuery) -> StoreResult<Page<Parcel>>;
    /// The parcels of `q` as a vector tile draws them, in spatial-index order, at most `q.limit`
    /// ([`crate::MAX_ROWS`] at most), each handed to `each` straight from its row. Unlike
    /// [`Store::parcels`], `q.bbox` selects on the bounding boxes alone (a parcel whose box
    /// meets the tile but whose shape does not is clipped away by the tile encoder anyway),
    /// and `q.offset` and `q.skip_total` are ignored.
    fn tile_parcels(
        &self,
        q: &ParcelQuery,
        each: &mut dyn FnMut(crate::model::TileParcel<'_>),
    ) -> StoreResult<()>;
    /// The live parcel whose row is `fid` (the numeric MVT feature id of the current tiles).
    /// A row keeps its fid through every edit (an update rewrites it in place); split and
    /// merge end the parents' rows and insert the children as new rows, and fids are never
    /// reused (`AUTOINCREMENT`), so a fid names one parcel or, once ended, none.
    fn parcel_id_by_fid(&self, fid: i64) -> StoreResult<Option<ParcelId>>;
    /// The 宗地代码 among `codes` that live parcels carry (exact matches; for bulk imports).
    fn live_codes(&self, codes: &[String]) -> StoreResult<std::collections::HashSet<String>>;
    /// `[min_x, min_y, max_x, max_y]` boxes (CGCS2000) of the live parcels near `bbox`, from the
    /// spatial index: each contains its parcel, and may be slightly larger.
    fn live_envelopes(&self, bbox: [f64; 4]) -> StoreResult<Vec<[f64; 4]>>;
    /// How many parcels match `q` (its paging ignored): exact when at most `cap` match,
    /// otherwise an estimate (the backend documents its rule).
    fn count_parcels(&self, q: &ParcelQuery, cap: u64) -> StoreResult<crate::filter::Count>;
    /// The page of [`Store::parcels`] (`q.skip_total` ignored) with the count of
    /// [`Store::count_parcels`], read together: cheaper than the two calls.
    fn counted_parcels(
        &self,
        q: &ParcelQuery,
        cap: u64,
    ) -> StoreResult<(Vec<Parcel>, crate::filter::Count)>;
    /// Parents of a parcel (split/merge lineage).
    fn parents(&self, id: ParcelId) -> StoreResult<Vec<ParcelId>>;
    /// Children of a parcel.
    fn children(&self, id: ParcelId) -> StoreResult<Vec<ParcelId>>;

    /// Supply records of a parcel, oldest first.
    fn supplies_of_parcel(&self, id: ParcelId) -> StoreResult<Vec<Supply>>;
    /// Supply records of an enterprise.
    fn supplies_of_enterprise(&self, uscc: &Uscc) -> StoreResult<Vec<Supply>>;

    /// Every approval batch (批次), ordered by 批文号. A registered parcel's `supplied_on` is
    /// its earliest supply contract in the registry (the stored date when it has none).
    fn batches(&self) -> StoreResult<Vec<landcycle_domain::BatchRecord>>;
    /// One approval batch by 批文号.
    fn batch(&self, id: &str) -> StoreResult<Option<landcycle_domain::BatchRecord>>;
    /// The 批文号 of the batch a parcel lies in, if any.
    fn batch_of_parcel(&self, id: ParcelId) -> StoreResult<Option<String>>;

    /// History events that touch a record (as subject or as a related record), oldest first.
    fn events_of(&self, id: &str) -> StoreResult<Vec<ChangeEvent>>;
    /// The latest events across the store, newest first.
    fn recent_events(&self, limit: u32) -> StoreResult<Vec<ChangeEvent>>;

    /// Everything the rule scan needs (live parcels without geometry, every version's status,
    /// every supply, every year's tax), read in bulk within one read transaction so that the
    /// parts are consistent with each other.
    fn scan_data(&self) -> StoreResult<ScanData>;
    /// A number that grows whenever this store handle writes (every [`Store::apply`]) and
    /// whenever any process records a history event in the same store, so callers can cache
    /// results derived from the data.
    fn generation(&self) -> u64;
    /// [`Store::generation`] for a hot path: writes through this handle count at once, writes
    /// by other processes within a bounded delay (the embedded store:
    /// [`crate::sqlite::GENERATION_RECHECK`]) instead of a read of the store on every call.
    /// The same numbering as [`Store::generation`], so the two may be compared.
    fn generation_recent(&self) -> u64 {
        self.generation()
    }

    /// A stored evaluation run with every input and result.
    fn evaluation_run(&self, id: &str) -> StoreResult<Option<crate::EvaluationRun>>;
    /// Ids of the stored evaluation runs of a year, oldest first.
    fn evaluation_runs(&self, year: i16) -> StoreResult<Vec<String>>;
    /// Every stored evaluation run without its entries, newest first, with its class counts.
    fn evaluation_run_heads(&self) -> StoreResult<Vec<crate::EvaluationRunHead>>;
    /// One enterprise's class in the newest stored run of each year, newest year first.
    fn classes_of(&self, uscc: &Uscc) -> StoreResult<Vec<crate::StoredClass>>;
    /// The class counts of a stored run over the enterprises whose park is in `parks` (all when
    /// `None`) and, when given, the one enterprise `uscc` — without reading inputs or details.
    fn evaluation_class_counts(
        &self,
        run_id: &str,
        parks: Option<&[ParkId]>,
        uscc: Option<&Uscc>,
    ) -> StoreResult<crate::ClassCounts>;

    /// Stores a received 用地意向 and returns its id.
    fn add_intention(&self, i: &crate::Intention) -> StoreResult<i64>;
    /// Received 用地意向, newest first, of the given parks only when `parks` is given.
    fn intentions(
        &self,
        parks: Option<&[ParkId]>,
        limit: u32,
    ) -> StoreResult<Vec<crate::Intention>>;

    /// Every delivery attempt to a webhook subscriber, oldest first.
    fn webhook_deliveries(&self, webhook_id: &str) -> StoreResult<Vec<crate::Delivery>>;

    /// Row counts.
    fn stats(&self) -> StoreResult<StoreStats>;
    /// Runs the engine's integrity check; `Ok(vec![])` when healthy.
    fn integrity_check(&self) -> StoreResult<Vec<String>>;
}
