//! 标准地项目: list, one with its transitions, steps by officials and by the applicant. Each
//! step after the grant moves the parcel's lifecycle in the same write.

use super::cases::act;
use super::{TransitionIn, TransitionOut, WfDetail, WfOut, WfPage, load, scoped_query};
use crate::auth::Guard;
use crate::error::ApiResult;
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

/// An official's step on a project (准入审查, 评审, 出让, 交地, 动工 …).
#[utoipa::path(post, path = "/api/projects/{id}/transitions", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = TransitionIn, responses((status = 200, body = WfOut)))]
pub async fn transition(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<TransitionIn>,
) -> ApiResult<Json<WfOut>> {
    act(guard, WfKind::Project, id, body, Action::WriteRegistry).await
}

/// The applicant's step (重新提交, 提出续期申请).
#[utoipa::path(post, path = "/api/projects/{id}/submissions", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = TransitionIn, responses((status = 200, body = WfOut)))]
pub async fn submission(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<TransitionIn>,
) -> ApiResult<Json<WfOut>> {
    act(guard, WfKind::Project, id, body, Action::SubmitReport).await
}
