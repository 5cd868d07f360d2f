//! Stub: being built.

use crate::api::*;
use crate::{Actor, Site};

pub fn list(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<UpdateGroupInfo>, ApiError> {
    Err(super::not_built("update_groups::list"))
}

pub fn get(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<UpdateGroupDetails, ApiError> {
    Err(super::not_built("update_groups::get"))
}

pub fn create(_site: &Site, _actor: &Actor, _args: CreateUpdateGroupArgs) -> Result<UpdateGroupInfo, ApiError> {
    Err(super::not_built("update_groups::create"))
}

pub fn edit(_site: &Site, _actor: &Actor, _args: EditUpdateGroupArgs) -> Result<UpdateGroupInfo, ApiError> {
    Err(super::not_built("update_groups::edit"))
}

pub fn delete(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<NoArgs, ApiError> {
    Err(super::not_built("update_groups::delete"))
}
