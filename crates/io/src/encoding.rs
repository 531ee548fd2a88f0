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
    let mut scan = TextScan::default();
    for p in parts {
        scan.feed(p);
    }
    scan.chosen(what)
}

/// [`detect`] fed a piece at a time (each ending on a character boundary), so that a large
/// file's text is looked at without being held.
#[derive(Debug, Clone, Copy)]
pub struct TextScan {
    ascii: bool,
    utf8: bool,
}

impl Default for TextScan {
    fn default() -> Self {
        Self {
            ascii: true,
            utf8: true,
        }
    }
}

impl TextScan {
    /// Looks at the next piece.
    pub fn feed(&mut self, piece: &[u8]) {
        if self.ascii && piece.is_ascii() {
            return;
        }
        self.ascii = false;
        self.utf8 = self.utf8 && std::str::from_utf8(piece).is_ok();
    }

    /// The encoding the pieces seen so far are in, and why, for `what` (the text's name).
    pub fn chosen(&self, what: &str) -> Chosen {
        if self.ascii {
            Chosen {
                encoding: encoding_rs::UTF_8,
                note: format!("UTF-8: {what} holds ASCII text only / 仅含ASCII字符"),
            }
        } else if self.utf8 {
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

/// The field names of a DBF header, each followed by a space, as the bytes of the file.
pub fn dbf_field_names(header: &[u8]) -> Vec<u8> {
    let header_len = header
        .get(8..10)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let mut names = Vec::new();
    let mut at = 32;
    while at + 32 <= header_len.min(header.len()) && header[at] != 0x0D {
        let name = &header[at..at + 32][..11];
        names.extend(name.iter().take_while(|b| **b != 0));
        names.push(b' ');
        at += 32;
    }
    names
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

    #[test]
    fn a_scan_in_pieces_decides_as_the_whole() {
        let (gbk, _, _) = encoding_rs::GBK.encode("魏都区");
        let decide = |pieces: &[&[u8]]| {
            let mut scan = TextScan::default();
            pieces.iter().for_each(|p| scan.feed(p));
            let whole: Vec<u8> = pieces.concat();
            (scan.chosen("t").encoding, detect(&whole, "t").encoding)
        };
        for pieces in [
            vec![&b"ascii "[..], b"only"],
            vec![b"ascii ", "许昌".as_bytes(), b"ascii"],
            // GBK text late in the file, after pieces that are ASCII or valid UTF-8.
            vec![b"ascii ", "许昌".as_bytes(), &gbk],
            vec![&gbk[..], b"ascii"],
        ] {
            let (pieces_said, whole_said) = decide(&pieces);
            assert_eq!(pieces_said, whole_said, "{pieces:?}");
        }
        let mut scan = TextScan::default();
        scan.feed(b"abc");
        assert!(scan.chosen("t").note.contains("ASCII"));
        scan.feed(&gbk);
        scan.feed("许昌".as_bytes());
        assert_eq!(scan.chosen("t").encoding, encoding_rs::GBK);
    }
}
