//! The workflow part of the store suite (issue 6): records, transitions with who/when/why and
//! attachments, the parcel lifecycle moved in the same transaction, refusals that change
//! nothing. Written against the `Store` trait and the `Registry` only.

use super::*;
use landcycle_domain::access::Role;
use landcycle_domain::units::Yuan;
use landcycle_domain::workflow::engine::{DocumentRef, TransitionRequest};
use landcycle_domain::workflow::idle_case::{IdleCase, idle_case_workflow};
use landcycle_store::{WfKind, WfQuery, WfRecord};

fn req(to: &str, role: Role, on: jiff::civil::Date, docs: &[&str]) -> TransitionRequest {
    TransitionRequest {
        to: to.into(),
        actor: format!("{role}-officer"),
        role,
        on,
        reason: format!("办理{to}"),
        fields: Default::default(),
        documents: docs
            .iter()
            .map(|k| DocumentRef {
                kind: (*k).into(),
                number: Some("许资〔2021〕1号".into()),
                sha256: None,
            })
            .collect(),
        passed_checks: Default::default(),
    }
}

/// A parcel at `status` and an idle case on it (agreed start 2019-01-10, discovered 2021-01-20).
fn case_on_parcel<S: Store>(reg: &Registry<S>, status: ParcelLifecycle) -> (ParcelId, WfRecord) {
    seed(reg);
    let mut d = draft(rect(113.85, 34.03, 0.002, 0.002));
    d.status = status;
    let p = reg
        .create_parcel(d, &meta("入库").effective(date(2018, 6, 1)), None)
        .unwrap();
    let def = idle_case_workflow();
    let mut c = IdleCase::open(
        "XZ-2021-001",
        &def,
        date(2019, 1, 10),
        Yuan(Decimal::from(12_000_000)),
        date(2021, 1, 20),
        None,
    )
    .unwrap();
    c.parcel_id = Some(p.id);
    c.park_id = p.park_id.clone();
    let rec = WfRecord {
        kind: WfKind::Case,
        id: c.id.clone(),
        version: 0,
        park_id: p.park_id.clone(),
        jurisdiction: Some(p.jurisdiction.clone()),
        parcel_id: Some(p.id),
        enterprise: p.enterprise.clone(),
        status: c.state.status.clone(),
        due: c.state.deadline.as_ref().map(|d| d.due),
        updated_at: jiff::Timestamp::UNIX_EPOCH,
        doc: serde_json::to_value(&c).unwrap(),
    };
    let rec = reg
        .put_workflow(rec, None, &meta("立案").effective(date(2021, 1, 20)))
        .unwrap();
    (p.id, rec)
}

/// One step of the walk: target status, role, day (y, m, d), documents.
type Step = (&'static str, Role, (i16, i8, i8), &'static [&'static str]);

const WALK: [Step; 6] = [
    (
        "notice_issued",
        Role::County,
        (2021, 2, 5),
        &["闲置土地调查通知书"],
    ),
    ("under_review", Role::Enterprise, (2021, 3, 1), &[]),
    (
        "idle_confirmed",
        Role::County,
        (2021, 4, 15),
        &["闲置土地认定书"],
    ),
    (
        "hearing_notified",
        Role::County,
        (2021, 4, 20),
        &["听证告知书"],
    ),
    (
        "recovery_decision_issued",
        Role::County,
        (2021, 5, 10),
        &["收回国有建设用地使用权决定书"],
    ),
    ("recovered", Role::County, (2021, 6, 15), &[]),
];

pub fn idle_case_recovery_moves_the_parcel<S: Store>(reg: Registry<S>) {
    let (pid, rec) = case_on_parcel(&reg, ParcelLifecycle::Delivered);
    assert_eq!(rec.version, 1);
    assert_eq!(
        rec.due,
        Some(date(2021, 2, 19)),
        "30 days to issue the notice"
    );
    // The wrong role is refused and nothing is written.
    let before = snapshot(reg.store());
    let e = reg
        .idle_case_transition(
            &rec.id,
            Some(1),
            &req(
                "notice_issued",
                Role::Park,
                date(2021, 2, 5),
                &["闲置土地调查通知书"],
            ),
            &meta("越权"),
        )
        .unwrap_err();
    assert_field(e, "role");
    assert_eq!(snapshot(reg.store()), before);
    assert!(
        reg.store()
            .wf_transitions(WfKind::Case, &rec.id)
            .unwrap()
            .is_empty()
    );
    // A stale version is a conflict.
    let e = reg.idle_case_transition(
        &rec.id,
        Some(7),
        &req(
            "notice_issued",
            Role::County,
            date(2021, 2, 5),
            &["闲置土地调查通知书"],
        ),
        &meta("x"),
    );
    assert!(matches!(e, Err(StoreError::Conflict(_))));

    for (i, (to, role, (y, m, d), docs)) in WALK.iter().enumerate() {
        let r = reg
            .idle_case_transition(
                &rec.id,
                Some(1 + i as u32),
                &req(to, *role, date(*y, *m, *d), docs),
                &meta(&format!("办理{to}")),
            )
            .unwrap();
        assert_eq!(r.status, *to);
    }
    let stored = reg
        .store()
        .wf_record(WfKind::Case, &rec.id)
        .unwrap()
        .unwrap();
    assert_eq!((stored.version, stored.status.as_str()), (7, "recovered"));
    let log = reg.store().wf_transitions(WfKind::Case, &rec.id).unwrap();
    assert_eq!(log.len(), 6);
    assert_eq!(log[0].actor, "county-officer");
    assert_eq!(log[0].on, date(2021, 2, 5));
    assert_eq!(log[0].detail["documents"][0]["kind"], "闲置土地调查通知书");
    assert_eq!(log[1].role, "enterprise");
    // The parcel moved to 已收回 in the same write, on the day of the act, with its event.
    let p = reg.store().parcel(pid, None).unwrap().unwrap();
    assert_eq!(p.status, ParcelLifecycle::Recovered);
    assert_eq!(p.valid_from, date(2021, 6, 15));
    let was = reg
        .store()
        .parcel(pid, Some(date(2021, 6, 14)))
        .unwrap()
        .unwrap();
    assert_eq!(was.status, ParcelLifecycle::Delivered);
    let events = reg.store().events_of(&pid.to_string()).unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.entity == landcycle_domain::EntityKind::Workflow),
        "case events on the parcel's timeline"
    );
}

