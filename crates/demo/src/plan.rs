//! The facts of the Xuchang pilot plan (`data/xuchang-pilot.toml`), parsed into typed structs.
//!
//! The file is facts read off the plan's text, not code: it is embedded at build time and parsed
//! once. Unknown keys are refused so the structs and the file cannot drift apart silently.

use jiff::civil::Date;
use landcycle_domain::AdminCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

/// The text of `data/xuchang-pilot.toml`.
pub const PILOT_TOML: &str = include_str!("../../../data/xuchang-pilot.toml");

/// The whole pilot plan file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PilotPlan {
    /// The plan document itself.
    pub plan: PlanInfo,
    /// Quantified targets and the plan's lists.
    pub targets: Targets,
    /// GB/T 2260 codes of the divisions the plan names, by name.
    pub admin_codes: BTreeMap<String, AdminCode>,
    /// The ten industrial clusters (产业集聚区).
    pub clusters: Vec<Cluster>,
    /// Phases of the pilot.
    pub phases: Vec<Phase>,
    /// Supervision rhythm (保障措施).
    pub supervision: Supervision,
    /// The 27 main tasks (主要任务).
    pub tasks: Vec<PlanTask>,
}

/// The plan document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInfo {
    /// Title of the plan.
    pub name: String,
    /// City (许昌市).
    pub city: String,
    /// Province (河南省).
    pub province: String,
    /// Documents the plan is based on.
    pub basis: Vec<String>,
}

/// Quantified targets of the pilot and the lists the plan gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// 整备、盘活存量建设用地 (亩).
    #[serde(deserialize_with = "decimal")]
    pub stock_land_to_revitalize_mu: Decimal,
    /// Deadline of the stock-land target.
    pub stock_land_revitalize_deadline: Date,
    /// 存量低效用地消化处置率 floor (a ratio).
    #[serde(deserialize_with = "decimal")]
    pub low_efficiency_disposal_rate_min: Decimal,
    /// Deadline of the disposal-rate target.
    pub low_efficiency_disposal_rate_deadline: Date,
    /// 新增工业用地出让年限 maximum (years).
    pub new_industrial_land_max_term_years: u16,
    /// Projects at or above this size (亩) are reviewed strictly and supplied in batches.
    #[serde(deserialize_with = "decimal")]
    pub large_project_threshold_mu: Decimal,
    /// 挂牌督办 cases per cluster, minimum.
    pub supervised_listings_per_cluster_min: u32,
    /// Deadline of the supervised listings.
    pub supervised_listings_deadline: Date,
    /// When the 亩均税收 targets are to be reached.
    pub tax_per_mu_target_horizon: String,
    /// 八大重点新兴产业.
    pub priority_industries: Vec<String>,
    /// 区域评估 items.
    pub regional_assessment_items: Vec<String>,
    /// 弹性供应 modes of industrial land.
    pub flexible_supply_modes: Vec<String>,
    /// 二级市场 instruments.
    pub secondary_market_instruments: Vec<String>,
}

/// One industrial cluster (产业集聚区) as the plan describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// Official name.
    pub name: String,
    /// Estimated centre, longitude (±2–5 km; not survey data).
    pub center_lon: f64,
    /// Estimated centre, latitude.
    pub center_lat: f64,
    /// Planned area in km², when a source gives it.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub area_km2: Option<Decimal>,
    /// Another name the cluster goes by.
    #[serde(default)]
    pub alias: Option<String>,
    /// Name of the governing division (a key of `admin_codes`, except 许昌城乡一体化示范区).
    pub jurisdiction: String,
    /// 主导产业.
    pub lead_industries: Vec<String>,
    /// 亩均税收 target, lower bound (万元/亩).
    #[serde(deserialize_with = "decimal")]
    pub tax_per_mu_min: Decimal,
    /// 亩均税收 target, upper bound (万元/亩); absent for "达到 … 以上".
    #[serde(default, deserialize_with = "opt_decimal")]
    pub tax_per_mu_max: Option<Decimal>,
    /// Roles the plan gives the cluster.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// A phase of the pilot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Name (启动部署阶段 …).
    pub name: String,
    /// First day.
    pub start: Date,
    /// Last day, absent for the open-ended last phase.
    #[serde(default)]
    pub end: Option<Date>,
}

