//! 一地一策 disposal plans with the plan's 挂牌督办 measure: each park's count of plans listed
//! for supervision by the plan's deadline (2021-12-31) against its minimum of two (plan task 13).

use super::{WfOut, scoped_query};
use crate::auth::Guard;
use crate::error::ApiResult;
use crate::extract::Params;
use axum::Json;
use landcycle_domain::workflow::disposal::{DisposalPlan, supervised_counts};
use landcycle_store::WfKind;
use serde::Serialize;
use utoipa::ToSchema;

/// The plan's deadline and minimum for 挂牌督办 (任务13: 2021年底前每个产业集聚区挂牌督办2宗以上).
const SUPERVISION_BY: jiff::civil::Date = jiff::civil::date(2021, 12, 31);
const SUPERVISION_MIN: usize = 2;

/// One park's 挂牌督办 count.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupervisedCount {
    /// Park.
    pub park_id: String,
    /// Plans listed for supervision by the deadline.
    pub supervised: usize,
    /// Meets the plan's minimum.
    pub meets_minimum: bool,
}

/// Disposal plans in scope with the 挂牌督办 count per park.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisposalOut {
    /// Plans.
    pub items: Vec<WfOut>,
    /// Per park, against the plan's minimum of 2 by 2021-12-31.
    pub supervised_per_park: Vec<SupervisedCount>,
}

/// 一地一策 plans in the caller's scope and each park's 挂牌督办 count against the plan.
#[utoipa::path(get, path = "/api/disposal-plans", tag = "workflows", responses((status = 200, body = DisposalOut)))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Json<DisposalOut>> {
    params.only(&[])?;
    guard
        .run(move |c| {
            let q = scoped_query(c, None)?;
            let page = c.store().wf_records(WfKind::DisposalPlan, &q)?;
            let plans: Vec<DisposalPlan> = page
                .items
                .iter()
                .filter_map(|r| serde_json::from_value(r.doc.clone()).ok())
                .collect();
            let supervised_per_park = supervised_counts(&plans, SUPERVISION_BY, SUPERVISION_MIN)
                .into_iter()
                .map(|(p, (n, ok))| SupervisedCount {
                    park_id: p.as_str().to_owned(),
                    supervised: n,
                    meets_minimum: ok,
                })
                .collect();
            Ok(Json(DisposalOut {
                items: page.items.iter().map(WfOut::from).collect(),
                supervised_per_park,
            }))
        })
        .await
}
