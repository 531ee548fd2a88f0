//! dBase (.dbf) records decoded straight from the file's bytes, in parallel.
//!
//! Every record has the same length, so record `i` starts at a known offset: the records are
//! read a chunk at a time ([`Dbf::chunk`], so that a large file is never held whole) and each
//! chunk's records decoded on all cores at once. The `dbase` crate decodes one record at a time
//! into a hash map keyed by freshly allocated field names: at a million records that was most of
//! an import's read time. Files with memo fields (their text lives in a `.dbt`) or field types
//! this module does not know are left to the `dbase` crate ([`Dbf::parse`] answers `None`).

use crate::error::{IoError, IoResult};
use crate::table::{Fields, RawValue};
use encoding_rs::Encoding;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

/// The dBase end-of-header marker.
const HEADER_END: u8 = 0x0D;

/// One field (column) of the file.
#[derive(Debug, Clone)]
pub(super) struct Field {
    /// The name, decoded with the file's encoding, shared by every record's values.
    pub name: Arc<str>,
    /// The dBase type letter: `C`, `N`, `F`, `D`, `L`, `I`, `O`/`B` (double), `Y` (currency).
    kind: u8,
    /// Offset within the record (after the deletion flag byte).
    offset: usize,
    /// Length in bytes.
    len: usize,
}

/// The layout of a `.dbf` file, read from its header.
#[derive(Debug)]
pub(super) struct Dbf {
    file: String,
    encoding: &'static Encoding,
    /// The fields in file order.
    pub fields: Vec<Field>,
    records: usize,
    header_len: usize,
    record_len: usize,
}

/// Records `first..first + n` of a [`Dbf`], read into memory.
#[derive(Debug)]
pub(super) struct Chunk<'d> {
    dbf: &'d Dbf,
    first: usize,
    bytes: Vec<u8>,
}

/// The header bytes of a `.dbf` (as far as its announced length) and the file's length.
pub(super) fn header<R: Read + Seek>(r: &mut R) -> std::io::Result<(Vec<u8>, u64)> {
    let len = r.seek(SeekFrom::End(0))?;
    r.seek(SeekFrom::Start(0))?;
    let mut head = Vec::with_capacity(32);
    r.by_ref().take(32).read_to_end(&mut head)?;
    if let [_, _, _, _, _, _, _, _, a, b, ..] = head[..] {
        let header_len = u64::from(u16::from_le_bytes([a, b]));
        r.by_ref()
            .take(header_len.saturating_sub(32))
            .read_to_end(&mut head)?;
    }
    Ok((head, len))
}

impl Dbf {
    /// Reads the header (`bytes`, as [`header`] reads them) of a file of `file_len` bytes;
    /// `Ok(None)` when a field needs the `dbase` crate (memo and rare types).
    pub fn parse(
        file: &str,
        bytes: &[u8],
        file_len: u64,
        encoding: &'static Encoding,
    ) -> IoResult<Option<Self>> {
        let bad = |en: &str, zh: &str| {
            IoError::format(
                file,
                format!("bad .dbf: {en}"),
                format!(".dbf文件错误：{zh}"),
            )
        };
        if bytes.len() < 32 {
            return Err(bad(
                "shorter than its 32-byte header",
                "文件不足32字节的文件头",
            ));
        }
        let records = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
        let record_len = usize::from(u16::from_le_bytes([bytes[10], bytes[11]]));
        let mut fields = Vec::new();
        let mut offset = 1; // the deletion flag
        let mut at = 32;
        while at + 32 <= header_len.min(bytes.len()) && bytes[at] != HEADER_END {
            let d = &bytes[at..at + 32];
            let name_bytes = d[..11].split(|b| *b == 0).next().unwrap_or(&[]);
            let name = encoding
                .decode_without_bom_handling(name_bytes)
                .0
                .trim()
                .into();
            let kind = d[11].to_ascii_uppercase();
            let len = usize::from(d[16]);
            if !matches!(
                kind,
                b'C' | b'N' | b'F' | b'D' | b'L' | b'I' | b'O' | b'B' | b'Y' | b'+'
            ) {
                return Ok(None);
            }
            fields.push(Field {
                name,
                kind,
                offset,
                len,
            });
            offset += len;
            at += 32;
        }
        if offset > record_len {
            return Err(bad(
                &format!("the fields take {offset} bytes but a record has {record_len}"),
                &format!("字段总长{offset}字节超过记录长度{record_len}字节"),
            ));
        }
        let needed = header_len.saturating_add(records.saturating_mul(record_len));
        if file_len < needed as u64 {
            return Err(bad(
                &format!(
                    "{records} records announced but the file ends after {file_len} bytes (needs {needed})"
                ),
                &format!("声明{records}条记录，但文件只有{file_len}字节（需要{needed}字节）"),
            ));
        }
        Ok(Some(Dbf {
            file: file.to_owned(),
            encoding,
            fields,
            records,
            header_len,
            record_len,
        }))
    }

