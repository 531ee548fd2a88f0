//! 增存挂钩 (plan task 16, §2.3): each county's stock-disposal record computed from the data,
//! ready for [`allocate_quota`]:
//!
//! - 批而未供消化 last year: over the county's batches, the area disposed in
//!   `(31 Dec of year−2, 31 Dec of year−1]` (cut at `as_of` when earlier) by the disposal kinds
//!   the rule set in force at each batch's place counts (`disposal_kinds_counted`);
//! - 闲置处置 last year: idle-land cases (闲置土地处置案件) that reached 处置完毕 (`closed`) or
//!   已无偿收回 (`recovered`) in that period, each with its parcel's area (registered, else
//!   computed);
//! - window 供地率: the batches approved in the `quota.supply_rate_years` calendar years before
//!   the year, supplied by `as_of`;
//! - 基础指标 and 处置任务: no record holds them, so they come from the rule set (`quota.base_mu`,
//!   `quota.task_mu`, resolved at the county, so a county-scoped amendment sets a county's
//!   figure from its date) unless the request gives them; each line says which.
//!
//! The formula's ratios, threshold and rounding are resolved at the city (the allocation is
//! the city's), so a county cannot change the terms it is measured by.

use super::Registry;
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::workflow::{WfKind, WfQuery};
use jiff::civil::{Date, date};
use landcycle_domain::rules::config::{Confidence, Locus, ResolvedRules};
use landcycle_domain::rules::unsupplied::WindowRate;
use landcycle_domain::rules::{
    ApprovalBatch, CountyStock, QuotaAllocation, QuotaParams, RuleSet, allocate_quota,
};
use landcycle_domain::units::AreaM2;
use landcycle_domain::{AdminCode, FieldError};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Figures given with the request, per county, in 亩 (they take precedence over the rule set).
#[derive(Debug, Clone, Default)]
pub struct QuotaOverrides {
    /// 基础指标 per county.
    pub base_mu: BTreeMap<AdminCode, Decimal>,
    /// 处置任务 per county.
    pub task_mu: BTreeMap<AdminCode, Decimal>,
}

/// One idle-land case disposed of in the period.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IdleDisposal {
    /// Case number.
    pub case_id: String,
    /// The parcel (UUID).
    pub parcel_id: Option<String>,
    /// `closed` (处置完毕) or `recovered` (已无偿收回).
    pub status: String,
    /// Day of the closing transition.
    #[schema(value_type = String, format = Date)]
    pub closed_on: Date,
    /// The parcel's area (registered, else computed), m²; absent when the parcel is unknown
    /// (the case then adds nothing).
    #[schema(value_type = Option<String>)]
    pub area_m2: Option<Decimal>,
}

/// Where a figure came from.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FigureSource {
    /// `request` or `rule_set`.
    pub from: String,
    /// In Chinese, e.g. 规则集 xuchang-default quota.base_mu（411000，2021-01-01起，建议默认）.
    pub label_zh: String,
}

/// One county's inputs with how they were found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountyInputs {
    /// What [`allocate_quota`] reads.
    pub stock: CountyStock,
    /// 批而未供消化, m² (the exact area behind `stock.disposed_unsupplied_mu`).
    pub disposed_unsupplied_m2: Decimal,
    /// Batches of the county (all of them are looked at).
    pub batches: usize,
    /// Batches approved in the window.
    pub window_batches: usize,
    /// 闲置 cases disposed of in the period.
    pub idle_cases: Vec<IdleDisposal>,
    /// Where `base_mu` came from.
    pub base_source: FigureSource,
    /// Where `task_mu` came from.
    pub task_source: FigureSource,
}

/// Every county's inputs and the terms they are measured by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaInputs {
    /// The year allocated.
    pub year: i16,
    /// The data and rules as of this day.
    pub as_of: Date,
    /// The disposal period `(from, to]`.
    pub period_from: Date,
    /// End of the disposal period.
    pub period_to: Date,
    /// First approval year of the 供地率 window.
    pub window_first_year: i16,
    /// Last approval year of the window.
    pub window_last_year: i16,
    /// The city the terms were resolved at.
    pub city: AdminCode,
    /// The formula's terms.
    pub params: QuotaParams,
    /// Counties, by code.
    pub counties: Vec<CountyInputs>,
}

