//! `SyncUpdates`: what a computer is offered, one page at a time, walked as WSUS walks it.
//!
//! The client sends the revisions it found installed among the non-leaf updates it was
//! given (categories, detectoids) and every other revision it holds. A page offers, in the
//! graph's order, the updates it does not hold whose every prerequisite group has an
//! installed member; the client evaluates them, and its next call sends what it found, which
//! opens the next level. So a first scan starts at the roots (scan/000006-8) and a later one
//! that holds everything gets an empty page.
//!
//! Each offered update carries a deployment: the computer's effective policy
//! (`admin::policy`) says Install (Required or Available) or Uninstall; Do not install and
//! declined updates are never offered; an update the policy says nothing about is offered for
//! detection only, as WSUS offers unapproved updates (`PreDeploymentCheck`), so that the
//! client reports whether it needs it; a bundle's members go as `Bundle`, categories and
//! detectoids as `Evaluate` (flow/000001-13). Only what the offered categories hold is
//! offered for detection (APR-4); an approved update is offered to the computers its approval
//! names even when the site does not hold its product. An install a computer did once for all
//! (`once.rs`) is not asked of it again: `PreDeploymentCheck` for that computer.
//!
//! When a page completes the scan (not truncated) the computer's `last_scan_utc` moves on;
//! if an administrator changed anything since its previous scan, the revisions it holds are
//! sent again with their current deployment (`ChangedUpdates`), and those it may no longer
//! hold as `OutOfScopeRevisionIDs`.

use std::collections::{HashMap, HashSet};

use rusqlite::OptionalExtension;
use wsus::wusp::{Deployment, DeploymentAction, SyncInfo, SyncUpdateParameters, UpdateInfo};

use super::graph::{Graph, GraphCache, Kind, Node};
use super::once;
use super::ClientFault;
use crate::clock;
use crate::handle::{Actor, Site};
use crate::wire::{ApprovalAction, EffectivePolicyArgs};

/// Updates per page. The captured WSUS sends 30 and sets `Truncated` (flow/000003, 000012).
pub const PAGE_SIZE: usize = 30;

/// The computer a session cookie names, with when it last completed a scan.
pub(super) struct Scanner {
    pub computer_id: i64,
    pub last_scan_utc: Option<String>,
}

pub(super) fn scanner(site: &Site, client_id: &str) -> Result<Option<Scanner>, ClientFault> {
    site.store()
        .reader()
        .query_row(
            "SELECT computer_id, last_scan_utc FROM computers WHERE client_id = ?1",
            [client_id],
            |r| {
                Ok(Scanner {
                    computer_id: r.get(0)?,
                    last_scan_utc: r.get(1)?,
                })
            },
        )
        .optional()
        .map_err(ClientFault::internal)
}

