//! `read_parcels`: one file into import rows in CGCS2000, with every problem collected.

use crate::crs::to_cgcs2000;
use crate::mapping::{Mapping, resolve_headers, row_to_draft};
use crate::readers::{ReadOptions, file_name, read_table};
use crate::table::Table;
use landcycle_store::{ImportProblem, ImportRow, ImportSource};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// Rows mapped to drafts per parallel chunk.
const MAP_CHUNK: usize = 4096;
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
    let mut table = match read_table(path, &opts.read) {
        Ok(t) => t,
        Err(e) => {
            let p = e.to_problem(&file);
            return fail(source, p);
        }
    };
    tracing::debug!(file = %file, rows = table.rows.len(), ms = started.elapsed().as_millis(), "import phase: read and decode");
    let started = std::time::Instant::now();
    source.format.clone_from(&table.format);
    source.encoding.clone_from(&table.encoding_note);
    let mut problems = std::mem::take(&mut table.problems);
    let shifted = table.shift.take();
    if let Some(shift) = &shifted {
        problems.extend(apply_shift(&mut table, shift));
    }
    match table.crs {
        Some(crs) => problems.extend(to_cgcs2000(&mut table, crs)),
        None => problems.push(ImportProblem {
            file: file.clone(),
            row: None,
            field: "geometry".into(),
            value: None,
            reason: "the file has no geometry: parcels need a polygon per row (Shapefile, \
                     GeoPackage, GeoJSON, or a WKT column in Excel/CSV)"
                .into(),
            reason_zh: "文件没有几何图形：导入宗地需要面要素（或Excel/CSV中的WKT列）".into(),
        }),
    }
    tracing::debug!(file = %file, ms = started.elapsed().as_millis(), "import phase: transform to CGCS2000");
    let started = std::time::Instant::now();
    source.crs = match &shifted {
        Some(s) => format!("{} → EPSG:4490", s.describe()),
        None => table.crs.map(|c| c.to_string()).unwrap_or_default(),
    };
    source.notes.append(&mut table.notes);
    let (cols, header_problems) = resolve_headers(&table, opts.mapping.as_ref());
    problems.extend(header_problems);
    source.notes.push(format!(
        "columns / 列: {}",
        cols.map
            .iter()
            .map(|(h, t)| format!("{h} → {}", t.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let reported: BTreeSet<usize> = problems
        .iter()
        .filter(|p| p.field == "geometry")
        .filter_map(|p| p.row)
        .collect();
    let total = table.rows.len();
    let mut rows = Vec::with_capacity(total);
    // Mapped in parallel chunks (a tenth of a 100k-parcel import when done row by row), with
    // progress reported between chunks.
    let mut done = 0;
    let mut raw_rows = std::mem::take(&mut table.rows);
    // Consumed chunk by chunk from the back, so each row's memory is given back once mapped.
    let mut chunks = Vec::new();
    while !raw_rows.is_empty() {
        let at = raw_rows.len().saturating_sub(MAP_CHUNK);
        chunks.push(raw_rows.split_off(at));
    }
    while let Some(chunk) = chunks.pop() {
        let len = chunk.len();
        let mapped: Vec<_> = chunk
            .into_par_iter()
            .map(|raw| {
                let row = raw.row;
                let reported = reported.contains(&row);
                (row, reported, row_to_draft(&file, raw, &cols, reported))
            })
            .collect();
        for (row, reported, result) in mapped {
            match result {
                Ok(draft) if !reported => rows.push(ImportRow { row, draft }),
                Ok(_) => {}
                Err(ps) => problems.extend(ps),
            }
        }
        done += len;
        progress(done, total);
    }
    problems.sort_by(|a, b| (a.row, &a.field).cmp(&(b.row, &b.field)));
    tracing::debug!(file = %file, ms = started.elapsed().as_millis(), "import phase: map columns to drafts");
    ReadOutcome {
        source,
        rows,
        total,
        problems,
    }
}

/// Shifts every geometry of a Xian 1980 / Beijing 1954 table to CGCS2000 lon/lat with the
/// user's 7 parameters; rows that cannot be shifted lose their geometry and get a problem.
fn apply_shift(table: &mut Table, shift: &landcycle_geo::LegacyCrs) -> Vec<ImportProblem> {
    let file = table.file.clone();
    let crs_problem = |en: String| ImportProblem {
        file: file.clone(),
        row: None,
        field: "crs".into(),
        value: Some(shift.describe()),
        reason_zh: format!("无法建立七参数转换：{en}"),
        reason: en,
    };
    let t = match shift.to_cgcs2000() {
        Ok(t) => t,
        Err(e) => return vec![crs_problem(e.to_string())],
    };
    table.notes.push(format!(
        "{} applied: {} (position vector, as PROJ's +towgs84) / 已应用七参数转换到CGCS2000",
        shift.datum,
        shift.proj_string()
    ));
    let mut problems = Vec::new();
    for r in &mut table.rows {
        let Some(g) = r.geometry.take() else { continue };
        match t.geometry(&g) {
            Ok(g) => r.geometry = Some(g),
            Err(e) => problems.push(ImportProblem {
                file: file.clone(),
                row: Some(r.row),
                field: "geometry".into(),
                value: None,
                reason: format!("cannot shift to CGCS2000: {e}"),
                reason_zh: format!("七参数转换失败：{e}"),
            }),
        }
    }
    problems
}
