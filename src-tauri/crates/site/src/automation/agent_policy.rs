//! Update agent policies (POL-1, POL-2).

use crate::api::*;
use crate::{Actor, Site};

fn unbuilt<T>() -> Result<T, ApiError> {
    Err(ApiError::new(
        ErrorCode::Unavailable,
        "Agent policies are not built yet.",
    ))
}

pub fn settings_info(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<PolicySettingInfo>, ApiError> {
    unbuilt()
}
pub fn validate(_site: &Site, _actor: &Actor, _spec: AgentPolicySpec) -> Result<Vec<FieldIssue>, ApiError> {
    unbuilt()
}
pub fn list(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<AgentPolicy>, ApiError> {
    Ok(Vec::new())
}
pub fn create(_site: &Site, _actor: &Actor, _spec: AgentPolicySpec) -> Result<AgentPolicy, ApiError> {
    unbuilt()
}
pub fn edit(_site: &Site, _actor: &Actor, _args: EditAgentPolicyArgs) -> Result<AgentPolicy, ApiError> {
    unbuilt()
}
pub fn delete(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<NoArgs, ApiError> {
    unbuilt()
}
pub fn effective(_site: &Site, _actor: &Actor, _args: EffectivePolicyArgs) -> Result<EffectiveAgentPolicy, ApiError> {
    unbuilt()
}
