//! The approval-batch part of the store suite (issue 5 item 2): batches with parcels and
//! deductions written through the registry with their history, a parcel in at most one batch,
//! refusals that change nothing, and the scan's 批而未供 computed from batch membership with
//! the batch flags on their anniversaries.

use super::*;
use landcycle_domain::rules::unsupplied::{BatchParcel, DisposalKind};
use landcycle_domain::rules::{RuleSet, Subject};
use landcycle_domain::units::AreaM2;
use landcycle_domain::{BatchDeduction, BatchDraft};

fn unsupplied(x: f64, code: Option<&str>) -> ParcelDraft {
    let mut d = draft(rect(x, 34.03, 0.001, 0.001));
    d.code = code.map(str::to_owned);
    d.status = ParcelLifecycle::ApprovedUnsupplied;
    d.enterprise = None;
    d
}

fn batch(id: &str, parcels: Vec<BatchParcel>) -> BatchDraft {
    BatchDraft {
        id: id.into(),
        name: "许昌市2019年度第3批次城市建设用地".into(),
        jurisdiction: "411002".into(),
        park_id: Some("weidu".into()),
        approved_on: date(2019, 3, 15),
        approved_area_m2: Decimal::from(100_000),
        acquired_on: Some(date(2019, 6, 1)),
        source_doc: Some("豫政土〔2019〕33号".into()),
        parcels,
        deductions: vec![],
    }
}

fn member(id: ParcelId, m2: i64) -> BatchParcel {
    BatchParcel {
        parcel_id: Some(id),
        area_m2: AreaM2(Decimal::from(m2)),
        supplied_on: None,
    }
}

/// Two batch parcels (one supplied 2020-05-01) and one unsupplied parcel in no batch.
fn three_parcels<S: Store>(reg: &Registry<S>) -> [ParcelId; 3] {
    seed(reg);
    let m = meta("入库").effective(date(2019, 3, 15));
    let a = reg
        .create_parcel(unsupplied(113.85, None), &m, None)
        .unwrap();
    let b = reg
        .create_parcel(unsupplied(113.86, None), &m, None)
        .unwrap();
    let orphan = reg
        .create_parcel(unsupplied(113.87, None), &m, None)
        .unwrap();
    let mut d = b.to_draft();
    d.status = ParcelLifecycle::Granted;
    d.enterprise = Some(USCC.into());
    reg.update_parcel(b.id, Some(1), d, &meta("出让").effective(date(2020, 5, 1)))
        .unwrap();
    reg.add_supply(
        SupplyDraft {
            parcel_id: b.id,
            enterprise: USCC.into(),
            mode: SupplyMode::Grant,
            right_nature: None,
            contract_no: "许出让〔2020〕7号".into(),
            contract_date: date(2020, 5, 1),
            delivery_date: None,
            agreed_start: None,
            agreed_completion: None,
            term_years: Some(50),
            price_yuan: Decimal::from(1_000_000),
        },
        &meta("签订合同").effective(date(2020, 5, 1)),
        None,
    )
    .unwrap();
    [a.id, b.id, orphan.id]
}

pub fn batches_are_recorded_with_history<S: Store>(reg: Registry<S>) {
    let [a, b, _] = three_parcels(&reg);
    let mut d = batch(
        "豫政土〔2019〕33号",
        vec![member(a, 10_000), member(b, 10_000)],
    );
    d.parcels.push(BatchParcel {
        parcel_id: None,
        area_m2: AreaM2(Decimal::from(50_000)),
        supplied_on: None,
    });
    reg.add_batch(d, &meta("批次录入").effective(date(2019, 3, 15)))
        .unwrap();
    let got = reg.store().batch("豫政土〔2019〕33号").unwrap().unwrap();
    assert_eq!(got.parcels.len(), 3);
    assert_eq!(got.parcels[0].supplied_on, None);
    assert_eq!(
        got.parcels[1].supplied_on,
        Some(date(2020, 5, 1)),
        "the supply date comes from the registry's supplies"
    );
    assert_eq!(
        reg.store().batch_of_parcel(b).unwrap().as_deref(),
        Some("豫政土〔2019〕33号")
    );
    reg.add_batch_deduction(
        "豫政土〔2019〕33号",
        BatchDeduction {
            kind: DisposalKind::ApprovalWithdrawn,
            area_m2: AreaM2(Decimal::from(30_000)),
            on: date(2021, 1, 10),
            reason: "豫政土〔2021〕2号 部分撤回".into(),
        },
        &meta("撤回批文").effective(date(2021, 1, 10)),
    )
    .unwrap();
    let got = reg.store().batches().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].deductions.len(), 1);
    let acc = got[0].accounting();
    // 100000 − 10000 supplied − 30000 withdrawn.
    assert_eq!(acc.unsupplied(date(2021, 6, 1)), Decimal::from(60_000));
    let ev = reg.store().events_of("豫政土〔2019〕33号").unwrap();
    assert_eq!(ev.len(), 2, "create and deduction");
    assert!(
        ev.iter()
            .all(|e| e.entity == landcycle_domain::EntityKind::Batch)
    );
    assert!(
        reg.store()
            .events_of(&a.to_string())
            .unwrap()
            .iter()
            .any(|e| e.entity == landcycle_domain::EntityKind::Batch),
        "the parcel's timeline shows its batch"
    );
}

