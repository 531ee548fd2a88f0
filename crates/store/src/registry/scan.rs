//! The rule scan: reads the registry as of a day and runs the domain rules over every live
//! parcel — 闲置土地 (53号令 Art. 2), the §2.5 stock status with 批而未供 ages, and the
//! low-efficiency rules on 亩均税收 — each finding with its reason, inputs and source.

use super::Registry;
use crate::backend::Store;
use crate::error::StoreResult;
use crate::model::ParcelQuery;
use jiff::civil::Date;
use landcycle_domain::rules::config::{Locus, ResolvedRules};
use landcycle_domain::rules::finding::docs;
use landcycle_domain::rules::stock_status::production_grace_months;
use landcycle_domain::rules::unsupplied::age_bucket;
use landcycle_domain::rules::{
    Confidence, Finding, IdleFacts, IdleOutcome, IdleParams, LegalSource, LowEffFacts,
    LowEffParams, RuleSet, Severity, StockFacts, StockStatus, Subject, UnsuppliedParams,
    assess_idle, assess_low_efficiency, classify_stock,
};
use landcycle_domain::{Parcel, ParcelLifecycle, ParkId, Uscc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Findings counted for one park.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ParkTally {
    /// Live parcels scanned.
    pub parcels: usize,
    /// Idle, caused by the land user.
    pub idle: usize,
    /// Of these, two years or more (无偿收回 threshold).
    pub idle_two_years: usize,
    /// Idle by the facts, caused by the government (第八条).
    pub idle_government_caused: usize,
    /// 批而未供 parcels.
    pub unsupplied: usize,
    /// Parcels with at least one low-efficiency finding.
    pub low_efficiency: usize,
    /// Parcels by stock status (PWG, GWY …).
    pub stock: BTreeMap<String, usize>,
}

/// The result of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    /// The day the rules were applied as of.
    pub as_of: Date,
    /// The year whose department figures were used.
    pub evaluation_year: i16,
    /// Rule set name.
    pub rule_set: String,
    /// Live parcels scanned.
    pub parcels_scanned: usize,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// Counts per park id (`-` for parcels outside parks).
    pub by_park: BTreeMap<String, ParkTally>,
}

/// The facts a scan needs about one enterprise: its land and its tax per year.
#[derive(Default)]
struct LandUser {
    mu: Decimal,
    tax_yuan: BTreeMap<i16, Decimal>,
}

/// Parameters of the rules in force at one place.
struct Params {
    idle: IdleParams,
    low: LowEffParams,
    unsupplied: UnsuppliedParams,
    grace_months: i32,
}

fn params(r: &ResolvedRules) -> StoreResult<Params> {
    Ok(Params {
        idle: IdleParams::from_rules(r)?,
        low: LowEffParams::from_rules(r)?,
        unsupplied: UnsuppliedParams::from_rules(r)?,
        grace_months: production_grace_months(r)?,
    })
}

fn rank(s: ParcelLifecycle) -> usize {
    ParcelLifecycle::ALL
        .iter()
        .position(|x| *x == s)
        .unwrap_or(0)
}

/// The first day a parcel's history reached `status` or a later stage of the build-out path.
fn first_reached(versions: &[Parcel], status: ParcelLifecycle) -> Option<Date> {
    versions
        .iter()
        .find(|v| {
            v.status != ParcelLifecycle::Recovered
                && v.status != ParcelLifecycle::Transferred
                && rank(v.status) >= rank(status)
        })
        .map(|v| v.valid_from)
}

