//! Stub: being built.

use crate::api::*;
use crate::{Actor, Site};

pub fn list(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<TargetGroup>, ApiError> {
    Err(super::not_built("target_groups::list"))
}

pub fn create(_site: &Site, _actor: &Actor, _args: CreateTargetGroupArgs) -> Result<TargetGroup, ApiError> {
    Err(super::not_built("target_groups::create"))
}

pub fn update(_site: &Site, _actor: &Actor, _args: UpdateTargetGroupArgs) -> Result<TargetGroup, ApiError> {
    Err(super::not_built("target_groups::update"))
}

pub fn delete(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<NoArgs, ApiError> {
    Err(super::not_built("target_groups::delete"))
}

pub fn list_computers(_site: &Site, _actor: &Actor, _args: ListComputersArgs) -> Result<Vec<Computer>, ApiError> {
    Err(super::not_built("target_groups::list_computers"))
}

pub fn add_members(_site: &Site, _actor: &Actor, _args: GroupMembersArgs) -> Result<NoArgs, ApiError> {
    Err(super::not_built("target_groups::add_members"))
}

pub fn remove_members(_site: &Site, _actor: &Actor, _args: GroupMembersArgs) -> Result<NoArgs, ApiError> {
    Err(super::not_built("target_groups::remove_members"))
}
