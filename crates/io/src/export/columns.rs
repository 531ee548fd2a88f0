//! The columns of a parcel export: one list for every format, each column with its Chinese
//! header (with the unit), its English name, and its Shapefile field name (≤ 10 ASCII bytes).
//! Every header is one the import dictionary maps back (or knowingly ignores), so that an
//! exported file imports again as it is.

use super::Lang;
use landcycle_domain::Parcel;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// What a column holds, which decides the cell type and number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    /// Text (codes are text, never numbers).
    Text,
    /// An area in m², shown with two decimals.
    AreaM2,
    /// An area in 亩, shown with four decimals.
    AreaMu,
    /// A plain number (容积率, 限高).
    Number,
    /// A ratio between 0 and 1, shown as a percentage.
    Ratio,
    /// A calendar date.
    Date,
}

/// Which formats carry a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every format.
    All,
    /// Sheets (xlsx, CSV): registered area in 亩, as 用地面积 is given in practice.
    Sheets,
    /// GIS formats (GeoPackage, Shapefile, GeoJSON): registered area in exact m².
    Gis,
}

/// One exported column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// English name (also the GeoPackage/GeoJSON field name).
    pub en: &'static str,
    /// Chinese header, with the unit.
    pub zh: &'static str,
    /// Shapefile (DBF) field name, ≤ 10 ASCII bytes.
    pub shp: &'static str,
    /// Cell type.
    pub kind: ColKind,
    /// Formats that carry it.
    pub scope: Scope,
}

impl Column {
    /// The header in `lang`.
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

const fn col(en: &'static str, zh: &'static str, shp: &'static str, kind: ColKind) -> Column {
    Column {
        en,
        zh,
        shp,
        kind,
        scope: Scope::All,
    }
}

/// Every parcel column, in export order.
pub const PARCEL_COLUMNS: &[Column] = &[
    col("code", "宗地代码", "ZDDM", ColKind::Text),
    col("legacy_codes", "宗地号", "ZDH", ColKind::Text),
    col("name", "项目名称", "XMMC", ColKind::Text),
    col("address", "坐落", "ZL", ColKind::Text),
    col("jurisdiction", "行政区代码", "XZQDM", ColKind::Text),
    col("park_id", "园区", "YQ", ColKind::Text),
    col("land_use_code", "土地用途", "YTDM", ColKind::Text),
    col("land_use_name", "土地用途名称", "YTMC", ColKind::Text),
    col("land_use_system", "用途分类", "YTFL", ColKind::Text),
    col("status", "状态", "ZT", ColKind::Text),
    col(
        "computed_area_m2",
        "计算面积(平方米)",
        "JSMJ",
        ColKind::AreaM2,
    ),
    col("computed_area_mu", "计算面积(亩)", "JSMU", ColKind::AreaMu),
    Column {
        en: "registered_area_mu",
        zh: "证载面积(亩)",
        shp: "ZZMJ_MU",
        kind: ColKind::AreaMu,
        scope: Scope::Sheets,
    },
    Column {
        en: "registered_area_m2",
        zh: "证载面积(平方米)",
        shp: "ZZMJ_M2",
        kind: ColKind::AreaM2,
        scope: Scope::Gis,
    },
    col("enterprise", "统一社会信用代码", "XYDM", ColKind::Text),
    col("far_min", "容积率下限", "RJLXX", ColKind::Number),
    col("far_max", "容积率上限", "RJLSX", ColKind::Number),
    col("building_coverage_min", "建筑系数", "JZXS", ColKind::Ratio),
    col("green_ratio_max", "绿地率", "LDL", ColKind::Ratio),
    col("height_max_m", "建筑限高(米)", "JZXG", ColKind::Number),
    col("valid_from", "生效日期", "SXRQ", ColKind::Date),
    col("parcel_id", "宗地标识", "PARCEL_ID", ColKind::Text),
];

/// The columns a sheet (xlsx, CSV) or a GIS format carries.
pub fn columns(gis: bool) -> Vec<&'static Column> {
    PARCEL_COLUMNS
        .iter()
        .filter(|c| match c.scope {
            Scope::All => true,
            Scope::Sheets => !gis,
            Scope::Gis => gis,
        })
        .collect()
}

