//! The store test suite. Every backend must pass it: it is written against the [`Store`] trait
//! and the [`Registry`] only, and instantiated per backend at the bottom of this file.

#![allow(missing_docs, clippy::unwrap_used)]

use geo_types::{MultiPolygon, polygon};
use jiff::civil::date;
use landcycle_demo::fixtures;
use landcycle_domain::{
    AdminCode, ParcelDraft, ParcelId, ParcelLifecycle, SupplyDraft, SupplyMode,
};
use landcycle_store::{ParcelQuery, Registry, Store, StoreError, WriteMeta};
use rust_decimal::Decimal;
use std::sync::Arc;

const USCC: &str = fixtures::TEST_USCC;

fn rect(x: f64, y: f64, w: f64, h: f64) -> MultiPolygon<f64> {
    fixtures::rect(x, y, w, h)
}

fn meta(reason: &str) -> WriteMeta {
    WriteMeta::new("tester", reason)
}

fn draft(geometry: MultiPolygon<f64>) -> ParcelDraft {
    fixtures::parcel_draft(geometry)
}

fn seed<S: Store>(reg: &Registry<S>) {
    reg.put_park(
        fixtures::weidu(Some(rect(113.84, 34.02, 0.03, 0.03))),
        &meta("建园").effective(date(2015, 1, 1)),
    )
    .unwrap();
    reg.put_enterprise(
        fixtures::enterprise("weidu"),
        &meta("登记企业").effective(date(2015, 1, 1)),
    )
    .unwrap();
}

fn snapshot<S: Store>(s: &S) -> String {
    format!("{:?}", s.stats().unwrap())
}

fn assert_field(e: StoreError, field: &str) {
    match e {
        StoreError::Invalid(v) => assert!(
            v.iter().any(|f| f.field == field),
            "expected field {field}, got {v:?}"
        ),
        other => panic!("expected a validation error naming {field}, got {other:?}"),
    }
}

pub fn create_read_update_as_of<S: Store>(reg: Registry<S>) {
    seed(&reg);
    let p = reg
        .create_parcel(
            draft(rect(113.85, 34.03, 0.001, 0.001)),
            &meta("入库").effective(date(2020, 1, 1)),
            None,
        )
        .unwrap();
    assert_eq!(p.version, 1);
    // ~92.3 m × 110.9 m at 34°N.
    let area = p.computed_area_m2.0;
    assert!(
        area > Decimal::from(10_000) && area < Decimal::from(10_500),
        "{area}"
    );

    let mut d = p.to_draft();
    d.status = ParcelLifecycle::Delivered;
    d.name = "测试地块（已交地）".into();
    let p2 = reg
        .update_parcel(p.id, Some(1), d, &meta("交地").effective(date(2021, 7, 1)))
        .unwrap();
    assert_eq!(p2.version, 2);

    let s = reg.store();
    assert_eq!(
        s.parcel(p.id, None).unwrap().unwrap().status,
        ParcelLifecycle::Delivered
    );
    let before = s.parcel(p.id, Some(date(2021, 6, 30))).unwrap().unwrap();
    assert_eq!(
        (before.version, before.status),
        (1, ParcelLifecycle::Granted)
    );
    let after = s.parcel(p.id, Some(date(2021, 7, 1))).unwrap().unwrap();
    assert_eq!(after.version, 2);
    assert!(
        s.parcel(p.id, Some(date(2019, 12, 31))).unwrap().is_none(),
        "did not exist yet"
    );

    let t = reg.timeline(p.id).unwrap();
    assert_eq!(t.versions.len(), 2);
    assert_eq!(t.versions[0].valid_to, Some(date(2021, 7, 1)));
    let kinds: Vec<_> = t.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["create", "update"]);
    let upd = &t.events[1];
    assert_eq!(upd.before.as_ref().unwrap()["status"], "granted");
    assert_eq!(upd.after.as_ref().unwrap()["status"], "delivered");
    assert!(
        upd.after.as_ref().unwrap().get("geometry").is_none(),
        "only changed fields"
    );
    assert_eq!(upd.reason.reason, "交地");

    // Creating a parcel whose id exists is refused and nothing changes (the write relies on
    // the unique version index, not on a lookup first).
    let before = snapshot(s);
    let again = landcycle_store::ChangeSet {
        changes: vec![landcycle_store::Change::PutParcel {
            parcel: Box::new(s.parcel_versions(p.id).unwrap().remove(0)),
            expected_version: None,
        }],
        recorded_at: jiff::Timestamp::now(),
        effective: date(2022, 1, 1),
    };
    let e = s.apply(again).unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("already exists")),
        "{e:?}"
    );
    assert_eq!(snapshot(s), before);

    // A stale version is refused and nothing changes.
    let before = snapshot(s);
    let e = reg
        .update_parcel(p.id, Some(1), p.to_draft(), &meta("stale"))
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    assert_eq!(snapshot(s), before);

    // as-of listing.
    let q = |d| ParcelQuery {
        as_of: Some(d),
        limit: 100,
        ..Default::default()
    };
    assert_eq!(
        s.parcels(&q(date(2020, 6, 1))).unwrap().items[0].status,
        ParcelLifecycle::Granted
    );
    assert_eq!(
        s.parcels(&q(date(2022, 1, 1))).unwrap().items[0].status,
        ParcelLifecycle::Delivered
    );
}