fn invalid(field: &str, value: &str, en: String, zh: String) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, Some(value), en, zh)])
}

fn confidence_zh(c: Confidence) -> &'static str {
    match c {
        Confidence::Verified => "已核实",
        Confidence::Recalled => "据记忆",
        Confidence::LocalExample => "外地示例",
        Confidence::ProposedDefault => "建议默认",
    }
}

/// A county figure: the request's, else the rule set's at the county.
fn figure(
    given: Option<&Decimal>,
    param: &str,
    key: &str,
    r: &ResolvedRules,
) -> StoreResult<(Decimal, FigureSource)> {
    if let Some(v) = given {
        return Ok((
            *v,
            FigureSource {
                from: "request".into(),
                label_zh: format!("请求参数 {param}"),
            },
        ));
    }
    let p = r.get(key)?;
    let v = r.number(key)?;
    Ok((
        v,
        FigureSource {
            from: "rule_set".into(),
            label_zh: format!(
                "规则集 {} {key}（适用范围 {}，{}起，{}）",
                r.rule_set,
                p.jurisdiction_code.code(),
                p.effective_from,
                confidence_zh(p.confidence)
            ),
        },
    ))
}

impl<S: Store + ?Sized> Registry<S> {
    /// Each county's stock-disposal record for allocating `year`'s quota, from the data as of
    /// `as_of` (default 31 December of the year before). Refused, with the field named, when
    /// `as_of` lies before that year or the counties span more than one city.
    pub fn quota_inputs(
        &self,
        rules: &RuleSet,
        year: i16,
        as_of: Option<Date>,
        given: &QuotaOverrides,
    ) -> StoreResult<QuotaInputs> {
        let period_from = date(year - 2, 12, 31);
        let last_day = date(year - 1, 12, 31);
        let as_of = as_of.unwrap_or(last_day);
        if as_of <= period_from {
            return Err(invalid(
                "as_of",
                &as_of.to_string(),
                format!("before the disposal year {} of the allocation", year - 1),
                format!("早于挂钩的处置年度{}年", year - 1),
            ));
        }
        let period_to = as_of.min(last_day);
        let rows = self.batch_rows(rules, as_of)?;
        let cases = self.idle_disposals(period_from, period_to)?;
        let mut counties: BTreeSet<AdminCode> = BTreeSet::new();
        counties.extend(rows.iter().map(|r| r.batch.jurisdiction.clone()));
        counties.extend(cases.iter().map(|(c, _)| c.clone()));
        counties.extend(
            self.store()
                .parks()?
                .into_iter()
                .map(|p| p.jurisdiction.code),
        );
        counties.extend(given.base_mu.keys().cloned());
        counties.extend(given.task_mu.keys().cloned());
        let cities: BTreeSet<String> = counties
            .iter()
            .map(|c| format!("{}00", &c.as_str()[..4]))
            .collect();
        if cities.len() > 1 {
            let list = cities.into_iter().collect::<Vec<_>>().join(",");
            return Err(invalid(
                "jurisdiction",
                &list,
                "the counties lie in more than one city".into(),
                "县（市、区）分属多个设区市，无法统一分配".into(),
            ));
        }
        let city_code = cities
            .into_iter()
            .next()
            .unwrap_or_else(|| landcycle_domain::rules::XUCHANG.to_owned());
        let city = AdminCode::parse_field(&city_code, "jurisdiction")?;
        let at_city = rules.resolve(
            &Locus {
                county: city.clone(),
                park: None,
            },
            as_of,
        );
        let params = QuotaParams::from_rules(&at_city)?;
        let n = at_city.int("quota.supply_rate_years")?;
        let n = i16::try_from(n.max(1)).unwrap_or(i16::MAX);
        let (first, last) = (year.saturating_sub(n), year - 1);
        let mut out = Vec::new();
        for county in counties {
            let mine: Vec<_> = rows
                .iter()
                .filter(|r| r.batch.jurisdiction == county)
                .collect();
            let accounts: Vec<ApprovalBatch> = mine.iter().map(|r| r.batch.accounting()).collect();
            let disposed_m2: Decimal = mine
                .iter()
                .zip(&accounts)
                .map(|(r, b)| b.disposed_between(period_from, period_to, &r.params.kinds_counted))
                .sum();
            let window = WindowRate::compute(&accounts, first, last, as_of);
            let idle_cases: Vec<IdleDisposal> = cases
                .iter()
                .filter(|(c, _)| *c == county)
                .map(|(_, d)| d.clone())
                .collect();
            let idle_m2: Decimal = idle_cases.iter().filter_map(|d| d.area_m2).sum();
            let at_county = rules.resolve(
                &Locus {
                    county: county.clone(),
                    park: None,
                },
                as_of,
            );
            let (base_mu, base_source) = figure(
                given.base_mu.get(&county),
                "base_mu",
                "quota.base_mu",
                &at_county,
            )?;
            let (task_mu, task_source) = figure(
                given.task_mu.get(&county),
                "task_mu",
                "quota.task_mu",
                &at_county,
            )?;
            out.push(CountyInputs {
                stock: CountyStock {
                    county,
                    base_mu,
                    disposed_unsupplied_mu: AreaM2(disposed_m2).to_mu().0,
                    disposed_idle_mu: AreaM2(idle_m2).to_mu().0,
                    task_mu,
                    window_approved_m2: window.approved_m2,
                    window_supplied_m2: window.supplied_m2,
                },
                disposed_unsupplied_m2: disposed_m2,
                batches: mine.len(),
                window_batches: accounts
                    .iter()
                    .filter(|b| (first..=last).contains(&b.approved_on.year()))
                    .count(),
                idle_cases,
                base_source,
                task_source,
            });
        }
        Ok(QuotaInputs {
            year,
            as_of,
            period_from,
            period_to,
            window_first_year: first,
            window_last_year: last,
            city,
            params,
            counties: out,
        })
    }

