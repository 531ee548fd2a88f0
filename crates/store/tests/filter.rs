//! The SQL translation of filters agrees row for row with the in-memory reference evaluator,
//! for hand-picked filters of every operator and for random filters (proptest).

#![allow(missing_docs, clippy::unwrap_used)]

use geo_types::{Geometry, LineString, Point, polygon};
use jiff::civil::{Date, date};
use landcycle_demo::fixtures;
use landcycle_domain::ParcelLifecycle;
use landcycle_store::filter::{
    CmpOp, Count, Filter, Interval, Operand, Queryable, SpatialOp, TemporalOp, TimeEnd,
};
use landcycle_store::{ParcelQuery, Registry, SqliteStore, Store, WriteMeta};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

struct Fixture {
    reg: Registry<SqliteStore>,
    _dir: tempfile::TempDir,
}

const STATUSES: [ParcelLifecycle; 4] = [
    ParcelLifecycle::Reserved,
    ParcelLifecycle::Listed,
    ParcelLifecycle::Granted,
    ParcelLifecycle::Operating,
];

/// 36 parcels on a 6 × 6 grid with varied attributes; every third one updated in 2021.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        // Kept for the whole run in a static, never dropped: under target/tmp, not /tmp.
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let store = SqliteStore::open(dir.path().join("f.gpkg")).unwrap();
        let reg = Registry::new(Arc::new(store));
        let m = |r: &str, d: Date| WriteMeta::new("tester", r).effective(d);
        reg.put_park(
            fixtures::weidu(Some(fixtures::rect(113.80, 34.00, 0.1, 0.1))),
            &m("建园", date(2015, 1, 1)),
        )
        .unwrap();
        reg.put_enterprise(fixtures::enterprise("weidu"), &m("登记", date(2015, 1, 1)))
            .unwrap();
        for i in 0..36u32 {
            let (col, row) = (f64::from(i % 6), f64::from(i / 6));
            let size = 0.001 + 0.0005 * f64::from(i % 5);
            let mut d = fixtures::parcel_draft(fixtures::rect(
                113.80 + col * 0.01,
                34.00 + row * 0.01,
                size,
                size,
            ));
            d.code = (i % 7 != 0).then(|| format!("411002001001GB{:05}", i + 1));
            d.name = format!("{}号地块{}", i, if i % 2 == 0 { "Alpha" } else { "beta" });
            d.address = (i % 3 != 0).then(|| format!("许昌市魏都区{i}路"));
            d.park_id = (i % 4 != 0).then(|| "weidu".to_owned());
            d.enterprise = (i % 2 == 0).then(|| fixtures::TEST_USCC.to_owned());
            d.status = STATUSES[i as usize % 4];
            let start = date(2016 + (i % 5) as i16, 1 + (i % 12) as i8, 1);
            let p = reg
                .create_parcel(d.clone(), &m("建档", start), None)
                .unwrap();
            if i % 3 == 0 {
                d.name = format!("{}号地块（更名）", i);
                reg.update_parcel(p.id, Some(p.version), d, &m("更名", date(2021, 3, 1)))
                    .unwrap();
            }
        }
        Fixture { reg, _dir: dir }
    })
}

fn query(filter: &Filter, as_of: Option<Date>) -> ParcelQuery {
    ParcelQuery {
        filter: Some(filter.clone()),
        as_of,
        limit: 10_000,
        ..ParcelQuery::default()
    }
}

/// Ids the store returns and ids the reference evaluator accepts, over the same rows.
fn both(filter: &Filter, as_of: Option<Date>) -> (BTreeSet<String>, BTreeSet<String>) {
    let s = fixture().reg.store();
    let sql: BTreeSet<String> = s
        .parcels(&query(filter, as_of))
        .unwrap()
        .items
        .iter()
        .map(|p| format!("{}@{}", p.id, p.version))
        .collect();
    let all = s
        .parcels(&ParcelQuery {
            as_of,
            limit: 10_000,
            ..ParcelQuery::default()
        })
        .unwrap()
        .items;
    let mem = all
        .iter()
        .filter(|p| filter.matches(*p))
        .map(|p| format!("{}@{}", p.id, p.version))
        .collect();
    (sql, mem)
}

fn agree(filter: Filter) -> usize {
    let (sql, mem) = both(&filter, None);
    assert_eq!(sql, mem, "filter {filter:?}");
    let (sql_then, mem_then) = both(&filter, Some(date(2020, 6, 30)));
    assert_eq!(sql_then, mem_then, "filter {filter:?} as of 2020-06-30");
    sql.len()
}

use Operand::{CaseI, Number, Prop, Text};
use Queryable as Q;

fn txt(s: &str) -> Operand {
    Text(s.to_owned())
}

