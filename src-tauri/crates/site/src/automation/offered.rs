//! Product categories and classifications offered to computers (APR-4).

use crate::api::*;
use crate::{Actor, Site};

pub fn get(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<OfferedCategories, ApiError> {
    Err(ApiError::new(
        ErrorCode::Unavailable,
        "Offered categories are not built yet.",
    ))
}
pub fn set(_site: &Site, _actor: &Actor, _args: OfferedCategories) -> Result<OfferedCategories, ApiError> {
    Err(ApiError::new(
        ErrorCode::Unavailable,
        "Offered categories are not built yet.",
    ))
}
