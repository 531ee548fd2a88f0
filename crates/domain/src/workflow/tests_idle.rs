//! Idle cases on the statutory path (53号令) and on the government-caused path.

use super::engine::{DocumentRef, TransitionRequest};
use super::idle_case::{IdleCase, IdleDecision, idle_case_workflow};
use crate::ParcelLifecycle;
use crate::access::Role;
use crate::rules::dates::HolidayCalendar;
use crate::units::Yuan;
use jiff::civil::{Date, date};
use rust_decimal::Decimal;

fn req(to: &str, role: Role, on: Date, docs: &[&str]) -> TransitionRequest {
    TransitionRequest {
        to: to.into(),
        actor: "officer".into(),
        role,
        on,
        reason: format!("办理{to}"),
        fields: Default::default(),
        documents: docs
            .iter()
            .map(|k| DocumentRef {
                kind: (*k).into(),
                number: None,
                sha256: None,
            })
            .collect(),
        passed_checks: Default::default(),
    }
}

/// 2021 清明 (3–5 Apr) and 劳动节 (1–5 May; Sun 25 Apr and Sat 8 May worked) — test fixture.
fn cal_2021() -> HolidayCalendar {
    HolidayCalendar::new(
        [date(2021, 4, 3), date(2021, 4, 4), date(2021, 4, 5)]
            .into_iter()
            .chain((1..=5).map(|d| date(2021, 5, d))),
        [date(2021, 4, 25), date(2021, 5, 8)],
    )
}

#[test]
fn user_caused_case_walks_to_recovery_on_statutory_dates() {
    let def = idle_case_workflow();
    def.validate().unwrap();
    let cal = cal_2021();
    // Agreed start 2019-01-10: 满二年 on 2021-01-10. Discovered 2021-01-20.
    let mut c = IdleCase::open(
        "XZ-2021-001",
        &def,
        date(2019, 1, 10),
        Yuan(Decimal::from(12_000_000)),
        date(2021, 1, 20),
        Some(&cal),
    )
    .unwrap();
    assert_eq!(
        c.state.deadline.as_ref().unwrap().due,
        date(2021, 2, 19),
        "调查通知书 within 30 days (第五条)"
    );
    assert_eq!(c.decision_on(date(2021, 1, 9)), IdleDecision::Fee);
    assert_eq!(
        c.decision_on(date(2021, 1, 10)),
        IdleDecision::Recovery,
        "on the anniversary 满二年"
    );

    c.transition(
        &def,
        &req(
            "notice_issued",
            Role::County,
            date(2021, 2, 5),
            &["闲置土地调查通知书"],
        ),
        Some(&cal),
    )
    .unwrap();
    assert_eq!(
        c.state.deadline.as_ref().unwrap().due,
        date(2021, 3, 8),
        "answer within 30 days (第五条): 7 Mar is a Sunday → Monday 8 Mar"
    );
    c.transition(
        &def,
        &req("under_review", Role::Enterprise, date(2021, 3, 1), &[]),
        Some(&cal),
    )
    .unwrap();
    assert_eq!(c.state.deadline.as_ref().unwrap().due, date(2021, 4, 30));
    c.transition(
        &def,
        &req(
            "idle_confirmed",
            Role::County,
            date(2021, 4, 15),
            &["闲置土地认定书"],
        ),
        Some(&cal),
    )
    .unwrap();
    // 10 working days from Thu 15 Apr: 16, 19–23, 25 (make-up Sunday), 26, 27, 28.
    assert_eq!(c.state.deadline.as_ref().unwrap().due, date(2021, 4, 28));
    c.transition(
        &def,
        &req(
            "hearing_notified",
            Role::County,
            date(2021, 4, 20),
            &["听证告知书"],
        ),
        Some(&cal),
    )
    .unwrap();
    // 5 working days from Tue 20 Apr: 21, 22, 23, 25, 26.
    assert_eq!(c.state.deadline.as_ref().unwrap().due, date(2021, 4, 26));

    // No decision while the hearing window is open.
    let early = req(
        "recovery_decision_issued",
        Role::County,
        date(2021, 4, 26),
        &["收回国有建设用地使用权决定书"],
    );
    assert!(
        c.transition(&def, &early, Some(&cal))
            .unwrap_err()
            .to_string()
            .contains("第十五条")
    );
    // Idle two full years: a fee decision is refused, recovery is the decision.
    let fee = req(
        "fee_decision_issued",
        Role::County,
        date(2021, 4, 28),
        &["征缴土地闲置费决定书"],
    );
    let e = c
        .transition(&def, &fee, Some(&cal))
        .unwrap_err()
        .to_string();
    assert!(e.contains("闲置2年"), "{e}");
    assert_eq!(c.state.status, "hearing_notified", "nothing changed");
    c.transition(
        &def,
        &req(
            "recovery_decision_issued",
            Role::County,
            date(2021, 4, 28),
            &["收回国有建设用地使用权决定书"],
        ),
        Some(&cal),
    )
    .unwrap();
    assert_eq!(
        c.state.deadline.as_ref().unwrap().due,
        date(2021, 5, 28),
        "perform within 30 days (第十七条)"
    );
    c.transition(
        &def,
        &req("recovered", Role::County, date(2021, 6, 1), &[]),
        Some(&cal),
    )
    .unwrap();
    assert_eq!(
        IdleCase::parcel_status_after(&c.state.status),
        Some(ParcelLifecycle::Recovered)
    );
    assert!(def.status(&c.state.status).unwrap().terminal);
    assert_eq!(c.state.history.len(), 6);
    assert!(c.fee.is_none());
}

