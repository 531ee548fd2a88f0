//! Importing many parcels at once, all or nothing: every row is checked before anything is
//! written, every problem is reported with its file, row, field, value and reason, and a clean
//! import is one transaction whose events name the source file and its sha256.

use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::{Change, ParcelQuery};
use geo::{Area, BooleanOps, BoundingRect};
use landcycle_domain::{ChangeKind, EntityKind, Parcel, ParcelDraft, ParcelId};
use rstar::{AABB, RTree, primitives::GeomWithData};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Overlap share of the smaller parcel above which two parcels are reported as overlapping.
pub const DEFAULT_OVERLAP_TOLERANCE: f64 = 0.01;

/// One row (feature, line) of an import file.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// 1-based row or feature number in the file, as a user counts it.
    pub row: usize,
    /// The parcel it describes.
    pub draft: ParcelDraft,
}

/// Where the rows came from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportSource {
    /// File name as given.
    pub file: String,
    /// sha256 of the file's bytes (hex).
    pub sha256: String,
    /// Format read (shapefile, geopackage, geojson, xlsx …).
    pub format: String,
    /// CRS the coordinates were given in, e.g. `EPSG:4526`.
    pub crs: String,
    /// Text encoding used, where the format has one (`GBK`, `UTF-8`), and how it was chosen.
    pub encoding: Option<String>,
    /// Notes for the user (repairs made, detection results).
    pub notes: Vec<String>,
}

/// One problem of an import, in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    /// File.
    pub file: String,
    /// Row or feature number (1-based), absent for file-level problems.
    pub row: Option<usize>,
    /// Field.
    pub field: String,
    /// Value as found.
    pub value: Option<String>,
    /// Reason in English.
    pub reason: String,
    /// Reason in Chinese.
    pub reason_zh: String,
}

/// What an import did or would do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// The source.
    pub source: ImportSource,
    /// Rows read.
    pub rows: usize,
    /// Every problem found; when not empty nothing was written.
    pub problems: Vec<ImportProblem>,
    /// Ids of the parcels created (empty on a dry run or when there were problems).
    #[schema(value_type = Vec<String>)]
    pub created: Vec<ParcelId>,
    /// True when the parcels were written.
    pub written: bool,
}

struct Checked {
    row: usize,
    parcel: Parcel,
}

impl<S: Store + ?Sized> Registry<S> {
    /// Checks every row and, if none has a problem and this is not a dry run, creates all the
    /// parcels in one transaction.
    pub fn import_parcels(
        &self,
        rows: Vec<ImportRow>,
        source: ImportSource,
        meta: &WriteMeta,
        dry_run: bool,
    ) -> StoreResult<ImportReport> {
        let file = source.file.clone();
        let problem = |row: Option<usize>,
                       field: &str,
                       value: Option<String>,
                       reason: String,
                       reason_zh: String| ImportProblem {
            file: file.clone(),
            row,
            field: field.to_owned(),
            value,
            reason,
            reason_zh,
        };
        let n = rows.len();
        let mut problems = Vec::new();
        let mut checked = Vec::with_capacity(n);
        let mut batch = Batch::new(meta)?;
        let mut codes: BTreeMap<String, usize> = BTreeMap::new();
        for r in rows {
            match self.prepare(r.draft) {
                Ok((valid, area)) => {
                    if let Some(code) = &valid.code
                        && let Some(first) = codes.insert(code.as_str().to_owned(), r.row)
                    {
                        problems.push(problem(
                            Some(r.row),
                            "code",
                            Some(code.as_str().to_owned()),
                            format!("宗地代码 also used by row {first} of this file"),
                            format!("宗地代码与本文件第{first}行重复"),
                        ));
                    }
                    let id = ParcelId(Uuid::new_v4());
                    checked.push(Checked {
                        row: r.row,
                        parcel: Parcel::from_draft(id, 1, valid, area, batch.effective(), vec![]),
                    });
                }
                Err(StoreError::Invalid(fields)) => {
                    for f in fields {
                        problems.push(problem(
                            Some(r.row),
                            &f.field,
                            f.value,
                            f.reason,
                            f.reason_zh,
                        ));
                    }
                }
                Err(other) => return Err(other),
            }
        }
        problems.extend(self.existing_conflicts(&checked, &file)?);
        problems.extend(overlaps_within(&checked, &file));
        problems.sort_by(|a, b| (a.row, &a.field).cmp(&(b.row, &b.field)));
        let mut report = ImportReport {
            source: source.clone(),
            rows: n,
            problems,
            created: vec![],
            written: false,
        };
        if !report.problems.is_empty() || dry_run {
            return Ok(report);
        }
        let reference = format!("{} sha256:{}", source.file, source.sha256);
        for c in &checked {
            let mut rec = super::diff::parcel_record(&c.parcel);
            if let serde_json::Value::Object(m) = &mut rec {
                m.insert(
                    "import".into(),
                    serde_json::json!({"file": source.file, "row": c.row, "sha256": source.sha256,
                        "crs": source.crs}),
                );
            }
            batch.event(
                EntityKind::Parcel,
                c.parcel.id.to_string(),
                ChangeKind::Create,
                None,
                Some(rec),
                vec![reference.clone()],
            );
            batch.push(Change::PutParcel {
                parcel: Box::new(c.parcel.clone()),
                expected_version: None,
            });
        }
        batch.commit(self.store())?;
        report.created = checked.iter().map(|c| c.parcel.id).collect();
        report.written = true;
        Ok(report)
    }

