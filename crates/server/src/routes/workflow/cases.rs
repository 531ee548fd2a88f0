//! 处置案件 (闲置土地处置, §1.6–1.7): list (JSON or Excel), one with its transitions, open,
//! transitions by officials and submissions by the land user.

use super::{
    TransitionIn, TransitionOut, WfDetail, WfOut, WfPage, load, scoped_query, wants_xlsx, xlsx,
};
use crate::auth::Guard;
use crate::dto::ChangeIn;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use crate::routes::write_meta;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use landcycle_domain::ParkId;
use landcycle_domain::access::Action;
use landcycle_domain::units::Yuan;
use landcycle_domain::workflow::engine::TransitionRequest;
use landcycle_domain::workflow::idle_case::{IdleCase, idle_case_workflow};
use landcycle_store::{WfKind, WfRecord, WriteMeta};
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::ToSchema;

/// Opening an idle-land case (立案).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseIn {
    /// Case number.
    pub id: String,
    /// The parcel.
    #[schema(value_type = String, format = Uuid)]
    pub parcel_id: String,
    /// 约定动工开发日期.
    #[schema(value_type = String, format = Date)]
    pub agreed_start: Date,
    /// 出让价款 or 划拨价款 (元).
    #[schema(value_type = String)]
    pub land_price_yuan: Decimal,
    /// Day of discovery (the 30-day clock of 第五条 starts).
    #[schema(value_type = String, format = Date)]
    pub discovered_on: Date,
    /// Why.
    pub change: Option<ChangeIn>,
}

