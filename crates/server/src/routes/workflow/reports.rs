//! 批后监管巡查 records with photos, quarterly progress reports (每季度末报送) on tasks,
//! disposal plans and cases, and tasks a city, county or park adds beside the plan's 27.
//! Photos and report attachments are uploaded first as parcel attachments
//! (`POST /api/parcels/{id}/attachments`) and named here by their sha256.

use super::standard_land::to_value;
use super::{WfOut, WfPage, scoped_query, target};
use crate::auth::Guard;
use crate::auth::guard::Checked;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use axum::Json;
use axum::http::StatusCode;
use jiff::civil::Date;
use landcycle_domain::access::{Action, Scope, Target};
use landcycle_domain::workflow::inspection::Inspection;
use landcycle_domain::workflow::reports::{QuarterlyReport, ReportSubject};
use landcycle_domain::workflow::tasks::{Milestone, PlanTask};
use landcycle_domain::{AdminCode, DomainError, ParcelId, ParkId};
use landcycle_store::{WfKind, WfQuery, WfRecord, WriteMeta};
use serde::Deserialize;
use utoipa::ToSchema;

fn invalid(field: &str, value: &str, en: &str, zh: &str) -> ApiError {
    DomainError::field(field, Some(value), en, zh).into()
}

/// Records an inspection (批后监管巡查) of a parcel; every photo must be an attachment of
/// that parcel.
#[utoipa::path(post, path = "/api/inspections", tag = "workflows", request_body = Inspection,
    responses((status = 201, body = WfOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_inspection(
    guard: Guard,
    JsonBody(b): JsonBody<Inspection>,
) -> ApiResult<(StatusCode, Json<WfOut>)> {
    b.validate()?;
    let pid = ParcelId::parse(&b.parcel_id, "parcel_id")?;
    let meta =
        WriteMeta::new(guard.principal().user.clone(), "批后监管巡查").effective(b.inspected_on);
    let rec = guard
        .run(move |c| {
            c.parcel(Action::WriteRegistry, pid)?;
            let p = c.store().parcel(pid, None)?.ok_or_else(|| {
                invalid("parcel_id", &b.parcel_id, "no such parcel", "宗地不存在")
            })?;
            let files = c.store().attachments(pid)?;
            for (i, ph) in b.photos.iter().enumerate() {
                if !files.iter().any(|f| f.sha256 == ph.sha256) {
                    return Err(invalid(
                        &format!("photos[{i}].sha256"),
                        &ph.sha256,
                        "not an attachment of this parcel: upload it first",
                        "不是该宗地的附件，请先上传",
                    ));
                }
            }
            let rec = WfRecord {
                kind: WfKind::Inspection,
                id: b.id.clone(),
                version: 0,
                park_id: p.park_id.clone(),
                jurisdiction: Some(p.jurisdiction.clone()),
                parcel_id: Some(pid),
                enterprise: p.enterprise.clone(),
                status: if b.completed {
                    "completed"
                } else if b.started {
                    "started"
                } else {
                    "not_started"
                }
                .into(),
                due: None,
                updated_at: jiff::Timestamp::now(),
                doc: to_value(&b)?,
            };
            Ok(c.registry().put_workflow(rec, None, &meta)?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(WfOut::from(&rec))))
}

fn list(c: &Checked<'_>, kind: WfKind, parcel: Option<ParcelId>) -> ApiResult<Json<WfPage>> {
    let mut q = scoped_query(c, None)?;
    q.parcel = parcel;
    let page = c.store().wf_records(kind, &q)?;
    Ok(Json(WfPage {
        total: page.total,
        items: page.items.iter().map(WfOut::from).collect(),
    }))
}

/// Inspections in the caller's scope, of one parcel if asked.
#[utoipa::path(get, path = "/api/inspections", tag = "workflows",
    params(("parcel" = Option<String>, Query, description = "Parcel id")), responses((status = 200, body = WfPage)))]
pub async fn inspections(guard: Guard, params: Params) -> ApiResult<Json<WfPage>> {
    params.only(&["parcel"])?;
    let parcel = params.parse("parcel", "a parcel id", "宗地编号", |v| {
        ParcelId::parse(v, "parcel").ok()
    })?;
    guard
        .run(move |c| list(c, WfKind::Inspection, parcel))
        .await
}

/// A quarterly progress report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportIn {
    /// What it reports on.
    pub subject: ReportSubject,
    /// Task number, plan id or case number.
    pub subject_id: String,
    /// Year of the quarter.
    pub year: i16,
    /// Quarter 1–4.
    pub quarter: i8,
    /// Reporting unit.
    pub unit: String,
    /// Progress text.
    pub text: String,
    /// Attachments (sha256 of uploaded attachments).
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Day sent (default today).
    #[schema(value_type = Option<String>, format = Date)]
    pub submitted_on: Option<Date>,
}

