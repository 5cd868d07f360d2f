//! The Software Library overview (APR-3): what needs the administrator's attention.
//!
//! Each item counts what its link's view shows, with the same filter, so following the link
//! finds exactly the items counted.

use rusqlite::Connection;

use crate::admin::plural;
use crate::catalog::queries::DEPLOYED_SET;
use crate::clock;
use crate::handle::{Actor, Site};
use crate::security::scope::ScopeView;
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
    // A scoped administrator's overview: the catalog and sync as everyone's, computers,
    // rules and deployments of their collections only.
    let view = ScopeView::of(site, actor)?;
    let (to_approve, managed, mut failed) = {
        let c = site.store().reader();
        let managed: i64 = match &view {
            None => c.query_row("SELECT count(*) FROM computers", [], |r| r.get(0))?,
            Some(v) => c.query_row(
                "SELECT count(DISTINCT computer_id) FROM computer_group_members
                 WHERE group_id IN (SELECT value FROM json_each(?1))",
                [v.groups_json()],
                |r| r.get(0),
            )?,
        };
        (
            to_approve(&c)?,
            managed,
            crate::automation::adr::failed_runs(&c, true, i64::MAX)?,
        )
    };
    let status = crate::sync::status(site, actor, NoArgs {})?;
    let last_sync = status.running.or_else(|| status.history.into_iter().next());
    let mut alerts = crate::admin::deployments::below_alert(site, actor, &now)?;
    if let Some(v) = &view {
        failed.retain(|r| v.holds_adr(r.rule_id));
        alerts.retain(|d| v.holds_group(d.target_group_id));
    }

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

/// What each workspace's Overview counts: (workspace, kind, title, what it is, SQL, link).
const WORKSPACE_COUNTS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "assets",
        "computers",
        "Devices",
        "Computers that report to this site.",
        "SELECT count(*) FROM computers",
        "assets/assets.devices",
    ),
    (
        "assets",
        "collections",
        "Device Collections",
        "Target groups that hold computers.",
        "SELECT count(*) FROM target_groups",
        "assets/assets.collections",
    ),
    (
        "library",
        "updates",
        "All Software Updates",
        "Updates this site lists.",
        "SELECT count(*) FROM updates WHERE listed = 1",
        "library/library.allUpdates",
    ),
    (
        "library",
        "updateGroups",
        "Software Update Groups",
        "Sets of updates deployed together.",
        "SELECT count(*) FROM update_groups",
        "library/library.updateGroups",
    ),
    (
        "library",
        "packages",
        "Deployment Packages",
        "Update files downloaded for deployment.",
        "SELECT count(*) FROM packages",
        "library/library.deploymentPackages",
    ),
    (
        "library",
        "adrs",
        "Automatic Deployment Rules",
        "Rules that approve and deploy new updates.",
        "SELECT count(*) FROM adr_rules",
        "library/library.adrs",
    ),
    (
        "monitoring",
        "syncRuns",
        "Synchronization runs",
        "Synchronizations recorded.",
        "SELECT count(*) FROM sync_runs",
        LINK_SYNC,
    ),
    (
        "monitoring",
        "deployments",
        "Deployments",
        "Updates deployed to collections.",
        "SELECT count(*) FROM assignments WHERE kind = 'Deployment'",
        LINK_DEPLOYMENTS,
    ),
    (
        "monitoring",
        "ruleRuns",
        "Automatic Deployment Rule Runs",
        "Runs of the automatic deployment rules.",
        "SELECT count(*) FROM adr_runs",
        "monitoring/monitoring.ruleRuns",
    ),
    (
        "monitoring",
        "audit",
        "Audit Log",
        "Administrator actions recorded.",
        "SELECT count(*) FROM audit_log",
        "monitoring/monitoring.audit",
    ),
    (
        "administration",
        "childSites",
        "Sites",
        "Child sites told to synchronize after this one.",
        "SELECT count(*) FROM child_sites",
        "administration/administration.sites",
    ),
    (
        "administration",
        "distributionPoints",
        "Distribution Points",
        "Where computers download update files.",
        "SELECT count(*) FROM distribution_points",
        "administration/administration.distributionPoints",
    ),
    (
        "administration",
        "agentPolicies",
        "Update Agent Policy",
        "Windows Update Agent settings deployed to groups.",
        "SELECT count(*) FROM agent_policies",
        "administration/administration.agentPolicy",
    ),
    (
        "administration",
        "approvalRules",
        "Auto-approval Rules",
        "Rules that approve updates as they arrive.",
        "SELECT count(*) FROM approval_rules",
        "administration/administration.autoApproval",
    ),
];

/// A workspace Overview's count for a scoped administrator: what their collections hold, the
/// catalog's and the site's shared lists as everyone's, `None` for a node they cannot open.
fn scoped_count(site: &Site, c: &Connection, v: &ScopeView, kind: &str) -> Result<Option<i64>, ApiError> {
    let groups = v.groups_json();
    let count = |sql: &str, arg: &str| c.query_row(sql, [arg], |r| r.get::<_, i64>(0));
    Ok(Some(match kind {
        "computers" => count(
            "SELECT count(DISTINCT computer_id) FROM computer_group_members WHERE group_id IN (SELECT value FROM json_each(?1))",
            &groups,
        )?,
        "collections" => count("SELECT json_array_length(?1)", &groups)?,
        "deployments" => count(
            "SELECT count(*) FROM assignments WHERE kind = 'Deployment' AND target_group_id IN (SELECT value FROM json_each(?1))",
            &groups,
        )?,
        "adrs" => count("SELECT json_array_length(?1)", &v.adrs_json())?,
        "ruleRuns" => count(
            "SELECT count(*) FROM adr_runs WHERE rule_id IN (SELECT value FROM json_each(?1))",
            &v.adrs_json(),
        )?,
        "agentPolicies" => count(
            "SELECT count(DISTINCT policy_id) FROM agent_policy_groups WHERE group_id IN (SELECT value FROM json_each(?1))",
            &groups,
        )?,
        "approvalRules" => v.approval_rules(site)?,
        "audit" => return Ok(None),
        _ => {
            let sql = WORKSPACE_COUNTS.iter().find(|r| r.1 == kind).map(|r| r.4).unwrap_or("SELECT 0");
            c.query_row(sql, [], |r| r.get(0))?
        }
    }))
}

/// A workspace's Overview: how many of each thing its nodes hold, each linking to its node.
pub fn workspace(site: &Site, actor: &Actor, args: WorkspaceOverviewArgs) -> Result<Vec<OverviewItem>, ApiError> {
    let rows: Vec<_> = WORKSPACE_COUNTS.iter().filter(|r| r.0 == args.workspace).collect();
    if rows.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!(
                "'{}' is not a workspace: use assets, library, monitoring or administration.",
                args.workspace
            ),
        ));
    }
    let view = ScopeView::of(site, actor)?;
    let c = site.store().reader();
    let mut out = Vec::new();
    for (_, kind, title, what, sql, link) in rows {
        let count: i64 = match &view {
            None => c.query_row(sql, [], |r| r.get(0))?,
            Some(v) => match scoped_count(site, &c, v, kind)? {
                Some(n) => n,
                // What a scoped administrator cannot open is not counted for them.
                None => continue,
            },
        };
        out.push(OverviewItem {
            kind: (*kind).into(),
            title: (*title).into(),
            detail: (*what).into(),
            count,
            link: (*link).into(),
        });
    }
    Ok(out)
}
