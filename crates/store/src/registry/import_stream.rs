//! The two sides of an import's one transaction: the producer that checks the rows chunk by
//! chunk and builds the changes of each clean chunk, and the stream the store's writer takes
//! them from, which ends in an error when the producer stopped short (a problem, or a panic)
//! so that the write rolls back.

use super::import::{Checked, ImportProblem, ImportRow};
use super::import_checks::RowChecker;
use crate::error::{StoreError, StoreResult};
use crate::model::Change;
use landcycle_domain::{Parcel, ParcelId};
use rayon::prelude::*;

/// Parcels built per chunk by the import's producer (in parallel), as the writer takes them.
pub(super) const WRITE_CHUNK: usize = 4096;

/// The changes of a streamed import as the writer takes them, ending in an error when the
/// producer stopped before every parcel was built (a problem, or a panic): the write then rolls
/// back instead of committing part of the file. `progress` hears (parcels taken, expected) as
/// each chunk is taken, on the writer's thread.
pub(super) struct Complete<'p, I: Iterator<Item = Vec<Change>>> {
    chunks: I,
    current: std::vec::IntoIter<Change>,
    parcels: usize,
    expected: usize,
    progress: &'p mut dyn FnMut(usize, usize),
}

impl<'p, I: Iterator<Item = Vec<Change>>> Complete<'p, I> {
    pub(super) fn new(
        chunks: I,
        expected: usize,
        progress: &'p mut dyn FnMut(usize, usize),
    ) -> Self {
        Self {
            chunks,
            current: Vec::new().into_iter(),
            parcels: 0,
            expected,
            progress,
        }
    }
}

impl<I: Iterator<Item = Vec<Change>>> Iterator for Complete<'_, I> {
    type Item = StoreResult<Change>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(c) = self.current.next() {
                self.parcels += usize::from(matches!(c, Change::PutParcel { .. }));
                return Some(Ok(c));
            }
            (self.progress)(self.parcels, self.expected);
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

/// The changes that create checked parcels: each parcel's version row and its link to the
/// import's event, built in parallel.
pub(super) fn build(chunk: Vec<Checked>, effective: jiff::civil::Date) -> Vec<Change> {
    chunk
        .into_par_iter()
        .flat_map_iter(|c| {
            let parcel = Parcel::from_draft(c.id, 1, c.valid, c.area, effective, vec![]);
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
        .collect()
}

/// The producer of [`Registry::import_parcels`]: checks the rows chunk by chunk and sends the
/// changes of each clean chunk to the writer. From the first problem on it sends nothing more
/// (the writer, short of the file, rolls back) but checks on, so that the report is complete.
pub(super) fn check_and_build<I: Iterator<Item = uuid::Uuid>>(
    mut checker: RowChecker<I>,
    rows: Vec<ImportRow>,
    mut writer: Option<std::sync::mpsc::SyncSender<Vec<Change>>>,
    effective: jiff::civil::Date,
) -> StoreResult<(Vec<ParcelId>, Vec<ImportProblem>)> {
    let mut created = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    let mut rows = rows.into_iter();
    loop {
        let chunk: Vec<ImportRow> = rows.by_ref().take(WRITE_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let (checked, found) = checker.check(chunk)?;
        problems.extend(found);
        if !problems.is_empty() {
            writer = None;
            continue;
        }
        let Some(tx) = &writer else {
            // The writer stopped on an error of its own, which it reports.
            break;
        };
        created.extend(checked.iter().map(|c| c.id));
        if tx.send(build(checked, effective)).is_err() {
            writer = None;
        }
    }
    Ok((created, problems))
}