/// How often progress is reported and assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supervision {
    /// 进展报送 rhythm.
    pub progress_report: String,
    /// 观摩评比 rhythm.
    pub observation_ranking: String,
    /// 年度考评 rhythm.
    pub assessment: String,
}

/// One of the plan's main tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTask {
    /// Task number (1–27).
    pub no: u32,
    /// Title.
    pub title: String,
    /// Responsible units; the first leads.
    pub units: Vec<String>,
    /// Deadlines and what is due by each.
    pub deadlines: Vec<Deadline>,
}

/// A dated milestone of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// Due date.
    pub date: Date,
    /// What is due.
    pub what: String,
}

/// Reads a TOML number (integer or float) as an exact decimal of its written digits.
fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let v = f64::deserialize(d)?;
    Decimal::from_str(&v.to_string()).map_err(serde::de::Error::custom)
}

fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal(d).map(Some)
}

impl PilotPlan {
    /// Parses a plan file.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// The code of a division named in the plan. 许昌城乡一体化示范区 has no GB/T 2260 code of
    /// its own (it is a functional zone): it resolves to 建安区 411003, whose land it was carved
    /// from, as the pilot's demo configuration decides.
    pub fn admin_code(&self, name: &str) -> Option<(&str, &AdminCode)> {
        let key = if name == DEMONSTRATION_ZONE {
            "建安区"
        } else {
            name
        };
        self.admin_codes
            .get_key_value(key)
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// 许昌城乡一体化示范区, the one governing body of the plan missing from `[admin_codes]`.
pub const DEMONSTRATION_ZONE: &str = "许昌城乡一体化示范区";

/// The embedded pilot plan, parsed once.
pub fn pilot_plan() -> &'static PilotPlan {
    static PLAN: OnceLock<PilotPlan> = OnceLock::new();
    PLAN.get_or_init(|| {
        // The embedded file is part of the build and covered by a test; failing here would be a
        // packaging error, not a runtime condition.
        PilotPlan::parse(PILOT_TOML).expect("data/xuchang-pilot.toml parses (tested)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_whole_file() {
        let p = PilotPlan::parse(PILOT_TOML).unwrap();
        assert_eq!(p.plan.city, "许昌市");
        assert_eq!(p.clusters.len(), 10);
        assert_eq!(p.tasks.len(), 27);
        assert_eq!(p.phases.len(), 4);
        assert!(p.phases[3].end.is_none());
        assert_eq!(p.targets.new_industrial_land_max_term_years, 20);
        assert_eq!(p.targets.stock_land_to_revitalize_mu, Decimal::from(13_700));
        assert_eq!(
            p.targets.low_efficiency_disposal_rate_min,
            Decimal::new(6, 1)
        );
        assert_eq!(p.targets.priority_industries.len(), 8);
        assert_eq!(p.admin_codes["魏都区"].as_str(), "411002");
        let dazhou = &p.clusters[3];
        assert_eq!(dazhou.area_km2, Some(Decimal::new(934, 2)));
        assert_eq!(p.tasks[7].deadlines[0].date, jiff::civil::date(2021, 9, 30));
        assert_eq!(p.supervision.progress_report, "quarterly");
    }

    #[test]
    fn every_jurisdiction_resolves() {
        let p = pilot_plan();
        for c in &p.clusters {
            assert!(
                p.admin_code(&c.jurisdiction).is_some(),
                "{}",
                c.jurisdiction
            );
        }
        assert_eq!(
            p.admin_code(DEMONSTRATION_ZONE).unwrap().1.as_str(),
            "411003"
        );
        assert!(p.admin_code("郑州市").is_none());
    }

    #[test]
    fn the_data_file_is_the_shared_one() {
        // The demo copy must stay a verbatim copy of the shared facts when both are present.
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/domain/xuchang-pilot.toml");
        if let Ok(text) = std::fs::read_to_string(shared) {
            assert_eq!(text, PILOT_TOML);
        }
    }
}
