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
    let cols: Vec<(String, bool)> = conn
        .prepare(&format!("PRAGMA table_info({})", q(&layer)))
        .and_then(|mut s| {
            s.query_map([], |r| {
                Ok((r.get::<_, String>(1)?, r.get::<_, i64>(5)? > 0))
            })?
            .collect()
        })
        .map_err(sql_err)?;
    let pk = cols.iter().find(|c| c.1).map(|c| c.0.clone());
    table.headers = cols
        .iter()
        .filter(|(n, is_pk)| !is_pk && *n != geom_col)
        .map(|(n, _)| n.clone())
        .collect();
    let select: Vec<String> = table.headers.iter().map(|h| q(h)).collect();
    let sql = format!(
        "SELECT {}, {}{}{} FROM {} ORDER BY {}",
        pk.as_deref().map_or("rowid".to_owned(), q),
        q(&geom_col),
        if select.is_empty() { "" } else { ", " },
        select.join(", "),
        q(&layer),
        pk.as_deref().map_or("rowid".to_owned(), q),
    );
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
        let fid: i64 = r.get(0).map_err(sql_err)?;
        let row = usize::try_from(fid).unwrap_or(0);
        let geometry = match r.get_ref(1).map_err(sql_err)? {
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
        let mut fields = Fields::with_capacity(headers.len());
        for (i, h) in headers.iter().enumerate() {
            let v = match r.get_ref(i + 2).map_err(sql_err)? {
                ValueRef::Null => RawValue::Null,
                ValueRef::Integer(n) => RawValue::Number(n as f64),
                ValueRef::Real(x) => RawValue::Number(x),
                ValueRef::Text(t) => RawValue::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => RawValue::Null,
            };
            fields.insert(Arc::clone(h), v);
        }
        chunk.push(RawRow {
            row,
            fields,
            geometry,
        });
        if chunk.len() == CHUNK_ROWS {
            each(&mut table, std::mem::take(&mut chunk), total);
        }
    }
    if !chunk.is_empty() {
        each(&mut table, chunk, total);
    }
    Ok(table)
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
