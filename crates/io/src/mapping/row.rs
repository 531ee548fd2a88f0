//! One row of a table into a [`ParcelDraft`], every problem of the row collected.

use super::{Columns, Target, resolve_land_use};
use crate::table::{RawRow, RawValue};
use landcycle_domain::{LandUseSystem, Mu, ParcelDraft, ParcelLifecycle, PlanningConditions};
use landcycle_store::ImportProblem;
use rust_decimal::Decimal;
use std::str::FromStr;

struct Ctx<'a> {
    file: &'a str,
    row: usize,
    cols: &'a Columns,
    raw: &'a RawRow,
    problems: Vec<ImportProblem>,
}

impl<'a> Ctx<'a> {
    fn push(&mut self, field: &str, value: Option<String>, en: String, zh: String) {
        self.problems.push(ImportProblem {
            file: self.file.to_owned(),
            row: Some(self.row),
            field: field.to_owned(),
            value,
            reason: en,
            reason_zh: zh,
        });
    }

    /// The (header, value) of the column feeding `t`, if it has a non-blank value.
    fn get(&self, t: Target) -> Option<(&'a str, &'a RawValue)> {
        let raw = self.raw;
        self.cols.headers_for(t).find_map(|h| {
            let (h, v) = raw.fields.get_key_value(h)?;
            (!v.is_blank()).then_some((h, v))
        })
    }

    fn text(&self, t: Target) -> Option<String> {
        self.get(t).and_then(|(_, v)| v.as_text())
    }

    fn required(&mut self, t: Target, zh: &str) -> String {
        match self.text(t) {
            Some(v) => v,
            None => {
                if self.cols.headers_for(t).next().is_some() {
                    let h = self
                        .cols
                        .headers_for(t)
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    self.push(
                        t.as_str(),
                        None,
                        format!("{} (column `{h}`) is required and empty", t.as_str()),
                        format!("必填字段“{zh}”（列“{h}”）为空"),
                    );
                }
                String::new()
            }
        }
    }

    fn decimal(&mut self, t: Target, percent_ok: bool) -> Option<Decimal> {
        let (h, v) = self.get(t)?;
        let parsed = match v {
            RawValue::Number(n) => Decimal::from_str(&n.to_string()).ok(),
            RawValue::Text(s) => {
                let s: String = s
                    .chars()
                    .filter(|c| !matches!(c, ',' | '，' | ' '))
                    .collect();
                match s.strip_suffix('%').or_else(|| s.strip_suffix('％')) {
                    Some(p) if percent_ok => Decimal::from_str(p.trim())
                        .ok()
                        .map(|d| d / Decimal::from(100)),
                    Some(_) => None,
                    None => Decimal::from_str(&s)
                        .or_else(|_| Decimal::from_scientific(&s))
                        .ok(),
                }
            }
            _ => None,
        };
        if parsed.is_none() {
            self.push(
                t.as_str(),
                v.as_text(),
                format!("column `{h}`: not a number"),
                format!("列“{h}”的值不是数字"),
            );
        }
        parsed
    }
}

/// Converts one row. The geometry must already be CGCS2000 lon/lat. `geometry_reported` is true
/// when the row's geometry problem was already reported (so a missing one is not reported twice).
pub fn row_to_draft(
    file: &str,
    mut raw: RawRow,
    cols: &Columns,
    geometry_reported: bool,
) -> Result<ParcelDraft, Vec<ImportProblem>> {
    let geometry = raw.geometry.take();
    let raw = &raw;
    let mut c = Ctx {
        file,
        row: raw.row,
        cols,
        raw,
        problems: Vec::new(),
    };
    let geometry = match geometry.map(landcycle_geo::to_multipolygon) {
        Some(Ok(mp)) => Some(mp),
        Some(Err(e)) => {
            c.push(
                "geometry",
                None,
                e.to_string(),
                format!("几何类型错误：{e}"),
            );
            None
        }
        None if geometry_reported => None,
        None => {
            c.push(
                "geometry",
                None,
                "the row has no geometry (a parcel needs a polygon)".to_owned(),
                "该行没有几何图形（宗地需要面要素）".to_owned(),
            );
            None
        }
    };
    let name = c.required(Target::Name, "项目名称");
    let jurisdiction = c.required(Target::Jurisdiction, "行政区代码");
    let system = match c.text(Target::LandUseSystem) {
        None => None,
        Some(s) => match LandUseSystem::parse(&s) {
            Ok(sys) => Some(sys),
            Err(e) => {
                for f in e.field_errors() {
                    c.push(
                        "land_use_system",
                        f.value.clone(),
                        f.reason.clone(),
                        f.reason_zh.clone(),
                    );
                }
                None
            }
        },
    };
    let land_use_text = c.required(Target::LandUseCode, "土地用途");
    let land_use = if land_use_text.is_empty() {
        None
    } else {
        let u = resolve_land_use(&land_use_text, system);
        if u.is_none() {
            c.push(
                "land_use_code",
                Some(land_use_text.clone()),
                format!(
                    "`{land_use_text}` is neither a land-use code (100101, M1, 0601 …) nor a \
                     land-use name (一类工业用地, 工业用地 …)"
                ),
                format!("“{land_use_text}”不是有效的土地用途代码或名称"),
            );
        }
        u
    };
    let status = match c.text(Target::Status) {
        None => Some(ParcelLifecycle::ApprovedUnsupplied),
        Some(s) => match ParcelLifecycle::parse(&s) {
            Ok(st) => Some(st),
            Err(e) => {
                for f in e.field_errors() {
                    c.push(
                        "status",
                        Some(s.clone()),
                        f.reason.clone(),
                        f.reason_zh.clone(),
                    );
                }
                None
            }
        },
    };
    let m2 = c.decimal(Target::AreaM2, false);
    let mu = c.decimal(Target::AreaMu, false);
    let registered_area_m2 = match (m2, mu) {
        (Some(_), Some(_)) => {
            c.push(
                "registered_area_mu",
                None,
                "give the registered area in m² or in 亩, not both".to_owned(),
                "证载面积请只填写平方米或亩之一".to_owned(),
            );
            None
        }
        (m2, Some(mu)) => m2.or(Some(Mu(mu).to_m2().0.round_dp(4))),
        (m2, None) => m2,
    };
    let planning = PlanningConditions {
        far_min: c.decimal(Target::FarMin, false),
        far_max: c.decimal(Target::FarMax, false),
        building_coverage_min: c.decimal(Target::BuildingCoverageMin, true),
        green_ratio_max: c.decimal(Target::GreenRatioMax, true),
        height_max_m: c.decimal(Target::HeightMaxM, false),
    };
    let legacy_codes: Vec<String> = cols
        .headers_for(Target::LegacyCodes)
        .filter_map(|h| raw.fields.get(h).and_then(RawValue::as_text))
        .flat_map(|v| {
            v.split([',', ';', '，', '；', '、'])
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    let draft_parts = (geometry, land_use, status);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let (Some(geometry), Some(land_use), Some(status)) = draft_parts else {
        return Err(c.problems);
    };
    Ok(ParcelDraft {
        code: c.text(Target::Code),
        legacy_codes,
        name,
        address: c.text(Target::Address),
        jurisdiction,
        park_id: c.text(Target::ParkId),
        land_use,
        status,
        geometry,
        registered_area_m2,
        enterprise: c.text(Target::Enterprise),
        planning,
    })
}
