//! Findings of the rule scan (规则扫描结论): the list, the per-park summary and one parcel's.
//!
//! A scan is computed on demand by [`landcycle_store::Registry::scan`] on a blocking thread.
//! The last full (unscoped) report is kept in memory per `(as_of, year)` together with the
//! store's write generation ([`landcycle_store::Store::generation`]): any write through this
//! server's store bumps the generation and the next request recomputes. Each caller then sees
//! only the parcels of their scope, filtered like the parcel list.

use super::findings_export::{findings_xlsx, label_parcels};
use super::parcel_id;
use super::workflow::wants_xlsx;
use crate::auth::Guard;
use crate::auth::guard::Checked;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Params;
use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use landcycle_domain::ParkId;
use landcycle_domain::rules::{Finding, FindingKind, RuleSet, Subject};
use landcycle_store::{ParcelQuery, ParkTally, ScanFilter, ScanReport};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use utoipa::ToSchema;

/// `(as_of, year, store generation)` of a cached report.
type CacheKey = (Date, i16, u64);

/// The last scan report, keyed by [`CacheKey`].
#[derive(Default)]
pub(crate) struct FindingsCache {
    last: Mutex<Option<(CacheKey, Arc<ScanReport>)>>,
}

impl FindingsCache {
    /// The report for `(as_of, year)`, from the cache when no write happened since.
    fn report(&self, c: &Checked<'_>, as_of: Date, year: i16) -> ApiResult<Arc<ScanReport>> {
        let key = (as_of, year, c.store().generation());
        if let Ok(g) = self.last.lock()
            && let Some((k, r)) = g.as_ref()
            && *k == key
        {
            return Ok(Arc::clone(r));
        }
        let r =
            Arc::new(
                c.registry()
                    .scan(&RuleSet::xuchang_default(), as_of, year, &|_, _| {})?,
            );
        if let Ok(mut g) = self.last.lock() {
            *g = Some((key, Arc::clone(&r)));
        }
        Ok(r)
    }
}

/// Where a finding's rule comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceOut {
    /// Document, e.g. 《闲置土地处置办法》.
    pub doc: String,
    /// Article, e.g. 第二条.
    pub article: String,
}

/// What a finding is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectOut {
    /// `parcel`, `enterprise`, `batch`, `park` or `jurisdiction`.
    pub kind: String,
    /// Its id (UUID, 统一社会信用代码, …).
    pub id: String,
}

/// The parcel a finding is about, as a clerk knows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParcelLabel {
    /// 宗地代码.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Park id.
    pub park_id: Option<String>,
}

/// One finding of the rule scan, with its reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingOut {
    /// Rule id, e.g. `IDLE-A-1Y`, `PWG`, `LE-4`.
    pub rule_id: String,
    /// The inventory it belongs to: `idle` (闲置土地), `unsupplied` (批而未供),
    /// `low_efficiency` (低效用地) or `other`.
    pub kind: String,
    /// The inventory in Chinese.
    pub kind_zh: String,
    /// The parcel, when the finding is about one (its latest record).
    pub parcel: Option<ParcelLabel>,
    /// Version of the rule parameters used.
    pub rule_set_version: String,
    /// What it is about.
    pub subject: SubjectOut,
    /// The day the rules were applied as of.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// The values used, by name.
    pub inputs: BTreeMap<String, String>,
    /// The threshold applied.
    pub threshold: String,
    /// Legal or policy source.
    pub source: SourceOut,
    /// Reason in Chinese, with its citation.
    pub reason_zh: String,
    /// Reason in English.
    pub reason_en: String,
    /// `info`, `notice`, `warning` or `serious`.
    pub severity: String,
    /// Severity in Chinese (提示/关注/预警/严重).
    pub severity_zh: String,
    /// True when an officer must confirm it (discretionary rule).
    pub requires_officer_confirmation: bool,
}

