//! Auto-approval rules (APR-5).

use crate::api::*;
use crate::{Actor, Site};

fn unbuilt<T>() -> Result<T, ApiError> {
    Err(ApiError::new(
        ErrorCode::Unavailable,
        "Auto-approval rules are not built yet.",
    ))
}

pub fn list(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<ApprovalRule>, ApiError> {
    Ok(Vec::new())
}
pub fn create(_site: &Site, _actor: &Actor, _spec: ApprovalRuleSpec) -> Result<ApprovalRule, ApiError> {
    unbuilt()
}
pub fn edit(_site: &Site, _actor: &Actor, _args: EditApprovalRuleArgs) -> Result<ApprovalRule, ApiError> {
    unbuilt()
}
pub fn set_enabled(_site: &Site, _actor: &Actor, _args: EnableArgs) -> Result<ApprovalRule, ApiError> {
    unbuilt()
}
pub fn delete(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<NoArgs, ApiError> {
    unbuilt()
}
pub fn run_selected(
    _site: &Site,
    _actor: &Actor,
    _args: RunApprovalRulesArgs,
) -> Result<ApprovalRuleRunReport, ApiError> {
    unbuilt()
}

/// Applies every enabled rule to the updates that arrived since `since_utc` (and after the
/// rule was created).
pub fn after_sync(_site: &Site, _since_utc: &str) -> Result<ApprovalRuleRunReport, ApiError> {
    Ok(ApprovalRuleRunReport::default())
}
