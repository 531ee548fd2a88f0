//! RFC 9457 problem details: every error response of the API, built in one place.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use landcycle_domain::{DomainError, FieldError};
use landcycle_store::StoreError;
use serde::Serialize;

/// A problem+json body.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// Every invalid field (with row or feature where relevant).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// An API error; converts to a problem+json response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// Input failed validation (422).
    #[error("validation failed")]
    Invalid(Vec<FieldError>),
    /// Malformed request: syntax, unknown parameter values (400).
    #[error("{0}")]
    BadRequest(String, Vec<FieldError>),
    /// No credentials, or credentials that are not (or no longer) valid (401, with
    /// `WWW-Authenticate: Bearer`).
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but the role may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// Not found (404).
    #[error("{0}")]
    NotFound(String),
    /// The path exists but not with this method (405, with `Allow`: the methods it has).
    #[error("method not allowed; allowed: {0}")]
    MethodNotAllowed(String),
    /// The record changed meanwhile, or contradicts stored state (409).
    #[error("{0}")]
    Conflict(String),
    /// `If-Match` did not match the current ETag (412).
    #[error("{0}")]
    PreconditionFailed(String),
    /// The body is too large (413).
    #[error("{0}")]
    TooLarge(String),
    /// Too many attempts; retry after the given seconds (429).
    #[error("{0}")]
    TooManyRequests(String, u64),
    /// A resource the server needs is missing on this machine (503), e.g. no CJK font for
    /// the parcel card; the detail says what to install.
    #[error("{0}")]
    Unavailable(String),
    /// Anything else; the detail is logged, never sent (500).
    #[error("internal error")]
    Internal(String),
}

/// Result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A 400 naming one field.
    pub fn bad_field(
        field: &str,
        value: Option<&str>,
        reason: impl Into<String>,
        reason_zh: impl Into<String>,
    ) -> Self {
        let f = FieldError::new(field, value, reason, reason_zh);
        Self::BadRequest(f.to_string(), vec![f])
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => Self::Invalid(v),
            StoreError::NotFound { entity, id } => {
                Self::NotFound(format!("{entity} {id} not found"))
            }
            StoreError::Conflict(m) => Self::Conflict(m),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        StoreError::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut extra: Option<(header::HeaderName, HeaderValue)> = None;
        let (status, slug, title, detail, errors) = match self {
            Self::Invalid(errors) => {
                let detail = errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    "Invalid input / 输入数据有误",
                    detail,
                    errors,
                )
            }
            Self::BadRequest(d, errors) => (
                StatusCode::BAD_REQUEST,
                "bad-request",
                "Bad request / 请求格式错误",
                d,
                errors,
            ),
            Self::Unauthorized(d) => {
                extra = Some((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"landcycle\""),
                ));
                (
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "Sign-in required / 请先登录",
                    d,
                    vec![],
                )
            }
            Self::Forbidden(d) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden / 无权操作",
                d,
                vec![],
            ),
            Self::TooManyRequests(d, secs) => {
                extra = HeaderValue::from_str(&secs.to_string())
                    .ok()
                    .map(|v| (header::RETRY_AFTER, v));
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    "too-many-requests",
                    "Too many attempts / 尝试次数过多",
                    d,
                    vec![],
                )
            }
            Self::NotFound(d) => (
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found / 未找到",
                d,
                vec![],
            ),
            Self::MethodNotAllowed(allow) => {
                let detail = format!("this path answers {allow} only");
                extra = HeaderValue::from_str(&allow)
                    .ok()
                    .map(|v| (header::ALLOW, v));
                (
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method-not-allowed",
                    "Method not allowed / 不支持该请求方法",
                    detail,
                    vec![],
                )
            }
            Self::Conflict(d) => (
                StatusCode::CONFLICT,
                "conflict",
                "Conflict / 数据冲突",
                d,
                vec![],
            ),
            Self::PreconditionFailed(d) => (
                StatusCode::PRECONDITION_FAILED,
                "precondition-failed",
                "Precondition failed / 数据已被修改",
                d,
                vec![],
            ),
            Self::TooLarge(d) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Payload too large / 内容过大",
                d,
                vec![],
            ),
            Self::Unavailable(d) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable / 服务暂不可用",
                d,
                vec![],
            ),
            Self::Internal(d) => {
                tracing::error!(error = %d, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error / 服务器内部错误",
                    "the server could not complete the request; it has been logged".to_owned(),
                    vec![],
                )
            }
        };
        let body = Problem {
            type_: format!("/problems/{slug}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            errors,
        };
        let mut resp = (status, axum::Json(body)).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some((k, v)) = extra {
            resp.headers_mut().insert(k, v);
        }
        resp
    }
}
