//! Media type of uploaded content, judged by its bytes, never by its name.

/// The media type of `bytes` by their signature: documents and images a parcel file holds
/// (PDF, PNG, JPEG, GIF, TIFF, ZIP-based Office files, plain text), else
/// `application/octet-stream` (served only as a download).
pub fn sniff_content_type(bytes: &[u8]) -> &'static str {
    const SIGS: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"II*\0", "image/tiff"),
        (b"MM\0*", "image/tiff"),
        (b"PK\x03\x04", "application/zip"),
    ];
    if let Some((_, t)) = SIGS.iter().find(|(s, _)| bytes.starts_with(s)) {
        return t;
    }
    if !bytes.is_empty() && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        return "text/plain; charset=utf-8";
    }
    "application/octet-stream"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content_not_name() {
        assert_eq!(sniff_content_type(b"%PDF-1.7\n..."), "application/pdf");
        assert_eq!(sniff_content_type(b"\x89PNG\r\n\x1a\n\0\0"), "image/png");
        assert_eq!(
            sniff_content_type("合同扫描件说明".as_bytes()),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            sniff_content_type(b"MZ\x90\0\x03"),
            "application/octet-stream"
        );
        assert_eq!(sniff_content_type(b""), "application/octet-stream");
    }
}
