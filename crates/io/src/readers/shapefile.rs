//! ESRI Shapefile (.shp/.shx/.dbf/.prj/.cpg): attribute encoding from `.cpg`, the user, or
//! detection (UTF-8 when the DBF text is valid UTF-8, otherwise GBK).

use super::dbf::{self, Dbf};
use super::{EachChunk, ReadOptions, file_name};
use crate::crs::crs_from_wkt;
use crate::encoding::{self, Chosen, TextScan};
use crate::error::{IoError, IoResult};
use crate::table::{Fields, RawRow, RawValue, Table};
use dbase::FieldValue;
use geo_types::{Coord, Geometry, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use shapefile::{PolygonRing, Shape};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

/// The `.shp` (and `.shx`) as read: buffered from the files.
type ShapeReader = shapefile::ShapeReader<BufReader<File>>;

/// Reads a Shapefile given the path of its `.shp`, handing its rows to `each` a chunk at a time
/// (see [`super::read_table_chunks`]).
pub fn read_chunks(path: &Path, opts: &ReadOptions, each: &mut EachChunk<'_>) -> IoResult<Table> {
    let file = file_name(path);
    let mut table = Table::new(&file, "shapefile");
    let prj = path.with_extension("prj");
    match (std::fs::read(&prj), opts.crs) {
        (_, Some(crs)) => {
            table.crs = Some(crs);
            table
                .notes
                .push(format!("CRS {crs} given with --crs / 用户指定坐标系"));
        }
        (Ok(bytes), None) => {
            let text = String::from_utf8_lossy(&bytes);
            let parsed = crs_from_wkt(&file_name(&prj), &text, opts.towgs84.as_deref())?;
            table.notes.push(format!(
                "CRS {} ({}) from {}: {} / 坐标系取自.prj",
                parsed.crs,
                parsed.name,
                file_name(&prj),
                parsed.how
            ));
            table.crs = Some(parsed.crs);
            table.shift = parsed.shift;
        }
        (Err(_), None) => return Err(IoError::MissingPrj { path: prj }),
    }
    let dbf_path = path.with_extension("dbf");
    let read_err = |path: &Path| {
        let path = path.to_owned();
        move |source| IoError::Read { path, source }
    };
    // The files are read as they are used, never held whole: at a million parcels the .dbf alone
    // is 700 MB.
    let mut dbf = File::open(&dbf_path).map_err(read_err(&dbf_path))?;
    let (head, dbf_len) = dbf::header(&mut dbf).map_err(read_err(&dbf_path))?;
    let chosen = choose_encoding(path, &head, &mut dbf, opts)?;
    table.encoding_note = Some(chosen.note.clone());
    let shp = BufReader::new(File::open(path).map_err(read_err(path))?);
    let shx_path = path.with_extension("shx");
    let shape_reader = match File::open(&shx_path) {
        Ok(shx) => shapefile::ShapeReader::with_shx(shp, BufReader::new(shx)),
        Err(_) => shapefile::ShapeReader::new(shp),
    }
    .map_err(|e| {
        IoError::format(
            &file,
            format!("bad .shp: {e}"),
            format!(".shp文件错误：{e}"),
        )
    })?;
    match Dbf::parse(&file_name(&dbf_path), &head, dbf_len, chosen.encoding)? {
        Some(layout) => read_parallel(&file, &mut table, shape_reader, &layout, &mut dbf, each)?,
        None => read_with_dbase(&file, &mut table, shape_reader, dbf, chosen.encoding, each)?,
    }
    Ok(table)
}

/// Records looked at per piece when the `.dbf` encoding is detected.
const DETECT_RECORDS: usize = if cfg!(test) { 16 } else { 4096 };

/// Shapes parsed per chunk in file order.
const SHAPE_CHUNK: usize = if cfg!(test) { 64 } else { 65_536 };

/// Shapes read in file order, records decoded and rows built on all cores. A record marked
/// deleted is skipped with its shape, as GIS software does.
fn read_parallel(
    file: &str,
    table: &mut Table,
    shapes: ShapeReader,
    dbf: &Dbf,
    records: &mut File,
    each: &mut EachChunk<'_>,
) -> IoResult<()> {
    table.headers = dbf.fields.iter().map(|f| f.name.to_string()).collect();
    let bad_shp = |e: shapefile::Error| {
        IoError::format(file, format!("bad .shp: {e}"), format!(".shp文件错误：{e}"))
    };
    let mismatch = |shp: usize| {
        IoError::format(
            file,
            format!(
                "the .shp holds {shp} shapes but the .dbf {} records: the files do not belong together",
                dbf.len()
            ),
            format!(".shp有{shp}个图形而.dbf有{}条记录，两者不匹配", dbf.len()),
        )
    };
    let mut shapes = shapes;
    // Without a .shx the count is known only at the end.
    let count = shapes.shape_count().unwrap_or(dbf.len());
    if count != dbf.len() {
        return Err(mismatch(count));
    }
    // Shapes are parsed in file order, a chunk at a time, and each chunk's rows built on all
    // cores: holding every parsed shape beside its row would double the geometry in memory.
    let mut iter = shapes.iter_shapes().enumerate();
    let mut read = 0;
    loop {
        let chunk: Vec<(usize, Shape)> = iter
            .by_ref()
            .take(SHAPE_CHUNK)
            .map(|(i, s)| s.map(|s| (i, s)))
            .collect::<Result<_, _>>()
            .map_err(bad_shp)?;
        let Some((last, _)) = chunk.last() else {
            break;
        };
        if *last >= dbf.len() {
            return Err(mismatch(last + 1));
        }
        let first = read;
        read = last + 1;
        let records = dbf.chunk(records, first, read - first)?;
        let rows: IoResult<Vec<Option<RawRow>>> = chunk
            .into_par_iter()
            .map(|(i, shape)| {
                if records.is_deleted(i) {
                    return Ok(None);
                }
                Ok(Some(RawRow {
                    row: i + 1,
                    fields: records.record(i)?,
                    geometry: geometry(shape),
                }))
            })
            .collect();
        each(table, rows?.into_iter().flatten().collect(), count);
    }
    if read != dbf.len() {
        return Err(mismatch(read));
    }
    Ok(())
}

/// Files with memo or rare field types, through the `dbase` crate, one record at a time.
fn read_with_dbase(
    file: &str,
    table: &mut Table,
    shapes: ShapeReader,
    mut dbf: File,
    encoding: &'static encoding_rs::Encoding,
    each: &mut EachChunk<'_>,
) -> IoResult<()> {
    let bad_dbf = |e: &dyn std::fmt::Display| {
        IoError::format(file, format!("bad .dbf: {e}"), format!(".dbf文件错误：{e}"))
    };
    dbf.seek(SeekFrom::Start(0)).map_err(|e| bad_dbf(&e))?;
    let dbf_reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding))
        .build(BufReader::new(dbf))
        .map_err(|e| {
            IoError::format(file, format!("bad .dbf: {e}"), format!(".dbf文件错误：{e}"))
        })?;
    table.headers = dbf_reader
        .fields()
        .iter()
        .filter(|f| f.name() != "DeletionFlag")
        .map(|f| f.name().to_owned())
        .collect();
    let names = table.shared_headers();
    let count = dbf_reader.header().num_records as usize;
    let mut reader = shapefile::Reader::new(shapes, dbf_reader);
    let mut rows = Vec::new();
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| {
            IoError::format(
                file,
                format!("feature {}: {e}", i + 1),
                format!("第{}个要素读取失败：{e}", i + 1),
            )
        })?;
        let fields: Fields = record
            .into_iter()
            .filter_map(|(k, v)| {
                let at = table.headers.iter().position(|h| *h == k)?;
                Some((Arc::clone(&names[at]), raw_value(v)))
            })
            .collect();
        rows.push(RawRow {
            row: i + 1,
            fields,
            geometry: geometry(shape),
        });
        if rows.len() == SHAPE_CHUNK {
            each(table, std::mem::take(&mut rows), count);
        }
    }
    if !rows.is_empty() {
        each(table, rows, count);
    }
    Ok(())
}

