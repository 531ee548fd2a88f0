//! One import from files to the store, shared by `landcycle import` and `POST /api/imports`:
//! every file is read first ([`prepare`]); [`commit`] checks the rows against the rules and the
//! store and writes them only when no file has a problem, each file in one transaction.
//! Callers put their own checks between the two (the server checks each row against the
//! user's jurisdiction).
//!
//! A single file of parcels read without a problem is checked and written in one pass
//! ([`Registry::import_parcels`]: the write of the rows checked so far overlaps the checks of
//! the rest and is rolled back on any problem); several files, a file with read problems and a
//! dry run are checked in full first, so that nothing is written unless every file is clean.

use crate::figures::read_figures;
use crate::read::{ImportOptions, read_parcels_partial};
use landcycle_store::{
    FiguresRow, ImportProblem, ImportRow, ImportSource, Registry, Store, StoreResult, WriteMeta,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What the files of an import hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ImportKind {
    /// 宗地: one polygon per row.
    #[default]
    Parcels,
    /// 部门数据: yearly figures by 统一社会信用代码 (税收, 产值, 用电量, 从业人员).
    Figures,
}

impl ImportKind {
    /// Parses `parcels` or `figures`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "parcels" => Some(Self::Parcels),
            "figures" => Some(Self::Figures),
            _ => None,
        }
    }
}

/// What an import did or would do (the body of `POST /api/imports`, also printed by the CLI).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
#[schema(as = ImportReport)]
pub struct ImportSummary {
    /// True when nothing was to be written (`dry_run=true`).
    pub dry_run: bool,
    /// True when the rows were written.
    pub written: bool,
    /// Every file read, with its sha256, format, CRS, encoding and notes.
    pub sources: Vec<ImportSource>,
    /// Every problem (file, row, field, value, reason in English and Chinese); when not
    /// empty, nothing was written.
    pub problems: Vec<ImportProblem>,
    /// Rows read, over all files.
    pub rows: usize,
    /// Records created (parcels; enterprise-years of figures), or that would be on a dry run.
    pub created: usize,
    /// Records replaced (enterprise-years whose figures were replaced; old values kept in
    /// history), or that would be on a dry run.
    pub updated: usize,
    /// The import's id, recorded as the reference of every change it wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
}

/// Files read and checked, not yet written.
#[derive(Default)]
pub struct Prepared {
    /// What the files hold.
    pub kind: ImportKind,
    /// Every problem found so far.
    pub problems: Vec<ImportProblem>,
    /// Rows read, over all files.
    pub rows: usize,
    /// The files of parcel rows (kind parcels), in order.
    pub parcel_sources: Vec<ImportSource>,
    /// Figure rows by file (kind figures).
    pub figures: Vec<(ImportSource, Vec<FiguresRow>)>,
    /// The parcel rows of each file as read, checked (and written) by [`commit`].
    parcels: Vec<Vec<ImportRow>>,
    created: usize,
    updated: usize,
}

impl Prepared {
    /// The sources read, in order.
    pub fn sources(&self) -> Vec<ImportSource> {
        self.parcel_sources
            .iter()
            .cloned()
            .chain(self.figures.iter().map(|(s, _)| s.clone()))
            .collect()
    }

    /// The report of a run that writes nothing (problems, or a dry run).
    fn unwritten(self, dry_run: bool) -> ImportSummary {
        let clean = self.problems.is_empty();
        ImportSummary {
            dry_run,
            written: false,
            sources: self.sources(),
            rows: self.rows,
            created: if clean { self.created } else { 0 },
            updated: if clean { self.updated } else { 0 },
            problems: self.problems,
            import_id: None,
        }
    }
}

/// Reads every file (parcel rows are checked by [`commit`]; department figures against the
/// store here) without writing. `progress` is called with (file, rows done, rows total).
pub fn prepare<S: Store + ?Sized>(
    reg: &Registry<S>,
    files: &[PathBuf],
    kind: ImportKind,
    opts: &ImportOptions,
    meta: &WriteMeta,
    progress: &mut dyn FnMut(&Path, usize, usize),
) -> StoreResult<Prepared> {
    prepare_authorized(reg, files, kind, opts, meta, progress, &mut |_, _| true)
}