/// The page for `scanner`. `new_cookie` is filled in by the caller.
pub(super) fn page(site: &Site, scanner: &Scanner, p: &SyncUpdateParameters) -> Result<SyncInfo, ClientFault> {
    let empty = |driver_sync_not_needed| SyncInfo {
        new_updates: Vec::new(),
        out_of_scope_revision_ids: Vec::new(),
        changed_updates: Vec::new(),
        truncated: false,
        new_cookie: wsus::wusp::Cookie {
            expiration: String::new(),
            encrypted_data: String::new(),
        },
        driver_sync_not_needed,
    };
    if p.skip_software_sync {
        // The driver pass: this site offers no drivers (flow/000014 answers the same).
        return Ok(empty(Some(true)));
    }
    let graph = site
        .state::<GraphCache>()
        .current(site)
        .map_err(ClientFault::internal)?;
    let policy = Policy::of(site, scanner.computer_id)?;
    let done = if graph.any_installs_once {
        once::installed_by(&site.store().reader(), scanner.computer_id).map_err(ClientFault::internal)?
    } else {
        HashMap::new()
    };
    let today = clock::now_utc().get(..10).unwrap_or_default().to_string();

    let installed = graph.nodes_of(&p.installed_non_leaf_update_ids);
    let held: HashSet<i32> = p
        .installed_non_leaf_update_ids
        .iter()
        .chain(&p.other_cached_update_ids)
        .copied()
        .collect();
    let filter = graph.filtered(&p.filter_category_ids);

    let mut info = empty(Some(true));
    let mut more = false;
    for (i, node) in graph.nodes.iter().enumerate() {
        if held.contains(&node.rev_id) {
            continue;
        }
        let asked = match &filter {
            Some(f) if !f.contains(&(i as u32)) => continue,
            Some(_) => true,
            None => false,
        };
        // The categories a filtered scan names (and what they depend on) are evaluated
        // whatever they hold (scan/000006-8 walks Microsoft › Windows › the product).
        let action = match policy.offered(node) {
            None if asked && node.kind == Kind::NonSoftware => DeploymentAction::Evaluate,
            None => continue,
            Some(a) => once::action(node, &done, a),
        };
        if !node.prerequisites_met(&installed) {
            continue;
        }
        if info.new_updates.len() == PAGE_SIZE {
            more = true;
            break;
        }
        info.new_updates
            .push(update_info(site, node, action, &policy, &today).map_err(ClientFault::internal)?);
    }
    info.truncated = more;
    if more {
        return Ok(info);
    }

    // The scan is complete: resend what changed since the previous one. An install done once
    // for all since then is such a change for this computer alone.
    let installed_since = |rev: &i32| {
        done.get(rev).is_some_and(|at| {
            scanner
                .last_scan_utc
                .as_deref()
                .is_none_or(|since| at.as_str() >= since)
        })
    };
    if policy.changed_since(site, &graph, scanner.last_scan_utc.as_deref())? || held.iter().any(installed_since) {
        let c = site.store().reader();
        let mut stored = c
            .prepare_cached("SELECT 1 FROM revisions WHERE rev_pk = ?1")
            .map_err(ClientFault::internal)?;
        for rev in &held {
            let Some(&i) = graph.by_rev.get(rev) else {
                // Ours but no longer offerable (declined, expired, a replaced revision); a
                // revision id this site never issued is left to its owner.
                if stored.exists([rev]).map_err(ClientFault::internal)? {
                    info.out_of_scope_revision_ids.push(*rev);
                }
                continue;
            };
            let node = &graph.nodes[i as usize];
            match policy.offered(node).map(|a| once::action(node, &done, a)) {
                Some(action) if node.kind != Kind::NonSoftware => info
                    .changed_updates
                    .push(update_info(site, node, action, &policy, &today).map_err(ClientFault::internal)?),
                Some(_) => {}
                None => info.out_of_scope_revision_ids.push(*rev),
            }
        }
        drop(stored);
        drop(c);
        info.changed_updates.sort_by_key(|u| u.id);
        info.out_of_scope_revision_ids.sort_unstable();
    }
    let now = clock::now_utc();
    let installed_text = p
        .installed_non_leaf_update_ids
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    site.store()
        .writer()
        .execute(
            "UPDATE computers SET last_scan_utc = ?2, last_seen_utc = ?2, scan_installed_non_leaf = ?3
             WHERE computer_id = ?1",
            rusqlite::params![scanner.computer_id, now, installed_text],
        )
        .map_err(ClientFault::internal)?;
    Ok(info)
}

fn update_info(
    site: &Site,
    node: &Node,
    action: DeploymentAction,
    policy: &Policy,
    today: &str,
) -> Result<UpdateInfo, String> {
    // An install done once for all (`once.rs`) is sent as no approval would be: detection
    // only, its own deployment, no deadline.
    let decided = policy
        .decided
        .get(&*node.update_id)
        .filter(|_| action != DeploymentAction::PreDeploymentCheck);
    let deployment_id = decided
        .and_then(|d| d.deployment_id)
        .and_then(|d| i32::try_from(d).ok())
        .unwrap_or(node.rev_id);
    // Required installs itself by its deadline; Available is offered to the computer's
    // users only ([MS-WUSP] 2.2.2.2.4: IsAssigned false). What no approval covers stays as
    // the lab WSUS sends it (assigned, no deadline).
    let (is_assigned, deadline) = match (decided.map(|d| d.action), &action) {
        (Some(ApprovalAction::Available), DeploymentAction::Install) => (false, None),
        (Some(ApprovalAction::Required | ApprovalAction::Uninstall), _) => {
            (true, decided.and_then(|d| d.deadline_utc.clone()))
        }
        _ => (true, None),
    };
    Ok(UpdateInfo {
        id: node.rev_id,
        deployment: Deployment {
            id: deployment_id,
            action,
            deadline,
            is_assigned,
            last_change_time: today.to_string(),
            auto_select: 0,
            auto_download: 0,
            supersedence_behavior: 0,
        },
        is_leaf: node.is_leaf,
        xml: super::fragments::of_node(site, node)?.core.clone(),
    })
}

