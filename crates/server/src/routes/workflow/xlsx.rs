//! Excel output of workflow lists: one sheet, a bold frozen header, text cells (codes and
//! amounts keep their exact digits).

use crate::error::{ApiError, ApiResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};

/// The media type of an .xlsx file.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook of one sheet as an attachment named `file`.
pub(crate) fn response(
    file: &str,
    sheet: &str,
    header_row: &[&str],
    rows: &[Vec<String>],
) -> ApiResult<Response> {
    let err = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, h) in header_row.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| ApiError::Internal("too many columns".into()))?;
        ws.write_string_with_format(0, col, *h, &bold)
            .map_err(err)?;
        ws.set_column_width(col, 16).map_err(err)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let rr = u32::try_from(r + 1).map_err(|_| ApiError::Internal("too many rows".into()))?;
        for (c, v) in row.iter().enumerate() {
            let col =
                u16::try_from(c).map_err(|_| ApiError::Internal("too many columns".into()))?;
            ws.write_string(rr, col, v).map_err(err)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    let bytes = wb.save_to_buffer().map_err(err)?;
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
