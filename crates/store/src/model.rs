//! What goes into and comes out of a store: change sets, queries, pages, attachments.

use jiff::Timestamp;
use jiff::civil::Date;
use landcycle_domain::{
    AdminCode, ChangeEvent, Enterprise, LandUseSystem, Parcel, ParcelId, ParcelLifecycle, Park,
    ParkId, Supply, Uscc, figures::AnnualFigures,
};
use serde::Serialize;

/// One write within a [`ChangeSet`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Change {
    /// Store a new version of a parcel. `expected_version` is the version the caller read
    /// (`None` to create): the store refuses the change if the stored version differs.
    PutParcel {
        /// The new version (its `version` is `expected + 1`, or 1 on create).
        parcel: Box<Parcel>,
        /// The version it replaces.
        expected_version: Option<u32>,
    },
    /// End a parcel on the change set's effective date (after a split, merge or 注销).
    EndParcel {
        /// The parcel.
        id: ParcelId,
        /// The version the caller read.
        expected_version: u32,
    },
    /// Record parent → child lineage (split or merge).
    Lineage {
        /// Parent.
        parent: ParcelId,
        /// Child.
        child: ParcelId,
    },
    /// Insert or replace a park.
    PutPark(Box<Park>),
    /// Insert or replace an enterprise.
    PutEnterprise(Box<Enterprise>),
    /// Insert a supply record.
    PutSupply(Box<Supply>),
    /// Insert or replace one year of an enterprise's department figures.
    PutFigures(Box<AnnualFigures>),
    /// Store an evaluation run with all its inputs and results.
    PutEvaluationRun(Box<crate::EvaluationRun>),
    /// Link stored attachment content to a parcel.
    AttachToParcel {
        /// The parcel.
        parcel: ParcelId,
        /// Content hash (sha256, hex) of content stored with [`crate::Store::put_blob`].
        sha256: String,
        /// File name as uploaded.
        name: String,
        /// Media type as detected.
        content_type: String,
        /// Size in bytes.
        size: u64,
        /// Who uploaded it.
        uploaded_by: String,
    },
    /// Insert or replace a workflow record. `expected_version` is the version the caller read
    /// (`None` to create): the store refuses the change if the stored version differs.
    PutWorkflow {
        /// The record (its `version` is `expected + 1`, or 1 on create).
        record: Box<crate::workflow::WfRecord>,
        /// The version it replaces.
        expected_version: Option<u32>,
    },
    /// Append a workflow transition.
    WorkflowTransition(Box<crate::workflow::WfTransition>),
    /// Insert a new approval batch (批次) with its parcels and deductions; refused when the
    /// 批文号 exists or a registered parcel already lies in another batch.
    PutBatch(Box<landcycle_domain::BatchRecord>),
    /// Append a deduction (核减/撤回/纳入储备) to a stored batch.
    AddBatchDeduction {
        /// The batch's 批文号.
        batch_id: String,
        /// The deduction.
        deduction: Box<landcycle_domain::BatchDeduction>,
    },
    /// Refuse the whole set unless the store's generation ([`crate::Store::generation`]),
    /// read inside the transaction, is still this one: what was checked against the store
    /// before the write began (an import's codes, references and overlaps) still holds.
    Unchanged {
        /// The generation the checks saw.
        generation: u64,
    },
    /// Append a history event.
    Event(Box<ChangeEvent>),
    /// Link one more record to the last event of this set (an import's event and each parcel
    /// it created: one small `event_refs` row per parcel instead of one event each).
    EventRef {
        /// The record linked (a parcel id).
        entity_id: String,
        /// The row or feature number of the import file the record came from.
        source_row: Option<i64>,
    },
}

/// A set of changes written in one transaction: all or nothing.
#[derive(Debug, Clone)]
pub struct ChangeSet {
    /// The changes, in order.
    pub changes: Vec<Change>,
    /// Transaction time.
    pub recorded_at: Timestamp,
    /// Valid time of the changes.
    pub effective: Date,
}

/// What a [`ChangeSet`] produced.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Sequence numbers of the events written.
    pub event_seqs: Vec<i64>,
}

/// The most rows one [`ParcelQuery`] answers (a vector tile's cap; API pages stop at 10,000).
pub const MAX_ROWS: u32 = 50_000;

