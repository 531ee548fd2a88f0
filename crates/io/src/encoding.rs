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
    if bytes.is_ascii() {
        Chosen {
            encoding: encoding_rs::UTF_8,
            note: format!("UTF-8: {what} holds ASCII text only / 仅含ASCII字符"),
        }
    } else if std::str::from_utf8(bytes).is_ok() {
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

/// The text bytes of a DBF file: field names and record area (not the binary header fields).
pub fn dbf_text(dbf: &[u8]) -> Vec<u8> {
    let header_len = dbf
        .get(8..10)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let mut out = Vec::new();
    let mut at = 32;
    while at + 32 <= header_len.min(dbf.len()) && dbf[at] != 0x0D {
        let name = &dbf[at..at + 11];
        out.extend(name.iter().take_while(|b| **b != 0));
        out.push(b' ');
        at += 32;
    }
    if let Some(records) = dbf.get(header_len..) {
        out.extend(records.iter().filter(|b| **b != 0x1A));
    }
    out
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