pub fn split_and_merge_lineage<S: Store>(reg: Registry<S>) {
    seed(&reg);
    let m = |r: &str| meta(r).effective(date(2022, 3, 1));
    let whole = reg
        .create_parcel(
            draft(rect(113.85, 34.03, 0.002, 0.001)),
            &meta("入库").effective(date(2022, 1, 1)),
            None,
        )
        .unwrap();
    let halves = vec![
        (None, draft(rect(113.85, 34.03, 0.001, 0.001))),
        (None, draft(rect(113.851, 34.03, 0.001, 0.001))),
    ];
    let kids = reg
        .split_parcel(
            whole.id,
            Some(1),
            halves,
            &m("分割转让").reference("许分割(2022)1号"),
        )
        .unwrap();
    assert_eq!(kids.len(), 2);
    let s = reg.store();
    assert!(s.parcel(whole.id, None).unwrap().is_none(), "parent ended");
    assert!(
        s.parcel(whole.id, Some(date(2022, 2, 28)))
            .unwrap()
            .is_some(),
        "parent still readable as of before"
    );
    assert_eq!(s.children(whole.id).unwrap().len(), 2);
    for k in &kids {
        assert_eq!(s.parents(k.id).unwrap(), vec![whole.id]);
        assert_eq!(k.parents, vec![whole.id]);
    }
    let sum: Decimal = kids.iter().map(|k| k.computed_area_m2.0).sum();
    let rel = ((sum - whole.computed_area_m2.0) / whole.computed_area_m2.0).abs();
    assert!(rel < Decimal::new(1, 6), "children tile the parent: {rel}");

    let merged = reg
        .merge_parcels(
            kids.iter().map(|k| (k.id, Some(1))).collect(),
            draft(rect(113.85, 34.03, 0.002, 0.001)),
            None,
            &meta("合并").effective(date(2023, 1, 1)),
        )
        .unwrap();
    assert_eq!(merged.parents.len(), 2);
    // Walk both ways.
    let up = reg.lineage(merged.id, true).unwrap();
    let ancestors: std::collections::BTreeSet<_> = up.edges.iter().map(|(p, _)| *p).collect();
    assert!(ancestors.contains(&whole.id), "grandparent reached: {up:?}");
    let down = reg.lineage(whole.id, false).unwrap();
    assert!(
        down.edges.iter().any(|(_, c)| *c == merged.id),
        "grandchild reached: {down:?}"
    );
    // The split event sits on the parent's timeline and names the children.
    let t = reg.timeline(whole.id).unwrap();
    let split = t
        .events
        .iter()
        .find(|e| e.kind.as_str() == "split")
        .unwrap();
    assert_eq!(split.related.len(), 2);
    assert_eq!(split.reason.reference.as_deref(), Some("许分割(2022)1号"));
}

