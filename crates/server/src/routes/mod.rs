//! Routes of the REST API, one module per resource.

pub(crate) mod accounts;
pub(crate) mod attachments;
pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod batch_writes;
pub(crate) mod batches;
pub(crate) mod card;
pub(crate) mod enterprises;
mod evaluation_types;
pub(crate) mod evaluations;
pub(crate) mod findings;
mod findings_export;
pub(crate) mod imports;
pub(crate) mod intentions;
pub(crate) mod meta;
pub(crate) mod parcel_history;
pub(crate) mod parcel_lookup;
pub(crate) mod parcel_ops;
pub(crate) mod parcels;
pub(crate) mod parcels_export;
pub(crate) mod park_efficiency;
pub(crate) mod parks;
pub(crate) mod public_land;
pub(crate) mod quota;
pub(crate) mod ui_config;
pub(crate) mod workflow;

use crate::AppState;
use crate::auth::Guard;
use crate::dto::ChangeIn;
use crate::error::ApiError;
use axum::Router;
use axum::routing::{get, post};
use landcycle_store::WriteMeta;

pub(crate) use enterprises::{
    EnterpriseDetail, EnterpriseIn, FiguresOut, StoredClassOut, SupplyIn, SupplyOut,
};
pub(crate) use findings::{
    FindingOut, FindingsCache, FindingsPage, FindingsSummary, ParcelLabel, SourceOut, SubjectOut,
};
pub(crate) use meta::Health;
pub(crate) use parcel_ops::{EndIn, MergeIn, ParentRef, SplitIn};
pub(crate) use parcels::{EventOut, TimelineOut};

pub(crate) use audit::AuditPage;
pub(crate) use auth::{LoginIn, LoginOut, MeOut};

