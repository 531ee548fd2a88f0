//! 履约监管 (云上管地) over HTTP: a checkpoint met — actual against agreed per indicator, a
//! breach priced by the agreement's formula, stored as a penalty statement with an entry in the
//! enterprise's credit record, all with the project's step in one write — the renewal decided
//! condition by condition, the project's timeline and the credit record.

use super::standard_land::{StepMeta, StepOut, project_of, step, to_value};
use super::{WfOut, WfPage, load};
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonBody;
use axum::Json;
use axum::extract::Path;
use landcycle_domain::access::Action;
use landcycle_domain::rules::mu_evaluation::MuClass;
use landcycle_domain::units::Yuan;
use landcycle_domain::workflow::credit::CreditRecord;
use landcycle_domain::workflow::penalty::PenaltyStatement;
use landcycle_domain::workflow::renewal::{RenewalFacts, decide_renewal};
use landcycle_domain::workflow::supervision::{
    CheckpointFacts, CheckpointRecord, assess, status_after,
};
use landcycle_domain::workflow::supply_scheme::TermParams;
use landcycle_domain::{DomainError, Uscc};
use landcycle_store::{WfKind, WfQuery, WfRecord, WriteMeta};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What was found at a checkpoint.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckpointIn {
    /// Measured values.
    #[serde(default)]
    pub facts: CheckpointFacts,
    /// The day met (or checked), reason, version, documents.
    #[serde(flatten)]
    pub step: StepMeta,
}

fn missing(what: String) -> ApiError {
    ApiError::NotFound(format!("{what} not found"))
}

