//! 预警中心: due and overdue items (T−30 提示, T−7 预警, 逾期) over case deadlines, contract
//! checkpoints, 督办 deadlines, the quarterly progress reports owed under 履约监管协议 and the
//! plan's task milestones, for the caller's scope — a park
//! user sees its park's items and the tasks its 管理机构 co-operates on; the city sees all.
//! Also as an iCalendar feed for calendar clients.

use super::scoped_query;
use crate::auth::Guard;
use crate::auth::guard::Checked;
use crate::error::ApiResult;
use crate::extract::Params;
use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use landcycle_domain::access::Scope;
use landcycle_domain::workflow::contract::Checkpoint;
use landcycle_domain::workflow::disposal::DisposalPlan;
use landcycle_domain::workflow::idle_case::idle_case_workflow;
use landcycle_domain::workflow::project::{StandardLandProject, project_workflow};
use landcycle_domain::workflow::reports::{QuarterlyReport, ReportSubject, quarters_owed};
use landcycle_domain::workflow::tasks::PlanTask;
use landcycle_domain::workflow::warnings::{DueItem, DueKind, Warning, to_ics, warnings};
use landcycle_store::WfKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// The warnings of a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarningsOut {
    /// The day.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// Counts by level (notice, warning, overdue).
    pub counts: std::collections::BTreeMap<String, usize>,
    /// Most urgent first.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Warning>,
}

/// Units that stand for every park's management body in the plan's task lists.
const EVERY_PARK: &str = "各产业集聚区管理机构";

/// Which of the plan's tasks a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskView {
    /// Every task (city, county).
    All,
    /// Tasks the parks' management bodies lead or co-operate on (a park).
    Parks,
    /// None (enterprises, departments).
    None,
}

fn gather(c: &Checked<'_>, as_of: Date) -> ApiResult<Vec<Warning>> {
    let q = scoped_query(c, None)?;
    let view = match &c.principal().scope {
        Scope::All | Scope::County(_) => TaskView::All,
        Scope::Park(_) => TaskView::Parks,
        _ => TaskView::None,
    };
    Ok(warnings(due_items(c.store(), &q, view)?, as_of))
}

