//! Approval batches (批次) and 批而未供 accounting: the list with each batch's approved,
//! supplied, deducted and unsupplied area, 供地率, age bucket, status and findings (also as
//! Excel), one batch with its parcels and deductions, and the per-park / city-wide summary
//! with 消化率. Each caller sees the batches of their scope, as with parcels.

use super::findings::FindingOut;
use super::workflow::{wants_xlsx, xlsx};
use crate::auth::Guard;
use crate::auth::guard::Checked;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Params;
use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use landcycle_domain::access::Action;
use landcycle_domain::rules::RuleSet;
use landcycle_domain::units::AreaM2;
use landcycle_domain::{AdminCode, ParkId};
use landcycle_store::{BatchRow, BatchSummary};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

/// An area in m² and 亩 (display precision: 0.01 m², 0.0001 亩).
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaOut {
    /// 平方米.
    pub m2: String,
    /// 亩.
    pub mu: String,
}

impl From<Decimal> for AreaOut {
    fn from(d: Decimal) -> Self {
        let a = AreaM2(d);
        Self {
            m2: a.display().to_string(),
            mu: a.to_mu().display().to_string(),
        }
    }
}

/// One batch on a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchOut {
    /// 批文号.
    pub id: String,
    /// 批次名称.
    pub name: String,
    /// County code.
    pub jurisdiction: String,
    /// Park id.
    pub park_id: Option<String>,
    /// 批准日期.
    #[schema(value_type = String, format = Date)]
    pub approved_on: Date,
    /// 征收完成日期.
    #[schema(value_type = Option<String>, format = Date)]
    pub acquired_on: Option<Date>,
    /// The approval document.
    pub source_doc: Option<String>,
    /// 批准面积.
    pub approved: AreaOut,
    /// 已供应 by the day.
    pub supplied: AreaOut,
    /// 核减 (withdrawn, not needed) by the day.
    pub deducted: AreaOut,
    /// 批而未供.
    pub unsupplied: AreaOut,
    /// 供地率 = supplied / approved (4 places).
    pub supply_rate: String,
    /// Whole years since approval.
    pub age_years: i32,
    /// `<2`, `2-3`, `3-5`, `>=5`.
    pub age_bucket: String,
    /// `done` (nothing left), `withdrawable` (满2年未征收), `plan_deduction` (征收满3年仍未供),
    /// `unsupplied` (land left, no flag).
    pub status: String,
    /// The status in Chinese.
    pub status_zh: String,
    /// Findings about the batch (UNS-NOACQ, UNS-ACQ), each with its reason.
    pub findings: Vec<FindingOut>,
}

fn status_of(r: &BatchRow) -> (&'static str, String) {
    let p = &r.params;
    let fired = |id: &str| r.status.findings.iter().any(|f| f.rule_id == id);
    if r.status.unsupplied_m2.is_zero() {
        ("done", "已全部供应或处置".into())
    } else if fired("UNS-NOACQ") {
        (
            "withdrawable",
            format!("批准满{}年未征收（可撤回批文）", p.no_acquisition_years),
        )
    } else if fired("UNS-ACQ") {
        (
            "plan_deduction",
            format!(
                "征收满{}年仍未供应（核减计划指标）",
                p.acquired_not_supplied_years
            ),
        )
    } else {
        ("unsupplied", "尚有批而未供土地".into())
    }
}

impl From<&BatchRow> for BatchOut {
    fn from(r: &BatchRow) -> Self {
        let (b, s) = (&r.batch, &r.status);
        let (status, status_zh) = status_of(r);
        Self {
            id: b.id.clone(),
            name: b.name.clone(),
            jurisdiction: b.jurisdiction.as_str().to_owned(),
            park_id: b.park_id.as_ref().map(|p| p.as_str().to_owned()),
            approved_on: b.approved_on,
            acquired_on: b.acquired_on,
            source_doc: b.source_doc.clone(),
            approved: s.approved_m2.into(),
            supplied: s.supplied_m2.into(),
            deducted: s.deducted_m2.into(),
            unsupplied: s.unsupplied_m2.into(),
            supply_rate: s.supply_rate.normalize().to_string(),
            age_years: s.age_years,
            age_bucket: s.age_bucket.clone(),
            status: status.into(),
            status_zh,
            findings: s.findings.iter().map(FindingOut::from).collect(),
        }
    }
}