/// Records a checkpoint of the timeline (交地, 动工, 竣工, 对标验收, 投产, 达产复核, 定期复核):
/// compares actual to agreed, prices a breach by the agreement's clauses and writes the
/// penalty statement and the credit entry with the project's step (`outcome`: the result).
#[utoipa::path(post, path = "/api/projects/{id}/checkpoints/{code}", tag = "workflows",
    params(("id" = String, Path, description = "Project id"), ("code" = String, Path, description = "Checkpoint code (start, completion, capacity_review …)")),
    request_body = CheckpointIn, responses((status = 200, body = StepOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn checkpoint(
    guard: Guard,
    Path((id, code)): Path<(String, String)>,
    JsonBody(b): JsonBody<CheckpointIn>,
) -> ApiResult<Json<StepOut>> {
    let (pid, cid) = (id.clone(), format!("{id}:{code}"));
    let (project_rec, cp_rec) = guard
        .run(move |c| {
            let p = load(c, WfKind::Project, &pid, Action::WriteRegistry)?;
            let cp = c
                .store()
                .wf_record(WfKind::Checkpoint, &cid)?
                .ok_or_else(|| missing(format!("checkpoint {cid}")))?;
            Ok((p, cp))
        })
        .await?;
    let project = project_of(&project_rec)?;
    let mut cp: CheckpointRecord = serde_json::from_value(cp_rec.doc.clone())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if cp.result.is_some() {
        return Err(ApiError::Conflict(format!(
            "checkpoint {code} was already recorded on {}",
            cp.checkpoint
                .met_on
                .map(|d| d.to_string())
                .unwrap_or_default()
        )));
    }
    let (Some(c), Some(a)) = (&project.contract, &project.agreement) else {
        return Err(ApiError::Conflict(format!(
            "project {id} has no contract yet"
        )));
    };
    let on = b.step.on;
    let result = assess(c, a, &project.park_id, &cp.checkpoint, on, &b.facts)?;
    cp.checkpoint.met_on = Some(on);
    cp.result = Some(result.clone());
    let with = |kind, rid: String, status: &str, doc| WfRecord {
        kind,
        id: rid,
        status: status.into(),
        due: None,
        doc,
        ..cp_rec.clone()
    };
    let mut extra = vec![WfRecord {
        status: if result.passed { "met" } else { "breached" }.into(),
        doc: to_value(&cp)?,
        ..cp_rec.clone()
    }];
    if !result.penalties.is_empty() {
        let statement = PenaltyStatement::new(&c.contract_no, result.penalties.clone());
        let pen_id = format!("{id}:{code}:penalty");
        let credit = CreditRecord::for_penalty(
            &format!("{id}:{code}:credit"),
            &project.applicant,
            &pen_id,
            &statement,
            &cp.checkpoint.label_zh,
            on,
        );
        extra.push(with(
            WfKind::Penalty,
            pen_id,
            "issued",
            to_value(&statement)?,
        ));
        extra.push(with(
            WfKind::CreditRecord,
            credit.id.clone(),
            "recorded",
            to_value(&credit)?,
        ));
    }
    let outcome = to_value(&result)?;
    let rec = match status_after(&code) {
        Some(to) => {
            // The workflow's required fields come from the facts, never typed twice.
            let mut fields = BTreeMap::new();
            if let Some(v) = b.facts.actual_investment_yuan {
                fields.insert("actual_investment_yuan".into(), v.0.to_string());
            }
            if let Some(v) = b.facts.values.get("far_min") {
                fields.insert("actual_far".into(), v.to_string());
            }
            if let Some((_, v)) = b.facts.tax_per_mu_by_year.iter().max_by_key(|(y, _)| *y) {
                fields.insert("tax_per_mu_wan".into(), v.to_string());
            }
            let passed = result.passed;
            let is_capacity = code == "capacity_review";
            step(
                guard,
                id,
                Action::WriteRegistry,
                to,
                b.step,
                fields,
                move |p| {
                    if is_capacity {
                        p.capacity_review_passed = Some(passed);
                    }
                    Ok(())
                },
                extra,
            )
            .await?
        }
        None => {
            let meta =
                WriteMeta::new(guard.principal().user.clone(), b.step.reason.clone()).effective(on);
            guard
                .run(move |c| {
                    c.registry().put_workflows(extra, &meta)?;
                    c.store()
                        .wf_record(WfKind::Project, &id)?
                        .ok_or_else(|| missing(format!("project {id}")))
                })
                .await?
        }
    };
    Ok(Json(StepOut {
        project: WfOut::from(&rec),
        outcome,
    }))
}

/// The renewal application's review (续期审查, §6.4).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RenewalIn {
    /// Years asked for.
    pub years_requested: u16,
    /// The industry is in the park's direction and the plan still allows industry.
    pub industry_fits_plan: bool,
    /// The latest 亩均 classes (A–D), newest first. Left out, they are read from the stored
    /// evaluation runs (the newest run of each year that rated the land user, up to three years).
    #[schema(value_type = Option<Vec<String>>)]
    #[serde(default)]
    pub mu_classes: Option<Vec<MuClass>>,
    /// Appraised price for the legal maximum term, to price a granted renewal (元).
    #[schema(value_type = Option<String>)]
    pub appraised_full_term_price_yuan: Option<Decimal>,
    /// Day of the decision, reason, version, documents.
    #[serde(flatten)]
    pub step: StepMeta,
}

/// Decides a renewal condition by condition (§6.4): granted only when all hold, otherwise the
/// grant ends at expiry with the failing conditions recorded (`outcome`: the decision).
#[utoipa::path(post, path = "/api/projects/{id}/renewal", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    request_body = RenewalIn, responses((status = 200, body = StepOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn renewal(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RenewalIn>,
) -> ApiResult<Json<StepOut>> {
    let pid = id.clone();
    let read_stored = b.mu_classes.is_none();
    let (rec, open, stored) = guard
        .run(move |c| {
            let r = load(c, WfKind::Project, &pid, Action::WriteRegistry)?;
            // Penalties of this project not paid in full (`issued`, `partially_paid`), and open
            // cases on its parcel, block renewal; a statement marked `paid` does not.
            let q = WfQuery {
                park: r.park_id.clone(),
                ..Default::default()
            };
            let mut open: Vec<String> = c
                .store()
                .wf_records(WfKind::Penalty, &q)?
                .items
                .into_iter()
                .filter(|p| p.id.starts_with(&format!("{pid}:")) && p.status != "paid")
                .map(|p| p.id)
                .collect();
            if let Some(parcel) = r.parcel_id {
                let q = WfQuery {
                    parcel: Some(parcel),
                    ..Default::default()
                };
                let def = landcycle_domain::workflow::idle_case::idle_case_workflow();
                open.extend(
                    c.store()
                        .wf_records(WfKind::Case, &q)?
                        .items
                        .into_iter()
                        .filter(|k| def.status(&k.status).is_some_and(|s| !s.terminal))
                        .map(|k| k.id),
                );
            }
            let stored = match (read_stored, &r.enterprise) {
                (true, Some(u)) => c.store().classes_of(u)?,
                _ => Vec::new(),
            };
            Ok((r, open, stored))
        })
        .await?;
    let project = project_of(&rec)?;
    let c = project
        .contract
        .as_ref()
        .ok_or_else(|| ApiError::Conflict(format!("project {id} has no contract")))?;
    if project.state.status != "renewal_review" {
        return Err(DomainError::field(
            "status",
            Some(&project.state.status),
            "a renewal is decided after the land user applied (renewal_review)",
            "须在企业提出续期申请后审查",
        )
        .into());
    }
    let term_end = c
        .term_end()
        .ok_or_else(|| ApiError::Internal("term end out of range".into()))?;
    let facts = RenewalFacts {
        capacity_review_passed: project.capacity_review_passed.unwrap_or(false),
        open_cases: open,
        mu_classes: match &b.mu_classes {
            Some(given) => given.clone(),
            None => stored_classes(&stored),
        },
        industry_fits_plan: b.industry_fits_plan,
        applied_on: project.state.entered_on,
        term_end,
        years_so_far: c.term_years,
        years_requested: b.years_requested,
    };
    let decision = decide_renewal(
        &facts,
        &TermParams::xuchang_default(),
        b.appraised_full_term_price_yuan.map(Yuan),
    )?;
    let (to, mut fields) = if decision.granted {
        ("renewed", BTreeMap::new())
    } else {
        let f: BTreeMap<String, String> = [(
            "failing_conditions".to_owned(),
            decision.failing().join(","),
        )]
        .into();
        ("expired", f)
    };
    fields.insert("years_requested".into(), b.years_requested.to_string());
    let d = decision.clone();
    let rec = step(
        guard,
        id,
        Action::WriteRegistry,
        to,
        b.step,
        fields,
        move |p| {
            p.renewal = Some(d);
            Ok(())
        },
        Vec::new(),
    )
    .await?;
    let mut outcome = to_value(&decision)?;
    if b.mu_classes.is_none()
        && let Some(o) = outcome.as_object_mut()
    {
        // Which stored runs the classes came from, so the decision can be traced.
        o.insert("mu_classes_from".into(), to_value(&stored)?);
    }
    Ok(Json(StepOut {
        project: WfOut::from(&rec),
        outcome,
    }))
}

