//! The error every command returns (a stable code the UI branches on, and a message
//! written for an administrator), and the field issues wizards show beside their fields.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Stable error codes; the UI branches on these, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ErrorCode {
    NotFound,
    Validation,
    Conflict,
    Unauthorized,
    Forbidden,
    Unavailable,
    Internal,
}

/// The error every command returns, written for an administrator.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

/// A problem with one wizard field, for the page that holds it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct FieldIssue {
    /// The field's name in DeploymentSpec / DeploymentSettings (camelCase), e.g. "deadlineUtc".
    pub field: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!(error = %e, "database error");
        let damaged = matches!(
            &e,
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
        );
        if damaged {
            ApiError::new(
                ErrorCode::Unavailable,
                format!(
                    "The site database is damaged ({e}). Stop Patchdeck and restore the site folder from a backup."
                ),
            )
        } else {
            ApiError::new(ErrorCode::Internal, format!("The site database failed: {e}"))
        }
    }
}
