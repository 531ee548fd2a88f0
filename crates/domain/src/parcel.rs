//! 宗地 (parcel): the registry's central record (一宗一卡).

use crate::Uscc;
use crate::codes::{AdminCode, ZongdiCode};
use crate::error::{DomainError, DomainResult, Errors, FieldError};
use crate::land_use::LandUse;
use crate::lifecycle::ParcelLifecycle;
use crate::park::ParkId;
use crate::units::AreaM2;
use geo_types::MultiPolygon;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The stable identity of a parcel. It never changes through edits; a split or a merge creates
/// new parcels (new ids) that name their parents.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
#[schema(value_type = String, format = Uuid)]
pub struct ParcelId(pub Uuid);

impl ParcelId {
    /// Parses the id from its text form, naming `field` on error.
    pub fn parse(s: &str, field: &str) -> DomainResult<Self> {
        Uuid::parse_str(s.trim())
            .map(Self)
            .map_err(|_| DomainError::field(field, Some(s), "not a UUID", "不是有效的 UUID"))
    }
}

impl std::fmt::Display for ParcelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// 规划条件: planning conditions attached to a parcel (from its grant or 控规).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanningConditions {
    /// 容积率下限 (floor-area ratio, minimum).
    pub far_min: Option<Decimal>,
    /// 容积率上限.
    pub far_max: Option<Decimal>,
    /// 建筑系数下限 (building coverage, minimum; national floor 30 %).
    pub building_coverage_min: Option<Decimal>,
    /// 绿地率上限.
    pub green_ratio_max: Option<Decimal>,
    /// 建筑限高 (m).
    pub height_max_m: Option<Decimal>,
}

impl PlanningConditions {
    fn validate(&self, errs: &mut Errors) {
        let ratio = |name: &str, v: Option<Decimal>, max: Decimal, errs: &mut Errors| {
            if let Some(v) = v
                && (v < Decimal::ZERO || v > max)
            {
                errs.push(FieldError::new(
                    format!("planning.{name}"),
                    Some(&v.to_string()),
                    format!("must be between 0 and {max}"),
                    format!("应在0到{max}之间"),
                ));
            }
        };
        ratio("far_min", self.far_min, Decimal::from(20), errs);
        ratio("far_max", self.far_max, Decimal::from(20), errs);
        ratio(
            "building_coverage_min",
            self.building_coverage_min,
            Decimal::ONE,
            errs,
        );
        ratio("green_ratio_max", self.green_ratio_max, Decimal::ONE, errs);
        if let (Some(a), Some(b)) = (self.far_min, self.far_max)
            && a > b
        {
            errs.push(FieldError::new(
                "planning.far_min",
                Some(&a.to_string()),
                format!("minimum FAR {a} is above the maximum {b}"),
                format!("容积率下限{a}高于上限{b}"),
            ));
        }
    }
}

/// What a user gives to create or edit a parcel. The registry computes the area and assigns
/// the id and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParcelDraft {
    /// 宗地代码, when registered.
    pub code: Option<String>,
    /// Legacy 宗地号 / 土地证号 aliases.
    pub legacy_codes: Vec<String>,
    /// Name (项目名称 or a short description).
    pub name: String,
    /// 坐落 (location description).
    pub address: Option<String>,
    /// County-level division the parcel lies in.
    pub jurisdiction: String,
    /// The park (产业集聚区) it lies in.
    pub park_id: Option<String>,
    /// 土地用途.
    pub land_use: LandUse,
    /// Lifecycle status.
    pub status: ParcelLifecycle,
    /// Geometry in CGCS2000 (EPSG:4490), lon/lat degrees.
    pub geometry: MultiPolygon<f64>,
    /// 证载面积 in m², when registered.
    pub registered_area_m2: Option<Decimal>,
    /// Current land user (统一社会信用代码).
    pub enterprise: Option<String>,
    /// Planning conditions.
    pub planning: PlanningConditions,
}

