//! 标准地 (云上供地) over HTTP: the application with its automatic admission check and the
//! revision, and the step helper every later step uses (review, scheme and signing in
//! [`super::grant`], checkpoints and renewal in [`super::supervision`]). Each step is one
//! write: the project's record of the decision, its transition and the records written with
//! it, or nothing when any of it is refused.

use super::cases::request;
use super::{WfOut, load};
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonBody;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use jiff::civil::Date;
use landcycle_domain::access::{Action, Target};
use landcycle_domain::workflow::application::Application;
use landcycle_domain::workflow::engine::DocumentRef;
use landcycle_domain::workflow::project::{StandardLandProject, project_workflow};
use landcycle_domain::{DomainError, ParcelId, ParkId, Uscc};
use landcycle_store::{WfKind, WfQuery, WfRecord, WriteMeta};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A project after a step, with what the step decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepOut {
    /// The project record (its fields at the top level, as every record is sent).
    #[serde(flatten)]
    pub project: WfOut,
    /// The step's result: the admission check (application, revision), the review decision,
    /// the scheme's quote, the stored checkpoints (signing), a checkpoint's result or the
    /// renewal decision.
    #[schema(value_type = Object)]
    pub outcome: serde_json::Value,
}

/// A 标准地 application (云上供地).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationIn {
    /// Project id (default: generated, `BZD-{park}-{n}`).
    pub id: Option<String>,
    /// Project name.
    pub name: String,
    /// Applicant 统一社会信用代码 (a registered enterprise; `applicant` is accepted too).
    #[serde(alias = "applicant")]
    pub uscc: String,
    /// Applicant name as typed; the registered name is the one kept.
    pub applicant_name: Option<String>,
    /// Park.
    pub park_id: String,
    /// Industry.
    pub industry: String,
    /// Planned total investment, 万元.
    #[schema(value_type = String)]
    pub investment_wan: Decimal,
    /// Land asked for, 亩 (or give `area_m2`).
    #[schema(value_type = Option<String>)]
    pub land_mu: Option<Decimal>,
    /// Land asked for, m² (or give `land_mu`).
    #[schema(value_type = Option<String>)]
    pub area_m2: Option<Decimal>,
    /// The 标准地 parcel applied for.
    pub parcel_id: Option<String>,
    /// Committed indicator values (承诺值) by indicator code.
    #[schema(value_type = Object)]
    pub values: BTreeMap<String, Decimal>,
    /// Day filed (default today).
    #[schema(value_type = Option<String>, format = Date)]
    pub on: Option<Date>,
    /// Why (default 标准地用地申请).
    pub change: Option<crate::dto::ChangeIn>,
}

fn invalid(field: &str, value: &str, en: &str, zh: &str) -> ApiError {
    DomainError::field(field, Some(value), en, zh).into()
}

pub(crate) fn to_value<T: Serialize>(v: &T) -> ApiResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| ApiError::Internal(e.to_string()))
}

pub(crate) fn project_of(r: &WfRecord) -> ApiResult<StandardLandProject> {
    serde_json::from_value(r.doc.clone())
        .map_err(|e| ApiError::Internal(format!("stored project {}: {e}", r.id)))
}

