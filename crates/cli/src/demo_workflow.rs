//! The demo's workflow records (issue 6), written through the registry like any user's: the
//! plan's 27 tasks with some overdue and a quarterly report, idle-land cases in every status,
//! 一地一策 plans with 挂牌督办 counts per park, and one 标准地 project per the first park taken
//! from its application to the signed contract with the §4.3 timeline stored, checked against
//! the park's published indicator set (one per park, [`crate::demo_indicator_sets`]). Dates sit around
//! the demo's end of history so the warnings centre has items due and overdue on that day.

use anyhow::Context;
use jiff::civil::{Date, date};
use landcycle_demo::DemoData;
use landcycle_demo::workflow::{disposal_plans, idle_cases, plan_tasks};
use landcycle_domain::access::Role;
use landcycle_domain::units::Yuan;
use landcycle_domain::workflow::application::Application;
use landcycle_domain::workflow::contract::{GrantContract, PenaltyClauses, SupervisionAgreement};
use landcycle_domain::workflow::engine::{DocumentRef, TransitionRequest};
use landcycle_domain::workflow::project::{StandardLandProject, project_workflow};
use landcycle_domain::workflow::reports::{QuarterlyReport, ReportSubject};
use landcycle_domain::workflow::review::{JointReview, Opinion, Vote};
use landcycle_domain::workflow::supervision::CheckpointRecord;
use landcycle_domain::workflow::supply_scheme::{SupplyScheme, TermParams};
use landcycle_domain::{AreaM2, ParcelLifecycle, ParkId};
use landcycle_store::{ParcelQuery, Registry, Store, WfKind, WfRecord, WriteMeta};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn rec(
    kind: WfKind,
    id: &str,
    park: Option<ParkId>,
    status: &str,
    due: Option<Date>,
    doc: serde_json::Value,
) -> WfRecord {
    WfRecord {
        kind,
        id: id.into(),
        version: 0,
        park_id: park,
        jurisdiction: None,
        parcel_id: None,
        enterprise: None,
        status: status.into(),
        due,
        updated_at: jiff::Timestamp::UNIX_EPOCH,
        doc,
    }
}

/// Loads every workflow record of the demo; `meta` pins the write times (same seed, same file).
pub fn load<S: Store + ?Sized>(
    reg: &Registry<S>,
    data: &DemoData,
    meta: impl Fn(&str, Date) -> WriteMeta,
) -> anyhow::Result<()> {
    let end = landcycle_demo::HISTORY_END;
    let parks: Vec<ParkId> = data.parks.iter().map(|p| p.id.clone()).collect();
    for t in plan_tasks(end)? {
        let due = t.next_open().map(|m| m.date);
        let status = if t.status(end) == landcycle_domain::workflow::TaskStatus::Overdue {
            "overdue"
        } else {
            "on_track"
        };
        reg.put_workflow(
            rec(
                WfKind::Task,
                &t.no.to_string(),
                None,
                status,
                due,
                serde_json::to_value(&t)?,
            ),
            None,
            &meta("试点方案任务（演示数据）", end),
        )?;
    }
    let report = QuarterlyReport {
        id: "tasks-13-2025Q4-1".into(),
        subject: ReportSubject::Task,
        subject_id: "13".into(),
        year: 2025,
        quarter: 4,
        unit: "市自然资源和规划局".into(),
        submitted_by: "demo".into(),
        submitted_on: end,
        text: "本季度挂牌督办闲置土地6宗，完成处置2宗（演示数据）".into(),
        attachments: vec![],
    };
    reg.put_workflow(
        rec(
            WfKind::ProgressReport,
            &report.id,
            None,
            "submitted",
            None,
            serde_json::to_value(&report)?,
        ),
        None,
        &meta("季度进展报告（演示数据）", end),
    )?;
    for c in idle_cases(&parks, date(2025, 9, 1))? {
        let mut r = rec(
            WfKind::Case,
            &c.id,
            c.park_id.clone(),
            &c.state.status,
            c.state.deadline.as_ref().map(|d| d.due),
            serde_json::to_value(&c)?,
        );
        r.jurisdiction = jurisdiction(data, c.park_id.as_ref());
        reg.put_workflow(
            r,
            None,
            &meta("闲置土地处置（演示数据）", c.state.entered_on),
        )?;
    }
    for p in disposal_plans(&parks) {
        let status = if p.supervised.is_some() {
            "supervised"
        } else {
            "open"
        };
        let mut r = rec(
            WfKind::DisposalPlan,
            &p.id,
            Some(p.park_id.clone()),
            status,
            Some(p.target_on),
            serde_json::to_value(&p)?,
        );
        r.jurisdiction = jurisdiction(data, Some(&p.park_id));
        reg.put_workflow(r, None, &meta("一地一策（演示数据）", date(2021, 6, 1)))?;
    }
    project(reg, data, &meta).context("标准地 demo project")
}

