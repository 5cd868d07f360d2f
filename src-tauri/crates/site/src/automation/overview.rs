//! The Software Library overview (APR-3): what needs the administrator's attention.

use crate::api::*;
use crate::{Actor, Site};

pub fn library(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<LibraryOverview, ApiError> {
    Err(ApiError::new(ErrorCode::Unavailable, "The overview is not built yet."))
}
