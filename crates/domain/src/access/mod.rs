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

mod action;
mod table;

pub use action::{Action, Target};
pub use table::{Decision, Denial, ROLE_TABLE, ScopeRule, decide, rule_for};

#[cfg(test)]
mod tests;
