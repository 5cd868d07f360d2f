//! Stub: being built.

use crate::api::*;
use crate::{Actor, Site};

pub fn approve(_site: &Site, _actor: &Actor, _args: ApproveArgs) -> Result<ApproveReport, ApiError> {
    Err(super::not_built("approvals::approve"))
}

pub fn remove(_site: &Site, _actor: &Actor, _args: RemoveApprovalsArgs) -> Result<NoArgs, ApiError> {
    Err(super::not_built("approvals::remove"))
}

pub fn list(_site: &Site, _actor: &Actor, _args: ListApprovalsArgs) -> Result<Vec<ApprovalInfo>, ApiError> {
    Err(super::not_built("approvals::list"))
}