#[test]
fn each_operator_agrees_with_the_reference_and_selects_something() {
    let cases = vec![
        Filter::Compare(CmpOp::Eq, Prop(Q::Status), txt("listed")),
        Filter::Compare(CmpOp::Ne, Prop(Q::Status), txt("listed")),
        Filter::Compare(CmpOp::Gt, Prop(Q::AreaMu), Number(40.0)),
        Filter::Compare(CmpOp::Le, Prop(Q::AreaMu), Number(40.0)),
        Filter::Compare(CmpOp::Ge, Prop(Q::Version), Number(2.0)),
        Filter::Compare(
            CmpOp::Lt,
            Prop(Q::ValidFrom),
            Operand::Date(date(2018, 1, 1)),
        ),
        Filter::Like(Prop(Q::Name), txt("%Alpha")),
        Filter::Like(
            CaseI(Box::new(Prop(Q::Name))),
            CaseI(Box::new(txt("%ALPHA"))),
        ),
        Filter::Like(Prop(Q::Address), txt("许昌市%")),
        Filter::In(Prop(Q::Status), vec![txt("reserved"), txt("operating")]),
        Filter::Between(Prop(Q::AreaMu), Number(20.0), Number(60.0)),
        Filter::IsNull(Prop(Q::Code)),
        Filter::Not(Box::new(Filter::IsNull(Prop(Q::Address)))),
        Filter::Or(vec![
            Filter::IsNull(Prop(Q::ParkId)),
            Filter::Compare(CmpOp::Eq, Prop(Q::Enterprise), txt(fixtures::TEST_USCC)),
        ]),
        Filter::Spatial(
            SpatialOp::Intersects,
            Geometry::Polygon(polygon![(x: 113.795, y: 33.995), (x: 113.825, y: 33.995),
                (x: 113.825, y: 34.025), (x: 113.795, y: 34.025)]),
        ),
        Filter::Spatial(
            SpatialOp::Within,
            Geometry::Polygon(polygon![(x: 113.79, y: 33.99), (x: 113.83, y: 33.99),
                (x: 113.83, y: 34.08), (x: 113.79, y: 34.08)]),
        ),
        Filter::Spatial(
            SpatialOp::Contains,
            Geometry::Point(Point::new(113.8005, 34.0005)),
        ),
        Filter::Spatial(
            SpatialOp::Crosses,
            Geometry::LineString(LineString::from(vec![(113.79, 34.0005), (113.90, 34.0005)])),
        ),
        Filter::Spatial(
            SpatialOp::Disjoint,
            Geometry::Point(Point::new(113.8005, 34.0005)),
        ),
        Filter::Temporal(
            TemporalOp::After,
            Interval::instant(TimeEnd::Prop(Q::ValidFrom)),
            Interval::instant(TimeEnd::Date(date(2018, 6, 1))),
        ),
        Filter::Temporal(
            TemporalOp::Intersects,
            Interval {
                start: Some(TimeEnd::Prop(Q::ValidFrom)),
                end: Some(TimeEnd::Prop(Q::ValidTo)),
            },
            Interval::instant(TimeEnd::Date(date(2021, 2, 1))),
        ),
        Filter::Temporal(
            TemporalOp::During,
            Interval::instant(TimeEnd::Prop(Q::ValidFrom)),
            Interval {
                start: Some(TimeEnd::Date(date(2017, 1, 1))),
                end: None,
            },
        ),
    ];
    for f in cases {
        let n = agree(f.clone());
        assert!(
            n > 0 && n < 36,
            "{f:?} selects {n} of 36: not a discriminating case"
        );
    }
}

#[test]
fn counts_are_exact_under_the_cap_and_estimated_over_it() {
    let s = fixture().reg.store();
    let f = Filter::Compare(CmpOp::Eq, Prop(Q::Status), txt("listed"));
    let exact = s.count_parcels(&query(&f, None), 100).unwrap();
    assert_eq!(exact, Count::Exact(9));
    match s.count_parcels(&query(&f, None), 5).unwrap() {
        Count::Estimate(n) => assert!((6..=36).contains(&n), "{n}"),
        other => panic!("expected an estimate, got {other:?}"),
    }
}

fn arb_operand_for(q: Queryable) -> BoxedStrategy<Operand> {
    match q.kind() {
        landcycle_store::filter::ValueKind::Number
        | landcycle_store::filter::ValueKind::Integer => {
            prop_oneof![(0.0..150.0f64), (0.0..3.0f64)]
                .prop_map(Number)
                .boxed()
        }
        landcycle_store::filter::ValueKind::Date => (2015i16..2023, 1i8..13)
            .prop_map(|(y, m)| Operand::Date(date(y, m, 1)))
            .boxed(),
        landcycle_store::filter::ValueKind::Text => prop_oneof![
            Just(txt("listed")),
            Just(txt("weidu")),
            Just(txt("411002001001GB00010")),
            "[0-9]{1,2}号地块.*".prop_map(Text),
        ]
        .boxed(),
    }
}

fn arb_leaf() -> impl Strategy<Value = Filter> {
    let q = proptest::sample::select(Q::ALL.to_vec());
    q.prop_flat_map(|q| {
        let op = proptest::sample::select(vec![
            CmpOp::Eq,
            CmpOp::Ne,
            CmpOp::Lt,
            CmpOp::Le,
            CmpOp::Gt,
            CmpOp::Ge,
        ]);
        prop_oneof![
            (op, arb_operand_for(q)).prop_map(move |(op, v)| Filter::Compare(op, Prop(q), v)),
            (arb_operand_for(q), arb_operand_for(q)).prop_map(move |(a, b)| Filter::Between(
                Prop(q),
                a,
                b
            )),
            Just(Filter::IsNull(Prop(q))),
            proptest::collection::vec(arb_operand_for(q), 1..4)
                .prop_map(move |v| Filter::In(Prop(q), v)),
        ]
    })
}

fn arb_filter() -> impl Strategy<Value = Filter> {
    arb_leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..3).prop_map(Filter::And),
            proptest::collection::vec(inner.clone(), 1..3).prop_map(Filter::Or),
            inner.prop_map(|f| Filter::Not(Box::new(f))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn random_filters_agree_with_the_reference(f in arb_filter()) {
        let (sql, mem) = both(&f, None);
        prop_assert_eq!(sql, mem);
    }
}