    /// The allocation of `total_mu` over [`Self::quota_inputs`].
    pub fn quota_allocation(
        &self,
        rules: &RuleSet,
        year: i16,
        as_of: Option<Date>,
        given: &QuotaOverrides,
        total_mu: Decimal,
    ) -> StoreResult<(QuotaInputs, QuotaAllocation)> {
        let inputs = self.quota_inputs(rules, year, as_of, given)?;
        let stocks: Vec<CountyStock> = inputs.counties.iter().map(|c| c.stock.clone()).collect();
        let alloc = allocate_quota(total_mu, &stocks, &inputs.params).map_err(|e| {
            // The domain names its own input ("quota"); over the API the total is the input.
            let mut v = StoreError::from(e);
            if let StoreError::Invalid(errs) = &mut v {
                for f in errs.iter_mut().filter(|f| f.field == "quota") {
                    f.field = "total_mu".into();
                    f.value = Some(total_mu.to_string());
                }
            }
            v
        })?;
        Ok((inputs, alloc))
    }

    /// Idle-land cases closed (处置完毕) or recovered (已无偿收回) in `(from, to]`, with the
    /// county they count for.
    fn idle_disposals(&self, from: Date, to: Date) -> StoreResult<Vec<(AdminCode, IdleDisposal)>> {
        let mut out = Vec::new();
        for status in ["closed", "recovered"] {
            let q = WfQuery {
                status: Some(status.into()),
                ..WfQuery::default()
            };
            for rec in self.store().wf_records(WfKind::Case, &q)?.items {
                let Some(closed_on) = self
                    .store()
                    .wf_transitions(WfKind::Case, &rec.id)?
                    .into_iter()
                    .rev()
                    .find(|t| t.to == status)
                    .map(|t| t.on)
                else {
                    continue;
                };
                if !(from < closed_on && closed_on <= to) {
                    continue;
                }
                let parcel = match rec.parcel_id {
                    Some(id) => self.store().parcel_latest(id)?,
                    None => None,
                };
                let county = match (&rec.jurisdiction, &parcel) {
                    (Some(c), _) => c.clone(),
                    (None, Some(p)) => p.jurisdiction.clone(),
                    (None, None) => continue,
                };
                let area = parcel
                    .as_ref()
                    .map(|p| p.registered_area_m2.unwrap_or(p.computed_area_m2).0);
                out.push((
                    county,
                    IdleDisposal {
                        case_id: rec.id.clone(),
                        parcel_id: rec.parcel_id.map(|p| p.to_string()),
                        status: status.into(),
                        closed_on,
                        area_m2: area,
                    },
                ));
            }
        }
        out.sort_by(|a, b| (&a.0, &a.1.case_id).cmp(&(&b.0, &b.1.case_id)));
        Ok(out)
    }
}