/// The batch list.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchList {
    /// The day.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// Batches in the caller's scope, by 批文号.
    pub batches: Vec<BatchOut>,
}

/// A parcel of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchParcelOut {
    /// The registered parcel (UUID), if registered.
    pub parcel_id: Option<String>,
    /// Area.
    pub area: AreaOut,
    /// Supply date (the registry's earliest supply contract for registered parcels).
    #[schema(value_type = Option<String>, format = Date)]
    pub supplied_on: Option<Date>,
}

/// A deduction of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeductionOut {
    /// `approval_withdrawn`, `verified_no_supply_needed` or `reserve_designated`.
    pub kind: String,
    /// 撤回/撤销批文, 核实无需供应, 纳入储备.
    pub kind_zh: String,
    /// Area.
    pub area: AreaOut,
    /// Effective date.
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Why.
    pub reason: String,
}

/// One batch with its parcels and deductions.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchDetail {
    /// The batch on the day.
    pub batch: BatchOut,
    /// Its parcels.
    pub parcels: Vec<BatchParcelOut>,
    /// Its deductions.
    pub deductions: Vec<DeductionOut>,
}

impl From<&BatchRow> for BatchDetail {
    fn from(r: &BatchRow) -> Self {
        Self {
            batch: r.into(),
            parcels: r
                .batch
                .parcels
                .iter()
                .map(|p| BatchParcelOut {
                    parcel_id: p.parcel_id.map(|x| x.to_string()),
                    area: p.area_m2.0.into(),
                    supplied_on: p.supplied_on,
                })
                .collect(),
            deductions: r
                .batch
                .deductions
                .iter()
                .map(|d| DeductionOut {
                    kind: d.kind.as_str().into(),
                    kind_zh: d.kind.label_zh().into(),
                    area: d.area_m2.0.into(),
                    on: d.on,
                    reason: d.reason.clone(),
                })
                .collect(),
        }
    }
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

/// The batches in the caller's scope (and the `park` / `jurisdiction` asked for) on `as_of`.
/// A park outside the caller's scope answers 404, as the parcel list does.
pub(crate) fn rows_in_scope(
    c: &Checked<'_>,
    as_of: Date,
    park: Option<&ParkId>,
    county: Option<&AdminCode>,
) -> ApiResult<Vec<BatchRow>> {
    if let (Some(p), Some(scope)) = (park, c.scope_parks()?)
        && !scope.contains(p)
    {
        return Err(ApiError::NotFound("park not found".into()));
    }
    let mut out = Vec::new();
    for r in c
        .registry()
        .batch_rows(&RuleSet::xuchang_default(), as_of)?
    {
        let b = &r.batch;
        if park.is_some_and(|p| b.park_id.as_ref() != Some(p))
            || county.is_some_and(|k| b.jurisdiction != *k)
            || !c.sees_batch(Action::ReadRegistry, b)?
        {
            continue;
        }
        out.push(r);
    }
    Ok(out)
}

const HEADER: [&str; 18] = [
    "批文号",
    "批次名称",
    "行政区划代码",
    "园区",
    "批准日期",
    "征收完成日期",
    "批准面积（平方米）",
    "批准面积（亩）",
    "已供面积（平方米）",
    "已供面积（亩）",
    "核减面积（平方米）",
    "批而未供面积（平方米）",
    "批而未供面积（亩）",
    "供地率",
    "批准年限（年）",
    "年龄段",
    "状态",
    "预警",
];

fn xlsx_row(b: BatchOut) -> Vec<String> {
    vec![
        b.id,
        b.name,
        b.jurisdiction,
        b.park_id.unwrap_or_default(),
        b.approved_on.to_string(),
        b.acquired_on.map(|d| d.to_string()).unwrap_or_default(),
        b.approved.m2,
        b.approved.mu,
        b.supplied.m2,
        b.supplied.mu,
        b.deducted.m2,
        b.unsupplied.m2,
        b.unsupplied.mu,
        b.supply_rate,
        b.age_years.to_string(),
        b.age_bucket,
        b.status_zh,
        b.findings
            .iter()
            .map(|f| f.reason_zh.clone())
            .collect::<Vec<_>>()
            .join("；"),
    ]
}

/// Approval batches with their 批而未供 accounting on a day; `format=xlsx` for Excel.
#[utoipa::path(get, path = "/api/batches", tag = "batches",
    params(
        ("park" = Option<String>, Query, description = "Park id", pattern = "^[a-z0-9-]{1,40}$"),
        ("jurisdiction" = Option<String>, Query, description = "County code (GB/T 2260)", pattern = "^[0-9]{6}$"),
        ("as_of" = Option<jiff::civil::Date>, Query, description = "Account as of this day (default today)"),
        ("format" = Option<String>, Query, description = "json (default) or xlsx"),
    ),
    responses((status = 200, description = "The batches", content((BatchList = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "A park outside the caller's scope"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "No rule set in force at a batch's place on as_of")))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Response> {
    params.only(&["park", "jurisdiction", "as_of", "format"])?;
    let park = params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let county = params.parse(
        "jurisdiction",
        "a six-digit county code",
        "6位行政区划代码",
        |v| AdminCode::parse(v).ok(),
    )?;
    let as_of = params.date("as_of")?.unwrap_or_else(today);
    let as_xlsx = wants_xlsx(&params)?;
    let rows = guard
        .run(move |c| rows_in_scope(c, as_of, park.as_ref(), county.as_ref()))
        .await?;
    let batches: Vec<BatchOut> = rows.iter().map(BatchOut::from).collect();
    if as_xlsx {
        let table: Vec<Vec<String>> = batches.into_iter().map(xlsx_row).collect();
        return xlsx::response(&format!("batches-{as_of}.xlsx"), "批次", &HEADER, &table);
    }
    Ok(Json(BatchList { as_of, batches }).into_response())
}

/// One approval batch with its parcels and deductions on a day.
#[utoipa::path(get, path = "/api/batches/{id}", tag = "batches",
    params(
        ("id" = String, Path, description = "批文号 (URL-encoded)"),
        ("as_of" = Option<jiff::civil::Date>, Query, description = "Account as of this day (default today)"),
    ),
    responses((status = 200, body = BatchDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "No rule set in force at the batch's place on as_of")))]
