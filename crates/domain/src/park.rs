//! 行政区 (jurisdiction) and 产业集聚区 (park).

use crate::codes::AdminCode;
use crate::error::{DomainError, DomainResult};
use geo_types::MultiPolygon;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A jurisdiction (行政区): a GB/T 2260 division with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Jurisdiction {
    /// GB/T 2260 code.
    pub code: AdminCode,
    /// Name, e.g. 魏都区.
    pub name: String,
}

/// A park's short, URL-safe id (e.g. `weidu`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "weidu")]
pub struct ParkId(String);

impl ParkId {
    /// Parses an id: 1–40 characters of `a-z`, `0-9` and `-`.
    pub fn parse(s: &str) -> DomainResult<Self> {
        let ok = (1..=40).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::field(
                "park_id",
                Some(s),
                "must be 1–40 characters of a-z, 0-9 and '-'",
                "园区编号应为1—40位小写字母、数字或“-”",
            ))
        }
    }
    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ParkId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ParkId {
    type Error = DomainError;
    fn try_from(s: String) -> DomainResult<Self> {
        Self::parse(&s)
    }
}

impl From<ParkId> for String {
    fn from(p: ParkId) -> String {
        p.0
    }
}

/// Another name of a park, in force over a period (产业集聚区 were renamed 开发区 from 2021).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ParkAlias {
    /// The alias.
    pub name: String,
    /// First day in use.
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_from: Option<Date>,
    /// Last day in use (exclusive).
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_to: Option<Date>,
}

/// The 亩均税收 target of a park in 万元/亩: a band, or a floor when `max_wan` is absent
/// ("达到 … 以上").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TaxPerMuTarget {
    /// Lower bound, 万元/亩.
    #[schema(value_type = String)]
    pub min_wan: Decimal,
    /// Upper bound, 万元/亩.
    #[schema(value_type = Option<String>)]
    pub max_wan: Option<Decimal>,
}

impl TaxPerMuTarget {
    /// Where a value falls against the target: below, within, or above the band.
    pub fn position(&self, value_wan: Decimal) -> std::cmp::Ordering {
        if value_wan < self.min_wan {
            std::cmp::Ordering::Less
        } else if self.max_wan.is_some_and(|m| value_wan > m) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }
}

/// A park (产业集聚区 / 开发区).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Park {
    /// Id.
    pub id: ParkId,
    /// Official name.
    pub name: String,
    /// Other names with their periods.
    pub aliases: Vec<ParkAlias>,
    /// The jurisdiction that governs it.
    pub jurisdiction: Jurisdiction,
    /// 主导产业.
    pub lead_industries: Vec<String>,
    /// 亩均税收 target.
    pub tax_per_mu_target: TaxPerMuTarget,
    /// Planned area in km², when known.
    pub area_km2: Option<Decimal>,
    /// Roles the pilot plan gives it (先行区, 试点 …).
    pub roles: Vec<String>,
    /// Boundary in CGCS2000 lon/lat.
    pub boundary: Option<MultiPolygon<f64>>,
}

impl Park {
    /// The name in force on a date: a dated alias whose period covers it, else the official
    /// name. An undated alias is another name for the same park, not a renaming.
    pub fn name_on(&self, date: Date) -> &str {
        self.aliases
            .iter()
            .filter(|a| a.valid_from.is_some() || a.valid_to.is_some())
            .find(|a| a.valid_from.is_none_or(|f| f <= date) && a.valid_to.is_none_or(|t| date < t))
            .map_or(self.name.as_str(), |a| a.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_band_and_floor() {
        let band = TaxPerMuTarget {
            min_wan: Decimal::from(20),
            max_wan: Some(Decimal::from(30)),
        };
        assert_eq!(band.position(Decimal::from(19)), std::cmp::Ordering::Less);
        assert_eq!(band.position(Decimal::from(20)), std::cmp::Ordering::Equal);
        assert_eq!(band.position(Decimal::from(30)), std::cmp::Ordering::Equal);
        assert_eq!(
            band.position(Decimal::from(31)),
            std::cmp::Ordering::Greater
        );
        let floor = TaxPerMuTarget {
            min_wan: Decimal::from(15),
            max_wan: None,
        };
        assert_eq!(floor.position(Decimal::from(99)), std::cmp::Ordering::Equal);
    }

    #[test]
    fn park_ids() {
        assert!(ParkId::parse("weidu").is_ok());
        assert!(ParkId::parse("Weidu").is_err());
        assert!(ParkId::parse("").is_err());
        assert!(ParkId::parse("../etc").is_err());
    }

    #[test]
    fn alias_by_date() {
        let p = Park {
            id: ParkId::parse("weidu").unwrap(),
            name: "魏都产业集聚区".into(),
            aliases: vec![ParkAlias {
                name: "许昌魏都高新技术产业开发区".into(),
                valid_from: Some(jiff::civil::date(2022, 1, 1)),
                valid_to: None,
            }],
            jurisdiction: Jurisdiction {
                code: AdminCode::parse("411002").unwrap(),
                name: "魏都区".into(),
            },
            lead_industries: vec![],
            tax_per_mu_target: TaxPerMuTarget {
                min_wan: Decimal::from(15),
                max_wan: None,
            },
            area_km2: None,
            roles: vec![],
            boundary: None,
        };
        assert_eq!(p.name_on(jiff::civil::date(2021, 6, 30)), "魏都产业集聚区");
        assert_eq!(
            p.name_on(jiff::civil::date(2022, 6, 30)),
            "许昌魏都高新技术产业开发区"
        );
    }
}