/// Every route of the API. Each one has an entry in the route policy table
/// ([`crate::auth::policy::POLICIES`]); one without is refused.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(meta::openapi_json))
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/auth/me", get(auth::me))
        .route(
            "/api/users",
            get(accounts::users).post(accounts::create_user),
        )
        .route("/api/users/{name}/disable", post(accounts::disable_user))
        .route(
            "/api/tokens",
            get(accounts::tokens).post(accounts::create_token),
        )
        .route(
            "/api/tokens/{id}",
            axum::routing::delete(accounts::revoke_token),
        )
        .route("/api/audit", get(audit::search))
        .route("/api/health", get(meta::health))
        .route("/api/history", get(meta::recent_history))
        .route(
            "/api/batches",
            get(batches::list).post(batch_writes::create),
        )
        .route("/api/batches/summary", get(batches::summary))
        .route("/api/batches/{id}", get(batches::one))
        .route(
            "/api/batches/{id}/deductions",
            post(batch_writes::add_deduction),
        )
        .route("/api/quota/allocation", get(quota::allocation))
        .route("/api/findings", get(findings::list))
        .route("/api/findings/summary", get(findings::summary))
        .route("/api/parks", get(parks::list))
        .route("/api/parks/efficiency", get(park_efficiency::table))
        .route(
            "/api/evaluations",
            get(evaluations::list).post(evaluations::start),
        )
        .route("/api/evaluations/{id}", get(evaluations::one))
        .route("/api/evaluations/{id}/results", get(evaluations::results))
        .route(
            "/api/evaluations/{id}/reproduce",
            post(evaluations::reproduce),
        )
        .route("/api/ui/config", get(ui_config::get))
        .route("/api/public/available-land", get(public_land::list))
        .route("/api/public/available-land/{id}", get(public_land::one))
        .route("/api/public/intentions", post(intentions::submit))
        .route("/api/intentions", get(intentions::list))
        .route("/api/parks/{id}", get(parks::one))
        .route("/api/parcels", get(parcels::list).post(parcels::create))
        .route("/api/parcels/merge", post(parcel_ops::merge))
        .route(
            "/api/parcels/by-feature/{fid}",
            get(parcel_lookup::by_feature),
        )
        // The import route enforces its own (configurable) body limit while streaming.
        .route(
            "/api/imports",
            post(imports::create).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/api/parcels/{id}", get(parcels::one).put(parcels::replace))
        .route("/api/parcels/{id}/history", get(parcel_history::history))
        .route("/api/parcels/{id}/card.pdf", get(card::card))
        .route("/api/parcels/{id}/lineage", get(parcel_history::lineage))
        .route("/api/parcels/{id}/findings", get(findings::of_parcel))
        .route("/api/parcels/{id}/split", post(parcel_ops::split))
        .route("/api/parcels/{id}/end", post(parcel_ops::end))
        .route(
            "/api/parcels/{id}/supplies",
            get(enterprises::parcel_supplies),
        )
        .route(
            "/api/parcels/{id}/attachments",
            get(attachments::list).post(attachments::upload),
        )
        .route("/api/attachments/{sha256}", get(attachments::download))
        .route(
            "/api/enterprises",
            get(enterprises::list).post(enterprises::create),
        )
        .route("/api/enterprises/{uscc}", get(enterprises::one))
        .route("/api/supplies", post(enterprises::add_supply))
        .route(
            "/api/cases",
            get(workflow::cases::list).post(workflow::cases::create),
        )
        .route("/api/cases/{id}", get(workflow::cases::one))
        .route(
            "/api/cases/{id}/transitions",
            post(workflow::cases::transition),
        )
        .route(
            "/api/cases/{id}/submissions",
            post(workflow::cases::submission),
        )
        .route(
            "/api/projects",
            get(workflow::projects::list).post(workflow::standard_land::create),
        )
        .route("/api/projects/{id}", get(workflow::projects::one))
        .route(
            "/api/projects/{id}/revision",
            post(workflow::standard_land::revision),
        )
        .route("/api/projects/{id}/review", post(workflow::grant::review))
        .route("/api/projects/{id}/scheme", post(workflow::grant::scheme))
        .route(
            "/api/projects/{id}/contract",
            post(workflow::grant::contract),
        )
        .route(
            "/api/projects/{id}/checkpoints",
            get(workflow::supervision::checkpoints),
        )
        .route(
            "/api/projects/{id}/checkpoints/{code}",
            post(workflow::supervision::checkpoint),
        )
        .route(
            "/api/projects/{id}/renewal",
            post(workflow::supervision::renewal),
        )
        .route(
            "/api/enterprises/{uscc}/credit",
            get(workflow::supervision::credit),
        )
        .route(
            "/api/inspections",
            get(workflow::reports::inspections).post(workflow::reports::create_inspection),
        )
        .route("/api/disposal-plans", get(workflow::disposal::list))
        .route(
            "/api/progress-reports",
            get(workflow::reports::reports).post(workflow::reports::create_report),
        )
        .route(
            "/api/projects/{id}/transitions",
            post(workflow::projects::transition),
        )
        .route(
            "/api/projects/{id}/submissions",
            post(workflow::projects::submission),
        )
        .route(
            "/api/tasks",
            get(workflow::tables::tasks).post(workflow::reports::create_task),
        )
        .route("/api/penalties", get(workflow::tables::penalties))
        .route("/api/warnings", get(workflow::warnings::list))
        .route("/api/warnings.ics", get(workflow::warnings::ics))
        .route("/api/workflows", get(workflow::definitions::list))
        .route(
            "/api/indicator-sets",
            get(workflow::indicator_sets::list).post(workflow::indicator_sets::create),
        )
        .route(
            "/api/indicator-sets/effective",
            get(workflow::indicator_sets::effective),
        )
        .route(
            "/api/indicator-sets/{id}",
            get(workflow::indicator_sets::one),
        )
        .route(
            "/api/penalties/{id}/payments",
            post(workflow::payments::pay),
        )
        .route(
            "/api/projects/{id}/progress-reports",
            post(workflow::project_reports::create),
        )
        .route(
            "/api/webhooks",
            get(workflow::webhooks::list).post(workflow::webhooks::create),
        )
        .route(
            "/api/webhooks/{id}",
            axum::routing::delete(workflow::webhooks::delete),
        )
}

/// The write metadata of a request, by the signed-in user, refusing a missing reason.
pub(crate) fn write_meta(guard: &Guard, change: Option<ChangeIn>) -> Result<WriteMeta, ApiError> {
    let Some(c) = change else {
        return Err(ApiError::Invalid(vec![landcycle_domain::FieldError::new(
            "change.reason",
            None,
            "every change needs a reason: add {\"change\": {\"reason\": \"…\"}}",
            "每项变更都须说明原因：请添加 change.reason",
        )]));
    };
    let mut m = WriteMeta::new(guard.principal().user.clone(), c.reason);
    m.reason.reference = c.reference;
    m.effective = c.effective;
    Ok(m)
}

/// A parcel id from the path.
pub(crate) fn parcel_id(s: &str) -> Result<landcycle_domain::ParcelId, ApiError> {
    landcycle_domain::ParcelId::parse(s, "id")
        .map_err(|e| ApiError::BadRequest(e.to_string(), e.field_errors().to_vec()))
}