pub fn a_parcel_lies_in_one_batch_only<S: Store>(reg: Registry<S>) {
    let [a, b, orphan] = three_parcels(&reg);
    reg.add_batch(batch("批A", vec![member(a, 10_000)]), &meta("批次录入"))
        .unwrap();
    let before = snapshot(reg.store());
    // The second batch names a free parcel first and a taken one second: nothing is written.
    let e = reg
        .add_batch(
            batch("批B", vec![member(orphan, 10_000), member(a, 10_000)]),
            &meta("批次录入"),
        )
        .unwrap_err();
    assert_field(e, "parcels[1].parcel_id");
    let e = reg
        .add_batch(batch("批A", vec![member(b, 10_000)]), &meta("批次录入"))
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    let e = reg
        .add_batch(
            batch("批C", vec![member(ParcelId(uuid::Uuid::from_u128(9)), 1)]),
            &meta("批次录入"),
        )
        .unwrap_err();
    assert_field(e, "parcels[0].parcel_id");
    let mut bad = batch("批D", vec![member(b, 60_000), member(orphan, 40_001)]);
    bad.acquired_on = Some(date(2019, 3, 14));
    let e = reg.add_batch(bad, &meta("批次录入")).unwrap_err();
    assert_field(e, "acquired_on");
    let e = reg
        .add_batch_deduction(
            "批A",
            BatchDeduction {
                kind: DisposalKind::VerifiedNoSupplyNeeded,
                area_m2: AreaM2(Decimal::from(90_001)),
                on: date(2020, 1, 1),
                reason: "核实".into(),
            },
            &meta("核减"),
        )
        .unwrap_err();
    assert_field(e, "deduction.area_m2");
    let e = reg
        .add_batch_deduction(
            "无此批次",
            BatchDeduction {
                kind: DisposalKind::VerifiedNoSupplyNeeded,
                area_m2: AreaM2(Decimal::from(1)),
                on: date(2020, 1, 1),
                reason: "核实".into(),
            },
            &meta("核减"),
        )
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound { .. }), "{e:?}");
    assert_eq!(snapshot(reg.store()), before, "refusals write nothing");
    assert_eq!(reg.store().batches().unwrap().len(), 1);
    assert_eq!(reg.store().batch_of_parcel(orphan).unwrap(), None);
}

fn rules_at<S: Store>(reg: &Registry<S>, day: jiff::civil::Date) -> Vec<(String, String)> {
    reg.scan(&RuleSet::xuchang_default(), day, day.year() - 1, &|_, _| {})
        .unwrap()
        .findings
        .iter()
        .filter(|f| f.rule_id.starts_with("PWG") || f.rule_id.starts_with("UNS"))
        .map(|f| (f.rule_id.clone(), f.subject.to_string()))
        .collect()
}

