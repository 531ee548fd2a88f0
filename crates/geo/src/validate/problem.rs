//! The problem record and its bilingual messages.

/// How serious a problem is. Serialized as `"error"` / `"warning"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The geometry must be fixed by a person before it can be a parcel.
    Error,
    /// The geometry can be repaired automatically (e.g. ring orientation).
    Warning,
}

/// Machine-readable problem codes, stable for API clients.
pub mod codes {
    /// Not a Polygon or MultiPolygon.
    pub const NOT_POLYGON: &str = "not_polygon";
    /// No coordinates at all, or an empty part.
    pub const EMPTY: &str = "empty";
    /// NaN or infinite coordinate.
    pub const NON_FINITE: &str = "non_finite";
    /// Coordinate outside the CRS's valid range (often swapped axes or a wrong CRS).
    pub const OUT_OF_RANGE: &str = "out_of_range";
    /// First and last vertex of a ring differ.
    pub const UNCLOSED_RING: &str = "unclosed_ring";
    /// Fewer than 3 distinct vertices in a ring.
    pub const TOO_FEW_POINTS: &str = "too_few_points";
    /// A ring crosses or touches itself.
    pub const SELF_INTERSECTION: &str = "self_intersection";
    /// A hole is not inside its exterior ring.
    pub const HOLE_OUTSIDE_SHELL: &str = "hole_outside_shell";
    /// Two rings of one polygon cross, overlap or touch along a line.
    pub const RINGS_INTERSECT: &str = "rings_intersect";
    /// Two parts of a multipolygon overlap.
    pub const OVERLAPPING_PARTS: &str = "overlapping_parts";
    /// Two parts of a multipolygon share an edge (they should be one polygon).
    pub const PARTS_TOUCH_ON_LINE: &str = "parts_touch_on_line";
    /// Exterior ring clockwise or hole counter-clockwise (a warning: repairable).
    pub const WRONG_ORIENTATION: &str = "wrong_orientation";
    /// The GeoJSON could not be parsed.
    pub const INVALID_GEOJSON: &str = "invalid_geojson";
}

/// One problem found in a parcel geometry. Serializes to JSON as
/// `{"code", "severity", "message_en", "message_zh", "location": [x, y] | null}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GeometryProblem {
    /// Stable machine code, one of [`codes`] (e.g. "self_intersection").
    pub code: &'static str,
    /// Error, or a repairable warning.
    pub severity: Severity,
    /// English message.
    pub message_en: String,
    /// Chinese message.
    pub message_zh: String,
    /// Where, in the geometry's coordinates (x = longitude/easting), when it can be pinned down.
    pub location: Option<(f64, f64)>,
}

impl GeometryProblem {
    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Which ring a problem is on: `polygon` is the part index within a MultiPolygon (`None` for a
/// single Polygon), `hole` the interior ring index (`None` for the exterior). Zero-based;
/// messages count from one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingRef {
    /// Part index in a MultiPolygon.
    pub polygon: Option<usize>,
    /// Hole index, `None` for the exterior ring.
    pub hole: Option<usize>,
}

impl RingRef {
    pub(super) fn en(&self) -> String {
        let ring = match self.hole {
            None => "exterior ring".to_owned(),
            Some(h) => format!("hole {}", h + 1),
        };
        match self.polygon {
            None => ring,
            Some(p) => format!("polygon {}, {ring}", p + 1),
        }
    }

    pub(super) fn zh(&self) -> String {
        let ring = match self.hole {
            None => "外环".to_owned(),
            Some(h) => format!("第{}个内环", h + 1),
        };
        match self.polygon {
            None => ring,
            Some(p) => format!("第{}个面的{ring}", p + 1),
        }
    }
}

pub(super) fn new(
    code: &'static str,
    message_en: String,
    message_zh: String,
    location: Option<(f64, f64)>,
) -> GeometryProblem {
    let severity = if code == codes::WRONG_ORIENTATION {
        Severity::Warning
    } else {
        Severity::Error
    };
    GeometryProblem {
        code,
        severity,
        message_en,
        message_zh,
        location,
    }
}

pub(super) fn not_polygon(found: &str) -> GeometryProblem {
    new(
        codes::NOT_POLYGON,
        format!("a parcel must be a Polygon or MultiPolygon, not a {found}"),
        format!("宗地图形必须是面（Polygon或MultiPolygon），当前为{found}"),
        None,
    )
}

pub(super) fn empty(polygon: Option<usize>) -> GeometryProblem {
    match polygon {
        None => new(
            codes::EMPTY,
            "the parcel geometry is empty".into(),
            "宗地图形为空".into(),
            None,
        ),
        Some(p) => new(
            codes::EMPTY,
            format!("polygon {} of the multipolygon is empty", p + 1),
            format!("多面中的第{}个面为空", p + 1),
            None,
        ),
    }
}

pub(super) fn unclosed_ring(at: RingRef, first: (f64, f64)) -> GeometryProblem {
    new(
        codes::UNCLOSED_RING,
        format!(
            "{} is not closed: its last vertex differs from its first",
            at.en()
        ),
        format!("{}未闭合：末点与首点不一致", at.zh()),
        Some(first),
    )
}

pub(super) fn invalid_geojson(message: &str) -> GeometryProblem {
    new(
        codes::INVALID_GEOJSON,
        message.to_owned(),
        format!("GeoJSON格式错误：{message}"),
        None,
    )
}