/// A parcel list query. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct ParcelQuery {
    /// `[min_lon, min_lat, max_lon, max_lat]` in CGCS2000.
    pub bbox: Option<[f64; 4]>,
    /// Park.
    pub park: Option<ParkId>,
    /// Lifecycle statuses (any of).
    pub status: Vec<ParcelLifecycle>,
    /// Land-use code prefix (e.g. `1001` matches 100101–100103), in the given system or any.
    pub land_use: Option<(Option<LandUseSystem>, String)>,
    /// Land user.
    pub enterprise: Option<Uscc>,
    /// County-level jurisdiction: parcels of that county, or of a park in it (a county user's
    /// scope).
    pub jurisdiction: Option<AdminCode>,
    /// Text search in 宗地代码, legacy codes and name.
    pub q: Option<String>,
    /// Read the parcels as they were on this date (from the history).
    pub as_of: Option<Date>,
    /// Read every version in the history, not only the live ones (`as_of` unset); a filter on
    /// `valid_from`/`valid_to` then picks the versions of a period.
    pub all_versions: bool,
    /// An expression filter (CQL2, type-checked).
    pub filter: Option<crate::filter::Filter>,
    /// Skip counting the matches (`Page::total` is then 0); see [`crate::Store::count_parcels`].
    pub skip_total: bool,
    /// With `bbox`: leave out parcels whose bounding box is narrower than the first and lower
    /// than the second value, in degrees — the parcels under a pixel of a low-zoom tile, which
    /// cannot be drawn there. Decided on the spatial index, before a row is read.
    pub min_extent: Option<(f64, f64)>,
    /// Page size (1–[`MAX_ROWS`]).
    pub limit: u32,
    /// Rows to skip.
    pub offset: u64,
}

/// An enterprise list query. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct EnterpriseQuery {
    /// Registered in this park.
    pub park: Option<ParkId>,
    /// Registered in a park of this county-level jurisdiction (a county user's scope).
    pub jurisdiction: Option<AdminCode>,
    /// Only this enterprise (an enterprise user's scope).
    pub uscc: Option<Uscc>,
    /// Name or code fragment.
    pub q: Option<String>,
    /// Page size (1–10 000).
    pub limit: u32,
    /// Rows to skip.
    pub offset: u64,
}

/// A page of results.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Rows matching the query in all.
    pub total: u64,
}

/// Metadata of an attachment linked to a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AttachmentMeta {
    /// Content hash (sha256, hex): the attachment's address.
    pub sha256: String,
    /// File name as uploaded.
    pub name: String,
    /// Media type detected from the content.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub uploaded_at: Timestamp,
}

/// Counts for `landcycle stats` and the health endpoint.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct StoreStats {
    /// Current (live) parcels.
    pub parcels: u64,
    /// Parcel versions in the history.
    pub parcel_versions: u64,
    /// Parks.
    pub parks: u64,
    /// Enterprises.
    pub enterprises: u64,
    /// Supply records.
    pub supplies: u64,
    /// History events.
    pub events: u64,
    /// Stored attachment blobs.
    pub attachments: u64,
}

/// One parcel as a vector tile draws it ([`crate::Store::tile_parcels`]): the columns a map
/// styles by, borrowed from the row, and the geometry still encoded as its GeoPackage blob.
/// Reading only these (no JSON columns, no dates, no decimals parsed) is what keeps a low-zoom
/// tile of tens of thousands of parcels fast.
#[derive(Debug, Clone, Copy)]
pub struct TileParcel<'a> {
    /// Row id (`fid`) in its table: the live parcels' for current tiles, the history's for a
    /// tile as of a date. See [`crate::Store::parcel_id_by_fid`].
    pub fid: i64,
    /// Parcel id (UUID text).
    pub id: &'a str,
    /// 宗地代码, if any.
    pub code: Option<&'a str>,
    /// Name.
    pub name: &'a str,
    /// Lifecycle status code.
    pub status: &'a str,
    /// Land-use code.
    pub land_use_code: &'a str,
    /// Area in 亩 (the stored `area_mu` column).
    pub area_mu: f64,
    /// Park, if any.
    pub park_id: Option<&'a str>,
    /// GeoPackage geometry blob.
    pub geom: &'a [u8],
}

