//! 标准地指标体系 over HTTP (§4.2): the sets a park (or the city) publishes per park × industry,
//! versioned. Publishing never edits a set: a change is a new version with its own
//! `effective_from`, and a project keeps the set it was checked against. An application uses
//! the set in force on its day ([`set_for_application`]), or the default computed from the
//! park's targets when none is stored — its check says which.

use super::{WfOut, WfPage};
use crate::auth::Guard;
use crate::auth::guard::Checked;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use jiff::civil::Date;
use landcycle_domain::access::{Action, Target};
use landcycle_domain::workflow::indicator_sets::{PublishedSet, default_set, in_force};
use landcycle_domain::workflow::standard_land::{Indicator, IndicatorSet};
use landcycle_domain::{DomainError, Park, ParkId};
use landcycle_store::{StoreError, WfKind, WfQuery, WfRecord, WriteMeta};
use serde::Deserialize;
use utoipa::ToSchema;

/// A new version of a park's indicator set for one industry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSetIn {
    /// The park.
    pub park_id: String,
    /// Industry, as applications name it (e.g. 高端装备制造业).
    pub industry: String,
    /// Version label, unique per park × industry (e.g. 2023版).
    pub version: String,
    /// In force from this day; one version per park × industry per day.
    #[schema(value_type = String, format = Date)]
    pub effective_from: Date,
    /// The document adopting it (e.g. the park's 控制性指标体系, plan task 4).
    pub source: String,
    /// The indicators: 3 core, up to 9 optional from §4.2, at most one "+1".
    pub indicators: Vec<Indicator>,
    /// Why (e.g. 管委会会议纪要〔2023〕5号).
    pub reason: String,
}

fn published(r: &WfRecord) -> ApiResult<PublishedSet> {
    serde_json::from_value(r.doc.clone())
        .map_err(|e| ApiError::Internal(format!("stored indicator set {}: {e}", r.id)))
}

