//! Staging uploads: content sniffing, safe names, archive limits, Shapefile grouping.

use super::*;
use std::io::Write;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).expect("entry");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

fn part(dir: &Path, n: usize, bytes: &[u8]) -> PathBuf {
    let p = dir.join(format!(".part-{n}"));
    std::fs::write(&p, bytes).expect("write part");
    p
}

const SHP: &[u8] = &[0, 0, 0x27, 0x0A, 0, 0, 0, 0];

fn dbf() -> Vec<u8> {
    let mut h = vec![0u8; 40];
    h[0] = 0x03;
    h[1] = 124;
    h[2] = 1;
    h[3] = 1;
    h[8..10].copy_from_slice(&65u16.to_le_bytes());
    h[10..12].copy_from_slice(&11u16.to_le_bytes());
    h
}

#[test]
fn sniffing_judges_content_not_names() {
    assert_eq!(sniff(SHP), Sniffed::ShapefileMain);
    assert_eq!(sniff(b"SQLite format 3\0rest"), Sniffed::Sqlite);
    assert_eq!(sniff(b"PK\x03\x04...."), Sniffed::Zip);
    assert_eq!(sniff(b"fgb\x03fgb\x00"), Sniffed::FlatGeobuf);
    assert_eq!(sniff(&dbf()), Sniffed::Dbase);
    assert_eq!(
        sniff("\u{feff} {\"type\":1}".as_bytes()),
        Sniffed::JsonObject
    );
    assert_eq!(sniff("宗地代码,用地单位\n".as_bytes()), Sniffed::Text);
    assert_eq!(sniff(&[0x7f, b'E', b'L', b'F', 0, 1]), Sniffed::Unknown);
}

#[test]
fn names_lose_directories_and_refuse_parent_or_absolute_paths() {
    assert_eq!(safe_name("a/b/宗地.shp").as_deref(), Some("宗地.shp"));
    assert_eq!(safe_name("C:\\x\\y.csv"), None);
    assert_eq!(safe_name("../../etc/passwd"), None);
    assert_eq!(safe_name("/etc/passwd"), None);
    assert_eq!(safe_name("a/../b.shp"), None);
    assert_eq!(safe_name(".hidden.csv").as_deref(), Some("hidden.csv"));
}

#[test]
fn a_shapefile_as_parts_or_zip_is_grouped_under_its_shp() {
    let dir = tempfile::tempdir().expect("dir");
    let parts = vec![
        ("宗地.SHP".to_owned(), part(dir.path(), 1, SHP)),
        ("宗地.shx".to_owned(), part(dir.path(), 2, SHP)),
        ("宗地.dbf".to_owned(), part(dir.path(), 3, &dbf())),
        ("宗地.prj".to_owned(), part(dir.path(), 4, b"PROJCS[\"x\"]")),
    ];
    let files = stage(dir.path(), &parts, UploadLimits::default()).expect("staged");
    assert_eq!(files, vec![dir.path().join("宗地.shp")]);
    assert!(dir.path().join("宗地.dbf").exists());
    assert!(dir.path().join("宗地.prj").exists());

    let dir = tempfile::tempdir().expect("dir");
    let z = zip_of(&[
        ("data/a.shp", SHP),
        ("data/a.shx", SHP),
        ("data/a.dbf", &dbf()),
        ("__MACOSX/data/._a.shp", b"junk"),
    ]);
    let parts = vec![("upload.zip".to_owned(), part(dir.path(), 1, &z))];
    let files = stage(dir.path(), &parts, UploadLimits::default()).expect("staged");
    assert_eq!(files, vec![dir.path().join("a.shp")]);
}

#[test]
fn wrong_content_unknown_kinds_and_lone_sidecars_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("parcels.shp", b"not a shapefile".to_vec()),
        ("parcels.gpkg", b"PK\x03\x04 a zip".to_vec()),
        ("parcels.xlsx", b"SQLite format 3\0".to_vec()),
        ("program.exe", vec![0x4d, 0x5a, 0, 0]),
        ("notes.txt", b"hello".to_vec()),
        ("a.dbf", dbf()),
    ];
    for (i, (name, bytes)) in cases.into_iter().enumerate() {
        let parts = vec![(name.to_owned(), part(dir.path(), i, &bytes))];
        let e = stage(dir.path(), &parts, UploadLimits::default()).expect_err(name);
        assert!(matches!(e, UploadError::Malformed { .. }), "{name}: {e}");
    }
    assert!(stage(dir.path(), &[], UploadLimits::default()).is_err());
}

#[test]
fn archives_with_parent_entries_or_bombs_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let z = zip_of(&[("../../evil.csv", b"a,b\n")]);
    let parts = vec![("x.zip".to_owned(), part(dir.path(), 1, &z))];
    let e = stage(dir.path(), &parts, UploadLimits::default()).expect_err("..");
    assert!(matches!(e, UploadError::Malformed { .. }), "{e}");
    assert!(!dir.path().join("../evil.csv").exists());

    let zeros = vec![b' '; 30 << 20];
    let z = zip_of(&[("big.csv", &zeros)]);
    assert!(z.len() < 1 << 20, "{}", z.len());
    let parts = vec![("bomb.zip".to_owned(), part(dir.path(), 2, &z))];
    let e = stage(dir.path(), &parts, UploadLimits::default()).expect_err("bomb");
    assert!(e.to_string().contains("zip bomb"), "{e}");

    let small = UploadLimits {
        max_entries: 2,
        ..UploadLimits::default()
    };
    let z = zip_of(&[("a.csv", b"a\n"), ("b.csv", b"b\n"), ("c.csv", b"c\n")]);
    let parts = vec![("many.zip".to_owned(), part(dir.path(), 3, &z))];
    let e = stage(dir.path(), &parts, small).expect_err("entries");
    assert!(matches!(e, UploadError::TooLarge { .. }), "{e}");
}