/// Everything with a due day among the records `q` selects — case deadlines, open contract
/// checkpoints, 督办 deadlines — and the open milestones of the tasks `view` shows.
pub fn due_items(
    store: &dyn landcycle_store::Store,
    q: &landcycle_store::WfQuery,
    view: TaskView,
) -> landcycle_store::StoreResult<Vec<DueItem>> {
    let mut items = Vec::new();
    let def = idle_case_workflow();
    for r in store.wf_records(WfKind::Case, q)?.items {
        if let Some(due) = r.due {
            let label = def
                .status(&r.status)
                .map(|s| s.label_zh.clone())
                .unwrap_or_default();
            let rule = r.doc["state"]["deadline"]["rule_ref"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            items.push(DueItem {
                kind: DueKind::CaseDeadline,
                subject_id: r.id.clone(),
                park_id: r.park_id.clone(),
                title_zh: format!("闲置土地案件{}：{label}办理期限", r.id),
                due,
                rule_ref: rule,
            });
        }
    }
    for r in store.wf_records(WfKind::Checkpoint, q)?.items {
        if let Ok(cp) = serde_json::from_value::<Checkpoint>(r.doc.clone())
            && cp.met_on.is_none()
        {
            items.push(DueItem {
                kind: DueKind::Checkpoint,
                subject_id: r.id.clone(),
                park_id: r.park_id.clone(),
                title_zh: format!("履约节点：{}", cp.label_zh),
                due: cp.due,
                rule_ref: cp.rule_ref,
            });
        }
    }
    for r in store.wf_records(WfKind::DisposalPlan, q)?.items {
        if let Ok(p) = serde_json::from_value::<DisposalPlan>(r.doc.clone())
            && p.completed_on.is_none()
            && let Some(s) = &p.supervised
        {
            items.push(DueItem {
                kind: DueKind::Supervision,
                subject_id: p.id.clone(),
                park_id: Some(p.park_id.clone()),
                title_zh: format!("挂牌督办：{}（{}）", p.id, p.method.label_zh()),
                due: s.deadline,
                rule_ref: s.by.clone(),
            });
        }
    }
    items.extend(report_dues(store, q)?);
    let sees_tasks = match view {
        TaskView::All => Some(false),
        TaskView::Parks => Some(true),
        TaskView::None => None,
    };
    if let Some(park_only) = sees_tasks {
        for r in store.wf_records(WfKind::Task, &Default::default())?.items {
            let Ok(t) = serde_json::from_value::<PlanTask>(r.doc.clone()) else {
                continue;
            };
            // A park sees its own tasks and those of every park's management body.
            let own = r.park_id.is_some() && r.park_id == q.park;
            let every_park =
                t.lead_unit == EVERY_PARK || t.co_units.iter().any(|u| u == EVERY_PARK);
            if park_only && !own && (r.park_id.is_some() || !every_park) {
                continue;
            }
            for m in t.milestones.iter().filter(|m| m.done_on.is_none()) {
                items.push(DueItem {
                    kind: DueKind::TaskMilestone,
                    subject_id: format!("task-{}", t.no),
                    park_id: None,
                    title_zh: format!("任务{}：{}", t.no, m.what),
                    due: m.date,
                    rule_ref: format!("牵头单位：{}", t.lead_unit),
                });
            }
        }
    }
    Ok(items)
}

/// The quarterly progress reports owed under each 履约监管协议 among the projects `q` selects
/// (an enterprise's own, a park's): every quarter from signing to the term's end not yet
/// reported, due on its last day. A project that has ended (renewed, expired) owes none.
fn report_dues(
    store: &dyn landcycle_store::Store,
    q: &landcycle_store::WfQuery,
) -> landcycle_store::StoreResult<Vec<DueItem>> {
    let mut filed: BTreeMap<String, BTreeSet<(i16, i8)>> = BTreeMap::new();
    for r in store.wf_records(WfKind::ProgressReport, q)?.items {
        if let Ok(rep) = serde_json::from_value::<QuarterlyReport>(r.doc)
            && rep.subject == ReportSubject::Project
        {
            filed
                .entry(rep.subject_id)
                .or_default()
                .insert((rep.year, rep.quarter));
        }
    }
    let def = project_workflow();
    let mut items = Vec::new();
    for r in store.wf_records(WfKind::Project, q)?.items {
        if def.status(&r.status).is_none_or(|s| s.terminal) {
            continue;
        }
        let Ok(p) = serde_json::from_value::<StandardLandProject>(r.doc) else {
            continue;
        };
        let (Some(a), Some(end)) = (&p.agreement, p.contract.as_ref().and_then(|c| c.term_end()))
        else {
            continue;
        };
        let done = filed.remove(&r.id).unwrap_or_default();
        for (y, qn, due) in quarters_owed(a.signed_on, end, &done) {
            items.push(DueItem {
                kind: DueKind::ProgressReport,
                subject_id: r.id.clone(),
                park_id: r.park_id.clone(),
                title_zh: format!("履约季度进展报告：{}（{y}年第{qn}季度）", p.name),
                due,
                rule_ref: format!("{}：每季度末报送", a.agreement_no),
            });
        }
    }
    Ok(items)
}

/// Due and overdue items for the caller (T−30, T−7, overdue), most urgent first.
#[utoipa::path(get, path = "/api/warnings", tag = "workflows",
    params(("as_of" = Option<jiff::civil::Date>, Query, description = "The day (default today)")),
    responses((status = 200, body = WarningsOut)))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Json<WarningsOut>> {
    params.only(&["as_of"])?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| jiff::Zoned::now().date());
    let items = guard.run(move |c| gather(c, as_of)).await?;
    let mut counts = std::collections::BTreeMap::new();
    for w in &items {
        *counts.entry(w.level.label_zh().to_owned()).or_insert(0) += 1;
    }
    Ok(Json(WarningsOut {
        as_of,
        counts,
        items,
    }))
}

/// The same warnings as an iCalendar (RFC 5545) feed.
#[utoipa::path(get, path = "/api/warnings.ics", tag = "workflows",
    params(("as_of" = Option<jiff::civil::Date>, Query, description = "The day (default today)")),
    responses((status = 200, description = "iCalendar feed", content_type = "text/calendar", body = String)))]
pub async fn ics(guard: Guard, params: Params) -> ApiResult<Response> {
    params.only(&["as_of"])?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| jiff::Zoned::now().date());
    let items = guard.run(move |c| gather(c, as_of)).await?;
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        to_ics(&items, &stamp),
    )
        .into_response())
}
