//! The small checks the CQL2 translation leans on: operand kinds and their compatibility,
//! literal coercion (a date property accepts a date string), names of AST nodes for error
//! messages, and WKT literals.

use super::cql::bad;
use crate::error::ApiError;
use cql2::Expr;
use geo_types::Geometry;
use jiff::civil::Date;
use landcycle_store::filter::{Operand, SpatialOp, ValueKind};

/// Reads WKT through geozero (a dependency of `cql2` already).
pub(super) fn geometry_from_wkt(wkt: &str) -> Result<Geometry<f64>, ApiError> {
    use geozero::ToGeo;
    geozero::wkt::Wkt(wkt)
        .to_geo()
        .map_err(|e| bad(format!("geometry: {e}"), "几何无法解析"))
}

pub(super) fn is_geometry_prop(e: &Expr) -> bool {
    matches!(e, Expr::Property { property } if property == "geometry" || property == "geom")
}

pub(super) fn converse(op: SpatialOp) -> SpatialOp {
    match op {
        SpatialOp::Within => SpatialOp::Contains,
        SpatialOp::Contains => SpatialOp::Within,
        other => other,
    }
}

pub(super) fn unsupported(op: &str) -> ApiError {
    bad(
        format!("operator `{op}` is not supported (see /ogc/conformance)"),
        format!("不支持运算符 `{op}`（见 /ogc/conformance）"),
    )
}

pub(super) fn describe(e: &Expr) -> &'static str {
    match e {
        Expr::Operation { .. } => "an operation",
        Expr::Interval { .. } => "an interval",
        Expr::Timestamp { .. } => "a timestamp",
        Expr::Date { .. } => "a date",
        Expr::Property { .. } => "a property",
        Expr::BBox { .. } => "a bbox",
        Expr::Float(_) => "a number",
        Expr::Literal(_) => "a string",
        Expr::Bool(_) => "a boolean",
        Expr::Array(_) => "a list",
        Expr::Geometry(_) => "a geometry",
        Expr::Null => "null",
    }
}

pub(super) fn kind_of(o: &Operand) -> Option<ValueKind> {
    match o {
        Operand::Prop(q) => Some(q.kind()),
        Operand::CaseI(inner) => kind_of(inner),
        _ => None,
    }
}

pub(super) fn literal_kind(o: &Operand) -> ValueKind {
    match o {
        Operand::Number(_) => ValueKind::Number,
        Operand::Date(_) => ValueKind::Date,
        _ => ValueKind::Text,
    }
}

pub(super) fn compatible(a: ValueKind, b: ValueKind) -> bool {
    use ValueKind::*;
    matches!(
        (a, b),
        (Text, Text) | (Date, Date) | (Number | Integer, Number | Integer)
    )
}

pub(super) fn check_same(a: &Operand, b: &Operand, op: &str) -> Result<(), ApiError> {
    let ka = kind_of(a).unwrap_or_else(|| literal_kind(a));
    let kb = kind_of(b).unwrap_or_else(|| literal_kind(b));
    if compatible(ka, kb) {
        Ok(())
    } else {
        Err(bad(
            format!("{op} compares values of different types ({ka:?} and {kb:?})"),
            format!("{op} 两侧类型不一致"),
        ))
    }
}

/// Makes a literal fit the property it is compared with: a date property accepts `'2021-06-30'`
/// as well as `DATE('2021-06-30')`.
pub(super) fn coerce(prop: &Operand, lit: Operand, op: &str) -> Result<Operand, ApiError> {
    let want = kind_of(prop).unwrap_or_else(|| literal_kind(prop));
    match (want, &lit) {
        (ValueKind::Date, Operand::Text(s)) => s
            .parse::<Date>()
            .map(Operand::Date)
            .map_err(|_| bad(format!("`{s}` is not a date"), format!("`{s}` 不是日期"))),
        _ => {
            check_same(prop, &lit, op)?;
            Ok(lit)
        }
    }
}
