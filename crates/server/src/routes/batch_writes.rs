//! Registering approval batches (批次) and their deductions. City users anywhere, county and
//! park users within their scope (the route policy's `WriteRegistry`); every named parcel
//! must be one the caller may change.

use super::batches::{BatchDetail, detail};
use super::write_meta;
use crate::auth::Guard;
use crate::dto::ChangeIn;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonBody;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use jiff::civil::Date;
use landcycle_domain::access::Action;
use landcycle_domain::rules::unsupplied::{BatchParcel, DisposalKind};
use landcycle_domain::units::AreaM2;
use landcycle_domain::{BatchDeduction, BatchDraft, FieldError, ParcelId};
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::ToSchema;

/// A parcel of a batch as given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchParcelIn {
    /// The registered parcel (UUID); absent for land not yet registered as a parcel.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parcel_id: Option<uuid::Uuid>,
    /// Area, m².
    #[schema(value_type = String, example = "12000.5")]
    pub area_m2: Decimal,
    /// Supply date of land the registry has no supply record for.
    #[schema(value_type = Option<String>, format = Date)]
    pub supplied_on: Option<Date>,
}

/// A deduction as given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeductionIn {
    /// `approval_withdrawn` (撤回/撤销批文), `verified_no_supply_needed` (核实无需供应) or
    /// `reserve_designated` (纳入储备).
    pub kind: String,
    /// Area, m².
    #[schema(value_type = String, example = "5000")]
    pub area_m2: Decimal,
    /// Effective date.
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// Why (the withdrawal document, the verification).
    pub reason: String,
}

impl DeductionIn {
    fn into_deduction(self, at: &str) -> ApiResult<BatchDeduction> {
        let kind = DisposalKind::parse(&self.kind).map_err(|_| {
            ApiError::Invalid(vec![FieldError::new(
                format!("{at}kind"),
                Some(&self.kind),
                "expected approval_withdrawn, verified_no_supply_needed or reserve_designated",
                "应为 approval_withdrawn、verified_no_supply_needed 或 reserve_designated",
            )])
        })?;
        Ok(BatchDeduction {
            kind,
            area_m2: AreaM2(self.area_m2),
            on: self.on,
            reason: self.reason,
        })
    }
}

/// An approval batch as given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchIn {
    /// 批文号, e.g. 豫政土〔2019〕33号.
    pub id: String,
    /// 批次名称.
    pub name: String,
    /// County code (GB/T 2260).
    pub jurisdiction: String,
    /// Park id.
    pub park_id: Option<String>,
    /// 批准日期.
    #[schema(value_type = String, format = Date)]
    pub approved_on: Date,
    /// 批准面积, m².
    #[schema(value_type = String, example = "100000")]
    pub approved_area_m2: Decimal,
    /// 征收完成日期.
    #[schema(value_type = Option<String>, format = Date)]
    pub acquired_on: Option<Date>,
    /// The approval document.
    pub source_doc: Option<String>,
    /// Parcels carved from the batch.
    #[serde(default)]
    pub parcels: Vec<BatchParcelIn>,
    /// Deductions already made.
    #[serde(default)]
    pub deductions: Vec<DeductionIn>,
    /// Why.
    pub change: Option<ChangeIn>,
}

/// A deduction with the reason for the change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeductionPost {
    /// The deduction.
    pub deduction: DeductionIn,
    /// Why the record changes.
    pub change: Option<ChangeIn>,
}

/// Registers an approval batch with its parcels and deductions (a parcel lies in one batch
/// at most).
#[utoipa::path(post, path = "/api/batches", tag = "batches", request_body = BatchIn,
    responses((status = 201, body = BatchDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "The batch lies outside the caller's scope"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "A named parcel outside the caller's scope"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The 批文号 is taken"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Invalid fields, each named")))]
pub async fn create(
    guard: Guard,
    JsonBody(body): JsonBody<BatchIn>,
) -> ApiResult<(StatusCode, Json<BatchDetail>)> {
    let meta = write_meta(&guard, body.change)?;
    let deductions = body
        .deductions
        .into_iter()
        .enumerate()
        .map(|(i, d)| d.into_deduction(&format!("deductions[{i}].")))
        .collect::<ApiResult<Vec<_>>>()?;
    let draft = BatchDraft {
        id: body.id,
        name: body.name,
        jurisdiction: body.jurisdiction,
        park_id: body.park_id,
        approved_on: body.approved_on,
        approved_area_m2: body.approved_area_m2,
        acquired_on: body.acquired_on,
        source_doc: body.source_doc,
        parcels: body
            .parcels
            .into_iter()
            .map(|p| BatchParcel {
                parcel_id: p.parcel_id.map(ParcelId),
                area_m2: AreaM2(p.area_m2),
                supplied_on: p.supplied_on,
            })
            .collect(),
        deductions,
    };
    let today = jiff::Zoned::now().date();
    let out = guard
        .run(move |c| {
            c.batch_draft(Action::WriteRegistry, &draft)?;
            for p in draft.parcels.iter().filter_map(|p| p.parcel_id) {
                c.parcel(Action::WriteRegistry, p)?;
            }
            let b = c.registry().add_batch(draft, &meta)?;
            detail(c, &b.id, today)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Records a deduction (撤回/撤销批文, 核实无需供应, 纳入储备) of part of a batch.
#[utoipa::path(post, path = "/api/batches/{id}/deductions", tag = "batches", request_body = DeductionPost,
    params(("id" = String, Path, description = "批文号 (URL-encoded)")),
    responses((status = 201, body = BatchDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Invalid fields, each named")))]
pub async fn add_deduction(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DeductionPost>,
) -> ApiResult<(StatusCode, Json<BatchDetail>)> {
    let meta = write_meta(&guard, body.change)?;
    let d = body.deduction.into_deduction("deduction.")?;
    let today = jiff::Zoned::now().date();
    let out = guard
        .run(move |c| {
            let b = c
                .store()
                .batch(&id)?
                .ok_or_else(|| ApiError::NotFound(format!("batch {id} not found")))?;
            c.batch(Action::WriteRegistry, &b)?;
            c.registry().add_batch_deduction(&b.id, d, &meta)?;
            detail(c, &b.id, today)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