/// One cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Null,
    /// Text.
    Text(String),
    /// A number (exact decimals converted to the nearest double).
    Number(f64),
    /// A date as (year, month, day).
    Date(i16, i8, i8),
}

impl Cell {
    /// The value as text (numbers in their shortest round-tripping form, dates ISO 8601).
    pub fn to_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        }
    }
}

fn num(d: Option<Decimal>) -> Cell {
    d.and_then(|d| d.to_f64()).map_or(Cell::Null, Cell::Number)
}

fn text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Null, |s| Cell::Text(s.to_owned()))
}

/// The value of column `c` for parcel `p`; status and legacy-code separator follow `lang`.
pub fn cell(c: &Column, p: &Parcel, lang: Lang) -> Cell {
    match c.en {
        "code" => text(p.code.as_ref().map(|c| c.as_str())),
        "legacy_codes" if p.legacy_codes.is_empty() => Cell::Null,
        "legacy_codes" => Cell::Text(p.legacy_codes.join(match lang {
            Lang::Zh => "；",
            Lang::En => ";",
        })),
        "name" => Cell::Text(p.name.clone()),
        "address" => text(p.address.as_deref()),
        "jurisdiction" => Cell::Text(p.jurisdiction.as_str().to_owned()),
        "park_id" => text(p.park_id.as_ref().map(|p| p.as_str())),
        "land_use_code" => Cell::Text(p.land_use.code.clone()),
        "land_use_name" => text(p.land_use.name_zh()),
        "land_use_system" => Cell::Text(p.land_use.system.as_str().to_owned()),
        "status" => Cell::Text(
            match lang {
                Lang::Zh => p.status.label_zh(),
                Lang::En => p.status.as_str(),
            }
            .to_owned(),
        ),
        "computed_area_m2" => num(Some(p.computed_area_m2.display())),
        "computed_area_mu" => num(Some(p.computed_area_m2.to_mu().display())),
        // Full precision: the number format shows four decimals, the value converts back to the
        // registered m² exactly (import rounds 亩 × 2000/3 to 0.0001 m²).
        "registered_area_mu" => num(p.registered_area_m2.map(|a| a.to_mu().0.normalize())),
        "registered_area_m2" => num(p.registered_area_m2.map(|a| a.0)),
        "enterprise" => text(p.enterprise.as_ref().map(|u| u.as_str())),
        "far_min" => num(p.planning.far_min),
        "far_max" => num(p.planning.far_max),
        "building_coverage_min" => num(p.planning.building_coverage_min),
        "green_ratio_max" => num(p.planning.green_ratio_max),
        "height_max_m" => num(p.planning.height_max_m),
        "valid_from" => Cell::Date(
            p.valid_from.year(),
            p.valid_from.month(),
            p.valid_from.day(),
        ),
        "parcel_id" => Cell::Text(p.id.to_string()),
        _ => Cell::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::{DICTIONARY, Target, dictionary::area_unit, normalize_header};

    fn target(h: &str) -> Option<Target> {
        let n = normalize_header(h);
        DICTIONARY
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, t)| *t)
            .or_else(|| area_unit(&n).and_then(Result::ok))
    }

    #[test]
    fn every_header_maps_back_and_shapefile_names_fit() {
        for c in PARCEL_COLUMNS {
            for h in [c.zh, c.en, c.shp] {
                assert!(target(h).is_some(), "header `{h}` is not in the dictionary");
            }
            assert!(c.shp.len() <= 10 && c.shp.is_ascii(), "{}", c.shp);
            assert_eq!(target(c.zh), target(c.en), "{}", c.en);
            assert_eq!(target(c.zh), target(c.shp), "{}", c.en);
        }
    }
}