impl From<&Finding> for FindingOut {
    fn from(f: &Finding) -> Self {
        let (kind, id) = match &f.subject {
            Subject::Parcel(p) => ("parcel", p.to_string()),
            Subject::Enterprise(u) => ("enterprise", u.as_str().to_owned()),
            Subject::Batch(b) => ("batch", b.clone()),
            Subject::Park(p) => ("park", p.as_str().to_owned()),
            Subject::Jurisdiction(c) => ("jurisdiction", c.to_string()),
        };
        Self {
            rule_id: f.rule_id.clone(),
            kind: f.kind().as_str().into(),
            kind_zh: f.kind().label_zh().into(),
            parcel: None,
            rule_set_version: f.rule_set_version.clone(),
            subject: SubjectOut {
                kind: kind.into(),
                id,
            },
            as_of: f.as_of,
            inputs: f.inputs.clone(),
            threshold: f.threshold.clone(),
            source: SourceOut {
                doc: f.source.doc.clone(),
                article: f.source.article.clone(),
            },
            reason_zh: f.reason_zh.clone(),
            reason_en: f.reason_en.clone(),
            severity: serde_json::to_value(f.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            severity_zh: f.severity.label_zh().into(),
            requires_officer_confirmation: f.requires_officer_confirmation,
        }
    }
}

/// A page of findings.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingsPage {
    /// The day the rules were applied as of.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// The year of the department figures used.
    pub year: i16,
    /// Rule set name.
    pub rule_set: String,
    /// Findings matching the filters (in the caller's scope).
    pub total: usize,
    /// This page.
    pub findings: Vec<FindingOut>,
}

/// Per-park counts of a scan.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingsSummary {
    /// The day the rules were applied as of.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// The year of the department figures used.
    pub year: i16,
    /// Rule set name.
    pub rule_set: String,
    /// Live parcels scanned (in the caller's scope).
    pub parcels_scanned: usize,
    /// Counts per park id (`-` for parcels outside parks).
    pub by_park: BTreeMap<String, ParkTally>,
}

/// `as_of` (default today) and `year` (default the year before `as_of`).
fn day_and_year(p: &Params) -> ApiResult<(Date, i16)> {
    let as_of = p
        .date("as_of")?
        .unwrap_or_else(|| jiff::Zoned::now().date());
    let year = p
        .int("year", 1990, 2100)?
        .and_then(|y| i16::try_from(y).ok())
        .unwrap_or(as_of.year() - 1);
    Ok((as_of, year))
}

