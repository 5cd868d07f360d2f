//! Stub: being built.

use crate::api::*;
use crate::{Actor, Site};

pub fn decline(_site: &Site, _actor: &Actor, _args: UpdateIdsArgs) -> Result<DeclineReport, ApiError> {
    Err(super::not_built("library::decline"))
}

pub fn list_searches(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<SavedSearch>, ApiError> {
    Err(super::not_built("library::list_searches"))
}

pub fn save_search(_site: &Site, _actor: &Actor, _args: SaveSearchArgs) -> Result<SavedSearch, ApiError> {
    Err(super::not_built("library::save_search"))
}

pub fn delete_search(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<NoArgs, ApiError> {
    Err(super::not_built("library::delete_search"))
}
