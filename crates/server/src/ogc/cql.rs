//! CQL2 (OGC API – Features Part 3) → the store's [`Filter`]. The `cql2` crate parses text and
//! JSON into one AST; this module type-checks that tree against the collection's queryables and
//! builds the backend-neutral filter, which the store turns into parameterized SQL. Anything
//! outside the declared conformance classes (arithmetic, functions, arrays, ACCENTI) is refused
//! with a 400 that names the operator; a syntax error names its line and column.

use super::cql_check::{
    check_same, coerce, converse, describe, geometry_from_wkt, is_geometry_prop, kind_of,
    unsupported,
};
use crate::error::ApiError;
use cql2::Expr;
use geo_types::Geometry;
use jiff::civil::Date;
use landcycle_geo::{Crs, Transformer};
use landcycle_store::filter::{
    CmpOp, Filter, Interval, Operand, Queryable, SpatialOp, TemporalOp, TimeEnd, ValueKind,
};

/// The filter language of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// `cql2-text` (the default).
    Text,
    /// `cql2-json`.
    Json,
}

pub(super) fn bad(msg: impl Into<String>, zh: impl Into<String>) -> ApiError {
    let msg = msg.into();
    ApiError::BadRequest(
        format!("filter: {msg}"),
        vec![landcycle_domain::FieldError::new(
            "filter",
            None,
            msg,
            zh.into(),
        )],
    )
}

/// Parses and type-checks a filter. `allowed` lists the queryables of the collection;
/// `filter_crs` is the CRS of geometry literals (CRS84 unless `filter-crs` says otherwise).
pub fn parse(
    text: &str,
    lang: Lang,
    allowed: &[Queryable],
    filter_crs: Crs,
) -> Result<Filter, ApiError> {
    if text.len() > 20_000 {
        return Err(bad(
            "longer than 20 000 characters",
            "过滤表达式过长（超过 20000 字符）",
        ));
    }
    let expr = match lang {
        Lang::Text => cql2::parse_text(text).map_err(|e| syntax_error(&e.to_string()))?,
        Lang::Json => cql2::parse_json(text).map_err(|e| {
            bad(
                format!(
                    "not valid CQL2-JSON at line {} column {}: {e}",
                    e.line(),
                    e.column()
                ),
                format!(
                    "CQL2-JSON 格式错误（第 {} 行第 {} 列）",
                    e.line(),
                    e.column()
                ),
            )
        })?,
    };
    let cx = Cx {
        allowed,
        to_lonlat: if filter_crs == Crs::Crs84 || filter_crs == Crs::Cgcs2000Geographic {
            None
        } else {
            Some(
                Transformer::new(&filter_crs, &Crs::Cgcs2000Geographic)
                    .map_err(|e| bad(format!("filter-crs: {e}"), "filter-crs 不受支持"))?,
            )
        },
    };
    cx.boolean(&expr, 0)
}

fn syntax_error(msg: &str) -> ApiError {
    // pest reports ` --> line:col`; keep the whole message, which also shows a caret.
    let pos = msg
        .split("--> ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or("?");
    bad(
        format!("syntax error at {pos} (line:column): {msg}"),
        format!("过滤表达式语法错误，位置 {pos}（行:列）"),
    )
}

struct Cx<'a> {
    allowed: &'a [Queryable],
    to_lonlat: Option<Transformer>,
}

/// Nesting beyond this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

fn arg<'e>(args: &'e [Box<Expr>], i: usize, op: &str) -> Result<&'e Expr, ApiError> {
    args.get(i).map(AsRef::as_ref).ok_or_else(|| {
        bad(
            format!("{op} needs {} arguments", i + 1),
            format!("{op} 缺少参数"),
        )
    })
}

fn arity(args: &[Box<Expr>], n: usize, op: &str) -> Result<(), ApiError> {
    if args.len() == n {
        Ok(())
    } else {
        Err(bad(
            format!("{op} takes {n} arguments, got {}", args.len()),
            format!("{op} 需要 {n} 个参数，实际 {} 个", args.len()),
        ))
    }
}

