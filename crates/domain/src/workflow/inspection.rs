//! 批后监管巡查 — an inspection record with the fields of §8.3 (VERIFIED from a public
//! inspection app): 是否动工 with its basis, 竣工情况 with the certificate number or the reason,
//! photos (stored attachments, named by sha256), the boundary as collected, remarks.

use crate::error::{DomainError, DomainResult, FieldError};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One photo of an inspection: an attachment of the parcel, by content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Photo {
    /// sha256 of the uploaded attachment (`POST /api/parcels/{id}/attachments`).
    pub sha256: String,
    /// Caption.
    #[serde(default)]
    pub caption: String,
}

/// 巡查记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Inspection {
    /// Record id.
    pub id: String,
    /// The parcel inspected.
    pub parcel_id: String,
    /// The 标准地 project, if the parcel has one.
    pub project_id: Option<String>,
    /// Day of the visit.
    #[schema(value_type = String, format = Date)]
    pub inspected_on: Date,
    /// Inspectors.
    pub inspectors: Vec<String>,
    /// 是否动工 (《闲置土地处置办法》第二条 definition of 动工).
    pub started: bool,
    /// What shows it (e.g. 基础施工已完成, 施工许可证号).
    #[serde(default)]
    pub started_basis: String,
    /// 是否竣工.
    pub completed: bool,
    /// 竣工验收合格证编号, when completed.
    pub completion_certificate_no: Option<String>,
    /// Why not completed, when not.
    pub not_completed_reason: Option<String>,
    /// Photos.
    #[serde(default)]
    pub photos: Vec<Photo>,
    /// Boundary as collected on site (GeoJSON geometry, CGCS2000), if any.
    #[schema(value_type = Option<Object>)]
    pub boundary: Option<serde_json::Value>,
    /// Remarks.
    #[serde(default)]
    pub remarks: String,
}

impl Inspection {
    /// Checks the record: inspectors named, completion consistent with start, a certificate
    /// number when completed and a reason when started but not completed, photos by sha256.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errs = Vec::new();
        if self.inspectors.iter().all(|i| i.trim().is_empty()) {
            errs.push(FieldError::new(
                "inspectors",
                None,
                "name at least one inspector",
                "须填写巡查人员",
            ));
        }
        if self.completed && !self.started {
            errs.push(FieldError::new(
                "completed",
                Some("true"),
                "a project cannot be completed without having started",
                "未动工的项目不能已竣工",
            ));
        }
        if self.started && self.started_basis.trim().is_empty() {
            errs.push(FieldError::new(
                "started_basis",
                None,
                "say what shows the start (动工 per 第二条)",
                "须说明动工依据",
            ));
        }
        match (self.completed, &self.completion_certificate_no) {
            (true, None) => errs.push(FieldError::new(
                "completion_certificate_no",
                None,
                "a completed project has its 竣工验收 certificate number",
                "已竣工须填写竣工验收合格证编号",
            )),
            (false, _) if self.started && self.not_completed_reason.is_none() => {
                errs.push(FieldError::new(
                    "not_completed_reason",
                    None,
                    "say why the project is not completed",
                    "未竣工须说明原因",
                ));
            }
            _ => {}
        }
        for (i, p) in self.photos.iter().enumerate() {
            if p.sha256.len() != 64 || !p.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                errs.push(FieldError::new(
                    format!("photos[{i}].sha256"),
                    Some(&p.sha256),
                    "a photo is named by the sha256 of its uploaded attachment",
                    "照片应以已上传附件的sha256标识",
                ));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errs))
        }
    }
}
