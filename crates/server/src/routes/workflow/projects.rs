//! 标准地项目: list, one with its transitions, steps by officials and by the applicant. Each
//! step after the grant moves the parcel's lifecycle in the same write.

use super::cases::act;
use super::{TransitionIn, TransitionOut, WfDetail, WfOut, WfPage, load, scoped_query};
use crate::auth::Guard;
use crate::error::{ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use axum::Json;
use axum::extract::Path;
use landcycle_domain::ParkId;
use landcycle_domain::access::Action;
use landcycle_store::WfKind;

/// 标准地 projects in the caller's scope.
#[utoipa::path(get, path = "/api/projects", tag = "workflows",
    params(("park" = Option<String>, Query, description = "Park id"), ("status" = Option<String>, Query, description = "Status code")),
    responses((status = 200, body = WfPage)))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Json<WfPage>> {
    params.only(&["park", "status"])?;
    let park = params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let status = params.get("status").map(str::to_owned);
    guard
        .run(move |c| {
            let mut q = scoped_query(c, park)?;
            q.status = status;
            let page = c.store().wf_records(WfKind::Project, &q)?;
            Ok(Json(WfPage {
                total: page.total,
                items: page.items.iter().map(WfOut::from).collect(),
            }))
        })
        .await
}

/// One project with its transitions.
#[utoipa::path(get, path = "/api/projects/{id}", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = WfDetail)))]
pub async fn one(guard: Guard, Path(id): Path<String>) -> ApiResult<Json<WfDetail>> {
    guard
        .run(move |c| {
            let r = load(c, WfKind::Project, &id, Action::ReadRegistry)?;
            let t = c.store().wf_transitions(WfKind::Project, &id)?;
            Ok(Json(WfDetail {
                record: WfOut::from(&r),
                transitions: t.iter().map(TransitionOut::from).collect(),
            }))
        })
        .await
}

/// Steps that decide something have their own endpoint, which records the decision with the
/// step (a review needs its opinions, 动工 its day and the penalty it may cost); the generic
/// transition refuses them and names the endpoint.
fn dedicated(to: &str) -> ApiResult<()> {
    let via = match to {
        "applied" => "revision",
        "reviewed" | "rejected" => "review",
        "scheme_set" => "scheme",
        "granted" => "contract",
        "renewed" | "expired" => "renewal",
        "delivered" => "checkpoints/delivery",
        "started" => "checkpoints/start",
        "completed" => "checkpoints/completion",
        "conformity_checked" => "checkpoints/conformity_check",
        "in_production" => "checkpoints/production",
        "capacity_reviewed" => "checkpoints/capacity_review",
        _ => return Ok(()),
    };
    Err(landcycle_domain::DomainError::field(
        "to",
        Some(to),
        format!("use POST /api/projects/{{id}}/{via}: it records what this step decides"),
        format!("请通过 /api/projects/{{id}}/{via} 办理，以记录该环节的结果"),
    )
    .into())
}

/// An official's step on a project (准入审查, 退回修改, 转入运营监管 …).
#[utoipa::path(post, path = "/api/projects/{id}/transitions", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = TransitionIn, responses((status = 200, body = WfOut), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn transition(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<TransitionIn>,
) -> ApiResult<Json<WfOut>> {
    dedicated(&body.to)?;
    act(guard, WfKind::Project, id, body, Action::WriteRegistry).await
}

/// The applicant's step (提出续期申请); a resubmission goes through `/revision`.
#[utoipa::path(post, path = "/api/projects/{id}/submissions", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = TransitionIn, responses((status = 200, body = WfOut), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn submission(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<TransitionIn>,
) -> ApiResult<Json<WfOut>> {
    dedicated(&body.to)?;
    act(guard, WfKind::Project, id, body, Action::SubmitReport).await
}
