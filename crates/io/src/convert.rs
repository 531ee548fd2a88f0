//! A file's rows into import rows, a chunk at a time as the reader hands them on
//! ([`crate::readers::read_table_chunks`]): each chunk is shifted (Xian 1980 / Beijing 1954 with
//! the user's 7 parameters), checked and transformed into CGCS2000, and mapped to drafts on all
//! cores, then dropped. A large Shapefile is thereby never held whole, neither as a file nor as
//! raw rows: only the drafts made of it are.

use crate::crs::ToCgcs2000;
use crate::mapping::{Columns, resolve_headers, row_to_draft};
use crate::read::ImportOptions;
use crate::table::{RawRow, Table};
use landcycle_geo::{LegacyCrs, ShiftTransformer};
use landcycle_store::{ImportProblem, ImportRow};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// What is settled once per file, on its first chunk (or at its end when it has no rows).
struct Settled {
    shift: Option<ShiftTransformer>,
    to_cgcs2000: Option<ToCgcs2000>,
    cols: Columns,
    /// The CRS the coordinates were read in, for the import's source record.
    crs: String,
    /// The note naming the field each column fills.
    columns: String,
}

/// What a file converted into.
pub(crate) struct Converted {
    /// The rows that converted into drafts.
    pub rows: Vec<ImportRow>,
    /// Every problem, in row order.
    pub problems: Vec<ImportProblem>,
    /// The CRS the coordinates were read in.
    pub crs: String,
    /// The note naming the field each column fills.
    pub columns: String,
}

/// Converts the chunks of one file and collects the import rows and every problem.
pub(crate) struct Converter<'o> {
    file: String,
    opts: &'o ImportOptions,
    settled: Option<Settled>,
    /// The rows that converted into drafts.
    pub rows: Vec<ImportRow>,
    /// Every problem so far.
    pub problems: Vec<ImportProblem>,
    /// Rows whose geometry already has a problem: reported once, not mapped.
    reported: BTreeSet<usize>,
    /// Rows converted (or reported) so far.
    pub done: usize,
}

impl<'o> Converter<'o> {
    /// A converter for the rows of `file`.
    pub fn new(file: &str, opts: &'o ImportOptions) -> Self {
        Self {
            file: file.to_owned(),
            opts,
            settled: None,
            rows: Vec::new(),
            problems: Vec::new(),
            reported: BTreeSet::new(),
            done: 0,
        }
    }

    /// Converts the next rows of `table` (the reader's table so far, without its rows).
    pub fn chunk(&mut self, table: &mut Table, mut rows: Vec<RawRow>) {
        let found = self.problems.len();
        self.problems.append(&mut table.problems);
        let settled = match self.settled.take() {
            Some(s) => s,
            None => self.settle(table, &rows),
        };
        if let Some(t) = &settled.shift {
            self.problems.extend(shift_rows(&self.file, t, &mut rows));
        }
        if let Some(t) = &settled.to_cgcs2000 {
            self.problems.extend(t.apply(&mut rows));
        }
        self.reported.extend(
            self.problems[found..]
                .iter()
                .filter(|p| p.field == "geometry")
                .filter_map(|p| p.row),
        );
        let len = rows.len();
        let (file, cols, reported) = (&self.file, &settled.cols, &self.reported);
        let mapped: Vec<_> = rows
            .into_par_iter()
            .map(|raw| {
                let row = raw.row;
                let reported = reported.contains(&row);
                (row, reported, row_to_draft(file, raw, cols, reported))
            })
            .collect();
        for (row, reported, result) in mapped {
            match result {
                Ok(draft) if !reported => self.rows.push(ImportRow { row, draft }),
                Ok(_) => {}
                Err(ps) => self.problems.extend(ps),
            }
        }
        self.done += len;
        self.settled = Some(settled);
    }

    /// Everything converted, once the reader is done with `table`; settles a file without rows.
    pub fn finish(mut self, table: &mut Table) -> Converted {
        self.problems.append(&mut table.problems);
        let settled = match self.settled.take() {
            Some(s) => s,
            None => self.settle(table, &[]),
        };
        self.problems
            .sort_by(|a, b| (a.row, &a.field).cmp(&(b.row, &b.field)));
        Converted {
            rows: self.rows,
            problems: self.problems,
            crs: settled.crs,
            columns: settled.columns,
        }
    }

