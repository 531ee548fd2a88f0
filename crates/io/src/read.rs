//! `read_parcels`: one file into import rows in CGCS2000, with every problem collected.

use crate::convert::Converter;
use crate::mapping::Mapping;
use crate::readers::{ReadOptions, file_name, read_table_chunks};
use landcycle_store::{ImportProblem, ImportRow, ImportSource};
use sha2::{Digest, Sha256};
use std::path::Path;

/// What the file holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// 宗地: one polygon feature per parcel.
    #[default]
    Parcels,
}

/// Everything a user can say about an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// How to read the file (CRS, encoding, layer, `--towgs84`).
    pub read: ReadOptions,
    /// The user's header mapping, over the built-in dictionary.
    pub mapping: Option<Mapping>,
    /// What the file holds.
    pub kind: Kind,
}

/// A file read as far as it could be: the rows that converted and the problems of the others.
#[derive(Debug, Clone)]
pub struct ReadOutcome {
    /// The source, for the report and the history.
    pub source: ImportSource,
    /// Rows that converted into drafts.
    pub rows: Vec<ImportRow>,
    /// Rows read in total.
    pub total: usize,
    /// Every problem found while reading and mapping.
    pub problems: Vec<ImportProblem>,
}

/// Reads one file of parcels: every geometry into CGCS2000 (EPSG:4490), every row mapped.
/// `Err` lists every problem (file, row, field, value, reason in English and Chinese).
pub fn read_parcels(
    path: &Path,
    opts: &ImportOptions,
) -> Result<(ImportSource, Vec<ImportRow>), Vec<ImportProblem>> {
    let out = read_parcels_partial(path, opts, &mut |_, _| {});
    if out.problems.is_empty() {
        Ok((out.source, out.rows))
    } else {
        Err(out.problems)
    }
}

/// Like [`read_parcels`] but keeps the rows that converted next to the problems, so that the
/// registry can check those too and the user sees every problem in one report. `progress` is
/// called with (rows done, rows total).
pub fn read_parcels_partial(
    path: &Path,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> ReadOutcome {
    let file = file_name(path);
    let mut source = ImportSource {
        file: file.clone(),
        sha256: String::new(),
        format: path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default(),
        crs: String::new(),
        encoding: None,
        notes: vec![],
    };
    let fail = |source: ImportSource, p: ImportProblem| ReadOutcome {
        source,
        rows: vec![],
        total: 0,
        problems: vec![p],
    };
    // Hashed as it is read: the file is never held whole for it.
    let hashed = std::fs::File::open(path).and_then(|mut f| {
        let mut hasher = Sha256::new();
        std::io::copy(&mut f, &mut hasher)?;
        Ok(hasher.finalize())
    });
    match hashed {
        Ok(digest) => source.sha256 = hex::encode(digest),
        Err(e) => {
            let p = crate::IoError::Read {
                path: path.to_owned(),
                source: e,
            }
            .to_problem(&file);
            return fail(source, p);
        }
    }
    let started = std::time::Instant::now();
    let mut converter = Converter::new(&file, opts);
    let read = read_table_chunks(path, &opts.read, &mut |table, rows, total| {
        converter.chunk(table, rows);
        progress(converter.done, total);
    });
    let mut table = match read {
        Ok(t) => t,
        Err(e) => {
            // Rows converted before the error are dropped with the converter.
            let p = e.to_problem(&file);
            return fail(source, p);
        }
    };
    let total = converter.done;
    let converted = converter.finish(&mut table);
    tracing::debug!(file = %file, rows = total, ms = started.elapsed().as_millis(), "import phase: read, transform and map, chunk by chunk");
    source.format.clone_from(&table.format);
    source.encoding.clone_from(&table.encoding_note);
    source.crs = converted.crs;
    source.notes.append(&mut table.notes);
    source.notes.push(converted.columns);
    ReadOutcome {
        source,
        rows: converted.rows,
        total,
        problems: converted.problems,
    }
}
