//! The append-only webhook delivery log (migration step 6).

use super::SqliteStore;
use super::write::gpkg_time;
use crate::error::StoreResult;
use crate::webhooks::Delivery;
use rusqlite::{OptionalExtension, params};
use std::str::FromStr;

impl SqliteStore {
    /// Appends one delivery attempt.
    pub fn record_delivery(&self, d: &Delivery) -> StoreResult<i64> {
        let conn = self.writer()?;
        conn.prepare_cached(
            "INSERT INTO wf_webhook_deliveries (webhook_id, item_key, level, attempt, attempted_at, http_status, error, delivered, body_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            d.webhook_id,
            d.item_key,
            d.level,
            d.attempt,
            gpkg_time(d.attempted_at),
            d.http_status,
            d.error,
            d.delivered,
            d.body_sha256,
        ])?;
        Ok(conn.last_insert_rowid())
    }

    /// The last level delivered (2xx) to `webhook_id` for `item_key`, if any.
    pub fn delivered_level(&self, webhook_id: &str, item_key: &str) -> StoreResult<Option<String>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT level FROM wf_webhook_deliveries WHERE webhook_id = ?1 AND item_key = ?2 AND delivered = 1
                 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([webhook_id, item_key], |r| r.get(0))
            .optional()?)
        })
    }

    /// Every attempt for `webhook_id`, oldest first.
    pub fn deliveries(&self, webhook_id: &str) -> StoreResult<Vec<Delivery>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT seq, webhook_id, item_key, level, attempt, attempted_at, http_status, error, delivered, body_sha256
                 FROM wf_webhook_deliveries WHERE webhook_id = ?1 ORDER BY seq",
            )?;
            let rows = st
                .query_map([webhook_id], |r| {
                    let at: String = r.get(5)?;
                    Ok(Delivery {
                        seq: r.get(0)?,
                        webhook_id: r.get(1)?,
                        item_key: r.get(2)?,
                        level: r.get(3)?,
                        attempt: r.get(4)?,
                        attempted_at: super::rows::parse_field(
                            "attempted_at",
                            jiff::Timestamp::from_str(&at),
                        )?,
                        http_status: r.get(6)?,
                        error: r.get(7)?,
                        delivered: r.get(8)?,
                        body_sha256: r.get(9)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}
