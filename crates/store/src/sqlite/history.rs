//! Reading a record's history: its own events, and the bulk imports it was created by.
//!
//! A bulk import is one event (file, sha256, counts) with one `event_refs` row per parcel it
//! created, not one event per parcel: at a million parcels the per-parcel events, each
//! repeating the whole record as JSON, were a third of the bytes written. A parcel's history
//! still shows its creation with its content: the entry is rebuilt from the parcel's first
//! version row (what the import wrote) and the import event (who, when, which file and row).

use super::rows::{self, backend};
use crate::error::StoreResult;
use landcycle_domain::{ChangeEvent, ChangeKind, EntityKind};
use rusqlite::{Connection, OptionalExtension};

/// Every event that touched `id`, oldest first; imports that created it as its creation entry.
pub(super) fn events_of(c: &Connection, id: &str) -> StoreResult<Vec<ChangeEvent>> {
    let found: Vec<(ChangeEvent, Option<i64>)> = c
        .prepare_cached(&format!(
            "SELECT {}, (SELECT source_row FROM event_refs r WHERE r.entity_id = ?1 AND r.seq = events.seq)
             FROM events WHERE seq IN (SELECT seq FROM event_refs WHERE entity_id = ?1) ORDER BY seq",
            rows::EVENT_COLS
        ))?
        .query_map([id], |r| Ok((rows::event_from_row(r)?, r.get(12)?)))?
        .collect::<Result<_, _>>()
        .map_err(backend)?;
    found
        .into_iter()
        .map(|(e, row)| {
            if e.entity == EntityKind::Import && e.entity_id != id {
                created_by_import(c, id, e, row)
            } else {
                Ok(e)
            }
        })
        .collect()
}

/// The creation entry of a parcel an import created: the import event seen from the parcel,
/// with the parcel's first version as its content and the file, row and sha256 it came from
/// (the same entry a per-parcel create event held before imports became one event).
fn created_by_import(
    c: &Connection,
    id: &str,
    import: ChangeEvent,
    row: Option<i64>,
) -> StoreResult<ChangeEvent> {
    let first = c
        .prepare_cached(&format!(
            "SELECT {} FROM parcel_versions WHERE parcel_id = ?1 AND version = 1",
            rows::PARCEL_COLS
        ))?
        .query_row([id], rows::parcel_from_row)
        .optional()?;
    // Not a parcel (no version row): the import event as it is.
    let Some(first) = first else {
        return Ok(import);
    };
    let field = |k: &str| {
        import
            .after
            .as_ref()
            .and_then(|a| a.get(k))
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    };
    let mut after = crate::registry::parcel_record(&first);
    if let serde_json::Value::Object(m) = &mut after {
        m.insert(
            "import".into(),
            serde_json::json!({"file": field("file"), "row": row, "sha256": field("sha256"),
                "crs": field("crs")}),
        );
    }
    let related = match (field("file"), field("sha256")) {
        (serde_json::Value::String(f), serde_json::Value::String(s)) => {
            vec![format!("{f} sha256:{s}")]
        }
        _ => vec![import.entity_id.clone()],
    };
    Ok(ChangeEvent {
        entity: EntityKind::Parcel,
        entity_id: id.to_owned(),
        kind: ChangeKind::Create,
        before: None,
        after: Some(after),
        related,
        ..import
    })
}
