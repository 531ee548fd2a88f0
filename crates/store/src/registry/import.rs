//! Importing many parcels at once, all or nothing: every row is checked before anything is
//! written, every problem is reported with its file, row, field, value and reason, and a clean
//! import is one transaction whose events name the source file and its sha256.
//!
//! Built for a million rows: what the checks need from the store (codes already taken, the
//! parks and land users named, live parcels near each row) is read first in a few queries
//! ([`ImportFacts`]); the row checks then run in parallel chunks without the store
//! ([`RowChecker`]). An import that writes checks each chunk while the store writes the chunks
//! before it, in the one transaction: the checks and the write overlap, and the transaction is
//! rolled back, nothing written, when any row has a problem ([`Registry::import_parcels`]).

use super::import_checks::{RowChecker, store_conflicts};
use super::import_facts::ImportFacts;
use super::import_stream::{Complete, WRITE_CHUNK, build, check_and_build};
use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::Change;
use landcycle_domain::parcel::ValidDraft;
use landcycle_domain::units::AreaM2;
use landcycle_domain::{ChangeKind, EntityKind, ParcelDraft, ParcelId};
use serde::Serialize;

/// Overlap share of the smaller parcel above which two parcels are reported as overlapping.
pub const DEFAULT_OVERLAP_TOLERANCE: f64 = 0.01;

/// One row (feature, line) of an import file.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// 1-based row or feature number in the file, as a user counts it.
    pub row: usize,
    /// The parcel it describes.
    pub draft: ParcelDraft,
}

/// Where the rows came from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportSource {
    /// File name as given.
    pub file: String,
    /// sha256 of the file's bytes (hex).
    pub sha256: String,
    /// Format read (shapefile, geopackage, geojson, xlsx …).
    pub format: String,
    /// CRS the coordinates were given in, e.g. `EPSG:4526`.
    pub crs: String,
    /// Text encoding used, where the format has one (`GBK`, `UTF-8`), and how it was chosen.
    pub encoding: Option<String>,
    /// Notes for the user (repairs made, detection results).
    pub notes: Vec<String>,
}

/// One problem of an import, in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    /// File.
    pub file: String,
    /// Row or feature number (1-based), absent for file-level problems.
    pub row: Option<usize>,
    /// Field.
    pub field: String,
    /// Value as found.
    pub value: Option<String>,
    /// Reason in English.
    pub reason: String,
    /// Reason in Chinese.
    pub reason_zh: String,
}

/// What an import did or would do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// The source.
    pub source: ImportSource,
    /// Rows read.
    pub rows: usize,
    /// Every problem found; when not empty nothing was written.
    pub problems: Vec<ImportProblem>,
    /// Ids of the parcels created (empty on a dry run or when there were problems).
    #[schema(value_type = Vec<String>)]
    pub created: Vec<ParcelId>,
    /// True when the parcels were written.
    pub written: bool,
}

/// A row that passed every check, ready to be written.
pub(super) struct Checked {
    pub(super) row: usize,
    pub(super) id: ParcelId,
    pub(super) valid: ValidDraft,
    pub(super) area: AreaM2,
}

/// Rows of one file, checked and not yet written ([`Registry::check_import`]).
pub struct CheckedImport {
    source: ImportSource,
    rows: usize,
    checked: Vec<Checked>,
    problems: Vec<ImportProblem>,
    /// The store's generation when the store was consulted: the write repeats the checks
    /// against the store only when it has changed since.
    generation: u64,
}

impl CheckedImport {
    /// Every problem found; when not empty nothing will be written.
    pub fn problems(&self) -> &[ImportProblem] {
        &self.problems
    }

    /// Rows that passed every check.
    pub fn ready(&self) -> usize {
        self.checked.len()
    }

    fn report(&self) -> ImportReport {
        ImportReport {
            source: self.source.clone(),
            rows: self.rows,
            problems: self.problems.clone(),
            created: vec![],
            written: false,
        }
    }
}

