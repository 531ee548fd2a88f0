//! Importing many parcels at once, all or nothing: every row is checked before anything is
//! written, every problem is reported with its file, row, field, value and reason, and a clean
//! import is one transaction whose events name the source file and its sha256.
//!
//! Built for a million rows: the checks that need no store (attributes, geometry, area) run in
//! parallel; the references (park, land user) are looked up once per distinct value; codes and
//! overlaps with live parcels are checked against the store's indexes in a few queries
//! ([`existing_conflicts`]); a check that is still current is not repeated by the write
//! ([`Registry::write_import`]).

use super::import_checks::{existing_conflicts, overlaps_within};
use super::parcels::validate_draft;
use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::Change;
use landcycle_domain::parcel::ValidDraft;
use landcycle_domain::units::AreaM2;
use landcycle_domain::{ChangeKind, EntityKind, FieldError, Parcel, ParcelDraft, ParcelId};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// A row's park and land user, as written: rows sharing them share one reference check.
type ReferenceKey = (Option<String>, Option<String>);

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

/// Parcels built per chunk by the import's producer (in parallel), as the writer takes them.
const WRITE_CHUNK: usize = 4096;

/// The changes of a streamed import as the writer takes them, ending in an error when the
/// producer stopped before every parcel was built (it panicked): the write then rolls back
/// instead of committing part of the file.
struct Complete<I: Iterator<Item = Vec<Change>>> {
    chunks: I,
    current: std::vec::IntoIter<Change>,
    parcels: usize,
    expected: usize,
}

