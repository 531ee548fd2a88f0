//! The rule scan: reads the registry as of a day and runs the domain rules over every live
//! parcel — 闲置土地 (53号令 Art. 2), the §2.5 stock status with 批而未供 ages, and the
//! low-efficiency rules on 亩均税收 — each finding with its reason, inputs and source — and
//! over every approval batch (批次: 满2年未征收, 征收满3年仍未供).
//!
//! A parcel is 批而未供 when it lies in an approved batch and has no supply as of the day;
//! an unsupplied parcel in no batch is outside the stock statistics (未纳入批次).

use super::Registry;
use super::scan_index::{Indexed, LandUser, land_users, park_averages};
use super::scan_report::{ScanNames, ScanReport, Scanned, tally};
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
use landcycle_domain::{AdminCode, BatchRecord, ParcelLifecycle, ParkId};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// Parcels evaluated per rayon task: large enough that a task's bookkeeping is noise, small
/// enough that two cores stay busy to the end of each progress step.
const CHUNK: usize = 2048;

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

/// Everything one parcel's rules read besides the parcel itself.
struct Context<'a> {
    as_of: Date,
    year: i16,
    data: &'a ScanData,
    users: &'a [LandUser],
    /// By park slot: 0 for no park, `k + 1` for park `k`.
    park_avg: &'a [BTreeMap<i16, Decimal>],
    index: &'a Indexed<'a>,
}

