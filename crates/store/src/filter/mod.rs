//! A backend-neutral attribute, spatial and temporal filter over parcels: the target of OGC API
//! Features Part 3 (CQL2) and of every list that filters by expression.
//!
//! The HTTP layer parses CQL2 (text or JSON) and type-checks it into a [`Filter`] against the
//! [`Queryable`]s; each backend then translates the tree into **parameterized** SQL (every
//! literal is a bound parameter; only the fixed column names of [`Queryable::column`] are
//! written into the statement). [`Filter::matches`] evaluates the same tree in memory: it is
//! the reference the backends are tested against, and it filters collections that are not
//! tables (parks, findings).

pub(crate) mod eval;
mod queryable;

pub use eval::FilterRecord;
pub use queryable::{Queryable, ValueKind};

use geo_types::Geometry;
use jiff::civil::Date;

/// A scalar operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A property's value.
    Prop(Queryable),
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A date.
    Date(Date),
    /// `CASEI(…)`: compared case-insensitively.
    CaseI(Box<Operand>),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "<>",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

/// The DE-9IM predicates of CQL2's spatial functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpatialOp {
    /// `S_INTERSECTS`
    Intersects,
    /// `S_DISJOINT`
    Disjoint,
    /// `S_EQUALS`
    Equals,
    /// `S_TOUCHES`
    Touches,
    /// `S_WITHIN`: the parcel lies within the literal.
    Within,
    /// `S_CONTAINS`: the parcel contains the literal.
    Contains,
    /// `S_OVERLAPS`
    Overlaps,
    /// `S_CROSSES`
    Crosses,
}

impl SpatialOp {
    /// The name the SQL function receives.
    pub fn name(self) -> &'static str {
        match self {
            Self::Intersects => "intersects",
            Self::Disjoint => "disjoint",
            Self::Equals => "equals",
            Self::Touches => "touches",
            Self::Within => "within",
            Self::Contains => "contains",
            Self::Overlaps => "overlaps",
            Self::Crosses => "crosses",
        }
    }

    /// Parses [`SpatialOp::name`].
    pub fn parse(s: &str) -> Option<Self> {
        use SpatialOp::*;
        [
            Intersects, Disjoint, Equals, Touches, Within, Contains, Overlaps, Crosses,
        ]
        .into_iter()
        .find(|o| o.name() == s)
    }

    /// True when a geometry satisfying the predicate must share points with the literal, so
    /// the R*Tree can pre-select candidates by the literal's envelope.
    pub fn needs_overlap(self) -> bool {
        !matches!(self, Self::Disjoint)
    }
}

/// Allen's interval relations as CQL2 names them (`T_AFTER` …). Instants are intervals whose
/// two ends are the same day; an open end (`..`, or a current version's `valid_to`) is
/// unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemporalOp {
    /// `T_AFTER`
    After,
    /// `T_BEFORE`
    Before,
    /// `T_CONTAINS`
    Contains,
    /// `T_DISJOINT`
    Disjoint,
    /// `T_DURING`
    During,
    /// `T_EQUALS`
    Equals,
    /// `T_FINISHEDBY`
    FinishedBy,
    /// `T_FINISHES`
    Finishes,
    /// `T_INTERSECTS`
    Intersects,
    /// `T_MEETS`
    Meets,
    /// `T_METBY`
    MetBy,
    /// `T_OVERLAPPEDBY`
    OverlappedBy,
    /// `T_OVERLAPS`
    Overlaps,
    /// `T_STARTEDBY`
    StartedBy,
    /// `T_STARTS`
    Starts,
}

/// Which end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The first day.
    Start,
    /// The last day.
    End,
}

impl TemporalOp {
    /// Parses a CQL2 name (`t_after`, any case).
    pub fn parse(s: &str) -> Option<Self> {
        use TemporalOp::*;
        Some(match s.to_ascii_lowercase().as_str() {
            "t_after" => After,
            "t_before" => Before,
            "t_contains" => Contains,
            "t_disjoint" => Disjoint,
            "t_during" => During,
            "t_equals" => Equals,
            "t_finishedby" => FinishedBy,
            "t_finishes" => Finishes,
            "t_intersects" => Intersects,
            "t_meets" => Meets,
            "t_metby" => MetBy,
            "t_overlappedby" => OverlappedBy,
            "t_overlaps" => Overlaps,
            "t_startedby" => StartedBy,
            "t_starts" => Starts,
            _ => return None,
        })
    }

