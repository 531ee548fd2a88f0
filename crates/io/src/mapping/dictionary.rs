//! The built-in dictionary of common header names (Chinese, pinyin initials as used in
//! Shapefiles, English) and the parcel field each stands for.

/// A parcel field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// 宗地代码.
    Code,
    /// 宗地号 / 土地证号 (legacy codes; several columns may feed it).
    LegacyCodes,
    /// 项目名称.
    Name,
    /// 坐落.
    Address,
    /// 行政区代码.
    Jurisdiction,
    /// 园区.
    ParkId,
    /// 土地用途 (code or name).
    LandUseCode,
    /// The land-use classification of the code column.
    LandUseSystem,
    /// 状态.
    Status,
    /// 证载面积 in m².
    AreaM2,
    /// 证载面积 in 亩.
    AreaMu,
    /// 统一社会信用代码 of the land user.
    Enterprise,
    /// 容积率下限.
    FarMin,
    /// 容积率上限.
    FarMax,
    /// 建筑系数 (minimum).
    BuildingCoverageMin,
    /// 绿地率 (maximum).
    GreenRatioMax,
    /// 建筑限高 (m).
    HeightMaxM,
    /// Read and not stored.
    Ignore,
}

impl Target {
    /// The name used in mapping files and in the report's `field`.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Code => "code",
            Target::LegacyCodes => "legacy_codes",
            Target::Name => "name",
            Target::Address => "address",
            Target::Jurisdiction => "jurisdiction",
            Target::ParkId => "park_id",
            Target::LandUseCode => "land_use_code",
            Target::LandUseSystem => "land_use_system",
            Target::Status => "status",
            Target::AreaM2 => "registered_area_m2",
            Target::AreaMu => "registered_area_mu",
            Target::Enterprise => "enterprise",
            Target::FarMin => "planning.far_min",
            Target::FarMax => "planning.far_max",
            Target::BuildingCoverageMin => "planning.building_coverage_min",
            Target::GreenRatioMax => "planning.green_ratio_max",
            Target::HeightMaxM => "planning.height_max_m",
            Target::Ignore => "ignore",
        }
    }

    /// Every target, for parsing and for error messages.
    pub const ALL: [Target; 18] = [
        Target::Code,
        Target::LegacyCodes,
        Target::Name,
        Target::Address,
        Target::Jurisdiction,
        Target::ParkId,
        Target::LandUseCode,
        Target::LandUseSystem,
        Target::Status,
        Target::AreaM2,
        Target::AreaMu,
        Target::Enterprise,
        Target::FarMin,
        Target::FarMax,
        Target::BuildingCoverageMin,
        Target::GreenRatioMax,
        Target::HeightMaxM,
        Target::Ignore,
    ];

    /// Parses a mapping-file value (`code`, `planning.far_min`, `far_min`, `ignore` …).
    pub fn parse(s: &str) -> Option<Target> {
        let s = s.trim();
        Target::ALL
            .into_iter()
            .find(|t| t.as_str() == s || t.as_str().strip_prefix("planning.") == Some(s))
    }
}