pub fn a_refused_parcel_move_rolls_back_the_case<S: Store>(reg: Registry<S>) {
    // A listed parcel cannot jump to 已收回: the last step fails as a whole.
    let (pid, rec) = case_on_parcel(&reg, ParcelLifecycle::Listed);
    for (i, (to, role, (y, m, d), docs)) in WALK[..5].iter().enumerate() {
        reg.idle_case_transition(
            &rec.id,
            Some(1 + i as u32),
            &req(to, *role, date(*y, *m, *d), docs),
            &meta("办理"),
        )
        .unwrap();
    }
    let before = snapshot(reg.store());
    let e = reg.idle_case_transition(
        &rec.id,
        Some(6),
        &req("recovered", Role::County, date(2021, 6, 15), &[]),
        &meta("收回"),
    );
    assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");
    assert_eq!(snapshot(reg.store()), before);
    assert_eq!(
        reg.store()
            .wf_record(WfKind::Case, &rec.id)
            .unwrap()
            .unwrap()
            .status,
        "recovery_decision_issued"
    );
    assert_eq!(
        reg.store()
            .wf_transitions(WfKind::Case, &rec.id)
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        reg.store().parcel(pid, None).unwrap().unwrap().status,
        ParcelLifecycle::Listed
    );
}

pub fn workflow_lists_filter_and_page<S: Store>(reg: Registry<S>) {
    let (_, rec) = case_on_parcel(&reg, ParcelLifecycle::Delivered);
    for n in 1..=3 {
        let r = WfRecord {
            id: format!("T{n:02}"),
            kind: WfKind::Task,
            status: if n == 2 {
                "overdue".into()
            } else {
                "on_track".into()
            },
            park_id: None,
            parcel_id: None,
            jurisdiction: None,
            enterprise: None,
            ..rec.clone()
        };
        reg.put_workflow(r, None, &meta("任务")).unwrap();
    }
    let all = reg
        .store()
        .wf_records(WfKind::Task, &WfQuery::default())
        .unwrap();
    assert_eq!(all.total, 3);
    let over = reg
        .store()
        .wf_records(
            WfKind::Task,
            &WfQuery {
                status: Some("overdue".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        over.items.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["T02"]
    );
    let page = reg
        .store()
        .wf_records(
            WfKind::Task,
            &WfQuery {
                limit: 1,
                offset: 1,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((page.total, page.items[0].id.as_str()), (3, "T02"));
    let by_county = reg
        .store()
        .wf_records(
            WfKind::Case,
            &WfQuery {
                jurisdiction: Some(AdminCode::parse("411002").unwrap()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(by_county.total, 1);
    let other = reg
        .store()
        .wf_records(
            WfKind::Case,
            &WfQuery {
                park: Some(landcycle_domain::ParkId::parse("yuzhou").unwrap()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(other.total, 0);
    // Creating twice is a conflict; replacing needs the version read.
    let dup = reg.put_workflow(
        WfRecord {
            kind: WfKind::Task,
            id: "T01".into(),
            ..rec.clone()
        },
        None,
        &meta("重复"),
    );
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    let t1 = reg.store().wf_record(WfKind::Task, "T01").unwrap().unwrap();
    let t1b = reg
        .put_workflow(
            WfRecord {
                status: "done".into(),
                ..t1.clone()
            },
            Some(1),
            &meta("完成"),
        )
        .unwrap();
    assert_eq!(t1b.version, 2);
    assert!(matches!(
        reg.put_workflow(t1, Some(1), &meta("旧版本")),
        Err(StoreError::Conflict(_))
    ));
}
