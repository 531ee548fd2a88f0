//! What the API does ([`Action`]) and what a request touches ([`Target`]).

use super::*;

/// What the API does, as far as permissions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read what is published: parks, health, the API document.
    ReadPublic,
    /// Sign in (the login endpoint).
    SignIn,
    /// Read or end one's own session (me, logout).
    OwnSession,
    /// Read parcels, their history, lineage, supplies and attachment lists.
    ReadRegistry,
    /// Download an attachment (an export: always audited).
    DownloadAttachment,
    /// Read the registry-wide change feed (every record's latest events).
    ReadActivity,
    /// Create, change, split, merge and end parcels; record supplies; attach files.
    WriteRegistry,
    /// Read an enterprise's record with its figures (tax, output, power…).
    ReadEnterprise,
    /// Register or update an enterprise.
    WriteEnterprise,
    /// Upload a department's data (tax, power, statistics figures).
    UploadDepartmentData,
    /// Submit an application or a report as an enterprise.
    SubmitReport,
    /// Search the audit log.
    ReadAudit,
    /// Create, disable users; create, revoke tokens.
    ManageUsers,
    /// Upload files for a bulk import (批量导入) at `POST /api/imports`. The route's coarse
    /// check: the handler then checks what the files hold — parcels as [`Action::WriteRegistry`]
    /// on every row's place, figures as [`Action::UploadDepartmentData`].
    ImportFiles,
    /// Send a 用地意向 from the public portal ("我要用地"): stored for the park's staff, it
    /// changes no record of the registry.
    SubmitIntention,
    /// Start a 亩均效益评价 run (评价批次) over the whole city: stored and append-only.
    RunEvaluation,
    /// Subscribe, list and remove the warnings centre's outgoing webhooks (an integration with
    /// another system: a city-level decision, and the secret signs what the city sends).
    ManageWebhooks,
    /// Read the 增存挂钩 allocation of a year's new construction-land quota among counties
    /// (a city-level report: the city reads every county's line, a county its own).
    ReadQuota,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 18] = [
        Action::ReadPublic,
        Action::SignIn,
        Action::OwnSession,
        Action::ReadRegistry,
        Action::DownloadAttachment,
        Action::ReadActivity,
        Action::WriteRegistry,
        Action::ReadEnterprise,
        Action::WriteEnterprise,
        Action::UploadDepartmentData,
        Action::SubmitReport,
        Action::ReadAudit,
        Action::ManageUsers,
        Action::ImportFiles,
        Action::SubmitIntention,
        Action::RunEvaluation,
        Action::ManageWebhooks,
        Action::ReadQuota,
    ];

    /// The action's name (audit log, messages).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReadPublic => "read_public",
            Action::SignIn => "sign_in",
            Action::OwnSession => "own_session",
            Action::ReadRegistry => "read_registry",
            Action::DownloadAttachment => "download_attachment",
            Action::ReadActivity => "read_activity",
            Action::WriteRegistry => "write_registry",
            Action::ReadEnterprise => "read_enterprise",
            Action::WriteEnterprise => "write_enterprise",
            Action::UploadDepartmentData => "upload_department_data",
            Action::SubmitReport => "submit_report",
            Action::ReadAudit => "read_audit",
            Action::ManageUsers => "manage_users",
            Action::ImportFiles => "import_files",
            Action::SubmitIntention => "submit_intention",
            Action::RunEvaluation => "run_evaluation",
            Action::ManageWebhooks => "manage_webhooks",
            Action::ReadQuota => "read_quota",
        }
    }

    /// The action in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            Action::ReadPublic => "查看公开信息",
            Action::SignIn => "登录",
            Action::OwnSession => "查看或结束本人会话",
            Action::ReadRegistry => "查看宗地档案",
            Action::DownloadAttachment => "下载附件",
            Action::ReadActivity => "查看全市变更动态",
            Action::WriteRegistry => "变更宗地档案",
            Action::ReadEnterprise => "查看企业档案",
            Action::WriteEnterprise => "登记或变更企业",
            Action::UploadDepartmentData => "报送部门数据",
            Action::SubmitReport => "提交申请或报告",
            Action::ReadAudit => "查询审计日志",
            Action::ManageUsers => "管理用户与令牌",
            Action::ImportFiles => "批量导入数据",
            Action::SubmitIntention => "提交用地意向",
            Action::RunEvaluation => "发起亩均效益评价",
            Action::ManageWebhooks => "管理预警推送订阅",
            Action::ReadQuota => "查看增存挂钩指标分配",
        }
    }

    /// True when the action changes stored data (and must be audited, and is refused to
    /// read-only principals).
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Action::WriteRegistry
                | Action::WriteEnterprise
                | Action::UploadDepartmentData
                | Action::SubmitReport
                | Action::ManageUsers
                | Action::RunEvaluation
                | Action::ManageWebhooks
                | Action::ImportFiles
        )
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a request touches. All fields empty means "no particular record": the coarse check
/// (may this role perform this action anywhere?). Records always carry a jurisdiction (parcels)
/// or an enterprise (enterprises), so an empty target never stands for a record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// The record's county-level jurisdiction.
    pub jurisdiction: Option<AdminCode>,
    /// The record's park.
    pub park: Option<ParkId>,
    /// The jurisdiction of the record's park.
    pub park_jurisdiction: Option<AdminCode>,
    /// The record's enterprise (land user, or the enterprise itself).
    pub enterprise: Option<Uscc>,
    /// The department whose data the record is.
    pub department: Option<String>,
}

impl Target {
    /// No particular record (the coarse check).
    pub fn anywhere() -> Self {
        Self::default()
    }

    /// True when no record is named.
    pub fn is_anywhere(&self) -> bool {
        *self == Self::default()
    }
}