/// Sends a quarterly progress report (每季度末报送) on a task, a disposal plan, a case or a
/// 标准地 project (officials; a land user files its own through
/// `POST /api/projects/{id}/progress-reports`); it is stored with who sent it and when, and
/// never edited.
#[utoipa::path(post, path = "/api/progress-reports", tag = "workflows", request_body = ReportIn,
    responses((status = 201, body = WfOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_report(
    guard: Guard,
    JsonBody(b): JsonBody<ReportIn>,
) -> ApiResult<(StatusCode, Json<WfOut>)> {
    let user = guard.principal().user.clone();
    let on = b.submitted_on.unwrap_or_else(|| jiff::Zoned::now().date());
    let meta = WriteMeta::new(user.clone(), "季度进展报告").effective(on);
    let rec = guard
        .run(move |c| {
            let kind = match b.subject {
                ReportSubject::Task => WfKind::Task,
                ReportSubject::DisposalPlan => WfKind::DisposalPlan,
                ReportSubject::Case => WfKind::Case,
                ReportSubject::Project => WfKind::Project,
            };
            // Not found (404) rather than invalid: whether it exists is itself scoped.
            let subject = c.store().wf_record(kind, &b.subject_id)?.ok_or_else(|| {
                ApiError::NotFound(format!("{} {} not found", kind.as_str(), b.subject_id))
            })?;
            c.check_record(
                Action::WriteRegistry,
                &target(c, &subject)?,
                format!("{} {}", kind.as_str(), b.subject_id),
            )?;
            file_report(c, kind, &subject, b, user, on, &meta)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(WfOut::from(&rec))))
}

/// Stores report `b` on `subject` (already checked against the caller's scope): attachments
/// must exist, the report is validated, numbered and kept with the subject's park, county,
/// parcel and enterprise so that it is listed in the same scopes.
pub(crate) fn file_report(
    c: &Checked<'_>,
    kind: WfKind,
    subject: &WfRecord,
    b: ReportIn,
    user: String,
    on: Date,
    meta: &WriteMeta,
) -> ApiResult<WfRecord> {
    for (i, a) in b.attachments.iter().enumerate() {
        if c.store().attachment_parcels(a)?.is_empty() {
            return Err(invalid(
                &format!("attachments[{i}]"),
                a,
                "no such attachment: upload it first",
                "附件不存在，请先上传",
            ));
        }
    }
    let q = WfQuery::default();
    let n = c.store().wf_records(WfKind::ProgressReport, &q)?.total + 1;
    let report = QuarterlyReport {
        id: format!(
            "{}-{}-{}Q{}-{n}",
            kind.as_str(),
            b.subject_id,
            b.year,
            b.quarter
        ),
        subject: b.subject,
        subject_id: b.subject_id,
        year: b.year,
        quarter: b.quarter,
        unit: b.unit,
        submitted_by: user,
        submitted_on: on,
        text: b.text,
        attachments: b.attachments,
    };
    report.validate()?;
    let rec = WfRecord {
        kind: WfKind::ProgressReport,
        id: report.id.clone(),
        version: 0,
        park_id: subject.park_id.clone(),
        jurisdiction: subject.jurisdiction.clone(),
        parcel_id: subject.parcel_id,
        enterprise: subject.enterprise.clone(),
        status: "submitted".into(),
        due: None,
        updated_at: jiff::Timestamp::now(),
        doc: to_value(&report)?,
    };
    Ok(c.registry().put_workflow(rec, None, meta)?)
}

/// Progress reports in the caller's scope (city-wide tasks' reports are visible to all).
#[utoipa::path(get, path = "/api/progress-reports", tag = "workflows", responses((status = 200, body = WfPage)))]
pub async fn reports(guard: Guard, params: Params) -> ApiResult<Json<WfPage>> {
    params.only(&[])?;
    guard
        .run(move |c| {
            let scoped = list(c, WfKind::ProgressReport, None)?.0;
            let all = c
                .store()
                .wf_records(WfKind::ProgressReport, &WfQuery::default())?;
            let mut items = scoped.items;
            for r in all
                .items
                .iter()
                .filter(|r| r.park_id.is_none() && r.jurisdiction.is_none())
            {
                if !items.iter().any(|i| i.id == r.id) {
                    items.push(WfOut::from(r));
                }
            }
            Ok(Json(WfPage {
                total: items.len() as u64,
                items,
            }))
        })
        .await
}

/// A task a city, county or park adds beside the plan's 27.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskIn {
    /// Title.
    pub title: String,
    /// Units, the lead unit first (the plan's convention, 排首位的为牵头单位).
    pub units: Vec<String>,
    /// Milestones.
    pub milestones: Vec<Milestone>,
    /// The park it belongs to (a park's own task).
    pub park_id: Option<String>,
    /// The county it belongs to (a county's own task); neither: a city-wide task.
    pub jurisdiction: Option<String>,
    /// Why.
    pub reason: String,
}

/// Adds a task (numbered after the last one); a city-wide task needs a city account.
#[utoipa::path(post, path = "/api/tasks", tag = "workflows", request_body = TaskIn,
    responses((status = 201, body = WfOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_task(
    guard: Guard,
    JsonBody(b): JsonBody<TaskIn>,
) -> ApiResult<(StatusCode, Json<WfOut>)> {
    let park = b.park_id.as_deref().map(ParkId::parse).transpose()?;
    let county = b
        .jurisdiction
        .as_deref()
        .map(AdminCode::parse)
        .transpose()?;
    let meta = WriteMeta::new(guard.principal().user.clone(), b.reason.clone());
    let rec = guard
        .run(move |c| {
            let park_county = match &park {
                Some(p) => Some(
                    c.store()
                        .park(p)?
                        .ok_or_else(|| invalid("park_id", p.as_str(), "no such park", "园区不存在"))?
                        .jurisdiction
                        .code,
                ),
                None => None,
            };
            let t = Target {
                jurisdiction: county.clone().or(park_county.clone()),
                park: park.clone(),
                park_jurisdiction: park_county,
                enterprise: None,
                department: None,
            };
            if t.is_anywhere() && !matches!(c.principal().scope, Scope::All) {
                return Err(ApiError::Forbidden(
                    "a city-wide task needs a city account; give park_id or jurisdiction / 全市任务须由市级账号添加".into(),
                ));
            }
            c.check_record(Action::WriteRegistry, &t, "task".into())?;
            let all = c.store().wf_records(WfKind::Task, &WfQuery::default())?;
            let no = all
                .items
                .iter()
                .filter_map(|r| r.id.parse::<u32>().ok())
                .max()
                .unwrap_or(0)
                + 1;
            let task = PlanTask::from_units(no, &b.title, &b.units, b.milestones)?;
            let due = task.next_open().map(|m| m.date);
            let rec = WfRecord {
                kind: WfKind::Task,
                id: no.to_string(),
                version: 0,
                park_id: park,
                jurisdiction: t.jurisdiction,
                parcel_id: None,
                enterprise: None,
                status: "on_track".into(),
                due,
                updated_at: jiff::Timestamp::now(),
                doc: to_value(&task)?,
            };
            Ok(c.registry().put_workflow(rec, None, &meta)?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(WfOut::from(&rec))))
}