fn jurisdiction(data: &DemoData, park: Option<&ParkId>) -> Option<landcycle_domain::AdminCode> {
    let park = park?;
    data.parks
        .iter()
        .find(|p| &p.id == park)
        .map(|p| p.jurisdiction.code.clone())
}

fn req(to: &str, role: Role, on: Date, docs: &[&str]) -> TransitionRequest {
    TransitionRequest {
        to: to.into(),
        actor: "demo".into(),
        role,
        on,
        reason: format!("演示数据：{to}"),
        fields: BTreeMap::new(),
        documents: docs
            .iter()
            .map(|k| DocumentRef {
                kind: (*k).into(),
                number: Some("演示".into()),
                sha256: None,
            })
            .collect(),
        passed_checks: Default::default(),
    }
}

/// One 标准地 project of the first park walked to the signed contract (on a listed parcel of
/// that park when there is one, which then becomes granted).
fn project<S: Store + ?Sized>(
    reg: &Registry<S>,
    data: &DemoData,
    meta: &impl Fn(&str, Date) -> WriteMeta,
) -> anyhow::Result<()> {
    let park = data.parks.first().context("no park")?;
    let ent = data
        .enterprises
        .iter()
        .find(|e| e.park_id.as_ref() == Some(&park.id))
        .context("no enterprise in the first park")?;
    // A listed parcel unchanged since before the signing, so the grant can follow it.
    let parcel = reg
        .store()
        .parcels(&ParcelQuery {
            park: Some(park.id.clone()),
            status: vec![ParcelLifecycle::Listed],
            limit: 200,
            ..Default::default()
        })?
        .items
        .iter()
        .find(|p| p.valid_from < date(2025, 10, 1))
        .map(|p| p.id);
    let id = format!("BZD-{}-0001", park.id.as_str());
    // The park's published set for the industry, in force on the day filed.
    let sets = crate::demo_indicator_sets::store(reg, data, meta)?;
    let set = sets
        .into_iter()
        .find(|s| s.park_id == park.id)
        .context("no indicator set for the first park")?;
    let values: BTreeMap<String, Decimal> = [
        ("investment_intensity_wan_per_mu", Decimal::from(140)),
        ("far_min", Decimal::new(12, 1)),
        (
            "tax_per_mu_wan",
            park.tax_per_mu_target.min_wan + Decimal::from(3),
        ),
        ("building_coverage_min", Decimal::new(35, 2)),
        ("admin_land_ratio_max", Decimal::new(5, 2)),
        ("credit_commitment", Decimal::ONE),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let p = StandardLandProject::apply(
        Application {
            id: id.clone(),
            name: "智能装备制造项目（演示数据）".into(),
            applicant: ent.uscc.clone(),
            applicant_name: ent.name.clone(),
            industry: crate::demo_indicator_sets::INDUSTRY.into(),
            investment_wan: Decimal::from(8400),
            land_mu: Decimal::from(60),
            parcel_id: parcel,
            values,
            on: date(2025, 3, 1),
        },
        set,
        &project_workflow(),
    )?;
    let mut r = rec(
        WfKind::Project,
        &id,
        Some(park.id.clone()),
        &p.state.status,
        None,
        serde_json::to_value(&p)?,
    );
    r.jurisdiction = Some(park.jurisdiction.code.clone());
    r.parcel_id = parcel;
    r.enterprise = Some(ent.uscc.clone());
    let base = r.clone();
    reg.put_workflow(
        r,
        None,
        &meta("标准地用地申请（演示数据）", date(2025, 3, 1)),
    )?;
    type Update = Box<dyn FnOnce(&mut StandardLandProject) -> landcycle_domain::DomainResult<()>>;
    let step =
        |to: &str, role: Role, on: Date, docs: &[&str], update: Update, extra: Vec<WfRecord>| {
            reg.project_step(
                &id,
                None,
                &req(to, role, on, docs),
                &meta(&format!("演示数据：{to}"), on),
                update,
                extra,
            )
        };
    step(
        "revising",
        Role::Park,
        date(2025, 3, 5),
        &[],
        Box::new(|_: &mut StandardLandProject| Ok(())),
        vec![],
    )?;
    let revised: BTreeMap<String, Decimal> = [(
        "investment_intensity_wan_per_mu".to_owned(),
        Decimal::from(160),
    )]
    .into();
    step(
        "applied",
        Role::Enterprise,
        date(2025, 3, 12),
        &[],
        Box::new(move |p: &mut StandardLandProject| p.revise(revised).map(|_| ())),
        vec![],
    )?;
    step(
        "admission_passed",
        Role::Park,
        date(2025, 3, 15),
        &[],
        Box::new(|_: &mut StandardLandProject| Ok(())),
        vec![],
    )?;
    let members: Vec<String> = [
        "市自然资源和规划局",
        "市发展和改革委员会",
        "市工业和信息化局",
    ]
    .map(String::from)
    .to_vec();
    let review = JointReview {
        held_on: date(2025, 4, 2),
        opinions: members
            .iter()
            .map(|m| Opinion {
                member: m.clone(),
                vote: Vote::Approve,
                comment: String::new(),
            })
            .collect(),
        members,
    };
    step(
        "reviewed",
        Role::City,
        date(2025, 4, 2),
        &[],
        Box::new(move |p: &mut StandardLandProject| p.record_review(review, vec![]).map(|_| ())),
        vec![],
    )?;
    let scheme = SupplyScheme::FlexibleGrant { years: 20 };
    let s2 = scheme.clone();
    step(
        "scheme_set",
        Role::City,
        date(2025, 5, 10),
        &[],
        Box::new(move |p: &mut StandardLandProject| {
            p.set_scheme(
                s2,
                Yuan(Decimal::from(18_000_000)),
                &TermParams::xuchang_default(),
            )
            .map(|_| ())
        }),
        vec![],
    )?;
    let contract = GrantContract {
        contract_no: "许自然资让〔2025〕18号（演示）".into(),
        parcel_id: parcel,
        grantee: ent.uscc.as_str().to_owned(),
        area_m2: AreaM2(Decimal::from(40_000)),
        price: Yuan(Decimal::new(1_309_861_740, 2)),
        scheme,
        term_years: 20,
        signed_on: date(2025, 10, 15),
        delivery_on: date(2025, 11, 15),
        start_deadline: date(2026, 1, 20),
        completion_deadline: date(2027, 7, 20),
        total_investment: Yuan(Decimal::from(96_000_000)),
        far_min: Decimal::new(12, 1),
        penalties: PenaltyClauses::xuchang_default(),
    };
    let agreement = SupervisionAgreement {
        agreement_no: "履约监管协议〔2025〕7号（演示）".into(),
        counterparty: format!("{}管委会", park.name),
        signed_on: date(2025, 10, 15),
        indicators: vec![],
        initial_operation_years: 3,
        production_after_completion_months: 12,
        periodic_review_years: 3,
        performance_bond: None,
    };
    let mut signed: StandardLandProject = serde_json::from_value(
        reg.store()
            .wf_record(WfKind::Project, &id)?
            .context("project")?
            .doc,
    )?;
    let cps = signed.sign(contract.clone(), agreement.clone())?;
    let mut extra = vec![WfRecord {
        kind: WfKind::Contract,
        id: format!("{id}:contract"),
        status: "signed".into(),
        doc: serde_json::json!({"contract": signed.contract, "agreement": signed.agreement}),
        ..base.clone()
    }];
    for cp in &cps {
        extra.push(WfRecord {
            kind: WfKind::Checkpoint,
            id: format!("{id}:{}", cp.code),
            status: "open".into(),
            due: Some(cp.due),
            doc: serde_json::to_value(CheckpointRecord {
                project_id: id.clone(),
                contract_no: contract.contract_no.clone(),
                checkpoint: cp.clone(),
                result: None,
            })?,
            ..base.clone()
        });
    }
    step(
        "granted",
        Role::City,
        date(2025, 10, 15),
        &["国有建设用地使用权出让合同", "履约监管协议"],
        Box::new(move |p: &mut StandardLandProject| p.sign(contract, agreement).map(|_| ())),
        extra,
    )?;
    // The land user's quarterly reports under the agreement are owed from 2025Q4: the first
    // is due on the demo's last day, unfiled, so the warnings centre shows it.
    Ok(())
}