pub fn scan_reads_batches<S: Store>(reg: Registry<S>) {
    let [a, b, orphan] = three_parcels(&reg);
    // Batch 1: acquired 2019-06-01, a remainder unsupplied; batch 2: never acquired.
    let mut one = batch("批一", vec![member(a, 10_000), member(b, 10_000)]);
    one.parcels.push(BatchParcel {
        parcel_id: None,
        area_m2: AreaM2(Decimal::from(50_000)),
        supplied_on: None,
    });
    reg.add_batch(one, &meta("批次录入")).unwrap();
    let mut two = batch("批二", vec![]);
    two.acquired_on = None;
    reg.add_batch(two, &meta("批次录入")).unwrap();
    // PWG: only the batch parcel without supply; the orphan is 未纳入批次.
    let r = reg
        .scan(
            &RuleSet::xuchang_default(),
            date(2021, 3, 15),
            2020,
            &|_, _| {},
        )
        .unwrap();
    let pwg: Vec<_> = r.findings.iter().filter(|f| f.rule_id == "PWG").collect();
    assert_eq!(pwg.len(), 1);
    assert_eq!(pwg[0].subject, Subject::Parcel(a));
    assert_eq!(pwg[0].inputs["batch_id"], "批一");
    assert_eq!(pwg[0].inputs["approved_on"], "2019-03-15");
    assert_eq!(pwg[0].inputs["age_bucket"], "2-3", "exactly two years old");
    assert!(
        pwg[0].reason_zh.contains("批次 批一"),
        "{}",
        pwg[0].reason_zh
    );
    assert!(r.findings_of(orphan).iter().all(|f| f.rule_id != "PWG"));
    assert!(r.findings_of(b).iter().all(|f| f.rule_id != "PWG"));
    let (_, tally) = r.tally_where(&Default::default());
    assert_eq!(tally["weidu"].unsupplied, 1);
    assert_eq!(tally["weidu"].batches, 2);
    assert_eq!(tally["weidu"].stock.get("PWG"), Some(&1));
    // The day before the anniversary, the parcel was one year old.
    let r = reg
        .scan(
            &RuleSet::xuchang_default(),
            date(2021, 3, 14),
            2020,
            &|_, _| {},
        )
        .unwrap();
    let f = r.findings_of(a);
    assert_eq!(
        f.iter().find(|f| f.rule_id == "PWG").unwrap().inputs["age_bucket"],
        "<2"
    );
    // 满2年未征收: batch 2 on 2021-03-15, not the day before.
    let noacq = ("UNS-NOACQ".to_owned(), "批次 批二".to_owned());
    assert!(!rules_at(&reg, date(2021, 3, 14)).contains(&noacq));
    assert!(rules_at(&reg, date(2021, 3, 15)).contains(&noacq));
    // 征收满3年仍未供: batch 1 on 2022-06-01, not the day before.
    let acq = ("UNS-ACQ".to_owned(), "批次 批一".to_owned());
    assert!(!rules_at(&reg, date(2022, 5, 31)).contains(&acq));
    assert!(rules_at(&reg, date(2022, 6, 1)).contains(&acq));
    let r = reg
        .scan(
            &RuleSet::xuchang_default(),
            date(2022, 6, 1),
            2021,
            &|_, _| {},
        )
        .unwrap();
    assert_eq!(r.findings_of_batch("批一").len(), 1);
    let other_park = landcycle_store::ScanFilter {
        park: Some(landcycle_domain::ParkId::parse("yuzhou").unwrap()),
        ..Default::default()
    };
    assert_eq!(r.findings_where(&other_park).count(), 0, "scoped out");
}

/// The scan's bulk read joins versions, supplies and batch members to their parcel's position,
/// whether it reads the changed parcels' versions by a seek each (few changed) or in one pass
/// over the table (many changed): same statuses, in (position, version) order.
pub fn scan_data_joins_by_position<S: Store>(reg: Registry<S>) {
    seed(&reg);
    let m = meta("入库").effective(date(2019, 3, 15));
    let mut parcels: Vec<_> = (0..20)
        .map(|i| {
            reg.create_parcel(unsupplied(113.80 + 0.002 * f64::from(i), None), &m, None)
                .unwrap()
        })
        .collect();
    let ids: Vec<ParcelId> = parcels.iter().map(|p| p.id).collect();
    let mut step = |k: usize, status: ParcelLifecycle, day: jiff::civil::Date| {
        let p = &parcels[k];
        let mut d = p.to_draft();
        d.status = status;
        d.enterprise = Some(USCC.into());
        parcels[k] = reg
            .update_parcel(p.id, Some(p.version), d, &meta("变更").effective(day))
            .unwrap();
    };
    // Batch members in the reverse of the parcels' order: the position lookup falls back to
    // its binary search.
    let members = vec![member(ids[17], 1_000), member(ids[3], 1_000)];
    reg.add_batch(batch("批序", members), &meta("批次录入"))
        .unwrap();
    let check = |changed: &[(usize, Vec<ParcelLifecycle>)]| {
        let data = reg.store().scan_data().unwrap();
        assert_eq!(data.parcels.len(), 20);
        let mut expected = Vec::new();
        for (i, p) in data.parcels.iter().enumerate() {
            let k = ids.iter().position(|x| *x == p.id).unwrap();
            let steps = changed
                .iter()
                .find(|(c, _)| *c == k)
                .map_or(vec![ParcelLifecycle::ApprovedUnsupplied], |(_, s)| {
                    s.clone()
                });
            for (v, s) in steps.into_iter().enumerate() {
                expected.push((i as u32, p.id, v as i64 + 1, s));
            }
        }
        let got: Vec<_> = data
            .statuses
            .iter()
            .map(|s| (s.parcel_index, s.parcel_id, s.version, s.status))
            .collect();
        assert_eq!(got, expected);
        let at = |id: ParcelId| data.parcels.iter().position(|p| p.id == id).unwrap();
        assert_eq!(data.batch_of[at(ids[17])], Some(0));
        assert_eq!(data.batch_of[at(ids[3])], Some(0));
        assert_eq!(data.batch_of.iter().flatten().count(), 2);
    };
    // One changed parcel among 20: read by seek.
    use ParcelLifecycle::{ApprovedUnsupplied as A, Delivered as S, Granted as G};
    step(5, G, date(2020, 5, 1));
    step(5, S, date(2021, 1, 1));
    check(&[(5, vec![A, G, S])]);
    // Four of 20: one pass over the table.
    for k in [0, 9, 19] {
        step(k, G, date(2020, 6, 1));
    }
    check(&[
        (0, vec![A, G]),
        (5, vec![A, G, S]),
        (9, vec![A, G]),
        (19, vec![A, G]),
    ]);
}
