//! 用地意向: what an investor sends from the public portal's "我要用地" form, kept for the
//! park's staff. Append-only: an intention is a received message, never edited.

use jiff::Timestamp;
use landcycle_domain::{ParcelId, ParkId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A received intention (a new one has `id` 0 until stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intention {
    /// Row id, given by the store.
    pub id: i64,
    /// When it was received.
    pub received_at: Timestamp,
    /// The parcel asked about, if any.
    pub parcel_id: Option<ParcelId>,
    /// The park asked about (the parcel's park when a parcel is named).
    pub park_id: Option<ParkId>,
    /// 企业名称.
    pub company: String,
    /// 联系人.
    pub contact: String,
    /// 联系电话.
    pub phone: String,
    /// 拟用地面积, 亩.
    pub area_mu: Option<Decimal>,
    /// 行业 / 项目.
    pub industry: Option<String>,
    /// 留言.
    pub message: Option<String>,
}
