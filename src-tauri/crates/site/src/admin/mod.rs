//! Administration: what administrators decide about updates and computers.
//! (Being built for issue 4; every command below answers "not built yet" until its module lands.)

pub mod approvals;
pub mod deployments;
pub mod library;
pub mod policy;
pub mod target_groups;
pub mod update_groups;

use crate::api::{ApiError, ErrorCode};

pub(crate) fn not_built(what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::Unavailable,
        format!("{what} is not built yet in this version of Patchdeck."),
    )
}
