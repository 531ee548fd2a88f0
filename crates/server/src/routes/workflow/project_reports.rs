//! A land user's quarterly progress report (每季度末报送) on its 标准地 project under the
//! 履约监管协议. One is owed each quarter from the quarter the agreement was signed until the
//! term ends; a quarter not reported shows in the warnings centre (T−30, T−7, 逾期) for the
//! enterprise and the supervising park, and filing it clears the warning.

use super::reports::{ReportIn, file_report};
use super::standard_land::project_of;
use super::{WfOut, load};
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonBody;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use jiff::civil::Date;
use landcycle_domain::access::Action;
use landcycle_domain::workflow::reports::ReportSubject;
use landcycle_store::{WfKind, WriteMeta};
use serde::Deserialize;
use utoipa::ToSchema;

/// A quarterly report on one's own project.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectReportIn {
    /// Year of the quarter.
    pub year: i16,
    /// Quarter 1–4.
    pub quarter: i8,
    /// Progress text (construction, investment, production, indicators).
    pub text: String,
    /// Reporting unit (default: the enterprise's registered name).
    pub unit: Option<String>,
    /// Attachments (sha256 of uploaded attachments).
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Day sent (default today).
    #[schema(value_type = Option<String>, format = Date)]
    pub submitted_on: Option<Date>,
}

/// Files the quarterly progress report of project `id` (the land user, under its 履约监管协议).
#[utoipa::path(post, path = "/api/projects/{id}/progress-reports", tag = "workflows",
    params(("id" = String, Path, description = "Project id")), request_body = ProjectReportIn,
    responses((status = 201, body = WfOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ProjectReportIn>,
) -> ApiResult<(StatusCode, Json<WfOut>)> {
    let user = guard.principal().user.clone();
    let on = b.submitted_on.unwrap_or_else(|| jiff::Zoned::now().date());
    let meta = WriteMeta::new(user.clone(), "履约季度进展报告").effective(on);
    let rec = guard
        .run(move |c| {
            let r = load(c, WfKind::Project, &id, Action::SubmitReport)?;
            let p = project_of(&r)?;
            if p.agreement.is_none() {
                return Err(ApiError::Conflict(format!(
                    "project {id} has no 履约监管协议 yet: reports are owed once it is signed / 尚未签订履约监管协议"
                )));
            }
            let unit = match b.unit {
                Some(u) => u,
                None => p.applicant_name.clone(),
            };
            let report = ReportIn {
                subject: ReportSubject::Project,
                subject_id: id,
                year: b.year,
                quarter: b.quarter,
                unit,
                text: b.text,
                attachments: b.attachments,
                submitted_on: Some(on),
            };
            file_report(c, WfKind::Project, &r, report, user, on, &meta)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(WfOut::from(&rec))))
}
