//! Uploaded files made safe to read: each part's kind is judged from its bytes (a `.shp` must
//! start with the shapefile magic, `.gpkg` with "SQLite format 3", `.xlsx`/`.zip` with "PK"),
//! `.zip` archives are expanded under limits (total size, entry count, compression ratio —
//! counted on the bytes actually inflated, never the sizes the archive claims), names from
//! clients or archives are reduced to a plain base name (a `..` or absolute entry refuses the
//! upload) and never used as a path, and a Shapefile's parts are grouped under its `.shp`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Limits of one upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// Bytes of the whole request body.
    pub max_body: u64,
    /// Bytes inflated from all archives together.
    pub max_unzipped: u64,
    /// Entries of all archives together.
    pub max_entries: usize,
    /// Inflated / compressed bytes of one entry (entries under 1 MiB inflated are not judged).
    pub max_ratio: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            max_body: 200 << 20,
            max_unzipped: 2 << 30,
            max_entries: 1000,
            max_ratio: 200,
        }
    }
}

/// Why an upload is refused before any file is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    /// Past a size limit (HTTP 413).
    #[error("{en}")]
    TooLarge {
        /// Reason in English.
        en: String,
        /// Reason in Chinese.
        zh: String,
    },
    /// Not an upload that can be read (HTTP 400).
    #[error("{file}: {en}")]
    Malformed {
        /// The file (part or archive entry) at fault.
        file: String,
        /// Reason in English.
        en: String,
        /// Reason in Chinese.
        zh: String,
    },
}

fn malformed(file: &str, en: impl Into<String>, zh: impl Into<String>) -> UploadError {
    UploadError::Malformed {
        file: file.to_owned(),
        en: en.into(),
        zh: zh.into(),
    }
}

/// What a file's bytes show it to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Starts with the shapefile magic 0x0000270A (`.shp` or `.shx`).
    ShapefileMain,
    /// A dBASE table (`.dbf`).
    Dbase,
    /// "SQLite format 3" (`.gpkg`).
    Sqlite,
    /// "PK" (`.xlsx` or `.zip`).
    Zip,
    /// FlatGeobuf magic `fgb\x03` (`.fgb`).
    FlatGeobuf,
    /// Text starting with `{` (`.geojson`, `.json`).
    JsonObject,
    /// Other text without NUL bytes (`.csv`, `.prj`, `.cpg`).
    Text,
    /// None of these.
    Unknown,
}

/// Judges a file from its first bytes.
pub fn sniff(head: &[u8]) -> Sniffed {
    const DBF_VERSIONS: &[u8] = &[
        0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5, 0xFB,
    ];
    if head.starts_with(&[0x00, 0x00, 0x27, 0x0A]) {
        return Sniffed::ShapefileMain;
    }
    if head.starts_with(b"SQLite format 3\0") {
        return Sniffed::Sqlite;
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if head.starts_with(b"fgb\x03") {
        return Sniffed::FlatGeobuf;
    }
    if head.len() >= 32 && DBF_VERSIONS.contains(&head[0]) {
        let header_len = u16::from_le_bytes([head[8], head[9]]);
        let record_len = u16::from_le_bytes([head[10], head[11]]);
        if header_len >= 33 && record_len >= 1 && head[2] <= 12 && head[3] <= 31 {
            return Sniffed::Dbase;
        }
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if !text.is_empty() && !text.contains(&0) {
        let first = text.iter().find(|b| !b.is_ascii_whitespace());
        return if first == Some(&b'{') {
            Sniffed::JsonObject
        } else {
            Sniffed::Text
        };
    }
    Sniffed::Unknown
}

/// The extensions a content may carry, the first being the one given to a nameless part.
fn extensions_for(s: Sniffed) -> &'static [&'static str] {
    match s {
        Sniffed::ShapefileMain => &["shp", "shx"],
        Sniffed::Dbase => &["dbf"],
        Sniffed::Sqlite => &["gpkg"],
        Sniffed::Zip => &["zip", "xlsx"],
        Sniffed::FlatGeobuf => &["fgb"],
        Sniffed::JsonObject => &["geojson", "json"],
        Sniffed::Text => &["csv", "prj", "cpg"],
        Sniffed::Unknown => &[],
    }
}

/// The base name of a client-given name: no directory, no `..`, no control characters; an
/// absolute or parent-relative name is refused (`None`).
pub fn safe_name(raw: &str) -> Option<String> {
    let unified = raw.replace('\\', "/");
    if unified.starts_with('/')
        || unified.split('/').any(|c| c == "..")
        || unified.as_bytes().get(1) == Some(&b':')
    {
        return None;
    }
    let base = unified.rsplit('/').next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    (!clean.is_empty() && clean.len() <= 200).then_some(clean)
}

fn split_ext(name: &str) -> (String, String) {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_owned(), ext.to_ascii_lowercase()),
        _ => (name.to_owned(), String::new()),
    }
}

