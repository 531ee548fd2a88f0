//! Golden values and invariants of the parts: 年期修正 K, warnings, tasks, disposal, review.

use super::disposal::{
    DisposalMethod, DisposalPlan, DisposalSubject, SupervisedListing, supervised_counts,
};
use super::review::{JointReview, Opinion, SupplyPhase, Vote, check_phases, is_large_project};
use super::supply_scheme::term_coefficient;
use super::tasks::{Milestone, PlanTask, ProgressReport, TaskStatus, quarter_end};
use super::warnings::{DueItem, DueKind, WarningLevel, level, to_ics, warnings};
use crate::park::ParkId;
use crate::units::{AreaM2, Mu};
use jiff::civil::date;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn k_matches_the_readme_table() {
    // §6.3 table, N = 50, four places.
    for (r, n, k) in [
        ("0.04", 5, "0.2072"),
        ("0.04", 20, "0.6326"),
        ("0.05", 20, "0.6826"),
        ("0.06", 10, "0.4670"),
        ("0.06", 20, "0.7277"),
        ("0.06", 40, "0.9546"),
        ("0.07", 15, "0.6600"),
        ("0.08", 30, "0.9202"),
        ("0.08", 40, "0.9748"),
        ("0.06", 50, "1.0000"),
    ] {
        assert_eq!(
            term_coefficient(d(r), n, 50).unwrap().round_dp(4),
            d(k),
            "r={r} n={n}"
        );
    }
    assert!(term_coefficient(Decimal::ZERO, 20, 50).is_err());
    assert!(term_coefficient(d("0.06"), 51, 50).is_err());
}

proptest! {
    #[test]
    fn k_rises_with_the_term_and_stays_within_0_1(r in 1u32..200, n in 1u16..50) {
        let r = Decimal::new(i64::from(r), 3);
        let a = term_coefficient(r, n, 50).unwrap();
        let b = term_coefficient(r, n + 1, 50).unwrap();
        prop_assert!(a > Decimal::ZERO && a < b && b <= Decimal::ONE + Decimal::new(1, 20));
    }

    #[test]
    fn warning_levels_follow_the_days_left(days in -400i64..400) {
        let t = date(2022, 6, 15);
        let due = t.checked_add(jiff::Span::new().days(days)).unwrap();
        let got = level(due, t);
        let want = if days < 0 { Some(WarningLevel::Overdue) } else if days <= 7 { Some(WarningLevel::Warning) } else if days <= 30 { Some(WarningLevel::Notice) } else { None };
        prop_assert_eq!(got.map(|g| g.0), want);
        if let Some((_, left)) = got { prop_assert_eq!(left, days); }
    }
}

fn item(id: &str, park: Option<&str>, due: jiff::civil::Date) -> DueItem {
    DueItem {
        kind: DueKind::CaseDeadline,
        subject_id: id.into(),
        park_id: park.map(|p| ParkId::parse(p).unwrap()),
        title_zh: format!("{id}，截止"),
        due,
        rule_ref: "第五条".into(),
    }
}

#[test]
fn warnings_sort_overdue_first_and_render_as_ics() {
    let t = date(2022, 6, 15);
    let ws = warnings(
        [
            item("a", Some("weidu"), date(2022, 7, 10)),
            item("b", None, date(2022, 6, 1)),
            item("c", None, date(2022, 9, 1)),
            item("d", Some("weidu"), date(2022, 6, 20)),
        ],
        t,
    );
    let ids: Vec<_> = ws.iter().map(|w| w.item.subject_id.as_str()).collect();
    assert_eq!(ids, ["b", "d", "a"], "c is beyond T−30");
    let ics = to_ics(&ws, "20220615T000000Z");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
    assert!(ics.contains("DTSTART;VALUE=DATE:20220601\r\nDTEND;VALUE=DATE:20220602"));
    assert!(ics.contains("[逾期] b\\，截止") || ics.contains("[逾期] b，截止"));
    assert!(ics.lines().all(|l| l.len() <= 76), "folded at 75 octets");
}

