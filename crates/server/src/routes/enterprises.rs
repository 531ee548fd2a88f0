//! Enterprises (企业) and supply records (供地记录).

use super::{parcel_id, write_meta};
use crate::AppState;
use crate::auth::Guard;
use crate::dto::ChangeIn;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::civil::Date;
use landcycle_domain::access::Action;
use landcycle_domain::{Enterprise, ParkId, Supply, SupplyDraft, Uscc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A page of enterprises.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnterprisePage {
    /// The enterprises.
    pub items: Vec<Enterprise>,
    /// Matching in all.
    pub total: u64,
}

/// A supply record.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupplyOut {
    /// Id.
    pub id: String,
    /// Parcel id.
    pub parcel_id: String,
    /// Land user.
    pub enterprise: String,
    /// 供应方式.
    pub mode: landcycle_domain::SupplyMode,
    /// In Chinese.
    pub mode_zh: &'static str,
    /// 权利性质 code.
    pub right_nature: u16,
    /// Contract number.
    pub contract_no: String,
    /// 合同签订日期.
    #[schema(value_type = String, format = Date)]
    pub contract_date: Date,
    /// 约定交地日期.
    #[schema(value_type = Option<String>, format = Date)]
    pub delivery_date: Option<Date>,
    /// 约定开工日期.
    #[schema(value_type = Option<String>, format = Date)]
    pub agreed_start: Option<Date>,
    /// 约定竣工日期.
    #[schema(value_type = Option<String>, format = Date)]
    pub agreed_completion: Option<Date>,
    /// Term in years.
    pub term_years: Option<u16>,
    /// 价款, 元.
    #[schema(value_type = String)]
    pub price_yuan: Decimal,
    /// 价款, 万元.
    #[schema(value_type = String)]
    pub price_wan: Decimal,
}

impl From<&Supply> for SupplyOut {
    fn from(s: &Supply) -> Self {
        Self {
            id: s.id.0.to_string(),
            parcel_id: s.parcel_id.to_string(),
            enterprise: s.enterprise.as_str().to_owned(),
            mode: s.mode,
            mode_zh: s.mode.label_zh(),
            right_nature: s.right_nature.code(),
            contract_no: s.contract_no.clone(),
            contract_date: s.contract_date,
            delivery_date: s.delivery_date,
            agreed_start: s.agreed_start,
            agreed_completion: s.agreed_completion,
            term_years: s.term_years,
            price_yuan: s.price.0.round_dp(2),
            price_wan: s.price.to_wan().round_dp(4),
        }
    }
}

/// One year of department figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresOut {
    /// Year.
    pub year: i16,
    /// 税收, 元.
    #[schema(value_type = String)]
    pub tax_yuan: Decimal,
    /// 产值, 元.
    #[schema(value_type = Option<String>)]
    pub output_yuan: Option<Decimal>,
    /// 用电量, kWh.
    #[schema(value_type = Option<String>)]
    pub electricity_kwh: Option<Decimal>,
    /// 从业人员.
    pub employees: Option<u32>,
}

/// An enterprise with its land, supplies and figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseDetail {
    /// The enterprise.
    pub enterprise: Enterprise,
    /// Ids of the live parcels it uses.
    pub parcels: Vec<String>,
    /// Its supply records.
    pub supplies: Vec<SupplyOut>,
    /// Its yearly department figures.
    pub figures: Vec<FiguresOut>,
    /// Its 亩均 class in the newest stored evaluation run of each year, newest year first.
    pub mu_classes: Vec<StoredClassOut>,
}

/// An enterprise's class in one stored evaluation run.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredClassOut {
    /// Year evaluated.
    pub year: i16,
    /// The run.
    pub run_id: String,
    /// A–D, or null when the run did not rate the enterprise (免评, 暂评, missing data).
    pub class: Option<String>,
}

/// An enterprise as given by a user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseIn {
    /// 统一社会信用代码.
    pub uscc: String,
    /// 企业名称.
    pub name: String,
    /// GB/T 4754-2017 industry code.
    pub industry_code: Option<String>,
    /// 规上.
    #[serde(default)]
    pub above_scale: bool,
    /// Park id.
    pub park_id: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Why.
    pub change: Option<ChangeIn>,
}

/// A supply record as given by a user: the record's fields and `change`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SupplyIn {
    /// The record.
    #[serde(flatten)]
    pub supply: SupplyDraft,
    /// Why.
    pub change: Option<ChangeIn>,
}

impl SupplyIn {
    /// Parses the body in two steps, because serde's `flatten` loses the path of a bad field.
    fn parse(mut v: serde_json::Value) -> ApiResult<Self> {
        let change = match v.as_object_mut().and_then(|m| m.remove("change")) {
            Some(c) => Some(
                crate::extract::parse_json::<ChangeIn>(c.to_string().as_bytes())
                    .map_err(prefix_change)?,
            ),
            None => None,
        };
        let supply = crate::extract::parse_json::<SupplyDraft>(v.to_string().as_bytes())?;
        Ok(Self { supply, change })
    }
}

fn prefix_change(e: ApiError) -> ApiError {
    match e {
        ApiError::BadRequest(d, v) => {
            ApiError::BadRequest(d, v.into_iter().map(|f| f.nested("change")).collect())
        }
        other => other,
    }
}

fn uscc(s: &str) -> ApiResult<Uscc> {
    Uscc::parse(s).map_err(|e| ApiError::BadRequest(e.to_string(), e.field_errors().to_vec()))
}

