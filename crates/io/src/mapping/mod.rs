//! From a file's headers to parcel fields: header normalisation, the built-in dictionary, an
//! optional TOML mapping file, and the conversion of one row into a [`ParcelDraft`].

pub mod dictionary;
pub mod land_use;
mod row;

pub use dictionary::{DICTIONARY, Target};
pub use land_use::{land_use_by_name, resolve_land_use};
pub use row::row_to_draft;

use crate::error::{IoError, IoResult};
use crate::table::Table;
use landcycle_store::ImportProblem;
use std::collections::BTreeMap;
use std::path::Path;

/// Trims, turns full-width ASCII (`（）`, `Ａ`) into half-width, removes all spaces and lower-cases
/// ASCII letters: `证载面积（平方米） ` → `证载面积(平方米)`, `ZDDM` → `zddm`.
pub fn normalize_header(h: &str) -> String {
    h.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A user's mapping file: `[fields]` with `"原列名" = "code"` lines (`"ignore"` to skip a
/// column). It takes precedence over the dictionary.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    fields: BTreeMap<String, Target>,
}

impl Mapping {
    /// Parses the TOML text of a mapping file.
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        #[derive(serde::Deserialize)]
        struct File {
            #[serde(default)]
            fields: BTreeMap<String, String>,
        }
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut fields = BTreeMap::new();
        for (k, v) in f.fields {
            let t = Target::parse(&v).ok_or_else(|| {
                format!(
                    "column `{k}` is mapped to unknown field `{v}` (fields: {})",
                    Target::ALL.map(Target::as_str).join(", ")
                )
            })?;
            fields.insert(normalize_header(&k), t);
        }
        Ok(Mapping { fields })
    }

    /// Reads a mapping file.
    pub fn load(path: &Path) -> IoResult<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|e| IoError::Mapping {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        Mapping::from_toml(&text).map_err(|reason| IoError::Mapping {
            path: path.to_owned(),
            reason,
        })
    }
}

/// Which column fills which field.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Header as found → field.
    pub map: Vec<(String, Target)>,
}

impl Columns {
    /// Headers that fill `t`.
    pub fn headers_for(&self, t: Target) -> impl Iterator<Item = &str> {
        self.map
            .iter()
            .filter(move |(_, x)| *x == t)
            .map(|(h, _)| h.as_str())
    }
}

fn accepted_list() -> String {
    let mut names: Vec<&str> = DICTIONARY.iter().map(|(n, _)| *n).collect();
    names.extend(["用地面积(亩)", "证载面积(平方米)", "面积(㎡)"]);
    names.join(", ")
}

/// Maps every header of `table`; unknown headers, area columns without a unit, a field fed by
/// two columns and missing required columns are file-level problems.
pub fn resolve_headers(table: &Table, mapping: Option<&Mapping>) -> (Columns, Vec<ImportProblem>) {
    let mut cols = Columns::default();
    let mut problems = Vec::new();
    let problem = |field: &str, value: Option<String>, en: String, zh: String| ImportProblem {
        file: table.file.clone(),
        row: table.header_row,
        field: field.to_owned(),
        value,
        reason: en,
        reason_zh: zh,
    };
    for h in &table.headers {
        let n = normalize_header(h);
        let target = mapping
            .and_then(|m| m.fields.get(&n).copied())
            .or_else(|| DICTIONARY.iter().find(|(k, _)| *k == n).map(|(_, t)| *t));
        let target = match (target, dictionary::area_unit(&n)) {
            (Some(t), _) | (None, Some(Ok(t))) => t,
            (None, Some(Err(()))) => {
                problems.push(problem(
                    h,
                    None,
                    format!(
                        "column `{h}` holds an area without a unit: rename it to say 亩 or 平方米 \
                         (e.g. `用地面积(亩)`), or map it in the mapping file to \
                         registered_area_mu or registered_area_m2"
                    ),
                    format!("列“{h}”为面积但未注明单位，请在列名中注明“亩”或“平方米”，或在映射文件中指定"),
                ));
                continue;
            }
            (None, None) => {
                problems.push(problem(
                    h,
                    None,
                    format!(
                        "unknown column `{h}`: map it in a mapping file ([fields] \"{h}\" = \
                         \"code\" or \"ignore\"); accepted headers: {}",
                        accepted_list()
                    ),
                    format!("无法识别的列“{h}”，请在映射文件中指定对应字段或设为ignore"),
                ));
                continue;
            }
        };
        cols.map.push((h.clone(), target));
    }
    for t in Target::ALL {
        if matches!(t, Target::LegacyCodes | Target::Ignore) {
            continue;
        }
        let hs: Vec<&str> = cols.headers_for(t).collect();
        if hs.len() > 1 {
            problems.push(problem(
                t.as_str(),
                Some(hs.join(", ")),
                format!(
                    "columns {} all map to {}; keep one or map the others to ignore",
                    hs.join(", "),
                    t.as_str()
                ),
                format!("多列（{}）对应同一字段{}", hs.join("、"), t.as_str()),
            ));
        }
    }
    for (t, zh) in [
        (Target::Name, "项目名称"),
        (Target::Jurisdiction, "行政区代码"),
        (Target::LandUseCode, "土地用途"),
    ] {
        if cols.headers_for(t).next().is_none() && !table.headers.is_empty() {
            problems.push(problem(
                t.as_str(),
                None,
                format!(
                    "no column for the required field {} (e.g. `{zh}`)",
                    t.as_str()
                ),
                format!("缺少必填字段“{zh}”对应的列"),
            ));
        }
    }
    (cols, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_and_mapping_file() {
        assert_eq!(normalize_header(" 证载面积（平方米） "), "证载面积(平方米)");
        assert_eq!(normalize_header("用地 面积(亩)"), "用地面积(亩)");
        assert_eq!(normalize_header("ＺＤＤＭ"), "zddm");
        let m = Mapping::from_toml(
            "[fields]\n\"地块 编号\" = \"code\"\nBZ = \"ignore\"\nRJL = \"far_max\"\n",
        )
        .expect("toml");
        assert_eq!(m.fields.get("地块编号"), Some(&Target::Code));
        assert_eq!(m.fields.get("rjl"), Some(&Target::FarMax));
        assert!(Mapping::from_toml("[fields]\nX = \"nonsense\"").is_err());
    }

    #[test]
    fn headers_resolve_or_are_named() {
        let mut t = Table::new("t.xlsx", "xlsx");
        t.headers = [
            "宗地代码",
            "项目名称",
            "行政区代码",
            "土地用途",
            "用地面积（亩）",
            "面积",
            "颜色",
        ]
        .map(String::from)
        .to_vec();
        let (cols, problems) = resolve_headers(&t, None);
        assert_eq!(
            cols.headers_for(Target::AreaMu).collect::<Vec<_>>(),
            ["用地面积（亩）"]
        );
        let named: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(named, ["面积", "颜色"]);
        assert!(problems[1].reason.contains("宗地代码"));
    }
}
