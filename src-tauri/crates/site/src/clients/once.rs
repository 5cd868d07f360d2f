//! "Install once per computer", the Upload Update wizard's default detection (seed 001:
//! "Intune installera toujours le package de mise à jour une seule fois sur chaque ordinateur
//! ciblé"), made true for real agents.
//!
//! Such a revision is published with the never-true `IsInstalled` rule (`lar:False`): nothing
//! on the computer says the installer ran, so a Windows Update Agent evaluates it not
//! installed after every install, and while it holds it as `Install` it would install it
//! again at each cycle. The site is what remembers: when a computer reports a successful
//! install of such a revision (`once_installs`, migration 0016), from then on that computer
//!
//! - is sent the revision as `PreDeploymentCheck`, the action WSUS gives an update it does
//!   not ask a computer to install (flow/000012: bundles 200957 and 200961 beside the one
//!   `Install`): the agent keeps evaluating and reporting it but never installs it. A
//!   computer that still holds it as `Install` gets it again in `ChangedUpdates` at its next
//!   scan, as an approval change would be sent (rather than `OutOfScopeRevisionIDs`, which
//!   makes the agent drop it and be offered it anew at the scan after);
//! - keeps its state Installed: a later status report (event 156) listing it as needed is
//!   what the `lar:False` rule always says, not news.
//!
//! A new revision (Edit) has no row for any computer: it is a new install, offered again.
//! An uninstall the computer reports (222, 224) forgets the row.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, Transaction};
use wsus::publishing::Rule;
use wsus::wusp::DeploymentAction;

use super::graph::Node;
use crate::catalog::import::inflate;

/// Events that say the installer ran and succeeded (WSUS's event table, `tbEvent` namespace
/// 1: "Installation Successful", "…successful and restart required", "Installation succeeded
/// Post Reboot"). 201, "Installation pending", is not one: the install has not run yet.
pub(super) const INSTALL_SUCCEEDED: [i32; 7] = [183, 184, 190, 191, 197, 199, 203];

/// Microsoft's company category: its updates say for themselves whether they are installed.
const MICROSOFT: &str = "56309036-4c77-4dd9-951a-99ee9c246a94";

/// The third-party revisions (`rev_pk`), current in the catalog, whose `IsInstalled` is the
/// never-true rule. Third-party means published at this site, or in a product of a company
/// other than Microsoft: a child site receives a parent's published update with its company
/// and product categories (`publishing/publish.rs`), and its computers must install it once
/// too. Read when the offer graph is built: a handful of updates, each inflated once.
pub(super) fn revisions(c: &Connection) -> rusqlite::Result<HashSet<i64>> {
    let mut stmt = c.prepare(
        "WITH third_party(upd_pk) AS (
             SELECT u.upd_pk FROM third_party_updates t
             JOIN updates u ON u.update_id = t.update_id COLLATE NOCASE
             UNION
             SELECT uc.upd_pk FROM categories company
             JOIN categories product ON product.parent_id = company.category_id COLLATE NOCASE
                                    AND product.kind = 'Product'
             JOIN update_categories uc ON uc.category_id = product.category_id
             WHERE company.kind = 'Company' AND company.category_id <> ?1 COLLATE NOCASE
         )
         SELECT r.rev_pk, r.xml_deflate FROM third_party t
         JOIN updates u ON u.upd_pk = t.upd_pk
         JOIN revisions r ON r.update_id = u.update_id AND r.revision = u.revision",
    )?;
    let mut rows = stmt.query([MICROSOFT])?;
    let mut once = HashSet::new();
    while let Some(r) = rows.next()? {
        let rev_pk: i64 = r.get(0)?;
        let blob: Vec<u8> = r.get(1)?;
        let rule = inflate(&blob)
            .ok()
            .and_then(|xml| wsus::rules::read_applicability(&xml).ok())
            .and_then(|a| a.is_installed);
        match rule {
            Some(Rule::False) => {
                once.insert(rev_pk);
            }
            Some(_) => {}
            None => tracing::warn!(rev_pk, "a published revision's applicability rules could not be read"),
        }
    }
    Ok(once)
}

/// The once-per-computer revisions `computer_id` installed, with when the site learnt it.
pub(super) fn installed_by(c: &Connection, computer_id: i64) -> rusqlite::Result<HashMap<i32, String>> {
    let mut stmt = c.prepare_cached("SELECT rev_pk, installed_utc FROM once_installs WHERE computer_id = ?1")?;
    let rows = stmt.query_map([computer_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (rev, at) = row?;
        if let Ok(rev) = i32::try_from(rev) {
            out.insert(rev, at);
        }
    }
    Ok(out)
}

/// The action `node` is sent with once its computer installed it: what the policy says,
/// except that an install already done is not asked again.
pub(super) fn action(node: &Node, done: &HashMap<i32, String>, policy_action: DeploymentAction) -> DeploymentAction {
    if policy_action == DeploymentAction::Install && node.installs_once && done.contains_key(&node.rev_id) {
        DeploymentAction::PreDeploymentCheck
    } else {
        policy_action
    }
}

/// Records a successful install of `node` by `computer_id`, when the event names its
/// current revision (`revision`, the number the event carries); an event about an older
/// revision records nothing (the current one is still to install).
pub(super) fn record(
    tx: &Transaction,
    computer_id: i64,
    node: &Node,
    revision: i64,
    event_id: i32,
    now: &str,
) -> rusqlite::Result<()> {
    if !node.installs_once {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO once_installs (computer_id, rev_pk, event_id, installed_utc)
         SELECT ?1, rev_pk, ?3, ?4 FROM revisions WHERE rev_pk = ?2 AND revision = ?5
         ON CONFLICT DO NOTHING",
    )?
    .execute(params![computer_id, node.rev_id, event_id, now, revision])?;
    Ok(())
}

/// The computer removed `node`: a later install is a new one.
pub(super) fn forget(tx: &Transaction, computer_id: i64, node: &Node) -> rusqlite::Result<()> {
    if node.installs_once {
        tx.prepare_cached("DELETE FROM once_installs WHERE computer_id = ?1 AND rev_pk = ?2")?
            .execute(params![computer_id, node.rev_id])?;
    }
    Ok(())
}

/// Whether `computer_id` installed `node`'s current revision once and for all.
pub(super) fn done(tx: &Transaction, computer_id: i64, node: &Node) -> rusqlite::Result<bool> {
    if !node.installs_once {
        return Ok(false);
    }
    tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM once_installs WHERE computer_id = ?1 AND rev_pk = ?2)")?
        .query_row(params![computer_id, node.rev_id], |r| r.get(0))
}
