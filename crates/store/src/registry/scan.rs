//! The rule scan: reads the registry as of a day and runs the domain rules over every live
//! parcel — 闲置土地 (53号令 Art. 2), the §2.5 stock status with 批而未供 ages, and the
//! low-efficiency rules on 亩均税收 — each finding with its reason, inputs and source — and
//! over every approval batch (批次: 满2年未征收, 征收满3年仍未供).
//!
//! A parcel is 批而未供 when it lies in an approved batch and has no supply as of the day;
//! an unsupplied parcel in no batch is outside the stock statistics (未纳入批次).

use super::Registry;
use super::scan_report::{ScanReport, Scanned, tally};
use crate::backend::Store;
use crate::error::StoreResult;
use crate::model::{ScanData, ScanParcel, StatusStep};
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
use landcycle_domain::{AdminCode, BatchRecord, ParcelId, ParcelLifecycle, ParkId, Supply, Uscc};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// The facts a scan needs about one enterprise: its land and its tax per year.
#[derive(Default)]
struct LandUser {
    mu: Decimal,
    tax_yuan: BTreeMap<i16, Decimal>,
    /// 亩均税收 per year, 万元/亩 (empty without land).
    tax_per_mu_wan: BTreeMap<i16, Decimal>,
}

/// Parameters of the rules in force at one place.
pub(super) struct Params {
    idle: IdleParams,
    low: LowEffParams,
    pub(super) unsupplied: UnsuppliedParams,
    grace_months: i32,
}

pub(super) fn params(r: &ResolvedRules) -> StoreResult<Params> {
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
fn first_reached(versions: &[StatusStep], status: ParcelLifecycle) -> Option<Date> {
    versions
        .iter()
        .find(|v| {
            v.status != ParcelLifecycle::Recovered
                && v.status != ParcelLifecycle::Transferred
                && rank(v.status) >= rank(status)
        })
        .map(|v| v.valid_from)
}

/// The scan's bulk-loaded data, indexed by parcel.
struct Indexed<'a> {
    /// Range of each parcel's versions in `data.statuses`.
    versions: HashMap<ParcelId, (usize, usize)>,
    /// Each parcel's latest supply.
    supply: HashMap<ParcelId, &'a Supply>,
    /// Each parcel's first supply contract date.
    first_supplied: HashMap<ParcelId, Date>,
    /// The batch (index in `data.batches`) each registered batch parcel lies in.
    batch_of: HashMap<ParcelId, usize>,
    data: &'a ScanData,
}

impl<'a> Indexed<'a> {
    fn new(data: &'a ScanData) -> Self {
        let mut versions: HashMap<ParcelId, (usize, usize)> =
            HashMap::with_capacity(data.parcels.len());
        let mut start = 0;
        for (i, s) in data.statuses.iter().enumerate() {
            let next = data.statuses.get(i + 1).map(|n| n.parcel_id);
            if next != Some(s.parcel_id) {
                versions.insert(s.parcel_id, (start, i + 1));
                start = i + 1;
            }
        }
        // Ordered by contract date within a parcel: the last one inserted wins.
        let supply = data.supplies.iter().map(|s| (s.parcel_id, s)).collect();
        let mut first_supplied: HashMap<ParcelId, Date> = HashMap::new();
        for s in &data.supplies {
            first_supplied.entry(s.parcel_id).or_insert(s.contract_date);
        }
        let batch_of = data
            .batches
            .iter()
            .enumerate()
            .flat_map(|(i, b)| b.parcel_ids().map(move |p| (p, i)))
            .collect();
        Self {
            versions,
            supply,
            first_supplied,
            batch_of,
            data,
        }
    }

    fn versions(&self, id: ParcelId) -> &'a [StatusStep] {
        self.versions
            .get(&id)
            .and_then(|(a, b)| self.data.statuses.get(*a..*b))
            .unwrap_or(&[])
    }
}

/// Everything one parcel's rules read besides the parcel itself.
struct Context<'a> {
    as_of: Date,
    year: i16,
    users: &'a BTreeMap<Uscc, LandUser>,
    park_avg: &'a BTreeMap<Option<ParkId>, BTreeMap<i16, Decimal>>,
    index: &'a Indexed<'a>,
}