impl<S: Store + ?Sized> Registry<S> {
    /// Scans every live parcel as of `as_of`, using the department figures of
    /// `evaluation_year` and the rules of `rules` in force at each parcel's place on that day.
    /// `progress(done, total)` is called as parcels are scanned.
    pub fn scan(
        &self,
        rules: &RuleSet,
        as_of: Date,
        evaluation_year: i16,
        progress: &dyn Fn(usize, usize),
    ) -> StoreResult<ScanReport> {
        let parcels = self.live_parcels()?;
        let users = self.land_users(&parcels)?;
        let park_avg = park_averages(&parcels, &users);
        let mut cache: BTreeMap<(String, Option<ParkId>), Params> = BTreeMap::new();
        let mut report = ScanReport {
            as_of,
            evaluation_year,
            rule_set: rules.name.clone(),
            parcels_scanned: parcels.len(),
            findings: Vec::new(),
            by_park: BTreeMap::new(),
        };
        for (i, p) in parcels.iter().enumerate() {
            let key = (p.jurisdiction.as_str().to_owned(), p.park_id.clone());
            if !cache.contains_key(&key) {
                let locus = Locus {
                    county: p.jurisdiction.clone(),
                    park: p.park_id.clone(),
                };
                cache.insert(key.clone(), params(&rules.resolve(&locus, as_of))?);
            }
            let Some(prm) = cache.get(&key) else { continue };
            let tally = report
                .by_park
                .entry(
                    p.park_id
                        .as_ref()
                        .map_or("-".to_owned(), |x| x.as_str().to_owned()),
                )
                .or_default();
            let found =
                self.scan_parcel(p, prm, as_of, evaluation_year, &users, &park_avg, tally)?;
            report.findings.extend(found);
            progress(i + 1, parcels.len());
        }
        Ok(report)
    }

    fn live_parcels(&self) -> StoreResult<Vec<Parcel>> {
        let mut out = Vec::new();
        loop {
            let page = self.store().parcels(&ParcelQuery {
                limit: 10_000,
                offset: out.len() as u64,
                ..Default::default()
            })?;
            let n = page.items.len();
            out.extend(page.items);
            if n == 0 || out.len() as u64 >= page.total {
                return Ok(out);
            }
        }
    }

