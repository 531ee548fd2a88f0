//! Who may do what, where: roles scoped by jurisdiction (权限与辖区).
//!
//! One table ([`ROLE_TABLE`]) says which [`Role`] may perform which [`Action`] and under which
//! [`ScopeRule`]; [`decide`] reads it and nothing else. A [`Principal`] is a signed-in user (or
//! the public) with a role and a [`Scope`]; a [`Target`] describes the record touched (its
//! jurisdiction, park, enterprise, department — any may be absent).
//!
//! Scope containment:
//! - a county scope contains records whose jurisdiction is that county, or whose park lies in it;
//! - a park scope contains records of that park;
//! - an enterprise scope contains records of that enterprise (its land, figures, supplies);
//! - a department scope contains that department's data uploads.
//!
//! Deny decisions say whether the action itself is forbidden for the role (an API answers 403)
//! or the record lies outside the principal's scope (an API answers 404, so that it does not
//! reveal that the record exists).

use crate::codes::{AdminCode, Uscc};
use crate::error::{DomainError, DomainResult};
use crate::park::ParkId;
use serde::{Deserialize, Serialize};

/// A role, as named on the command line.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 市局管理员: everything the city bureau may do, plus accounts, tokens and the audit log.
    Admin,
    /// 市局: reads and writes the whole city.
    City,
    /// 县（市、区）政府: its county.
    County,
    /// 园区管委会: its park.
    Park,
    /// 数据报送部门 (tax, power, statistics…): uploads its department's data, reads elsewhere.
    Department,
    /// 企业: its own parcels, evaluations and obligations; submits applications and reports.
    Enterprise,
    /// 审计: reads everything, writes nothing.
    Auditor,
    /// The public (no account): the published list only.
    Public,
}

impl Role {
    /// Every role an account may hold (all but [`Role::Public`]).
    pub const ACCOUNT_ROLES: [Role; 7] = [
        Role::Admin,
        Role::City,
        Role::County,
        Role::Park,
        Role::Department,
        Role::Enterprise,
        Role::Auditor,
    ];

    /// Every role, the public included.
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::City,
        Role::County,
        Role::Park,
        Role::Department,
        Role::Enterprise,
        Role::Auditor,
        Role::Public,
    ];

    /// The role's name on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::City => "city",
            Role::County => "county",
            Role::Park => "park",
            Role::Department => "department",
            Role::Enterprise => "enterprise",
            Role::Auditor => "auditor",
            Role::Public => "public",
        }
    }

    /// The role's name in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "市局管理员",
            Role::City => "市局",
            Role::County => "县（市、区）政府",
            Role::Park => "园区管委会",
            Role::Department => "数据报送部门",
            Role::Enterprise => "企业",
            Role::Auditor => "审计",
            Role::Public => "公众",
        }
    }

    /// Parses an account role by its command-line name (`public` is not an account role).
    pub fn parse(s: &str) -> DomainResult<Self> {
        Self::ACCOUNT_ROLES
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ACCOUNT_ROLES.iter().map(|r| r.as_str()).collect();
                DomainError::field(
                    "role",
                    Some(s),
                    format!("unknown role; one of {}", names.join(", ")),
                    format!("未知角色；可选：{}", names.join("、")),
                )
            })
    }

    /// The kind of scope an account of this role must have.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::Admin | Role::City | Role::Auditor | Role::Public => ScopeKind::All,
            Role::County => ScopeKind::County,
            Role::Park => ScopeKind::Park,
            Role::Department => ScopeKind::Department,
            Role::Enterprise => ScopeKind::Enterprise,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a [`Scope`], without its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// The whole city.
    All,
    /// One county.
    County,
    /// One park.
    Park,
    /// One department's data.
    Department,
    /// One enterprise.
    Enterprise,
}

impl ScopeKind {
    /// The kind's name in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::All => "all",
            ScopeKind::County => "county",
            ScopeKind::Park => "park",
            ScopeKind::Department => "department",
            ScopeKind::Enterprise => "enterprise",
        }
    }
}

