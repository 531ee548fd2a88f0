//! 用地意向 ("我要用地"): sent by anyone from the public portal, read by the staff of the park
//! it concerns (and by the city and county above it).

use super::public_land::available;
use crate::AppState;
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use landcycle_domain::{FieldError, ParcelId, ParkId};
use landcycle_store::Intention;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The "我要用地" form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntentionIn {
    /// The parcel asked about (one of the published list), if any.
    pub parcel_id: Option<String>,
    /// The park asked about, when no parcel is named.
    pub park_id: Option<String>,
    /// 企业名称.
    pub company: String,
    /// 联系人.
    pub contact: String,
    /// 联系电话.
    pub phone: String,
    /// 拟用地面积, 亩.
    #[schema(value_type = Option<String>)]
    pub area_mu: Option<Decimal>,
    /// 行业 / 项目.
    pub industry: Option<String>,
    /// 留言.
    pub message: Option<String>,
}

/// A received intention.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntentionOut {
    /// Id.
    pub id: i64,
    /// Received at.
    #[schema(value_type = String)]
    pub received_at: jiff::Timestamp,
    /// Parcel id.
    pub parcel_id: Option<String>,
    /// Park id.
    pub park_id: Option<String>,
    /// 企业名称.
    pub company: String,
    /// 联系人.
    pub contact: String,
    /// 联系电话.
    pub phone: String,
    /// 拟用地面积, 亩.
    #[schema(value_type = Option<String>)]
    pub area_mu: Option<Decimal>,
    /// 行业 / 项目.
    pub industry: Option<String>,
    /// 留言.
    pub message: Option<String>,
}

impl From<Intention> for IntentionOut {
    fn from(i: Intention) -> Self {
        Self {
            id: i.id,
            received_at: i.received_at,
            parcel_id: i.parcel_id.map(|p| p.to_string()),
            park_id: i.park_id.map(|p| p.as_str().to_owned()),
            company: i.company,
            contact: i.contact,
            phone: i.phone,
            area_mu: i.area_mu,
            industry: i.industry,
            message: i.message,
        }
    }
}

/// The id of a stored intention.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntentionCreated {
    /// Id.
    pub id: i64,
}

fn text(
    errs: &mut Vec<FieldError>,
    field: &str,
    v: Option<&str>,
    required: bool,
    max: usize,
) -> Option<String> {
    let t = v.map(str::trim).filter(|t| !t.is_empty());
    match t {
        None if required => errs.push(FieldError::new(field, None, "required", "必填")),
        Some(t) if t.chars().count() > max => errs.push(FieldError::new(
            field,
            None,
            format!("at most {max} characters"),
            format!("不超过 {max} 个字"),
        )),
        _ => {}
    }
    t.map(str::to_owned)
}

fn phone_ok(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && p.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
}

/// Send a 用地意向 from the public portal. No account needed; the parcel, when named, must be
/// one of the published list.
#[utoipa::path(post, path = "/api/public/intentions", tag = "public", request_body = IntentionIn,
    responses((status = 201, body = IntentionCreated),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sent with an account's credentials: the form is for the public", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn submit(
    State(st): State<AppState>,
    JsonBody(i): JsonBody<IntentionIn>,
) -> ApiResult<(StatusCode, Json<IntentionCreated>)> {
    let mut errs = Vec::new();
    let company = text(&mut errs, "company", Some(&i.company), true, 200).unwrap_or_default();
    let contact = text(&mut errs, "contact", Some(&i.contact), true, 100).unwrap_or_default();
    let phone = text(&mut errs, "phone", Some(&i.phone), true, 40).unwrap_or_default();
    if !phone.is_empty() && !phone_ok(&phone) {
        errs.push(FieldError::new(
            "phone",
            Some(&phone),
            "a telephone number: 5–20 digits, + - ( ) and spaces",
            "电话号码：5–20 位数字，可含 + - ( ) 和空格",
        ));
    }
    let industry = text(&mut errs, "industry", i.industry.as_deref(), false, 200);
    let message = text(&mut errs, "message", i.message.as_deref(), false, 2000);
    if i.area_mu
        .is_some_and(|a| a <= Decimal::ZERO || a > Decimal::from(100_000))
    {
        errs.push(FieldError::new(
            "area_mu",
            None,
            "between 0 and 100000 亩",
            "应在 0–100000 亩之间",
        ));
    }
    let parcel = match i.parcel_id.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => match ParcelId::parse(s, "parcel_id") {
            Ok(p) => Some(p),
            Err(e) => {
                errs.extend(e.field_errors().iter().cloned());
                None
            }
        },
        None => None,
    };
    let park = match i.park_id.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => match ParkId::parse(s) {
            Ok(p) => Some(p),
            Err(e) => {
                errs.extend(e.field_errors().iter().map(|f| FieldError {
                    field: "park_id".into(),
                    ..f.clone()
                }));
                None
            }
        },
        None => None,
    };
    if !errs.is_empty() {
        return Err(ApiError::Invalid(errs));
    }
    st.run(move |reg| {
        let store = reg.store();
        let park_id = match parcel {
            Some(id) => {
                let p = available(store, id, None)?.ok_or_else(|| {
                    ApiError::bad_field(
                        "parcel_id",
                        Some(&id.to_string()),
                        "not a parcel of the published list",
                        "不是公开的可供地块",
                    )
                })?;
                p.park_id
            }
            None => match park {
                Some(p) if store.park(&p)?.is_none() => {
                    return Err(ApiError::bad_field(
                        "park_id",
                        Some(p.as_str()),
                        "no such park",
                        "没有该园区",
                    ));
                }
                p => p,
            },
        };
        let id = store.add_intention(&Intention {
            id: 0,
            received_at: jiff::Timestamp::now(),
            parcel_id: parcel,
            park_id,
            company,
            contact,
            phone,
            area_mu: i.area_mu,
            industry,
            message,
        })?;
        Ok((StatusCode::CREATED, Json(IntentionCreated { id })))
    })
    .await
}

/// Received 用地意向 of the caller's parks (all of them for the city), newest first.
#[utoipa::path(get, path = "/api/intentions", tag = "public",
    params(("limit" = Option<u32>, Query, description = "1–1000, default 200", minimum = 1, maximum = 1000)),
    responses((status = 200, body = [IntentionOut]),
        (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Json<Vec<IntentionOut>>> {
    params.only(&["limit"])?;
    let limit = u32::try_from(params.int("limit", 1, 1000)?.unwrap_or(200)).unwrap_or(200);
    guard
        .run(move |c| {
            let parks = c.scope_parks()?;
            Ok(Json(
                c.store()
                    .intentions(parks.as_deref(), limit)?
                    .into_iter()
                    .map(IntentionOut::from)
                    .collect(),
            ))
        })
        .await
}
