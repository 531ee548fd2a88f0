//! A result table to an Excel sheet with Chinese headers (rust_xlsxwriter).

use anyhow::Context;
use std::path::Path;

/// One cell.
pub enum Cell {
    /// Text.
    Text(String),
    /// A number (decimals are written from their exact text).
    Num(f64),
    /// Nothing.
    Empty,
}

impl Cell {
    /// A decimal as a number cell (its text parses to the nearest f64).
    pub fn dec(d: impl std::fmt::Display) -> Cell {
        d.to_string().parse().map_or(Cell::Empty, Cell::Num)
    }
}

/// Writes `headers` and `rows` to a new workbook with one sheet named `sheet`.
pub fn write(path: &Path, sheet: &str, headers: &[&str], rows: &[Vec<Cell>]) -> anyhow::Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(c)?, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1)?;
        for (c, v) in row.iter().enumerate() {
            let c = u16::try_from(c)?;
            match v {
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Num(n) => {
                    ws.write_number(r, c, *n)?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    book.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
