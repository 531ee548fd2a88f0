//! 流程引擎 — a workflow configured as data: statuses (with checklists and deadlines computed by
//! the legal date module, §7.6), transitions (with the role allowed to take them and guards that
//! require fields, documents and passed checks). A jurisdiction edits the definition, not code.
//!
//! [`WorkflowDef::apply`] is pure: it checks one requested transition against the definition and
//! the current [`CaseState`], and returns the new state and the [`TransitionRecord`] to store,
//! or every reason it is refused (nothing changes then).

use crate::access::Role;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::rules::dates::{Deadline, HolidayCalendar, PeriodUnit};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A period that starts when a status is entered (e.g. 30 days to answer the 调查通知书).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeadlineRule {
    /// What starts the clock, e.g. `notice_served`.
    pub anchor_event: String,
    /// Length of the period.
    pub period: i32,
    /// Unit of the period.
    #[schema(value_type = String)]
    pub unit: PeriodUnit,
    /// The rule that sets it, e.g. 《闲置土地处置办法》第五条.
    pub rule_ref: String,
}

/// One status of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusDef {
    /// Code (snake_case), unique in the workflow.
    pub code: String,
    /// Chinese label.
    pub label_zh: String,
    /// No transition leaves a terminal status.
    pub terminal: bool,
    /// What the officer must do while the case is here (办理事项清单).
    pub checklist: Vec<String>,
    /// The deadline that starts on entering the status, if any.
    pub deadline: Option<DeadlineRule>,
}

/// One allowed transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TransitionDef {
    /// From this status.
    pub from: String,
    /// To this status.
    pub to: String,
    /// Chinese label of the act (e.g. 送达调查通知书).
    pub label_zh: String,
    /// Roles that may take it.
    pub roles: Vec<Role>,
    /// Fields the request must carry (e.g. `idle_years`).
    pub required_fields: Vec<String>,
    /// Documents the request must attach, by kind (e.g. `闲置土地认定书`).
    pub required_documents: Vec<String>,
    /// Checks that must have passed (e.g. `admission_check`).
    pub required_checks: Vec<String>,
}

/// A workflow definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WorkflowDef {
    /// Code, e.g. `idle_case`.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// Version of the definition (stored with every case).
    pub version: String,
    /// The first status.
    pub initial: String,
    /// All statuses.
    pub statuses: Vec<StatusDef>,
    /// All transitions.
    pub transitions: Vec<TransitionDef>,
}

/// A document attached to a transition (by kind and content hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentRef {
    /// Kind, as named in [`TransitionDef::required_documents`].
    pub kind: String,
    /// Document number (文号), if any.
    pub number: Option<String>,
    /// sha256 of the stored attachment, if uploaded.
    pub sha256: Option<String>,
}

/// A requested transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    /// Target status.
    pub to: String,
    /// Who acts.
    pub actor: String,
    /// The role the actor acts in.
    pub role: Role,
    /// The day of the act.
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Why.
    pub reason: String,
    /// Field values.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Attached documents.
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
    /// Checks known to have passed.
    #[serde(default)]
    pub passed_checks: BTreeSet<String>,
}

/// One recorded transition (who, when, why, attachments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TransitionRecord {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Who.
    pub actor: String,
    /// In which role.
    pub role: Role,
    /// The day of the act.
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Why.
    pub reason: String,
    /// Field values given.
    pub fields: BTreeMap<String, String>,
    /// Documents attached.
    pub documents: Vec<DocumentRef>,
    /// The deadline of the new status, if it has one.
    #[schema(value_type = Option<Object>)]
    pub deadline: Option<Deadline>,
}

/// Where a case stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseState {
    /// Workflow code.
    pub workflow: String,
    /// Workflow version.
    pub version: String,
    /// Current status.
    pub status: String,
    /// The day the current status was entered.
    #[schema(value_type = String, format = Date)]
    pub entered_on: Date,
    /// The deadline of the current status.
    #[schema(value_type = Option<Object>)]
    pub deadline: Option<Deadline>,
    /// Every transition so far, oldest first.
    pub history: Vec<TransitionRecord>,
}

fn err(field: &str, value: Option<&str>, en: String, zh: String) -> FieldError {
    FieldError::new(field, value, en, zh)
}

