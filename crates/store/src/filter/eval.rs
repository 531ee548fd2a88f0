//! In-memory evaluation of a [`Filter`], with SQL's three-valued logic so that it agrees with
//! the backends row for row: a comparison with a missing value is *unknown*, `NOT unknown` is
//! unknown, and a record matches only when the whole filter is true.

use super::{CmpOp, End, Filter, Interval, Operand, Queryable, SpatialOp, TimeEnd};
use geo::Relate;
use geo_types::Geometry;
use jiff::civil::Date;
use landcycle_domain::Parcel;
use std::cmp::Ordering;

/// A record a filter can be evaluated on.
pub trait FilterRecord {
    /// The value of a text, integer or number property as text (`None` when null).
    fn text(&self, q: Queryable) -> Option<String>;
    /// The value of a number or integer property.
    fn number(&self, q: Queryable) -> Option<f64>;
    /// The value of a date property.
    fn date(&self, q: Queryable) -> Option<Date>;
    /// The geometry.
    fn geometry(&self) -> Option<Geometry<f64>>;
}

impl FilterRecord for Parcel {
    fn text(&self, q: Queryable) -> Option<String> {
        Some(match q {
            Queryable::Code => self.code.as_ref()?.as_str().to_owned(),
            Queryable::Name => self.name.clone(),
            Queryable::Address => self.address.clone()?,
            Queryable::Jurisdiction => self.jurisdiction.as_str().to_owned(),
            Queryable::ParkId => self.park_id.as_ref()?.as_str().to_owned(),
            Queryable::Status => self.status.as_str().to_owned(),
            Queryable::LandUseSystem => self.land_use.system.as_str().to_owned(),
            Queryable::LandUseCode => self.land_use.code.clone(),
            Queryable::Enterprise => self.enterprise.as_ref()?.as_str().to_owned(),
            Queryable::Version => self.version.to_string(),
            Queryable::AreaMu => self.number(q)?.to_string(),
            Queryable::ValidFrom | Queryable::ValidTo => self.date(q)?.to_string(),
        })
    }

    fn number(&self, q: Queryable) -> Option<f64> {
        match q {
            // The same conversion the stores write into their `area_mu` column.
            Queryable::AreaMu => {
                rust_decimal::prelude::ToPrimitive::to_f64(&self.computed_area_m2.to_mu().0)
            }
            Queryable::Version => Some(f64::from(self.version)),
            _ => None,
        }
    }

    fn date(&self, q: Queryable) -> Option<Date> {
        match q {
            Queryable::ValidFrom => Some(self.valid_from),
            Queryable::ValidTo => self.valid_to,
            _ => None,
        }
    }

    fn geometry(&self) -> Option<Geometry<f64>> {
        Some(Geometry::MultiPolygon(self.geometry.clone()))
    }
}

/// A resolved scalar.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Text(String),
    Number(f64),
    Date(Date),
}

fn value(r: &dyn FilterRecord, o: &Operand) -> Option<Val> {
    match o {
        Operand::Prop(q) => match q.kind() {
            super::ValueKind::Text => r.text(*q).map(Val::Text),
            super::ValueKind::Number | super::ValueKind::Integer => r.number(*q).map(Val::Number),
            super::ValueKind::Date => r.date(*q).map(Val::Date),
        },
        Operand::Text(s) => Some(Val::Text(s.clone())),
        Operand::Number(n) => Some(Val::Number(*n)),
        Operand::Date(d) => Some(Val::Date(*d)),
        // ASCII only, as SQLite's lower() does, so both sides agree.
        Operand::CaseI(inner) => match value(r, inner)? {
            Val::Text(s) => Some(Val::Text(s.to_ascii_lowercase())),
            other => Some(other),
        },
    }
}

fn compare(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Text(a), Val::Text(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (Val::Number(a), Val::Number(b)) => a.partial_cmp(b),
        (Val::Date(a), Val::Date(b)) => Some(a.cmp(b)),
        // Dates are stored as ISO text; a text literal compares with them as text.
        (Val::Date(a), Val::Text(b)) => Some(a.to_string().as_bytes().cmp(b.as_bytes())),
        (Val::Text(a), Val::Date(b)) => Some(a.as_bytes().cmp(b.to_string().as_bytes())),
        _ => None,
    }
}