pub fn bad_input_changes_nothing<S: Store>(reg: Registry<S>) {
    seed(&reg);
    let good = reg
        .create_parcel(
            draft(rect(113.85, 34.03, 0.002, 0.001)),
            &meta("入库"),
            None,
        )
        .unwrap();
    let s = reg.store();
    let before = snapshot(s);

    let mut d = draft(rect(113.86, 34.03, 0.001, 0.001));
    d.enterprise = Some("914403001922038217".into());
    assert_field(
        reg.create_parcel(d, &meta("x"), None).unwrap_err(),
        "enterprise",
    );

    let mut d = draft(rect(113.86, 34.03, 0.001, 0.001));
    d.code = Some("41100200100GB00001".into());
    assert_field(reg.create_parcel(d, &meta("x"), None).unwrap_err(), "code");

    let bowtie = MultiPolygon(vec![
        polygon![(x: 113.86, y: 34.03), (x: 113.861, y: 34.031), (x: 113.861, y: 34.03), (x: 113.86, y: 34.031), (x: 113.86, y: 34.03)],
    ]);
    assert_field(
        reg.create_parcel(draft(bowtie), &meta("x"), None)
            .unwrap_err(),
        "geometry",
    );

    let mut d = draft(rect(113.86, 34.03, 0.001, 0.001));
    d.park_id = Some("nowhere".into());
    assert_field(
        reg.create_parcel(d, &meta("x"), None).unwrap_err(),
        "park_id",
    );

    let mut d = draft(rect(113.86, 34.03, 0.001, 0.001));
    d.enterprise = Some("91440300708461136T".into()); // valid but not registered
    assert_field(
        reg.create_parcel(d, &meta("x"), None).unwrap_err(),
        "enterprise",
    );

    assert_field(
        reg.create_parcel(draft(rect(113.86, 34.03, 0.001, 0.001)), &meta(" "), None)
            .unwrap_err(),
        "reason",
    );

    // Illegal lifecycle jump.
    let mut d = good.to_draft();
    d.status = ParcelLifecycle::Operating;
    assert_field(
        reg.update_parcel(good.id, None, d, &meta("x")).unwrap_err(),
        "status",
    );

    // Effective date before the current version began.
    let e = reg
        .update_parcel(
            good.id,
            None,
            good.to_draft(),
            &meta("x").effective(date(1999, 1, 1)),
        )
        .unwrap_err();
    assert_field(e, "effective");

    // A split with a gap, and one with a part outside the parent.
    let gap = vec![
        (None, draft(rect(113.85, 34.03, 0.001, 0.001))),
        (None, draft(rect(113.8512, 34.03, 0.0008, 0.001))),
    ];
    assert_field(
        reg.split_parcel(good.id, None, gap, &meta("x"))
            .unwrap_err(),
        "children",
    );
    let outside = vec![
        (None, draft(rect(113.85, 34.03, 0.001, 0.001))),
        (None, draft(rect(113.851, 34.0305, 0.001, 0.001))),
    ];
    assert_field(
        reg.split_parcel(good.id, None, outside, &meta("x"))
            .unwrap_err(),
        "children[1].geometry",
    );
    // A split whose second part is invalid names that part.
    let mut bad = draft(rect(113.851, 34.03, 0.001, 0.001));
    bad.jurisdiction = "4110".into();
    let e = reg
        .split_parcel(
            good.id,
            None,
            vec![
                (None, draft(rect(113.85, 34.03, 0.001, 0.001))),
                (None, bad),
            ],
            &meta("x"),
        )
        .unwrap_err();
    assert_field(e, "children[1].jurisdiction");

    // Supplies: bad dates, unknown parcel.
    let sd = SupplyDraft {
        parcel_id: good.id,
        enterprise: USCC.into(),
        mode: SupplyMode::Grant,
        right_nature: None,
        contract_no: "C-1".into(),
        contract_date: date(2020, 1, 1),
        delivery_date: Some(date(2019, 1, 1)),
        agreed_start: None,
        agreed_completion: None,
        term_years: Some(20),
        price_yuan: Decimal::from(1),
    };
    assert_field(
        reg.add_supply(sd.clone(), &meta("x"), None).unwrap_err(),
        "delivery_date",
    );
    let mut unknown = sd.clone();
    unknown.parcel_id = ParcelId(uuid::Uuid::nil());
    unknown.delivery_date = None;
    assert_field(
        reg.add_supply(unknown, &meta("x"), None).unwrap_err(),
        "parcel_id",
    );

    assert_eq!(snapshot(s), before, "no bad input may change the store");
    assert!(s.integrity_check().unwrap().is_empty());
}

