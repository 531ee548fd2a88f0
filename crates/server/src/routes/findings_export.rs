//! What turns a page of findings into what a clerk reads: each parcel finding labelled with the
//! parcel's 宗地代码, name and park, and the page as an Excel sheet with Chinese headers.

use super::findings::{FindingOut, ParcelLabel};
use super::parcel_id;
use super::workflow::xlsx;
use crate::auth::guard::Checked;
use crate::error::ApiResult;
use axum::response::Response;
use jiff::civil::Date;
use std::collections::HashMap;

/// Fills [`FindingOut::parcel`] of the findings about parcels (one read per distinct parcel).
pub(crate) fn label_parcels(c: &Checked<'_>, findings: &mut [FindingOut]) -> ApiResult<()> {
    let mut seen: HashMap<String, Option<ParcelLabel>> = HashMap::new();
    for f in findings.iter_mut().filter(|f| f.subject.kind == "parcel") {
        if !seen.contains_key(&f.subject.id) {
            let label = c
                .store()
                .parcel_latest(parcel_id(&f.subject.id)?)?
                .map(|p| ParcelLabel {
                    code: p.code.map(|c| c.as_str().to_owned()),
                    name: p.name,
                    park_id: p.park_id.map(|k| k.as_str().to_owned()),
                });
            seen.insert(f.subject.id.clone(), label);
        }
        f.parcel = seen[&f.subject.id].clone();
    }
    Ok(())
}

/// The inputs of a finding on one line: `name=value; …`.
fn inputs_text(f: &FindingOut) -> String {
    f.inputs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The findings as `findings-{as_of}.xlsx`: one row each, Chinese headers, frozen header row.
pub(crate) fn findings_xlsx(
    as_of: Date,
    year: i16,
    findings: &[FindingOut],
) -> ApiResult<Response> {
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            let p = f.parcel.as_ref();
            vec![
                f.kind_zh.clone(),
                f.rule_id.clone(),
                p.and_then(|p| p.code.clone()).unwrap_or_default(),
                p.map(|p| p.name.clone()).unwrap_or_default(),
                p.and_then(|p| p.park_id.clone()).unwrap_or_default(),
                format!("{}:{}", f.subject.kind, f.subject.id),
                f.severity_zh.clone(),
                f.reason_zh.clone(),
                format!("{} {}", f.source.doc, f.source.article),
                f.threshold.clone(),
                inputs_text(f),
                if f.requires_officer_confirmation {
                    "是"
                } else {
                    "否"
                }
                .into(),
                f.rule_set_version.clone(),
                f.as_of.to_string(),
                year.to_string(),
            ]
        })
        .collect();
    xlsx::response(
        &format!("findings-{as_of}.xlsx"),
        "认定清单",
        &[
            "类别",
            "规则",
            "宗地代码",
            "宗地名称",
            "园区",
            "认定对象",
            "严重程度",
            "认定理由",
            "认定依据",
            "认定标准",
            "输入值",
            "须人工确认",
            "规则集版本",
            "认定日期",
            "数据年度",
        ],
        &rows,
    )
}
