//! Tests of the CQL2 → filter translation.

use super::*;

fn p(s: &str) -> Result<Filter, ApiError> {
    parse(s, Lang::Text, &Queryable::ALL, Crs::Crs84)
}

#[test]
fn operators_map_to_filters() {
    assert_eq!(
        p("status = 'listed'").expect("ok"),
        Filter::Compare(
            CmpOp::Eq,
            Operand::Prop(Queryable::Status),
            Operand::Text("listed".into())
        )
    );
    assert!(matches!(
        p("area_mu BETWEEN 10 AND 20").expect("ok"),
        Filter::Between(..)
    ));
    assert!(matches!(
        p("status IN ('listed','reserved')").expect("ok"),
        Filter::In(..)
    ));
    assert!(matches!(p("code IS NULL").expect("ok"), Filter::IsNull(..)));
    assert!(matches!(
        p("code IS NOT NULL").expect("ok"),
        Filter::Not(..)
    ));
    assert!(matches!(
        p("name LIKE '%魏都%'").expect("ok"),
        Filter::Like(..)
    ));
    assert!(matches!(
        p("S_INTERSECTS(geometry, POINT(113.85 34.03))").expect("ok"),
        Filter::Spatial(SpatialOp::Intersects, _)
    ));
    assert!(matches!(
        p("S_WITHIN(geometry, BBOX(113.8, 34.0, 113.9, 34.1))").expect("ok"),
        Filter::Spatial(SpatialOp::Within, _)
    ));
    assert!(matches!(
        p("T_AFTER(valid_from, DATE('2021-01-01'))").expect("ok"),
        Filter::Temporal(TemporalOp::After, ..)
    ));
    assert!(matches!(
        p("T_INTERSECTS(INTERVAL(valid_from, valid_to), INTERVAL('2021-01-01', '..'))")
            .expect("ok"),
        Filter::Temporal(TemporalOp::Intersects, ..)
    ));
    assert!(matches!(
        p("valid_from >= '2021-01-01' AND CASEI(name) LIKE CASEI('%alpha%')").expect("ok"),
        Filter::And(_)
    ));
}

#[test]
fn json_and_text_agree() {
    let j = parse(
        r#"{"op":"and","args":[{"op":"=","args":[{"property":"status"},"listed"]},{"op":">","args":[{"property":"area_mu"},10]}]}"#,
        Lang::Json,
        &Queryable::ALL,
        Crs::Crs84,
    )
    .expect("json");
    assert_eq!(j, p("status = 'listed' AND area_mu > 10").expect("text"));
}

fn message(e: ApiError) -> String {
    match e {
        ApiError::BadRequest(m, _) => m,
        other => panic!("expected 400, got {other:?}"),
    }
}

#[test]
fn bad_filters_are_400_naming_the_problem() {
    let m = message(p("(status = 'listed'").expect_err("unbalanced"));
    assert!(m.contains("syntax error at 1:"), "{m}");
    let m = message(p("nope = 1").expect_err("unknown"));
    assert!(m.contains("unknown property `nope`"), "{m}");
    let m = message(p("area_mu = 'big'").expect_err("types"));
    assert!(m.contains("different types"), "{m}");
    let m = message(p("area_mu + 1 > 2").expect_err("arith"));
    assert!(m.contains("not supported"), "{m}");
    // Injection stays a string literal or a syntax error; it is never SQL.
    match p("name = 'x'; DROP TABLE parcels; --'") {
        Err(e) => assert!(message(e).contains("syntax error")),
        Ok(f) => panic!("parsed as {f:?}"),
    }
    let f = p("name = 'x''; DROP TABLE parcels; --'").expect("a quoted quote is data");
    assert_eq!(
        f,
        Filter::Compare(
            CmpOp::Eq,
            Operand::Prop(Queryable::Name),
            Operand::Text("x'; DROP TABLE parcels; --".into())
        )
    );
}