/// A draft whose fields passed validation (geometry is checked by the geometry crate).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDraft {
    /// Parsed 宗地代码.
    pub code: Option<ZongdiCode>,
    /// Parsed jurisdiction.
    pub jurisdiction: AdminCode,
    /// Parsed park id.
    pub park_id: Option<ParkId>,
    /// Parsed land user.
    pub enterprise: Option<Uscc>,
    /// The draft itself.
    pub draft: ParcelDraft,
}

impl ParcelDraft {
    /// Validates every attribute and reports all problems at once.
    pub fn validate(self) -> DomainResult<ValidDraft> {
        let mut errs = Errors::new();
        let code = match self
            .code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(c) => errs.take(ZongdiCode::parse_unit(c)),
            None => None,
        };
        let jurisdiction = errs.take(AdminCode::parse(&self.jurisdiction));
        if let (Some(c), Some(j)) = (&code, &jurisdiction)
            && c.county() != *j
            && !j.contains(&c.county())
            && !c.county().contains(j)
        {
            errs.push(FieldError::new(
                "code",
                Some(c.as_str()),
                format!(
                    "宗地代码 county {} differs from the parcel's jurisdiction {j}",
                    c.county()
                ),
                format!("宗地代码中的行政区{}与宗地所属行政区{j}不一致", c.county()),
            ));
        }
        let park_id = match self.park_id.as_deref() {
            Some(p) => errs.take(ParkId::parse(p)),
            None => None,
        };
        let enterprise = match self
            .enterprise
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(u) => errs.take(Uscc::parse(u).map_err(|e| {
                match e {
                    DomainError::Invalid(v) => DomainError::Invalid(
                        v.into_iter()
                            .map(|f| FieldError {
                                field: "enterprise".into(),
                                ..f
                            })
                            .collect(),
                    ),
                    other => other,
                }
            })),
            None => None,
        };
        if self.name.trim().is_empty() {
            errs.push(FieldError::new(
                "name",
                Some(""),
                "must not be empty",
                "名称不能为空",
            ));
        }
        if let Some(a) = self.registered_area_m2
            && a <= Decimal::ZERO
        {
            errs.push(FieldError::new(
                "registered_area_m2",
                Some(&a.to_string()),
                "must be greater than zero",
                "证载面积必须大于0",
            ));
        }
        for (i, l) in self.legacy_codes.iter().enumerate() {
            if l.trim().is_empty() || l.chars().count() > 64 {
                errs.push(FieldError::new(
                    format!("legacy_codes[{i}]"),
                    Some(l),
                    "must be 1–64 characters",
                    "历史宗地号应为1—64个字符",
                ));
            }
        }
        self.planning.validate(&mut errs);
        errs.finish()?;
        match (code, jurisdiction) {
            (code, Some(jurisdiction)) => Ok(ValidDraft {
                code,
                jurisdiction,
                park_id,
                enterprise,
                draft: self,
            }),
            // `finish` returned early if the jurisdiction failed; this arm only satisfies the compiler.
            (_, None) => Err(DomainError::field("jurisdiction", None, "missing", "缺失")),
        }
    }
}

/// Comparison of computed and registered area (§7.2): flagged when they differ by more than
/// a tolerance (default 0.5 %).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AreaCheck {
    /// |computed − registered| / registered.
    pub relative_difference: Decimal,
    /// The tolerance used.
    pub tolerance: Decimal,
    /// True when the difference exceeds the tolerance.
    pub exceeds: bool,
}

impl AreaCheck {
    /// The default tolerance, 0.5 %.
    pub fn default_tolerance() -> Decimal {
        Decimal::new(5, 3)
    }

