//! The Software Library overview (APR-3): what needs the administrator's attention.
//!
//! Each item counts what its link's view shows, with the same filter, so following the link
//! finds exactly the items counted.

use rusqlite::Connection;

use crate::admin::plural;
use crate::catalog::queries::DEPLOYED_SET;
use crate::clock;
use crate::handle::{Actor, Site};
use crate::wire::*;

pub const LINK_TO_APPROVE: &str = "library/library.allUpdates?minRequired=0&deployed=false";
pub const LINK_FAILED_RULES: &str = "monitoring/monitoring.ruleRuns?state=Failed";
pub const LINK_DEPLOYMENTS: &str = "monitoring/monitoring.deployments";
pub const LINK_SYNC: &str = "monitoring/monitoring.supSync";

/// Required updates outside the grid's `deployed` set: the count the link's view shows.
fn to_approve(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row(
        &format!(
            "SELECT count(*) FROM updates WHERE listed = 1 AND required_count > 0 AND upd_pk NOT IN ({DEPLOYED_SET})"
        ),
        [],
        |r| r.get(0),
    )
}

pub fn library(site: &Site, actor: &Actor, _args: NoArgs) -> Result<LibraryOverview, ApiError> {
    let now = clock::now_utc();
    let (to_approve, managed, failed) = {
        let c = site.store().reader();
        let managed: i64 = c.query_row("SELECT count(*) FROM computers", [], |r| r.get(0))?;
        (
            to_approve(&c)?,
            managed,
            crate::automation::adr::failed_runs(&c, true, i64::MAX)?,
        )
    };
    let status = crate::sync::status(site, actor, NoArgs {})?;
    let last_sync = status.running.or_else(|| status.history.into_iter().next());
    let alerts = crate::admin::deployments::below_alert(site, actor, &now)?;

    let mut items = Vec::new();
    // APR-3: only when some managed computer needs an update nobody approved yet.
    if managed > 0 && to_approve > 0 {
        items.push(OverviewItem {
            kind: "newUpdatesToApprove".into(),
            title: "New updates to approve".into(),
            detail: format!(
                "{} required by managed computers and not approved or deployed to any group.",
                plural(to_approve, "update is", "updates are")
            ),
            count: to_approve,
            link: LINK_TO_APPROVE.into(),
        });
    }
    if !failed.is_empty() {
        let names: Vec<String> = failed.iter().map(|r| r.rule_name.clone()).collect();
        items.push(OverviewItem {
            kind: "failedRules".into(),
            title: "Automatic deployment rules failed".into(),
            detail: format!(
                "The last run of {} failed: {}.",
                plural(failed.len() as i64, "rule", "rules"),
                crate::admin::some_of(&names)
            ),
            count: failed.len() as i64,
            link: LINK_FAILED_RULES.into(),
        });
    }
    if !alerts.is_empty() {
        let names: Vec<String> = alerts.iter().map(|d| d.name.clone()).collect();
        items.push(OverviewItem {
            kind: "deploymentsBelowAlert".into(),
            title: "Deployments below their compliance alert".into(),
            detail: format!(
                "{} below the compliance set for their alert: {}.",
                plural(alerts.len() as i64, "deployment is", "deployments are"),
                crate::admin::some_of(&names)
            ),
            count: alerts.len() as i64,
            link: LINK_DEPLOYMENTS.into(),
        });
    }
    if let Some(s) = last_sync.as_ref().filter(|s| s.state == SyncState::Failed) {
        items.push(OverviewItem {
            kind: "syncFailed".into(),
            title: "The last synchronization failed".into(),
            detail: format!(
                "The synchronization started {} failed: {}",
                s.started_utc,
                s.error.as_deref().unwrap_or("no reason was recorded.")
            ),
            count: 1,
            link: LINK_SYNC.into(),
        });
    }
    Ok(LibraryOverview {
        new_updates_to_approve: to_approve,
        last_sync,
        failed_rules: failed,
        deployments_below_alert: alerts,
        items,
        managed_computers: managed,
    })
}