pub fn attachments_are_content_addressed<S: Store>(reg: Registry<S>) {
    seed(&reg);
    let p = reg
        .create_parcel(
            draft(rect(113.85, 34.03, 0.001, 0.001)),
            &meta("入库"),
            None,
        )
        .unwrap();
    let pdf = b"%PDF-1.4\n% contract scan\n";
    let a = reg
        .attach(p.id, "../出让合同.pdf", pdf, &meta("上传合同"))
        .unwrap();
    assert_eq!(a.content_type, "application/pdf");
    assert_eq!(a.name, "出让合同.pdf");
    assert_eq!(a.sha256.len(), 64);
    assert!(a.sha256.bytes().all(|b| b.is_ascii_hexdigit()));
    let again = reg
        .attach(p.id, "copy.pdf", pdf, &meta("再次上传"))
        .unwrap();
    assert_eq!(a.sha256, again.sha256, "same content, same address");
    assert_eq!(reg.store().stats().unwrap().attachments, 1, "stored once");
    assert_eq!(reg.store().blob(&a.sha256).unwrap().unwrap(), pdf);
    assert_eq!(
        reg.store().attachment_parcels(&a.sha256).unwrap(),
        vec![p.id],
        "who may download it follows from the parcels it is linked to"
    );
    assert!(
        reg.store()
            .attachment_parcels(&"0".repeat(64))
            .unwrap()
            .is_empty()
    );
    let t = reg.timeline(p.id).unwrap();
    assert_eq!(t.attachments.len(), 2);
    assert_eq!(
        t.events
            .iter()
            .filter(|e| e.kind.as_str() == "attach")
            .count(),
        2
    );
    assert_field(
        reg.attach(p.id, "empty.pdf", b"", &meta("x")).unwrap_err(),
        "file",
    );
}

pub fn bulk_create_is_all_or_nothing_and_names_the_row<S: Store>(reg: Registry<S>) {
    seed(&reg);
    let drafts = |bad: Option<usize>| -> Vec<ParcelDraft> {
        (0..3)
            .map(|i| {
                let mut d = draft(rect(113.85 + i as f64 * 0.002, 34.03, 0.001, 0.001));
                d.code = Some(if bad == Some(i) {
                    "not-a-code".to_owned()
                } else {
                    format!("411002001001GB{:05}", i + 1)
                });
                d
            })
            .collect()
    };
    let before = snapshot(reg.store());
    let e = reg
        .create_parcels(drafts(Some(1)), &meta("批量入库"))
        .unwrap_err();
    assert_field(e, "rows[1].code");
    assert_eq!(
        snapshot(reg.store()),
        before,
        "a refused row refuses the lot"
    );
    let made = reg.create_parcels(drafts(None), &meta("批量入库")).unwrap();
    assert_eq!(made.len(), 3);
    for p in &made {
        let events = reg.store().events_of(&p.id.to_string()).unwrap();
        assert_eq!(events.len(), 1, "one create event per parcel");
        assert_eq!(reg.store().parcel(p.id, None).unwrap().unwrap().version, 1);
    }
}