/// Every published version for `park` (and `industry` when given), oldest first.
fn sets_of(c: &Checked<'_>, park: &ParkId, industry: Option<&str>) -> ApiResult<Vec<WfRecord>> {
    let q = WfQuery {
        park: Some(park.clone()),
        ..Default::default()
    };
    let mut out = Vec::new();
    for r in c.store().wf_records(WfKind::IndicatorSet, &q)?.items {
        let s = published(&r)?;
        if industry.is_none_or(|i| s.set.industry.trim() == i.trim()) {
            out.push((s.set.effective_from, r));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

/// The set an application filed on `on` is checked against: the stored set in force for the
/// park × industry, or else the default from the park's 亩均税收 target.
pub(crate) fn set_for_application(
    c: &Checked<'_>,
    park: &Park,
    industry: &str,
    on: Date,
) -> ApiResult<IndicatorSet> {
    let stored = sets_of(c, &park.id, Some(industry))?
        .iter()
        .map(|r| published(r).map(|p| p.set))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(match in_force(&stored, &park.id, industry, on) {
        Some(s) => s.clone(),
        None => default_set(
            park.id.clone(),
            industry,
            park.tax_per_mu_target.min_wan,
            on,
        ),
    })
}

fn park_param(params: &Params) -> ApiResult<Option<ParkId>> {
    params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })
}

/// Published indicator set versions of a park (and industry), oldest first; with `in_force_on`
/// only the one in force that day (none: applications then use the park's default).
#[utoipa::path(get, path = "/api/indicator-sets", tag = "workflows",
    params(("park" = Option<String>, Query, description = "Park id"),
        ("industry" = Option<String>, Query, description = "Industry (exact)"),
        ("in_force_on" = Option<jiff::civil::Date>, Query, description = "Only the version in force on this day (needs park and industry)")),
    responses((status = 200, body = WfPage), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Json<WfPage>> {
    params.only(&["park", "industry", "in_force_on"])?;
    let park = park_param(&params)?;
    let industry = params.get("industry").map(str::to_owned);
    let on = params.date("in_force_on")?;
    if on.is_some() && (park.is_none() || industry.is_none()) {
        return Err(DomainError::field(
            "in_force_on",
            None,
            "give park and industry with in_force_on",
            "按日期查询现行指标体系须同时指定园区和行业",
        )
        .into());
    }
    guard
        .run(move |c| {
            let mut items = match &park {
                Some(p) => sets_of(c, p, industry.as_deref())?,
                None => {
                    let all = c
                        .store()
                        .wf_records(WfKind::IndicatorSet, &WfQuery::default())?;
                    let mut v = Vec::new();
                    for r in all.items {
                        let s = published(&r)?;
                        if industry
                            .as_deref()
                            .is_none_or(|i| s.set.industry.trim() == i.trim())
                        {
                            v.push(r);
                        }
                    }
                    v
                }
            };
            if let (Some(on), Some(p), Some(i)) = (on, &park, &industry) {
                let sets = items
                    .iter()
                    .map(|r| published(r).map(|s| s.set))
                    .collect::<ApiResult<Vec<_>>>()?;
                let id = in_force(&sets, p, i, on).and_then(|s| s.id.clone());
                items.retain(|r| Some(&r.id) == id.as_ref());
            }
            Ok(Json(WfPage {
                total: items.len() as u64,
                items: items.iter().map(WfOut::from).collect(),
            }))
        })
        .await
}

/// The set an application filed on a day is checked against, and where it comes from.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct EffectiveSet {
    /// `stored` (a published version) or `default` (from the park's 亩均税收 target: no version
    /// of this park × industry is in force that day).
    pub origin: String,
    /// The set.
    pub set: IndicatorSet,
}

/// The indicator set in force for a park × industry on a day (default today): the published
/// version, or else the default every application then gets — the starting point of a new
/// version.
#[utoipa::path(get, path = "/api/indicator-sets/effective", tag = "workflows",
    params(("park" = String, Query, description = "Park id"),
        ("industry" = String, Query, description = "Industry (exact)"),
        ("on" = Option<jiff::civil::Date>, Query, description = "Day (default today)")),
    responses((status = 200, body = EffectiveSet),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn effective(guard: Guard, params: Params) -> ApiResult<Json<EffectiveSet>> {
    params.only(&["park", "industry", "on"])?;
    let missing =
        |k: &str| ApiError::bad_field(k, None, "required parameter missing", "缺少必填参数");
    let park_id = park_param(&params)?.ok_or_else(|| missing("park"))?;
    let industry = params
        .get("industry")
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .ok_or_else(|| missing("industry"))?
        .to_owned();
    let on = params
        .date("on")?
        .unwrap_or_else(|| jiff::Zoned::now().date());
    guard
        .run(move |c| {
            let park = c.store().park(&park_id)?.ok_or_else(|| {
                ApiError::from(DomainError::field(
                    "park",
                    Some(park_id.as_str()),
                    "no such park",
                    "园区不存在",
                ))
            })?;
            let set = set_for_application(c, &park, &industry, on)?;
            Ok(Json(EffectiveSet {
                origin: if set.id.is_some() {
                    "stored"
                } else {
                    "default"
                }
                .into(),
                set,
            }))
        })
        .await
}

/// One published indicator set version.
#[utoipa::path(get, path = "/api/indicator-sets/{id}", tag = "workflows",
    params(("id" = String, Path, description = "Indicator set id")),
    responses((status = 200, body = WfOut), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn one(guard: Guard, Path(id): Path<String>) -> ApiResult<Json<WfOut>> {
    guard
        .run(move |c| {
            let r = c
                .store()
                .wf_record(WfKind::IndicatorSet, &id)?
                .ok_or_else(|| ApiError::NotFound(format!("indicator set {id} not found")))?;
            Ok(Json(WfOut::from(&r)))
        })
        .await
}

/// Publishes a new version of a park's indicator set for an industry (the city, or the park's
/// own 管委会). Checked against §4.2: exactly the three core indicators, units and directions
/// that fit each indicator, at most 9 optional and one "+1". Past projects keep their set.
#[utoipa::path(post, path = "/api/indicator-sets", tag = "workflows", request_body = IndicatorSetIn,
    responses((status = 201, body = WfOut), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    guard: Guard,
    JsonBody(b): JsonBody<IndicatorSetIn>,
) -> ApiResult<(StatusCode, Json<WfOut>)> {
    let park_id = ParkId::parse(&b.park_id)?;
    if b.reason.trim().is_empty() {
        return Err(DomainError::field("reason", Some(""), "required", "必填").into());
    }
    let user = guard.principal().user.clone();
    let today = jiff::Zoned::now().date();
    let meta = WriteMeta::new(user.clone(), b.reason.clone()).effective(today);
    let rec = guard
        .run(move |c| {
            let park = c.store().park(&park_id)?.ok_or_else(|| {
                ApiError::from(DomainError::field(
                    "park_id",
                    Some(park_id.as_str()),
                    "no such park",
                    "园区不存在",
                ))
            })?;
            let county = park.jurisdiction.code.clone();
            c.check_target(
                Action::WriteRegistry,
                &Target {
                    jurisdiction: Some(county.clone()),
                    park: Some(park_id.clone()),
                    park_jurisdiction: Some(county.clone()),
                    enterprise: None,
                    department: None,
                },
            )?;
            let existing = sets_of(c, &park_id, Some(&b.industry))?;
            let n = c
                .store()
                .wf_records(
                    WfKind::IndicatorSet,
                    &WfQuery {
                        park: Some(park_id.clone()),
                        ..Default::default()
                    },
                )?
                .total
                + 1;
            let set = IndicatorSet {
                id: Some(format!("IS-{}-{n:04}", park_id.as_str())),
                park_id: park_id.clone(),
                industry: b.industry.trim().to_owned(),
                version: b.version.trim().to_owned(),
                effective_from: b.effective_from,
                source: b.source,
                indicators: b.indicators,
            };
            set.validate_for_publication()?;
            for r in &existing {
                let old = published(r)?.set;
                if old.version == set.version {
                    return Err(ApiError::Conflict(format!(
                        "{} {} already has version {} ({}); a new version needs a new label / 该版本号已存在",
                        park_id.as_str(),
                        set.industry,
                        set.version,
                        r.id
                    )));
                }
                if old.effective_from == set.effective_from {
                    return Err(ApiError::Conflict(format!(
                        "{} ({}) already takes effect on {} for {} {}; one version per day / 同一日期已有生效版本",
                        r.id,
                        old.version,
                        set.effective_from,
                        park_id.as_str(),
                        set.industry
                    )));
                }
            }
            let doc = PublishedSet {
                set,
                published_by: user,
                published_on: today,
                reason: b.reason.clone(),
            };
            let rec = WfRecord {
                kind: WfKind::IndicatorSet,
                id: doc.set.id.clone().unwrap_or_default(),
                version: 0,
                park_id: Some(park_id),
                jurisdiction: Some(county),
                parcel_id: None,
                enterprise: None,
                status: "published".into(),
                due: None,
                updated_at: jiff::Timestamp::now(),
                doc: serde_json::to_value(&doc).map_err(|e| ApiError::Internal(e.to_string()))?,
            };
            c.registry()
                .put_workflow(rec, None, &meta)
                .map_err(|e| match e {
                    StoreError::Conflict(m) => ApiError::Conflict(m),
                    e => e.into(),
                })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(WfOut::from(&rec))))
}