/// Where a principal's powers apply.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Scope {
    /// The whole city.
    All,
    /// One county (GB/T 2260 code).
    County(AdminCode),
    /// One park.
    Park(ParkId),
    /// One department (e.g. `tax`, `power`).
    Department(String),
    /// One enterprise (统一社会信用代码).
    Enterprise(Uscc),
}

impl Scope {
    /// The scope's kind.
    pub fn kind(&self) -> ScopeKind {
        match self {
            Scope::All => ScopeKind::All,
            Scope::County(_) => ScopeKind::County,
            Scope::Park(_) => ScopeKind::Park,
            Scope::Department(_) => ScopeKind::Department,
            Scope::Enterprise(_) => ScopeKind::Enterprise,
        }
    }

    /// The scope's value as stored (`None` for the whole city).
    pub fn value(&self) -> Option<&str> {
        match self {
            Scope::All => None,
            Scope::County(c) => Some(c.as_str()),
            Scope::Park(p) => Some(p.as_str()),
            Scope::Department(d) => Some(d),
            Scope::Enterprise(u) => Some(u.as_str()),
        }
    }

    /// Rebuilds a scope from its stored kind and value.
    pub fn from_parts(kind: &str, value: Option<&str>) -> DomainResult<Self> {
        let need = |field: &str| {
            value.filter(|v| !v.trim().is_empty()).ok_or_else(|| {
                DomainError::field(
                    field,
                    None,
                    format!("a {kind} scope needs a value"),
                    "该辖区类型须给出取值",
                )
            })
        };
        match kind {
            "all" => Ok(Scope::All),
            "county" => Ok(Scope::County(AdminCode::parse(need("jurisdiction")?)?)),
            "park" => Ok(Scope::Park(ParkId::parse(need("park")?)?)),
            "department" => Ok(Scope::Department(department(need("department")?)?)),
            "enterprise" => Ok(Scope::Enterprise(Uscc::parse(need("enterprise")?)?)),
            other => Err(DomainError::field(
                "scope",
                Some(other),
                "unknown scope kind (all, county, park, department, enterprise)",
                "未知的辖区类型",
            )),
        }
    }

    /// Whether `t` lies within this scope (see the module documentation).
    pub fn contains(&self, t: &Target) -> bool {
        match self {
            Scope::All => true,
            Scope::County(c) => {
                t.jurisdiction.as_ref() == Some(c) || t.park_jurisdiction.as_ref() == Some(c)
            }
            Scope::Park(p) => t.park.as_ref() == Some(p),
            Scope::Department(d) => t.department.as_deref() == Some(d.as_str()),
            Scope::Enterprise(u) => t.enterprise.as_ref() == Some(u),
        }
    }
}

/// Validates a department name: 1–40 characters of `a-z`, `0-9`, `-` and `_`.
pub fn department(s: &str) -> DomainResult<String> {
    let ok = (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(DomainError::field(
            "department",
            Some(s),
            "must be 1–40 characters of a-z, 0-9, '-' and '_' (e.g. tax)",
            "部门名称应为1—40位小写字母、数字、“-”或“_”（如 tax）",
        ))
    }
}

/// Who is acting: a signed-in user (or the public) with a role and a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    /// The user name (empty for the public).
    pub user: String,
    /// The role.
    pub role: Role,
    /// Where the role's powers apply.
    pub scope: Scope,
    /// True when signed in with a read-only token: every write is refused.
    pub read_only: bool,
}

impl Principal {
    /// A principal, checking that the scope fits the role (a county user has a county scope…).
    pub fn new(user: impl Into<String>, role: Role, scope: Scope) -> DomainResult<Self> {
        if role == Role::Public {
            return Err(DomainError::field(
                "role",
                Some("public"),
                "the public is not an account role",
                "“公众”不是账户角色",
            ));
        }
        if role.scope_kind() != scope.kind() {
            return Err(DomainError::field(
                "scope",
                scope.value(),
                format!(
                    "a {role} account needs a {} scope, not {}",
                    role.scope_kind().as_str(),
                    scope.kind().as_str()
                ),
                format!(
                    "“{}”账户的辖区类型应为 {}，而非 {}",
                    role.label_zh(),
                    role.scope_kind().as_str(),
                    scope.kind().as_str()
                ),
            ));
        }
        Ok(Self {
            user: user.into(),
            role,
            scope,
            read_only: false,
        })
    }