/// The encoding of the `.dbf` text: the user's, the `.cpg`'s, or detected from the field names
/// (`head`, the header) and the records, read from `dbf` a chunk at a time.
fn choose_encoding(
    path: &Path,
    head: &[u8],
    dbf: &mut File,
    opts: &ReadOptions,
) -> IoResult<Chosen> {
    let file = file_name(path);
    if let Some(c) = encoding::user_choice(opts.encoding.as_deref())
        .map_err(|e| IoError::format(&file, e, "未知的字符编码"))?
    {
        return Ok(c);
    }
    let cpg = path.with_extension("cpg");
    if let Ok(label) = std::fs::read_to_string(&cpg)
        && let Some(e) = encoding::from_label(&label)
    {
        return Ok(Chosen {
            encoding: e,
            note: format!(
                "{}: from {} / 编码取自.cpg文件",
                encoding::label(e),
                file_name(&cpg)
            ),
        });
    }
    let mut scan = TextScan::default();
    scan.feed(&encoding::dbf_field_names(head));
    // Pieces of whole records: each starts with the ASCII deletion flag, so a piece never cuts
    // a character of valid UTF-8 in two.
    let record_len = head
        .get(10..12)
        .map_or(1, |b| usize::from(u16::from_le_bytes([b[0], b[1]])).max(1));
    let mut piece = vec![0; record_len * DETECT_RECORDS];
    let dbf_path = path.with_extension("dbf");
    let read_err = |source| IoError::Read {
        path: dbf_path.clone(),
        source,
    };
    dbf.seek(SeekFrom::Start(head.len() as u64))
        .map_err(read_err)?;
    loop {
        let n = read_full(dbf, &mut piece).map_err(read_err)?;
        if n == 0 {
            break;
        }
        // The end-of-file marker; a 0x1A inside is ASCII and changes nothing for detection.
        let text = &piece[..n];
        scan.feed(text.strip_suffix(&[0x1A]).unwrap_or(text));
    }
    let mut chosen = scan.chosen("the .dbf text (no .cpg file)");
    chosen.note = format!("{} (no .cpg / 无.cpg文件)", chosen.note);
    Ok(chosen)
}

