//! A compact builder for workflow definitions written in code (the defaults shipped per §1.7
//! and §4.1); jurisdictions replace them with their own definitions as data.

use super::engine::{DeadlineRule, StatusDef, TransitionDef, WorkflowDef};
use crate::access::Role;
use crate::rules::dates::PeriodUnit;

/// A compact builder for definitions written in code (the defaults shipped per §1.7, §4).
pub(crate) struct DefBuilder(pub WorkflowDef);

impl DefBuilder {
    pub(crate) fn new(code: &str, name_zh: &str, version: &str, initial: &str) -> Self {
        Self(WorkflowDef {
            code: code.into(),
            name_zh: name_zh.into(),
            version: version.into(),
            initial: initial.into(),
            statuses: Vec::new(),
            transitions: Vec::new(),
        })
    }

    pub(crate) fn status(mut self, code: &str, label: &str, checklist: &[&str]) -> Self {
        self.0.statuses.push(StatusDef {
            code: code.into(),
            label_zh: label.into(),
            terminal: false,
            checklist: checklist.iter().map(|s| (*s).to_owned()).collect(),
            deadline: None,
        });
        self
    }

    pub(crate) fn terminal(mut self, code: &str, label: &str) -> Self {
        self = self.status(code, label, &[]);
        if let Some(s) = self.0.statuses.last_mut() {
            s.terminal = true;
        }
        self
    }

    /// Sets the deadline of the last status added.
    pub(crate) fn due(mut self, anchor: &str, period: i32, unit: PeriodUnit, rule: &str) -> Self {
        if let Some(s) = self.0.statuses.last_mut() {
            s.deadline = Some(DeadlineRule {
                anchor_event: anchor.into(),
                period,
                unit,
                rule_ref: rule.into(),
            });
        }
        self
    }

    pub(crate) fn go(mut self, from: &str, to: &str, label: &str, roles: &[Role]) -> Self {
        self.0.transitions.push(TransitionDef {
            from: from.into(),
            to: to.into(),
            label_zh: label.into(),
            roles: roles.to_vec(),
            required_fields: vec![],
            required_documents: vec![],
            required_checks: vec![],
        });
        self
    }

    /// Requires documents on the last transition added.
    pub(crate) fn docs(mut self, d: &[&str]) -> Self {
        if let Some(t) = self.0.transitions.last_mut() {
            t.required_documents = d.iter().map(|s| (*s).to_owned()).collect();
        }
        self
    }

    /// Requires fields on the last transition added.
    pub(crate) fn fields(mut self, f: &[&str]) -> Self {
        if let Some(t) = self.0.transitions.last_mut() {
            t.required_fields = f.iter().map(|s| (*s).to_owned()).collect();
        }
        self
    }

    /// Requires passed checks on the last transition added.
    pub(crate) fn checks(mut self, c: &[&str]) -> Self {
        if let Some(t) = self.0.transitions.last_mut() {
            t.required_checks = c.iter().map(|s| (*s).to_owned()).collect();
        }
        self
    }

    pub(crate) fn build(self) -> WorkflowDef {
        self.0
    }
}
