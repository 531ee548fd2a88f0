//! The workflow definitions as data (statuses, transitions with their roles and guards), so a
//! client can offer only the steps the engine allows a role to take; the server still checks
//! every request against the same definitions.

use crate::auth::Guard;
use crate::error::ApiResult;
use axum::Json;
use landcycle_domain::workflow::engine::WorkflowDef;
use landcycle_domain::workflow::idle_case::idle_case_workflow;
use landcycle_domain::workflow::project::project_workflow;

/// The definitions in force: the idle-land case (`idle_case`) and the 标准地 project
/// (`standard_land_project`).
#[utoipa::path(get, path = "/api/workflows", tag = "workflows",
    responses((status = 200, body = Vec<WorkflowDef>)))]
pub async fn list(_guard: Guard) -> ApiResult<Json<Vec<WorkflowDef>>> {
    Ok(Json(vec![idle_case_workflow(), project_workflow()]))
}
