//! 批次 (approval batch) records: the unit of 批而未供 accounting (§2.1 of the domain rules).
//!
//! A batch is land approved by the State Council or the province (农用地转用/土地征收) under
//! one 批文号, with the parcels carved from it and the non-supply disposals of parts of it
//! (撤回/撤销批文, 核实无需供应, 纳入储备). The arithmetic lives in
//! [`crate::rules::unsupplied`]; this module holds the record and its validation.

use crate::codes::AdminCode;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::parcel::ParcelId;
use crate::park::ParkId;
use crate::rules::unsupplied::{ApprovalBatch, BatchParcel, Deduction, DisposalKind};
use crate::units::AreaM2;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A non-supply disposal of part of a batch (核减/撤回/纳入储备), with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchDeduction {
    /// Kind (never `supplied`: supply comes from the parcels).
    pub kind: DisposalKind,
    /// Area, m².
    pub area_m2: AreaM2,
    /// Effective date.
    pub on: Date,
    /// Why (e.g. the 撤回批文 document).
    pub reason: String,
}

/// An approval batch as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRecord {
    /// 批文号 (e.g. 豫政土〔2018〕101号), the batch's id.
    pub id: String,
    /// 批次名称.
    pub name: String,
    /// County-level jurisdiction (区县) the land lies in.
    pub jurisdiction: AdminCode,
    /// Park, when the batch lies in one.
    pub park_id: Option<ParkId>,
    /// 批准日期.
    pub approved_on: Date,
    /// 批准面积, m².
    pub approved_area_m2: AreaM2,
    /// 征收完成日期, when acquisition is complete.
    pub acquired_on: Option<Date>,
    /// The approval document (批复文件), as cited.
    pub source_doc: Option<String>,
    /// Parcels carved from the batch. On read, a registered parcel's `supplied_on` is the
    /// registry's earliest supply contract of that parcel (the stored date otherwise).
    pub parcels: Vec<BatchParcel>,
    /// Non-supply disposals.
    pub deductions: Vec<BatchDeduction>,
}

/// What a user gives to register a batch; [`BatchDraft::validate`] checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchDraft {
    /// 批文号.
    pub id: String,
    /// 批次名称.
    pub name: String,
    /// County code (GB/T 2260).
    pub jurisdiction: String,
    /// Park id.
    pub park_id: Option<String>,
    /// 批准日期.
    pub approved_on: Date,
    /// 批准面积, m².
    pub approved_area_m2: Decimal,
    /// 征收完成日期.
    pub acquired_on: Option<Date>,
    /// The approval document.
    pub source_doc: Option<String>,
    /// Parcels.
    pub parcels: Vec<BatchParcel>,
    /// Deductions.
    pub deductions: Vec<BatchDeduction>,
}

fn err(
    field: String,
    value: Option<&str>,
    en: impl Into<String>,
    zh: impl Into<String>,
) -> FieldError {
    FieldError::new(field, value, en, zh)
}

/// Checks one deduction against the batch's approval date; `at` names it (`deductions[2]`).
fn check_deduction(d: &BatchDeduction, approved_on: Date, at: &str, out: &mut Vec<FieldError>) {
    if d.kind == DisposalKind::Supplied {
        out.push(err(
            format!("{at}.kind"),
            Some("supplied"),
            "supply is recorded on the parcels, not as a deduction",
            "供应应记在地块上，不能作为核减",
        ));
    }
    if d.area_m2.0 <= Decimal::ZERO {
        out.push(err(
            format!("{at}.area_m2"),
            Some(&d.area_m2.0.to_string()),
            "must be greater than 0",
            "面积应大于0",
        ));
    }
    if d.on < approved_on {
        out.push(err(
            format!("{at}.on"),
            Some(&d.on.to_string()),
            format!("before the approval date {approved_on}"),
            format!("早于批准日期 {approved_on}"),
        ));
    }
    if d.reason.trim().is_empty() {
        out.push(err(
            format!("{at}.reason"),
            Some(""),
            "a reason is required",
            "须填写核减原因",
        ));
    }
}

