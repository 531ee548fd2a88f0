//! Webhook deliveries of the warnings centre: one row per attempt (who was called, for which
//! item and level, the answer), append-only, so the city can show what was sent and when, and
//! the dispatcher knows which level changes a subscriber has already received.

use jiff::Timestamp;
use serde::Serialize;

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// Sequence number (0 before stored).
    pub seq: i64,
    /// The subscription (`wf_webhooks` id).
    pub webhook_id: String,
    /// The warning's key (`kind:subject_id:due`).
    pub item_key: String,
    /// The level sent (`notice`, `warning`, `overdue`).
    pub level: String,
    /// Attempt number from 1.
    pub attempt: u32,
    /// When attempted.
    pub attempted_at: Timestamp,
    /// HTTP status answered, if any.
    pub http_status: Option<u16>,
    /// Transport error, if any.
    pub error: Option<String>,
    /// True when the subscriber answered 2xx.
    pub delivered: bool,
    /// sha256 of the body sent.
    pub body_sha256: String,
}
