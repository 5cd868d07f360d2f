//! Stub: being built.

use crate::api::*;
use crate::{Actor, Site};

pub fn validate(_site: &Site, _actor: &Actor, _args: DeploymentSpec) -> Result<Vec<FieldIssue>, ApiError> {
    Err(super::not_built("deployments::validate"))
}

pub fn create(_site: &Site, _actor: &Actor, _args: DeploymentSpec) -> Result<Deployment, ApiError> {
    Err(super::not_built("deployments::create"))
}

pub fn list(_site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<Deployment>, ApiError> {
    Err(super::not_built("deployments::list"))
}

pub fn edit(_site: &Site, _actor: &Actor, _args: EditDeploymentArgs) -> Result<Deployment, ApiError> {
    Err(super::not_built("deployments::edit"))
}

pub fn set_enabled(_site: &Site, _actor: &Actor, _args: EnableArgs) -> Result<Deployment, ApiError> {
    Err(super::not_built("deployments::set_enabled"))
}

pub fn delete(_site: &Site, _actor: &Actor, _args: IdArgs) -> Result<NoArgs, ApiError> {
    Err(super::not_built("deployments::delete"))
}
