//! Parcel operations: create, update, split, merge, end. Each is one atomic change set with its
//! history events.

use super::diff::{changed, parcel_record};
use super::{Batch, Registry, WriteMeta};
use crate::backend::Store;
use crate::error::{StoreError, StoreResult};
use crate::model::Change;
use geo::{Area, BooleanOps};
use geo_types::MultiPolygon;
use landcycle_domain::parcel::ValidDraft;
use landcycle_domain::{
    ChangeKind, EntityKind, FieldError, Parcel, ParcelDraft, ParcelId, units::AreaM2,
};
use rust_decimal::Decimal;
use uuid::Uuid;

/// Share of a child that must lie inside its parent (split) or of a parent inside the merged
/// child: tolerates coordinate rounding on shared edges, not real gaps or overlaps.
const INSIDE_SHARE: f64 = 0.999;
/// Allowed relative difference between the parts' total area and the whole.
const PARTS_TOLERANCE: f64 = 0.005;

fn prefix(e: StoreError, p: &str) -> StoreError {
    match e {
        StoreError::Invalid(v) => StoreError::Invalid(v.into_iter().map(|f| f.nested(p)).collect()),
        other => other,
    }
}

/// Planar area in degrees² — only ever used for ratios between shapes close to each other.
fn deg_area(m: &MultiPolygon<f64>) -> f64 {
    m.unsigned_area()
}

fn inside_share(part: &MultiPolygon<f64>, whole: &MultiPolygon<f64>) -> f64 {
    let a = deg_area(part);
    if a == 0.0 {
        0.0
    } else {
        deg_area(&part.intersection(whole)) / a
    }
}

/// Validates a draft's attributes and geometry (repairing ring orientation) and computes its
/// Gauss–Krüger area: everything but the references to the store, so that many drafts can be
/// checked in parallel (bulk import).
pub(crate) fn validate_draft(draft: ParcelDraft) -> StoreResult<(ValidDraft, AreaM2)> {
    let mut problems: Vec<FieldError> = Vec::new();
    let mut repaired = None;
    for p in landcycle_geo::validate_parcel_multipolygon(
        &draft.geometry,
        &landcycle_geo::Crs::Cgcs2000Geographic,
    ) {
        if p.code == "wrong_orientation" {
            // Ring orientation carries no meaning for a parcel: repair it silently.
            repaired = Some(landcycle_geo::normalize_orientation(&draft.geometry));
            continue;
        }
        let at = p
            .location
            .map(|(x, y)| format!(" at ({x:.7}, {y:.7})"))
            .unwrap_or_default();
        problems.push(FieldError::new(
            "geometry",
            Some(p.code),
            format!("{}{at}", p.message_en),
            format!("{}{at}", p.message_zh),
        ));
    }
    let mut draft = draft;
    if let Some(g) = repaired {
        draft.geometry = g;
    }
    let valid = match draft.validate() {
        Ok(v) if problems.is_empty() => v,
        Ok(_) => return Err(StoreError::Invalid(problems)),
        Err(e) => {
            problems.extend(e.field_errors().iter().cloned());
            return Err(StoreError::Invalid(problems));
        }
    };
    let m2 = landcycle_geo::gk_area_m2(&valid.draft.geometry)?;
    let area = Decimal::from_f64_retain(m2)
        .map(|d| d.round_dp(4))
        .ok_or_else(|| {
            StoreError::field(
                "geometry",
                None,
                "area is not a finite number",
                "面积不是有限数值",
            )
        })?;
    Ok((valid, AreaM2(area)))
}

impl<S: Store + ?Sized> Registry<S> {
    /// Validates a draft's attributes, geometry and references, and computes its area.
    pub(crate) fn prepare(&self, draft: ParcelDraft) -> StoreResult<(ValidDraft, AreaM2)> {
        let (valid, area) = validate_draft(draft)?;
        self.check_references(&valid)?;
        Ok((valid, area))
    }

