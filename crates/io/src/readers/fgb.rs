//! FlatGeobuf (`.fgb`): the header's CRS (`crs.org`/`crs.code`, else its WKT) through the same
//! CRS code as GeoPackage and `.prj`, the header's columns as headers, one row per feature.
//!
//! The file is walked here rather than with `FgbReader`'s iterator: the whole file is in memory
//! anyway (for the sha256), and `FgbReader` trusts sizes in the file (a damaged feature size
//! allocates up to 4 GiB, an index node size of 1 panics). Every header and feature is still
//! checked by the `flatgeobuf` crate's FlatBuffers verifier before it is read, and the property
//! bytes and geometry offsets, which the verifier cannot judge, are bounds-checked in
//! [`super::fgb_values`].

use super::fgb_values::{geometry, properties};
use super::{ReadOptions, file_name, read_bytes};
use crate::crs::crs_from_wkt;
use crate::error::{IoError, IoResult};
use crate::table::{RawRow, Table};
use flatgeobuf::{Header, size_prefixed_root_as_feature, size_prefixed_root_as_header};
use landcycle_geo::{Crs, GeoError};
use std::path::Path;

/// Bytes of one packed R-tree node: min_x, min_y, max_x, max_y (f64) and an offset (u64).
const NODE_BYTES: u64 = 40;

/// Reads a FlatGeobuf file.
pub fn read(path: &Path, opts: &ReadOptions) -> IoResult<Table> {
    let file = file_name(path);
    let bytes = read_bytes(path)?;
    let bad = |en: String, zh: String| IoError::format(&file, en, zh);
    if bytes.len() < 12 || &bytes[0..3] != b"fgb" || &bytes[4..7] != b"fgb" || bytes[3] > 3 {
        return Err(bad(
            "not a FlatGeobuf file (no `fgb` magic bytes of version ≤ 3)".into(),
            "不是FlatGeobuf文件（缺少fgb文件标识）".into(),
        ));
    }
    let header_len = u32_at(&bytes, 8).map_or(0, |n| n as usize);
    let header_end = 12usize.saturating_add(header_len);
    if header_len < 8 || header_end > bytes.len() {
        return Err(bad(
            format!(
                "header size {header_len} does not fit the file of {} bytes",
                bytes.len()
            ),
            format!("文件头长度{header_len}与文件大小{}不符", bytes.len()),
        ));
    }
    let header = size_prefixed_root_as_header(&bytes[8..header_end])
        .map_err(|e| bad(format!("damaged header: {e}"), format!("文件头损坏：{e}")))?;
    let mut table = Table::new(&file, "flatgeobuf");
    table.encoding_note = Some("UTF-8 (FlatGeobuf text is UTF-8)".to_owned());
    if let Some(name) = header.name().filter(|n| !n.is_empty()) {
        table.notes.push(format!("layer `{name}` / 图层"));
    }
    match opts.crs {
        Some(c) => {
            table.crs = Some(c);
            table
                .notes
                .push(format!("CRS {c} given with --crs / 用户指定坐标系"));
        }
        None => header_crs(&file, &header, opts, &mut table)?,
    }
    let columns: Vec<(std::sync::Arc<str>, flatgeobuf::ColumnType)> = header
        .columns()
        .map(|cs| cs.iter().map(|c| (c.name().into(), c.type_())).collect())
        .unwrap_or_default();
    table.headers = columns.iter().map(|(n, _)| n.to_string()).collect();
    let mut at = header_end
        .checked_add(index_size(&header).map_err(|(en, zh)| bad(en, zh))?)
        .filter(|&at| at <= bytes.len())
        .ok_or_else(|| {
            bad(
                "the spatial index runs past the end of the file".into(),
                "空间索引超出文件末尾".into(),
            )
        })?;
    let declared = header.features_count();
    let geometry_type = header.geometry_type();
    let mut row = 0usize;
    while at < bytes.len() && (declared == 0 || (row as u64) < declared) {
        row += 1;
        let feature_err = |en: String, zh: String| {
            bad(
                format!("feature {row} (byte {at}): {en}"),
                format!("第{row}个要素（字节{at}）：{zh}"),
            )
        };
        let size = u32_at(&bytes, at).map_or(usize::MAX, |n| n as usize);
        let end = at
            .checked_add(4)
            .and_then(|s| s.checked_add(size))
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| {
                feature_err(
                    format!("size {size} runs past the end of the file"),
                    format!("长度{size}超出文件末尾"),
                )
            })?;
        let feature = size_prefixed_root_as_feature(&bytes[at..end])
            .map_err(|e| feature_err(format!("damaged: {e}"), format!("数据损坏：{e}")))?;
        let fields = match properties(&feature, &columns) {
            Ok(f) => f,
            Err((field, en, zh)) => {
                table.row_problem(row, &field, None, en, zh);
                Default::default()
            }
        };
        let geometry = match feature.geometry().map(|g| geometry(&g, geometry_type)) {
            None => None,
            Some(Ok(g)) => Some(g),
            Some(Err(e)) => {
                table.row_problem(
                    row,
                    "geometry",
                    None,
                    format!("damaged geometry: {e}"),
                    format!("几何数据损坏：{e}"),
                );
                None
            }
        };
        table.rows.push(RawRow {
            row,
            fields,
            geometry,
        });
        at = end;
    }
    if declared > 0 && (row as u64) < declared {
        return Err(bad(
            format!("the header declares {declared} features, the file ends after {row}"),
            format!("文件头声明{declared}个要素，但文件在第{row}个后结束"),
        ));
    }
    Ok(table)
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Bytes of the packed Hilbert R-tree after the header (0 without an index), computed with
/// checked arithmetic: the sizes come from the file.
fn index_size(header: &Header) -> Result<usize, (String, String)> {
    let node = u64::from(header.index_node_size());
    let n = header.features_count();
    if node == 0 || n == 0 {
        return Ok(0);
    }
    if node < 2 {
        return Err((
            format!("index node size {node} (must be 0 or at least 2)"),
            format!("空间索引节点大小{node}无效"),
        ));
    }
    let (mut level, mut nodes) = (n, n);
    while level > 1 {
        level = level.div_ceil(node);
        nodes = nodes.saturating_add(level);
    }
    usize::try_from(nodes.saturating_mul(NODE_BYTES)).map_err(|_| {
        (
            format!("index of {n} features too large"),
            "空间索引过大".to_owned(),
        )
    })
}