/// List enterprises, optionally of a park or matching a name or code fragment.
#[utoipa::path(get, path = "/api/enterprises", tag = "enterprises",
    params(("park" = Option<String>, Query, description = "Park id", pattern = "^[a-z0-9-]{1,40}$"), ("q" = Option<String>, Query, description = "Name or code fragment"),
        ("limit" = Option<u32>, Query, description = "1–10000, default 100", minimum = 1, maximum = 10000), ("offset" = Option<u64>, Query, description = "Rows to skip", maximum = 9_223_372_036_854_775_807_u64)),
    responses((status = 200, body = EnterprisePage), (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn list(guard: Guard, params: Params) -> ApiResult<Json<EnterprisePage>> {
    params.only(&["park", "q", "limit", "offset"])?;
    let park = params.parse("park", "a park id", "园区编号", |v| {
        ParkId::parse(v).ok()
    })?;
    let q = params.get("q").map(str::to_owned);
    let limit = u32::try_from(params.int("limit", 1, 10_000)?.unwrap_or(100)).unwrap_or(100);
    let offset = params.int("offset", 0, u64::MAX >> 1)?.unwrap_or(0);
    guard
        .run(move |c| {
            let mut eq = landcycle_store::EnterpriseQuery {
                park,
                q,
                limit,
                offset,
                ..Default::default()
            };
            c.scope_enterprises(&mut eq)?;
            let page = c.store().find_enterprises(&eq)?;
            Ok(Json(EnterprisePage {
                items: page.items,
                total: page.total,
            }))
        })
        .await
}

/// One enterprise with its parcels, supplies and figures.
#[utoipa::path(get, path = "/api/enterprises/{uscc}", tag = "enterprises", params(("uscc" = String, Path, description = "统一社会信用代码 (GB 32100-2015)", pattern = "^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$")),
    responses((status = 200, body = EnterpriseDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn one(guard: Guard, Path(code): Path<String>) -> ApiResult<Json<EnterpriseDetail>> {
    let code = uscc(&code)?;
    guard
        .run(move |c| {
            let s = c.store();
            let enterprise = s
                .enterprise(&code)?
                .ok_or_else(|| ApiError::NotFound(format!("enterprise {code} not found")))?;
            let mut q = landcycle_store::ParcelQuery {
                enterprise: Some(code.clone()),
                limit: 10_000,
                ..Default::default()
            };
            // Its land within the reader's scope only.
            c.scope_parcels(&mut q)?;
            Ok(Json(EnterpriseDetail {
                enterprise,
                parcels: s
                    .parcels(&q)?
                    .items
                    .iter()
                    .map(|p| p.id.to_string())
                    .collect(),
                supplies: s
                    .supplies_of_enterprise(&code)?
                    .iter()
                    .map(SupplyOut::from)
                    .collect(),
                figures: s
                    .figures(&code)?
                    .into_iter()
                    .map(|f| FiguresOut {
                        year: f.year,
                        tax_yuan: f.tax_yuan,
                        output_yuan: f.output_yuan,
                        electricity_kwh: f.electricity_kwh,
                        employees: f.employees,
                    })
                    .collect(),
                mu_classes: s
                    .classes_of(&code)?
                    .into_iter()
                    .map(|k| StoredClassOut {
                        year: k.year,
                        run_id: k.run_id,
                        class: k.class.map(|c| format!("{c:?}")),
                    })
                    .collect(),
            }))
        })
        .await
}

/// Register or update an enterprise. A wrong 统一社会信用代码 is refused with the expected check
/// character.
#[utoipa::path(post, path = "/api/enterprises", tag = "enterprises", request_body = EnterpriseIn,
    responses((status = 201, body = Enterprise), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    guard: Guard,
    JsonBody(body): JsonBody<EnterpriseIn>,
) -> ApiResult<(StatusCode, Json<Enterprise>)> {
    let meta = write_meta(&guard, body.change)?;
    let e = Enterprise::new(
        &body.uscc,
        &body.name,
        body.industry_code.as_deref(),
        body.above_scale,
        body.park_id.as_deref(),
        body.address.as_deref(),
    )?;
    let out = e.clone();
    guard
        .run(move |c| {
            c.enterprise(Action::WriteEnterprise, &e)?;
            Ok(c.registry().put_enterprise(e, &meta)?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Record a supply (出让/划拨/租赁/先租后让/作价出资) of a parcel to an enterprise.
#[utoipa::path(post, path = "/api/supplies", tag = "supplies", request_body = SupplyIn,
    responses((status = 201, body = SupplyOut), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_supply(
    guard: Guard,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<SupplyOut>)> {
    let body = SupplyIn::parse(body)?;
    let meta = write_meta(&guard, body.change)?;
    let draft = body.supply;
    let s = guard
        .run(move |c| {
            c.parcel(Action::WriteRegistry, draft.parcel_id)?;
            Ok(c.registry().add_supply(draft, &meta, None)?)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(SupplyOut::from(&s))))
}

/// Supply records of a parcel.
#[utoipa::path(get, path = "/api/parcels/{id}/supplies", tag = "supplies", params(("id" = uuid::Uuid, Path, description = "Parcel id")),
    responses((status = 200, body = [SupplyOut])))]
pub async fn parcel_supplies(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SupplyOut>>> {
    let id = parcel_id(&id)?;
    st.run(move |r| {
        Ok(Json(
            r.store()
                .supplies_of_parcel(id)?
                .iter()
                .map(SupplyOut::from)
                .collect(),
        ))
    })
    .await
}
