//! 规则参数 — versioned, jurisdiction-scoped rule parameters (§0 and §10 of the domain rules).
//!
//! Every threshold the rules use is a [`RuleParam`]: a value with the jurisdiction it applies
//! to, the period it is in force, its source document and article and a confidence tag. A
//! [`RuleSet`] holds them; [`RuleSet::resolve`] gives the parameters in force for one place on
//! one day, choosing the most specific jurisdiction (park > county > city > province). The
//! resolved set has a version id (a hash of its canonical JSON) that every finding records.

use crate::codes::AdminCode;
use crate::error::{DomainError, DomainResult};
use crate::park::ParkId;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How sure the source of a value is (§0 confidence tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Confidence {
    /// 已核实: wording or number seen in a source.
    Verified,
    /// 据记忆: from general knowledge of the official text; to confirm.
    Recalled,
    /// 外地示例: a sourced value from another locality, not binding here.
    LocalExample,
    /// 建议默认: no source; a reasoned local default.
    ProposedDefault,
}

/// The jurisdiction a parameter applies to (适用范围): a GB/T 2260 division or a park.
/// Written as the code (`411000`) or `park:<id>` (`park:weidu`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Scope {
    /// A division: province (`xx0000`), city (`xxxx00`) or county (other).
    Admin(AdminCode),
    /// A park (产业集聚区), the most specific scope.
    Park(ParkId),
}

impl Scope {
    /// Specificity: province 1, city 2, county 3, park 4.
    pub fn specificity(&self) -> u8 {
        match self {
            Self::Admin(c) if c.as_str().ends_with("0000") => 1,
            Self::Admin(c) if c.as_str().ends_with("00") => 2,
            Self::Admin(_) => 3,
            Self::Park(_) => 4,
        }
    }

    /// True when this scope covers the place.
    pub fn applies_to(&self, locus: &Locus) -> bool {
        match self {
            Self::Admin(c) => c.contains(&locus.county),
            Self::Park(p) => locus.park.as_ref() == Some(p),
        }
    }

    /// The scope as written (`411000`, `park:weidu`).
    pub fn code(&self) -> String {
        match self {
            Self::Admin(c) => c.as_str().to_owned(),
            Self::Park(p) => format!("park:{p}"),
        }
    }
}

impl TryFrom<String> for Scope {
    type Error = DomainError;
    fn try_from(s: String) -> DomainResult<Self> {
        match s.strip_prefix("park:") {
            Some(p) => ParkId::parse(p).map(Self::Park),
            None => AdminCode::parse_field(&s, "jurisdiction_code").map(Self::Admin),
        }
    }
}

impl From<Scope> for String {
    fn from(s: Scope) -> String {
        s.code()
    }
}

/// The place a rule is evaluated for: a county-level division and, inside it, maybe a park.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locus {
    /// County-level division (区县).
    pub county: AdminCode,
    /// The park, when the subject lies in one.
    pub park: Option<ParkId>,
}

/// A parameter value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamValue {
    /// A decimal number (years, ratios given as decimals, 万元/亩 …).
    Number(Decimal),
    /// An exact fraction such as 1/3.
    Fraction {
        /// Numerator.
        num: i64,
        /// Denominator (> 0).
        den: i64,
    },
    /// A date (e.g. a plan deadline).
    Date(Date),
    /// A switch.
    Flag(bool),
    /// A list of codes.
    List(Vec<String>),
    /// A structured configuration (e.g. the 亩均 indicator table).
    Structured(serde_json::Value),
}

/// An exact ratio `num/den` for threshold comparisons without floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExactRatio {
    /// Numerator.
    pub num: Decimal,
    /// Denominator (> 0).
    pub den: Decimal,
}

impl ExactRatio {
    /// Builds `num/den`.
    pub fn new(num: Decimal, den: Decimal) -> Self {
        Self { num, den }
    }

    /// True when `part / whole < num / den`, by cross-multiplication (`part × den < num × whole`).
    /// False when `whole ≤ 0` (the ratio is undefined).
    pub fn part_is_below(&self, part: Decimal, whole: Decimal) -> bool {
        whole > Decimal::ZERO && part * self.den < self.num * whole
    }

    /// The ratio as text: `1/3`, or a percentage when the denominator divides 100 exactly.
    pub fn label(&self) -> String {
        let pct = self.num * Decimal::ONE_HUNDRED / self.den;
        if (pct * self.den) == self.num * Decimal::ONE_HUNDRED && pct.normalize().scale() <= 2 {
            format!("{}%", pct.normalize())
        } else {
            format!("{}/{}", self.num.normalize(), self.den.normalize())
        }
    }
}