    /// Codes already registered, and overlaps with live parcels.
    fn existing_conflicts(
        &self,
        checked: &[Checked],
        file: &str,
    ) -> StoreResult<Vec<ImportProblem>> {
        let mut out = Vec::new();
        for c in checked {
            let p = &c.parcel;
            if let Some(code) = &p.code {
                let q = ParcelQuery {
                    q: Some(code.as_str().to_owned()),
                    limit: 10,
                    ..Default::default()
                };
                if self
                    .store()
                    .parcels(&q)?
                    .items
                    .iter()
                    .any(|e| e.code.as_ref() == Some(code))
                {
                    out.push(ImportProblem {
                        file: file.to_owned(),
                        row: Some(c.row),
                        field: "code".into(),
                        value: Some(code.as_str().to_owned()),
                        reason: "a live parcel already has this 宗地代码".into(),
                        reason_zh: "已有现存宗地使用该宗地代码".into(),
                    });
                }
            }
            let Some(r) = p.geometry.bounding_rect() else {
                continue;
            };
            let q = ParcelQuery {
                bbox: Some([r.min().x, r.min().y, r.max().x, r.max().y]),
                limit: 1000,
                ..Default::default()
            };
            for e in self.store().parcels(&q)?.items {
                if let Some(share) = overlap_share(&p.geometry, &e.geometry) {
                    out.push(ImportProblem {
                        file: file.to_owned(),
                        row: Some(c.row),
                        field: "geometry".into(),
                        value: None,
                        reason: format!(
                            "overlaps the existing parcel {} ({}) by {:.1} %",
                            e.id,
                            e.code.as_ref().map_or("无代码", |c| c.as_str()),
                            share * 100.0
                        ),
                        reason_zh: format!(
                            "与现有宗地{}重叠{:.1}%",
                            e.code
                                .as_ref()
                                .map_or_else(|| e.id.to_string(), |c| c.as_str().to_owned()),
                            share * 100.0
                        ),
                    });
                }
            }
        }
        Ok(out)
    }
}

/// The overlap of two parcels as a share of the smaller one, when above the tolerance.
fn overlap_share(
    a: &geo_types::MultiPolygon<f64>,
    b: &geo_types::MultiPolygon<f64>,
) -> Option<f64> {
    let smaller = a.unsigned_area().min(b.unsigned_area());
    if smaller <= 0.0 {
        return None;
    }
    let share = a.intersection(b).unsigned_area() / smaller;
    (share > DEFAULT_OVERLAP_TOLERANCE).then_some(share)
}

/// Overlaps between rows of the same file, found through an R-tree of their envelopes.
fn overlaps_within(checked: &[Checked], file: &str) -> Vec<ImportProblem> {
    let items: Vec<GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>> = checked
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let r = c.parcel.geometry.bounding_rect()?;
            Some(GeomWithData::new(
                rstar::primitives::Rectangle::from_corners(
                    [r.min().x, r.min().y],
                    [r.max().x, r.max().y],
                ),
                i,
            ))
        })
        .collect();
    let tree = RTree::bulk_load(items.clone());
    let mut out = Vec::new();
    for it in &items {
        let env = AABB::from_corners(it.geom().lower(), it.geom().upper());
        for other in tree.locate_in_envelope_intersecting(env) {
            let (i, j) = (it.data, other.data);
            if j <= i {
                continue;
            }
            if let Some(share) =
                overlap_share(&checked[i].parcel.geometry, &checked[j].parcel.geometry)
            {
                out.push(ImportProblem {
                    file: file.to_owned(),
                    row: Some(checked[j].row),
                    field: "geometry".into(),
                    value: None,
                    reason: format!(
                        "overlaps row {} of this file by {:.1} %",
                        checked[i].row,
                        share * 100.0
                    ),
                    reason_zh: format!("与本文件第{}行重叠{:.1}%", checked[i].row, share * 100.0),
                });
            }
        }
    }
    out
}