fn rules_param(p: &Params) -> ApiResult<Option<Vec<String>>> {
    p.parse(
        "rule",
        "rule ids, comma-separated, e.g. IDLE-A,PWG,LE-4",
        "规则编号，逗号分隔，如 IDLE-A,PWG,LE-4",
        |v| {
            let ids: Vec<String> = v
                .split(',')
                .map(|s| s.trim().to_ascii_uppercase())
                .collect();
            ids.iter()
                .all(|s| {
                    !s.is_empty()
                        && s.len() <= 16
                        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
                .then_some(ids)
        },
    )
}

/// The caller's scope (and the `park` asked for) as a scan filter, as the parcel list does.
fn scope_filter(c: &Checked<'_>, park: Option<ParkId>) -> ApiResult<ScanFilter> {
    let mut q = ParcelQuery {
        park,
        ..Default::default()
    };
    c.scope_parcels(&mut q)?;
    Ok(ScanFilter {
        jurisdiction: q.jurisdiction,
        park: q.park,
        enterprise: q.enterprise,
    })
}

/// Findings of the rule scan (闲置土地, 批而未供, 低效用地) as of a day, each with its rule,
/// inputs, threshold, source and reason; only parcels in the caller's scope.
#[utoipa::path(get, path = "/api/findings", tag = "findings",
    params(
        ("as_of" = Option<jiff::civil::Date>, Query, description = "Apply the rules as of this day (default today)"),
        ("year" = Option<i16>, Query, description = "Year of the department figures (default the year before as_of)", minimum = 1990, maximum = 2100),
        ("park" = Option<String>, Query, description = "Park id", pattern = "^[a-z0-9-]{1,40}$"),
        ("rule" = Option<String>, Query, description = "Rule ids, comma-separated (IDLE-A-1Y, IDLE-A-2Y, IDLE-B-…, PWG, UNS-ACQ, UNS-NOACQ, LE-1 … LE-9)", pattern = "^[A-Za-z0-9-]{1,16}(,[A-Za-z0-9-]{1,16})*$"),
        ("kind" = Option<String>, Query, description = "Inventory: idle (闲置土地), unsupplied (批而未供), low_efficiency (低效用地) or other", pattern = "^(idle|unsupplied|low_efficiency|other)$"),
        ("limit" = Option<u32>, Query, description = "Page size 1–10000 (default 100; 10000 for xlsx)", minimum = 1, maximum = 10000),
        ("offset" = Option<u64>, Query, description = "Findings to skip", maximum = 9_223_372_036_854_775_807_u64),
        ("format" = Option<String>, Query, description = "json (default) or xlsx: the page as an Excel sheet with Chinese headers", pattern = "^(json|xlsx)$"),
    ),
    responses((status = 200, description = "The findings", content((FindingsPage = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "No rule set in force at a parcel's place on as_of"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Response> {
    params.only(&[
        "as_of", "year", "park", "rule", "kind", "limit", "offset", "format",
    ])?;
    let (as_of, year) = day_and_year(&params)?;
    let park = params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let rules = rules_param(&params)?;
    let kind = params.parse(
        "kind",
        "idle, unsupplied, low_efficiency or other",
        "idle、unsupplied、low_efficiency 或 other",
        FindingKind::parse,
    )?;
    let as_xlsx = wants_xlsx(&params)?;
    let default_limit = if as_xlsx { 10_000 } else { 100 };
    let limit =
        usize::try_from(params.int("limit", 1, 10_000)?.unwrap_or(default_limit)).unwrap_or(100);
    let offset =
        usize::try_from(params.int("offset", 0, u64::MAX >> 1)?.unwrap_or(0)).unwrap_or(usize::MAX);
    let cache = Arc::clone(&guard.state().findings);
    guard
        .run(move |c| {
            let filter = scope_filter(c, park)?;
            let report = cache.report(c, as_of, year)?;
            let wanted = |f: &&Finding| {
                rules.as_ref().is_none_or(|r| r.contains(&f.rule_id))
                    && kind.is_none_or(|k| f.kind() == k)
            };
            let total = report.findings_where(&filter).filter(wanted).count();
            let mut findings: Vec<FindingOut> = report
                .findings_where(&filter)
                .filter(wanted)
                .skip(offset)
                .take(limit)
                .map(FindingOut::from)
                .collect();
            label_parcels(c, &mut findings)?;
            if as_xlsx {
                return findings_xlsx(as_of, year, &findings);
            }
            Ok(Json(FindingsPage {
                as_of,
                year,
                rule_set: report.rule_set.clone(),
                total,
                findings,
            })
            .into_response())
        })
        .await
}

/// Per-park counts of the rule scan (parcels, idle, 批而未供, low efficiency, stock status) over
/// the parcels in the caller's scope.
#[utoipa::path(get, path = "/api/findings/summary", tag = "findings",
    params(
        ("as_of" = Option<jiff::civil::Date>, Query, description = "Apply the rules as of this day (default today)"),
        ("year" = Option<i16>, Query, description = "Year of the department figures (default the year before as_of)", minimum = 1990, maximum = 2100),
    ),
    responses((status = 200, body = FindingsSummary),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "No rule set in force at a parcel's place on as_of")))]
pub async fn summary(guard: Guard, params: Params) -> ApiResult<Json<FindingsSummary>> {
    params.only(&["as_of", "year"])?;
    let (as_of, year) = day_and_year(&params)?;
    let cache = Arc::clone(&guard.state().findings);
    guard
        .run(move |c| {
            let filter = scope_filter(c, None)?;
            let report = cache.report(c, as_of, year)?;
            let (parcels_scanned, by_park) = report.tally_where(&filter);
            Ok(Json(FindingsSummary {
                as_of,
                year,
                rule_set: report.rule_set.clone(),
                parcels_scanned,
                by_park,
            }))
        })
        .await
}

/// The findings of one parcel as of a day (shown next to its history, 一地一档).
#[utoipa::path(get, path = "/api/parcels/{id}/findings", tag = "findings",
    params(
        ("id" = uuid::Uuid, Path, description = "Parcel id"),
        ("as_of" = Option<jiff::civil::Date>, Query, description = "Apply the rules as of this day (default today)"),
        ("year" = Option<i16>, Query, description = "Year of the department figures (default the year before as_of)", minimum = 1990, maximum = 2100),
    ),
    responses((status = 200, body = FindingsPage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "No rule set in force at a parcel's place on as_of"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn of_parcel(
    guard: Guard,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<FindingsPage>> {
    params.only(&["as_of", "year"])?;
    let id = parcel_id(&id)?;
    let (as_of, year) = day_and_year(&params)?;
    let cache = Arc::clone(&guard.state().findings);
    guard
        .run(move |c| {
            if c.store().parcel_latest(id)?.is_none() {
                return Err(ApiError::NotFound(format!("parcel {id} not found")));
            }
            let report = cache.report(c, as_of, year)?;
            let mut findings: Vec<FindingOut> = report
                .findings_of(id)
                .iter()
                .map(FindingOut::from)
                .collect();
            label_parcels(c, &mut findings)?;
            Ok(Json(FindingsPage {
                as_of,
                year,
                rule_set: report.rule_set.clone(),
                total: findings.len(),
                findings,
            }))
        })
        .await
}