impl<S: Store + ?Sized> Registry<S> {
    /// Checks every row and, if none has a problem and this is not a dry run, creates all the
    /// parcels in one transaction. The write begins with the first chunk of checked rows and
    /// goes on while the later ones are checked; a problem in any row rolls it back, so the
    /// store is as before and the report lists every problem of the file.
    pub fn import_parcels(
        &self,
        rows: Vec<ImportRow>,
        source: ImportSource,
        meta: &WriteMeta,
        dry_run: bool,
    ) -> StoreResult<ImportReport> {
        self.import_parcels_with(rows, source, meta, dry_run, &mut |_, _| {})
    }

    /// [`Registry::import_parcels`], telling `progress` (rows checked and written, rows) as
    /// the write goes on (the CLI's progress bar).
    pub fn import_parcels_with(
        &self,
        rows: Vec<ImportRow>,
        source: ImportSource,
        meta: &WriteMeta,
        dry_run: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> StoreResult<ImportReport> {
        if dry_run {
            return Ok(self.check_import(rows, source, meta)?.report());
        }
        let batch = Batch::new(meta)?;
        let n_rows = rows.len();
        let started = std::time::Instant::now();
        let facts = ImportFacts::gather(self.store(), &drafts(&rows), true)?;
        tracing::debug!(file = %source.file, ms = started.elapsed().as_millis(), "import phase: what the checks need from the store");
        let generation = facts.generation;
        let checker = RowChecker::new(source.file.clone(), facts, super::ids::ordered_ids(n_rows));
        let event = import_event(&batch, &source, n_rows, n_rows);
        let effective = batch.effective();
        let started = std::time::Instant::now();
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Change>>(4);
        let (written, checked) = std::thread::scope(|scope| {
            let producer = scope.spawn(move || {
                // What the checks read must still hold when the transaction has begun.
                let first = vec![Change::Unchanged { generation }, event];
                check_and_build(
                    checker,
                    rows,
                    (tx.send(first).is_ok()).then_some(tx),
                    effective,
                )
            });
            let mut stream = Complete::new(rx.iter(), n_rows, progress);
            let written = self
                .store()
                .apply_stream(batch.recorded_at(), effective, &mut stream);
            drop(stream);
            let checked = producer.join().unwrap_or_else(|_| {
                Err(StoreError::Backend(
                    "the import's checks stopped unexpectedly; nothing was written".into(),
                ))
            });
            (written, checked)
        });
        let (created, mut problems) = checked?;
        tracing::debug!(file = %source.file, ms = started.elapsed().as_millis(), written = problems.is_empty(), "import phase: checks and write (one transaction)");
        let mut report = ImportReport {
            source,
            rows: n_rows,
            problems: vec![],
            created: vec![],
            written: false,
        };
        if !problems.is_empty() {
            // The write stopped short of the file and rolled back.
            problems.sort_by(|a, b| (a.row, &a.field).cmp(&(b.row, &b.field)));
            report.problems = problems;
            return Ok(report);
        }
        written?;
        report.created = created;
        report.written = true;
        Ok(report)
    }

    /// Checks every row (attributes, geometry, area, references, duplicate codes, overlaps
    /// within the file and with live parcels) without writing. The rows are consumed: the
    /// drafts that pass are kept, without a copy, for [`Registry::write_import`].
    pub fn check_import(
        &self,
        rows: Vec<ImportRow>,
        source: ImportSource,
        meta: &WriteMeta,
    ) -> StoreResult<CheckedImport> {
        Batch::new(meta)?;
        let n_rows = rows.len();
        let started = std::time::Instant::now();
        let facts = ImportFacts::gather(self.store(), &drafts(&rows), true)?;
        tracing::debug!(file = %source.file, ms = started.elapsed().as_millis(), "import phase: what the checks need from the store");
        let generation = facts.generation;
        let started = std::time::Instant::now();
        let mut checker =
            RowChecker::new(source.file.clone(), facts, super::ids::ordered_ids(n_rows));
        let (checked, mut problems) = checker.check(rows)?;
        tracing::debug!(file = %source.file, ms = started.elapsed().as_millis(), "import phase: row checks");
        problems.sort_by(|a, b| (a.row, &a.field).cmp(&(b.row, &b.field)));
        Ok(CheckedImport {
            source,
            rows: n_rows,
            checked,
            problems,
            generation,
        })
    }

    /// Writes what [`Registry::check_import`] found clean, in one transaction whose events
    /// name the source file and its sha256; nothing when it found a problem. When the store
    /// changed since the check (another writer, or an earlier file of the same import), the
    /// checks against the store run again first.
    pub fn write_import(
        &self,
        mut checked: CheckedImport,
        meta: &WriteMeta,
    ) -> StoreResult<ImportReport> {
        if checked.problems.is_empty() && self.store().generation() != checked.generation {
            let rows: Vec<(usize, &ParcelDraft)> = checked
                .checked
                .iter()
                .map(|c| (c.row, &c.valid.draft))
                .collect();
            let facts = ImportFacts::gather(self.store(), &rows, false)?;
            checked.generation = facts.generation;
            checked.problems = store_conflicts(&checked.source.file, &facts, &checked.checked);
        }
        let mut report = checked.report();
        if !report.problems.is_empty() {
            return Ok(report);
        }
        let CheckedImport {
            source,
            checked,
            generation,
            ..
        } = checked;
        let started = std::time::Instant::now();
        let batch = Batch::new(meta)?;
        let effective = batch.effective();
        report.created = checked.iter().map(|c| c.id).collect();
        let total = checked.len();
        let event = import_event(&batch, &source, report.rows, total);
        // The parcels are built in parallel chunks on one side of a channel while the store
        // writes them on the other, in one transaction: the build and the write overlap, and
        // only the chunks in flight are in memory.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Change>>(4);
        let applied = std::thread::scope(|scope| {
            // `move`: the sender goes with the producer, so the stream ends when it does.
            let producer = scope.spawn(move || {
                if tx
                    .send(vec![Change::Unchanged { generation }, event])
                    .is_err()
                {
                    return;
                }
                let mut rows = checked.into_iter();
                loop {
                    let chunk: Vec<Checked> = rows.by_ref().take(WRITE_CHUNK).collect();
                    if chunk.is_empty() {
                        break;
                    }
                    // The writer stopped (it failed and rolls back): nothing more to build.
                    if tx.send(build(chunk, effective)).is_err() {
                        break;
                    }
                }
            });
            let mut quiet = |_, _| {};
            let mut stream = Complete::new(rx.iter(), total, &mut quiet);
            let out = self
                .store()
                .apply_stream(batch.recorded_at(), effective, &mut stream);
            drop(stream);
            let _ = producer.join();
            out
        });
        applied?;
        tracing::debug!(file = %source.file, ms = started.elapsed().as_millis(), "import phase: build and write (one transaction)");
        report.written = true;
        Ok(report)
    }
}

/// Each row's number and draft, for [`ImportFacts::gather`].
fn drafts(rows: &[ImportRow]) -> Vec<(usize, &ParcelDraft)> {
    rows.iter().map(|r| (r.row, &r.draft)).collect()
}

/// The import's one history event (who, when, which file, how many); each parcel is linked to
/// it by an `event_refs` row with its row number, and its created state is its first version
/// row (`sqlite/history.rs` shows it as the parcel's creation entry).
fn import_event(batch: &Batch, source: &ImportSource, rows: usize, parcels: usize) -> Change {
    batch.make_event(
        EntityKind::Import,
        format!("sha256:{}", source.sha256),
        ChangeKind::Create,
        None,
        Some(
            serde_json::json!({"file": source.file, "sha256": source.sha256,
            "format": source.format, "crs": source.crs, "encoding": source.encoding,
            "rows": rows, "parcels": parcels}),
        ),
        vec![format!("{} sha256:{}", source.file, source.sha256)],
    )
}
