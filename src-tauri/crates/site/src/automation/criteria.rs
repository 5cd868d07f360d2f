//! The rule engine: which updates a RuleCriteria selects at an evaluation time.

use crate::api::{ApiError, ErrorCode, PreviewCriteriaArgs, RulePreview};
use crate::{Actor, Site};

pub fn preview(_site: &Site, _actor: &Actor, _args: PreviewCriteriaArgs) -> Result<RulePreview, ApiError> {
    Err(ApiError::new(
        ErrorCode::Unavailable,
        "Rule previews are not built yet.",
    ))
}