/// Files a 标准地 application and checks every admission indicator against the park's set for
/// the industry in force on the day filed, or the park's default when none is stored
/// (`outcome`: the check, indicator by indicator, with target, value and verdict, and which set
/// — `set_id`, `set_version`, `set_origin` — it used).
#[utoipa::path(post, path = "/api/projects", tag = "workflows", request_body = ApplicationIn,
    responses((status = 201, body = StepOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    guard: Guard,
    JsonBody(b): JsonBody<ApplicationIn>,
) -> ApiResult<(StatusCode, Json<StepOut>)> {
    let uscc = Uscc::parse(&b.uscc).map_err(ApiError::from)?;
    let park_id = ParkId::parse(&b.park_id).map_err(ApiError::from)?;
    let parcel = b
        .parcel_id
        .as_deref()
        .map(|p| ParcelId::parse(p, "parcel_id"))
        .transpose()
        .map_err(ApiError::from)?;
    let on = b.on.unwrap_or_else(|| jiff::Zoned::now().date());
    // The land need in 亩 (exact from m²: 亩 = m² × 3 / 2000), given one way only.
    let land_mu = match (b.land_mu, b.area_m2) {
        (Some(mu), None) => mu,
        (None, Some(m2)) => landcycle_domain::AreaM2(m2).to_mu().0,
        _ => {
            return Err(DomainError::field(
                "land_mu",
                None,
                "give the land need once: land_mu (亩) or area_m2",
                "请填写拟用地面积（亩或平方米，二选一）",
            )
            .into());
        }
    };
    let reason = b
        .change
        .as_ref()
        .map_or_else(|| "标准地用地申请".to_owned(), |c| c.reason.clone());
    let meta = WriteMeta::new(guard.principal().user.clone(), reason).effective(on);
    let rec = guard
        .run(move |c| {
            let park = c.store().park(&park_id)?.ok_or_else(|| {
                invalid("park_id", park_id.as_str(), "no such park", "园区不存在")
            })?;
            c.check_record(
                Action::SubmitReport,
                &Target {
                    jurisdiction: Some(park.jurisdiction.code.clone()),
                    park: Some(park_id.clone()),
                    park_jurisdiction: Some(park.jurisdiction.code.clone()),
                    enterprise: Some(uscc.clone()),
                    department: None,
                },
                format!("enterprise {uscc}"),
            )?;
            let ent = c.store().enterprise(&uscc)?.ok_or_else(|| {
                invalid(
                    "uscc",
                    uscc.as_str(),
                    "register the enterprise first",
                    "企业尚未登记",
                )
            })?;
            if let Some(pid) = parcel {
                let p = c.store().parcel(pid, None)?.ok_or_else(|| {
                    invalid(
                        "parcel_id",
                        &pid.to_string(),
                        "no such parcel",
                        "宗地不存在",
                    )
                })?;
                if p.park_id.as_ref() != Some(&park_id) {
                    return Err(invalid(
                        "parcel_id",
                        &pid.to_string(),
                        "the parcel lies in another park",
                        "宗地不在该园区",
                    ));
                }
                // 标准地 is supplied land-to-be: a parcel already granted or in use can never
                // reach a contract, so the application is refused at the door.
                if p.status.is_supplied() {
                    return Err(invalid(
                        "parcel_id",
                        &pid.to_string(),
                        &format!(
                            "the parcel is already supplied ({}): apply for land not yet supplied",
                            p.status.as_str()
                        ),
                        &format!(
                            "该宗地已供应（{}），标准地申请只能选择未供应的土地",
                            p.status.label_zh()
                        ),
                    ));
                }
            }
            let id = match b.id {
                Some(id) => id,
                None => {
                    let q = WfQuery {
                        park: Some(park_id.clone()),
                        ..Default::default()
                    };
                    let n = c.store().wf_records(WfKind::Project, &q)?.total + 1;
                    format!("BZD-{}-{n:04}", park_id.as_str())
                }
            };
            // The set in force on the day filed (stored per park × industry), else the default.
            let set = super::indicator_sets::set_for_application(c, &park, &b.industry, on)?;
            let project = StandardLandProject::apply(
                Application {
                    id,
                    name: b.name,
                    applicant: uscc.clone(),
                    // The registry's name wins; the typed one only fills a blank.
                    applicant_name: if ent.name.trim().is_empty() {
                        b.applicant_name.unwrap_or_default()
                    } else {
                        ent.name.clone()
                    },
                    industry: b.industry,
                    investment_wan: b.investment_wan,
                    land_mu,
                    parcel_id: parcel,
                    values: b.values,
                    on,
                },
                set,
                &project_workflow(),
            )?;
            let rec = WfRecord {
                kind: WfKind::Project,
                id: project.id.clone(),
                version: 0,
                park_id: Some(park_id),
                jurisdiction: Some(park.jurisdiction.code),
                parcel_id: parcel,
                enterprise: Some(uscc),
                status: project.state.status.clone(),
                due: None,
                updated_at: jiff::Timestamp::now(),
                doc: to_value(&project)?,
            };
            Ok(c.registry().put_workflow(rec, None, &meta)?)
        })
        .await?;
    let outcome = rec.doc["admission"].clone();
    Ok((
        StatusCode::CREATED,
        Json(StepOut {
            project: WfOut::from(&rec),
            outcome,
        }),
    ))
}

/// Common fields of a step: the day, why, the version read and the documents.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StepMeta {
    /// Day of the act.
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Why.
    pub reason: String,
    /// The version read (optimistic locking).
    pub version: Option<u32>,
    /// Attached documents.
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
}

/// Takes step `to` on project `id` with `update` recording the decision and `extra` records
/// written alongside; returns the new record.
#[allow(clippy::too_many_arguments)] // one call site per step; a struct would only rename them
pub(crate) async fn step(
    guard: Guard,
    id: String,
    action: Action,
    to: &str,
    m: StepMeta,
    fields: BTreeMap<String, String>,
    update: impl FnOnce(&mut StandardLandProject) -> landcycle_domain::DomainResult<()> + Send + 'static,
    extra: Vec<WfRecord>,
) -> ApiResult<WfRecord> {
    let meta = WriteMeta::new(guard.principal().user.clone(), m.reason.clone()).effective(m.on);
    let mut req = request(
        &guard,
        super::TransitionIn {
            to: to.to_owned(),
            on: m.on,
            reason: m.reason,
            version: m.version,
            fields,
            documents: m.documents,
        },
    );
    req.fields.retain(|_, v| !v.is_empty());
    guard
        .run(move |c| {
            load(c, WfKind::Project, &id, action)?;
            Ok(c.registry()
                .project_step(&id, m.version, &req, &meta, update, extra)?)
        })
        .await
}

/// Revised committed values (修改承诺值), sent by the applicant while the project is returned.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevisionIn {
    /// The values changed, by indicator code.
    #[schema(value_type = Object)]
    pub values: BTreeMap<String, Decimal>,
    /// Day, reason, version, documents.
    #[serde(flatten)]
    pub step: StepMeta,
}

/// The applicant resubmits with revised values; the admission check runs again (`outcome`).
#[utoipa::path(post, path = "/api/projects/{id}/revision", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = RevisionIn, responses((status = 200, body = StepOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn revision(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RevisionIn>,
) -> ApiResult<Json<StepOut>> {
    let values = b.values;
    let rec = step(
        guard,
        id,
        Action::SubmitReport,
        "applied",
        b.step,
        BTreeMap::new(),
        move |p| p.revise(values).map(|_| ()),
        Vec::new(),
    )
    .await?;
    let outcome = rec.doc["admission"].clone();
    Ok(Json(StepOut {
        project: WfOut::from(&rec),
        outcome,
    }))
}
