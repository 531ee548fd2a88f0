//! A new GeoPackage with one feature layer, `parcels` (MULTIPOLYGON), in the output CRS: the
//! mandatory tables (`gpkg_spatial_ref_sys` with the CRS's WKT, `gpkg_contents` with the extent,
//! `gpkg_geometry_columns`), the GeoPackage `application_id` and `user_version`, written into a
//! temporary file that replaces `path` only when complete.

use super::columns::{Cell, ColKind, cell, columns};
use super::{ExportOptions, Reproject, notes};
use crate::error::{IoError, IoResult};
use geo_types::Geometry;
use landcycle_domain::Parcel;
use landcycle_geo::{Crs, Envelope, encode_gpkg};
use landcycle_store::sqlite::schema::{GPKG_APPLICATION_ID, GPKG_USER_VERSION};
use rusqlite::{Connection, params, params_from_iter, types::Value};
use std::path::Path;

const LAYER: &str = "parcels";

fn srs_rows(crs: Crs) -> Vec<(String, i64, String, i64, String, String)> {
    let mut rows = vec![
        (
            "Undefined cartesian SRS".to_owned(),
            -1,
            "NONE".to_owned(),
            -1,
            "undefined".to_owned(),
            "undefined cartesian coordinate reference system".to_owned(),
        ),
        (
            "Undefined geographic SRS".to_owned(),
            0,
            "NONE".to_owned(),
            0,
            "undefined".to_owned(),
            "undefined geographic coordinate reference system".to_owned(),
        ),
        (
            "WGS 84 geodetic".to_owned(),
            4326,
            "EPSG".to_owned(),
            4326,
            Crs::Wgs84.wkt(),
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid".to_owned(),
        ),
    ];
    if crs.epsg() != 4326 {
        let code = i64::from(crs.epsg());
        rows.push((
            crs.name(),
            code,
            "EPSG".to_owned(),
            code,
            crs.wkt(),
            crs.name(),
        ));
    }
    rows
}

/// Writes the GeoPackage.
pub fn write(
    parcels: &[Parcel],
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    super::write_via_partial(path, "gpkg", |tmp| {
        write_into(parcels, tmp, path, opts, progress)
    })
}

fn write_into(
    parcels: &[Parcel],
    tmp: &Path,
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    let err = |e: rusqlite::Error| IoError::write(path, e);
    let reproject = Reproject::new(opts.crs, path)?;
    let crs = if opts.crs == Crs::Crs84 {
        Crs::Wgs84
    } else {
        opts.crs
    };
    let srs_id = i32::try_from(crs.epsg()).map_err(|e| IoError::write(path, e))?;
    let mut conn = Connection::open(tmp).map_err(err)?;
    conn.execute_batch(&format!(
        "PRAGMA application_id = {GPKG_APPLICATION_ID}; PRAGMA user_version = {GPKG_USER_VERSION};
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));"
    ))
    .map_err(err)?;
    let tx = conn.transaction().map_err(err)?;
    for r in srs_rows(crs) {
        tx.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![r.0, r.1, r.2, r.3, r.4, r.5],
        )
        .map_err(err)?;
    }
    let cols = columns(true);
    let defs: Vec<String> = cols
        .iter()
        .map(|c| {
            let ty = match c.kind {
                ColKind::Text => "TEXT",
                ColKind::Date => "DATE",
                _ => "REAL",
            };
            format!("\"{}\" {ty}", c.en)
        })
        .collect();
    tx.execute_batch(&format!(
        "CREATE TABLE {LAYER} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, {});",
        defs.join(", ")
    ))
    .map_err(err)?;
    let names: Vec<String> = cols.iter().map(|c| format!("\"{}\"", c.en)).collect();
    let marks: Vec<String> = (0..=cols.len()).map(|i| format!("?{}", i + 1)).collect();
    let mut extent: Option<Envelope> = None;
    {
        let mut insert = tx
            .prepare(&format!(
                "INSERT INTO {LAYER} (geom, {}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            ))
            .map_err(err)?;
        for (i, p) in parcels.iter().enumerate() {
            let g = Geometry::MultiPolygon(reproject.geometry(p, path)?);
            if let Some(e) = Envelope::from_geometry(&g) {
                extent = Some(match extent {
                    Some(x) => x.union(&e),
                    None => e,
                });
            }
            let mut values = vec![Value::Blob(encode_gpkg(&g, srs_id))];
            values.extend(cols.iter().map(|c| match cell(c, p, opts.lang) {
                Cell::Null => Value::Null,
                Cell::Text(s) => Value::Text(s),
                Cell::Number(n) => Value::Real(n),
                d @ Cell::Date(..) => Value::Text(d.to_text()),
            }));
            insert.execute(params_from_iter(values)).map_err(err)?;
            if i % 256 == 0 || i + 1 == parcels.len() {
                progress(i + 1, parcels.len());
            }
        }
    }
    let description: String = notes(opts, parcels.len())
        .into_iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n");
    let (min_x, min_y, max_x, max_y) = match extent {
        Some(e) => (Some(e.min_x), Some(e.min_y), Some(e.max_x), Some(e.max_y)),
        None => (None, None, None, None),
    };
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, \
         max_x, max_y, srs_id) VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![LAYER, description, min_x, min_y, max_x, max_y, srs_id],
    )
    .map_err(err)?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'MULTIPOLYGON', ?2, 0, 0)",
        params![LAYER, srs_id],
    )
    .map_err(err)?;
    tx.commit().map_err(err)?;
    conn.close().map_err(|(_, e)| err(e))
}
