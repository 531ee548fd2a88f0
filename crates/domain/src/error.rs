//! Errors of the domain core. Each carries what a user needs to fix the input: the field, the
//! value and the reason, in English and Chinese.

use serde::Serialize;

/// One invalid field of an input record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Field name as used in the API (`uscc`, `code`, `geometry` …).
    pub field: String,
    /// The offending value, as given (shortened if long).
    pub value: Option<String>,
    /// Why it is invalid, in English.
    pub reason: String,
    /// Why it is invalid, in Chinese (原因).
    pub reason_zh: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(
        field: impl Into<String>,
        value: Option<&str>,
        reason: impl Into<String>,
        reason_zh: impl Into<String>,
    ) -> Self {
        let value = value.map(|v| {
            if v.chars().count() > 80 {
                let mut s: String = v.chars().take(77).collect();
                s.push('…');
                s
            } else {
                v.to_owned()
            }
        });
        Self {
            field: field.into(),
            value,
            reason: reason.into(),
            reason_zh: reason_zh.into(),
        }
    }

    /// The same error re-homed under a parent field (`supply.uscc`).
    #[must_use]
    pub fn nested(mut self, parent: &str) -> Self {
        self.field = format!("{parent}.{}", self.field);
        self
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            Some(v) => write!(
                f,
                "{}: {} (value {v:?}; {})",
                self.field, self.reason, self.reason_zh
            ),
            None => write!(f, "{}: {} ({})", self.field, self.reason, self.reason_zh),
        }
    }
}

/// Errors of the domain core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    /// One or more fields of an input are invalid.
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// A state transition is not allowed from the current state.
    #[error("transition from {from} to {to} is not allowed: {reason}")]
    IllegalTransition {
        /// Current state.
        from: String,
        /// Requested state.
        to: String,
        /// Why not.
        reason: String,
    },
}

impl DomainError {
    /// A single-field validation error.
    pub fn field(
        field: impl Into<String>,
        value: Option<&str>,
        reason: impl Into<String>,
        reason_zh: impl Into<String>,
    ) -> Self {
        Self::Invalid(vec![FieldError::new(field, value, reason, reason_zh)])
    }

    /// The field errors, if this is a validation error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(v) => v,
            Self::IllegalTransition { .. } => &[],
        }
    }
}

/// Result type of the domain core.
pub type DomainResult<T> = Result<T, DomainError>;

/// Collects field errors across a record so a user sees all of them at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds one error.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    /// Records the error of `r`, if any, and returns its value.
    pub fn take<T>(&mut self, r: DomainResult<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(DomainError::Invalid(v)) => {
                self.0.extend(v);
                None
            }
            Err(e) => {
                self.0
                    .push(FieldError::new("", None, e.to_string(), e.to_string()));
                None
            }
        }
    }
    /// Ok when nothing was recorded.
    pub fn finish(self) -> DomainResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}
