//! The rule engine: which updates a RuleCriteria selects at an evaluation time.

use rusqlite::Connection;
use time::OffsetDateTime;

use crate::api::{ApiError, ErrorCode, FieldIssue, PreviewCriteriaArgs, RuleCriteria, RulePreview};
use crate::{Actor, Site};

/// The updates (upd_pk) a rule selects at `now`: listed, never declined, newest release
/// first. (Interim: ignores every criterion; the engine replaces it.)
pub fn select(c: &Connection, _criteria: &RuleCriteria, _now: OffsetDateTime) -> Result<Vec<i64>, ApiError> {
    let mut stmt = c.prepare("SELECT upd_pk FROM updates WHERE listed = 1 ORDER BY creation_date DESC, upd_pk")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
}

/// Problems with criteria, for the wizard page that holds them (fields "criteria.<name>").
pub fn validate(_criteria: &RuleCriteria) -> Vec<FieldIssue> {
    Vec::new()
}

pub fn preview(_site: &Site, _actor: &Actor, _args: PreviewCriteriaArgs) -> Result<RulePreview, ApiError> {
    Err(ApiError::new(ErrorCode::Unavailable, "Rule previews are not built yet."))
}
