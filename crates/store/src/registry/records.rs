//! Parks, enterprises, supplies, department figures and attachments.

use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::{AttachmentMeta, Change};
use landcycle_domain::figures::AnnualFigures;
use landcycle_domain::{
    ChangeKind, Enterprise, EntityKind, ParcelId, Park, Supply, SupplyDraft, SupplyId,
};
use serde_json::json;
use uuid::Uuid;

fn to_value<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn park_record(p: &Park) -> serde_json::Value {
    let mut v = to_value(p);
    if let (serde_json::Value::Object(m), Some(b)) = (&mut v, &p.boundary) {
        m.insert(
            "boundary".into(),
            landcycle_geo::geometry_to_geojson(&geo_types::Geometry::MultiPolygon(b.clone())),
        );
    }
    v
}

impl<S: Store + ?Sized> Registry<S> {
    /// Creates or replaces a park.
    pub fn put_park(&self, park: Park, meta: &WriteMeta) -> StoreResult<()> {
        if park.name.trim().is_empty() {
            return Err(StoreError::field(
                "name",
                Some(""),
                "must not be empty",
                "园区名称不能为空",
            ));
        }
        if let Some(b) = &park.boundary {
            let problems = landcycle_geo::validate_parcel_geometry(
                &geo_types::Geometry::MultiPolygon(b.clone()),
                &landcycle_geo::Crs::Cgcs2000Geographic,
            );
            if let Some(p) = problems.iter().find(|p| p.code != "wrong_orientation") {
                return Err(StoreError::field(
                    "boundary",
                    Some(p.code),
                    p.message_en.clone(),
                    p.message_zh.clone(),
                ));
            }
        }
        let old = self.store().park(&park.id)?;
        let mut batch = Batch::new(meta)?;
        let (kind, before, after) = match &old {
            None => (ChangeKind::Create, None, Some(park_record(&park))),
            Some(o) => {
                let (b, a) = super::diff::changed(&park_record(o), &park_record(&park));
                (ChangeKind::Update, Some(b), Some(a))
            }
        };
        batch.event(
            EntityKind::Park,
            park.id.as_str().to_owned(),
            kind,
            before,
            after,
            vec![],
        );
        batch.push(Change::PutPark(Box::new(park)));
        batch.commit(self.store())?;
        Ok(())
    }

    /// Creates or replaces an enterprise (already validated by [`Enterprise::new`]).
    pub fn put_enterprise(&self, e: Enterprise, meta: &WriteMeta) -> StoreResult<()> {
        if let Some(p) = &e.park_id
            && self.store().park(p)?.is_none()
        {
            return Err(StoreError::field(
                "park_id",
                Some(p.as_str()),
                "no such park",
                "园区不存在",
            ));
        }
        let old = self.store().enterprise(&e.uscc)?;
        let mut batch = Batch::new(meta)?;
        let (kind, before, after) = match &old {
            None => (ChangeKind::Create, None, Some(to_value(&e))),
            Some(o) if o == &e => return Ok(()),
            Some(o) => {
                let (b, a) = super::diff::changed(&to_value(o), &to_value(&e));
                (ChangeKind::Update, Some(b), Some(a))
            }
        };
        batch.event(
            EntityKind::Enterprise,
            e.uscc.as_str().to_owned(),
            kind,
            before,
            after,
            vec![],
        );
        batch.push(Change::PutEnterprise(Box::new(e)));
        batch.commit(self.store())?;
        Ok(())
    }

