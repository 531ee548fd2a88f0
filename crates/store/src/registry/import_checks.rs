//! The checks of an import against other parcels: codes already registered and overlaps with
//! live parcels (through the store's indexes), and overlaps between rows of the same file
//! (through an R-tree of their envelopes). Only envelopes that meet are intersected exactly.

use super::import::{Checked, DEFAULT_OVERLAP_TOLERANCE, ImportProblem};
use crate::backend::Store;
use crate::error::StoreResult;
use crate::model::ParcelQuery;
use geo::{Area, BooleanOps, BoundingRect};
use geo_types::MultiPolygon;
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, Envelope, RTree, RTreeObject};

/// The overlap of two parcels as a share of the smaller one, when above the tolerance.
fn overlap_share(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> Option<f64> {
    let smaller = a.unsigned_area().min(b.unsigned_area());
    if smaller <= 0.0 {
        return None;
    }
    let share = a.intersection(b).unsigned_area() / smaller;
    (share > DEFAULT_OVERLAP_TOLERANCE).then_some(share)
}

type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

fn boxed(g: &MultiPolygon<f64>, i: usize) -> Option<Boxed> {
    let r = g.bounding_rect()?;
    Some(GeomWithData::new(
        Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
        i,
    ))
}

/// Codes already carried by live parcels, and overlaps with live parcels above the tolerance.
/// Two queries for the whole file (the taken codes among the file's, the envelopes of the live
/// parcels in the file's extent), then one per row whose envelope meets a live parcel's.
pub(super) fn existing_conflicts<S: Store + ?Sized>(
    store: &S,
    checked: &[Checked],
    file: &str,
) -> StoreResult<Vec<ImportProblem>> {
    let mut out = Vec::new();
    let codes: Vec<String> = checked
        .iter()
        .filter_map(|c| c.valid.code.as_ref().map(|k| k.as_str().to_owned()))
        .collect();
    let taken = store.live_codes(&codes)?;
    for c in checked {
        if let Some(code) = &c.valid.code
            && taken.contains(code.as_str())
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
    let items: Vec<Boxed> = checked
        .iter()
        .enumerate()
        .filter_map(|(i, c)| boxed(&c.valid.draft.geometry, i))
        .collect();
    let Some(extent) = items
        .iter()
        .map(|b| b.geom().envelope())
        .reduce(|a, b| a.merged(&b))
    else {
        return Ok(out);
    };
    let (lo, hi) = (extent.lower(), extent.upper());
    let live: Vec<Rectangle<[f64; 2]>> = store
        .live_envelopes([lo[0], lo[1], hi[0], hi[1]])?
        .into_iter()
        .map(|[x0, y0, x1, y1]| Rectangle::from_corners([x0, y0], [x1, y1]))
        .collect();
    if live.is_empty() {
        return Ok(out);
    }
    let live = RTree::bulk_load(live);
    for it in &items {
        let env = AABB::from_corners(it.geom().lower(), it.geom().upper());
        if live.locate_in_envelope_intersecting(env).next().is_none() {
            continue;
        }
        let c = &checked[it.data];
        let (l, u) = (env.lower(), env.upper());
        let q = ParcelQuery {
            bbox: Some([l[0], l[1], u[0], u[1]]),
            limit: 1000,
            skip_total: true,
            ..Default::default()
        };
        for e in store.parcels(&q)?.items {
            if let Some(share) = overlap_share(&c.valid.draft.geometry, &e.geometry) {
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

/// Overlaps between rows of the same file, found through an R-tree of their envelopes; the
/// exact intersections of envelopes that meet run in parallel.
pub(super) fn overlaps_within(checked: &[Checked], file: &str) -> Vec<ImportProblem> {
    let items: Vec<Boxed> = checked
        .iter()
        .enumerate()
        .filter_map(|(i, c)| boxed(&c.valid.draft.geometry, i))
        .collect();
    let tree = RTree::bulk_load(items.clone());
    let pairs: Vec<(usize, usize)> = items
        .iter()
        .flat_map(|it| {
            let env = AABB::from_corners(it.geom().lower(), it.geom().upper());
            tree.locate_in_envelope_intersecting(env)
                .filter(|o| o.data > it.data)
                .map(|o| (it.data, o.data))
                .collect::<Vec<_>>()
        })
        .collect();
    pairs
        .into_par_iter()
        .filter_map(|(i, j)| {
            let share = overlap_share(
                &checked[i].valid.draft.geometry,
                &checked[j].valid.draft.geometry,
            )?;
            Some(ImportProblem {
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
            })
        })
        .collect()
}
