//! The shapes of the 亩均效益评价 endpoints: run summaries and details, result rows and pages,
//! the start request and the reproduction outcome.

use crate::routes::park_efficiency::ClassCounts as Classes;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A run in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunSummary {
    /// Run id.
    pub id: String,
    /// Year of the figures evaluated.
    pub year: i16,
    /// Version of the rules used.
    pub rule_set_version: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Who made it.
    pub created_by: String,
    /// Enterprises in the run (within the caller's scope).
    pub enterprises: u32,
    /// Enterprises per class (within the caller's scope).
    pub classes: Classes,
}

/// One park's classes in a run.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParkClasses {
    /// Park id (`null`: land outside every park).
    pub park_id: Option<String>,
    /// Park name.
    pub park_name: Option<String>,
    /// Enterprises per class.
    #[serde(flatten)]
    pub classes: Classes,
    /// Σ 税收 / Σ 用地 of its rated and unrated enterprises, 万元/亩.
    #[schema(value_type = Option<String>)]
    pub tax_per_mu: Option<Decimal>,
}

/// A run with its classes per park.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunDetail {
    /// The run.
    #[serde(flatten)]
    pub summary: RunSummary,
    /// Per park, in the caller's scope.
    pub parks: Vec<ParkClasses>,
}

/// One enterprise's result.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultRow {
    /// 统一社会信用代码.
    pub uscc: String,
    /// 企业名称.
    pub name: String,
    /// Park of its largest parcel.
    pub park_id: Option<String>,
    /// 规上 (`above`) or 规下 (`below`).
    pub population: &'static str,
    /// Land held, 亩.
    #[schema(value_type = String)]
    pub land_mu: Decimal,
    /// 税收 of the year, 元.
    #[schema(value_type = String)]
    pub tax_yuan: Decimal,
    /// 亩均税收, 万元/亩.
    #[schema(value_type = Option<String>)]
    pub tax_per_mu: Option<Decimal>,
    /// Total score.
    #[schema(value_type = Option<String>)]
    pub score: Option<Decimal>,
    /// Class A–D.
    pub class: Option<String>,
    /// Rank within its population (1 = best).
    pub rank: Option<u32>,
    /// Why it was not rated.
    pub not_rated: Option<String>,
}

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultPage {
    /// Results matching the filters.
    pub total: usize,
    /// This page.
    pub items: Vec<ResultRow>,
}

/// Starting a run.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RunIn {
    /// Year of the department figures to evaluate.
    pub year: i16,
}

/// The outcome of reproducing a run.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reproduced {
    /// True when a re-run from the stored inputs gives identical results.
    pub identical: bool,
    /// Enterprises whose result differs (empty when identical).
    pub differing: Vec<String>,
}
