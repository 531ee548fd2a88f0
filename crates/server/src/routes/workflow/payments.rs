//! 违约金缴纳: a penalty statement marked paid (amount, day, receipt, who) by the city, county or
//! park in whose scope it lies. An unpaid or partly paid statement is an open obligation that
//! blocks renewal (see [`super::supervision::renewal`]); a statement paid in full does not, and
//! leaves a new entry in the enterprise's credit record (the breach's entry stays as written).

use super::standard_land::to_value;
use super::{WfOut, load};
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::JsonBody;
use axum::Json;
use axum::extract::Path;
use jiff::civil::Date;
use landcycle_domain::access::Action;
use landcycle_domain::units::Yuan;
use landcycle_domain::workflow::credit::CreditRecord;
use landcycle_domain::workflow::penalty::{Payment, PenaltyStatement};
use landcycle_store::{WfKind, WfRecord, WriteMeta};
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::ToSchema;

/// A payment received against a penalty statement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIn {
    /// Amount paid, 元 (to the fen; at most what is still owed).
    #[schema(value_type = String)]
    pub amount_yuan: Decimal,
    /// Day paid.
    #[schema(value_type = String, format = Date)]
    pub paid_on: Date,
    /// Receipt number (缴款凭证号), or the sha256 of the receipt uploaded as a parcel attachment.
    pub receipt: String,
    /// Why (default 违约金缴纳).
    pub reason: Option<String>,
    /// The version read (optimistic locking).
    pub version: Option<u32>,
}

/// Records a payment of penalty statement `id`; paid in full, its status becomes `paid` (no
/// longer blocking renewal) and the enterprise's credit record gains a 违约金已缴清 entry.
#[utoipa::path(post, path = "/api/penalties/{id}/payments", tag = "workflows",
    params(("id" = String, Path, description = "Penalty statement id")), request_body = PaymentIn,
    responses((status = 200, body = WfOut), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn pay(
    guard: Guard,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<PaymentIn>,
) -> ApiResult<Json<WfOut>> {
    let user = guard.principal().user.clone();
    let meta = WriteMeta::new(
        user.clone(),
        b.reason.clone().unwrap_or_else(|| "违约金缴纳".into()),
    )
    .effective(b.paid_on);
    let rec = guard
        .run(move |c| {
            let r = load(c, WfKind::Penalty, &id, Action::WriteRegistry)?;
            if let Some(v) = b.version
                && v != r.version
            {
                return Err(ApiError::Conflict(format!(
                    "penalty {id} is at version {}, not {v}; reload and retry",
                    r.version
                )));
            }
            let mut st: PenaltyStatement = serde_json::from_value(r.doc.clone())
                .map_err(|e| ApiError::Internal(format!("stored penalty {id}: {e}")))?;
            if b.receipt.len() == 64
                && b.receipt.bytes().all(|x| x.is_ascii_hexdigit())
                && c.store().attachment_parcels(&b.receipt)?.is_empty()
            {
                return Err(landcycle_domain::DomainError::field(
                    "receipt",
                    Some(&b.receipt),
                    "no such attachment: upload the receipt first",
                    "凭证附件不存在，请先上传",
                )
                .into());
            }
            let status = st.record_payment(Payment {
                amount: Yuan(b.amount_yuan),
                paid_on: b.paid_on,
                receipt: b.receipt.trim().to_owned(),
                recorded_by: user,
            })?;
            let mut recs = vec![WfRecord {
                status: status.into(),
                doc: to_value(&st)?,
                ..r.clone()
            }];
            if st.is_paid()
                && let Some(uscc) = &r.enterprise
            {
                let credit = CreditRecord::for_settlement(
                    &format!("{id}:paid"),
                    uscc.as_str(),
                    &id,
                    &st,
                    b.paid_on,
                );
                recs.push(WfRecord {
                    kind: WfKind::CreditRecord,
                    id: credit.id.clone(),
                    version: 0,
                    status: "recorded".into(),
                    due: None,
                    doc: to_value(&credit)?,
                    ..r.clone()
                });
            }
            let written = c.registry().put_workflows(recs, &meta)?;
            Ok(written.into_iter().next().unwrap_or(r))
        })
        .await?;
    Ok(Json(WfOut::from(&rec)))
}