impl<S: Store + ?Sized> Registry<S> {
    /// Scans every live parcel as of `as_of`, using the department figures of
    /// `evaluation_year` and the rules of `rules` in force at each parcel's place on that day.
    /// `progress(done, total)` is called as parcels are scanned.
    ///
    /// The store is read in bulk, once ([`Store::scan_data`]); the rules then run in memory.
    pub fn scan(
        &self,
        rules: &RuleSet,
        as_of: Date,
        evaluation_year: i16,
        progress: &dyn Fn(usize, usize),
    ) -> StoreResult<ScanReport> {
        let data = self.store().scan_data()?;
        let parcels = &data.parcels;
        let users = land_users(&data);
        let park_avg = park_averages(parcels, &users);
        let index = Indexed::new(&data);
        let cx = Context {
            as_of,
            year: evaluation_year,
            users: &users,
            park_avg: &park_avg,
            index: &index,
        };
        let mut loci: Loci = Vec::new();
        let mut findings = Vec::new();
        let mut rows = Vec::with_capacity(parcels.len());
        let step = (parcels.len() / 1000).max(1);
        for (i, p) in parcels.iter().enumerate() {
            let at = locus_at(&mut loci, rules, as_of, &p.jurisdiction, p.park_id.as_ref())?;
            let Some((_, prm)) = loci.get(at) else {
                continue;
            };
            let mut row = scan_parcel(p, prm, &cx, &mut findings)?;
            row.findings_end = findings.len();
            rows.push(row);
            if (i + 1) % step == 0 || i + 1 == parcels.len() {
                progress(i + 1, parcels.len());
            }
        }
        let batch_rows = super::scan_batches::scan_batches(
            &data.batches,
            rules,
            as_of,
            &mut loci,
            &mut findings,
        )?;
        let all: Vec<&Scanned> = rows.iter().collect();
        let by_park = tally(&all, &batch_rows.iter().collect::<Vec<_>>());
        Ok(ScanReport {
            as_of,
            evaluation_year,
            rule_set: rules.name.clone(),
            parcels_scanned: parcels.len(),
            findings,
            by_park,
            rows,
            batch_rows,
        })
    }
}

/// The rule parameters resolved per place (county, park), in first-seen order.
pub(super) type Loci = Vec<((AdminCode, Option<ParkId>), Params)>;

/// The index in `loci` of the parameters in force at a place on `as_of`, resolving them once.
pub(super) fn locus_at(
    loci: &mut Loci,
    rules: &RuleSet,
    as_of: Date,
    county: &AdminCode,
    park: Option<&ParkId>,
) -> StoreResult<usize> {
    if let Some(at) = loci
        .iter()
        .position(|((c, k), _)| c == county && k.as_ref() == park)
    {
        return Ok(at);
    }
    let locus = Locus {
        county: county.clone(),
        park: park.cloned(),
    };
    let prm = params(&rules.resolve(&locus, as_of))?;
    loci.push(((county.clone(), park.cloned()), prm));
    Ok(loci.len() - 1)
}

fn land_users(data: &ScanData) -> BTreeMap<Uscc, LandUser> {
    let mut users: BTreeMap<Uscc, LandUser> = BTreeMap::new();
    for p in &data.parcels {
        if let Some(u) = &p.enterprise {
            users.entry(u.clone()).or_default().mu += p.computed_area_m2.to_mu().0;
        }
    }
    for (u, year, tax) in &data.tax {
        if let Some(lu) = users.get_mut(u) {
            lu.tax_yuan.insert(*year, *tax);
        }
    }
    for lu in users.values_mut() {
        if lu.mu > Decimal::ZERO {
            lu.tax_per_mu_wan = lu
                .tax_yuan
                .iter()
                .map(|(y, t)| (*y, (*t / Decimal::from(10_000) / lu.mu).round_dp(4)))
                .collect();
        }
    }
    users
}

