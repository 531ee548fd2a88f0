//! The checks of an import's rows, chunk by chunk and in file order, without touching the
//! store (its answers were read before, [`ImportFacts`]): attributes, geometry and area (in
//! parallel), the park and the land user, duplicate codes in the file, codes already
//! registered, and overlaps with live parcels and with earlier rows of the file (only where
//! envelopes meet, intersected exactly in parallel).

use super::import::{Checked, DEFAULT_OVERLAP_TOLERANCE, ImportProblem, ImportRow};
use super::import_facts::ImportFacts;
use super::parcels::{refused_reference, validate_draft};
use crate::error::{StoreError, StoreResult};
use geo::{Area, BooleanOps};
use geo_types::MultiPolygon;
use landcycle_domain::parcel::ValidDraft;
use landcycle_domain::units::AreaM2;
use landcycle_domain::{FieldError, ParcelId};
use rayon::prelude::*;
use std::collections::HashMap;
use uuid::Uuid;

/// The overlap of two parcels as a share of the smaller one, when above the tolerance.
fn overlap_share(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> Option<f64> {
    let smaller = a.unsigned_area().min(b.unsigned_area());
    if smaller <= 0.0 {
        return None;
    }
    let share = a.intersection(b).unsigned_area() / smaller;
    (share > DEFAULT_OVERLAP_TOLERANCE).then_some(share)
}

/// Checks the rows of one file in order, remembering what later rows are checked against.
pub(super) struct RowChecker<I: Iterator<Item = Uuid>> {
    file: String,
    facts: ImportFacts,
    /// First row of each 宗地代码 seen so far.
    codes: HashMap<String, usize>,
    /// Checked geometries of rows that a later row's envelope meets.
    kept: HashMap<usize, MultiPolygon<f64>>,
    ids: I,
}

impl<I: Iterator<Item = Uuid>> RowChecker<I> {
    pub(super) fn new(file: String, facts: ImportFacts, ids: I) -> Self {
        Self {
            file,
            facts,
            codes: HashMap::new(),
            kept: HashMap::new(),
            ids,
        }
    }

    fn problem(&self, row: usize, f: FieldError) -> ImportProblem {
        ImportProblem {
            file: self.file.clone(),
            row: Some(row),
            field: f.field,
            value: f.value,
            reason: f.reason,
            reason_zh: f.reason_zh,
        }
    }

    /// Checks the next rows of the file: those that pass every row check come back ready to
    /// write (also when another row's code or geometry conflicts with theirs: the conflict is
    /// reported once, at the later row), with every problem found.
    pub(super) fn check(
        &mut self,
        rows: Vec<ImportRow>,
    ) -> StoreResult<(Vec<Checked>, Vec<ImportProblem>)> {
        let validated: Vec<(usize, StoreResult<(ValidDraft, AreaM2)>)> = rows
            .into_par_iter()
            .map(|r| (r.row, validate_draft(r.draft)))
            .collect();
        let mut problems = Vec::new();
        let mut checked = Vec::with_capacity(validated.len());
        for (row, result) in validated {
            let (valid, area) = match result {
                Ok(v) => v,
                Err(StoreError::Invalid(fields)) => {
                    problems.extend(fields.into_iter().map(|f| self.problem(row, f)));
                    continue;
                }
                Err(other) => return Err(other),
            };
            if let Some(f) = self.refused_reference(&valid)? {
                problems.push(self.problem(row, f));
                continue;
            }
            if let Some(code) = &valid.code {
                if let Some(first) = self.codes.insert(code.as_str().to_owned(), row) {
                    problems.push(self.problem(
                        row,
                        FieldError::new(
                            "code",
                            Some(code.as_str()),
                            format!("宗地代码 also used by row {first} of this file"),
                            format!("宗地代码与本文件第{first}行重复"),
                        ),
                    ));
                }
                if self.facts.taken_codes.contains(code.as_str()) {
                    problems.push(taken_code(&self.file, row, code.as_str()));
                }
            }
            if self.facts.kept.contains(&row) {
                self.kept.insert(row, valid.draft.geometry.clone());
            }
            checked.push(Checked {
                row,
                id: ParcelId(self.ids.next().unwrap_or_else(Uuid::new_v4)),
                valid,
                area,
            });
        }
        problems.extend(overlaps(&self.file, &self.facts, &self.kept, &checked));
        Ok((checked, problems))
    }

    /// The park and the land user the row names exist (as the store answered before).
    fn refused_reference(&self, valid: &ValidDraft) -> StoreResult<Option<FieldError>> {
        refused_reference(
            valid,
            |p| known(&self.facts.parks, p.as_str(), "park"),
            |u| known(&self.facts.enterprises, u.as_str(), "land user"),
        )
    }
}

/// Whether the store has `key`, as it answered before the checks ([`ImportFacts`]).
fn known(answers: &HashMap<String, bool>, key: &str, what: &str) -> StoreResult<bool> {
    answers.get(key).copied().ok_or_else(|| {
        StoreError::Backend(format!(
            "import check: the {what} {key} was not looked up before the checks"
        ))
    })
}

/// The conflicts of checked rows with the store as `facts` found it: codes live parcels carry,
/// overlaps with live parcels (an import checked again when the store changed before its
/// write).
pub(super) fn store_conflicts(
    file: &str,
    facts: &ImportFacts,
    checked: &[Checked],
) -> Vec<ImportProblem> {
    let mut out: Vec<ImportProblem> = checked
        .iter()
        .filter_map(|c| {
            let code = c.valid.code.as_ref()?;
            facts
                .taken_codes
                .contains(code.as_str())
                .then(|| taken_code(file, c.row, code.as_str()))
        })
        .collect();
    out.extend(overlaps(file, facts, &HashMap::new(), checked));
    out.sort_by(|a, b| (a.row, &a.field).cmp(&(b.row, &b.field)));
    out
}

fn taken_code(file: &str, row: usize, code: &str) -> ImportProblem {
    ImportProblem {
        file: file.to_owned(),
        row: Some(row),
        field: "code".into(),
        value: Some(code.to_owned()),
        reason: "a live parcel already has this 宗地代码".into(),
        reason_zh: "已有现存宗地使用该宗地代码".into(),
    }
}

/// Overlaps of the rows with the live parcels near them, then with earlier rows of the file
/// (their geometries in `kept`), above the tolerance; reported at the row (the later one of
/// two rows).
fn overlaps(
    file: &str,
    facts: &ImportFacts,
    kept: &HashMap<usize, MultiPolygon<f64>>,
    checked: &[Checked],
) -> Vec<ImportProblem> {
    let near: Vec<&Checked> = checked
        .iter()
        .filter(|c| facts.live_near.contains_key(&c.row) || facts.earlier_near.contains_key(&c.row))
        .collect();
    near.into_par_iter()
        .flat_map_iter(|c| {
            let geometry = &c.valid.draft.geometry;
            let live = facts.live_near.get(&c.row).into_iter().flatten();
            let live = live.filter_map(move |e| {
                let share = overlap_share(geometry, &e.geometry)?;
                Some(ImportProblem {
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
                })
            });
            let earlier = facts.earlier_near.get(&c.row).into_iter().flatten();
            let earlier = earlier.filter_map(move |i| {
                // An earlier row that failed its own checks is not compared.
                let share = overlap_share(kept.get(i)?, geometry)?;
                Some(ImportProblem {
                    file: file.to_owned(),
                    row: Some(c.row),
                    field: "geometry".into(),
                    value: None,
                    reason: format!("overlaps row {i} of this file by {:.1} %", share * 100.0),
                    reason_zh: format!("与本文件第{i}行重叠{:.1}%", share * 100.0),
                })
            });
            live.chain(earlier).collect::<Vec<_>>()
        })
        .collect()
}