impl<I: Iterator<Item = Vec<Change>>> Iterator for Complete<I> {
    type Item = StoreResult<Change>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(c) = self.current.next() {
                self.parcels += usize::from(matches!(c, Change::PutParcel { .. }));
                return Some(Ok(c));
            }
            match self.chunks.next() {
                Some(chunk) => self.current = chunk.into_iter(),
                None if self.parcels == self.expected => return None,
                None => {
                    let (built, expected) = (self.parcels, self.expected);
                    self.expected = built;
                    return Some(Err(StoreError::Backend(format!(
                        "the import stopped after building {built} of {expected} parcels; nothing was written"
                    ))));
                }
            }
        }
    }

    /// At least one change per parcel still to come: the writer sizes its strategy by it
    /// (secondary indexes built after the load, `sqlite/bulk_indexes.rs`).
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.expected.saturating_sub(self.parcels), None)
    }
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
    /// parcels in one transaction.
    pub fn import_parcels(
        &self,
        rows: Vec<ImportRow>,
        source: ImportSource,
        meta: &WriteMeta,
        dry_run: bool,
    ) -> StoreResult<ImportReport> {
        let checked = self.check_import(rows, source, meta)?;
        if dry_run {
            return Ok(checked.report());
        }
        self.write_import(checked, meta)
    }

    /// Checks every row (attributes, geometry, area, references, duplicate codes, overlaps
    /// within the file and with live parcels) without writing. The rows are consumed: the
    /// drafts that pass are kept, without a copy, for the write ([`CheckedImport::drafts`]).
    pub fn check_import(
        &self,
        rows: Vec<ImportRow>,
        source: ImportSource,
        meta: &WriteMeta,
    ) -> StoreResult<CheckedImport> {
        Batch::new(meta)?;
        let file = source.file.clone();
        let problem = |row: usize, f: FieldError| ImportProblem {
            file: file.clone(),
            row: Some(row),
            field: f.field,
            value: f.value,
            reason: f.reason,
            reason_zh: f.reason_zh,
        };
        let generation = self.store().generation();
        let started = std::time::Instant::now();
        let n_rows = rows.len();
        let validated: Vec<(usize, StoreResult<(ValidDraft, AreaM2)>)> = rows
            .into_par_iter()
            .map(|r| (r.row, validate_draft(r.draft)))
            .collect();
        tracing::debug!(file = %file, ms = started.elapsed().as_millis(), "import phase: row checks (geometry, attributes, area)");
        let started = std::time::Instant::now();
        let mut problems = Vec::new();
        let mut checked = Vec::with_capacity(n_rows);
        let mut codes: HashMap<String, usize> = HashMap::with_capacity(n_rows);
        // One lookup per distinct park and land user, not one per row.
        let mut references: HashMap<ReferenceKey, Option<Vec<FieldError>>> = HashMap::new();
        // Ids in write order, so the id indexes are filled by appending (`ids.rs`).
        let mut ids = super::ids::ordered_ids(n_rows);
        for (row, result) in validated {
            let (valid, area) = match result {
                Ok(v) => v,
                Err(StoreError::Invalid(fields)) => {
                    problems.extend(fields.into_iter().map(|f| problem(row, f)));
                    continue;
                }
                Err(other) => return Err(other),
            };
            let key = (
                valid.park_id.as_ref().map(|p| p.as_str().to_owned()),
                valid.enterprise.as_ref().map(|u| u.as_str().to_owned()),
            );
            let refused = match references.get(&key) {
                Some(r) => r.clone(),
                None => {
                    let r = match self.check_references(&valid) {
                        Ok(()) => None,
                        Err(StoreError::Invalid(fields)) => Some(fields),
                        Err(other) => return Err(other),
                    };
                    references.insert(key, r.clone());
                    r
                }
            };
            if let Some(fields) = refused {
                problems.extend(fields.into_iter().map(|f| problem(row, f)));
                continue;
            }
            if let Some(code) = &valid.code
                && let Some(first) = codes.insert(code.as_str().to_owned(), row)
            {
                problems.push(ImportProblem {
                    file: file.clone(),
                    row: Some(row),
                    field: "code".into(),
                    value: Some(code.as_str().to_owned()),
                    reason: format!("宗地代码 also used by row {first} of this file"),
                    reason_zh: format!("宗地代码与本文件第{first}行重复"),
                });
            }
            checked.push(Checked {
                row,
                id: ParcelId(ids.next().unwrap_or_else(Uuid::new_v4)),
                valid,
                area,
            });
        }
        tracing::debug!(file = %file, ms = started.elapsed().as_millis(), "import phase: references and duplicate codes");
        let started = std::time::Instant::now();
        problems.extend(existing_conflicts(self.store(), &checked, &file)?);
        tracing::debug!(file = %file, ms = started.elapsed().as_millis(), "import phase: codes and overlaps against the store");
        let started = std::time::Instant::now();
        problems.extend(overlaps_within(&checked, &file));
        tracing::debug!(file = %file, ms = started.elapsed().as_millis(), "import phase: overlaps within the file");
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
    /// changed since the check (another writer), the checks against the store run again first.
    pub fn write_import(
        &self,
        mut checked: CheckedImport,
        meta: &WriteMeta,
    ) -> StoreResult<ImportReport> {
        if checked.problems.is_empty() && self.store().generation() != checked.generation {
            let file = checked.source.file.clone();
            checked.problems = existing_conflicts(self.store(), &checked.checked, &file)?;
        }
        let mut report = checked.report();
        if !report.problems.is_empty() {
            return Ok(report);
        }
        let CheckedImport {
            source, checked, ..
        } = checked;
        let started = std::time::Instant::now();
        let batch = Batch::new(meta)?;
        let effective = batch.effective();
        report.created = checked.iter().map(|c| c.id).collect();
        let total = checked.len();
        // One event for the import (who, when, which file, how many); each parcel is linked to
        // it by an `event_refs` row with its row number, and its created state is its first
        // version row (`sqlite/history.rs` shows it as the parcel's creation entry).
        let event = batch.make_event(
            EntityKind::Import,
            format!("sha256:{}", source.sha256),
            ChangeKind::Create,
            None,
            Some(
                serde_json::json!({"file": source.file, "sha256": source.sha256,
                "format": source.format, "crs": source.crs, "encoding": source.encoding,
                "rows": report.rows, "parcels": total}),
            ),
            vec![format!("{} sha256:{}", source.file, source.sha256)],
        );
        // The parcels are built in parallel chunks on one side of a channel while the store
        // writes them on the other, in one transaction: the build and the write overlap, and
        // only the chunks in flight are in memory.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Change>>(4);
        let applied = std::thread::scope(|scope| {
            // `move`: the sender goes with the producer, so the stream ends when it does.
            let producer = scope.spawn(move || {
                if tx.send(vec![event]).is_err() {
                    return;
                }
                let mut rows = checked.into_iter();
                loop {
                    let chunk: Vec<Checked> = rows.by_ref().take(WRITE_CHUNK).collect();
                    if chunk.is_empty() {
                        break;
                    }
                    let changes: Vec<Change> = chunk
                        .into_par_iter()
                        .flat_map_iter(|c| {
                            let parcel =
                                Parcel::from_draft(c.id, 1, c.valid, c.area, effective, vec![]);
                            let link = Change::EventRef {
                                entity_id: parcel.id.to_string(),
                                source_row: i64::try_from(c.row).ok(),
                            };
                            let put = Change::PutParcel {
                                parcel: Box::new(parcel),
                                expected_version: None,
                            };
                            [put, link]
                        })
                        .collect();
                    // The writer stopped (it failed and rolls back): nothing more to build.
                    if tx.send(changes).is_err() {
                        break;
                    }
                }
            });
            let mut stream = Complete {
                chunks: rx.iter(),
                current: Vec::new().into_iter(),
                parcels: 0,
                expected: total,
            };
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
