//! Excel `.xlsx` (rust_xlsxwriter): sheet 宗地 with a frozen header row, units in the headers,
//! areas as numbers with fixed decimals, dates as dates, codes as text, and the geometry as WKT;
//! sheet 说明 with the source, CRS, export time and, for demo data, the synthetic-data note.

use super::columns::{Cell, ColKind, cell, columns};
use super::{ExportOptions, Lang, Reproject, notes, to_wkt};
use crate::error::{IoError, IoResult};
use landcycle_domain::Parcel;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Writes the workbook.
pub fn write(
    parcels: &[Parcel],
    path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> IoResult<()> {
    let err = |e: XlsxError| IoError::write(path, e);
    let reproject = Reproject::new(opts.crs, path)?;
    let srid = (!opts.crs.is_geographic()).then(|| opts.crs.epsg());
    let cols = columns(false);
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let text = Format::new().set_num_format("@");
    let formats = |k: ColKind| match k {
        ColKind::Text => text.clone(),
        ColKind::AreaM2 => Format::new().set_num_format("#,##0.00"),
        ColKind::AreaMu => Format::new().set_num_format("#,##0.0000"),
        ColKind::Number => Format::new().set_num_format("0.00"),
        ColKind::Ratio => Format::new().set_num_format("0.00%"),
        ColKind::Date => Format::new().set_num_format("yyyy-mm-dd"),
    };
    let sheet = book.add_worksheet();
    sheet
        .set_name(match opts.lang {
            Lang::Zh => "宗地",
            Lang::En => "parcels",
        })
        .map_err(err)?;
    for (i, c) in cols.iter().enumerate() {
        let col = u16::try_from(i).map_err(|e| IoError::write(path, e))?;
        sheet
            .write_string_with_format(0, col, c.header(opts.lang), &header)
            .map_err(err)?;
        let width = match c.kind {
            ColKind::Text if c.en == "name" || c.en == "address" => 28.0,
            ColKind::Text if c.en == "code" || c.en == "enterprise" => 22.0,
            ColKind::Text if c.en == "parcel_id" => 38.0,
            ColKind::Date => 12.0,
            _ => 14.0,
        };
        sheet.set_column_width(col, width).map_err(err)?;
    }
    let wkt_col = u16::try_from(cols.len()).map_err(|e| IoError::write(path, e))?;
    sheet
        .write_string_with_format(0, wkt_col, "WKT", &header)
        .map_err(err)?;
    sheet.set_column_width(wkt_col, 40.0).map_err(err)?;
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    let fmts: Vec<Format> = cols.iter().map(|c| formats(c.kind)).collect();
    for (r, p) in parcels.iter().enumerate() {
        let row = u32::try_from(r + 1).map_err(|e| IoError::write(path, e))?;
        for (i, c) in cols.iter().enumerate() {
            let col = i as u16;
            write_cell(sheet, row, col, &cell(c, p, opts.lang), &fmts[i]).map_err(err)?;
        }
        let wkt = to_wkt(&reproject.geometry(p, path)?, srid);
        if wkt.chars().count() > MAX_CELL_CHARS {
            return Err(IoError::write(
                path,
                format!(
                    "parcel {}: its geometry is longer than an Excel cell holds ({} characters); \
                     export it as gpkg or shp (宗地图形超出Excel单元格长度，请导出为GeoPackage或Shapefile)",
                    p.id,
                    wkt.chars().count()
                ),
            ));
        }
        sheet.write_string(row, wkt_col, wkt).map_err(err)?;
        if r % 256 == 0 || r + 1 == parcels.len() {
            progress(r + 1, parcels.len());
        }
    }
    if let Some(last) = u32::try_from(parcels.len()).ok().filter(|n| *n > 0) {
        sheet.autofilter(0, 0, last, wkt_col).map_err(err)?;
    }
    let about = book.add_worksheet();
    about.set_name("说明").map_err(err)?;
    about.set_column_width(0, 24.0).map_err(err)?;
    about.set_column_width(1, 100.0).map_err(err)?;
    about
        .write_string_with_format(0, 0, "项目 / item", &header)
        .map_err(err)?;
    about
        .write_string_with_format(0, 1, "说明 / note", &header)
        .map_err(err)?;
    for (i, (k, v)) in notes(opts, parcels.len()).into_iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|e| IoError::write(path, e))?;
        about.write_string(row, 0, k).map_err(err)?;
        about.write_string(row, 1, v).map_err(err)?;
    }
    book.save(path).map_err(err)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Cell,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Cell::Null => {}
        Cell::Text(s) => {
            sheet.write_string_with_format(row, col, s, format)?;
        }
        Cell::Number(n) => {
            sheet.write_number_with_format(row, col, *n, format)?;
        }
        Cell::Date(y, m, d) => {
            let date = ExcelDateTime::from_ymd(
                u16::try_from(*y).unwrap_or(1900),
                u8::try_from(*m).unwrap_or(1),
                u8::try_from(*d).unwrap_or(1),
            )?;
            sheet.write_datetime_with_format(row, col, &date, format)?;
        }
    }
    Ok(())
}