impl BatchDraft {
    /// Validates the draft: codes, dates in order (acquisition and deductions not before
    /// approval), positive areas, no parcel twice, and parcels plus deductions within the
    /// approved area. Every problem is reported with its field.
    pub fn validate(self) -> DomainResult<BatchRecord> {
        let mut out = Vec::new();
        let id = self.id.trim().to_owned();
        if id.is_empty() || id.chars().count() > 100 || id.chars().any(char::is_control) {
            out.push(err(
                "id".into(),
                Some(&self.id),
                "the 批文号 must be 1–100 printable characters",
                "批文号应为1—100个可见字符",
            ));
        }
        if self.name.trim().is_empty() {
            out.push(err(
                "name".into(),
                Some(""),
                "must not be empty",
                "批次名称不能为空",
            ));
        }
        let jurisdiction = AdminCode::parse_field(&self.jurisdiction, "jurisdiction")
            .map_err(|e| out.extend(e.field_errors().iter().cloned()))
            .ok();
        let park_id = match self
            .park_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(p) => ParkId::parse(p)
                .map_err(|e| out.extend(e.field_errors().iter().cloned()))
                .ok(),
        };
        if self.approved_area_m2 <= Decimal::ZERO {
            out.push(err(
                "approved_area_m2".into(),
                Some(&self.approved_area_m2.to_string()),
                "must be greater than 0",
                "批准面积应大于0",
            ));
        }
        if let Some(a) = self.acquired_on.filter(|a| *a < self.approved_on) {
            out.push(err(
                "acquired_on".into(),
                Some(&a.to_string()),
                format!(
                    "acquisition cannot precede the approval ({})",
                    self.approved_on
                ),
                format!("征收完成日期不能早于批准日期 {}", self.approved_on),
            ));
        }
        let mut seen = BTreeSet::new();
        let mut parcels_m2 = Decimal::ZERO;
        for (i, p) in self.parcels.iter().enumerate() {
            if p.area_m2.0 <= Decimal::ZERO {
                out.push(err(
                    format!("parcels[{i}].area_m2"),
                    Some(&p.area_m2.0.to_string()),
                    "must be greater than 0",
                    "地块面积应大于0",
                ));
            }
            parcels_m2 += p.area_m2.0;
            if let Some(id) = p.parcel_id
                && !seen.insert(id)
            {
                out.push(err(
                    format!("parcels[{i}].parcel_id"),
                    Some(&id.to_string()),
                    "the parcel is listed twice",
                    "地块重复列出",
                ));
            }
            if let Some(s) = p.supplied_on.filter(|s| *s < self.approved_on) {
                out.push(err(
                    format!("parcels[{i}].supplied_on"),
                    Some(&s.to_string()),
                    format!("supply cannot precede the approval ({})", self.approved_on),
                    format!("供地日期不能早于批准日期 {}", self.approved_on),
                ));
            }
        }
        if parcels_m2 > self.approved_area_m2 {
            out.push(err(
                "parcels".into(),
                Some(&parcels_m2.to_string()),
                format!(
                    "the parcels' areas add up to more than the approved {} m²",
                    self.approved_area_m2
                ),
                format!("地块面积合计超过批准面积 {} 平方米", self.approved_area_m2),
            ));
        }
        let mut deducted = Decimal::ZERO;
        for (i, d) in self.deductions.iter().enumerate() {
            check_deduction(d, self.approved_on, &format!("deductions[{i}]"), &mut out);
            if d.kind.reduces_stock() {
                deducted += d.area_m2.0;
            }
        }
        if parcels_m2 <= self.approved_area_m2 && parcels_m2 + deducted > self.approved_area_m2 {
            out.push(err(
                "deductions".into(),
                Some(&deducted.to_string()),
                "parcels and deductions add up to more than the approved area",
                "地块与核减面积合计超过批准面积",
            ));
        }
        match (out.is_empty(), jurisdiction) {
            (true, Some(jurisdiction)) => Ok(BatchRecord {
                id,
                name: self.name.trim().to_owned(),
                jurisdiction,
                park_id,
                approved_on: self.approved_on,
                approved_area_m2: AreaM2(self.approved_area_m2),
                acquired_on: self.acquired_on,
                source_doc: self
                    .source_doc
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty()),
                parcels: self.parcels,
                deductions: self.deductions,
            }),
            _ => Err(DomainError::Invalid(out)),
        }
    }
}

impl BatchRecord {
    /// Checks a new deduction against the batch: its own fields, and that the batch's parcels
    /// and deductions stay within the approved area.
    pub fn check_new_deduction(&self, d: &BatchDeduction) -> DomainResult<()> {
        let mut out = Vec::new();
        check_deduction(d, self.approved_on, "deduction", &mut out);
        let used: Decimal = self.parcels.iter().map(|p| p.area_m2.0).sum::<Decimal>()
            + self
                .deductions
                .iter()
                .filter(|x| x.kind.reduces_stock())
                .map(|x| x.area_m2.0)
                .sum::<Decimal>();
        if d.kind.reduces_stock() && used + d.area_m2.0 > self.approved_area_m2.0 {
            out.push(err(
                "deduction.area_m2".into(),
                Some(&d.area_m2.0.to_string()),
                format!(
                    "only {} m² of the batch is neither in a parcel nor deducted",
                    (self.approved_area_m2.0 - used).max(Decimal::ZERO)
                ),
                format!(
                    "批次中未划入地块且未核减的面积仅 {} 平方米",
                    (self.approved_area_m2.0 - used).max(Decimal::ZERO)
                ),
            ));
        }
        if out.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(out))
        }
    }

    /// The accounting view of the batch for [`crate::rules::unsupplied`].
    pub fn accounting(&self) -> ApprovalBatch {
        ApprovalBatch {
            id: self.id.clone(),
            approved_on: self.approved_on,
            approved_area_m2: self.approved_area_m2,
            acquired_on: self.acquired_on,
            parcels: self.parcels.clone(),
            deductions: self
                .deductions
                .iter()
                .map(|d| Deduction {
                    kind: d.kind,
                    area_m2: d.area_m2,
                    on: d.on,
                })
                .collect(),
        }
    }

    /// The registered parcels of the batch.
    pub fn parcel_ids(&self) -> impl Iterator<Item = ParcelId> + '_ {
        self.parcels.iter().filter_map(|p| p.parcel_id)
    }
}

#[cfg(test)]
#[path = "batch_tests.rs"]
mod tests;
