//! Automatic deployment rules (ADR-1..5).

use crate::api::*;
use crate::{Actor, Site};

fn unbuilt<T>() -> Result<T, ApiError> {
    Err(ApiError::new(
        ErrorCode::Unavailable,
        "Automatic deployment rules are not built yet.",
    ))
}

pub fn validate(_site: &Site, _actor: &Actor, _spec: AdrSpec) -> Result<Vec<FieldIssue>, ApiError> {
    unbuilt()
}
pub fn list(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<AutomaticDeploymentRule>, ApiError> {
    Ok(Vec::new())
}
pub fn get(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<AutomaticDeploymentRule, ApiError> {
    unbuilt()
}
pub fn create(_site: &Site, _actor: &Actor, _spec: AdrSpec) -> Result<AutomaticDeploymentRule, ApiError> {
    unbuilt()
}
pub fn edit(_site: &Site, _actor: &Actor, _args: EditAdrArgs) -> Result<AutomaticDeploymentRule, ApiError> {
    unbuilt()
}
pub fn set_enabled(_site: &Site, _actor: &Actor, _args: EnableArgs) -> Result<AutomaticDeploymentRule, ApiError> {
    unbuilt()
}
pub fn delete(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<NoArgs, ApiError> {
    unbuilt()
}
pub fn run_now(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<AdrRunInfo, ApiError> {
    unbuilt()
}
pub fn list_runs(_site: &Site, _actor: &Actor, _args: ListAdrRunsArgs) -> Result<Vec<AdrRunInfo>, ApiError> {
    Ok(Vec::new())
}
pub fn run_log(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<Vec<RuleRunLogEntry>, ApiError> {
    unbuilt()
}

/// Rules evaluated "after every sync" run now.
pub fn after_sync(_site: &Site) {}

/// Rules whose scheduled evaluation is due at `now` run.
pub fn run_due(_site: &Site, _now: time::OffsetDateTime) {}