    fn land_users(&self, parcels: &[Parcel]) -> StoreResult<BTreeMap<Uscc, LandUser>> {
        let mut users: BTreeMap<Uscc, LandUser> = BTreeMap::new();
        for p in parcels {
            if let Some(u) = &p.enterprise {
                users.entry(u.clone()).or_default().mu += p.computed_area_m2.to_mu().0;
            }
        }
        for (u, lu) in &mut users {
            lu.tax_yuan = self
                .store()
                .figures(u)?
                .into_iter()
                .map(|f| (f.year, f.tax_yuan))
                .collect();
        }
        Ok(users)
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_parcel(
        &self,
        p: &Parcel,
        prm: &Params,
        as_of: Date,
        year: i16,
        users: &BTreeMap<Uscc, LandUser>,
        park_avg: &BTreeMap<(Option<ParkId>, i16), Decimal>,
        tally: &mut ParkTally,
    ) -> StoreResult<Vec<Finding>> {
        tally.parcels += 1;
        let mut out = Vec::new();
        if p.status == ParcelLifecycle::Recovered {
            *tally.stock.entry("RECOVERED".into()).or_default() += 1;
            return Ok(out);
        }
        let versions = self.store().parcel_versions(p.id)?;
        let supply = self.store().supplies_of_parcel(p.id)?.pop();
        let started = rank(p.status) >= rank(ParcelLifecycle::Started)
            && p.status != ParcelLifecycle::Recovered;
        let completed_on = first_reached(&versions, ParcelLifecycle::Completed);
        let mut idle_a = false;
        if p.status.is_supplied() {
            let facts = IdleFacts {
                parcel_id: p.id,
                agreed_start: supply.as_ref().and_then(|s| s.agreed_start),
                actual_delivery: first_reached(&versions, ParcelLifecycle::Delivered),
                started,
                developed_land_area: None,
                required_land_area: None,
                invested: None,
                total_investment: None,
                suspended_since: None,
                land_price: supply.as_ref().map(|s| s.price),
                gov_causes: vec![],
            };
            match assess_idle(&facts, as_of, &prm.idle)? {
                IdleOutcome::UserCaused(d) => {
                    idle_a = true;
                    tally.idle += 1;
                    if d.recovery_from.is_some_and(|r| r <= as_of) {
                        tally.idle_two_years += 1;
                    }
                    out.push(d.finding);
                }
                IdleOutcome::GovernmentCaused(d) => {
                    tally.idle_government_caused += 1;
                    out.push(d.finding);
                }
                _ => {}
            }
        }
        let stock = classify_stock(
            &StockFacts {
                in_approved_batch: true,
                supplied: p.status.is_supplied(),
                started,
                agreed_completion: supply.as_ref().and_then(|s| s.agreed_completion),
                completed_on,
                built_below_contract: false,
                in_production: rank(p.status) >= rank(ParcelLifecycle::InProduction),
                capacity_review_failed: false,
                latest_mu_class: None,
                idle_type_a: idle_a,
            },
            as_of,
            prm.grace_months,
        );
        *tally
            .stock
            .entry(format!("{:?}", stock.status).to_uppercase())
            .or_default() += 1;
        if stock.status == StockStatus::Pwg {
            tally.unsupplied += 1;
            out.push(unsupplied_finding(p, &versions, as_of, &prm.unsupplied));
        }
        if let Some(u) = p
            .enterprise
            .as_ref()
            .and_then(|u| users.get(u).map(|lu| (u, lu)))
        {
            let (uscc, lu) = u;
            let tax_per_mu_wan: BTreeMap<i16, Decimal> = lu
                .tax_yuan
                .iter()
                .filter(|_| lu.mu > Decimal::ZERO)
                .map(|(y, t)| (*y, (*t / Decimal::from(10_000) / lu.mu).round_dp(4)))
                .collect();
            let park_avg_tax_per_mu_wan = park_avg
                .iter()
                .filter(|((park, _), _)| *park == p.park_id)
                .map(|((_, y), v)| (*y, *v))
                .collect();
            let facts = LowEffFacts {
                evaluation_year: year,
                determined_idle: idle_a,
                agreed_completion: supply.as_ref().and_then(|s| s.agreed_completion),
                completed_on,
                tax_per_mu_wan,
                park_avg_tax_per_mu_wan,
                ..LowEffFacts::default()
            };
            let a =
                assess_low_efficiency(&Subject::Enterprise(uscc.clone()), &facts, as_of, &prm.low);
            if !a.findings.is_empty() {
                tally.low_efficiency += 1;
                out.extend(a.findings.into_iter().map(|f| {
                    let mut f = f.input("parcel_id", p.id);
                    f.subject = Subject::Parcel(p.id);
                    f
                }));
            }
        }
        Ok(out)
    }
}

/// The park's 亩均税收 per year: Σ tax / Σ land of the enterprises holding land in it.
fn park_averages(
    parcels: &[Parcel],
    users: &BTreeMap<Uscc, LandUser>,
) -> BTreeMap<(Option<ParkId>, i16), Decimal> {
    let mut home: BTreeMap<&Uscc, &Option<ParkId>> = BTreeMap::new();
    for p in parcels {
        if let Some(u) = &p.enterprise {
            home.entry(u).or_insert(&p.park_id);
        }
    }
    let mut sums: BTreeMap<(Option<ParkId>, i16), (Decimal, Decimal)> = BTreeMap::new();
    for (u, park) in home {
        let Some(lu) = users.get(u) else { continue };
        for (y, t) in &lu.tax_yuan {
            let e = sums.entry((park.clone(), *y)).or_default();
            e.0 += *t;
            e.1 += lu.mu;
        }
    }
    sums.into_iter()
        .filter(|(_, (_, mu))| *mu > Decimal::ZERO)
        .map(|(k, (t, mu))| (k, (t / Decimal::from(10_000) / mu).round_dp(4)))
        .collect()
}

fn unsupplied_finding(
    p: &Parcel,
    versions: &[Parcel],
    as_of: Date,
    prm: &UnsuppliedParams,
) -> Finding {
    let approved = versions.first().map_or(p.valid_from, |v| v.valid_from);
    let bucket = age_bucket(approved, as_of, &prm.age_buckets_years);
    let mu = p.computed_area_m2.to_mu().display();
    Finding::new(
        "PWG",
        &prm.rule_set_version,
        Subject::Parcel(p.id),
        as_of,
        LegalSource::new(docs::UNSUPPLIED_2019, "批而未供土地认定"),
        Confidence::Recalled,
        Severity::Warning,
    )
    .input("approved_on", approved)
    .input("area_mu", mu)
    .input("age_bucket", &bucket)
    .threshold(format!("年龄段 {bucket}"))
    .reason(
        format!("{approved} 批准后至今未供应（{mu} 亩，{bucket}）"),
        format!("approved on {approved}, not supplied yet ({mu} mu, age {bucket})"),
    )
}