fn head_of(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(4096);
    std::fs::File::open(path)?
        .take(4096)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

fn io_err(file: &str, e: &std::io::Error) -> UploadError {
    malformed(
        file,
        format!("cannot store the upload: {e}"),
        format!("无法保存上传文件：{e}"),
    )
}

/// Files of one upload, staged in a directory the caller owns (and removes).
struct Stage<'a> {
    dir: &'a Path,
    limits: UploadLimits,
    /// (name as given, name decided) of every file.
    files: Vec<(String, String)>,
    inflated: u64,
    entries: usize,
    next: usize,
}

impl Stage<'_> {
    /// Judges `raw` (named `given`) by its bytes and moves it to its decided name.
    fn place(&mut self, given: &str, raw: &Path) -> Result<(), UploadError> {
        let name = safe_name(given).ok_or_else(|| {
            malformed(
                given,
                "a file name with a directory going up (`..`) or an absolute path",
                "文件名含有“..”或绝对路径，已拒绝",
            )
        })?;
        let head = head_of(raw).map_err(|e| io_err(&name, &e))?;
        let kind = sniff(&head);
        let (stem, ext) = split_ext(&name);
        let allowed = extensions_for(kind);
        let ext = if allowed.contains(&ext.as_str()) {
            ext
        } else if kind == Sniffed::Zip && ext.is_empty() {
            "zip".to_owned()
        } else if ext.is_empty() && allowed.len() == 1 {
            allowed[0].to_owned()
        } else {
            let what = match kind {
                Sniffed::Unknown => "content of no supported format".to_owned(),
                k => format!("content that is {k:?}, not .{ext}"),
            };
            return Err(malformed(
                &name,
                format!(
                    "{what}: send .shp/.shx/.dbf/.prj/.cpg, .zip, .gpkg, .geojson/.json, .fgb, \
                     .xlsx or .csv"
                ),
                format!("文件内容与扩展名不符或格式不受支持（{name}）"),
            ));
        };
        if ext == "zip" {
            return self.expand(&name, raw);
        }
        let decided = format!("{stem}.{ext}");
        if self
            .files
            .iter()
            .any(|(_, d)| d.eq_ignore_ascii_case(&decided))
        {
            return Err(malformed(
                &name,
                "two files of the upload have this name",
                "上传的文件重名",
            ));
        }
        std::fs::rename(raw, self.dir.join(&decided)).map_err(|e| io_err(&name, &e))?;
        self.files.push((name, decided));
        Ok(())
    }

    /// Expands a `.zip`, each entry placed like an uploaded part (a nested archive too, under
    /// the same shared limits).
    fn expand(&mut self, name: &str, raw: &Path) -> Result<(), UploadError> {
        let bad = |e: zip::result::ZipError| {
            malformed(
                name,
                format!("not a readable zip archive: {e}"),
                format!("不是有效的zip压缩包：{e}"),
            )
        };
        let file = std::fs::File::open(raw).map_err(|e| io_err(name, &e))?;
        let mut zip = zip::ZipArchive::new(file).map_err(bad)?;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(bad)?;
            let raw_name = entry.name_raw().to_vec();
            let entry_name = match std::str::from_utf8(&raw_name) {
                Ok(s) => s.to_owned(),
                // Archives made on Chinese Windows name entries in GBK without the UTF-8 flag.
                Err(_) => encoding_rs::GBK.decode(&raw_name).0.into_owned(),
            };
            if entry.is_dir()
                || entry_name.starts_with("__MACOSX/")
                || entry_name
                    .rsplit('/')
                    .next()
                    .is_some_and(|b| b.starts_with("._"))
            {
                continue;
            }
            self.entries += 1;
            if self.entries > self.limits.max_entries {
                return Err(UploadError::TooLarge {
                    en: format!(
                        "{name}: more than {} archive entries",
                        self.limits.max_entries
                    ),
                    zh: format!("{name}：压缩包文件数超过{}个", self.limits.max_entries),
                });
            }
            if safe_name(&entry_name).is_none() {
                return Err(malformed(
                    &format!("{name}/{entry_name}"),
                    "an archive entry with `..` or an absolute path",
                    "压缩包内文件路径含有“..”或绝对路径，已拒绝",
                ));
            }
            let compressed = entry.compressed_size().max(1);
            self.next += 1;
            let tmp = self.dir.join(format!(".entry-{}", self.next));
            let mut out = std::fs::File::create(&tmp).map_err(|e| io_err(name, &e))?;
            let room = self.limits.max_unzipped - self.inflated;
            let ratio_cap = compressed
                .saturating_mul(self.limits.max_ratio)
                .max(1 << 20);
            let cap = room.min(ratio_cap);
            let mut buf = vec![0u8; 64 << 10];
            let mut n: u64 = 0;
            loop {
                let k = entry.read(&mut buf).map_err(|e| {
                    malformed(
                        &format!("{name}/{entry_name}"),
                        format!("cannot inflate: {e}"),
                        format!("无法解压：{e}"),
                    )
                })?;
                if k == 0 {
                    break;
                }
                n += k as u64;
                if n > cap {
                    let _ = std::fs::remove_file(&tmp);
                    let (en, zh) = if n > room {
                        (
                            format!(
                                "{name}: inflates past {} MiB",
                                self.limits.max_unzipped >> 20
                            ),
                            format!("{name}：解压后超过{} MiB", self.limits.max_unzipped >> 20),
                        )
                    } else {
                        (
                            format!(
                                "{name}/{entry_name}: compressed more than {}:1 (a zip bomb?)",
                                self.limits.max_ratio
                            ),
                            format!(
                                "{name}/{entry_name}：压缩比超过{}:1，疑为压缩炸弹",
                                self.limits.max_ratio
                            ),
                        )
                    };
                    return Err(UploadError::TooLarge { en, zh });
                }
                out.write_all(&buf[..k]).map_err(|e| io_err(name, &e))?;
            }
            self.inflated += n;
            drop(out);
            self.place(&entry_name, &tmp)?;
        }
        Ok(())
    }
}