    /// The relation as a disjunction (outer) of conjunctions (inner) of end-point comparisons
    /// `(end of left, op, end of right)`, following the CQL2 standard's definitions. One
    /// table serves SQL and in-memory evaluation alike.
    pub fn endpoint_terms(self) -> &'static [&'static [(End, CmpOp, End)]] {
        use CmpOp::*;
        use End::{End as E, Start as S};
        use TemporalOp::*;
        match self {
            After => &[&[(S, Gt, E)]],
            Before => &[&[(E, Lt, S)]],
            Contains => &[&[(S, Lt, S), (E, Gt, E)]],
            Disjoint => &[&[(E, Lt, S)], &[(S, Gt, E)]],
            During => &[&[(S, Gt, S), (E, Lt, E)]],
            Equals => &[&[(S, Eq, S), (E, Eq, E)]],
            FinishedBy => &[&[(S, Lt, S), (E, Eq, E)]],
            Finishes => &[&[(S, Gt, S), (E, Eq, E)]],
            Intersects => &[&[(S, Le, E), (E, Ge, S)]],
            Meets => &[&[(E, Eq, S)]],
            MetBy => &[&[(S, Eq, E)]],
            OverlappedBy => &[&[(S, Gt, S), (S, Lt, E), (E, Gt, E)]],
            Overlaps => &[&[(S, Lt, S), (E, Gt, S), (E, Lt, E)]],
            StartedBy => &[&[(S, Eq, S), (E, Gt, E)]],
            Starts => &[&[(S, Eq, S), (E, Lt, E)]],
        }
    }
}

/// A temporal operand: an interval of days whose ends are dates, date properties, or open.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// First day (`None`: unbounded).
    pub start: Option<TimeEnd>,
    /// Last day (`None`: unbounded).
    pub end: Option<TimeEnd>,
}

/// One end of an [`Interval`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeEnd {
    /// A fixed day.
    Date(Date),
    /// A date property (a null value is an open end).
    Prop(Queryable),
}

impl Interval {
    /// The instant `d` (both ends the same day).
    pub fn instant(d: TimeEnd) -> Self {
        Self {
            start: Some(d),
            end: Some(d),
        }
    }
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// A constant.
    Bool(bool),
    /// All of.
    And(Vec<Filter>),
    /// Any of.
    Or(Vec<Filter>),
    /// Not.
    Not(Box<Filter>),
    /// A comparison.
    Compare(CmpOp, Operand, Operand),
    /// `a LIKE pattern` (`%` any run, `_` one character).
    Like(Operand, Operand),
    /// `a IN (…)`.
    In(Operand, Vec<Operand>),
    /// `a BETWEEN low AND high` (inclusive).
    Between(Operand, Operand, Operand),
    /// `a IS NULL`.
    IsNull(Operand),
    /// A spatial predicate of the parcel geometry against a literal geometry, in CGCS2000
    /// longitude/latitude.
    Spatial(SpatialOp, Geometry<f64>),
    /// A temporal relation between two intervals.
    Temporal(TemporalOp, Interval, Interval),
}

impl Filter {
    /// The properties the filter reads.
    pub fn properties(&self) -> Vec<Queryable> {
        let mut out = Vec::new();
        self.walk(&mut |f| {
            let mut op = |o: &Operand| collect_operand(o, &mut out);
            match f {
                Filter::Compare(_, a, b) | Filter::Like(a, b) => {
                    op(a);
                    op(b);
                }
                Filter::In(a, list) => {
                    op(a);
                    list.iter().for_each(op);
                }
                Filter::Between(a, b, c) => {
                    op(a);
                    op(b);
                    op(c);
                }
                Filter::IsNull(a) => op(a),
                Filter::Temporal(_, a, b) => {
                    for e in [&a.start, &a.end, &b.start, &b.end].into_iter().flatten() {
                        if let TimeEnd::Prop(q) = e {
                            out.push(*q);
                        }
                    }
                }
                _ => {}
            }
        });
        out.sort_by_key(|q| q.name());
        out.dedup();
        out
    }

    fn walk(&self, f: &mut impl FnMut(&Filter)) {
        f(self);
        match self {
            Filter::And(v) | Filter::Or(v) => v.iter().for_each(|c| c.walk(f)),
            Filter::Not(c) => c.walk(f),
            _ => {}
        }
    }
}

fn collect_operand(o: &Operand, out: &mut Vec<Queryable>) {
    match o {
        Operand::Prop(q) => out.push(*q),
        Operand::CaseI(inner) => collect_operand(inner, out),
        _ => {}
    }
}

/// How many matches a list reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Counted exactly.
    Exact(u64),
    /// Estimated (the exact count would have cost too much); see the backend for the rule.
    Estimate(u64),
}

impl Count {
    /// The number, exact or not.
    pub fn value(self) -> u64 {
        match self {
            Count::Exact(n) | Count::Estimate(n) => n,
        }
    }
}
