//! Demo workflow data (issue 6): the plan's 27 tasks with their progress as of a day (some
//! overdue), idle-land cases in every status of the §1.7 workflow, and 一地一策 plans with
//! 挂牌督办 listings per park. Deterministic: the same inputs give the same records.

use crate::plan::pilot_plan;
use jiff::civil::Date;
use landcycle_domain::ParkId;
use landcycle_domain::units::{AreaM2, Yuan};
use landcycle_domain::workflow::disposal::{
    DisposalMethod, DisposalPlan, DisposalSubject, SupervisedListing,
};
use landcycle_domain::workflow::engine::{DocumentRef, TransitionRequest, WorkflowDef};
use landcycle_domain::workflow::idle_case::{IdleCase, idle_case_workflow};
use landcycle_domain::workflow::tasks::{Milestone, PlanTask};
use landcycle_domain::{DomainError, DomainResult};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, VecDeque};

/// The plan's 27 tasks with progress as of `as_of`: a milestone past its date counts as done
/// except for every fourth task, left open to show overdue tasks in the warnings centre.
pub fn plan_tasks(as_of: Date) -> DomainResult<Vec<PlanTask>> {
    pilot_plan()
        .tasks
        .iter()
        .map(|t| {
            let lagging = t.no % 4 == 0;
            let ms = t
                .deadlines
                .iter()
                .map(|d| Milestone {
                    date: d.date,
                    what: d.what.clone(),
                    done_on: (d.date < as_of && !lagging).then_some(d.date),
                })
                .collect();
            PlanTask::from_units(t.no, &t.title, &t.units, ms)
        })
        .collect()
}

/// The shortest path of statuses from the initial one to `target` (breadth-first over the
/// definition, so it follows the definition as data).
fn path_to(def: &WorkflowDef, target: &str) -> Option<Vec<String>> {
    let mut prev: BTreeMap<String, String> = BTreeMap::new();
    let mut q = VecDeque::from([def.initial.clone()]);
    while let Some(s) = q.pop_front() {
        if s == target {
            let mut path = vec![s.clone()];
            let mut cur = s;
            while let Some(p) = prev.get(&cur) {
                path.push(p.clone());
                cur = p.clone();
            }
            path.reverse();
            return Some(path);
        }
        for t in def.transitions_from(&s) {
            if t.to != def.initial && !prev.contains_key(&t.to) {
                prev.insert(t.to.clone(), s.clone());
                q.push_back(t.to.clone());
            }
        }
    }
    None
}

/// One idle case per status of the workflow, each walked through its transitions with the
/// documents and fields they require, 20 days apart, in the parks in turn. A path through a
/// fee decision uses a parcel idle for 13 months, others one idle for 25 (第十四条).
pub fn idle_cases(parks: &[ParkId], discovered: Date) -> DomainResult<Vec<IdleCase>> {
    let def = idle_case_workflow();
    let mut out = Vec::new();
    for (i, s) in def.statuses.iter().enumerate() {
        let path = path_to(&def, &s.code).ok_or_else(|| {
            DomainError::field("status", Some(&s.code), "unreachable status", "不可达状态")
        })?;
        let via_fee = path.iter().any(|p| p == "fee_decision_issued");
        let months = if via_fee { -13 } else { -25 };
        let start = landcycle_domain::rules::add_months(discovered, months).ok_or_else(|| {
            DomainError::field("discovered", None, "out of range", "日期超出范围")
        })?;
        let id = format!("XZ-DEMO-{:03}", i + 1);
        let price = Yuan(Decimal::from(3_000_000 + 250_000 * i as i64));
        let mut c = IdleCase::open(&id, &def, start, price, discovered, None)?;
        c.park_id = parks.get(i % parks.len().max(1)).cloned();
        let mut on = discovered;
        for w in path.windows(2) {
            let t = def
                .transitions_from(&w[0])
                .find(|t| t.to == w[1])
                .ok_or_else(|| {
                    DomainError::field("to", Some(&w[1]), "no transition", "无此流转")
                })?;
            on = on
                .checked_add(jiff::Span::new().days(20))
                .map_err(|e| DomainError::field("on", None, e.to_string(), "日期超出范围"))?;
            let fields = t
                .required_fields
                .iter()
                .map(|f| {
                    let v = match f.as_str() {
                        "gov_cause" => "plan_revision".to_owned(),
                        "paid_yuan" => c.fee_amount().0.to_string(),
                        _ => "延长动工开发期限1年".to_owned(),
                    };
                    (f.clone(), v)
                })
                .collect();
            let req = TransitionRequest {
                to: t.to.clone(),
                actor: "demo".into(),
                role: t.roles[0],
                on,
                reason: t.label_zh.clone(),
                fields,
                documents: t
                    .required_documents
                    .iter()
                    .map(|k| DocumentRef {
                        kind: k.clone(),
                        number: Some(format!("{id}-{k}")),
                        sha256: None,
                    })
                    .collect(),
                passed_checks: Default::default(),
            };
            c.transition(&def, &req, None)?;
        }
        out.push(c);
    }
    Ok(out)
}

