//! The role table and the one function that reads it.

use super::*;

/// How a rule of the role table constrains the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRule {
    /// Anywhere in the city.
    Anywhere,
    /// Only records within the principal's scope.
    InScope,
}

/// The role table: every permission there is. A (role, action) pair not listed is forbidden.
pub const ROLE_TABLE: &[(Role, Action, ScopeRule)] = {
    use Action::*;
    use ScopeRule::*;
    &[
        // The public: the published list and the sign-in form.
        (Role::Public, ReadPublic, Anywhere),
        (Role::Public, SignIn, Anywhere),
        (Role::Public, SubmitIntention, Anywhere),
        // 市局管理员.
        (Role::Admin, ReadPublic, Anywhere),
        (Role::Admin, SignIn, Anywhere),
        (Role::Admin, OwnSession, Anywhere),
        (Role::Admin, ReadRegistry, Anywhere),
        (Role::Admin, DownloadAttachment, Anywhere),
        (Role::Admin, ReadActivity, Anywhere),
        (Role::Admin, WriteRegistry, Anywhere),
        (Role::Admin, ReadEnterprise, Anywhere),
        (Role::Admin, WriteEnterprise, Anywhere),
        (Role::Admin, UploadDepartmentData, Anywhere),
        (Role::Admin, ImportFiles, Anywhere),
        (Role::Admin, ReadAudit, Anywhere),
        (Role::Admin, ManageUsers, Anywhere),
        (Role::Admin, RunEvaluation, Anywhere),
        (Role::Admin, ManageWebhooks, Anywhere),
        (Role::Admin, ReadQuota, Anywhere),
        // 市局.
        (Role::City, ReadPublic, Anywhere),
        (Role::City, SignIn, Anywhere),
        (Role::City, OwnSession, Anywhere),
        (Role::City, ReadRegistry, Anywhere),
        (Role::City, DownloadAttachment, Anywhere),
        (Role::City, ReadActivity, Anywhere),
        (Role::City, WriteRegistry, Anywhere),
        (Role::City, ReadEnterprise, Anywhere),
        (Role::City, WriteEnterprise, Anywhere),
        (Role::City, UploadDepartmentData, Anywhere),
        (Role::City, RunEvaluation, Anywhere),
        // Outgoing webhooks are a city-level integration (the secret signs what the city sends).
        (Role::City, ManageWebhooks, Anywhere),
        (Role::City, ImportFiles, Anywhere),
        // 增存挂钩: the allocation is the city's decision; a county reads its own line (the
        // totals it is measured against included), parks, departments and enterprises not.
        (Role::City, ReadQuota, Anywhere),
        // 县（市、区）政府: its county.
        (Role::County, ReadPublic, Anywhere),
        (Role::County, SignIn, Anywhere),
        (Role::County, OwnSession, Anywhere),
        (Role::County, ReadRegistry, InScope),
        (Role::County, DownloadAttachment, InScope),
        (Role::County, WriteRegistry, InScope),
        (Role::County, ReadEnterprise, InScope),
        (Role::County, WriteEnterprise, InScope),
        (Role::County, ImportFiles, InScope),
        (Role::County, ReadQuota, InScope),
        // 园区管委会: its park.
        (Role::Park, ReadPublic, Anywhere),
        (Role::Park, SignIn, Anywhere),
        (Role::Park, OwnSession, Anywhere),
        (Role::Park, ReadRegistry, InScope),
        (Role::Park, DownloadAttachment, InScope),
        (Role::Park, WriteRegistry, InScope),
        (Role::Park, ReadEnterprise, InScope),
        (Role::Park, WriteEnterprise, InScope),
        (Role::Park, ImportFiles, InScope),
        // 数据报送部门: its own uploads; reads elsewhere.
        (Role::Department, ReadPublic, Anywhere),
        (Role::Department, SignIn, Anywhere),
        (Role::Department, OwnSession, Anywhere),
        (Role::Department, ReadRegistry, Anywhere),
        (Role::Department, ReadEnterprise, Anywhere),
        (Role::Department, UploadDepartmentData, InScope),
        (Role::Department, ImportFiles, InScope),
        // 企业: its own land and record; submits applications and reports.
        (Role::Enterprise, ReadPublic, Anywhere),
        (Role::Enterprise, SignIn, Anywhere),
        (Role::Enterprise, OwnSession, Anywhere),
        (Role::Enterprise, ReadRegistry, InScope),
        (Role::Enterprise, DownloadAttachment, InScope),
        (Role::Enterprise, ReadEnterprise, InScope),
        (Role::Enterprise, SubmitReport, InScope),
        // 审计: reads everything, writes nothing.
        (Role::Auditor, ReadPublic, Anywhere),
        (Role::Auditor, SignIn, Anywhere),
        (Role::Auditor, OwnSession, Anywhere),
        (Role::Auditor, ReadRegistry, Anywhere),
        (Role::Auditor, DownloadAttachment, Anywhere),
        (Role::Auditor, ReadActivity, Anywhere),
        (Role::Auditor, ReadEnterprise, Anywhere),
        (Role::Auditor, ReadAudit, Anywhere),
        (Role::Auditor, ReadQuota, Anywhere),
    ]
};

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// True when the action is allowed to the role but the record lies outside the principal's
    /// scope (APIs answer 404 then, so as not to reveal the record); false when the action
    /// itself is forbidden (403).
    pub out_of_scope: bool,
    /// The reason, in English.
    pub reason_en: String,
    /// The reason, in Chinese.
    pub reason_zh: String,
}

/// The outcome of [`decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Refused, with the reason.
    Deny(Denial),
}

impl Decision {
    /// True for [`Decision::Allow`].
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow)
    }
}

/// The rule of the role table for `(role, action)`, if any.
pub fn rule_for(role: Role, action: Action) -> Option<ScopeRule> {
    ROLE_TABLE
        .iter()
        .find(|(r, a, _)| *r == role && *a == action)
        .map(|(_, _, s)| *s)
}

/// May `p` perform `a` on `t`? Read from [`ROLE_TABLE`] and nothing else, apart from read-only
/// principals, who may never write.
pub fn decide(p: &Principal, a: Action, t: &Target) -> Decision {
    let forbidden = |en: String, zh: String| {
        Decision::Deny(Denial {
            out_of_scope: false,
            reason_en: en,
            reason_zh: zh,
        })
    };
    if p.read_only && a.is_write() {
        return forbidden(
            format!("this credential is read-only; {a} is a write"),
            format!("该凭据为只读，不能{}", a.label_zh()),
        );
    }
    match rule_for(p.role, a) {
        None => forbidden(
            format!("the {} role may not {a}", p.role),
            format!("“{}”角色无权{}", p.role.label_zh(), a.label_zh()),
        ),
        Some(ScopeRule::Anywhere) => Decision::Allow,
        Some(ScopeRule::InScope) if t.is_anywhere() || p.scope.contains(t) => Decision::Allow,
        Some(ScopeRule::InScope) => Decision::Deny(Denial {
            out_of_scope: true,
            reason_en: format!(
                "the record lies outside {}'s {} scope",
                p.user,
                p.scope.kind().as_str()
            ),
            reason_zh: format!("该记录不在“{}”的管辖范围内", p.user),
        }),
    }
}