    /// Compares the two areas; `None` when there is no registered area to compare with.
    pub fn compare(
        computed: AreaM2,
        registered: Option<AreaM2>,
        tolerance: Decimal,
    ) -> Option<Self> {
        let reg = registered?;
        if reg.0 <= Decimal::ZERO {
            return None;
        }
        let relative_difference = ((computed.0 - reg.0).abs() / reg.0).round_dp(6);
        Some(Self {
            relative_difference,
            tolerance,
            exceeds: relative_difference > tolerance,
        })
    }
}

/// One version of a parcel as stored: the record a user sees at a point in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parcel {
    /// Stable id.
    pub id: ParcelId,
    /// Version number, 1 for the first.
    pub version: u32,
    /// 宗地代码.
    pub code: Option<ZongdiCode>,
    /// Legacy 宗地号 aliases.
    pub legacy_codes: Vec<String>,
    /// Name.
    pub name: String,
    /// 坐落.
    pub address: Option<String>,
    /// County-level division.
    pub jurisdiction: AdminCode,
    /// Park.
    pub park_id: Option<ParkId>,
    /// 土地用途.
    pub land_use: LandUse,
    /// Lifecycle status.
    pub status: ParcelLifecycle,
    /// Geometry, CGCS2000 lon/lat.
    pub geometry: MultiPolygon<f64>,
    /// Area computed in the Gauss–Krüger zone.
    pub computed_area_m2: AreaM2,
    /// 证载面积.
    pub registered_area_m2: Option<AreaM2>,
    /// Current land user.
    pub enterprise: Option<Uscc>,
    /// Planning conditions.
    pub planning: PlanningConditions,
    /// Parcels this one was split from or merged from.
    pub parents: Vec<ParcelId>,
    /// First day this version is in force.
    pub valid_from: Date,
    /// Day this version stopped being in force (exclusive), `None` while current.
    pub valid_to: Option<Date>,
}

impl Parcel {
    /// Builds version 1 (or the next version) of a parcel from a validated draft.
    pub fn from_draft(
        id: ParcelId,
        version: u32,
        v: ValidDraft,
        computed_area_m2: AreaM2,
        valid_from: Date,
        parents: Vec<ParcelId>,
    ) -> Self {
        let d = v.draft;
        Self {
            id,
            version,
            code: v.code,
            legacy_codes: d.legacy_codes,
            name: d.name.trim().to_owned(),
            address: d.address,
            jurisdiction: v.jurisdiction,
            park_id: v.park_id,
            land_use: d.land_use,
            status: d.status,
            geometry: d.geometry,
            computed_area_m2,
            registered_area_m2: d.registered_area_m2.map(AreaM2),
            enterprise: v.enterprise,
            planning: d.planning,
            parents,
            valid_from,
            valid_to: None,
        }
    }

    /// The draft that would recreate this version (the starting point of an edit).
    pub fn to_draft(&self) -> ParcelDraft {
        ParcelDraft {
            code: self.code.as_ref().map(|c| c.as_str().to_owned()),
            legacy_codes: self.legacy_codes.clone(),
            name: self.name.clone(),
            address: self.address.clone(),
            jurisdiction: self.jurisdiction.as_str().to_owned(),
            park_id: self.park_id.as_ref().map(|p| p.as_str().to_owned()),
            land_use: self.land_use.clone(),
            status: self.status,
            geometry: self.geometry.clone(),
            registered_area_m2: self.registered_area_m2.map(|a| a.0),
            enterprise: self.enterprise.as_ref().map(|u| u.as_str().to_owned()),
            planning: self.planning.clone(),
        }
    }

    /// True when this version is in force on `date`.
    pub fn in_force_on(&self, date: Date) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|t| date < t)
    }

    /// Area comparison with the default tolerance.
    pub fn area_check(&self, tolerance: Decimal) -> Option<AreaCheck> {
        AreaCheck::compare(self.computed_area_m2, self.registered_area_m2, tolerance)
    }
}

#[cfg(test)]
#[path = "parcel_tests.rs"]
mod tests;