/// Normalised header → field. Keys are normalised as [`super::normalize_header`] does
/// (no spaces, half-width parentheses, ASCII lower case).
pub const DICTIONARY: &[(&str, Target)] = &[
    ("宗地代码", Target::Code),
    ("宗地编码", Target::Code),
    ("宗地统一代码", Target::Code),
    ("不动产单元代码", Target::Code),
    ("不动产单元号", Target::Code),
    ("zddm", Target::Code),
    ("code", Target::Code),
    ("宗地号", Target::LegacyCodes),
    ("土地证号", Target::LegacyCodes),
    ("原宗地号", Target::LegacyCodes),
    ("土地证编号", Target::LegacyCodes),
    ("zdh", Target::LegacyCodes),
    ("tdzh", Target::LegacyCodes),
    ("legacy_codes", Target::LegacyCodes),
    ("项目名称", Target::Name),
    ("地块名称", Target::Name),
    ("宗地名称", Target::Name),
    ("名称", Target::Name),
    ("xmmc", Target::Name),
    ("dkmc", Target::Name),
    ("zdmc", Target::Name),
    ("name", Target::Name),
    ("坐落", Target::Address),
    ("土地坐落", Target::Address),
    ("宗地坐落", Target::Address),
    ("地址", Target::Address),
    ("zl", Target::Address),
    ("address", Target::Address),
    ("行政区代码", Target::Jurisdiction),
    ("行政区划代码", Target::Jurisdiction),
    ("行政区", Target::Jurisdiction),
    ("xzqdm", Target::Jurisdiction),
    ("jurisdiction", Target::Jurisdiction),
    ("园区", Target::ParkId),
    ("所属园区", Target::ParkId),
    ("园区编号", Target::ParkId),
    ("园区代码", Target::ParkId),
    ("yq", Target::ParkId),
    ("yqbh", Target::ParkId),
    ("park_id", Target::ParkId),
    ("土地用途", Target::LandUseCode),
    ("用途代码", Target::LandUseCode),
    ("土地用途代码", Target::LandUseCode),
    ("用地类型", Target::LandUseCode),
    ("用途", Target::LandUseCode),
    ("tdyt", Target::LandUseCode),
    ("ytdm", Target::LandUseCode),
    ("land_use_code", Target::LandUseCode),
    ("land_use", Target::LandUseCode),
    ("用途分类", Target::LandUseSystem),
    ("分类体系", Target::LandUseSystem),
    ("land_use_system", Target::LandUseSystem),
    ("状态", Target::Status),
    ("宗地状态", Target::Status),
    ("zt", Target::Status),
    ("status", Target::Status),
    ("统一社会信用代码", Target::Enterprise),
    ("用地单位统一社会信用代码", Target::Enterprise),
    ("信用代码", Target::Enterprise),
    ("社会信用代码", Target::Enterprise),
    ("tyshxydm", Target::Enterprise),
    ("xydm", Target::Enterprise),
    ("uscc", Target::Enterprise),
    ("enterprise", Target::Enterprise),
    ("容积率下限", Target::FarMin),
    ("最低容积率", Target::FarMin),
    ("rjlxx", Target::FarMin),
    ("far_min", Target::FarMin),
    ("容积率上限", Target::FarMax),
    ("最高容积率", Target::FarMax),
    ("rjlsx", Target::FarMax),
    ("far_max", Target::FarMax),
    ("建筑系数", Target::BuildingCoverageMin),
    ("建筑系数下限", Target::BuildingCoverageMin),
    ("jzxs", Target::BuildingCoverageMin),
    ("building_coverage_min", Target::BuildingCoverageMin),
    ("绿地率", Target::GreenRatioMax),
    ("绿地率上限", Target::GreenRatioMax),
    ("ldl", Target::GreenRatioMax),
    ("green_ratio_max", Target::GreenRatioMax),
    ("建筑限高", Target::HeightMaxM),
    ("建筑限高(米)", Target::HeightMaxM),
    ("建筑限高(m)", Target::HeightMaxM),
    ("height_max_m", Target::HeightMaxM),
    ("jzxg", Target::HeightMaxM),
    ("ytfl", Target::LandUseSystem),
    ("registered_area_m2", Target::AreaM2),
    ("area_m2", Target::AreaM2),
    ("registered_area_mu", Target::AreaMu),
    ("area_mu", Target::AreaMu),
    // Read but not stored: the land user is identified by its 统一社会信用代码, terms belong
    // to supply records, and GIS bookkeeping columns carry nothing of the parcel.
    ("用地单位", Target::Ignore),
    ("企业名称", Target::Ignore),
    ("土地使用权人", Target::Ignore),
    ("权利人", Target::Ignore),
    ("出让年限", Target::Ignore),
    ("使用年限", Target::Ignore),
    ("备注", Target::Ignore),
    ("序号", Target::Ignore),
    ("fid", Target::Ignore),
    ("objectid", Target::Ignore),
    ("shape_area", Target::Ignore),
    ("shape_leng", Target::Ignore),
    ("shape_length", Target::Ignore),
    // Written by `landcycle export` and recomputed on import: the parcel id, the areas computed
    // from the geometry, the land-use name next to its code, and the version's start date.
    ("宗地标识", Target::Ignore),
    ("parcel_id", Target::Ignore),
    ("计算面积(平方米)", Target::Ignore),
    ("计算面积(亩)", Target::Ignore),
    ("computed_area_m2", Target::Ignore),
    ("computed_area_mu", Target::Ignore),
    ("jsmj", Target::Ignore),
    ("jsmu", Target::Ignore),
    ("土地用途名称", Target::Ignore),
    ("land_use_name", Target::Ignore),
    ("ytmc", Target::Ignore),
    ("生效日期", Target::Ignore),
    ("valid_from", Target::Ignore),
    ("sxrq", Target::Ignore),
];

/// What an area header's unit says: `Some(AreaMu)`, `Some(AreaM2)`, or `None` when the header
/// names an area without a unit (`面积`, `证载面积`, `MJ`).
pub fn area_unit(normalized: &str) -> Option<Result<Target, ()>> {
    let n = normalized;
    let is_area = n.contains("面积")
        || ["mj", "zzmj", "ydmj", "area"]
            .iter()
            .any(|p| n.starts_with(p));
    if !is_area {
        return None;
    }
    if n.contains('亩') || n.ends_with("mu") {
        Some(Ok(Target::AreaMu))
    } else if ["平方米", "㎡", "m2", "m²", "平米"]
        .iter()
        .any(|u| n.contains(u))
    {
        Some(Ok(Target::AreaM2))
    } else {
        Some(Err(()))
    }
}
