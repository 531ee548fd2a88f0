//! 用地意向 in the embedded store: the append-only `land_intentions` table (step 4).

use super::SqliteStore;
use super::write::gpkg_time;
use crate::error::StoreResult;
use crate::intentions::Intention;
use landcycle_domain::{ParcelId, ParkId};
use rusqlite::params;
use rusqlite::types::Value;

fn bad(e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.to_string().into())
}

impl SqliteStore {
    pub(super) fn insert_intention(&self, i: &Intention) -> StoreResult<i64> {
        let conn = self.writer()?;
        conn.prepare_cached(
            "INSERT INTO land_intentions (received_at, parcel_id, park_id, company, contact, phone, area_mu, industry, message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            gpkg_time(i.received_at),
            i.parcel_id.map(|p| p.to_string()),
            i.park_id.as_ref().map(|p| p.as_str().to_owned()),
            i.company,
            i.contact,
            i.phone,
            i.area_mu.map(|a| a.to_string()),
            i.industry,
            i.message,
        ])?;
        Ok(conn.last_insert_rowid())
    }

    pub(super) fn select_intentions(
        &self,
        parks: Option<&[ParkId]>,
        limit: u32,
    ) -> StoreResult<Vec<Intention>> {
        let mut sql = String::from(
            "SELECT id, received_at, parcel_id, park_id, company, contact, phone, area_mu, industry, message
             FROM land_intentions",
        );
        let mut args: Vec<Value> = Vec::new();
        if let Some(p) = parks {
            if p.is_empty() {
                return Ok(Vec::new());
            }
            sql.push_str(&format!(
                " WHERE park_id IN ({})",
                vec!["?"; p.len()].join(", ")
            ));
            args.extend(p.iter().map(|p| Value::Text(p.as_str().to_owned())));
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?");
        args.push(Value::Integer(i64::from(limit)));
        self.read(|c| {
            let mut st = c.prepare(&sql)?;
            let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
                let at: String = r.get(1)?;
                let parcel: Option<String> = r.get(2)?;
                let park: Option<String> = r.get(3)?;
                let area: Option<String> = r.get(7)?;
                Ok(Intention {
                    id: r.get(0)?,
                    received_at: at.parse().map_err(bad)?,
                    parcel_id: parcel
                        .map(|s| ParcelId::parse(&s, "parcel_id").map_err(bad))
                        .transpose()?,
                    park_id: park.map(|s| ParkId::parse(&s).map_err(bad)).transpose()?,
                    company: r.get(4)?,
                    contact: r.get(5)?,
                    phone: r.get(6)?,
                    area_mu: area.map(|s| s.parse().map_err(bad)).transpose()?,
                    industry: r.get(8)?,
                    message: r.get(9)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}