    /// The park and the land user a draft names exist.
    pub(crate) fn check_references(&self, valid: &ValidDraft) -> StoreResult<()> {
        let refused = refused_reference(
            valid,
            |p| Ok(self.store().park(p)?.is_some()),
            |u| Ok(self.store().enterprise(u)?.is_some()),
        )?;
        match refused {
            Some(f) => Err(StoreError::Invalid(vec![f])),
            None => Ok(()),
        }
    }

    pub(crate) fn live(&self, id: ParcelId, expected: Option<u32>) -> StoreResult<Parcel> {
        let p =
            self.store()
                .parcel(id, None)?
                .ok_or_else(|| match self.store().parcel_latest(id) {
                    Ok(Some(_)) => StoreError::Conflict(format!(
                        "parcel {id} has ended; it can no longer be changed"
                    )),
                    _ => StoreError::NotFound {
                        entity: "parcel",
                        id: id.to_string(),
                    },
                })?;
        if let Some(v) = expected
            && v != p.version
        {
            return Err(StoreError::Conflict(format!(
                "parcel {id} is at version {}, but the change was based on version {v}; reload and retry",
                p.version
            )));
        }
        Ok(p)
    }

    /// Creates a parcel (version 1) with a new id, or with `id` when given (imports, demo).
    pub fn create_parcel(
        &self,
        draft: ParcelDraft,
        meta: &WriteMeta,
        id: Option<ParcelId>,
    ) -> StoreResult<Parcel> {
        let (valid, area) = self.prepare(draft)?;
        let mut batch = Batch::new(meta)?;
        let id = id.unwrap_or_else(|| ParcelId(Uuid::new_v4()));
        let parcel = stage_create(&mut batch, id, valid, area);
        batch.commit(self.store())?;
        Ok(parcel)
    }

    /// Replaces a live parcel's attributes and geometry with `draft` as a new version. The
    /// lifecycle may only move along its allowed transitions. `expected_version` (an ETag) makes
    /// the write fail with a conflict if someone changed the parcel meanwhile.
    pub fn update_parcel(
        &self,
        id: ParcelId,
        expected_version: Option<u32>,
        draft: ParcelDraft,
        meta: &WriteMeta,
    ) -> StoreResult<Parcel> {
        let old = self.live(id, expected_version)?;
        old.status.check_transition(draft.status)?;
        let (valid, area) = self.prepare(draft)?;
        let mut batch = Batch::new(meta)?;
        let parcel = Parcel::from_draft(
            id,
            old.version + 1,
            valid,
            area,
            batch.effective(),
            old.parents.clone(),
        );
        let (before, after) = changed(&parcel_record(&old), &parcel_record(&parcel));
        batch.event(
            EntityKind::Parcel,
            id.to_string(),
            ChangeKind::Update,
            Some(before),
            Some(after),
            vec![],
        );
        batch.push(Change::PutParcel {
            parcel: Box::new(parcel.clone()),
            expected_version: Some(old.version),
        });
        batch.commit(self.store())?;
        Ok(parcel)
    }

