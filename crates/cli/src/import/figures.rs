//! `landcycle import FILE --kind figures`: department figures (税收, 产值, 用电量, 从业人员 by
//! 统一社会信用代码 and year) from Excel/CSV, all files checked first, written all or nothing.

use super::{print_problems, print_source};
use anyhow::bail;
use landcycle_io::ReadOptions;
use landcycle_io::figures::read_figures;
use landcycle_store::{FiguresRow, ImportProblem, ImportSource, Registry, SqliteStore, WriteMeta};
use std::path::PathBuf;

/// Imports every file or none (each file is one transaction, written only when no file has a
/// problem).
pub fn run(
    reg: &Registry<SqliteStore>,
    files: &[PathBuf],
    read: &ReadOptions,
    meta: &WriteMeta,
    dry_run: bool,
) -> anyhow::Result<()> {
    let mut problems: Vec<ImportProblem> = Vec::new();
    let mut ready: Vec<(ImportSource, Vec<FiguresRow>)> = Vec::new();
    for path in files {
        let out = read_figures(path, read);
        print_source(&out.source);
        problems.extend(out.problems);
        if !out.rows.is_empty() {
            let report = reg.import_figures(out.rows.clone(), out.source.clone(), meta, true)?;
            problems.extend(report.problems);
        }
        ready.push((out.source, out.rows));
    }
    if !problems.is_empty() {
        print_problems(&problems);
        bail!(
            "{} problem(s) found; nothing was written (发现{}个问题，未写入任何数据)",
            problems.len(),
            problems.len()
        );
    }
    let n: usize = ready.iter().map(|(_, rows)| rows.len()).sum();
    if dry_run {
        println!("dry run: {n} row(s) would be imported; nothing written (试运行，未写入)");
        return Ok(());
    }
    let (mut created, mut replaced) = (0, 0);
    for (source, rows) in ready {
        let report = reg.import_figures(rows, source, meta, false)?;
        if !report.written {
            print_problems(&report.problems);
            bail!(
                "{}: {} problem(s); this file was not written (该文件未写入)",
                report.source.file,
                report.problems.len()
            );
        }
        created += report.created;
        replaced += report.replaced;
    }
    println!(
        "{created} enterprise-year(s) added, {replaced} replaced (old values kept in history) \
         / 新增{created}条，替换{replaced}条（原值保留于历史）"
    );
    Ok(())
}
