//! Workflow records (issue 6): projects, cases, contracts, checkpoints, inspections, penalties,
//! credit records, plan tasks, progress reports, disposal plans and webhooks, each kind in its
//! own table, plus the append-only transition log. A record keeps its typed content as JSON
//! (the domain type) beside the columns lists filter on (park, county, parcel, enterprise,
//! status, next due day).

use crate::error::StoreResult;
use crate::model::Page;
use jiff::Timestamp;
use jiff::civil::Date;
use landcycle_domain::{AdminCode, ParcelId, ParkId, Uscc};
use serde::Serialize;

/// The kind of a workflow record; each kind has its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WfKind {
    /// 标准地项目.
    Project,
    /// 处置案件 (闲置土地 …).
    Case,
    /// 出让合同 + 履约监管协议.
    Contract,
    /// 履约节点.
    Checkpoint,
    /// 巡查记录.
    Inspection,
    /// 违约金.
    Penalty,
    /// 信用记录.
    CreditRecord,
    /// 方案任务.
    Task,
    /// 季度进展报告.
    ProgressReport,
    /// 一地一策处置方案.
    DisposalPlan,
    /// Webhook subscription.
    Webhook,
    /// 标准地指标体系 (one published version per record).
    IndicatorSet,
}

impl WfKind {
    /// Every kind.
    pub const ALL: [WfKind; 12] = [
        Self::Project,
        Self::Case,
        Self::Contract,
        Self::Checkpoint,
        Self::Inspection,
        Self::Penalty,
        Self::CreditRecord,
        Self::Task,
        Self::ProgressReport,
        Self::DisposalPlan,
        Self::Webhook,
        Self::IndicatorSet,
    ];

    /// The kinds whose tables migration step 4 created (a released step never changes; later
    /// kinds have their own step).
    pub const STEP_4: [WfKind; 11] = [
        Self::Project,
        Self::Case,
        Self::Contract,
        Self::Checkpoint,
        Self::Inspection,
        Self::Penalty,
        Self::CreditRecord,
        Self::Task,
        Self::ProgressReport,
        Self::DisposalPlan,
        Self::Webhook,
    ];

    /// The kind's table.
    pub fn table(self) -> &'static str {
        match self {
            Self::Project => "wf_projects",
            Self::Case => "wf_cases",
            Self::Contract => "wf_contracts",
            Self::Checkpoint => "wf_checkpoints",
            Self::Inspection => "wf_inspections",
            Self::Penalty => "wf_penalties",
            Self::CreditRecord => "wf_credit_records",
            Self::Task => "wf_tasks",
            Self::ProgressReport => "wf_progress_reports",
            Self::DisposalPlan => "wf_disposal_plans",
            Self::Webhook => "wf_webhooks",
            Self::IndicatorSet => "wf_indicator_sets",
        }
    }

    /// The API name.
    pub fn as_str(self) -> &'static str {
        &self.table()[3..]
    }

    /// From the API name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One workflow record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WfRecord {
    /// Kind.
    pub kind: WfKind,
    /// Id, unique within the kind.
    pub id: String,
    /// Version, 1 on create, +1 on every write (optimistic locking).
    pub version: u32,
    /// Park.
    pub park_id: Option<ParkId>,
    /// County-level jurisdiction.
    pub jurisdiction: Option<AdminCode>,
    /// Parcel.
    pub parcel_id: Option<ParcelId>,
    /// Enterprise.
    pub enterprise: Option<Uscc>,
    /// Status code.
    pub status: String,
    /// Next due day (deadline of the current status, checkpoint day …).
    pub due: Option<Date>,
    /// Last write.
    pub updated_at: Timestamp,
    /// The typed content (a domain type as JSON).
    pub doc: serde_json::Value,
}

/// One recorded transition of a workflow record (who, when, why, attachments).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WfTransition {
    /// Sequence number (0 before stored).
    pub seq: i64,
    /// Kind of the record.
    pub kind: WfKind,
    /// Record id.
    pub record_id: String,
    /// From status.
    pub from: String,
    /// To status.
    pub to: String,
    /// Who.
    pub actor: String,
    /// In which role.
    pub role: String,
    /// Day of the act.
    pub on: Date,
    /// Why.
    pub reason: String,
    /// Fields and documents (the domain's transition record).
    pub detail: serde_json::Value,
    /// When recorded.
    pub recorded_at: Timestamp,
}

/// A query over one kind of record. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct WfQuery {
    /// Park.
    pub park: Option<ParkId>,
    /// County (records of that county, or of a park in it).
    pub jurisdiction: Option<AdminCode>,
    /// Enterprise.
    pub enterprise: Option<Uscc>,
    /// Parcel.
    pub parcel: Option<ParcelId>,
    /// Status.
    pub status: Option<String>,
    /// Page size (0 = all).
    pub limit: u32,
    /// Rows to skip.
    pub offset: u64,
}

/// Reads of workflow records; writes go through [`crate::ChangeSet`]s from the registry.
pub trait WorkflowStore {
    /// One record.
    fn wf_record(&self, kind: WfKind, id: &str) -> StoreResult<Option<WfRecord>>;
    /// Records of a kind, ordered by id.
    fn wf_records(&self, kind: WfKind, q: &WfQuery) -> StoreResult<Page<WfRecord>>;
    /// Transitions of a record, oldest first.
    fn wf_transitions(&self, kind: WfKind, id: &str) -> StoreResult<Vec<WfTransition>>;
}