/// 一地一策 plans: three per park, of which park *k* has *k* mod 4 listed for 挂牌督办 by
/// 2021-12-31 — some parks meet the plan's minimum of two, some do not.
pub fn disposal_plans(parks: &[ParkId]) -> Vec<DisposalPlan> {
    let methods = [
        DisposalMethod::Densify,
        DisposalMethod::NegotiatedRecovery,
        DisposalMethod::ReplaceTenant,
    ];
    let mut out = Vec::new();
    for (k, park) in parks.iter().enumerate() {
        for (j, m) in methods.iter().enumerate() {
            let listed = j < k % 4;
            out.push(DisposalPlan {
                id: format!("YDYC-{}-{}", park.as_str(), j + 1),
                parcel_id: None,
                park_id: park.clone(),
                subject: if j == 1 {
                    DisposalSubject::Idle
                } else {
                    DisposalSubject::LowEfficiency
                },
                method: *m,
                responsible_unit: "园区管委会".into(),
                area_m2: AreaM2(Decimal::from(20_000 + 5_000 * j as i64)),
                disposed_m2: AreaM2::ZERO,
                target_on: jiff::civil::date(2022, 9, 30),
                completed_on: None,
                supervised: listed.then(|| SupervisedListing {
                    listed_on: jiff::civil::date(2021, 6 + j as i8, 15),
                    by: "市产业集聚区“百园增效”行动领导小组".into(),
                    deadline: jiff::civil::date(2022, 6, 30),
                }),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use landcycle_domain::workflow::disposal::supervised_counts;
    use landcycle_domain::workflow::tasks::TaskStatus;

    fn parks() -> Vec<ParkId> {
        ["weidu", "yuzhou", "changge", "xiangcheng"]
            .map(|p| ParkId::parse(p).unwrap())
            .to_vec()
    }

    #[test]
    fn the_27_tasks_with_some_overdue() {
        let t = plan_tasks(date(2022, 1, 15)).unwrap();
        assert_eq!(t.len(), 27);
        assert_eq!(t[0].lead_unit, "市发展和改革委员会");
        let overdue: Vec<u32> = t
            .iter()
            .filter(|x| x.status(date(2022, 1, 15)) == TaskStatus::Overdue)
            .map(|x| x.no)
            .collect();
        assert_eq!(
            overdue,
            [8, 12, 16, 20, 24],
            "task 4 lags too, but its only milestone (2022-06-30) is not due yet"
        );
    }

    #[test]
    fn cases_in_every_status() {
        let def = idle_case_workflow();
        let cases = idle_cases(&parks(), date(2021, 3, 1)).unwrap();
        let mut seen: Vec<&str> = cases.iter().map(|c| c.state.status.as_str()).collect();
        seen.sort_unstable();
        let mut all: Vec<&str> = def.statuses.iter().map(|s| s.code.as_str()).collect();
        all.sort_unstable();
        assert_eq!(seen, all);
        let fee = cases
            .iter()
            .find(|c| c.state.status == "fee_decision_issued")
            .unwrap();
        assert_eq!(fee.fee, Some(fee.fee_amount()));
        assert!(
            cases
                .iter()
                .find(|c| c.state.status == "gov_cause_confirmed")
                .unwrap()
                .gov_cause
                .is_some()
        );
    }

    #[test]
    fn supervised_counts_per_park() {
        let plans = disposal_plans(&parks());
        let c = supervised_counts(&plans, date(2021, 12, 31), 2);
        let got: Vec<(usize, bool)> = parks().iter().map(|p| c[p]).collect();
        assert_eq!(got, [(0, false), (1, false), (2, true), (3, true)]);
    }
}