/// Idle-land cases in the caller's scope; `format=xlsx` for an Excel list.
#[utoipa::path(get, path = "/api/cases", tag = "workflows",
    params(("park" = Option<String>, Query, description = "Park id"), ("status" = Option<String>, Query, description = "Status code"),
        ("format" = Option<String>, Query, description = "json (default) or xlsx")),
    responses((status = 200, description = "The cases", content((WfPage = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Response> {
    params.only(&["park", "status", "format"])?;
    let park = params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let status = params.get("status").map(str::to_owned);
    let as_xlsx = wants_xlsx(&params)?;
    let page = guard
        .run(move |c| {
            let mut q = scoped_query(c, park)?;
            q.status = status;
            Ok(c.store().wf_records(WfKind::Case, &q)?)
        })
        .await?;
    if !as_xlsx {
        return Ok(Json(WfPage {
            total: page.total,
            items: page.items.iter().map(WfOut::from).collect(),
        })
        .into_response());
    }
    let def = idle_case_workflow();
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|r| {
            let label = def
                .status(&r.status)
                .map(|s| s.label_zh.clone())
                .unwrap_or_default();
            let s = |k: &str| {
                r.doc
                    .get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            vec![
                r.id.clone(),
                r.park_id
                    .as_ref()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
                r.parcel_id.map(|p| p.to_string()).unwrap_or_default(),
                r.enterprise
                    .as_ref()
                    .map(|u| u.as_str().to_owned())
                    .unwrap_or_default(),
                label,
                r.due.map(|d| d.to_string()).unwrap_or_default(),
                s("agreed_start"),
                s("land_price"),
                s("fee"),
                s("gov_cause"),
            ]
        })
        .collect();
    xlsx::response(
        "cases.xlsx",
        "处置案件",
        &[
            "案件编号",
            "园区",
            "宗地",
            "使用权人",
            "状态",
            "期限",
            "约定动工日期",
            "出让价款(元)",
            "闲置费(元)",
            "政府原因",
        ],
        &rows,
    )
}

/// One case with its transitions (who, when, why, documents).
#[utoipa::path(get, path = "/api/cases/{id}", tag = "workflows", params(("id" = String, Path, description = "Case number")),
    responses((status = 200, body = WfDetail)))]
pub async fn one(guard: Guard, Path(id): Path<String>) -> ApiResult<Json<WfDetail>> {
    guard
        .run(move |c| {
            let r = load(c, WfKind::Case, &id, Action::ReadRegistry)?;
            let t = c.store().wf_transitions(WfKind::Case, &id)?;
            Ok(Json(WfDetail {
                record: WfOut::from(&r),
                transitions: t.iter().map(TransitionOut::from).collect(),
            }))
        })
        .await
}

/// Opens an idle-land case on a parcel (立案).
#[utoipa::path(post, path = "/api/cases", tag = "workflows", request_body = CaseIn,
    responses((status = 201, body = WfOut), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    guard: Guard,
    JsonBody(body): JsonBody<CaseIn>,
) -> ApiResult<(StatusCode, Json<WfOut>)> {
    let meta = write_meta(&guard, body.change)?;
    let pid = crate::routes::parcel_id(&body.parcel_id)?;
    let rec = guard
        .run(move |c| {
            c.parcel(Action::WriteRegistry, pid)?;
            let p = c
                .store()
                .parcel(pid, None)?
                .ok_or_else(|| ApiError::NotFound(format!("parcel {pid} not found")))?;
            let def = idle_case_workflow();
            let mut case = IdleCase::open(
                &body.id,
                &def,
                body.agreed_start,
                Yuan(body.land_price_yuan),
                body.discovered_on,
                None,
            )?;
            case.parcel_id = Some(pid);
            case.park_id = p.park_id.clone();
            let rec = WfRecord {
                kind: WfKind::Case,
                id: case.id.clone(),
                version: 0,
                park_id: p.park_id.clone(),
                jurisdiction: Some(p.jurisdiction.clone()),
                parcel_id: Some(pid),
                enterprise: p.enterprise.clone(),
                status: case.state.status.clone(),
                due: case.state.deadline.as_ref().map(|d| d.due),
                updated_at: jiff::Timestamp::now(),
                doc: serde_json::to_value(&case).map_err(|e| ApiError::Internal(e.to_string()))?,
            };
            let meta = WriteMeta {
                effective: meta.effective.or(Some(body.discovered_on)),
                ..meta
            };
            Ok(c.registry().put_workflow(rec, None, &meta)?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(WfOut::from(&rec))))
}

pub(crate) fn request(guard: &Guard, t: TransitionIn) -> TransitionRequest {
    let p = guard.principal();
    TransitionRequest {
        to: t.to,
        actor: p.user.clone(),
        role: p.role,
        on: t.on,
        reason: t.reason,
        fields: t.fields,
        documents: t.documents,
        passed_checks: Default::default(),
    }
}

pub(crate) async fn act(
    guard: Guard,
    kind: WfKind,
    id: String,
    body: TransitionIn,
    action: Action,
) -> ApiResult<Json<WfOut>> {
    let version = body.version;
    let meta =
        WriteMeta::new(guard.principal().user.clone(), body.reason.clone()).effective(body.on);
    let req = request(&guard, body);
    let rec = guard
        .run(move |c| {
            load(c, kind, &id, action)?;
            Ok(match kind {
                WfKind::Project => c.registry().project_transition(&id, version, &req, &meta)?,
                _ => c
                    .registry()
                    .idle_case_transition(&id, version, &req, &meta)?,
            })
        })
        .await?;
    Ok(Json(WfOut::from(&rec)))
}

/// An official's step on a case (送达通知书, 认定, 决定 …); the workflow checks the role,
/// documents, fields and the legal guards (满一年/满二年, 政府原因, 听证期限).
#[utoipa::path(post, path = "/api/cases/{id}/transitions", tag = "workflows", params(("id" = String, Path, description = "Case number")),
    request_body = TransitionIn, responses((status = 200, body = WfOut), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn transition(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<TransitionIn>,
) -> ApiResult<Json<WfOut>> {
    act(guard, WfKind::Case, id, body, Action::WriteRegistry).await
}

/// The land user's step on its own case (提交说明材料, 申请听证, 申请复议).
#[utoipa::path(post, path = "/api/cases/{id}/submissions", tag = "workflows", params(("id" = String, Path, description = "Case number")),
    request_body = TransitionIn, responses((status = 200, body = WfOut), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn submission(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<TransitionIn>,
) -> ApiResult<Json<WfOut>> {
    act(guard, WfKind::Case, id, body, Action::SubmitReport).await
}
