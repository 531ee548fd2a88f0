//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::dto::{
    ChangeIn, Link, ParcelCollection, ParcelFeature, ParcelIn, ParcelProps, ParcelPropsIn, ParkOut,
};
use crate::error::Problem;
use crate::routes;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "landcycle API",
        description = "工业用地全生命周期管理平台 — REST API of the parcel registry (一宗一卡、一地一档). Geometries are GeoJSON in CGCS2000 (EPSG:4490) with lon/lat order; areas are exact decimal strings in m² with 亩 derived; errors are RFC 9457 problem+json naming the field.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        routes::parks::list, routes::parks::one, routes::park_efficiency::table,
        routes::accounts::users, routes::accounts::create_user, routes::accounts::disable_user,
        routes::accounts::tokens, routes::accounts::create_token, routes::accounts::revoke_token,
        routes::evaluations::list, routes::evaluations::start, routes::evaluations::one,
        routes::evaluations::results, routes::evaluations::reproduce,
        routes::ui_config::get, routes::public_land::list, routes::public_land::one,
        routes::intentions::submit, routes::intentions::list,
        routes::parcels::list, routes::parcels::one, routes::parcel_lookup::by_feature, routes::parcels::create, routes::parcels::replace,
        routes::parcel_history::history, routes::parcel_history::lineage, routes::card::card,
        routes::findings::list, routes::findings::summary, routes::findings::of_parcel,
        routes::batches::list, routes::batches::summary, routes::batches::one,
        routes::batch_writes::create, routes::batch_writes::add_deduction,
        routes::quota::allocation,
        routes::parcel_ops::split, routes::parcel_ops::merge, routes::parcel_ops::end,
        routes::enterprises::list, routes::enterprises::one, routes::enterprises::create,
        routes::enterprises::add_supply, routes::enterprises::parcel_supplies,
        routes::attachments::list, routes::attachments::upload, routes::attachments::download,
        routes::imports::create,
        routes::meta::health, routes::meta::recent_history,
        routes::auth::login, routes::auth::logout, routes::auth::me, routes::audit::search,
        routes::workflow::cases::list, routes::workflow::cases::one, routes::workflow::cases::create,
        routes::workflow::cases::transition, routes::workflow::cases::submission,
        routes::workflow::projects::list, routes::workflow::projects::one,
        routes::workflow::projects::transition, routes::workflow::projects::submission,
        routes::workflow::standard_land::create, routes::workflow::standard_land::revision,
        routes::workflow::grant::review, routes::workflow::grant::scheme,
        routes::workflow::grant::contract, routes::workflow::supervision::checkpoints,
        routes::workflow::supervision::checkpoint, routes::workflow::supervision::renewal,
        routes::workflow::supervision::credit, routes::workflow::reports::inspections,
        routes::workflow::reports::create_inspection, routes::workflow::reports::reports,
        routes::workflow::reports::create_report, routes::workflow::reports::create_task,
        routes::workflow::disposal::list,
        routes::workflow::tables::tasks, routes::workflow::tables::penalties,
        routes::workflow::warnings::list, routes::workflow::warnings::ics,
        routes::workflow::definitions::list,
        routes::workflow::indicator_sets::list, routes::workflow::indicator_sets::one,
        routes::workflow::indicator_sets::effective,
        routes::workflow::indicator_sets::create, routes::workflow::payments::pay,
        routes::workflow::project_reports::create,
        routes::workflow::webhooks::list, routes::workflow::webhooks::create,
        routes::workflow::webhooks::delete,
    ),
    components(schemas(Problem, ParcelFeature, ParcelProps, ParcelCollection, ParcelIn, ParcelPropsIn, ChangeIn, Link, ParkOut,
        routes::SplitIn, routes::MergeIn, routes::ParentRef, routes::EndIn, routes::TimelineOut, routes::EventOut,
        routes::SupplyOut, routes::SupplyIn, routes::EnterpriseIn, routes::EnterpriseDetail, routes::StoredClassOut, routes::FiguresOut, routes::Health,
        routes::LoginIn, routes::LoginOut, routes::MeOut, routes::AuditPage, landcycle_store::AuditRecord, landcycle_domain::access::Role,
        routes::FindingOut, routes::ParcelLabel, routes::FindingsPage, routes::FindingsSummary, routes::SourceOut, routes::SubjectOut,
        landcycle_store::ParkTally,
        routes::batches::AreaOut, routes::batches::BatchOut, routes::batches::BatchList,
        routes::batches::BatchParcelOut, routes::batches::DeductionOut, routes::batches::BatchDetail,
        routes::batch_writes::BatchIn, routes::batch_writes::BatchParcelIn, routes::batch_writes::DeductionIn,
        routes::batch_writes::DeductionPost,
        landcycle_store::BatchSummary, landcycle_store::BatchTotals, landcycle_store::AgeBucketArea,
        routes::quota::QuotaOut, routes::quota::QuotaTerms, routes::quota::CountyOut, routes::quota::StepOut,
        landcycle_store::IdleDisposal, landcycle_store::FigureSource,
        routes::workflow::WfOut, routes::workflow::WfPage, routes::workflow::WfDetail, routes::workflow::TransitionOut,
        routes::workflow::TransitionIn, routes::workflow::cases::CaseIn, routes::workflow::warnings::WarningsOut,
        landcycle_domain::workflow::engine::DocumentRef, landcycle_domain::workflow::engine::WorkflowDef,
        landcycle_domain::workflow::engine::StatusDef, landcycle_domain::workflow::engine::TransitionDef,
        landcycle_domain::workflow::engine::DeadlineRule,
        routes::workflow::standard_land::StepOut, routes::workflow::standard_land::ApplicationIn,
        routes::workflow::standard_land::StepMeta, routes::workflow::standard_land::RevisionIn,
        routes::workflow::grant::ReviewIn, routes::workflow::grant::SchemeIn,
        routes::workflow::grant::ContractIn, routes::workflow::supervision::CheckpointIn,
        routes::workflow::supervision::RenewalIn, routes::workflow::reports::ReportIn,
        routes::workflow::reports::TaskIn, routes::workflow::disposal::DisposalOut,
        routes::workflow::disposal::SupervisedCount,
        landcycle_domain::workflow::inspection::Inspection, landcycle_domain::workflow::inspection::Photo,
        landcycle_domain::workflow::review::Opinion, landcycle_domain::workflow::review::Vote,
        landcycle_domain::workflow::review::SupplyPhase, landcycle_domain::workflow::supply_scheme::SupplyScheme,
        landcycle_domain::workflow::contract::GrantContract, landcycle_domain::workflow::contract::SupervisionAgreement,
        landcycle_domain::workflow::contract::PenaltyClauses, landcycle_domain::workflow::contract::Combine,
        landcycle_domain::workflow::standard_land::Indicator, landcycle_domain::workflow::standard_land::Direction,
        landcycle_domain::workflow::standard_land::CheckStage, landcycle_domain::workflow::standard_land::IndicatorSlot,
        landcycle_domain::workflow::supervision::CheckpointFacts,
        landcycle_domain::workflow::reports::ReportSubject,
        routes::workflow::indicator_sets::IndicatorSetIn, routes::workflow::indicator_sets::EffectiveSet, routes::workflow::payments::PaymentIn,
        routes::workflow::project_reports::ProjectReportIn, routes::workflow::webhooks::WebhookIn,
        routes::workflow::webhooks::WebhookOut, routes::workflow::webhooks::WebhookCreated, landcycle_domain::workflow::tasks::Milestone,
        routes::park_efficiency::EfficiencyTable, routes::park_efficiency::ParkEfficiency, routes::park_efficiency::ClassCounts,
        routes::accounts::UserOut, routes::accounts::UserIn, routes::accounts::UserCreated,
        routes::accounts::TokenOut, routes::accounts::TokenIn, routes::accounts::TokenCreated,
        routes::evaluations::RunSummary, routes::evaluations::ParkClasses,
        routes::evaluations::RunDetail, routes::evaluations::ResultRow, routes::evaluations::ResultPage,
        routes::evaluations::RunIn, routes::evaluations::Reproduced,
        routes::ui_config::UiConfig, routes::ui_config::BaseMap,
        routes::public_land::PublicLand, routes::public_land::PublicLandProps, routes::public_land::PublicLandCollection,
        routes::public_land::PriceGuide, routes::intentions::IntentionIn, routes::intentions::IntentionOut,
        routes::intentions::IntentionCreated,
        landcycle_io::ImportSummary, landcycle_store::ImportSource, landcycle_store::ImportProblem)),
    tags(
        (name = "parks", description = "产业集聚区 and their targets"),
        (name = "parcels", description = "宗地: the registry with full history"),
        (name = "imports", description = "批量导入: files of parcels or department figures, checked and written all or nothing"),
        (name = "enterprises", description = "企业 keyed by 统一社会信用代码"),
        (name = "supplies", description = "供地记录"),
        (name = "attachments", description = "附件, content-addressed"),
        (name = "meta", description = "Health and history"),
        (name = "auth", description = "Sign-in (session cookie + CSRF token) and API tokens (Bearer)"),
        (name = "audit", description = "审计日志: every write, sign-in, permission change and download"),
        (name = "public", description = "云上看地: the published list of land open for supply, and 用地意向 (我要用地)"),
        (name = "evaluations", description = "亩均效益评价: stored, reproducible evaluation runs (评价批次), their classes per park and results"),
        (name = "batches", description = "批次: approval batches and 批而未供 accounting (供地率, age buckets, 消化率)"),
        (name = "quota", description = "增存挂钩: a year's new construction-land quota allocated among counties by their stock disposal, with the arithmetic"),
        (name = "findings", description = "规则扫描: idle, 批而未供 and low-efficiency findings with their reasons"),
        (name = "workflows", description = "供地与监管流程: 处置案件, 标准地项目, the plan's tasks, penalties and the warnings centre"),
    )
)]
struct ApiDoc;

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    unique_operation_ids(&mut doc);
    security(&mut doc);
    common_responses(&mut doc);
    doc
}