/// What one chunk of parcels produced: its rows (with `findings_end` relative to the chunk's
/// findings) and its findings.
type ChunkOut = (Vec<Scanned>, Vec<Finding>);

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
        let park_avg = park_averages(&data, &users);
        let index = Indexed::new(&data);
        let cx = Context {
            as_of,
            year: evaluation_year,
            data: &data,
            users: &users,
            park_avg: &park_avg,
            index: &index,
        };
        // The rules in force at each parcel's place, resolved once per place.
        let mut loci: Loci = Vec::new();
        let mut place: HashMap<(u32, Option<u32>), usize> = HashMap::new();
        let mut locus_of = Vec::with_capacity(parcels.len());
        // Neighbouring parcels mostly share their place: ask the map only when it changes.
        let mut last: Option<((u32, Option<u32>), usize)> = None;
        for p in parcels {
            let key = (p.jurisdiction, p.park);
            let at = match last
                .filter(|(k, _)| *k == key)
                .or_else(|| place.get(&key).map(|at| (key, *at)))
            {
                Some((_, at)) => at,
                None => {
                    let county = data.jurisdiction_of(p).ok_or_else(|| {
                        crate::error::StoreError::Backend(format!(
                            "parcel {}: county index {} out of range",
                            p.id, p.jurisdiction
                        ))
                    })?;
                    let at = locus_at(&mut loci, rules, as_of, county, data.park_of(p))?;
                    place.insert(key, at);
                    at
                }
            };
            last = Some((key, at));
            locus_of.push(at);
        }
        // The rules run in parallel over chunks of parcels; the chunks' outputs are joined in
        // parcel order, so the findings are in the same order as a sequential scan's. Progress
        // is reported between steps of about 1 % of the parcels, from this thread.
        let mut findings = Vec::new();
        let mut rows = Vec::with_capacity(parcels.len());
        let step = (parcels.len() / 100).max(CHUNK);
        let mut done = 0;
        while done < parcels.len() {
            let end = (done + step).min(parcels.len());
            let outs: Vec<StoreResult<ChunkOut>> = (done..end)
                .step_by(CHUNK)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|from| {
                    let to = (from + CHUNK).min(end);
                    let mut rows = Vec::with_capacity(to - from);
                    let mut out = Vec::new();
                    let mut memo = None;
                    for i in from..to {
                        let (Some(p), Some(at)) = (parcels.get(i), locus_of.get(i)) else {
                            continue;
                        };
                        let Some((_, prm)) = loci.get(*at) else {
                            continue;
                        };
                        let mut row = scan_parcel(i, p, prm, &cx, &mut memo, &mut out)?;
                        row.findings_end = out.len();
                        rows.push(row);
                    }
                    Ok((rows, out))
                })
                .collect();
            for out in outs {
                let (chunk_rows, chunk_findings) = out?;
                let base = findings.len();
                rows.extend(chunk_rows.into_iter().map(|mut r| {
                    r.findings_end += base;
                    r
                }));
                findings.extend(chunk_findings);
            }
            done = end;
            progress(done, parcels.len());
        }
        let batch_rows = super::scan_batches::scan_batches(
            &data.batches,
            rules,
            as_of,
            &mut loci,
            &mut findings,
        )?;
        let parcels_scanned = parcels.len();
        drop(index);
        let names = ScanNames {
            jurisdictions: data.jurisdictions,
            parks: data.parks,
            enterprises: data.enterprises,
        };
        let all: Vec<&Scanned> = rows.iter().collect();
        let by_park = tally(&all, &batch_rows.iter().collect::<Vec<_>>(), &names);
        Ok(ScanReport {
            as_of,
            evaluation_year,
            rule_set: rules.name.clone(),
            parcels_scanned,
            findings,
            by_park,
            rows,
            batch_rows,
            names,
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

/// The low-efficiency facts of the last land user and park seen, with the subject: the
/// parcels of one user mostly come together, and cloning its and its park's 亩均税收 series
/// for each of them was most of the low-efficiency rules' time.
type LowMemo = Option<((u32, Option<u32>), LowEffFacts, Subject)>;

fn scan_parcel(
    i: usize,
    p: &ScanParcel,
    prm: &Params,
    cx: &Context<'_>,
    memo: &mut LowMemo,
    out: &mut Vec<Finding>,
) -> StoreResult<Scanned> {
    let as_of = cx.as_of;
    let mut row = Scanned {
        id: p.id,
        jurisdiction: p.jurisdiction,
        park: p.park,
        enterprise: p.enterprise,
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
    let versions = cx.index.versions(i);
    let supply = cx.index.supply.get(i).copied().flatten();
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
        .get(i)
        .copied()
        .flatten()
        .map_or(p.status.is_supplied(), |d| d <= as_of);
    let batch = cx
        .index
        .batch_of
        .get(i)
        .copied()
        .flatten()
        .and_then(|b| cx.data.batches.get(b as usize));
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
    if let (Some(user), Some(uscc), Some(lu)) = (
        p.enterprise,
        cx.data.enterprise_of(p),
        p.enterprise.and_then(|u| cx.users.get(u as usize)),
    ) {
        let key = (user, p.park);
        if memo.as_ref().is_none_or(|(k, _, _)| *k != key) {
            let facts = LowEffFacts {
                evaluation_year: cx.year,
                tax_per_mu_wan: lu.tax_per_mu_wan.clone(),
                park_avg_tax_per_mu_wan: cx
                    .park_avg
                    .get(p.park.map_or(0, |k| k as usize + 1))
                    .cloned()
                    .unwrap_or_default(),
                ..LowEffFacts::default()
            };
            *memo = Some((key, facts, Subject::Enterprise(uscc.clone())));
        }
        if let Some((_, facts, subject)) = memo.as_mut() {
            // The per-parcel facts; the rest is the user's and the park's.
            facts.determined_idle = row.idle;
            facts.agreed_completion = supply.and_then(|s| s.agreed_completion);
            facts.completed_on = completed_on;
            let a = assess_low_efficiency(subject, facts, as_of, &prm.low);
            if !a.findings.is_empty() {
                row.low_efficiency = true;
                out.extend(a.findings.into_iter().map(|f| {
                    let mut f = f.input("parcel_id", p.id);
                    f.subject = Subject::Parcel(p.id);
                    f
                }));
            }
        }
    }
    Ok(row)
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
