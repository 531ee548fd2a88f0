//! [`Filter`] → SQLite SQL. Every literal becomes a bound parameter; the only text written into
//! the statement is fixed: column names from [`Queryable::column`], operators from the
//! filter's enums, and the table name the caller chose. Spatial predicates pre-select by the
//! R*Tree and test exactly with `LC_Relate`; `LIKE` uses `cql2_like` (CQL2's case-sensitive
//! pattern language, the same function the in-memory evaluator uses).

use crate::filter::{End, Filter, Interval, Operand, TimeEnd, ValueKind};
use rusqlite::types::Value;

/// Sentinels for open interval ends; ISO dates compare as text, and no stored date is outside.
const OPEN_START: &str = "0000-01-01";
const OPEN_END: &str = "9999-12-31";

/// Appends the SQL of `f` (a boolean expression over the row alias `p` of `table`) to `sql`.
pub(super) fn write(f: &Filter, table: &str, sql: &mut String, args: &mut Vec<Value>) {
    match f {
        Filter::Bool(b) => sql.push_str(if *b { "1" } else { "0" }),
        Filter::And(v) | Filter::Or(v) if v.is_empty() => {
            sql.push_str(if matches!(f, Filter::And(_)) {
                "1"
            } else {
                "0"
            });
        }
        Filter::And(v) | Filter::Or(v) => {
            let joiner = if matches!(f, Filter::And(_)) {
                " AND "
            } else {
                " OR "
            };
            sql.push('(');
            for (i, c) in v.iter().enumerate() {
                if i > 0 {
                    sql.push_str(joiner);
                }
                write(c, table, sql, args);
            }
            sql.push(')');
        }
        Filter::Not(c) => {
            sql.push_str("(NOT ");
            write(c, table, sql, args);
            sql.push(')');
        }
        Filter::Compare(op, a, b) => {
            sql.push('(');
            operand(a, sql, args);
            sql.push_str(&format!(" {} ", op.sql()));
            operand(b, sql, args);
            sql.push(')');
        }
        Filter::Like(a, p) => {
            sql.push_str("cql2_like(");
            operand(a, sql, args);
            sql.push_str(", ");
            operand(p, sql, args);
            sql.push(')');
        }
        Filter::In(a, list) => {
            sql.push('(');
            operand(a, sql, args);
            sql.push_str(" IN (");
            for (i, o) in list.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                operand(o, sql, args);
            }
            sql.push_str("))");
        }
        Filter::Between(a, lo, hi) => {
            sql.push('(');
            operand(a, sql, args);
            sql.push_str(" BETWEEN ");
            operand(lo, sql, args);
            sql.push_str(" AND ");
            operand(hi, sql, args);
            sql.push(')');
        }
        Filter::IsNull(a) => {
            sql.push('(');
            operand(a, sql, args);
            sql.push_str(" IS NULL)");
        }
        Filter::Spatial(op, g) => {
            let blob = landcycle_geo::encode_gpkg(g, 4490);
            sql.push('(');
            if op.needs_overlap() {
                use geo::BoundingRect;
                if let Some(r) = g.bounding_rect() {
                    sql.push_str(&format!(
                        "p.fid IN (SELECT id FROM rtree_{table}_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?) AND "
                    ));
                    args.extend([
                        Value::Real(r.min().x),
                        Value::Real(r.max().x),
                        Value::Real(r.min().y),
                        Value::Real(r.max().y),
                    ]);
                }
            }
            sql.push_str("LC_Relate(p.geom, ?, ?))");
            args.push(Value::Blob(blob));
            args.push(Value::Text(op.name().to_owned()));
        }
        Filter::Temporal(op, a, b) => {
            sql.push('(');
            for (i, conj) in op.endpoint_terms().iter().enumerate() {
                if i > 0 {
                    sql.push_str(" OR ");
                }
                sql.push('(');
                for (j, (l, cmp, r)) in conj.iter().enumerate() {
                    if j > 0 {
                        sql.push_str(" AND ");
                    }
                    time_end(a, *l, sql, args);
                    sql.push_str(&format!(" {} ", cmp.sql()));
                    time_end(b, *r, sql, args);
                }
                sql.push(')');
            }
            sql.push(')');
        }
    }
}

fn operand(o: &Operand, sql: &mut String, args: &mut Vec<Value>) {
    match o {
        Operand::Prop(q) => sql.push_str(&format!("p.{}", q.column())),
        Operand::Text(s) => {
            sql.push('?');
            args.push(Value::Text(s.clone()));
        }
        Operand::Number(n) => {
            sql.push('?');
            args.push(Value::Real(*n));
        }
        Operand::Date(d) => {
            sql.push('?');
            args.push(Value::Text(d.to_string()));
        }
        Operand::CaseI(inner) => {
            sql.push_str("lower(");
            operand(inner, sql, args);
            sql.push(')');
        }
    }
}

fn time_end(i: &Interval, which: End, sql: &mut String, args: &mut Vec<Value>) {
    let (e, open) = match which {
        End::Start => (i.start, OPEN_START),
        End::End => (i.end, OPEN_END),
    };
    match e {
        Some(TimeEnd::Date(d)) => {
            sql.push('?');
            args.push(Value::Text(d.to_string()));
        }
        Some(TimeEnd::Prop(q)) => {
            debug_assert_eq!(q.kind(), ValueKind::Date);
            sql.push_str(&format!("COALESCE(p.{}, '{open}')", q.column()));
        }
        None => sql.push_str(&format!("'{open}'")),
    }
}