/// [`prepare`], first asking `authorize` of every parcel row read (the caller's permission
/// check, before the checks consume the rows): when it answers `false`, reading stops and
/// what was prepared so far is returned, for the caller to refuse.
pub fn prepare_authorized<S: Store + ?Sized>(
    reg: &Registry<S>,
    files: &[PathBuf],
    kind: ImportKind,
    opts: &ImportOptions,
    meta: &WriteMeta,
    progress: &mut dyn FnMut(&Path, usize, usize),
    authorize: &mut dyn FnMut(&ImportSource, &ImportRow) -> bool,
) -> StoreResult<Prepared> {
    let mut out = Prepared {
        kind,
        ..Prepared::default()
    };
    for path in files {
        match kind {
            ImportKind::Parcels => {
                let read = read_parcels_partial(path, opts, &mut |d, t| progress(path, d, t));
                out.rows += read.total;
                out.problems.extend(read.problems);
                if !read.rows.iter().all(|r| authorize(&read.source, r)) {
                    return Ok(out);
                }
                out.created += read.rows.len();
                out.parcel_sources.push(read.source);
                out.parcels.push(read.rows);
            }
            ImportKind::Figures => {
                let read = read_figures(path, &opts.read);
                out.rows += read.total;
                out.problems.extend(read.problems);
                if !read.rows.is_empty() {
                    let r =
                        reg.import_figures(read.rows.clone(), read.source.clone(), meta, true)?;
                    out.created += r.created;
                    out.updated += r.replaced;
                    out.problems.extend(r.problems);
                }
                out.figures.push((read.source, read.rows));
            }
        }
    }
    Ok(out)
}

/// Writes what [`prepare`] read, unless it found a problem or this is a dry run. Each file is
/// one transaction; the changes carry the import's id as their reference (unless `meta` has
/// one) and the file's name and sha256.
pub fn commit<S: Store + ?Sized>(
    reg: &Registry<S>,
    prepared: Prepared,
    meta: &WriteMeta,
    dry_run: bool,
) -> StoreResult<ImportSummary> {
    commit_with_progress(reg, prepared, meta, dry_run, &mut |_, _, _| {})
}

/// [`commit`], telling `progress` (file, rows checked and written, rows) while a single file
/// is checked and written in one pass.
pub fn commit_with_progress<S: Store + ?Sized>(
    reg: &Registry<S>,
    mut prepared: Prepared,
    meta: &WriteMeta,
    dry_run: bool,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> StoreResult<ImportSummary> {
    let single = prepared.parcels.len() == 1 && prepared.figures.is_empty();
    let mut checked = Vec::new();
    if dry_run || !single || !prepared.problems.is_empty() {
        let files = std::mem::take(&mut prepared.parcels);
        for (rows, source) in files.into_iter().zip(&prepared.parcel_sources) {
            let c = reg.check_import(rows, source.clone(), meta)?;
            prepared.problems.extend(c.problems().iter().cloned());
            checked.push(c);
        }
    }
    if dry_run || !prepared.problems.is_empty() {
        return Ok(prepared.unwritten(dry_run));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let mut meta = meta.clone();
    if meta.reason.reference.is_none() {
        meta.reason.reference = Some(format!("import {id}"));
    }
    let mut summary = ImportSummary {
        sources: prepared.sources(),
        rows: prepared.rows,
        import_id: Some(id),
        ..ImportSummary::default()
    };
    let Prepared {
        parcels,
        parcel_sources,
        figures,
        ..
    } = prepared;
    for (rows, source) in parcels.into_iter().zip(parcel_sources) {
        let file = source.file.clone();
        let r = reg.import_parcels_with(rows, source, &meta, false, &mut |done, total| {
            progress(&file, done, total);
        })?;
        summary.created += r.created.len();
        summary.written |= r.written;
        summary.problems.extend(r.problems);
    }
    for c in checked {
        let r = reg.write_import(c, &meta)?;
        summary.created += r.created.len();
        summary.written |= r.written;
        // The store changed between the check and the write (another user): report it.
        summary.problems.extend(r.problems);
    }
    for (source, rows) in figures {
        let r = reg.import_figures(rows, source, &meta, false)?;
        summary.created += r.created;
        summary.updated += r.replaced;
        summary.written |= r.written;
        summary.problems.extend(r.problems);
    }
    Ok(summary)
}