/// The CRS of the header: its EPSG code, else its WKT, else the `EPSG:n` code string.
fn header_crs(file: &str, header: &Header, opts: &ReadOptions, table: &mut Table) -> IoResult<()> {
    let no_crs = || {
        IoError::crs(
            file,
            "the FlatGeobuf header has no CRS; give --crs EPSG:n",
            "FlatGeobuf文件头没有坐标系，请用 --crs EPSG:n 指定",
        )
    };
    let Some(crs) = header.crs() else {
        return Err(no_crs());
    };
    let org_is_epsg = crs.org().is_none_or(|o| o.eq_ignore_ascii_case("EPSG"));
    let code = u32::try_from(crs.code())
        .ok()
        .filter(|&c| c > 0 && org_is_epsg);
    let wkt = crs.wkt().filter(|w| !w.trim().is_empty());
    if let Some(code) = code {
        match Crs::from_epsg(code) {
            Ok(c) => {
                table.notes.push(format!(
                    "CRS {c} from the FlatGeobuf header (EPSG:{code}) / 坐标系取自文件头"
                ));
                table.crs = Some(c);
                return Ok(());
            }
            // Xian 1980 / Beijing 1954 with the user's parameters: the WKT path applies them.
            Err(GeoError::NeedsDatumShift { .. }) if wkt.is_some() && opts.towgs84.is_some() => {}
            Err(GeoError::NeedsDatumShift { name, datum, .. }) => {
                return Err(IoError::NeedsDatumShift {
                    file: file.to_owned(),
                    name,
                    datum,
                    towgs84: String::new(),
                });
            }
            Err(_) if wkt.is_some() => {}
            Err(e) => {
                return Err(IoError::crs(
                    file,
                    e.to_string(),
                    format!("无法识别坐标系EPSG:{code}"),
                ));
            }
        }
    }
    if let Some(wkt) = wkt {
        let parsed = crs_from_wkt(file, wkt, opts.towgs84.as_deref())?;
        table.notes.push(format!(
            "CRS {} ({}) from the FlatGeobuf header WKT: {} / 坐标系取自文件头WKT",
            parsed.crs, parsed.name, parsed.how
        ));
        table.crs = Some(parsed.crs);
        table.shift = parsed.shift;
        return Ok(());
    }
    if let Some(s) = crs.code_string().filter(|s| !s.trim().is_empty()) {
        let c = Crs::parse(s)
            .map_err(|e| IoError::crs(file, e.to_string(), format!("无法识别坐标系“{s}”")))?;
        table.notes.push(format!(
            "CRS {c} from the FlatGeobuf header `{s}` / 坐标系取自文件头"
        ));
        table.crs = Some(c);
        return Ok(());
    }
    Err(no_crs())
}
