//! Department figures in: good files import with units converted exactly; every bad case is
//! refused naming row and field with nothing written; a re-import of a year replaces it and the
//! history keeps the old values.

#![allow(clippy::unwrap_used)]

mod common;

use common::{BAD_USCC, USCC, XlsxCell, meta, registry, snapshot, write_xlsx};
use landcycle_domain::codes::uscc_check_char;
use landcycle_io::ReadOptions;
use landcycle_io::figures::{FiguresOutcome, read_figures};
use landcycle_store::{FiguresReport, ImportProblem, Registry, SqliteStore, Store};
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Reads and imports; the problems of both steps.
fn import(reg: &Registry<SqliteStore>, path: &Path) -> (FiguresOutcome, Option<FiguresReport>) {
    let out = read_figures(path, &ReadOptions::default());
    if !out.problems.is_empty() {
        return (out, None);
    }
    let report = reg
        .import_figures(
            out.rows.clone(),
            out.source.clone(),
            &meta("部门数据导入"),
            false,
        )
        .unwrap();
    (out, Some(report))
}

fn problems(reg: &Registry<SqliteStore>, path: &Path) -> Vec<ImportProblem> {
    match import(reg, path) {
        (out, None) => out.problems,
        (_, Some(r)) => {
            assert!(!r.written || r.problems.is_empty());
            r.problems
        }
    }
}

fn csv(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A valid 统一社会信用代码 that is not registered.
fn unregistered() -> String {
    let first = "91411000MA3X00001";
    format!("{first}{}", uscc_check_char(first).unwrap())
}

#[test]
fn xlsx_with_units_in_headers_imports_exactly() {
    let (reg, dir) = registry();
    let path = dir.path().join("税务局2024.xlsx");
    let s = |v: &str| XlsxCell::S(v.to_owned());
    write_xlsx(
        &path,
        &[
            "统一社会信用代码",
            "企业名称",
            "年度",
            "税收（万元）",
            "产值(万元)",
            "用电量(万千瓦时)",
            "从业人员(人)",
        ],
        &[vec![
            s(USCC),
            s("许昌测试机械有限公司"),
            XlsxCell::N(2024.0),
            XlsxCell::N(123.4567),
            XlsxCell::N(5000.0),
            XlsxCell::N(12.5),
            XlsxCell::N(80.0),
        ]],
    );
    let (out, report) = import(&reg, &path);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let report = report.unwrap();
    assert!(report.written && report.created == 1, "{report:?}");
    let f = reg.store().figures(&USCC.parse().unwrap()).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].year, 2024);
    assert_eq!(f[0].tax_yuan, d("1234567"), "万元 → 元 exactly");
    assert_eq!(f[0].output_yuan, Some(d("50000000")));
    assert_eq!(f[0].electricity_kwh, Some(d("125000")));
    assert_eq!(f[0].employees, Some(80));
}

#[test]
fn csv_with_yuan_headers_imports() {
    let (reg, dir) = registry();
    let path = csv(
        dir.path(),
        "电力.csv",
        &format!(
            "统一社会信用代码,年份,实缴税金,用电量(千瓦时)\n{USCC},2023年,\"1,000,000.50\",300000\n"
        ),
    );
    let (out, report) = import(&reg, &path);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert!(report.unwrap().written);
    let f = reg.store().figures(&USCC.parse().unwrap()).unwrap();
    assert_eq!((f[0].year, f[0].tax_yuan), (2023, d("1000000.50")));
    assert_eq!(f[0].electricity_kwh, Some(d("300000")));
}