fn cmp_holds(op: CmpOp, o: Ordering) -> bool {
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    }
}

/// CQL2 `LIKE`: `%` matches any run of characters, `_` exactly one, `\` escapes the next
/// character. Case-sensitive (wrap both sides in `CASEI` to ignore case).
pub fn like(value: &str, pattern: &str) -> bool {
    #[derive(Clone, Copy)]
    enum Tok {
        Any,
        One,
        Lit(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '%' => Tok::Any,
            '_' => Tok::One,
            '\\' => Tok::Lit(chars.next().unwrap_or('\\')),
            c => Tok::Lit(c),
        });
    }
    let v: Vec<char> = value.chars().collect();
    // Classic wildcard matching with one backtrack point: linear in practice, never exponential.
    let (mut vi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while vi < v.len() {
        match toks.get(ti) {
            Some(Tok::Lit(c)) if *c == v[vi] => {
                vi += 1;
                ti += 1;
            }
            Some(Tok::One) => {
                vi += 1;
                ti += 1;
            }
            Some(Tok::Any) => {
                star = Some((ti, vi));
                ti += 1;
            }
            _ => match star {
                Some((st, sv)) => {
                    ti = st + 1;
                    vi = sv + 1;
                    star = Some((st, sv + 1));
                }
                None => return false,
            },
        }
    }
    toks[ti..].iter().all(|t| matches!(t, Tok::Any))
}

/// Evaluates a spatial predicate of `g` against the literal.
pub fn spatial(op: SpatialOp, g: &Geometry<f64>, literal: &Geometry<f64>) -> bool {
    let m = g.relate(literal);
    match op {
        SpatialOp::Intersects => m.is_intersects(),
        SpatialOp::Disjoint => m.is_disjoint(),
        SpatialOp::Equals => m.is_equal_topo(),
        SpatialOp::Touches => m.is_touches(),
        SpatialOp::Within => m.is_within(),
        SpatialOp::Contains => m.is_contains(),
        SpatialOp::Overlaps => m.is_overlaps(),
        SpatialOp::Crosses => m.is_crosses(),
    }
}

/// An interval end on the number line with infinities (an open or null end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Bound {
    NegInf,
    Day(Date),
    PosInf,
}

fn bound(r: &dyn FilterRecord, e: Option<TimeEnd>, which: End) -> Bound {
    let open = match which {
        End::Start => Bound::NegInf,
        End::End => Bound::PosInf,
    };
    match e {
        Some(TimeEnd::Date(d)) => Bound::Day(d),
        Some(TimeEnd::Prop(q)) => r.date(q).map_or(open, Bound::Day),
        None => open,
    }
}

fn ends(r: &dyn FilterRecord, i: &Interval) -> (Bound, Bound) {
    (bound(r, i.start, End::Start), bound(r, i.end, End::End))
}