/// One versioned, jurisdiction-scoped rule parameter (规则参数).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleParam {
    /// Dotted key, e.g. `idle_land.no_start_years`.
    pub key: String,
    /// The value.
    pub value: ParamValue,
    /// Where it applies.
    pub jurisdiction_code: Scope,
    /// First day in force.
    pub effective_from: Date,
    /// First day no longer in force (exclusive); `None` while in force.
    pub effective_to: Option<Date>,
    /// Source document, e.g. 《闲置土地处置办法》（国土资源部令第53号）.
    pub source_doc: String,
    /// Article or section, e.g. 第二条.
    pub source_article: String,
    /// Confidence tag.
    pub confidence: Confidence,
}

impl RuleParam {
    /// True when in force on `date`.
    pub fn in_force_on(&self, date: Date) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|t| date < t)
    }
}

/// A set of rule parameters for a deployment (规则集), kept in canonical order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    /// Name, e.g. `xuchang-default`.
    pub name: String,
    params: Vec<RuleParam>,
}

/// 64-bit FNV-1a over bytes: a stable, dependency-free content hash (not cryptographic; the
/// full parameters are stored by version id, the id only names them).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn hash_json<T: Serialize>(prefix: &str, v: &T) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    format!("{prefix}-{:016x}", fnv1a64(s.as_bytes()))
}

fn bad(key: &str, reason: &str, reason_zh: &str) -> DomainError {
    DomainError::field(key, None, reason, reason_zh)
}

impl RuleSet {
    /// Builds a set, checking that each period is non-empty and that no two records of the
    /// same key and jurisdiction are in force on the same day.
    pub fn new(name: &str, params: Vec<RuleParam>) -> DomainResult<Self> {
        let mut set = Self::unchecked(name, params);
        set.validate()?;
        set.params.shrink_to_fit();
        Ok(set)
    }

    pub(crate) fn unchecked(name: &str, mut params: Vec<RuleParam>) -> Self {
        params.sort_by(|a, b| {
            (&a.key, &a.jurisdiction_code, a.effective_from).cmp(&(
                &b.key,
                &b.jurisdiction_code,
                b.effective_from,
            ))
        });
        Self {
            name: name.to_owned(),
            params,
        }
    }