    /// The public: no account.
    pub fn public() -> Self {
        Self {
            user: String::new(),
            role: Role::Public,
            scope: Scope::All,
            read_only: true,
        }
    }

    /// The same principal, limited to reads (a read-only token).
    #[must_use]
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// True for the public.
    pub fn is_public(&self) -> bool {
        self.role == Role::Public
    }
}

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
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 13] = [
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
        (Role::Admin, ReadAudit, Anywhere),
        (Role::Admin, ManageUsers, Anywhere),
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
        // 县（市、区）政府: its county.
        (Role::County, ReadPublic, Anywhere),
        (Role::County, SignIn, Anywhere),
        (Role::County, OwnSession, Anywhere),
        (Role::County, ReadRegistry, InScope),
        (Role::County, DownloadAttachment, InScope),
        (Role::County, WriteRegistry, InScope),
        (Role::County, ReadEnterprise, InScope),
        (Role::County, WriteEnterprise, InScope),
        // 园区管委会: its park.
        (Role::Park, ReadPublic, Anywhere),
        (Role::Park, SignIn, Anywhere),
        (Role::Park, OwnSession, Anywhere),
        (Role::Park, ReadRegistry, InScope),
        (Role::Park, DownloadAttachment, InScope),
        (Role::Park, WriteRegistry, InScope),
        (Role::Park, ReadEnterprise, InScope),
        (Role::Park, WriteEnterprise, InScope),
        // 数据报送部门: its own uploads; reads elsewhere.
        (Role::Department, ReadPublic, Anywhere),
        (Role::Department, SignIn, Anywhere),
        (Role::Department, OwnSession, Anywhere),
        (Role::Department, ReadRegistry, Anywhere),
        (Role::Department, ReadEnterprise, Anywhere),
        (Role::Department, UploadDepartmentData, InScope),
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const USCC: &str = "914403001922038216";

    fn code(s: &str) -> AdminCode {
        AdminCode::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }
    fn park(s: &str) -> ParkId {
        ParkId::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }
    fn uscc() -> Uscc {
        Uscc::parse(USCC).unwrap_or_else(|e| panic!("{e}"))
    }

    fn principal(role: Role) -> Principal {
        let scope = match role.scope_kind() {
            ScopeKind::All => Scope::All,
            ScopeKind::County => Scope::County(code("411002")),
            ScopeKind::Park => Scope::Park(park("weidu")),
            ScopeKind::Department => Scope::Department("tax".into()),
            ScopeKind::Enterprise => Scope::Enterprise(uscc()),
        };
        if role == Role::Public {
            Principal::public()
        } else {
            Principal::new(role.as_str(), role, scope).unwrap_or_else(|e| panic!("{e}"))
        }
    }

    /// A parcel in park weidu (county 411002) used by the test enterprise, with tax data.
    fn inside() -> Target {
        Target {
            jurisdiction: Some(code("411002")),
            park: Some(park("weidu")),
            park_jurisdiction: Some(code("411002")),
            enterprise: Some(uscc()),
            department: Some("tax".into()),
        }
    }

    /// A parcel elsewhere in another county, of nobody the scoped principals know.
    fn outside() -> Target {
        Target {
            jurisdiction: Some(code("411081")),
            park: Some(park("yuzhou")),
            park_jurisdiction: Some(code("411081")),
            enterprise: None,
            department: Some("power".into()),
        }
    }

    #[test]
    fn role_names_round_trip_and_public_is_no_account_role() {
        for r in Role::ACCOUNT_ROLES {
            assert_eq!(Role::parse(r.as_str()).ok(), Some(r));
        }
        assert!(Role::parse("public").is_err());
        assert!(Role::parse("root").is_err());
        assert!(Principal::new("x", Role::Public, Scope::All).is_err());
    }

    #[test]
    fn a_scope_must_fit_its_role() {
        assert!(Principal::new("c", Role::County, Scope::All).is_err());
        assert!(Principal::new("c", Role::City, Scope::County(code("411002"))).is_err());
        assert!(Principal::new("p", Role::Park, Scope::Park(park("weidu"))).is_ok());
        assert!(Principal::new("e", Role::Enterprise, Scope::Department("tax".into())).is_err());
    }

    #[test]
    fn scopes_round_trip_through_their_stored_parts() {
        for r in Role::ACCOUNT_ROLES {
            let s = principal(r).scope;
            let back = Scope::from_parts(s.kind().as_str(), s.value());
            assert_eq!(back.ok(), Some(s));
        }
        assert!(Scope::from_parts("county", None).is_err());
        assert!(Scope::from_parts("county", Some("12")).is_err());
        assert!(Scope::from_parts("galaxy", Some("x")).is_err());
        assert!(Scope::from_parts("department", Some("Tax Office")).is_err());
    }

    #[test]
    fn county_scope_contains_its_parcels_and_parks_in_it() {
        let county = Scope::County(code("411002"));
        let by_jurisdiction = Target {
            jurisdiction: Some(code("411002")),
            ..Target::default()
        };
        let by_park = Target {
            jurisdiction: Some(code("411071")),
            park: Some(park("weidu")),
            park_jurisdiction: Some(code("411002")),
            ..Target::default()
        };
        assert!(county.contains(&by_jurisdiction));
        assert!(county.contains(&by_park));
        assert!(!county.contains(&outside()));
        assert!(Scope::Park(park("weidu")).contains(&by_park));
        assert!(!Scope::Park(park("weidu")).contains(&by_jurisdiction));
        assert!(Scope::Enterprise(uscc()).contains(&inside()));
        assert!(!Scope::Enterprise(uscc()).contains(&outside()));
    }

    /// The whole matrix, written out: every role × action × inside/outside.
    #[test]
    fn the_matrix_as_expected() {
        use Action::*;
        // (role, actions allowed anywhere, actions allowed inside only)
        let expect: &[(Role, &[Action], &[Action])] = &[
            (Role::Public, &[ReadPublic, SignIn], &[]),
            (
                Role::Admin,
                &[
                    ReadPublic,
                    SignIn,
                    OwnSession,
                    ReadRegistry,
                    DownloadAttachment,
                    ReadActivity,
                    WriteRegistry,
                    ReadEnterprise,
                    WriteEnterprise,
                    UploadDepartmentData,
                    ReadAudit,
                    ManageUsers,
                ],
                &[],
            ),
            (
                Role::City,
                &[
                    ReadPublic,
                    SignIn,
                    OwnSession,
                    ReadRegistry,
                    DownloadAttachment,
                    ReadActivity,
                    WriteRegistry,
                    ReadEnterprise,
                    WriteEnterprise,
                    UploadDepartmentData,
                ],
                &[],
            ),
            (
                Role::County,
                &[ReadPublic, SignIn, OwnSession],
                &[
                    ReadRegistry,
                    DownloadAttachment,
                    WriteRegistry,
                    ReadEnterprise,
                    WriteEnterprise,
                ],
            ),
            (
                Role::Park,
                &[ReadPublic, SignIn, OwnSession],
                &[
                    ReadRegistry,
                    DownloadAttachment,
                    WriteRegistry,
                    ReadEnterprise,
                    WriteEnterprise,
                ],
            ),
            (
                Role::Department,
                &[ReadPublic, SignIn, OwnSession, ReadRegistry, ReadEnterprise],
                &[UploadDepartmentData],
            ),
            (
                Role::Enterprise,
                &[ReadPublic, SignIn, OwnSession],
                &[
                    ReadRegistry,
                    DownloadAttachment,
                    ReadEnterprise,
                    SubmitReport,
                ],
            ),
            (
                Role::Auditor,
                &[
                    ReadPublic,
                    SignIn,
                    OwnSession,
                    ReadRegistry,
                    DownloadAttachment,
                    ReadActivity,
                    ReadEnterprise,
                    ReadAudit,
                ],
                &[],
            ),
        ];
        assert_eq!(expect.len(), Role::ALL.len());
        for (role, anywhere, inside_only) in expect {
            let p = principal(*role);
            for a in Action::ALL {
                let (want_in, want_out) = if anywhere.contains(&a) {
                    (true, true)
                } else if inside_only.contains(&a) {
                    (true, false)
                } else {
                    (false, false)
                };
                assert_eq!(
                    decide(&p, a, &inside()).is_allowed(),
                    want_in,
                    "{role} {a} inside"
                );
                assert_eq!(
                    decide(&p, a, &outside()).is_allowed(),
                    want_out,
                    "{role} {a} outside"
                );
                // The coarse check allows whatever the role may do somewhere.
                assert_eq!(
                    decide(&p, a, &Target::anywhere()).is_allowed(),
                    want_in,
                    "{role} {a} coarse"
                );
            }
        }
    }

    #[test]
    fn denials_say_forbidden_or_out_of_scope_in_both_languages() {
        let Decision::Deny(d) = decide(&principal(Role::Auditor), Action::WriteRegistry, &inside())
        else {
            panic!("auditor wrote")
        };
        assert!(!d.out_of_scope);
        assert!(d.reason_en.contains("auditor") && d.reason_zh.contains("审计"));
        let Decision::Deny(d) = decide(&principal(Role::Park), Action::ReadRegistry, &outside())
        else {
            panic!("park read outside")
        };
        assert!(d.out_of_scope);
        assert!(!d.reason_zh.is_empty());
    }

    #[test]
    fn the_table_has_no_duplicate_rows() {
        for (i, (r, a, _)) in ROLE_TABLE.iter().enumerate() {
            assert!(
                !ROLE_TABLE[i + 1..]
                    .iter()
                    .any(|(r2, a2, _)| r2 == r && a2 == a),
                "{r} {a} listed twice"
            );
        }
    }

    fn any_role() -> impl Strategy<Value = Role> {
        proptest::sample::select(Role::ALL.to_vec())
    }
    fn any_action() -> impl Strategy<Value = Action> {
        proptest::sample::select(Action::ALL.to_vec())
    }
    fn any_target() -> impl Strategy<Value = Target> {
        let codes = proptest::sample::select(vec!["411002", "411081", "411071", "410100"]);
        let parks = proptest::sample::select(vec!["weidu", "yuzhou", "changge"]);
        let depts = proptest::sample::select(vec!["tax", "power"]);
        (
            proptest::option::of(codes.clone()),
            proptest::option::of(parks),
            proptest::option::of(codes),
            any::<bool>(),
            proptest::option::of(depts),
        )
            .prop_map(|(j, p, pj, e, d)| Target {
                jurisdiction: j.map(code),
                park: p.map(park),
                park_jurisdiction: pj.map(code),
                enterprise: e.then(uscc),
                department: d.map(str::to_owned),
            })
    }

    proptest! {
        #[test]
        fn the_auditor_never_writes(a in any_action(), t in any_target()) {
            if a.is_write() {
                prop_assert!(!decide(&principal(Role::Auditor), a, &t).is_allowed());
            }
        }

        #[test]
        fn the_public_only_reads_what_is_published(a in any_action(), t in any_target()) {
            let allowed = decide(&Principal::public(), a, &t).is_allowed();
            prop_assert_eq!(allowed, matches!(a, Action::ReadPublic | Action::SignIn));
        }

        #[test]
        fn read_only_credentials_never_write(r in any_role(), a in any_action(), t in any_target()) {
            let p = principal(r).read_only();
            if a.is_write() {
                prop_assert!(!decide(&p, a, &t).is_allowed());
            }
        }

        #[test]
        fn scoped_roles_never_reach_outside_their_scope(r in any_role(), a in any_action(), t in any_target()) {
            let p = principal(r);
            if decide(&p, a, &t).is_allowed() && !t.is_anywhere() {
                prop_assert!(
                    p.scope.contains(&t) || rule_for(r, a) == Some(ScopeRule::Anywhere),
                    "{} {} reached {:?}", r, a, t
                );
            }
        }

        #[test]
        fn only_the_admin_manages_users_and_only_admin_and_auditor_read_the_audit(r in any_role(), t in any_target()) {
            let p = principal(r);
            prop_assert_eq!(decide(&p, Action::ManageUsers, &t).is_allowed(), r == Role::Admin);
            prop_assert_eq!(
                decide(&p, Action::ReadAudit, &t).is_allowed(),
                matches!(r, Role::Admin | Role::Auditor)
            );
        }
    }
}