/// Stages uploaded files: `parts` are (name as the client gave it, path of the bytes as
/// received, inside `dir`). Returns the files to import (`.shp`, `.gpkg`, `.geojson`, `.json`,
/// `.fgb`, `.xlsx`, `.csv`), each with its Shapefile sidecars beside it in `dir`.
pub fn stage(
    dir: &Path,
    parts: &[(String, PathBuf)],
    limits: UploadLimits,
) -> Result<Vec<PathBuf>, UploadError> {
    if parts.is_empty() {
        return Err(malformed(
            "file",
            "no file was sent (form field `file`)",
            "未上传文件（表单字段 file）",
        ));
    }
    let mut st = Stage {
        dir,
        limits,
        files: Vec::new(),
        inflated: 0,
        entries: 0,
        next: 0,
    };
    for (given, raw) in parts {
        st.place(given, raw)?;
    }
    let shp_stems: Vec<String> = st
        .files
        .iter()
        .map(|(_, d)| split_ext(d))
        .filter(|(_, e)| e == "shp")
        .map(|(s, _)| s)
        .collect();
    let mut primaries = Vec::new();
    for (given, decided) in &st.files {
        let (stem, ext) = split_ext(decided);
        match ext.as_str() {
            "shx" | "dbf" | "prj" | "cpg" => {
                let Some(shp) = shp_stems.iter().find(|s| s.eq_ignore_ascii_case(&stem)) else {
                    return Err(malformed(
                        given,
                        format!("a .{ext} without its .shp (send the .shp of the same name)"),
                        format!("缺少同名的 .shp 文件（{given}）"),
                    ));
                };
                if *shp != stem {
                    let to = dir.join(format!("{shp}.{ext}"));
                    std::fs::rename(dir.join(decided), to).map_err(|e| io_err(given, &e))?;
                }
            }
            _ => primaries.push(dir.join(decided)),
        }
    }
    if primaries.is_empty() {
        return Err(malformed(
            "file",
            "no file to import: send a .shp (with its .dbf/.shx/.prj), .zip, .gpkg, .geojson, \
             .fgb, .xlsx or .csv",
            "没有可导入的文件",
        ));
    }
    Ok(primaries)
}

#[cfg(test)]
mod tests;