pub fn bbox_and_filters<S: Store>(reg: Registry<S>) {
    seed(&reg);
    for i in 0..10 {
        let mut d = draft(rect(113.85 + f64::from(i) * 0.002, 34.03, 0.001, 0.001));
        d.code = Some(format!("411002001001GB{:05}", i + 1));
        if i % 2 == 0 {
            d.status = ParcelLifecycle::ApprovedUnsupplied;
            d.enterprise = None;
        }
        reg.create_parcel(d, &meta("入库"), None).unwrap();
    }
    let s = reg.store();
    let all = s
        .parcels(&ParcelQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.total, 10);
    let bbox = s
        .parcels(&ParcelQuery {
            bbox: Some([113.8495, 34.0295, 113.8535, 34.0315]),
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(bbox.total, 2, "exact bbox test, not just envelopes");
    let extent = |w, h| {
        s.parcels(&ParcelQuery {
            bbox: Some([113.84, 34.02, 113.88, 34.04]),
            min_extent: Some((w, h)),
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .total
    };
    assert_eq!(extent(0.0009, 0.5), 10, "wide enough");
    assert_eq!(extent(0.5, 0.0009), 10, "high enough");
    assert_eq!(extent(0.0011, 0.0011), 0, "under the extent both ways");
    // The tile read: the same parcels as the list (on the boxes alone), the drawn columns.
    let tile = |q: &ParcelQuery| {
        let mut rows = Vec::new();
        s.tile_parcels(q, &mut |p| {
            rows.push((
                p.id.to_owned(),
                p.code.map(str::to_owned),
                p.status.to_owned(),
                p.area_mu,
                landcycle_geo::decode_gpkg(p.geom).is_ok(),
            ))
        })
        .unwrap();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    };
    let q = ParcelQuery {
        bbox: Some([113.84, 34.02, 113.88, 34.04]),
        status: vec![ParcelLifecycle::ApprovedUnsupplied],
        limit: 100,
        ..Default::default()
    };
    let mut listed: Vec<_> = s
        .parcels(&q)
        .unwrap()
        .items
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                p.code.as_ref().map(|c| c.as_str().to_owned()),
                p.status.as_str().to_owned(),
                p.computed_area_m2
                    .to_mu()
                    .0
                    .to_string()
                    .parse::<f64>()
                    .unwrap(),
                true,
            )
        })
        .collect();
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    let drawn = tile(&q);
    assert_eq!(drawn.len(), 5);
    for (a, b) in drawn.iter().zip(&listed) {
        assert_eq!((&a.0, &a.1, &a.2, a.4), (&b.0, &b.1, &b.2, b.4));
        assert!((a.3 - b.3).abs() < 1e-6, "area_mu {} against {}", a.3, b.3);
    }
    assert!(
        tile(&ParcelQuery {
            min_extent: Some((0.0011, 0.0011)),
            ..q.clone()
        })
        .is_empty(),
        "sub-pixel parcels left out"
    );
    assert_eq!(
        tile(&ParcelQuery {
            limit: 2,
            ..q.clone()
        })
        .len(),
        2
    );
    let unsupplied = s
        .parcels(&ParcelQuery {
            status: vec![ParcelLifecycle::ApprovedUnsupplied],
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(unsupplied.total, 5);
    let paged = s
        .parcels(&ParcelQuery {
            limit: 3,
            offset: 9,
            ..Default::default()
        })
        .unwrap();
    assert_eq!((paged.total, paged.items.len()), (10, 1));
    let by_code = s
        .parcels(&ParcelQuery {
            q: Some("GB00007".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_code.total, 1);
    let wildcard = s
        .parcels(&ParcelQuery {
            q: Some("%".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(wildcard.total, 0, "LIKE wildcards in user text are literal");
    let by_use = s
        .parcels(&ParcelQuery {
            land_use: Some((None, "1001".into())),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_use.total, 10);
    // The county filter (a county user's scope): its own parcels, or parcels of its parks.
    let mut elsewhere = draft(rect(113.95, 34.2, 0.001, 0.001));
    elsewhere.code = None;
    elsewhere.jurisdiction = "411081".into();
    elsewhere.park_id = None;
    reg.create_parcel(elsewhere, &meta("入库"), None).unwrap();
    let county = |c: &str| {
        s.parcels(&ParcelQuery {
            jurisdiction: Some(AdminCode::parse(c).unwrap()),
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .total
    };
    assert_eq!(
        (county("411002"), county("411081"), county("411023")),
        (10, 1, 0)
    );
}

pub fn import_is_all_or_nothing<S: Store>(reg: Registry<S>) {
    use landcycle_store::{ImportRow, ImportSource};
    seed(&reg);
    let source = || ImportSource {
        file: "宗地.shp".into(),
        sha256: "ab".repeat(32),
        format: "shapefile".into(),
        crs: "EPSG:4526".into(),
        encoding: Some("GBK".into()),
        notes: vec![],
    };
    let rows = |n: usize| -> Vec<ImportRow> {
        (0..n)
            .map(|i| {
                let (x, y) = (
                    113.80 + (i % 40) as f64 * 0.0012,
                    33.95 + (i / 40) as f64 * 0.0012,
                );
                let mut d = draft(rect(x, y, 0.001, 0.001));
                d.code = Some(format!(
                    "411002001{:03}GB{:05}",
                    1 + i / 90_000,
                    1 + i % 90_000
                ));
                ImportRow {
                    row: i + 1,
                    draft: d,
                }
            })
            .collect()
    };
    let before = snapshot(reg.store());
    // One bad row among 1,000 good ones: nothing is written, the row and field are named.
    let mut bad = rows(1001);
    bad[500].draft.enterprise = Some("914403001922038217".into());
    let r = reg
        .import_parcels(bad, source(), &meta("导入"), false)
        .unwrap();
    assert!(!r.written);
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!(
        (r.problems[0].row, r.problems[0].field.as_str()),
        (Some(501), "enterprise")
    );
    assert!(r.problems[0].reason_zh.contains("校验码"));
    assert_eq!(r.problems[0].file, "宗地.shp");
    assert_eq!(snapshot(reg.store()), before);

    // Duplicates and overlaps within the file.
    let mut dup = rows(3);
    dup[2].draft.code = dup[0].draft.code.clone();
    dup[1].draft.geometry = rect(113.8005, 33.95, 0.001, 0.001);
    let r = reg
        .import_parcels(dup, source(), &meta("导入"), false)
        .unwrap();
    let found: Vec<_> = r
        .problems
        .iter()
        .map(|p| (p.row, p.field.as_str()))
        .collect();
    assert!(found.contains(&(Some(3), "code")), "{found:?}");
    assert!(found.contains(&(Some(2), "geometry")), "{found:?}");
    assert_eq!(snapshot(reg.store()), before);

    // A dry run reports and writes nothing; a clean import writes all in one go.
    let r = reg
        .import_parcels(rows(50), source(), &meta("导入"), true)
        .unwrap();
    assert!(r.problems.is_empty() && !r.written);
    assert_eq!(snapshot(reg.store()), before);
    let r = reg
        .import_parcels(rows(50), source(), &meta("导入"), false)
        .unwrap();
    assert!(r.written && r.created.len() == 50, "{:?}", r.problems);
    assert_eq!(reg.store().stats().unwrap().parcels, 50);
    let ev = &reg.timeline(r.created[0]).unwrap().events[0];
    assert!(ev.related[0].contains("sha256:abab"), "{ev:?}");

    // Importing the same file again collides with what is now stored.
    let r = reg
        .import_parcels(rows(50), source(), &meta("导入"), false)
        .unwrap();
    assert!(!r.written);
    assert!(
        r.problems
            .iter()
            .any(|p| p.field == "code" && p.reason.contains("already"))
    );
    assert!(
        r.problems
            .iter()
            .any(|p| p.field == "geometry" && p.reason.contains("existing"))
    );
    assert_eq!(reg.store().stats().unwrap().parcels, 50);
}

#[path = "suite_parts/workflow.rs"]
mod workflow_suite;

#[path = "suite_parts/batches.rs"]
mod batch_suite;
#[path = "suite_parts/feature_ids.rs"]
mod feature_id_suite;

macro_rules! suite {
    ($backend:ident, $make:expr) => {
        mod $backend {
            use super::*;
            fn reg() -> (Registry<impl Store>, impl Drop) {
                let (store, guard) = $make;
                (Registry::new(Arc::new(store)), guard)
            }
            #[test]
            fn create_read_update_as_of() {
                let (r, _g) = reg();
                super::create_read_update_as_of(r);
            }
            #[test]
            fn split_and_merge_lineage() {
                let (r, _g) = reg();
                super::split_and_merge_lineage(r);
            }
            #[test]
            fn bad_input_changes_nothing() {
                let (r, _g) = reg();
                super::bad_input_changes_nothing(r);
            }
            #[test]
            fn attachments_are_content_addressed() {
                let (r, _g) = reg();
                super::attachments_are_content_addressed(r);
            }
            #[test]
            fn import_is_all_or_nothing() {
                let (r, _g) = reg();
                super::import_is_all_or_nothing(r);
            }
            #[test]
            fn bulk_create_is_all_or_nothing_and_names_the_row() {
                let (r, _g) = reg();
                super::bulk_create_is_all_or_nothing_and_names_the_row(r);
            }
            #[test]
            fn bbox_and_filters() {
                let (r, _g) = reg();
                super::bbox_and_filters(r);
            }
            #[test]
            fn idle_case_recovery_moves_the_parcel() {
                let (r, _g) = reg();
                super::workflow_suite::idle_case_recovery_moves_the_parcel(r);
            }
            #[test]
            fn a_refused_parcel_move_rolls_back_the_case() {
                let (r, _g) = reg();
                super::workflow_suite::a_refused_parcel_move_rolls_back_the_case(r);
            }
            #[test]
            fn batches_are_recorded_with_history() {
                let (r, _g) = reg();
                super::batch_suite::batches_are_recorded_with_history(r);
            }
            #[test]
            fn a_parcel_lies_in_one_batch_only() {
                let (r, _g) = reg();
                super::batch_suite::a_parcel_lies_in_one_batch_only(r);
            }
            #[test]
            fn scan_reads_batches() {
                let (r, _g) = reg();
                super::batch_suite::scan_reads_batches(r);
            }
            #[test]
            fn feature_ids_name_one_live_parcel() {
                let (r, _g) = reg();
                super::feature_id_suite::feature_ids_name_one_live_parcel(r);
            }
            #[test]
            fn counted_parcels_match_page_and_count() {
                let (r, _g) = reg();
                super::feature_id_suite::counted_parcels_match_page_and_count(r);
            }
            #[test]
            fn scan_data_joins_by_position() {
                let (r, _g) = reg();
                super::batch_suite::scan_data_joins_by_position(r);
            }
            #[test]
            fn workflow_lists_filter_and_page() {
                let (r, _g) = reg();
                super::workflow_suite::workflow_lists_filter_and_page(r);
            }
        }
    };
}

suite!(sqlite, {
    let dir = tempfile::tempdir().unwrap();
    let store = landcycle_store::SqliteStore::open(dir.path().join("t.gpkg")).unwrap();
    (store, dir)
});