/// Fills `buf` from `r` as far as the file goes; the number of bytes read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn raw_value(v: FieldValue) -> RawValue {
    match v {
        FieldValue::Character(Some(s)) | FieldValue::Memo(s) => RawValue::Text(s),
        FieldValue::Numeric(Some(n)) | FieldValue::Double(n) | FieldValue::Currency(n) => {
            RawValue::Number(n)
        }
        FieldValue::Float(Some(n)) => RawValue::Number(f64::from(n)),
        FieldValue::Integer(n) => RawValue::Number(f64::from(n)),
        FieldValue::Logical(Some(b)) => RawValue::Bool(b),
        FieldValue::Date(Some(d)) => {
            RawValue::Text(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }
        _ => RawValue::Null,
    }
}

fn ring<P>(points: &[P], xy: impl Fn(&P) -> (f64, f64)) -> LineString<f64> {
    LineString(
        points
            .iter()
            .map(|p| {
                let (x, y) = xy(p);
                Coord { x, y }
            })
            .collect(),
    )
}

/// Shapefile rings in order: each outer ring starts a polygon, inner rings belong to the last.
fn polygons<P>(rings: &[PolygonRing<P>], xy: impl Fn(&P) -> (f64, f64) + Copy) -> Geometry<f64> {
    let mut polys: Vec<Polygon<f64>> = Vec::new();
    for r in rings {
        match r {
            PolygonRing::Outer(pts) => polys.push(Polygon::new(ring(pts, xy), vec![])),
            PolygonRing::Inner(pts) => match polys.last_mut() {
                Some(p) => p.interiors_push(ring(pts, xy)),
                None => polys.push(Polygon::new(ring(pts, xy), vec![])),
            },
        }
    }
    if polys.len() == 1 {
        Geometry::Polygon(polys.remove(0))
    } else {
        Geometry::MultiPolygon(MultiPolygon(polys))
    }
}

