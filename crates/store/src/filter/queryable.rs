//! The properties a filter may name (`/queryables`) and the kinds of their values.

/// A property that filters may name (`/queryables`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Queryable {
    /// 宗地代码.
    Code,
    /// Name.
    Name,
    /// 坐落.
    Address,
    /// County-level division (GB/T 2260).
    Jurisdiction,
    /// Park id.
    ParkId,
    /// Lifecycle status (snake_case API name).
    Status,
    /// Land-use classification system.
    LandUseSystem,
    /// Land-use code.
    LandUseCode,
    /// Computed area in 亩.
    AreaMu,
    /// Land user's 统一社会信用代码.
    Enterprise,
    /// Version number.
    Version,
    /// First day of the version.
    ValidFrom,
    /// Last day (exclusive) of the version; null while current.
    ValidTo,
}

/// The type of a queryable's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Text.
    Text,
    /// A number.
    Number,
    /// An integer.
    Integer,
    /// A calendar date.
    Date,
}

impl Queryable {
    /// Every queryable of the parcels collection.
    pub const ALL: [Queryable; 13] = [
        Self::Code,
        Self::Name,
        Self::Address,
        Self::Jurisdiction,
        Self::ParkId,
        Self::Status,
        Self::LandUseSystem,
        Self::LandUseCode,
        Self::AreaMu,
        Self::Enterprise,
        Self::Version,
        Self::ValidFrom,
        Self::ValidTo,
    ];

    /// The name clients use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Name => "name",
            Self::Address => "address",
            Self::Jurisdiction => "jurisdiction",
            Self::ParkId => "park_id",
            Self::Status => "status",
            Self::LandUseSystem => "land_use_system",
            Self::LandUseCode => "land_use_code",
            Self::AreaMu => "area_mu",
            Self::Enterprise => "enterprise",
            Self::Version => "version",
            Self::ValidFrom => "valid_from",
            Self::ValidTo => "valid_to",
        }
    }

    /// The Chinese title shown in `/queryables`.
    pub fn title_zh(self) -> &'static str {
        match self {
            Self::Code => "宗地代码",
            Self::Name => "名称",
            Self::Address => "坐落",
            Self::Jurisdiction => "行政区划代码",
            Self::ParkId => "园区",
            Self::Status => "生命周期状态",
            Self::LandUseSystem => "用地分类体系",
            Self::LandUseCode => "用地分类代码",
            Self::AreaMu => "面积（亩）",
            Self::Enterprise => "用地单位统一社会信用代码",
            Self::Version => "版本",
            Self::ValidFrom => "版本起始日",
            Self::ValidTo => "版本终止日",
        }
    }

    /// Looks a queryable up by name (case-sensitive, as CQL2 property names are).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.name() == name)
    }

    /// Its value type.
    pub fn kind(self) -> ValueKind {
        match self {
            Self::AreaMu => ValueKind::Number,
            Self::Version => ValueKind::Integer,
            Self::ValidFrom | Self::ValidTo => ValueKind::Date,
            _ => ValueKind::Text,
        }
    }

    /// The column holding it in the parcel tables (a fixed identifier, never user text).
    pub fn column(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Name => "name",
            Self::Address => "address",
            Self::Jurisdiction => "jurisdiction",
            Self::ParkId => "park_id",
            Self::Status => "status",
            Self::LandUseSystem => "land_use_system",
            Self::LandUseCode => "land_use_code",
            Self::AreaMu => "area_mu",
            Self::Enterprise => "enterprise_uscc",
            Self::Version => "version",
            Self::ValidFrom => "valid_from",
            Self::ValidTo => "valid_to",
        }
    }
}
