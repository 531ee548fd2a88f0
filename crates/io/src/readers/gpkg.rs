//! GeoPackage feature tables, opened read-only; the CRS comes from `gpkg_spatial_ref_sys`
//! (EPSG organisation and code, else its WKT definition).

use super::{CHUNK_ROWS, EachChunk, ReadOptions, file_name};
use crate::crs::crs_from_wkt;
use crate::error::{IoError, IoResult};
use crate::table::{Fields, RawRow, RawValue, Table};
use landcycle_geo::{Crs, GeoError};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::sync::Arc;

fn q(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Reads the feature layer of a GeoPackage (the only one, or `opts.layer`), handing its rows to
/// `each` a chunk at a time (see [`super::read_table_chunks`]).
pub fn read_chunks(path: &Path, opts: &ReadOptions, each: &mut EachChunk<'_>) -> IoResult<Table> {
    let file = file_name(path);
    let sql_err = |e: rusqlite::Error| {
        IoError::format(
            &file,
            format!("not a readable GeoPackage: {e}"),
            format!("GeoPackage读取失败：{e}"),
        )
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err)?;
    let layers: Vec<String> = conn
        .prepare(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(sql_err)?;
    let layer = match (&opts.layer, layers.as_slice()) {
        (Some(l), _) if layers.contains(l) => l.clone(),
        (None, [only]) => only.clone(),
        (asked, _) => {
            return Err(IoError::format(
                &file,
                format!(
                    "choose a feature layer{}: the file has [{}]",
                    asked
                        .as_ref()
                        .map(|a| format!(" (`{a}` not found)"))
                        .unwrap_or_default(),
                    layers.join(", ")
                ),
                format!("请指定图层，文件中有：{}", layers.join("、")),
            ));
        }
    };
    let (geom_col, srs_id): (String, i64) = conn
        .query_row(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
            [&layer],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(sql_err)?;
    let mut table = Table::new(&file, "geopackage");
    table.encoding_note = Some("UTF-8 (GeoPackage text is UTF-8)".to_owned());
    table.notes.push(format!("layer `{layer}` / 图层"));
    table.crs = Some(match opts.crs {
        Some(c) => c,
        None => srs(&conn, &file, srs_id, opts, &mut table.notes)?,
    });
    // Names as bytes: a GeoPackage made by GDAL from a GBK Shapefile without its `.cpg` holds
    // GBK names and text, though the format says UTF-8. When any name is not UTF-8 every name
    // and text value is read as GBK (short GBK text can happen to be valid UTF-8: 状态 is);
    // otherwise a text value that is not UTF-8 is read as GBK on its own. A note says so.
    let raw: Vec<(Vec<u8>, bool)> = conn
        .prepare(&format!("PRAGMA table_info({})", q(&layer)))
        .and_then(|mut s| {
            s.query_map([], |r| {
                let name = r
                    .get_ref(1)?
                    .as_bytes()
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default();
                Ok((name, r.get::<_, i64>(5)? > 0))
            })?
            .collect()
        })
        .map_err(sql_err)?;
    let mut gbk = GbkNote {
        names: raw.iter().any(|(n, _)| std::str::from_utf8(n).is_err()),
        values: false,
    };
    let cols: Vec<(String, bool)> = raw
        .into_iter()
        .map(|(name, pk)| (gbk.decode(&name).0, pk))
        .collect();
    let pk = cols.iter().position(|c| c.1);
    // `SELECT rowid, *`: the columns by position, whatever bytes their names are.
    let fields: Vec<(usize, String)> = cols
        .iter()
        .enumerate()
        .filter(|(_, (n, is_pk))| !is_pk && *n != geom_col)
        .map(|(i, (n, _))| (i + 1, n.clone()))
        .collect();
    let geom_at = cols.iter().position(|(n, _)| *n == geom_col).map(|i| i + 1);
    table.headers = fields.iter().map(|(_, n)| n.clone()).collect();
    let sql = format!("SELECT rowid, * FROM {} ORDER BY rowid", q(&layer));
    let total: i64 = conn
        .query_row(&format!("SELECT count(*) FROM {}", q(&layer)), [], |r| {
            r.get(0)
        })
        .map_err(sql_err)?;
    let total = usize::try_from(total).unwrap_or(0);
    let mut stmt = conn.prepare(&sql).map_err(sql_err)?;
    let mut rows = stmt.query([]).map_err(sql_err)?;
    let headers = table.shared_headers();
    let mut chunk = Vec::new();
    while let Some(r) = rows.next().map_err(sql_err)? {
        let fid: i64 = r.get(pk.map_or(0, |i| i + 1)).map_err(sql_err)?;
        let row = usize::try_from(fid).unwrap_or(0);
        let blob = match geom_at {
            Some(at) => r.get_ref(at).map_err(sql_err)?,
            None => ValueRef::Null,
        };
        let geometry = match blob {
            ValueRef::Blob(b) => match landcycle_geo::decode_gpkg(b) {
                Ok(g) => Some(g),
                Err(e) => {
                    table.row_problem(
                        row,
                        "geometry",
                        None,
                        e.to_string(),
                        format!("几何数据错误：{e}"),
                    );
                    None
                }
            },
            _ => None,
        };
        let mut values = Fields::with_capacity(headers.len());
        for ((at, _), h) in fields.iter().zip(&headers) {
            let v = match r.get_ref(*at).map_err(sql_err)? {
                ValueRef::Null => RawValue::Null,
                ValueRef::Integer(n) => RawValue::Number(n as f64),
                ValueRef::Real(x) => RawValue::Number(x),
                ValueRef::Text(t) => {
                    let (t, was_gbk) = gbk.decode(t);
                    gbk.values |= was_gbk;
                    RawValue::Text(t)
                }
                ValueRef::Blob(_) => RawValue::Null,
            };
            values.insert(Arc::clone(h), v);
        }
        chunk.push(RawRow {
            row,
            fields: values,
            geometry,
        });
        if chunk.len() == CHUNK_ROWS {
            each(&mut table, std::mem::take(&mut chunk), total);
        }
    }
    if !chunk.is_empty() {
        each(&mut table, chunk, total);
    }
    if let Some(note) = gbk.note() {
        table.encoding_note = Some(note);
    }
    Ok(table)
}

/// Which text of the file was not UTF-8 and was read as GBK.
#[derive(Debug, Default)]
struct GbkNote {
    /// The column names (and so every text value) are GBK.
    names: bool,
    /// Some text value was read as GBK.
    values: bool,
}

impl GbkNote {
    /// Text as GBK (GB18030) when the names are, else as UTF-8 when it is, else as GBK; whether
    /// it was read as GBK.
    fn decode(&self, bytes: &[u8]) -> (String, bool) {
        match std::str::from_utf8(bytes) {
            Ok(s) if !self.names || s.is_ascii() => (s.to_owned(), false),
            _ => (
                encoding_rs::GB18030
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
                true,
            ),
        }
    }

    fn note(&self) -> Option<String> {
        let what = match (self.names, self.values) {
            (false, false) => return None,
            (true, false) => "column names",
            (false, true) => "text values",
            (true, true) => "column names and text values",
        };
        Some(format!(
            "GBK: the {what} are not UTF-8 as GeoPackage requires, so they were read as GBK \
             (GB18030), as GDAL writes them from a GBK Shapefile without its .cpg / \
             非UTF-8编码，按GBK读取"
        ))
    }
}

fn srs(
    conn: &Connection,
    file: &str,
    srs_id: i64,
    opts: &ReadOptions,
    notes: &mut Vec<String>,
) -> IoResult<Crs> {
    let found: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(|e| IoError::crs(file, e.to_string(), "无法读取gpkg_spatial_ref_sys"))?;
    let Some((org, code, definition)) = found else {
        return Err(IoError::crs(
            file,
            format!("srs_id {srs_id} is not in gpkg_spatial_ref_sys"),
            format!("gpkg_spatial_ref_sys中没有srs_id {srs_id}"),
        ));
    };
    if org.eq_ignore_ascii_case("EPSG") {
        match Crs::from_epsg(u32::try_from(code).unwrap_or(0)) {
            Ok(c) => {
                notes.push(format!(
                    "CRS {c} from gpkg_spatial_ref_sys / 坐标系取自gpkg_spatial_ref_sys"
                ));
                return Ok(c);
            }
            Err(GeoError::NeedsDatumShift { name, datum, .. }) => {
                return Err(IoError::NeedsDatumShift {
                    file: file.to_owned(),
                    name,
                    datum,
                    towgs84: opts
                        .towgs84
                        .clone()
                        .map(|t| {
                            format!(
                                "--towgs84 {t} is applied to Shapefiles (.prj) only: \
                                 export the layer as a Shapefile first."
                            )
                        })
                        .unwrap_or_default(),
                });
            }
            Err(_) => {}
        }
    }
    let parsed = crs_from_wkt(file, &definition, opts.towgs84.as_deref())?;
    notes.push(format!(
        "CRS {} from the WKT of srs_id {srs_id}: {}",
        parsed.crs, parsed.how
    ));
    Ok(parsed.crs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Geometry, polygon};

    /// A GeoPackage of `n` square features in EPSG:4490 with a `name` column; the features in
    /// `damaged` have a geometry blob that is not one.
    fn write(path: &Path, n: usize, damaged: &[usize]) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
                 organization TEXT, organization_coordsys_id INTEGER, definition TEXT);
             INSERT INTO gpkg_spatial_ref_sys VALUES ('CGCS2000', 4490, 'EPSG', 4490, 'undefined');
             CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT);
             INSERT INTO gpkg_contents VALUES ('宗地', 'features');
             CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, srs_id INTEGER);
             INSERT INTO gpkg_geometry_columns VALUES ('宗地', 'geom', 4490);
             CREATE TABLE 宗地 (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT);",
        )
        .unwrap();
        for fid in 1..=n {
            let x = 113.8 + fid as f64 * 0.001;
            let g = Geometry::Polygon(polygon![
                (x: x, y: 34.0), (x: x + 0.0005, y: 34.0), (x: x + 0.0005, y: 34.0005),
                (x: x, y: 34.0005), (x: x, y: 34.0)
            ]);
            let blob = if damaged.contains(&fid) {
                b"GP not a geometry".to_vec()
            } else {
                landcycle_geo::encode_gpkg(&g, 4490)
            };
            conn.execute(
                "INSERT INTO 宗地 VALUES (?1, ?2, ?3)",
                rusqlite::params![fid as i64, blob, format!("许昌{fid}号")],
            )
            .unwrap();
        }
    }

    #[test]
    fn rows_are_handed_on_in_chunks_with_their_problems_before_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("宗地.gpkg");
        write(&path, 150, &[100]);
        let mut chunks = Vec::new();
        let table = read_chunks(&path, &ReadOptions::default(), &mut |t, rows, total| {
            let problem_rows: Vec<_> = t.problems.iter().filter_map(|p| p.row).collect();
            chunks.push((rows.first().unwrap().row, rows.len(), total, problem_rows));
            assert!(rows.iter().all(|r| r.fields.get("name").is_some()));
        })
        .unwrap();
        // Chunks of 64 in tests; the damaged row's problem is there when its chunk is.
        assert_eq!(
            chunks,
            [
                (1, 64, 150, vec![]),
                (65, 64, 150, vec![100]),
                (129, 22, 150, vec![100])
            ]
        );
        assert!(table.rows.is_empty());
        assert_eq!(table.crs, Some(Crs::Cgcs2000Geographic));
    }
}