impl WorkflowDef {
    /// Checks the definition itself: unique statuses, transitions between known statuses,
    /// none out of a terminal status, at least one role each, a known initial status.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errs = Vec::new();
        let mut seen = BTreeSet::new();
        for s in &self.statuses {
            if !seen.insert(s.code.as_str()) {
                errs.push(err(
                    "statuses",
                    Some(&s.code),
                    "duplicate status".into(),
                    "状态重复".into(),
                ));
            }
            if let Some(d) = &s.deadline
                && d.period <= 0
            {
                errs.push(err(
                    "statuses.deadline.period",
                    Some(&d.period.to_string()),
                    "a deadline period must be positive".into(),
                    "期限长度须为正数".into(),
                ));
            }
        }
        if !seen.contains(self.initial.as_str()) {
            errs.push(err(
                "initial",
                Some(&self.initial),
                "unknown status".into(),
                "未知状态".into(),
            ));
        }
        for t in &self.transitions {
            for s in [&t.from, &t.to] {
                if !seen.contains(s.as_str()) {
                    errs.push(err(
                        "transitions",
                        Some(s),
                        "unknown status".into(),
                        "未知状态".into(),
                    ));
                }
            }
            if self.status(&t.from).is_some_and(|s| s.terminal) {
                errs.push(err(
                    "transitions.from",
                    Some(&t.from),
                    "no transition may leave a terminal status".into(),
                    "终结状态不得再流转".into(),
                ));
            }
            if t.roles.is_empty() {
                errs.push(err(
                    "transitions.roles",
                    Some(&format!("{}→{}", t.from, t.to)),
                    "a transition needs at least one role".into(),
                    "每个流转须指定办理角色".into(),
                ));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }

    /// A status by code.
    pub fn status(&self, code: &str) -> Option<&StatusDef> {
        self.statuses.iter().find(|s| s.code == code)
    }

    /// The transitions out of `from`.
    pub fn transitions_from<'a>(
        &'a self,
        from: &'a str,
    ) -> impl Iterator<Item = &'a TransitionDef> {
        self.transitions.iter().filter(move |t| t.from == from)
    }

    /// The deadline of `status` when entered on `on`.
    pub fn deadline_for(
        &self,
        status: &str,
        on: Date,
        cal: Option<&HolidayCalendar>,
    ) -> Option<Deadline> {
        let d = self.status(status)?.deadline.as_ref()?;
        Deadline::compute(&d.anchor_event, on, d.period, d.unit, &d.rule_ref, cal)
    }

    /// A new case in the initial status, opened on `on`.
    pub fn open(&self, on: Date, cal: Option<&HolidayCalendar>) -> CaseState {
        CaseState {
            workflow: self.code.clone(),
            version: self.version.clone(),
            status: self.initial.clone(),
            entered_on: on,
            deadline: self.deadline_for(&self.initial, on, cal),
            history: Vec::new(),
        }
    }

    /// Checks `req` against the definition and `state`; on success returns the new state (with
    /// the record appended to its history). Every refusal names the field and the reason.
    pub fn apply(
        &self,
        state: &CaseState,
        req: &TransitionRequest,
        cal: Option<&HolidayCalendar>,
    ) -> DomainResult<CaseState> {
        if state.workflow != self.code {
            return Err(DomainError::field(
                "workflow",
                Some(&state.workflow),
                format!(
                    "the case belongs to workflow {}, not {}",
                    state.workflow, self.code
                ),
                "案件所属流程与定义不符",
            ));
        }
        let Some(t) = self
            .transitions_from(&state.status)
            .find(|t| t.to == req.to)
        else {
            let allowed: Vec<&str> = self
                .transitions_from(&state.status)
                .map(|t| t.to.as_str())
                .collect();
            return Err(DomainError::IllegalTransition {
                from: state.status.clone(),
                to: req.to.clone(),
                reason: format!(
                    "可进入：{}",
                    if allowed.is_empty() {
                        "（终结）".into()
                    } else {
                        allowed.join(", ")
                    }
                ),
            });
        };
        let mut errs = Vec::new();
        if !t.roles.contains(&req.role) {
            let roles: Vec<&str> = t.roles.iter().map(|r| r.as_str()).collect();
            errs.push(err(
                "role",
                Some(req.role.as_str()),
                format!(
                    "{} → {} ({}) may only be done by: {}",
                    t.from,
                    t.to,
                    t.label_zh,
                    roles.join(", ")
                ),
                format!(
                    "“{}”须由{}办理，{}无权办理",
                    t.label_zh,
                    t.roles
                        .iter()
                        .map(|r| r.label_zh())
                        .collect::<Vec<_>>()
                        .join("或"),
                    req.role.label_zh()
                ),
            ));
        }
        if req.reason.trim().is_empty() {
            errs.push(err(
                "reason",
                Some(""),
                "a reason is required".into(),
                "须填写办理理由".into(),
            ));
        }
        if req.actor.trim().is_empty() {
            errs.push(err(
                "actor",
                Some(""),
                "the actor is required".into(),
                "须注明办理人".into(),
            ));
        }
        if req.on < state.entered_on {
            errs.push(err(
                "on",
                Some(&req.on.to_string()),
                format!(
                    "the act is dated before the case entered {} on {}",
                    state.status, state.entered_on
                ),
                format!("办理日期早于进入当前环节的日期{}", state.entered_on),
            ));
        }
        for f in &t.required_fields {
            if req.fields.get(f).is_none_or(|v| v.trim().is_empty()) {
                errs.push(err(
                    &format!("fields.{f}"),
                    None,
                    format!("required for {}", t.label_zh),
                    format!("“{}”须填写{f}", t.label_zh),
                ));
            }
        }
        for d in &t.required_documents {
            if !req.documents.iter().any(|x| &x.kind == d) {
                errs.push(err(
                    "documents",
                    Some(d),
                    format!("document {d} is required for {}", t.label_zh),
                    format!("“{}”须附《{d}》", t.label_zh),
                ));
            }
        }
        for c in &t.required_checks {
            if !req.passed_checks.contains(c) {
                errs.push(err(
                    "passed_checks",
                    Some(c),
                    format!("check {c} has not passed"),
                    format!("“{c}”尚未通过"),
                ));
            }
        }
        if !errs.is_empty() {
            return Err(DomainError::Invalid(errs));
        }
        let deadline = self.deadline_for(&t.to, req.on, cal);
        let mut next = state.clone();
        next.history.push(TransitionRecord {
            from: t.from.clone(),
            to: t.to.clone(),
            actor: req.actor.clone(),
            role: req.role,
            on: req.on,
            reason: req.reason.clone(),
            fields: req.fields.clone(),
            documents: req.documents.clone(),
            deadline: deadline.clone(),
        });
        next.status = t.to.clone();
        next.entered_on = req.on;
        next.deadline = deadline;
        Ok(next)
    }
}