    /// Records a supply of a parcel to an enterprise; both must exist.
    pub fn add_supply(
        &self,
        draft: SupplyDraft,
        meta: &WriteMeta,
        id: Option<SupplyId>,
    ) -> StoreResult<Supply> {
        let supply = draft.validate(id.unwrap_or_else(|| SupplyId(Uuid::new_v4())))?;
        if self.store().parcel_latest(supply.parcel_id)?.is_none() {
            return Err(StoreError::field(
                "parcel_id",
                Some(&supply.parcel_id.to_string()),
                "no such parcel",
                "宗地不存在",
            ));
        }
        if self.store().enterprise(&supply.enterprise)?.is_none() {
            return Err(StoreError::field(
                "enterprise",
                Some(supply.enterprise.as_str()),
                "enterprise is not registered; add it first",
                "该企业尚未登记，请先登记企业",
            ));
        }
        let mut batch = Batch::new(meta)?;
        batch.event(
            EntityKind::Supply,
            supply.id.0.to_string(),
            ChangeKind::Create,
            None,
            Some(to_value(&supply)),
            vec![
                supply.parcel_id.to_string(),
                supply.enterprise.as_str().to_owned(),
            ],
        );
        batch.push(Change::PutSupply(Box::new(supply.clone())));
        batch.commit(self.store())?;
        Ok(supply)
    }

    /// Stores department figures (one year of one enterprise each) in one transaction.
    pub fn put_figures(&self, figures: Vec<AnnualFigures>, meta: &WriteMeta) -> StoreResult<()> {
        let mut batch = Batch::new(meta)?;
        for (i, f) in figures.into_iter().enumerate() {
            if self.store().enterprise(&f.uscc)?.is_none() {
                return Err(StoreError::field(
                    &format!("figures[{i}].uscc"),
                    Some(f.uscc.as_str()),
                    "unknown enterprise",
                    "未登记的企业",
                ));
            }
            batch.push(Change::PutFigures(Box::new(f)));
        }
        batch.commit(self.store())?;
        Ok(())
    }

    /// Stores a file content-addressed and links it to a parcel's record (its timeline shows
    /// the upload). The media type is judged from the bytes.
    pub fn attach(
        &self,
        parcel: ParcelId,
        name: &str,
        bytes: &[u8],
        meta: &WriteMeta,
    ) -> StoreResult<AttachmentMeta> {
        let name = sanitize_name(name);
        if bytes.is_empty() {
            return Err(StoreError::field(
                "file",
                Some(&name),
                "the file is empty",
                "文件为空",
            ));
        }
        if bytes.len() > self.max_attachment_bytes {
            return Err(StoreError::field(
                "file",
                Some(&name),
                format!(
                    "the file is larger than {} MiB",
                    self.max_attachment_bytes >> 20
                ),
                format!("文件超过{} MiB", self.max_attachment_bytes >> 20),
            ));
        }
        if self.store().parcel_latest(parcel)?.is_none() {
            return Err(StoreError::NotFound {
                entity: "parcel",
                id: parcel.to_string(),
            });
        }
        let content_type = crate::sniff_content_type(bytes).to_owned();
        // The blob is written first in its own transaction: if the link fails, an unreferenced
        // blob remains, which is harmless and deduplicated on the next upload.
        let sha256 = self.store().put_blob(bytes)?;
        let mut batch = Batch::new(meta)?;
        let size = bytes.len() as u64;
        batch.event(
            EntityKind::Attachment,
            sha256.clone(),
            ChangeKind::Attach,
            None,
            Some(
                json!({"name": name, "content_type": content_type, "size": size, "sha256": sha256}),
            ),
            vec![parcel.to_string()],
        );
        batch.push(Change::AttachToParcel {
            parcel,
            sha256: sha256.clone(),
            name: name.clone(),
            content_type: content_type.clone(),
            size,
            uploaded_by: meta.actor.0.clone(),
        });
        let at = meta.recorded_at.unwrap_or_else(jiff::Timestamp::now);
        batch.commit(self.store())?;
        Ok(AttachmentMeta {
            sha256,
            name,
            content_type,
            size,
            uploaded_by: meta.actor.0.clone(),
            uploaded_at: at,
        })
    }
}

/// Keeps the last path component and drops control characters: a name is shown and offered as
/// a download name, never used as a path.
fn sanitize_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    if clean.trim().is_empty() || clean == "." || clean == ".." {
        "attachment".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize_name;

    #[test]
    fn names_never_paths() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("C:\\scan\\合同.pdf"), "合同.pdf");
        assert_eq!(sanitize_name(".."), "attachment");
        assert_eq!(sanitize_name("a\"b\n.pdf"), "ab.pdf");
    }
}