/// Each bad file is refused with its row and field named, and the store is unchanged.
#[test]
fn bad_files_are_refused_by_row_and_field_and_nothing_is_written() {
    let (reg, dir) = registry();
    let before = snapshot(reg.store());
    let unknown = unregistered();
    let header = "统一社会信用代码,年度,税收(万元)";
    let cases: Vec<(&str, String, Option<usize>, &str)> = vec![
        (
            "invalid.csv",
            format!("{header}\n{USCC},2024,10\n{BAD_USCC},2024,10\n"),
            Some(3),
            "uscc",
        ),
        (
            "unknown.csv",
            format!("{header}\n{USCC},2024,10\n{unknown},2024,10\n"),
            Some(3),
            "uscc",
        ),
        (
            "negative.csv",
            format!("{header}\n{USCC},2024,-5\n"),
            Some(2),
            "tax_yuan",
        ),
        (
            "noyear.csv",
            format!("统一社会信用代码,税收(万元)\n{USCC},10\n"),
            None,
            "year",
        ),
        (
            "twice.csv",
            format!("{header}\n{USCC},2024,10\n{USCC},2024,11\n"),
            Some(3),
            "uscc",
        ),
        (
            "unit.csv",
            format!("统一社会信用代码,年度,税收(斤)\n{USCC},2024,10\n"),
            None,
            "税收(斤)",
        ),
    ];
    for (name, text, row, field) in cases {
        let path = csv(dir.path(), name, &text);
        let ps = problems(&reg, &path);
        assert!(
            ps.iter().any(|p| p.row == row
                && p.field == field
                && p.file == name
                && !p.reason.is_empty()
                && !p.reason_zh.is_empty()),
            "{name}: expected row {row:?} field {field}, got {ps:#?}"
        );
        assert_eq!(snapshot(reg.store()), before, "{name}: nothing written");
        assert!(
            reg.store()
                .figures(&USCC.parse().unwrap())
                .unwrap()
                .is_empty(),
            "{name}"
        );
    }
    // The same refusal from an Excel file: row number as the sheet shows it.
    let path = dir.path().join("bad.xlsx");
    let s = |v: &str| XlsxCell::S(v.to_owned());
    write_xlsx(
        &path,
        &["统一社会信用代码", "年度", "税收(万元)"],
        &[
            vec![s(USCC), XlsxCell::N(2024.0), XlsxCell::N(1.0)],
            vec![s(BAD_USCC), XlsxCell::N(2024.0), XlsxCell::N(1.0)],
        ],
    );
    let ps = problems(&reg, &path);
    assert!(
        ps.iter().any(|p| p.row == Some(3) && p.field == "uscc"),
        "{ps:#?}"
    );
    assert_eq!(snapshot(reg.store()), before);
}

#[test]
fn reimport_of_a_year_replaces_it_and_history_keeps_the_old_values() {
    let (reg, dir) = registry();
    let header = "统一社会信用代码,年度,税收(万元),从业人员(人)";
    let first = csv(
        dir.path(),
        "a.csv",
        &format!("{header}\n{USCC},2023,90,50\n{USCC},2024,100,60\n"),
    );
    assert!(import(&reg, &first).1.unwrap().written);
    let again = csv(
        dir.path(),
        "b.csv",
        &format!("{header}\n{USCC},2024,120,\n"),
    );
    let report = import(&reg, &again).1.unwrap();
    assert!(report.written && report.replaced == 1, "{report:?}");
    let f = reg.store().figures(&USCC.parse().unwrap()).unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].tax_yuan, d("900000"), "2023 untouched");
    assert_eq!(f[1].tax_yuan, d("1200000"), "2024 replaced");
    assert_eq!(
        f[1].employees,
        Some(60),
        "a blank cell keeps the stored value"
    );
    let events = reg.store().events_of(USCC).unwrap();
    let update = events
        .iter()
        .rev()
        .find(|e| e.kind == landcycle_domain::ChangeKind::Update)
        .expect("an update event");
    let before = update.before.as_ref().unwrap();
    assert_eq!(before["year"], 2024);
    assert_eq!(
        d(before["tax_yuan"].as_str().unwrap()),
        d("1000000"),
        "old value kept"
    );
    let after = update.after.as_ref().unwrap();
    assert_eq!(d(after["tax_yuan"].as_str().unwrap()), d("1200000"));
    assert_eq!(after["import"]["file"], "b.csv");
}