/// The classes of the stored runs that rated the land user, newest year first, three at most
/// (the renewal rule looks at the latest and the one before).
fn stored_classes(stored: &[landcycle_store::StoredClass]) -> Vec<MuClass> {
    stored.iter().filter_map(|s| s.class).take(3).collect()
}

/// A project's checkpoint timeline (stored on signing) with each result.
#[utoipa::path(get, path = "/api/projects/{id}/checkpoints", tag = "workflows", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = WfPage)))]
pub async fn checkpoints(guard: Guard, Path(id): Path<String>) -> ApiResult<Json<WfPage>> {
    guard
        .run(move |c| {
            let p = load(c, WfKind::Project, &id, Action::ReadRegistry)?;
            let q = WfQuery {
                park: p.park_id.clone(),
                ..Default::default()
            };
            let prefix = format!("{id}:");
            let mut items: Vec<WfRecord> = c
                .store()
                .wf_records(WfKind::Checkpoint, &q)?
                .items
                .into_iter()
                .filter(|r| r.id.starts_with(&prefix))
                .collect();
            items.sort_by_key(|r| (r.due, r.id.clone()));
            Ok(Json(WfPage {
                total: items.len() as u64,
                items: items.iter().map(WfOut::from).collect(),
            }))
        })
        .await
}

/// An enterprise's credit record (信用记录): the breaches found and what they cost.
#[utoipa::path(get, path = "/api/enterprises/{uscc}/credit", tag = "workflows", params(("uscc" = String, Path, description = "统一社会信用代码")),
    responses((status = 200, body = WfPage)))]
pub async fn credit(guard: Guard, Path(uscc): Path<String>) -> ApiResult<Json<WfPage>> {
    let uscc = Uscc::parse(&uscc)
        .map_err(|e| ApiError::BadRequest(e.to_string(), e.field_errors().to_vec()))?;
    guard
        .run(move |c| {
            let q = WfQuery {
                enterprise: Some(uscc),
                ..Default::default()
            };
            let page = c.store().wf_records(WfKind::CreditRecord, &q)?;
            Ok(Json(WfPage {
                total: page.total,
                items: page.items.iter().map(WfOut::from).collect(),
            }))
        })
        .await
}
