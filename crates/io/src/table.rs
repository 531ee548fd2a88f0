//! The neutral table every reader produces: rows of named raw values and an optional geometry.

use geo_types::Geometry;
use std::sync::Arc;

/// A cell value as found in the file, before any mapping.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// Empty cell, NULL, or a blank string.
    Null,
    /// Text.
    Text(String),
    /// A number (integers included).
    Number(f64),
    /// A boolean.
    Bool(bool),
}

impl RawValue {
    /// Null or blank text: what [`RawValue::as_text`] answers `None` for, without allocating.
    pub fn is_blank(&self) -> bool {
        match self {
            RawValue::Null => true,
            RawValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as text: integral numbers without a decimal point, `None` for null or blank.
    pub fn as_text(&self) -> Option<String> {
        match self {
            RawValue::Null => None,
            RawValue::Text(s) => {
                let t = s.trim();
                (!t.is_empty()).then(|| t.to_owned())
            }
            RawValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                Some(format!("{}", *n as i64))
            }
            RawValue::Number(n) => Some(format!("{n}")),
            RawValue::Bool(b) => Some(b.to_string()),
        }
    }
}

/// A row's values by header, in file order. The header names are shared between the rows of
/// a file (`Arc<str>`): a million rows of a dozen columns keyed by their own copies of the names
/// in a map each took twice the memory of the values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(Vec<(Arc<str>, RawValue)>);

impl Fields {
    /// No values, room for `n`.
    pub fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    /// The value under `name`.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.get_key_value(name).map(|(_, v)| v)
    }

    /// The header as stored and the value under `name`.
    pub fn get_key_value(&self, name: &str) -> Option<(&str, &RawValue)> {
        self.0
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(k, v)| (&**k, v))
    }

    /// Sets the value under `name`, replacing an earlier one (a repeated header: the last wins).
    pub fn insert(&mut self, name: Arc<str>, value: RawValue) {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// Takes the value under `name` out.
    pub fn remove(&mut self, name: &str) -> Option<RawValue> {
        let at = self.0.iter().position(|(k, _)| &**k == name)?;
        Some(self.0.remove(at).1)
    }

    /// (header, value) in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.0.iter().map(|(k, v)| (&**k, v))
    }

    /// The values in file order.
    pub fn values(&self) -> impl Iterator<Item = &RawValue> {
        self.0.iter().map(|(_, v)| v)
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(Arc<str>, RawValue)> for Fields {
    fn from_iter<I: IntoIterator<Item = (Arc<str>, RawValue)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut out = Fields::with_capacity(iter.size_hint().0);
        for (k, v) in iter {
            out.insert(k, v);
        }
        out
    }
}

/// One row (feature, line) of a file.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// 1-based row or feature number as the user sees it (Excel/CSV: the sheet's row number,
    /// the header being row 1; Shapefile/GeoJSON/FlatGeobuf: feature number; GeoPackage: fid).
    pub row: usize,
    /// Field values by header as found in the file.
    pub fields: Fields,
    /// The geometry in the table's CRS, GIS axis order (x = easting/longitude).
    pub geometry: Option<Geometry<f64>>,
}

/// A file read into rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// File name as given.
    pub file: String,
    /// Format name: `shapefile`, `geopackage`, `geojson`, `flatgeobuf`, `xlsx`, `csv`.
    pub format: String,
    /// The CRS of the geometries, when the file has any.
    pub crs: Option<landcycle_geo::Crs>,
    /// Xian 1980 / Beijing 1954 coordinates with the user's 7 parameters: shifted to `crs`
    /// (CGCS2000 lon/lat) before anything else.
    pub shift: Option<landcycle_geo::LegacyCrs>,
    /// Which text encoding was used and why, where the format has one.
    pub encoding_note: Option<String>,
    /// Headers in file order.
    pub headers: Vec<String>,
    /// The row number of the header row, for sheets and CSV (1 when the sheet starts at A1).
    pub header_row: Option<usize>,
    /// The rows.
    pub rows: Vec<RawRow>,
    /// Notes for the report (detections, assumptions).
    pub notes: Vec<String>,
    /// Problems of single rows found while reading (e.g. a malformed geometry).
    pub problems: Vec<landcycle_store::ImportProblem>,
}

impl Table {
    /// The headers as names the rows share ([`Fields`]).
    pub fn shared_headers(&self) -> Vec<Arc<str>> {
        self.headers.iter().map(|h| Arc::from(h.as_str())).collect()
    }

    /// An empty table for `file` in `format`.
    pub fn new(file: &str, format: &str) -> Self {
        Table {
            file: file.to_owned(),
            format: format.to_owned(),
            crs: None,
            shift: None,
            encoding_note: None,
            headers: vec![],
            header_row: None,
            rows: vec![],
            notes: vec![],
            problems: vec![],
        }
    }
}

impl Table {
    /// Records a problem of row `row` in field `field`.
    pub fn row_problem(
        &mut self,
        row: usize,
        field: &str,
        value: Option<String>,
        reason: impl Into<String>,
        reason_zh: impl Into<String>,
    ) {
        self.problems.push(landcycle_store::ImportProblem {
            file: self.file.clone(),
            row: Some(row),
            field: field.to_owned(),
            value,
            reason: reason.into(),
            reason_zh: reason_zh.into(),
        });
    }
}
