//! ESRI Shapefile (.shp/.shx/.dbf/.prj/.cpg): attribute encoding from `.cpg`, the user, or
//! detection (UTF-8 when the DBF text is valid UTF-8, otherwise GBK).

use super::dbf::Dbf;
use super::{ReadOptions, file_name, read_bytes};
use crate::crs::crs_from_wkt;
use crate::encoding::{self, Chosen};
use crate::error::{IoError, IoResult};
use crate::table::{RawRow, RawValue, Table};
use dbase::FieldValue;
use geo_types::{Coord, Geometry, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use shapefile::{PolygonRing, Shape};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

/// Reads a Shapefile given the path of its `.shp`.
pub fn read(path: &Path, opts: &ReadOptions) -> IoResult<Table> {
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
    let dbf = read_bytes(&dbf_path)?;
    let chosen = choose_encoding(path, &dbf, opts)?;
    table.encoding_note = Some(chosen.note.clone());
    let shp = Cursor::new(read_bytes(path)?);
    let shx_path = path.with_extension("shx");
    let shape_reader = match std::fs::read(&shx_path) {
        Ok(shx) => shapefile::ShapeReader::with_shx(shp, Cursor::new(shx)),
        Err(_) => shapefile::ShapeReader::new(shp),
    }
    .map_err(|e| {
        IoError::format(
            &file,
            format!("bad .shp: {e}"),
            format!(".shp文件错误：{e}"),
        )
    })?;
    match Dbf::parse(&file_name(&dbf_path), &dbf, chosen.encoding)? {
        Some(records) => read_parallel(&file, &mut table, shape_reader, &records)?,
        None => read_with_dbase(&file, &mut table, shape_reader, dbf, chosen.encoding)?,
    }
    Ok(table)
}

/// Shapes parsed per chunk in file order.
const SHAPE_CHUNK: usize = 65_536;

/// Shapes read in file order, records decoded and rows built on all cores. A record marked
/// deleted is skipped with its shape, as GIS software does.
fn read_parallel(
    file: &str,
    table: &mut Table,
    shapes: shapefile::ShapeReader<Cursor<Vec<u8>>>,
    dbf: &Dbf<'_>,
) -> IoResult<()> {
    table.headers = dbf.fields.iter().map(|f| f.name.clone()).collect();
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
    table.rows.reserve(count);
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
        read = last + 1;
        let rows: IoResult<Vec<Option<RawRow>>> = chunk
            .into_par_iter()
            .map(|(i, shape)| {
                if dbf.is_deleted(i) {
                    return Ok(None);
                }
                Ok(Some(RawRow {
                    row: i + 1,
                    fields: dbf.record(i)?,
                    geometry: geometry(shape),
                }))
            })
            .collect();
        table.rows.extend(rows?.into_iter().flatten());
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
    shapes: shapefile::ShapeReader<Cursor<Vec<u8>>>,
    dbf: Vec<u8>,
    encoding: &'static encoding_rs::Encoding,
) -> IoResult<()> {
    let dbf_reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding))
        .build(Cursor::new(dbf))
        .map_err(|e| {
            IoError::format(file, format!("bad .dbf: {e}"), format!(".dbf文件错误：{e}"))
        })?;
    table.headers = dbf_reader
        .fields()
        .iter()
        .filter(|f| f.name() != "DeletionFlag")
        .map(|f| f.name().to_owned())
        .collect();
    let mut reader = shapefile::Reader::new(shapes, dbf_reader);
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| {
            IoError::format(
                file,
                format!("feature {}: {e}", i + 1),
                format!("第{}个要素读取失败：{e}", i + 1),
            )
        })?;
        let fields: BTreeMap<String, RawValue> =
            record.into_iter().map(|(k, v)| (k, raw_value(v))).collect();
        table.rows.push(RawRow {
            row: i + 1,
            fields,
            geometry: geometry(shape),
        });
    }
    Ok(())
}

fn choose_encoding(path: &Path, dbf: &[u8], opts: &ReadOptions) -> IoResult<Chosen> {
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
    let (names, records) = encoding::dbf_text(dbf);
    let mut chosen = encoding::detect_parts(&[&names, records], "the .dbf text (no .cpg file)");
    chosen.note = format!("{} (no .cpg / 无.cpg文件)", chosen.note);
    Ok(chosen)
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