    /// The number of records (deleted ones included).
    pub fn len(&self) -> usize {
        self.records
    }

    /// Reads records `first..first + n` (fewer at the end of the file) from `r`.
    pub fn chunk<R: Read + Seek>(&self, r: &mut R, first: usize, n: usize) -> IoResult<Chunk<'_>> {
        let n = n.min(self.records.saturating_sub(first));
        let mut bytes = vec![0; n * self.record_len];
        r.seek(SeekFrom::Start(
            (self.header_len + first * self.record_len) as u64,
        ))
        .and_then(|_| r.read_exact(&mut bytes))
        .map_err(|e| {
            IoError::format(
                &self.file,
                format!("bad .dbf: records {}–{}: {e}", first + 1, first + n),
                format!(".dbf文件错误：第{}–{}条记录：{e}", first + 1, first + n),
            )
        })?;
        Ok(Chunk {
            dbf: self,
            first,
            bytes,
        })
    }

    fn value(&self, f: &Field, raw: &[u8]) -> Result<RawValue, (String, String)> {
        Ok(match f.kind {
            b'C' => {
                let t = trim(raw);
                if t.is_empty() {
                    RawValue::Null
                } else {
                    match self
                        .encoding
                        .decode_without_bom_handling_and_without_replacement(t)
                    {
                        Some(s) => RawValue::Text(s.into_owned()),
                        None => {
                            return Err((
                                format!(
                                    "text is not valid {}",
                                    crate::encoding::label(self.encoding)
                                ),
                                format!(
                                    "文本不是有效的{}编码",
                                    crate::encoding::label(self.encoding)
                                ),
                            ));
                        }
                    }
                }
            }
            b'N' | b'F' => {
                let t = trim(raw);
                if t.is_empty() || t.iter().all(|b| *b == b'*') {
                    RawValue::Null
                } else {
                    let s = std::str::from_utf8(t)
                        .ok()
                        .and_then(|s| s.parse::<f64>().ok());
                    match s {
                        Some(n) => RawValue::Number(n),
                        None => {
                            let shown = String::from_utf8_lossy(t);
                            return Err((
                                format!("`{shown}` is not a number"),
                                format!("“{shown}”不是数字"),
                            ));
                        }
                    }
                }
            }
            b'D' => {
                let t = trim(raw);
                if t.len() < 8 || t.iter().all(|b| *b == b'0') {
                    RawValue::Null
                } else if t[..8].iter().all(u8::is_ascii_digit) {
                    let d = std::str::from_utf8(&t[..8]).unwrap_or_default();
                    RawValue::Text(format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]))
                } else {
                    let shown = String::from_utf8_lossy(t);
                    return Err((
                        format!("`{shown}` is not a date (YYYYMMDD)"),
                        format!("“{shown}”不是日期（YYYYMMDD）"),
                    ));
                }
            }
            b'L' => match raw.first() {
                Some(b'1' | b'T' | b't' | b'Y' | b'y') => RawValue::Bool(true),
                Some(b'0' | b'F' | b'f' | b'N' | b'n') => RawValue::Bool(false),
                _ => RawValue::Null,
            },
            b'I' | b'+' => match <[u8; 4]>::try_from(raw) {
                Ok(b) => RawValue::Number(f64::from(i32::from_le_bytes(b))),
                Err(_) => return Err(short(raw.len(), 4)),
            },
            b'O' | b'B' => match <[u8; 8]>::try_from(raw) {
                Ok(b) => RawValue::Number(f64::from_le_bytes(b)),
                Err(_) => return Err(short(raw.len(), 8)),
            },
            // Currency: an integer of ten-thousandths.
            b'Y' => match <[u8; 8]>::try_from(raw) {
                Ok(b) => RawValue::Number(i64::from_le_bytes(b) as f64 / 10_000.0),
                Err(_) => return Err(short(raw.len(), 8)),
            },
            _ => RawValue::Null,
        })
    }
}

impl Chunk<'_> {
    fn record_bytes(&self, i: usize) -> &[u8] {
        let len = self.dbf.record_len;
        let start = (i - self.first) * len;
        &self.bytes[start..start + len]
    }

    /// Whether record `i` (0-based, counted in the file, within the chunk) is marked deleted (`*`), as GIS software skips it.
    pub fn is_deleted(&self, i: usize) -> bool {
        self.record_bytes(i)[0] == b'*'
    }

    /// The values of record `i` (0-based, counted in the file, within the chunk) by field name. The error names the feature and field.
    pub fn record(&self, i: usize) -> IoResult<Fields> {
        let rec = self.record_bytes(i);
        let mut out = Fields::with_capacity(self.dbf.fields.len());
        for f in &self.dbf.fields {
            let raw = &rec[f.offset..f.offset + f.len];
            let v = self.dbf.value(f, raw).map_err(|(en, zh)| {
                IoError::format(
                    &self.dbf.file,
                    format!("feature {}, field {}: {en}", i + 1, f.name),
                    format!("第{}个要素的字段{}：{zh}", i + 1, f.name),
                )
            })?;
            out.insert(Arc::clone(&f.name), v);
        }
        Ok(out)
    }
}

