//! Users and API tokens over HTTP, for the city administrator (the same operations as
//! `landcycle user` and `landcycle token`): list, create (a generated password or token secret
//! is shown once, in the answer), disable a user, revoke a token. Every change is audited.

use crate::AppState;
use crate::auth::{Guard, admin};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Params};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{Token, TokenAccess, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    /// Sign-in name.
    pub name: String,
    /// Role (`admin`, `city`, `county`, `park`, `department`, `enterprise`, `auditor`).
    #[schema(value_type = String)]
    pub role: Role,
    /// The role in Chinese.
    pub role_zh: &'static str,
    /// Where the role applies: `{"kind": "all"}`, `{"kind": "park", "value": "weidu"}` …
    #[schema(value_type = Object)]
    pub scope: Scope,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Disabled accounts can neither sign in nor use tokens.
    pub disabled: bool,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        Self {
            name: u.name,
            role_zh: u.role.label_zh(),
            role: u.role,
            scope: u.scope,
            created_at: u.created_at.to_string(),
            disabled: u.disabled,
        }
    }
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UserIn {
    /// Sign-in name: 1–64 of `A-Z a-z 0-9 . _ - @`.
    pub name: String,
    /// Role.
    pub role: String,
    /// Scope (default: the whole city, for the roles that have it).
    #[schema(value_type = Option<Object>)]
    pub scope: Option<Scope>,
    /// A password of 12–256 characters; omitted: one is generated and answered once.
    pub password: Option<String>,
}

/// A created user, with the generated password when there was one.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserCreated {
    /// The user.
    pub user: UserOut,
    /// The generated password, shown this once.
    pub password: Option<String>,
}

/// An API token (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    /// Public id (to revoke it).
    pub id: String,
    /// Owner.
    pub user: String,
    /// `read` or `write`.
    pub access: TokenAccess,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Expires (RFC 3339), never when null.
    pub expires_at: Option<String>,
    /// Revoked (RFC 3339).
    pub revoked_at: Option<String>,
}

impl From<Token> for TokenOut {
    fn from(t: Token) -> Self {
        Self {
            id: t.id,
            user: t.user,
            access: t.access,
            created_at: t.created_at.to_string(),
            expires_at: t.expires_at.map(|x| x.to_string()),
            revoked_at: t.revoked_at.map(|x| x.to_string()),
        }
    }
}

/// A new token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenIn {
    /// The user it acts as.
    pub user: String,
    /// `read` (default) or `write`.
    pub access: Option<TokenAccess>,
    /// Days until it expires (1–3650, default 90); `null` with `never: true` for no expiry.
    pub expires_in_days: Option<u32>,
    /// A token that never expires (for a department's system; revoke it when unused).
    #[serde(default)]
    pub never: bool,
}

/// A created token with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    /// The token.
    pub token: TokenOut,
    /// Send as `Authorization: Bearer SECRET`.
    pub secret: String,
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))?
}

/// Every user.
#[utoipa::path(get, path = "/api/users", tag = "auth",
    responses((status = 200, body = Vec<UserOut>),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn users(State(st): State<AppState>, params: Params) -> ApiResult<Json<Vec<UserOut>>> {
    params.only(&[])?;
    let accounts = st.accounts();
    let users = blocking(move || Ok(accounts.users()?)).await?;
    Ok(Json(users.into_iter().map(UserOut::from).collect()))
}

/// Creates a user; without a password, one is generated and answered once.
#[utoipa::path(post, path = "/api/users", tag = "auth", request_body = UserIn,
    responses((status = 201, body = UserCreated),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_user(
    guard: Guard,
    State(st): State<AppState>,
    JsonBody(b): JsonBody<UserIn>,
) -> ApiResult<(StatusCode, Json<UserCreated>)> {
    let role = Role::parse(&b.role)?;
    let scope = b.scope.unwrap_or(Scope::All);
    landcycle_store::check_user_name(&b.name)?;
    let actor = guard.principal().user.clone();
    let accounts = st.accounts();
    let store = st.registry().clone();
    let (user, password) = blocking(move || {
        admin::check_scope(store.store(), &scope)?;
        let pw = admin::create_user(accounts.as_ref(), &b.name, role, scope, b.password, &actor)?;
        let u = accounts
            .user(&b.name)?
            .ok_or_else(|| ApiError::Internal("user vanished".into()))?;
        Ok((u, pw))
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(UserCreated {
            user: user.into(),
            password,
        }),
    ))
}

/// Disables a user: no more sign-ins, tokens or sessions.
#[utoipa::path(post, path = "/api/users/{name}/disable", tag = "auth",
    params(("name" = String, Path, description = "User name")),
    responses((status = 200, body = UserOut),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "One's own account", body = Problem, content_type = "application/problem+json")))]
pub async fn disable_user(
    guard: Guard,
    State(st): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<UserOut>> {
    let actor = guard.principal().user.clone();
    let accounts = st.accounts();
    let u = blocking(move || admin::disable_user(accounts.as_ref(), &name, &actor)).await?;
    Ok(Json(u.into()))
}

/// API tokens, of one user when `user` is given.
#[utoipa::path(get, path = "/api/tokens", tag = "auth",
    params(("user" = Option<String>, Query, description = "Only this user's tokens")),
    responses((status = 200, body = Vec<TokenOut>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn tokens(State(st): State<AppState>, params: Params) -> ApiResult<Json<Vec<TokenOut>>> {
    params.only(&["user"])?;
    let user = params.get("user").map(str::to_owned);
    let accounts = st.accounts();
    let tokens = blocking(move || Ok(accounts.tokens(user.as_deref())?)).await?;
    Ok(Json(tokens.into_iter().map(TokenOut::from).collect()))
}

/// Makes a token; its secret is answered once.
#[utoipa::path(post, path = "/api/tokens", tag = "auth", request_body = TokenIn,
    responses((status = 201, body = TokenCreated),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_token(
    guard: Guard,
    State(st): State<AppState>,
    JsonBody(b): JsonBody<TokenIn>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    let expires_at = if b.never {
        None
    } else {
        let days = b.expires_in_days.unwrap_or(90);
        if !(1..=3650).contains(&days) {
            return Err(ApiError::Invalid(vec![landcycle_domain::FieldError::new(
                "expires_in_days",
                Some(&days.to_string()),
                "between 1 and 3650 days",
                "有效期应为1—3650天",
            )]));
        }
        Timestamp::now()
            .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
            .ok()
    };
    let actor = guard.principal().user.clone();
    let accounts = st.accounts();
    let access = b.access.unwrap_or(TokenAccess::Read);
    let t = blocking(move || {
        admin::create_token(accounts.as_ref(), &b.user, access, expires_at, &actor)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenCreated {
            token: t.token.into(),
            secret: t.secret,
        }),
    ))
}

/// Revokes a token.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "auth",
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn revoke_token(
    guard: Guard,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let actor = guard.principal().user.clone();
    let accounts = st.accounts();
    blocking(move || admin::revoke_token(accounts.as_ref(), &id, &actor)).await?;
    Ok(StatusCode::NO_CONTENT)
}