#[test]
fn tasks_report_quarterly_and_go_overdue() {
    let units = vec![
        "市自然资源和规划局".to_owned(),
        "各产业集聚区管理机构".to_owned(),
    ];
    let mut t = PlanTask::from_units(
        13,
        "妥善处置批而未供、闲置土地",
        &units,
        vec![
            Milestone {
                date: date(2022, 9, 30),
                what: "完成处置目标".into(),
                done_on: None,
            },
            Milestone {
                date: date(2021, 12, 31),
                what: "每个产业集聚区挂牌督办2宗以上".into(),
                done_on: None,
            },
        ],
    )
    .unwrap();
    assert_eq!(t.lead_unit, "市自然资源和规划局");
    assert_eq!(t.milestones[0].date, date(2021, 12, 31), "sorted");
    assert_eq!(
        t.status(date(2021, 12, 31)),
        TaskStatus::OnTrack,
        "due today is not overdue"
    );
    assert_eq!(t.status(date(2022, 1, 1)), TaskStatus::Overdue);
    t.milestones[0].done_on = Some(date(2021, 12, 20));
    assert_eq!(t.status(date(2022, 1, 1)), TaskStatus::OnTrack);
    assert_eq!(quarter_end(2021, 1), Some(date(2021, 3, 31)));
    let rep = |y, q| ProgressReport {
        task_no: 13,
        year: y,
        quarter: q,
        unit: "市自然资源和规划局".into(),
        submitted_on: quarter_end(y, q).unwrap(),
        text: "进展".into(),
    };
    let missing = t.missing_reports(
        &[rep(2021, 1), rep(2021, 3)],
        date(2021, 2, 1),
        date(2021, 10, 5),
    );
    assert_eq!(missing, [(2021, 2)], "Q4 2021 has not ended yet");
    let mut bad = rep(2021, 4);
    bad.quarter = 5;
    assert!(bad.validate().is_err());
    bad.quarter = 4;
    bad.submitted_on = date(2021, 9, 1);
    assert!(bad.validate().is_err(), "filed before the quarter began");
    assert!(
        PlanTask::from_units(0, "", &[], vec![])
            .unwrap_err()
            .field_errors()
            .len()
            == 4
    );
}

fn plan(id: &str, park: &str, listed: Option<jiff::civil::Date>) -> DisposalPlan {
    DisposalPlan {
        id: id.into(),
        parcel_id: None,
        park_id: ParkId::parse(park).unwrap(),
        subject: DisposalSubject::Idle,
        method: DisposalMethod::Densify,
        responsible_unit: "管委会".into(),
        area_m2: AreaM2(Decimal::from(5000)),
        disposed_m2: AreaM2::ZERO,
        target_on: date(2022, 9, 30),
        completed_on: None,
        supervised: listed.map(|l| SupervisedListing {
            listed_on: l,
            by: "市领导小组".into(),
            deadline: date(2022, 6, 30),
        }),
    }
}

#[test]
fn supervised_listings_are_counted_per_park() {
    let plans = [
        plan("1", "weidu", Some(date(2021, 5, 1))),
        plan("2", "weidu", Some(date(2021, 11, 1))),
        plan("3", "yuzhou", Some(date(2021, 6, 1))),
        plan("4", "yuzhou", None),
    ];
    let c = supervised_counts(&plans, date(2021, 12, 31), 2);
    assert_eq!(c[&ParkId::parse("weidu").unwrap()], (2, true));
    assert_eq!(c[&ParkId::parse("yuzhou").unwrap()], (1, false));
    let mut p = plan("5", "weidu", Some(date(2021, 5, 1)));
    p.disposed_m2 = AreaM2(Decimal::from(6000));
    p.completed_on = Some(date(2021, 9, 1));
    assert_eq!(
        p.validate().unwrap_err().field_errors().len(),
        2,
        "over-disposed and completed while short"
    );
}

#[test]
fn large_projects_need_phases_that_add_up() {
    let hundred = Mu(Decimal::from(100)).to_m2();
    assert!(is_large_project(hundred));
    assert!(!is_large_project(AreaM2(hundred.0 - Decimal::new(1, 2))));
    let total = AreaM2(Decimal::from(90_000));
    assert!(check_phases(total, &[]).is_err(), "135 亩 in one go");
    let ph = |no, m2: i64, y| SupplyPhase {
        no,
        area_m2: AreaM2(Decimal::from(m2)),
        planned_on: date(y, 1, 1),
        condition: "前期达产".into(),
    };
    check_phases(total, &[ph(1, 50_000, 2022), ph(2, 40_000, 2024)]).unwrap();
    assert!(check_phases(total, &[ph(1, 50_000, 2022), ph(2, 30_000, 2024)]).is_err());
    assert!(check_phases(total, &[ph(1, 50_000, 2024), ph(2, 40_000, 2022)]).is_err());
}

#[test]
fn a_review_needs_every_member_and_reasons_for_rejections() {
    let members: Vec<String> = ["甲", "乙", "丙"].map(String::from).to_vec();
    let mut r = JointReview {
        held_on: date(2021, 4, 1),
        members: members.clone(),
        opinions: vec![
            Opinion {
                member: "甲".into(),
                vote: Vote::Approve,
                comment: String::new(),
            },
            Opinion {
                member: "乙".into(),
                vote: Vote::Reject,
                comment: String::new(),
            },
        ],
    };
    assert_eq!(
        r.decide().unwrap_err().field_errors().len(),
        2,
        "乙 gives no reason, 丙 is silent"
    );
    r.opinions[1].comment = "用地规模偏大".into();
    r.opinions.push(Opinion {
        member: "丙".into(),
        vote: Vote::Abstain,
        comment: String::new(),
    });
    assert_eq!(
        r.decide().unwrap(),
        super::review::ReviewDecision::Rejected,
        "1 of 3 is no majority"
    );
}