/// Declares the two ways to sign in (a bearer token, the session cookie), required by every
/// operation except those the route policy table opens to the public.
fn security(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::{
        ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
    };
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An API token from `landcycle token create NAME`"))
                .build(),
        ),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::auth::SESSION_COOKIE,
            "Set by POST /api/auth/login; unsafe requests also send X-CSRF-Token",
        ))),
    );
    let signed_in = vec![
        SecurityRequirement::new("bearer", Vec::<String>::new()),
        SecurityRequirement::new("session", Vec::<String>::new()),
    ];
    for (path, item) in &mut doc.paths.paths {
        let ops = [
            ("GET", &mut item.get),
            ("PUT", &mut item.put),
            ("POST", &mut item.post),
            ("DELETE", &mut item.delete),
            ("PATCH", &mut item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let public = crate::auth::policy_for(method, path).is_some_and(|p| {
                matches!(
                    p.action,
                    landcycle_domain::access::Action::ReadPublic
                        | landcycle_domain::access::Action::SignIn
                        | landcycle_domain::access::Action::SubmitIntention
                )
            });
            op.security = Some(if public {
                vec![SecurityRequirement::default()]
            } else {
                signed_in.clone()
            });
            let limited = crate::auth::policy_for(method, path).is_some_and(|p| {
                matches!(
                    p.action,
                    landcycle_domain::access::Action::ReadPublic
                        | landcycle_domain::access::Action::SubmitIntention
                )
            });
            if limited {
                op.responses
                    .responses
                    .entry("429".to_owned())
                    .or_insert_with(too_many);
            }
        }
    }
}

