//! Managing accounts and API tokens: the operations `landcycle user` / `landcycle token` and
//! `/api/users` / `/api/tokens` share, each recorded in the audit trail with who did it.
//! Secrets are returned once to the caller and stored only as hashes.

use super::{password, secret};
use crate::error::{ApiError, ApiResult};
use jiff::Timestamp;
use landcycle_domain::FieldError;
use landcycle_domain::access::{Principal, Role, Scope};
use landcycle_store::{AccountStore, AuditEntry, Store, Token, TokenAccess, User};

/// A token just made: the stored record and the secret, shown once.
#[derive(Debug)]
pub struct NewToken {
    /// The stored record (the secret's hash only).
    pub token: Token,
    /// The secret to send as `Authorization: Bearer …`.
    pub secret: String,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(e.to_string())
}

fn audit(
    accounts: &dyn AccountStore,
    actor: &str,
    action: &str,
    target: &str,
    detail: serde_json::Value,
) -> ApiResult<()> {
    accounts.append_audit(&AuditEntry {
        at: Timestamp::now(),
        actor: actor.into(),
        action: action.into(),
        target: Some(target.into()),
        outcome: "ok".into(),
        detail,
    })?;
    Ok(())
}

/// Checks that the park or enterprise a scope names exists.
pub fn check_scope(store: &dyn Store, scope: &Scope) -> ApiResult<()> {
    let missing = |what: &str, v: &str, zh: &str| {
        ApiError::Invalid(vec![FieldError::new(
            "scope.value",
            Some(v),
            format!("no {what} {v} in the store"),
            format!("{zh}不存在：{v}"),
        )])
    };
    match scope {
        Scope::Park(p) if store.park(p)?.is_none() => Err(missing("park", p.as_str(), "园区")),
        Scope::Enterprise(u) if store.enterprise(u)?.is_none() => {
            Err(missing("enterprise", u.as_str(), "企业"))
        }
        _ => Ok(()),
    }
}

/// Creates a user with a password (generated when `None`, and then returned).
pub fn create_user(
    accounts: &dyn AccountStore,
    name: &str,
    role: Role,
    scope: Scope,
    given: Option<String>,
    actor: &str,
) -> ApiResult<Option<String>> {
    Principal::new(name, role, scope.clone())?;
    if accounts.user(name)?.is_some() {
        return Err(ApiError::Conflict(format!(
            "user {name} exists already / 用户已存在"
        )));
    }
    let (pw, generated) = match given {
        Some(p) => (p, false),
        None => (secret::new_password().map_err(internal)?, true),
    };
    password::check_strength(&pw).map_err(|e| {
        ApiError::Invalid(vec![FieldError::new(
            "password",
            None,
            e.split(" / ").next().unwrap_or(e),
            e.split(" / ").nth(1).unwrap_or(e),
        )])
    })?;
    accounts.create_user(&User {
        name: name.to_owned(),
        password_hash: Some(password::hash(&pw).map_err(internal)?),
        role,
        scope: scope.clone(),
        created_at: Timestamp::now(),
        disabled: false,
    })?;
    audit(
        accounts,
        actor,
        "user.add",
        name,
        serde_json::json!({"role": role, "scope": scope}),
    )?;
    Ok(generated.then_some(pw))
}

/// Disables a user: no more sign-ins, tokens or sessions.
pub fn disable_user(accounts: &dyn AccountStore, name: &str, actor: &str) -> ApiResult<User> {
    // An admin who disables their own account locks themselves out mid-request; another
    // admin (or the CLI, which acts as `cli`) must do it.
    if name == actor {
        return Err(ApiError::Conflict(format!(
            "{name} cannot disable their own account; another admin must / 不能停用自己的账号，请由其他管理员操作"
        )));
    }
    if accounts.user(name)?.is_none() {
        return Err(ApiError::NotFound(format!("user {name} not found")));
    }
    accounts.disable_user(name)?;
    audit(accounts, actor, "user.disable", name, serde_json::json!({}))?;
    accounts
        .user(name)?
        .ok_or_else(|| ApiError::NotFound(format!("user {name} not found")))
}

/// Makes an API token for an enabled user.
pub fn create_token(
    accounts: &dyn AccountStore,
    user: &str,
    access: TokenAccess,
    expires_at: Option<Timestamp>,
    actor: &str,
) -> ApiResult<NewToken> {
    let u = accounts
        .user(user)?
        .ok_or_else(|| ApiError::NotFound(format!("user {user} not found")))?;
    if u.disabled {
        return Err(ApiError::Conflict(format!(
            "user {user} is disabled / 用户已停用"
        )));
    }
    let secret = secret::new_token().map_err(internal)?;
    let token = Token {
        id: secret::new_token_id().map_err(internal)?,
        user: user.to_owned(),
        token_hash: secret::sha256_hex(&secret),
        access,
        created_at: Timestamp::now(),
        expires_at,
        revoked_at: None,
    };
    accounts.create_token(&token)?;
    audit(
        accounts,
        actor,
        "token.create",
        user,
        serde_json::json!({"id": token.id, "access": access, "expires_at": expires_at}),
    )?;
    Ok(NewToken { token, secret })
}

/// Revokes a token by its public id.
pub fn revoke_token(accounts: &dyn AccountStore, id: &str, actor: &str) -> ApiResult<()> {
    if !accounts.tokens(None)?.iter().any(|t| t.id == id) {
        return Err(ApiError::NotFound(format!("token {id} not found")));
    }
    accounts.revoke_token(id, Timestamp::now())?;
    audit(accounts, actor, "token.revoke", id, serde_json::json!({}))
}