fn and3(mut it: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for v in it.by_ref() {
        match v {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}

fn or3(it: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for v in it {
        match v {
            Some(true) => return Some(true),
            None => unknown = true,
            Some(false) => {}
        }
    }
    if unknown { None } else { Some(false) }
}

impl Filter {
    /// True when the record satisfies the filter (unknown counts as no match, as in SQL).
    pub fn matches(&self, r: &dyn FilterRecord) -> bool {
        self.eval(r) == Some(true)
    }

    fn eval(&self, r: &dyn FilterRecord) -> Option<bool> {
        match self {
            Filter::Bool(b) => Some(*b),
            Filter::And(v) => and3(v.iter().map(|f| f.eval(r))),
            Filter::Or(v) => or3(v.iter().map(|f| f.eval(r))),
            Filter::Not(f) => f.eval(r).map(|b| !b),
            Filter::Compare(op, a, b) => {
                let (a, b) = (value(r, a)?, value(r, b)?);
                compare(&a, &b).map(|o| cmp_holds(*op, o))
            }
            Filter::Like(a, p) => match (value(r, a)?, value(r, p)?) {
                (Val::Text(a), Val::Text(p)) => Some(like(&a, &p)),
                _ => None,
            },
            Filter::In(a, list) => {
                let a = value(r, a)?;
                or3(list.iter().map(|o| {
                    let b = value(r, o)?;
                    compare(&a, &b).map(|o| o == Ordering::Equal)
                }))
            }
            Filter::Between(a, lo, hi) => {
                let (a, lo, hi) = (value(r, a)?, value(r, lo)?, value(r, hi)?);
                Some(compare(&a, &lo)? != Ordering::Less && compare(&a, &hi)? != Ordering::Greater)
            }
            Filter::IsNull(a) => Some(value(r, a).is_none()),
            Filter::Spatial(op, lit) => Some(spatial(*op, &r.geometry()?, lit)),
            Filter::Temporal(op, a, b) => {
                let (a, b) = (ends(r, a), ends(r, b));
                let pick = |e: End, i: (Bound, Bound)| match e {
                    End::Start => i.0,
                    End::End => i.1,
                };
                Some(op.endpoint_terms().iter().any(|conj| {
                    conj.iter()
                        .all(|(l, op, rt)| cmp_holds(*op, pick(*l, a).cmp(&pick(*rt, b))))
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_follows_cql2() {
        assert!(like("411002GB00001", "4110%"));
        assert!(like("abc", "a_c"));
        assert!(!like("abc", "a_"));
        assert!(like("a%c", "a\\%c"));
        assert!(!like("abc", "a\\%c"));
        assert!(like("", "%"));
        assert!(!like("ABC", "abc"), "LIKE is case-sensitive");
        assert!(like("许昌市魏都区", "%魏都%"));
        assert!(like("aXbXc", "%X%c"));
        assert!(!like("aXbXd", "%X%c"));
    }

    #[test]
    fn temporal_relations_match_their_definitions() {
        use super::super::TemporalOp::*;
        struct Nothing;
        impl FilterRecord for Nothing {
            fn text(&self, _: Queryable) -> Option<String> {
                None
            }
            fn number(&self, _: Queryable) -> Option<f64> {
                None
            }
            fn date(&self, _: Queryable) -> Option<Date> {
                None
            }
            fn geometry(&self) -> Option<Geometry<f64>> {
                None
            }
        }
        let d = |s: &str| Some(TimeEnd::Date(s.parse().expect("date")));
        let iv = |a: &str, b: &str| Interval {
            start: d(a),
            end: d(b),
        };
        let t = |op, a: Interval, b: Interval| Filter::Temporal(op, a, b).matches(&Nothing);
        let x = iv("2021-01-01", "2021-12-31");
        assert!(t(After, iv("2022-01-01", "2022-02-01"), x.clone()));
        assert!(t(Before, iv("2020-01-01", "2020-02-01"), x.clone()));
        assert!(t(During, iv("2021-02-01", "2021-03-01"), x.clone()));
        assert!(t(Contains, x.clone(), iv("2021-02-01", "2021-03-01")));
        assert!(t(Meets, iv("2020-01-01", "2021-01-01"), x.clone()));
        assert!(t(MetBy, iv("2021-12-31", "2022-01-01"), x.clone()));
        assert!(t(Overlaps, iv("2020-06-01", "2021-06-01"), x.clone()));
        assert!(t(OverlappedBy, iv("2021-06-01", "2022-06-01"), x.clone()));
        assert!(t(Starts, iv("2021-01-01", "2021-06-01"), x.clone()));
        assert!(t(StartedBy, iv("2021-01-01", "2022-06-01"), x.clone()));
        assert!(t(Finishes, iv("2021-06-01", "2021-12-31"), x.clone()));
        assert!(t(FinishedBy, iv("2020-06-01", "2021-12-31"), x.clone()));
        assert!(t(Equals, x.clone(), x.clone()));
        assert!(t(Intersects, iv("2021-12-31", "2022-01-01"), x.clone()));
        assert!(t(Disjoint, iv("2022-01-01", "2022-01-02"), x.clone()));
        assert!(!t(Disjoint, x.clone(), x.clone()));
        // An open end is unbounded.
        let open = Interval {
            start: d("2021-06-01"),
            end: None,
        };
        assert!(t(Intersects, open.clone(), iv("2030-01-01", "2030-01-01")));
        assert!(!t(Before, open, iv("2030-01-01", "2030-01-01")));
    }
}