pub async fn one(
    guard: Guard,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<BatchDetail>> {
    params.only(&["as_of"])?;
    let as_of = params.date("as_of")?.unwrap_or_else(today);
    guard.run(move |c| detail(c, &id, as_of)).await.map(Json)
}

/// The batch `id` on `as_of`, if the caller may read it (404 otherwise).
pub(crate) fn detail(c: &Checked<'_>, id: &str, as_of: Date) -> ApiResult<BatchDetail> {
    let not_found = || ApiError::NotFound(format!("batch {id} not found"));
    let b = c.store().batch(id)?.ok_or_else(not_found)?;
    c.batch(Action::ReadRegistry, &b)?;
    let rows = c
        .registry()
        .batch_rows(&RuleSet::xuchang_default(), as_of)?;
    let r = rows
        .iter()
        .find(|r| r.batch.id == b.id)
        .ok_or_else(not_found)?;
    Ok(r.into())
}

/// 批而未供 per park and city-wide: approved, supplied, unsupplied, 供地率, unsupplied area by
/// age bucket (§2.2), and 消化率 over `(from, as_of]` counting only the disposal kinds of the
/// rule set (`disposal_kinds_counted`).
#[utoipa::path(get, path = "/api/batches/summary", tag = "batches",
    params(
        ("as_of" = Option<jiff::civil::Date>, Query, description = "End of the period (default today)"),
        ("from" = Option<jiff::civil::Date>, Query, description = "Base date of the 消化率 period (default 31 December of the year before as_of)"),
    ),
    responses((status = 200, body = BatchSummary),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "from after as_of, or no rule set in force at a batch's place")))]
pub async fn summary(guard: Guard, params: Params) -> ApiResult<Json<BatchSummary>> {
    params.only(&["as_of", "from"])?;
    let as_of = params.date("as_of")?.unwrap_or_else(today);
    let from = match params.date("from")? {
        Some(f) => f,
        None => jiff::civil::date(as_of.year() - 1, 12, 31),
    };
    if from > as_of {
        return Err(ApiError::Invalid(vec![landcycle_domain::FieldError::new(
            "from",
            Some(&from.to_string()),
            format!("the period's base date is after as_of ({as_of})"),
            format!("起始日期晚于截止日期 {as_of}"),
        )]));
    }
    guard
        .run(move |c| {
            let rows = rows_in_scope(c, as_of, None, None)?;
            let refs: Vec<&BatchRow> = rows.iter().collect();
            Ok(Json(landcycle_store::summarize_batches(&refs, from, as_of)))
        })
        .await
}