/// utoipa names an operation after its handler function, and handlers of different resources
/// share names (`list`, `one`); OpenAPI requires unique ids, so each is derived from its method
/// and path instead (`get_api_parcels_id_history`).
fn unique_operation_ids(doc: &mut utoipa::openapi::OpenApi) {
    for (path, item) in &mut doc.paths.paths {
        let slug: String = path
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        let ops = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
            ("head", &mut item.head),
            ("options", &mut item.options),
        ];
        for (method, op) in ops {
            if let Some(op) = op {
                op.operation_id = Some(format!("{method}_{slug}"));
            }
        }
    }
}

/// Answers every operation can give besides its own, declared once here: 400 (a malformed
/// parameter, an unknown query parameter, a body that is not JSON), and for operations that
/// need an account 401 (no or bad credentials) and 403 (the role may not).
fn common_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let problem = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build()
    };
    for (path, item) in &mut doc.paths.paths {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            let signed_in = op
                .security
                .as_ref()
                .is_some_and(|s| s.iter().any(|r| *r != Default::default()));
            let mut add = vec![(
                "400",
                "Malformed request: the problem names the parameter or field",
            )];
            if path.contains('{') {
                add.push(("404", "No such record (or outside your jurisdiction)"));
            }
            if op.request_body.is_some() {
                add.push(("422", "Invalid input: every problem names its field"));
            }
            if signed_in {
                add.push(("401", "No credentials, or not (or no longer) valid"));
                add.push(("403", "The role may not do this"));
            } else {
                // Open to the public, but credentials that are sent are still checked: a script
                // with a revoked token is told so rather than silently served as the public.
                add.push((
                    "401",
                    "Credentials were sent but are not (or no longer) valid; send none to read as the public",
                ));
            }
            for (code, description) in add {
                op.responses
                    .responses
                    .entry(code.to_owned())
                    .or_insert_with(|| problem(description).into());
            }
        }
    }
}

/// The answer to a request without an account past its address's rate limit.
fn too_many() -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(
            "Too many requests without an account from this address; `Retry-After` says when to retry",
        )
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}
