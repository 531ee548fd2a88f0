//! Errors of the store and the registry.

use landcycle_domain::{DomainError, FieldError};

/// Errors of the store and the registry.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The input is invalid; every problem is listed with its field.
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// The record does not exist (or did not exist on the requested date).
    #[error("{entity} {id} not found")]
    NotFound {
        /// Kind of record.
        entity: &'static str,
        /// Its id.
        id: String,
    },
    /// The record changed since the caller read it (optimistic locking), or the change
    /// contradicts the stored state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The storage engine failed.
    #[error("storage error: {0}")]
    Backend(String),
}

impl StoreError {
    /// A one-field validation error.
    pub fn field(
        field: &str,
        value: Option<&str>,
        reason: impl Into<String>,
        reason_zh: impl Into<String>,
    ) -> Self {
        Self::Invalid(vec![FieldError::new(field, value, reason, reason_zh)])
    }
}

impl From<DomainError> for StoreError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(v) => Self::Invalid(v),
            DomainError::IllegalTransition { from, to, reason } => {
                Self::Invalid(vec![FieldError::new(
                    "status",
                    Some(&to),
                    format!("cannot move from {from} to {to}: {reason}"),
                    format!("不能从“{from}”变更为“{to}”：{reason}"),
                )])
            }
            other => Self::Invalid(vec![FieldError::new(
                "",
                None,
                other.to_string(),
                other.to_string(),
            )]),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Backend(e.to_string())
    }
}

impl From<landcycle_geo::GeoError> for StoreError {
    fn from(e: landcycle_geo::GeoError) -> Self {
        Self::field(
            "geometry",
            None,
            e.to_string(),
            format!("几何数据错误：{e}"),
        )
    }
}

/// Result type of the store.
pub type StoreResult<T> = Result<T, StoreError>;