fn geometry(shape: Shape) -> Option<Geometry<f64>> {
    match shape {
        Shape::Polygon(p) => Some(polygons(p.rings(), |q| (q.x, q.y))),
        Shape::PolygonM(p) => Some(polygons(p.rings(), |q| (q.x, q.y))),
        Shape::PolygonZ(p) => Some(polygons(p.rings(), |q| (q.x, q.y))),
        Shape::Point(p) => Some(Geometry::Point(geo_types::Point::new(p.x, p.y))),
        Shape::NullShape => None,
        // Lines and multipoints are not parcels: a point stands for them so the row is
        // reported as "not a polygon" rather than as "no geometry".
        Shape::Polyline(l) => l
            .parts()
            .first()
            .map(|p| Geometry::LineString(ring(p, |q| (q.x, q.y)))),
        _ => Some(Geometry::GeometryCollection(geo_types::GeometryCollection(
            vec![],
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbase::{FieldName, Record, TableWriterBuilder};
    use shapefile::{Point, Polygon, ShapeWriter};

    /// `n` square parcels with a GBK name only from row `gbk_from` on, written without a `.cpg`.
    fn write(dir: &Path, n: usize, gbk_from: usize) -> std::path::PathBuf {
        let path = dir.join("宗地.shp");
        let enc = dbase::encoding::EncodingRs::from(encoding_rs::GBK);
        let mut dbf = TableWriterBuilder::with_encoding(enc)
            .add_character_field(FieldName::try_from("MC").unwrap(), 40)
            .add_numeric_field(FieldName::try_from("XH").unwrap(), 10, 0)
            .build_with_file_dest(path.with_extension("dbf"))
            .unwrap();
        let mut shp = ShapeWriter::from_path(&path).unwrap();
        for i in 0..n {
            let (x, y) = (i as f64, 0.0);
            let ring = vec![
                Point::new(x, y),
                Point::new(x, y + 0.5),
                Point::new(x + 0.5, y + 0.5),
                Point::new(x + 0.5, y),
                Point::new(x, y),
            ];
            shp.write_shape(&Polygon::new(PolygonRing::Outer(ring)))
                .unwrap();
            let mut r = Record::default();
            let name = if i >= gbk_from {
                format!("许昌{i}号")
            } else {
                format!("P{i}")
            };
            r.insert("MC".into(), FieldValue::Character(Some(name)));
            r.insert("XH".into(), FieldValue::Numeric(Some(i as f64)));
            dbf.write_record(&r).unwrap();
        }
        shp.finalize().unwrap();
        dbf.finalize().unwrap();
        std::fs::write(
            path.with_extension("prj"),
            landcycle_geo::Crs::Cgcs2000Geographic.wkt(),
        )
        .unwrap();
        path
    }

    #[test]
    fn records_read_in_chunks_line_up_with_their_shapes() {
        let dir = tempfile::tempdir().unwrap();
        // 3 chunks and a bit; the GBK text only in the last detection piece.
        let n = SHAPE_CHUNK * 3 + 5;
        let path = write(dir.path(), n, n - 3);
        let t = super::super::read_table(&path, &ReadOptions::default()).unwrap();
        assert!(
            t.encoding_note.as_deref().unwrap().starts_with("GBK"),
            "{:?}",
            t.encoding_note
        );
        assert_eq!(t.rows.len(), n);
        for (i, r) in t.rows.iter().enumerate() {
            assert_eq!(r.row, i + 1);
            assert_eq!(r.fields.get("XH"), Some(&RawValue::Number(i as f64)));
            let Some(Geometry::Polygon(p)) = &r.geometry else {
                panic!("row {}: {:?}", i + 1, r.geometry)
            };
            assert_eq!(p.exterior().0[0].x, i as f64, "row {}", i + 1);
        }
        assert_eq!(
            t.rows[n - 1].fields.get("MC"),
            Some(&RawValue::Text(format!("许昌{}号", n - 1)))
        );
    }

    #[test]
    fn a_short_dbf_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), 100, 100);
        let dbf = path.with_extension("dbf");
        let bytes = std::fs::read(&dbf).unwrap();
        std::fs::write(&dbf, &bytes[..bytes.len() - 50]).unwrap();
        let e = super::super::read_table(&path, &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("宗地.dbf") && e.contains("100 records"), "{e}");
    }
}