    fn validate(&self) -> DomainResult<()> {
        for p in &self.params {
            if p.effective_to.is_some_and(|t| t <= p.effective_from) {
                return Err(bad(
                    &p.key,
                    "effective_to must be after effective_from",
                    "失效日期须晚于生效日期",
                ));
            }
        }
        for w in self.params.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if a.key == b.key
                && a.jurisdiction_code == b.jurisdiction_code
                && a.effective_to.is_none_or(|t| t > b.effective_from)
            {
                return Err(bad(
                    &b.key,
                    &format!(
                        "two versions in force on {} for {}",
                        b.effective_from,
                        b.jurisdiction_code.code()
                    ),
                    &format!(
                        "{}在{}有两个同时生效的版本",
                        b.jurisdiction_code.code(),
                        b.effective_from
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Every record, in canonical order (key, jurisdiction, effective_from).
    pub fn params(&self) -> &[RuleParam] {
        &self.params
    }

    /// The version id of the whole set: a hash of its canonical JSON.
    pub fn version_id(&self) -> String {
        hash_json("rs", self)
    }

    /// A new set where `param` applies from its `effective_from`: the record of the same key and
    /// jurisdiction in force that day is closed the day before; nothing before that day changes.
    pub fn amend(&self, mut param: RuleParam) -> DomainResult<Self> {
        let from = param.effective_from;
        let mut params = self.params.clone();
        let mut next_start: Option<Date> = None;
        for p in params
            .iter_mut()
            .filter(|p| p.key == param.key && p.jurisdiction_code == param.jurisdiction_code)
        {
            if p.effective_from < from && p.effective_to.is_none_or(|t| t > from) {
                p.effective_to = Some(from);
            } else if p.effective_from == from {
                return Err(bad(
                    &param.key,
                    "a version already starts on that day",
                    "该日已有生效的版本",
                ));
            } else if p.effective_from > from {
                next_start = Some(next_start.map_or(p.effective_from, |n| n.min(p.effective_from)));
            }
        }
        if let Some(n) = next_start {
            param.effective_to = Some(param.effective_to.map_or(n, |t| t.min(n)));
        }
        params.push(param);
        Self::new(&self.name, params)
    }

    /// The parameters in force on `date` for `locus`: for each key, the most specific applicable
    /// jurisdiction's version in force that day.
    pub fn resolve(&self, locus: &Locus, date: Date) -> ResolvedRules {
        let mut chosen: BTreeMap<String, &RuleParam> = BTreeMap::new();
        for p in self
            .params
            .iter()
            .filter(|p| p.in_force_on(date) && p.jurisdiction_code.applies_to(locus))
        {
            let better = chosen.get(&p.key).is_none_or(|c| {
                p.jurisdiction_code.specificity() > c.jurisdiction_code.specificity()
            });
            if better {
                chosen.insert(p.key.clone(), p);
            }
        }
        let params: BTreeMap<String, RuleParam> =
            chosen.into_iter().map(|(k, p)| (k, p.clone())).collect();
        // The id covers what was used, not when the record later stops: closing a record by an
        // amendment from a later date leaves the id of earlier evaluations unchanged.
        let used: Vec<_> = params
            .values()
            .map(|p| {
                (
                    &p.key,
                    &p.value,
                    &p.jurisdiction_code,
                    p.effective_from,
                    &p.source_doc,
                    &p.source_article,
                    p.confidence,
                )
            })
            .collect();
        ResolvedRules {
            version: hash_json("rv", &used),
            rule_set: self.name.clone(),
            as_of: date,
            params,
        }
    }
}

/// The parameters in force for one place on one day (生效规则快照).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedRules {
    /// Version id of this snapshot; recorded on every finding as `rule_set_version`.
    pub version: String,
    /// Name of the rule set it came from.
    pub rule_set: String,
    /// The day resolved for.
    pub as_of: Date,
    /// Key → the record chosen.
    pub params: BTreeMap<String, RuleParam>,
}

impl ResolvedRules {
    /// The record for `key`.
    pub fn get(&self, key: &str) -> DomainResult<&RuleParam> {
        self.params.get(key).ok_or_else(|| {
            bad(
                key,
                "rule parameter not configured for this place and date",
                "该地区、该日期未配置此规则参数",
            )
        })
    }

    fn wrong(key: &str, want: &str) -> DomainError {
        bad(
            key,
            &format!("rule parameter must be {want}"),
            &format!("规则参数类型应为{want}"),
        )
    }

    /// A decimal value.
    pub fn number(&self, key: &str) -> DomainResult<Decimal> {
        match &self.get(key)?.value {
            ParamValue::Number(n) => Ok(*n),
            _ => Err(Self::wrong(key, "a number")),
        }
    }

    /// A whole number (years, months, days, decimal places).
    pub fn int(&self, key: &str) -> DomainResult<i32> {
        let n = self.number(key)?;
        if n.fract().is_zero() {
            i32::try_from(n.mantissa() / 10i128.pow(n.scale()))
                .map_err(|_| Self::wrong(key, "a whole number"))
        } else {
            Err(Self::wrong(key, "a whole number"))
        }
    }

    /// An exact ratio, from a fraction or a decimal.
    pub fn ratio(&self, key: &str) -> DomainResult<ExactRatio> {
        match &self.get(key)?.value {
            ParamValue::Fraction { num, den } if *den > 0 => {
                Ok(ExactRatio::new(Decimal::from(*num), Decimal::from(*den)))
            }
            ParamValue::Number(n) => Ok(ExactRatio::new(*n, Decimal::ONE)),
            _ => Err(Self::wrong(key, "a ratio")),
        }
    }

    /// A date value.
    pub fn date(&self, key: &str) -> DomainResult<Date> {
        match &self.get(key)?.value {
            ParamValue::Date(d) => Ok(*d),
            _ => Err(Self::wrong(key, "a date")),
        }
    }

    /// A list value.
    pub fn list(&self, key: &str) -> DomainResult<Vec<String>> {
        match &self.get(key)?.value {
            ParamValue::List(l) => Ok(l.clone()),
            _ => Err(Self::wrong(key, "a list")),
        }
    }

    /// A structured value, deserialised.
    pub fn structured<T: serde::de::DeserializeOwned>(&self, key: &str) -> DomainResult<T> {
        match &self.get(key)?.value {
            ParamValue::Structured(v) => serde_json::from_value(v.clone()).map_err(|e| {
                bad(
                    key,
                    &format!("invalid structured parameter: {e}"),
                    "结构化规则参数无效",
                )
            }),
            _ => Err(Self::wrong(key, "a structured value")),
        }
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