fn scan_parcel(
    p: &ScanParcel,
    prm: &Params,
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
) -> StoreResult<Scanned> {
    let as_of = cx.as_of;
    let mut row = Scanned {
        id: p.id,
        jurisdiction: p.jurisdiction.clone(),
        park: p.park_id.clone(),
        enterprise: p.enterprise.clone(),
        stock: None,
        idle: false,
        idle_two_years: false,
        idle_government_caused: false,
        unsupplied: false,
        low_efficiency: false,
        findings_end: 0,
    };
    if p.status == ParcelLifecycle::Recovered {
        return Ok(row);
    }
    let versions = cx.index.versions(p.id);
    let supply = cx.index.supply.get(&p.id).copied();
    let started =
        rank(p.status) >= rank(ParcelLifecycle::Started) && p.status != ParcelLifecycle::Recovered;
    let completed_on = first_reached(versions, ParcelLifecycle::Completed);
    if p.status.is_supplied() {
        let facts = IdleFacts {
            parcel_id: p.id,
            agreed_start: supply.and_then(|s| s.agreed_start),
            actual_delivery: first_reached(versions, ParcelLifecycle::Delivered),
            started,
            developed_land_area: None,
            required_land_area: None,
            invested: None,
            total_investment: None,
            suspended_since: None,
            land_price: supply.map(|s| s.price),
            gov_causes: vec![],
        };
        match assess_idle(&facts, as_of, &prm.idle)? {
            IdleOutcome::UserCaused(d) => {
                row.idle = true;
                row.idle_two_years = d.recovery_from.is_some_and(|r| r <= as_of);
                out.push(d.finding);
            }
            IdleOutcome::GovernmentCaused(d) => {
                row.idle_government_caused = true;
                out.push(d.finding);
            }
            _ => {}
        }
    }
    // Supplied as of the day: by the first supply contract where the registry has one, by the
    // lifecycle status otherwise (parcels imported as supplied without their contract).
    let supplied = cx
        .index
        .first_supplied
        .get(&p.id)
        .map_or(p.status.is_supplied(), |d| *d <= as_of);
    let batch = cx
        .index
        .batch_of
        .get(&p.id)
        .and_then(|i| cx.index.data.batches.get(*i));
    let stock = classify_stock(
        &StockFacts {
            in_approved_batch: batch.is_some(),
            supplied,
            started,
            agreed_completion: supply.and_then(|s| s.agreed_completion),
            completed_on,
            built_below_contract: false,
            in_production: rank(p.status) >= rank(ParcelLifecycle::InProduction),
            capacity_review_failed: false,
            latest_mu_class: None,
            idle_type_a: row.idle,
        },
        as_of,
        prm.grace_months,
    );
    row.stock = Some(stock.status);
    if let Some(b) = batch.filter(|_| stock.status == StockStatus::Pwg) {
        row.unsupplied = true;
        out.push(unsupplied_finding(p, b, as_of, &prm.unsupplied));
    }
    if let Some((uscc, lu)) = p
        .enterprise
        .as_ref()
        .and_then(|u| cx.users.get(u).map(|lu| (u, lu)))
    {
        let facts = LowEffFacts {
            evaluation_year: cx.year,
            determined_idle: row.idle,
            agreed_completion: supply.and_then(|s| s.agreed_completion),
            completed_on,
            tax_per_mu_wan: lu.tax_per_mu_wan.clone(),
            park_avg_tax_per_mu_wan: cx.park_avg.get(&p.park_id).cloned().unwrap_or_default(),
            ..LowEffFacts::default()
        };
        let a = assess_low_efficiency(&Subject::Enterprise(uscc.clone()), &facts, as_of, &prm.low);
        if !a.findings.is_empty() {
            row.low_efficiency = true;
            out.extend(a.findings.into_iter().map(|f| {
                let mut f = f.input("parcel_id", p.id);
                f.subject = Subject::Parcel(p.id);
                f
            }));
        }
    }
    Ok(row)
}

/// The park's 亩均税收 per year: Σ tax / Σ land of the enterprises holding land in it.
fn park_averages(
    parcels: &[ScanParcel],
    users: &BTreeMap<Uscc, LandUser>,
) -> BTreeMap<Option<ParkId>, BTreeMap<i16, Decimal>> {
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
    let mut out: BTreeMap<Option<ParkId>, BTreeMap<i16, Decimal>> = BTreeMap::new();
    for ((park, y), (t, mu)) in sums {
        if mu > Decimal::ZERO {
            out.entry(park)
                .or_default()
                .insert(y, (t / Decimal::from(10_000) / mu).round_dp(4));
        }
    }
    out
}

fn unsupplied_finding(
    p: &ScanParcel,
    b: &BatchRecord,
    as_of: Date,
    prm: &UnsuppliedParams,
) -> Finding {
    let approved = b.approved_on;
    let batch = &b.id;
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
    .input("batch_id", batch)
    .input("approved_on", approved)
    .input("area_mu", mu)
    .input("age_bucket", &bucket)
    .threshold(format!("年龄段 {bucket}"))
    .reason(
        format!("批次 {batch} 于 {approved} 批准，本地块至今未供应（{mu} 亩，{bucket}年）"),
        format!(
            "in batch {batch}, approved on {approved}; not supplied yet ({mu} mu, age {bucket} years)"
        ),
    )
}