impl Cx<'_> {
    fn boolean(&self, e: &Expr, depth: usize) -> Result<Filter, ApiError> {
        if depth > MAX_DEPTH {
            return Err(bad("nested too deeply", "嵌套层数过多"));
        }
        let (op, args) = match e {
            Expr::Bool(b) => return Ok(Filter::Bool(*b)),
            Expr::Operation { op, args } => (op.to_ascii_lowercase(), args),
            other => {
                return Err(bad(
                    format!("expected a condition, found {}", describe(other)),
                    "此处应为条件表达式",
                ));
            }
        };
        let cmp = |o| -> Result<Filter, ApiError> {
            arity(args, 2, &op)?;
            let (a, b) = self.pair(arg(args, 0, &op)?, arg(args, 1, &op)?, &op)?;
            Ok(Filter::Compare(o, a, b))
        };
        Ok(match op.as_str() {
            "and" | "or" => {
                let parts = args
                    .iter()
                    .map(|a| self.boolean(a, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                if op == "and" {
                    Filter::And(parts)
                } else {
                    Filter::Or(parts)
                }
            }
            "not" => {
                arity(args, 1, &op)?;
                Filter::Not(Box::new(self.boolean(arg(args, 0, &op)?, depth + 1)?))
            }
            "=" => cmp(CmpOp::Eq)?,
            "<>" => cmp(CmpOp::Ne)?,
            "<" => cmp(CmpOp::Lt)?,
            "<=" => cmp(CmpOp::Le)?,
            ">" => cmp(CmpOp::Gt)?,
            ">=" => cmp(CmpOp::Ge)?,
            "like" => {
                arity(args, 2, &op)?;
                let (a, p) = self.pair(arg(args, 0, &op)?, arg(args, 1, &op)?, &op)?;
                if kind_of(&a) != Some(ValueKind::Text) {
                    return Err(bad(
                        "LIKE applies to text properties",
                        "LIKE 只能用于文本属性",
                    ));
                }
                Filter::Like(a, p)
            }
            "between" => {
                arity(args, 3, &op)?;
                let a = self.operand(arg(args, 0, &op)?)?;
                let lo = self.operand(arg(args, 1, &op)?)?;
                let hi = self.operand(arg(args, 2, &op)?)?;
                let lo = coerce(&a, lo, &op)?;
                let hi = coerce(&a, hi, &op)?;
                if !matches!(
                    kind_of(&a),
                    Some(ValueKind::Number | ValueKind::Integer | ValueKind::Date)
                ) {
                    return Err(bad(
                        "BETWEEN applies to numbers and dates",
                        "BETWEEN 只能用于数值或日期",
                    ));
                }
                Filter::Between(a, lo, hi)
            }
            "in" => {
                arity(args, 2, &op)?;
                let a = self.operand(arg(args, 0, &op)?)?;
                let Expr::Array(items) = arg(args, 1, &op)? else {
                    return Err(bad("IN needs a list: a IN ('x', 'y')", "IN 需要列表"));
                };
                if items.is_empty() || items.len() > 1000 {
                    return Err(bad(
                        "IN needs 1 to 1000 values",
                        "IN 列表须有 1 至 1000 个值",
                    ));
                }
                let list = items
                    .iter()
                    .map(|i| self.operand(i).and_then(|o| coerce(&a, o, &op)))
                    .collect::<Result<Vec<_>, _>>()?;
                Filter::In(a, list)
            }
            "isnull" => {
                arity(args, 1, &op)?;
                Filter::IsNull(self.operand(arg(args, 0, &op)?)?)
            }
            s if s.starts_with("s_") => {
                let sop = SpatialOp::parse(&s[2..]).ok_or_else(|| unsupported(&op))?;
                arity(args, 2, &op)?;
                let (a, b) = (arg(args, 0, &op)?, arg(args, 1, &op)?);
                // S_WITHIN(geometry, lit) and S_WITHIN(lit, geometry) are converses.
                let (g, sop) = match (is_geometry_prop(a), is_geometry_prop(b)) {
                    (true, false) => (self.geometry(b)?, sop),
                    (false, true) => (self.geometry(a)?, converse(sop)),
                    _ => {
                        return Err(bad(
                            format!(
                                "{op} compares the property `geometry` with a geometry literal"
                            ),
                            format!("{op} 须比较 geometry 属性与几何字面量"),
                        ));
                    }
                };
                Filter::Spatial(sop, g)
            }
            s if s.starts_with("t_") => {
                let top = TemporalOp::parse(s).ok_or_else(|| unsupported(&op))?;
                arity(args, 2, &op)?;
                Filter::Temporal(
                    top,
                    self.interval(arg(args, 0, &op)?)?,
                    self.interval(arg(args, 1, &op)?)?,
                )
            }
            _ => return Err(unsupported(&op)),
        })
    }

    fn pair(&self, a: &Expr, b: &Expr, op: &str) -> Result<(Operand, Operand), ApiError> {
        let a = self.operand(a)?;
        let b = self.operand(b)?;
        match (kind_of(&a), kind_of(&b)) {
            (Some(_), Some(_)) | (None, None) => {
                check_same(&a, &b, op)?;
                Ok((a, b))
            }
            (Some(_), None) => {
                let b = coerce(&a, b, op)?;
                Ok((a, b))
            }
            (None, Some(_)) => {
                let a = coerce(&b, a, op)?;
                Ok((a, b))
            }
        }
    }

    fn queryable(&self, name: &str) -> Result<Queryable, ApiError> {
        Queryable::parse(name)
            .filter(|q| self.allowed.contains(q))
            .ok_or_else(|| {
                bad(
                    format!(
                        "unknown property `{name}`; queryables: {}",
                        self.allowed
                            .iter()
                            .map(|q| q.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!("未知属性 `{name}`，可查询属性见 /queryables"),
                )
            })
    }

    fn operand(&self, e: &Expr) -> Result<Operand, ApiError> {
        Ok(match e {
            Expr::Property { property } => Operand::Prop(self.queryable(property)?),
            Expr::Literal(s) => Operand::Text(s.clone()),
            Expr::Float(f) if f.is_finite() => Operand::Number(*f),
            Expr::Date { date } => Operand::Date(self.date(date)?),
            Expr::Timestamp { timestamp } => Operand::Date(self.date(timestamp)?),
            Expr::Operation { op, args } if op.eq_ignore_ascii_case("casei") => {
                arity(args, 1, "CASEI")?;
                let inner = self.operand(arg(args, 0, "CASEI")?)?;
                if kind_of(&inner).is_some_and(|k| k != ValueKind::Text) {
                    return Err(bad("CASEI applies to text", "CASEI 只能用于文本"));
                }
                Operand::CaseI(Box::new(inner))
            }
            Expr::Operation { op, .. } => return Err(unsupported(op)),
            other => {
                return Err(bad(
                    format!("expected a property or a value, found {}", describe(other)),
                    "此处应为属性或取值",
                ));
            }
        })
    }

    fn date(&self, e: &Expr) -> Result<Date, ApiError> {
        let Expr::Literal(s) = e else {
            return Err(bad("DATE/TIMESTAMP needs a string", "日期须为字符串"));
        };
        // A timestamp compares by its UTC calendar day: every stored time value is a day.
        let day = s.get(..10).unwrap_or(s);
        day.parse::<Date>().map_err(|_| {
            bad(
                format!("`{s}` is not a date (YYYY-MM-DD)"),
                format!("`{s}` 不是有效日期（YYYY-MM-DD）"),
            )
        })
    }

    fn time_end(&self, e: &Expr) -> Result<Option<TimeEnd>, ApiError> {
        Ok(Some(match e {
            Expr::Literal(s) if s == ".." => return Ok(None),
            Expr::Literal(_) => TimeEnd::Date(self.date(e)?),
            Expr::Date { date } => TimeEnd::Date(self.date(date)?),
            Expr::Timestamp { timestamp } => TimeEnd::Date(self.date(timestamp)?),
            Expr::Property { property } => {
                let q = self.queryable(property)?;
                if q.kind() != ValueKind::Date {
                    return Err(bad(
                        format!("`{property}` is not a date property"),
                        format!("`{property}` 不是日期属性"),
                    ));
                }
                TimeEnd::Prop(q)
            }
            other => {
                return Err(bad(
                    format!("expected a date, found {}", describe(other)),
                    "此处应为日期",
                ));
            }
        }))
    }

    fn interval(&self, e: &Expr) -> Result<Interval, ApiError> {
        match e {
            Expr::Interval { interval } => {
                arity(interval, 2, "INTERVAL")?;
                Ok(Interval {
                    start: self.time_end(&interval[0])?,
                    end: self.time_end(&interval[1])?,
                })
            }
            other => {
                let end = self.time_end(other)?.ok_or_else(|| {
                    bad(
                        "`..` is only allowed inside INTERVAL",
                        "`..` 只能用于 INTERVAL",
                    )
                })?;
                Ok(Interval::instant(end))
            }
        }
    }

    fn geometry(&self, e: &Expr) -> Result<Geometry<f64>, ApiError> {
        let wkt = match e {
            Expr::Geometry(g) => g.to_wkt(),
            Expr::BBox { bbox } => {
                let n: Vec<f64> = bbox
                    .iter()
                    .map(|b| match b.as_ref() {
                        Expr::Float(f) => Ok(*f),
                        _ => Err(bad("BBOX needs numbers", "BBOX 须为数值")),
                    })
                    .collect::<Result<_, _>>()?;
                let [x0, y0, x1, y1] = n[..] else {
                    return Err(bad("BBOX needs 4 numbers", "BBOX 须为 4 个数值"));
                };
                Ok(format!(
                    "POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"
                ))
            }
            other => {
                return Err(bad(
                    format!("expected a geometry, found {}", describe(other)),
                    "此处应为几何",
                ));
            }
        }
        .map_err(|e| bad(format!("geometry: {e}"), "几何无法解析"))?;
        let g = geometry_from_wkt(&wkt)?;
        match &self.to_lonlat {
            None => Ok(g),
            Some(t) => t
                .geometry(&g)
                .map_err(|e| bad(format!("geometry: {e}"), "几何坐标转换失败")),
        }
    }
}

#[cfg(test)]
#[path = "cql_tests.rs"]
mod tests;