fn short(len: usize, want: usize) -> (String, String) {
    (
        format!("binary field of {len} bytes, expected {want}"),
        format!("二进制字段长{len}字节，应为{want}字节"),
    )
}

/// The value's bytes without surrounding spaces, up to the first NUL (as dBase pads).
fn trim(raw: &[u8]) -> &[u8] {
    let raw = raw.split(|b| *b == 0).next().unwrap_or(&[]);
    let start = raw.iter().position(|b| *b != b' ').unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|b| *b != b' ')
        .map_or(start, |e| e + 1);
    &raw[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn open(bytes: &[u8], encoding: &'static Encoding) -> IoResult<Option<Dbf>> {
        let (head, len) = header(&mut Cursor::new(bytes)).unwrap();
        Dbf::parse("a.dbf", &head, len, encoding)
    }

    /// A dBase III file with the given fields (name, type, length) and records (raw field text).
    fn dbf(fields: &[(&[u8], u8, u8)], records: &[(bool, Vec<&[u8]>)]) -> Vec<u8> {
        let header_len = 32 + 32 * fields.len() + 1;
        let record_len = 1 + fields.iter().map(|f| usize::from(f.2)).sum::<usize>();
        let mut b = vec![0x03, 126, 11, 25];
        b.extend((records.len() as u32).to_le_bytes());
        b.extend((header_len as u16).to_le_bytes());
        b.extend((record_len as u16).to_le_bytes());
        b.resize(32, 0);
        for (name, kind, len) in fields {
            let mut d = [0u8; 32];
            d[..name.len()].copy_from_slice(name);
            d[11] = *kind;
            d[16] = *len;
            b.extend(d);
        }
        b.push(HEADER_END);
        for (deleted, values) in records {
            b.push(if *deleted { b'*' } else { b' ' });
            for ((_, _, len), v) in fields.iter().zip(values) {
                let mut cell = v.to_vec();
                cell.resize(usize::from(*len), b' ');
                b.extend(cell);
            }
        }
        b.push(0x1A);
        b
    }

    #[test]
    fn decodes_gbk_text_numbers_dates_and_flags() {
        let (name, _, _) = encoding_rs::GBK.encode("宗地代码");
        let (value, _, _) = encoding_rs::GBK.encode("许昌市魏都区");
        let bytes = dbf(
            &[
                (&name, b'C', 40),
                (b"MJ", b'N', 12),
                (b"RQ", b'D', 8),
                (b"OK", b'L', 1),
            ],
            &[
                (false, vec![&value, b"  12.50", b"20210630", b"T"]),
                (true, vec![b"x", b"1", b"", b"F"]),
                (false, vec![b"", b"****", b"        ", b"?"]),
            ],
        );
        let d = open(&bytes, encoding_rs::GBK).unwrap().unwrap();
        assert_eq!(d.len(), 3);
        assert_eq!(&*d.fields[0].name, "宗地代码");
        let c = d.chunk(&mut Cursor::new(&bytes), 0, 10).unwrap();
        let r = c.record(0).unwrap();
        let text = |s: &str| Some(RawValue::Text(s.into()));
        assert_eq!(r.get("宗地代码").cloned(), text("许昌市魏都区"));
        assert_eq!(r.get("MJ"), Some(&RawValue::Number(12.5)));
        assert_eq!(r.get("RQ").cloned(), text("2021-06-30"));
        assert_eq!(r.get("OK"), Some(&RawValue::Bool(true)));
        assert!(c.is_deleted(1) && !c.is_deleted(0));
        let empty = c.record(2).unwrap();
        assert!(empty.values().all(|v| *v == RawValue::Null), "{empty:?}");
    }

    #[test]
    fn a_bad_number_names_the_feature_and_field() {
        let bytes = dbf(
            &[(b"MJ", b'N', 8)],
            &[(false, vec![b"1"]), (false, vec![b"12,5"])],
        );
        let d = open(&bytes, encoding_rs::UTF_8).unwrap().unwrap();
        // The second record read on its own, as the second chunk of a large file is.
        let c = d.chunk(&mut Cursor::new(&bytes), 1, 1).unwrap();
        let e = c.record(1).unwrap_err().to_string();
        assert!(
            e.contains("feature 2") && e.contains("MJ") && e.contains("12,5"),
            "{e}"
        );
    }

    #[test]
    fn memo_fields_and_truncated_files() {
        let memo = dbf(&[(b"NOTE", b'M', 10)], &[(false, vec![b"1"])]);
        assert!(open(&memo, encoding_rs::UTF_8).unwrap().is_none());
        let mut cut = dbf(
            &[(b"MJ", b'N', 8)],
            &[(false, vec![b"1"]), (false, vec![b"2"])],
        );
        cut.truncate(cut.len() - 6);
        let e = open(&cut, encoding_rs::UTF_8).unwrap_err().to_string();
        assert!(e.contains("2 records"), "{e}");
    }
}
