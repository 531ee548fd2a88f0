//! The §4.2 indicator catalogue (§10 `standard_land`): every indicator a published set may hold
//! as core or optional, with the unit it is stated in and the direction that makes sense for it,
//! so a typo (a percentage for a fraction, a floor for a ceiling) cannot become a binding target.

/// At most this many optional ("N") indicators: the length of the §4.2 optional list
/// ([`CATALOGUE`] minus the three core ones).
pub const MAX_OPTIONAL: usize = 9;

/// What a direction may be for a catalogued code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// More is better: `at_least`, or a `range` (容积率 may also have a maximum).
    Floor,
    /// Less is better: `at_most` only.
    Ceiling,
}

/// One indicator of the §4.2 catalogue: code, Chinese name, the unit it is stated in, its sense,
/// whether its value is a fraction (0–1), and whether it is core.
pub struct CatalogueEntry {
    /// Code.
    pub code: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// Unit as stored ("" for ratios and 容积率).
    pub unit: &'static str,
    /// Direction allowed.
    pub sense: Sense,
    /// A fraction 0–1 (建筑系数 0.30, not 30).
    pub fraction: bool,
    /// One of the three core indicators.
    pub core: bool,
}

const fn entry(
    code: &'static str,
    name_zh: &'static str,
    unit: &'static str,
    sense: Sense,
    fraction: bool,
    core: bool,
) -> CatalogueEntry {
    CatalogueEntry {
        code,
        name_zh,
        unit,
        sense,
        fraction,
        core,
    }
}

/// The §4.2 catalogue (core + the optional list; §10 `standard_land`).
pub const CATALOGUE: &[CatalogueEntry] = &[
    entry(
        "investment_intensity_wan_per_mu",
        "固定资产投资强度",
        "万元/亩",
        Sense::Floor,
        false,
        true,
    ),
    entry("far_min", "容积率", "", Sense::Floor, false, true),
    entry(
        "tax_per_mu_wan",
        "亩均税收",
        "万元/亩·年",
        Sense::Floor,
        false,
        true,
    ),
    entry(
        "energy_value_added_per_tce",
        "单位能耗增加值",
        "万元/吨标煤",
        Sense::Floor,
        false,
        false,
    ),
    entry(
        "energy_per_value_added",
        "单位工业增加值能耗",
        "吨标煤/万元",
        Sense::Ceiling,
        false,
        false,
    ),
    entry(
        "emission_value_added",
        "单位排放增加值",
        "万元/吨",
        Sense::Floor,
        false,
        false,
    ),
    entry(
        "rd_ratio",
        "研发经费投入强度",
        "",
        Sense::Floor,
        true,
        false,
    ),
    entry(
        "output_per_mu",
        "亩均产值",
        "万元/亩·年",
        Sense::Floor,
        false,
        false,
    ),
    entry(
        "value_added_per_mu",
        "亩均增加值",
        "万元/亩·年",
        Sense::Floor,
        false,
        false,
    ),
    entry(
        "building_coverage_min",
        "建筑系数",
        "",
        Sense::Floor,
        true,
        false,
    ),
    entry(
        "admin_land_ratio_max",
        "行政办公及生活服务设施用地比例",
        "",
        Sense::Ceiling,
        true,
        false,
    ),
    entry("green_ratio_max", "绿地率", "", Sense::Ceiling, true, false),
    entry(
        "jobs_per_mu",
        "亩均就业",
        "人/亩",
        Sense::Floor,
        false,
        false,
    ),
];

/// The catalogue entry of `code`.
pub fn catalogued(code: &str) -> Option<&'static CatalogueEntry> {
    CATALOGUE.iter().find(|e| e.code == code)
}