/// What the rule scan needs about one live parcel: its current attributes without geometry.
/// The county, park and land user are indices into [`ScanData`]'s tables of distinct values,
/// so that a million parcels do not carry three million copies of a few hundred strings.
#[derive(Debug, Clone, Copy)]
pub struct ScanParcel {
    /// Parcel id.
    pub id: ParcelId,
    /// County (区县) code: index into [`ScanData::jurisdictions`].
    pub jurisdiction: u32,
    /// Park, if any: index into [`ScanData::parks`].
    pub park: Option<u32>,
    /// Current lifecycle status.
    pub status: ParcelLifecycle,
    /// Area computed from the geometry, m².
    pub computed_area_m2: landcycle_domain::units::AreaM2,
    /// Land user: index into [`ScanData::enterprises`].
    pub enterprise: Option<u32>,
    /// First day of the current version.
    pub valid_from: Date,
}

/// One version of a parcel as the scan reads it: its status and first day.
#[derive(Debug, Clone, Copy)]
pub struct StatusStep {
    /// Parcel id.
    pub parcel_id: ParcelId,
    /// The parcel's position in [`ScanData::parcels`].
    pub parcel_index: u32,
    /// Version number (1 = first).
    pub version: i64,
    /// Status of this version.
    pub status: ParcelLifecycle,
    /// First day of this version.
    pub valid_from: Date,
}

/// The fields of a supply record (供地) the scan and the price guides read.
#[derive(Debug, Clone, Copy)]
pub struct ScanSupply {
    /// Parcel supplied.
    pub parcel_id: ParcelId,
    /// The parcel's position in [`ScanData::parcels`].
    pub parcel_index: u32,
    /// 供地方式.
    pub mode: landcycle_domain::SupplyMode,
    /// Contract date.
    pub contract_date: Date,
    /// 约定开工日期.
    pub agreed_start: Option<Date>,
    /// 约定竣工日期.
    pub agreed_completion: Option<Date>,
    /// Price.
    pub price: landcycle_domain::units::Yuan,
}

/// Everything the rule scan reads, in bulk and from one snapshot of the store.
#[derive(Debug, Clone, Default)]
pub struct ScanData {
    /// Live parcels, in storage order.
    pub parcels: Vec<ScanParcel>,
    /// The distinct counties of the parcels ([`ScanParcel::jurisdiction`]).
    pub jurisdictions: Vec<AdminCode>,
    /// The distinct parks of the parcels ([`ScanParcel::park`]).
    pub parks: Vec<ParkId>,
    /// The distinct land users of the parcels ([`ScanParcel::enterprise`]).
    pub enterprises: Vec<Uscc>,
    /// Every version of every live parcel, ordered by (parcel position, version).
    pub statuses: Vec<StatusStep>,
    /// The supply records of the live parcels, ordered by (parcel position, contract date,
    /// storage key): grouped by parcel, oldest contract first.
    pub supplies: Vec<ScanSupply>,
    /// Tax per enterprise and year (yuan), from the department figures.
    pub tax: Vec<(Uscc, i16, rust_decimal::Decimal)>,
    /// Every approval batch, with registered parcels' supply dates from the supplies.
    pub batches: Vec<landcycle_domain::BatchRecord>,
    /// By parcel position: the batch (index in [`Self::batches`]) the parcel is registered
    /// in; a parcel listed in two batches belongs to the later one.
    pub batch_of: Vec<Option<u32>>,
}

impl ScanData {
    /// The park of a parcel.
    pub fn park_of(&self, p: &ScanParcel) -> Option<&ParkId> {
        p.park.and_then(|i| self.parks.get(i as usize))
    }

    /// The county of a parcel.
    pub fn jurisdiction_of(&self, p: &ScanParcel) -> Option<&AdminCode> {
        self.jurisdictions.get(p.jurisdiction as usize)
    }

    /// The land user of a parcel.
    pub fn enterprise_of(&self, p: &ScanParcel) -> Option<&Uscc> {
        p.enterprise.and_then(|i| self.enterprises.get(i as usize))
    }
}
