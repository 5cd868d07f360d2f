//! Stub: being built.

use crate::api::*;
use crate::{Actor, Site};

pub fn effective(_site: &Site, _actor: &Actor, _args: EffectivePolicyArgs) -> Result<EffectivePolicy, ApiError> {
    Err(super::not_built("policy::effective"))
}
