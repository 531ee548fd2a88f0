//! 入驻评审 to 出让: the joint review, the supply scheme with its 年期修正 price and the
//! signing of the contract and the 履约监管协议, which stores the §4.3 timeline.

use super::standard_land::{StepMeta, StepOut, project_of, step, to_value};
use super::{WfOut, load};
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonBody;
use axum::Json;
use axum::extract::Path;
use landcycle_domain::access::Action;
use landcycle_domain::units::Yuan;
use landcycle_domain::workflow::contract::{GrantContract, SupervisionAgreement};
use landcycle_domain::workflow::engine::DocumentRef;
use landcycle_domain::workflow::review::{JointReview, Opinion, ReviewDecision, SupplyPhase};
use landcycle_domain::workflow::supervision::CheckpointRecord;
use landcycle_domain::workflow::supply_scheme::{SupplyScheme, TermParams};
use landcycle_store::{WfKind, WfRecord};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The 入驻评审联席会议: members, their opinions and the phases of a large project.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewIn {
    /// Member units convened.
    pub members: Vec<String>,
    /// Their opinions.
    pub opinions: Vec<Opinion>,
    /// 分批供地 phases (required for ≥ 100 亩).
    #[serde(default)]
    pub phases: Vec<SupplyPhase>,
    /// Meeting day, reason, version, documents (会议纪要).
    #[serde(flatten)]
    pub step: StepMeta,
}

/// Records the joint review; approved by a majority of members it moves the project on,
/// otherwise it is rejected (`outcome`: decision, large-project flag).
#[utoipa::path(post, path = "/api/projects/{id}/review", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = ReviewIn, responses((status = 200, body = StepOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn review(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ReviewIn>,
) -> ApiResult<Json<StepOut>> {
    let pid = id.clone();
    guard
        .run(move |c| load(c, WfKind::Project, &pid, Action::WriteRegistry).map(|_| ()))
        .await?;
    let review = JointReview {
        held_on: b.step.on,
        members: b.members,
        opinions: b.opinions,
    };
    let decision = review.decide()?;
    let to = match decision {
        ReviewDecision::Approved => "reviewed",
        ReviewDecision::Rejected => "rejected",
    };
    let phases = b.phases;
    let rec = step(
        guard,
        id,
        Action::WriteRegistry,
        to,
        b.step,
        BTreeMap::new(),
        move |p| p.record_review(review, phases).map(|_| ()),
        Vec::new(),
    )
    .await?;
    let outcome = serde_json::json!({
        "decision": decision,
        "large_project": rec.doc["large_project"],
        "phases": rec.doc["phases"],
    });
    Ok(Json(StepOut {
        project: WfOut::from(&rec),
        outcome,
    }))
}

/// The supply scheme and the appraised full-term (50-year) price it is priced from.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SchemeIn {
    /// 弹性年期出让, 先租后让, 租让结合 or 长期租赁.
    pub scheme: SupplyScheme,
    /// Appraised price for the legal maximum term (元).
    #[schema(value_type = String)]
    pub full_term_price_yuan: Decimal,
    /// Day, reason, version, documents.
    #[serde(flatten)]
    pub step: StepMeta,
}

/// Decides the supply scheme; the price of a shorter term follows 年期修正 (§6.3) with the
/// city's 土地还原率 (`outcome`: the quote with K and the price).
#[utoipa::path(post, path = "/api/projects/{id}/scheme", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = SchemeIn, responses((status = 200, body = StepOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn scheme(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<SchemeIn>,
) -> ApiResult<Json<StepOut>> {
    let (scheme, price) = (b.scheme, Yuan(b.full_term_price_yuan));
    let rec = step(
        guard,
        id,
        Action::WriteRegistry,
        "scheme_set",
        b.step,
        BTreeMap::new(),
        move |p| {
            p.set_scheme(scheme, price, &TermParams::xuchang_default())
                .map(|_| ())
        },
        Vec::new(),
    )
    .await?;
    let outcome = rec.doc["quote"].clone();
    Ok(Json(StepOut {
        project: WfOut::from(&rec),
        outcome,
    }))
}

/// The grant contract and the 履约监管协议 (its indicators default to the committed values).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContractIn {
    /// 出让合同.
    pub contract: GrantContract,
    /// 履约监管协议.
    pub agreement: SupervisionAgreement,
    /// Reason, version, documents (the signed contract and agreement are required); the day
    /// is the signing day.
    pub reason: String,
    /// The version read.
    pub version: Option<u32>,
    /// Attached documents.
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
}

/// Signs the contract and the agreement; the §4.3 checkpoint timeline is generated and stored
/// (`outcome`: the checkpoints), the parcel moves to 已供应.
#[utoipa::path(post, path = "/api/projects/{id}/contract", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = ContractIn, responses((status = 200, body = StepOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn contract(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ContractIn>,
) -> ApiResult<Json<StepOut>> {
    let pid = id.clone();
    let current = guard
        .run(move |c| load(c, WfKind::Project, &pid, Action::WriteRegistry))
        .await?;
    // Signing is pure: done once here to validate and build the timeline before anything is
    // written, then again inside the write on the stored project.
    let mut project = project_of(&current)?;
    let cps = project.sign(b.contract.clone(), b.agreement.clone())?;
    let c = project
        .contract
        .clone()
        .ok_or_else(|| ApiError::Internal("contract not recorded".into()))?;
    let base = |kind, id: String, status: &str, due, doc| WfRecord {
        kind,
        id,
        version: 0,
        park_id: current.park_id.clone(),
        jurisdiction: current.jurisdiction.clone(),
        parcel_id: current.parcel_id,
        enterprise: current.enterprise.clone(),
        status: status.into(),
        due,
        updated_at: jiff::Timestamp::now(),
        doc,
    };
    let mut extra = vec![base(
        WfKind::Contract,
        format!("{id}:contract"),
        "signed",
        None,
        serde_json::json!({"contract": c, "agreement": project.agreement}),
    )];
    for cp in &cps {
        let rec = CheckpointRecord {
            project_id: id.clone(),
            contract_no: c.contract_no.clone(),
            checkpoint: cp.clone(),
            result: None,
        };
        extra.push(base(
            WfKind::Checkpoint,
            format!("{id}:{}", cp.code),
            "open",
            Some(cp.due),
            to_value(&rec)?,
        ));
    }
    let m = StepMeta {
        on: c.signed_on,
        reason: b.reason,
        version: b.version,
        documents: b.documents,
    };
    let (contract, agreement) = (b.contract, b.agreement);
    let rec = step(
        guard,
        id,
        Action::WriteRegistry,
        "granted",
        m,
        BTreeMap::new(),
        move |p| p.sign(contract, agreement).map(|_| ()),
        extra,
    )
    .await?;
    Ok(Json(StepOut {
        project: WfOut::from(&rec),
        outcome: to_value(&cps)?,
    }))
}
