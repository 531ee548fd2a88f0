//! Change events: every change to a record is an event with who, when, why and the values
//! before and after (一地一档). Events are append-only; records are end-dated, never deleted.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The kind of record a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// 宗地.
    Parcel,
    /// 园区.
    Park,
    /// 企业.
    Enterprise,
    /// 供地记录.
    Supply,
    /// 附件.
    Attachment,
    /// 流程记录: a project, case, contract, task … of the workflows (issue 6).
    Workflow,
    /// 批次: an approval batch (批文号) with its parcels and deductions.
    Batch,
    /// 数据导入: one bulk import of a file (its name, sha256, counts); every record it created
    /// is linked to it, and each parcel's own creation state is its first version.
    Import,
}

impl EntityKind {
    /// API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parcel => "parcel",
            Self::Park => "park",
            Self::Enterprise => "enterprise",
            Self::Supply => "supply",
            Self::Attachment => "attachment",
            Self::Workflow => "workflow",
            Self::Batch => "batch",
            Self::Import => "import",
        }
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// 新增.
    Create,
    /// 变更.
    Update,
    /// 分割: the parent ends, children are created.
    Split,
    /// 合并: the parents end, one child is created.
    Merge,
    /// 注销/终止.
    End,
    /// 附件上传.
    Attach,
}

impl ChangeKind {
    /// API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Split => "split",
            Self::Merge => "merge",
            Self::End => "end",
            Self::Attach => "attach",
        }
    }
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Create => "新增",
            Self::Update => "变更",
            Self::Split => "分割",
            Self::Merge => "合并",
            Self::End => "注销",
            Self::Attach => "上传附件",
        }
    }
    /// Parses the API name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Create,
            Self::Update,
            Self::Split,
            Self::Merge,
            Self::End,
            Self::Attach,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Who made a change: a user name, or `system:<job>` for automated work.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct Actor(pub String);

/// Why a change was made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChangeReason {
    /// The reason in words (required for every write).
    pub reason: String,
    /// A case, transaction or document reference (案卷号, 批文号 …).
    pub reference: Option<String>,
}

impl ChangeReason {
    /// A reason without a reference.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            reference: None,
        }
    }
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeEvent {
    /// Sequence number in the store (0 before it is stored).
    pub seq: i64,
    /// Which kind of record.
    pub entity: EntityKind,
    /// The record's id.
    pub entity_id: String,
    /// What happened.
    pub kind: ChangeKind,
    /// Who.
    pub actor: Actor,
    /// When it was recorded (transaction time).
    pub recorded_at: Timestamp,
    /// The day it takes effect (valid time).
    pub effective: Date,
    /// Why.
    pub reason: ChangeReason,
    /// The values before (absent on create).
    pub before: Option<serde_json::Value>,
    /// The values after (absent on end).
    pub after: Option<serde_json::Value>,
    /// Related record ids (parents or children of a split or merge, the parcel of an attachment).
    pub related: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in [
            ChangeKind::Create,
            ChangeKind::Update,
            ChangeKind::Split,
            ChangeKind::Merge,
            ChangeKind::End,
            ChangeKind::Attach,
        ] {
            assert_eq!(ChangeKind::parse(k.as_str()), Some(k));
            assert!(!k.label_zh().is_empty());
        }
        assert_eq!(ChangeKind::parse("x"), None);
    }
}