    /// Splits a live parcel into `children` (分割): the parent ends, each child is a new parcel
    /// naming it as parent. The children must tile the parent: each lies inside it and their
    /// areas add up to its area.
    pub fn split_parcel(
        &self,
        id: ParcelId,
        expected_version: Option<u32>,
        children: Vec<(Option<ParcelId>, ParcelDraft)>,
        meta: &WriteMeta,
    ) -> StoreResult<Vec<Parcel>> {
        if children.len() < 2 {
            return Err(StoreError::field(
                "children",
                Some(&children.len().to_string()),
                "a split needs at least two parts",
                "分割至少应有两宗",
            ));
        }
        let parent = self.live(id, expected_version)?;
        let mut prepared = Vec::with_capacity(children.len());
        let mut problems = Vec::new();
        let mut total = 0.0;
        for (i, (cid, draft)) in children.into_iter().enumerate() {
            let field = format!("children[{i}]");
            match self.prepare(draft) {
                Ok((v, a)) => {
                    let share = inside_share(&v.draft.geometry, &parent.geometry);
                    if share < INSIDE_SHARE {
                        problems.push(FieldError::new(
                            format!("{field}.geometry"),
                            None,
                            format!(
                                "only {:.2} % of this part lies inside the parent parcel",
                                share * 100.0
                            ),
                            format!("该部分仅有{:.2}%位于原宗地内", share * 100.0),
                        ));
                    }
                    total += deg_area(&v.draft.geometry);
                    prepared.push((cid, v, a));
                }
                Err(e) => match prefix(e, &field) {
                    StoreError::Invalid(v) => problems.extend(v),
                    other => return Err(other),
                },
            }
        }
        let whole = deg_area(&parent.geometry);
        if problems.is_empty() && ((total - whole) / whole).abs() > PARTS_TOLERANCE {
            problems.push(FieldError::new(
                "children",
                None,
                format!("the parts cover {:.2} % of the parent's area; they must tile it (gaps or overlaps)", total / whole * 100.0),
                format!("各部分面积之和为原宗地的{:.2}%，应恰好覆盖原宗地（存在缝隙或重叠）", total / whole * 100.0),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let mut batch = Batch::new(meta)?;
        let mut made = Vec::new();
        for (cid, v, a) in prepared {
            let cid = cid.unwrap_or_else(|| ParcelId(Uuid::new_v4()));
            made.push(Parcel::from_draft(
                cid,
                1,
                v,
                a,
                batch.effective(),
                vec![id],
            ));
        }
        let child_ids: Vec<String> = made.iter().map(|c| c.id.to_string()).collect();
        batch.event(
            EntityKind::Parcel,
            id.to_string(),
            ChangeKind::Split,
            Some(parcel_record(&parent)),
            None,
            child_ids,
        );
        batch.push(Change::EndParcel {
            id,
            expected_version: parent.version,
        });
        for c in &made {
            batch.event(
                EntityKind::Parcel,
                c.id.to_string(),
                ChangeKind::Create,
                None,
                Some(parcel_record(c)),
                vec![id.to_string()],
            );
            batch.push(Change::PutParcel {
                parcel: Box::new(c.clone()),
                expected_version: None,
            });
            batch.push(Change::Lineage {
                parent: id,
                child: c.id,
            });
        }
        batch.commit(self.store())?;
        Ok(made)
    }

    /// Merges live parcels into one new parcel (合并): the parents end, the child names them.
    /// The child must cover the parents: each lies inside it and the areas add up.
    pub fn merge_parcels(
        &self,
        parents: Vec<(ParcelId, Option<u32>)>,
        child: ParcelDraft,
        child_id: Option<ParcelId>,
        meta: &WriteMeta,
    ) -> StoreResult<Parcel> {
        if parents.len() < 2 {
            return Err(StoreError::field(
                "parents",
                Some(&parents.len().to_string()),
                "a merge needs at least two parcels",
                "合并至少需要两宗地",
            ));
        }
        let mut olds = Vec::new();
        for (i, (pid, v)) in parents.iter().enumerate() {
            if parents[..i].iter().any(|(q, _)| q == pid) {
                return Err(StoreError::field(
                    &format!("parents[{i}]"),
                    Some(&pid.to_string()),
                    "listed twice",
                    "重复列出",
                ));
            }
            olds.push(
                self.live(*pid, *v)
                    .map_err(|e| prefix(e, &format!("parents[{i}]")))?,
            );
        }
        let (valid, area) = self.prepare(child).map_err(|e| prefix(e, "child"))?;
        let mut problems = Vec::new();
        let mut total = 0.0;
        for (i, p) in olds.iter().enumerate() {
            total += deg_area(&p.geometry);
            let share = inside_share(&p.geometry, &valid.draft.geometry);
            if share < INSIDE_SHARE {
                problems.push(FieldError::new(
                    "child.geometry",
                    None,
                    format!(
                        "parent {i} ({}) lies only {:.2} % inside the merged parcel",
                        p.id,
                        share * 100.0
                    ),
                    format!("第{i}宗原宗地仅有{:.2}%位于合并后的宗地内", share * 100.0),
                ));
            }
        }
        let merged = deg_area(&valid.draft.geometry);
        if problems.is_empty() && ((merged - total) / total).abs() > PARTS_TOLERANCE {
            problems.push(FieldError::new(
                "child.geometry",
                None,
                format!("the merged parcel is {:.2} % of the parents' total area; it must be their union", merged / total * 100.0),
                format!("合并后宗地面积为原宗地之和的{:.2}%，应为各原宗地之并", merged / total * 100.0),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let mut batch = Batch::new(meta)?;
        let cid = child_id.unwrap_or_else(|| ParcelId(Uuid::new_v4()));
        let parent_ids: Vec<ParcelId> = olds.iter().map(|p| p.id).collect();
        let made = Parcel::from_draft(cid, 1, valid, area, batch.effective(), parent_ids.clone());
        for p in &olds {
            batch.event(
                EntityKind::Parcel,
                p.id.to_string(),
                ChangeKind::Merge,
                Some(parcel_record(p)),
                None,
                vec![cid.to_string()],
            );
            batch.push(Change::EndParcel {
                id: p.id,
                expected_version: p.version,
            });
        }
        batch.event(
            EntityKind::Parcel,
            cid.to_string(),
            ChangeKind::Create,
            None,
            Some(parcel_record(&made)),
            parent_ids.iter().map(ToString::to_string).collect(),
        );
        batch.push(Change::PutParcel {
            parcel: Box::new(made.clone()),
            expected_version: None,
        });
        for p in parent_ids {
            batch.push(Change::Lineage {
                parent: p,
                child: cid,
            });
        }
        batch.commit(self.store())?;
        Ok(made)
    }

    /// Ends a live parcel without successors (注销): its last version is end-dated.
    pub fn end_parcel(
        &self,
        id: ParcelId,
        expected_version: Option<u32>,
        meta: &WriteMeta,
    ) -> StoreResult<()> {
        let old = self.live(id, expected_version)?;
        let mut batch = Batch::new(meta)?;
        batch.event(
            EntityKind::Parcel,
            id.to_string(),
            ChangeKind::End,
            Some(parcel_record(&old)),
            None,
            vec![],
        );
        batch.push(Change::EndParcel {
            id,
            expected_version: old.version,
        });
        batch.commit(self.store())?;
        Ok(())
    }
}

/// Stages a checked draft as version 1 of parcel `id` in `batch`, with its `create` event
/// (one write and the bulk load share it).
pub(super) fn stage_create(
    batch: &mut Batch,
    id: ParcelId,
    valid: ValidDraft,
    area: AreaM2,
) -> Parcel {
    let parcel = Parcel::from_draft(id, 1, valid, area, batch.effective(), vec![]);
    batch.event(
        EntityKind::Parcel,
        id.to_string(),
        ChangeKind::Create,
        None,
        Some(parcel_record(&parcel)),
        vec![],
    );
    batch.push(Change::PutParcel {
        parcel: Box::new(parcel.clone()),
        expected_version: None,
    });
    parcel
}

/// The refusal of a draft whose park or land user does not exist, as `park_exists` and
/// `enterprise_exists` answer (the store, or what a bulk import read from it beforehand).
pub(crate) fn refused_reference(
    valid: &ValidDraft,
    park_exists: impl FnOnce(&landcycle_domain::ParkId) -> StoreResult<bool>,
    enterprise_exists: impl FnOnce(&landcycle_domain::Uscc) -> StoreResult<bool>,
) -> StoreResult<Option<FieldError>> {
    if let Some(p) = &valid.park_id
        && !park_exists(p)?
    {
        return Ok(Some(FieldError::new(
            "park_id",
            Some(p.as_str()),
            "no such park",
            "园区不存在",
        )));
    }
    if let Some(u) = &valid.enterprise
        && !enterprise_exists(u)?
    {
        return Ok(Some(FieldError::new(
            "enterprise",
            Some(u.as_str()),
            "enterprise is not registered; add it first",
            "该企业尚未登记，请先登记企业",
        )));
    }
    Ok(None)
}