/// The software updates a computer whose installed non-leaf revisions are `installed`
/// (graph indexes) is offered on a complete scan, unfiltered.
pub(super) fn offered_software<'g>(
    graph: &'g Graph,
    policy: &'g Policy,
    installed: &'g HashSet<u32>,
) -> impl Iterator<Item = &'g Node> + 'g {
    graph
        .nodes
        .iter()
        .filter(move |n| n.kind != Kind::NonSoftware && policy.offered(n).is_some() && n.prerequisites_met(installed))
}

/// The effective policy of one computer, by UpdateID.
pub(super) struct Policy {
    decided: HashMap<String, Decided>,
}

struct Decided {
    action: ApprovalAction,
    deployment_id: Option<i64>,
    deadline_utc: Option<String>,
}

impl Policy {
    pub(super) fn of(site: &Site, computer_id: i64) -> Result<Policy, ClientFault> {
        let effective = crate::admin::policy::effective(
            site,
            &Actor::new("client"),
            EffectivePolicyArgs {
                computer_id: Some(computer_id),
                ..Default::default()
            },
        )
        .map_err(ClientFault::internal)?;
        Ok(Policy {
            decided: effective
                .updates
                .into_iter()
                .map(|u| {
                    (
                        u.update_id,
                        Decided {
                            action: u.action,
                            deployment_id: u.deployment_id,
                            deadline_utc: u.deadline_utc,
                        },
                    )
                })
                .collect(),
        })
    }

    /// The deployment action `node` is offered with, or `None` when it is not offered
    /// (prerequisites aside).
    fn offered(&self, node: &Node) -> Option<DeploymentAction> {
        if node.kind == Kind::NonSoftware {
            return node.in_scope.then_some(DeploymentAction::Evaluate);
        }
        if node.bundled_only {
            // Installed as part of its bundle, never on its own (flow/000003: `Bundle`).
            return node.in_scope.then_some(DeploymentAction::Bundle);
        }
        match self.decided.get(&*node.update_id).map(|d| d.action) {
            Some(ApprovalAction::Required | ApprovalAction::Available) => Some(DeploymentAction::Install),
            Some(ApprovalAction::Uninstall) => Some(DeploymentAction::Uninstall),
            Some(ApprovalAction::DoNotInstall) => None,
            // Detection only, within the offered categories: WSUS's action for an update no
            // approval covers (flow/000012: the bundles not approved).
            None => node.in_scope.then_some(DeploymentAction::PreDeploymentCheck),
        }
    }

    /// Whether anything that decides offers changed after `since`: an administrator's
    /// action (every one is audited) or a deployment whose available time has come.
    fn changed_since(&self, site: &Site, graph: &Graph, since: Option<&str>) -> Result<bool, ClientFault> {
        let Some(since) = since else { return Ok(false) };
        // Same millisecond counts as after: sending a deployment again costs little, missing
        // one leaves a computer on an old decision until the next change.
        if graph.last_admin_change_utc.as_deref().is_some_and(|t| t >= since) {
            return Ok(true);
        }
        site.store()
            .reader()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM assignments WHERE available_utc >= ?1 AND available_utc <= ?2)",
                [since, &clock::now_utc()],
                |r| r.get(0),
            )
            .map_err(ClientFault::internal)
    }
}