#[test]
fn fee_path_charges_twenty_percent_and_escalates_at_two_years() {
    let def = idle_case_workflow();
    let mut c = IdleCase::open(
        "XZ-2021-002",
        &def,
        date(2020, 3, 1),
        Yuan(Decimal::from(12_000_000)),
        date(2021, 3, 2),
        None,
    )
    .unwrap();
    for (to, role, on, docs) in [
        (
            "notice_issued",
            Role::City,
            date(2021, 3, 10),
            &["闲置土地调查通知书"][..],
        ),
        ("under_review", Role::City, date(2021, 4, 9), &[]),
        (
            "idle_confirmed",
            Role::City,
            date(2021, 5, 6),
            &["闲置土地认定书"],
        ),
        (
            "hearing_notified",
            Role::City,
            date(2021, 5, 10),
            &["听证告知书"],
        ),
        (
            "hearing_requested",
            Role::Enterprise,
            date(2021, 5, 12),
            &[],
        ),
        ("hearing_held", Role::City, date(2021, 5, 28), &["听证笔录"]),
    ] {
        c.transition(&def, &req(to, role, on, docs), None).unwrap();
    }
    // Recovery before 满二年 is refused.
    let rec = req(
        "recovery_decision_issued",
        Role::City,
        date(2021, 6, 1),
        &["收回国有建设用地使用权决定书"],
    );
    assert!(
        c.transition(&def, &rec, None)
            .unwrap_err()
            .to_string()
            .contains("无偿收回须满2年")
    );
    c.transition(
        &def,
        &req(
            "fee_decision_issued",
            Role::City,
            date(2021, 6, 1),
            &["征缴土地闲置费决定书"],
        ),
        None,
    )
    .unwrap();
    assert_eq!(
        c.fee,
        Some(Yuan(Decimal::from(2_400_000))),
        "20 % of 12,000,000 (第十四条)"
    );
    // Unpaid at two years: a new hearing notice, then recovery.
    c.transition(
        &def,
        &req(
            "hearing_notified",
            Role::City,
            date(2022, 3, 1),
            &["听证告知书"],
        ),
        None,
    )
    .unwrap();
    c.transition(
        &def,
        &req(
            "recovery_decision_issued",
            Role::City,
            date(2022, 3, 15),
            &["收回国有建设用地使用权决定书"],
        ),
        None,
    )
    .unwrap();
    assert_eq!(c.state.status, "recovery_decision_issued");
}

#[test]
fn government_caused_case_takes_the_negotiation_path() {
    let def = idle_case_workflow();
    let mut c = IdleCase::open(
        "XZ-2021-003",
        &def,
        date(2019, 6, 1),
        Yuan(Decimal::from(8_000_000)),
        date(2021, 7, 1),
        None,
    )
    .unwrap();
    c.transition(
        &def,
        &req(
            "notice_issued",
            Role::County,
            date(2021, 7, 20),
            &["闲置土地调查通知书"],
        ),
        None,
    )
    .unwrap();
    c.transition(
        &def,
        &req("under_review", Role::Enterprise, date(2021, 8, 15), &[]),
        None,
    )
    .unwrap();
    let mut gov = req("gov_cause_confirmed", Role::County, date(2021, 9, 10), &[]);
    gov.fields.insert("gov_cause".into(), "bogus".into());
    assert!(
        c.transition(&def, &gov, None).is_err(),
        "unknown cause refused"
    );
    gov.fields
        .insert("gov_cause".into(), "plan_revision".into());
    c.transition(&def, &gov, None).unwrap();
    assert_eq!(
        c.gov_cause,
        Some(crate::rules::idle::GovCause::PlanRevision)
    );
    // No fee or recovery from here: the workflow has no such transition.
    let fee = req(
        "fee_decision_issued",
        Role::County,
        date(2021, 9, 20),
        &["征缴土地闲置费决定书"],
    );
    assert!(matches!(
        c.transition(&def, &fee, None),
        Err(crate::DomainError::IllegalTransition { .. })
    ));
    c.transition(
        &def,
        &req("negotiating", Role::County, date(2021, 9, 20), &[]),
        None,
    )
    .unwrap();
    let mut plan = req("plan_submitted", Role::County, date(2021, 10, 15), &[]);
    plan.fields
        .insert("disposal_option".into(), "延长动工开发期限1年".into());
    c.transition(&def, &plan, None).unwrap();
    c.transition(
        &def,
        &req(
            "plan_approved",
            Role::City,
            date(2021, 11, 1),
            &["处置方案批复"],
        ),
        None,
    )
    .unwrap();
    c.transition(
        &def,
        &req("executing_plan", Role::County, date(2021, 11, 10), &[]),
        None,
    )
    .unwrap();
    c.transition(
        &def,
        &req("closed", Role::County, date(2022, 5, 1), &[]),
        None,
    )
    .unwrap();
    assert_eq!(c.state.status, "closed");
    assert!(c.fee.is_none());
    assert_eq!(
        IdleCase::parcel_status_after("closed"),
        None,
        "the land stays with its user"
    );
    // Even if a fee were reached on another route, a confirmed government cause bars it.
    let mut other = IdleCase::open(
        "XZ-2021-004",
        &def,
        date(2019, 6, 1),
        Yuan(Decimal::from(8_000_000)),
        date(2021, 7, 1),
        None,
    )
    .unwrap();
    other.state.status = "hearing_notified".into();
    other.gov_cause = Some(crate::rules::idle::GovCause::ForceMajeure);
    let e = other.transition(&def, &fee, None).unwrap_err().to_string();
    assert!(e.contains("第八条"), "{e}");
}