    /// The shift, the transformation into CGCS2000 and the column mapping of the file, judged by
    /// its first rows; their problems and notes go to the report and to `table.notes`.
    fn settle(&mut self, table: &mut Table, first: &[RawRow]) -> Settled {
        let shifted = table.shift.take();
        let shift = shifted.as_ref().and_then(|s| match s.to_cgcs2000() {
            Ok(t) => {
                table.notes.push(format!(
                    "{} applied: {} (position vector, as PROJ's +towgs84) / \
                     已应用七参数转换到CGCS2000",
                    s.datum,
                    s.proj_string()
                ));
                Some(t)
            }
            Err(e) => {
                self.problems
                    .push(shift_problem(&self.file, s, e.to_string()));
                None
            }
        });
        let to_cgcs2000 = match table.crs {
            Some(crs) => match ToCgcs2000::new(&self.file, crs, first, &mut table.notes) {
                Ok(t) => {
                    table.crs = Some(t.crs());
                    Some(t)
                }
                Err(p) => {
                    self.problems.push(*p);
                    None
                }
            },
            None => {
                self.problems.push(no_geometry(&self.file));
                None
            }
        };
        let crs = match &shifted {
            Some(s) => format!("{} → EPSG:4490", s.describe()),
            None => table.crs.map(|c| c.to_string()).unwrap_or_default(),
        };
        let (cols, header_problems) = resolve_headers(table, self.opts.mapping.as_ref());
        self.problems.extend(header_problems);
        let columns = format!(
            "columns / 列: {}",
            cols.map
                .iter()
                .map(|(h, t)| format!("{h} → {}", t.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        Settled {
            shift,
            to_cgcs2000,
            cols,
            crs,
            columns,
        }
    }
}

fn no_geometry(file: &str) -> ImportProblem {
    ImportProblem {
        file: file.to_owned(),
        row: None,
        field: "geometry".into(),
        value: None,
        reason: "the file has no geometry: parcels need a polygon per row (Shapefile, \
                 GeoPackage, GeoJSON, or a WKT column in Excel/CSV)"
            .into(),
        reason_zh: "文件没有几何图形：导入宗地需要面要素（或Excel/CSV中的WKT列）".into(),
    }
}

fn shift_problem(file: &str, shift: &LegacyCrs, en: String) -> ImportProblem {
    ImportProblem {
        file: file.to_owned(),
        row: None,
        field: "crs".into(),
        value: Some(shift.describe()),
        reason_zh: format!("无法建立七参数转换：{en}"),
        reason: en,
    }
}

/// Shifts the geometries of `rows` from Xian 1980 / Beijing 1954 to CGCS2000 lon/lat with the
/// user's 7 parameters; rows that cannot be shifted lose their geometry and get a problem.
fn shift_rows(file: &str, t: &ShiftTransformer, rows: &mut [RawRow]) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    for r in rows {
        let Some(g) = r.geometry.take() else { continue };
        match t.geometry(&g) {
            Ok(g) => r.geometry = Some(g),
            Err(e) => problems.push(ImportProblem {
                file: file.to_owned(),
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

#[cfg(test)]
mod tests {
    use crate::read::{ImportOptions, read_parcels_partial};
    use dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
    use shapefile::{Point, Polygon, PolygonRing, ShapeWriter};
    use std::path::{Path, PathBuf};

    /// `n` parcels in CGCS2000 lon/lat; the rows in `off_map` lie at longitude 500.
    fn write(dir: &Path, n: usize, off_map: &[usize]) -> PathBuf {
        let path = dir.join("宗地.shp");
        let enc = dbase::encoding::EncodingRs::from(encoding_rs::GBK);
        let field = |s: &str| FieldName::try_from(s).unwrap();
        let mut dbf = TableWriterBuilder::with_encoding(enc)
            // Pinyin initials, as old surveys name them (项目名称, 行政区代码, 土地用途).
            .add_character_field(field("XMMC"), 40)
            .add_character_field(field("XZQDM"), 6)
            .add_character_field(field("TDYT"), 6)
            .build_with_file_dest(path.with_extension("dbf"))
            .unwrap();
        let mut shp = ShapeWriter::from_path(&path).unwrap();
        for row in 1..=n {
            let x = if off_map.contains(&row) {
                500.0
            } else {
                113.8 + row as f64 * 0.001
            };
            let (w, y) = (0.0005, 34.0);
            let ring = vec![
                Point::new(x, y),
                Point::new(x, y + w),
                Point::new(x + w, y + w),
                Point::new(x + w, y),
                Point::new(x, y),
            ];
            shp.write_shape(&Polygon::new(PolygonRing::Outer(ring)))
                .unwrap();
            let mut r = Record::default();
            let text = |s: String| FieldValue::Character(Some(s));
            r.insert("XMMC".into(), text(format!("许昌{row}号地块")));
            r.insert("XZQDM".into(), text("411002".into()));
            r.insert("TDYT".into(), text("100101".into()));
            dbf.write_record(&r).unwrap();
        }
        shp.finalize().unwrap();
        dbf.finalize().unwrap();
        let prj = landcycle_geo::Crs::Cgcs2000Geographic.wkt();
        std::fs::write(path.with_extension("prj"), prj).unwrap();
        path
    }

    #[test]
    fn a_file_converted_in_chunks_reports_each_row_once_and_maps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        // Chunks of 64 rows in tests: the two bad rows lie in the second and third chunks.
        let path = write(dir.path(), 200, &[70, 150]);
        let mut seen = Vec::new();
        let out = read_parcels_partial(&path, &ImportOptions::default(), &mut |d, t| {
            seen.push((d, t));
        });
        assert_eq!(out.total, 200);
        assert_eq!(seen, [(64, 200), (128, 200), (192, 200), (200, 200)]);
        let rows: Vec<_> = out
            .problems
            .iter()
            .map(|p| (p.row, p.field.as_str()))
            .collect();
        assert_eq!(
            rows,
            [(Some(70), "geometry"), (Some(150), "geometry")],
            "{:#?}",
            out.problems
        );
        assert_eq!(out.rows.len(), 198);
        assert!(out.rows.iter().all(|r| r.row != 70 && r.row != 150));
        let r = out.rows.iter().find(|r| r.row == 199).unwrap();
        assert_eq!(r.draft.name, "许昌199号地块");
        assert!(out.source.encoding.as_deref().unwrap().starts_with("GBK"));
        let columns = out
            .source
            .notes
            .iter()
            .filter(|n| n.starts_with("columns"))
            .count();
        assert_eq!(columns, 1, "{:?}", out.source.notes);
        assert_eq!(out.source.crs, "EPSG:4490");
    }
}
