//! Text encodings of attribute files: a user's choice, a `.cpg`, or detection from the bytes
//! (valid UTF-8 → UTF-8, otherwise GBK, decoded as its superset GB18030).

use encoding_rs::Encoding;

/// An encoding and the sentence saying why it was used.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Which and why, for the import report.
    pub note: String,
}

/// The encoding a label names: `GBK`, `GB2312`, `GB18030`, `CP936`, `936`, `UTF-8`, `65001` …
pub fn from_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().trim_start_matches('\u{feff}');
    match l {
        "936" => Some(encoding_rs::GBK),
        "54936" => Some(encoding_rs::GB18030),
        "65001" => Some(encoding_rs::UTF_8),
        _ => Encoding::for_label(l.as_bytes()),
    }
}

/// The label used in notes: `GBK` for the GBK/GB18030 decoder.
pub fn label(e: &'static Encoding) -> &'static str {
    if e == encoding_rs::GBK || e == encoding_rs::GB18030 {
        "GBK"
    } else {
        e.name()
    }
}

/// Decides from `bytes` (the text of the file): UTF-8 if they are valid UTF-8, else GBK.
pub fn detect(bytes: &[u8], what: &str) -> Chosen {
    detect_parts(&[bytes], what)
}

/// [`detect`] over text held in several pieces (each ending on a character boundary), so that
/// a large file's text need not be copied into one buffer first.
pub fn detect_parts(parts: &[&[u8]], what: &str) -> Chosen {
    if parts.iter().all(|p| p.is_ascii()) {
        Chosen {
            encoding: encoding_rs::UTF_8,
            note: format!("UTF-8: {what} holds ASCII text only / 仅含ASCII字符"),
        }
    } else if parts.iter().all(|p| std::str::from_utf8(p).is_ok()) {
        Chosen {
            encoding: encoding_rs::UTF_8,
            note: format!("UTF-8: detected, {what} is valid UTF-8 / 检测为UTF-8编码"),
        }
    } else {
        Chosen {
            encoding: encoding_rs::GBK,
            note: format!(
                "GBK: detected, {what} is not valid UTF-8, so it was read as GBK (GB18030) / \
                 非UTF-8编码，按GBK（GB18030）读取"
            ),
        }
    }
}

/// The user's `--encoding`, if given, else `None`; `Err` names an unknown label.
pub fn user_choice(label_given: Option<&str>) -> Result<Option<Chosen>, String> {
    match label_given {
        None => Ok(None),
        Some(l) => from_label(l)
            .map(|encoding| {
                Some(Chosen {
                    encoding,
                    note: format!(
                        "{}: given with --encoding / 用户指定",
                        self::label(encoding)
                    ),
                })
            })
            .ok_or_else(|| format!("unknown encoding `{l}` (use GBK or UTF-8)")),
    }
}

/// The text bytes of a DBF file: its field names (a new buffer) and its record area (borrowed:
/// copying a million records only to look at them cost a second and 700 MB).
pub fn dbf_text(dbf: &[u8]) -> (Vec<u8>, &[u8]) {
    let header_len = dbf
        .get(8..10)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let mut names = Vec::new();
    let mut at = 32;
    while at + 32 <= header_len.min(dbf.len()) && dbf[at] != 0x0D {
        let name = &dbf[at..at + 32][..11];
        names.extend(name.iter().take_while(|b| **b != 0));
        names.push(b' ');
        at += 32;
    }
    let records = dbf.get(header_len..).unwrap_or(&[]);
    // The end-of-file marker; a 0x1A inside is ASCII and changes nothing for detection.
    let records = records.strip_suffix(&[0x1A]).unwrap_or(records);
    (names, records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_detection() {
        assert_eq!(from_label("936"), Some(encoding_rs::GBK));
        assert_eq!(from_label("GBK\n"), Some(encoding_rs::GBK));
        assert_eq!(from_label("UTF-8"), Some(encoding_rs::UTF_8));
        let (gbk, _, _) = encoding_rs::GBK.encode("魏都区");
        assert_eq!(detect(&gbk, "t").encoding, encoding_rs::GBK);
        assert_eq!(
            detect("魏都区".as_bytes(), "t").encoding,
            encoding_rs::UTF_8
        );
        assert!(user_choice(Some("klingon")).is_err());
    }
}
