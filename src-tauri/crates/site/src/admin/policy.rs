//! Effective policy: what one computer gets, from the approvals and deployments of its
//! target groups. This is the answer clients will receive, so it is computed from an
//! in-memory snapshot (the tree and every assignment by group), rebuilt lazily when an
//! admin write or an import has moved the site's change generation.
//!
//! # Rules
//!
//! * **Along one chain** (a group, its parent, ... up to All Computers) the nearest level
//!   that says anything about an update decides it. An explicit child approval overrides its
//!   parent's, whatever the actions: a child's Do not install stops an inherited Required,
//!   and an inherited Uninstall or Do not install reaches every descendant that says nothing.
//!   Deployments count as assignments of their target group (through the members of their
//!   software update group), only while enabled and once their available time has come.
//! * **Across chains** (a computer in several groups) the results combine by precedence
//!   Required > Available > Uninstall > Do not install, then the earliest deadline among
//!   the winners. Why this order: membership in one more group should never take away an
//!   installation another group requires (Configuration Manager installs whatever any
//!   collection requires; WSUS approvals of a computer in several groups combine the same
//!   way, install over remove over not approved). Available still beats the negative actions
//!   because offering an update harms nothing; Uninstall beats Do not install because it is
//!   the explicit, stronger instruction. The earliest deadline is the one the administrator
//!   who cares most asked for; a later one would break their promise.
//!   Two assignments of one group for the same update (an approval and a deployment, or two
//!   deployments) combine the same way.
//! * **Declined updates** are skipped: a decline removes approvals, and an update group
//!   keeps its declined members, but no client is offered them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::{not_found, validation, Tree, ROOT_GROUP};
use crate::handle::{Actor, Site};
use crate::wire::*;

#[derive(Clone)]
struct Rule {
    update: u32,
    action: ApprovalAction,
    deadline: Option<Arc<str>>,
    /// A deployment whose available time is still ahead is not policy yet.
    available: Option<Arc<str>>,
    deployment: Option<i64>,
}

/// Everything the policy reads, by dense index.
struct Snapshot {
    generation: u64,
    index: HashMap<i64, usize>,
    group_ids: Vec<i64>,
    parent: Vec<Option<usize>>,
    paths: Vec<String>,
    rules: Vec<Vec<Rule>>,
    /// (UpdateID, title), in title order, so answers come out sorted for free.
    updates: Vec<(String, String)>,
}

/// The snapshot of one site, shared by every caller until it goes stale.
#[derive(Default)]
pub struct PolicyCache {
    snapshot: Mutex<Option<Arc<Snapshot>>>,
}

fn rank(a: ApprovalAction) -> u8 {
    match a {
        ApprovalAction::Required => 3,
        ApprovalAction::Available => 2,
        ApprovalAction::Uninstall => 1,
        ApprovalAction::DoNotInstall => 0,
    }
}

/// True when `new` beats `old` by the precedence rule (module docs).
fn beats(new: &Rule, old: &Rule) -> bool {
    match rank(new.action).cmp(&rank(old.action)) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => match (&new.deadline, &old.deadline) {
            (Some(n), Some(o)) => n < o,
            (Some(_), None) => true,
            _ => false,
        },
    }
}

impl Snapshot {
    fn build(c: &Connection, generation: u64) -> rusqlite::Result<Self> {
        let tree = Tree::load(c)?;
        let mut group_ids: Vec<i64> = tree.groups.keys().copied().collect();
        group_ids.sort_unstable();
        let index: HashMap<i64, usize> = group_ids.iter().enumerate().map(|(i, g)| (*g, i)).collect();
        let parent = group_ids
            .iter()
            .map(|g| tree.parent(*g).and_then(|p| index.get(&p).copied()))
            .collect();
        let paths = group_ids.iter().map(|g| tree.path(*g)).collect();

        type Raw = (
            usize,
            i64,
            ApprovalAction,
            Option<Arc<str>>,
            Option<Arc<str>>,
            Option<i64>,
        );
        let mut raw: Vec<Raw> = Vec::new();
        let mut read = |sql: &str, deployment: bool| -> rusqlite::Result<()> {
            let mut stmt = c.prepare_cached(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let group: i64 = r.get(0)?;
                let Some(&g) = index.get(&group) else { continue };
                let deadline: Option<String> = r.get(3)?;
                let available: Option<String> = r.get(4)?;
                raw.push((
                    g,
                    r.get(1)?,
                    super::approvals::parse_action(&r.get::<_, String>(2)?),
                    deadline.map(Arc::from),
                    available.map(Arc::from),
                    if deployment { Some(r.get(5)?) } else { None },
                ));
            }
            Ok(())
        };
        read(
            "SELECT a.target_group_id, a.upd_pk, a.action, a.deadline_utc, NULL FROM assignments a
             JOIN updates u ON u.upd_pk = a.upd_pk
             WHERE a.kind = 'Approval' AND a.enabled = 1 AND u.declined = 0",
            false,
        )?;
        read(
            "SELECT a.target_group_id, m.upd_pk, a.action, a.deadline_utc, a.available_utc, a.assignment_id FROM assignments a
             JOIN update_group_members m ON m.group_id = a.update_group_id
             JOIN updates u ON u.upd_pk = m.upd_pk
             WHERE a.kind = 'Deployment' AND a.enabled = 1 AND u.declined = 0",
            true,
        )?;

        let mut pks: Vec<i64> = raw.iter().map(|r| r.1).collect();
        pks.sort_unstable();
        pks.dedup();
        let mut titled: Vec<(String, String, i64)> = Vec::with_capacity(pks.len());
        {
            let mut stmt = c.prepare_cached("SELECT update_id, title FROM updates WHERE upd_pk = ?1")?;
            for pk in &pks {
                let (id, title) = stmt.query_row([pk], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
                titled.push((title, id, *pk));
            }
        }
        titled.sort();
        let dense: HashMap<i64, u32> = titled.iter().enumerate().map(|(i, t)| (t.2, i as u32)).collect();
        let mut rules: Vec<Vec<Rule>> = vec![Vec::new(); group_ids.len()];
        for (g, pk, action, deadline, available, deployment) in raw {
            if let Some(&update) = dense.get(&pk) {
                rules[g].push(Rule {
                    update,
                    action,
                    deadline,
                    available,
                    deployment,
                });
            }
        }
        Ok(Self {
            generation,
            index,
            group_ids,
            parent,
            paths,
            rules,
            updates: titled.into_iter().map(|(title, id, _)| (id, title)).collect(),
        })
    }

    /// The policy at `now` (UTC text, as stored) for a computer that is a member of
    /// `groups` (dense indexes).
    fn resolve(&self, groups: &[usize], now: &str) -> Vec<EffectiveUpdate> {
        let n = self.updates.len();
        // Per update: the chain (1-based) and level that decided it in the current chain.
        let mut decided: Vec<(u32, u32)> = vec![(0, 0); n];
        // Per update: the winner so far across chains, with the group that gave it.
        let mut best: Vec<Option<(Rule, usize)>> = vec![None; n];
        // Per update, within the current chain.
        let mut current: Vec<Option<(Rule, usize)>> = vec![None; n];
        let mut touched: Vec<u32> = Vec::new();
        for (chain_no, start) in groups.iter().enumerate() {
            let stamp = chain_no as u32 + 1;
            touched.clear();
            let mut at = Some(*start);
            let mut level = 0u32;
            let mut steps = 0;
            while let Some(g) = at {
                for rule in &self.rules[g] {
                    // Not yet available: as if it did not exist, so the chain reads on.
                    if rule.available.as_deref().is_some_and(|a| a > now) {
                        continue;
                    }
                    let u = rule.update as usize;
                    let (s, l) = decided[u];
                    if s == stamp && l < level {
                        continue; // a nearer level already decided this update
                    }
                    let replace = match &current[u] {
                        Some((old, _)) if s == stamp => beats(rule, old),
                        _ => true,
                    };
                    if s != stamp {
                        touched.push(rule.update);
                    }
                    decided[u] = (stamp, level);
                    if replace {
                        current[u] = Some((rule.clone(), g));
                    }
                }
                at = self.parent[g];
                level += 1;
                steps += 1;
                if steps > self.parent.len() {
                    break; // a cycle the commands never create: stop rather than loop
                }
            }
            for &u in &touched {
                let u = u as usize;
                if let Some((rule, g)) = current[u].take() {
                    let replace = match &best[u] {
                        Some((old, _)) => beats(&rule, old),
                        None => true,
                    };
                    if replace {
                        best[u] = Some((rule, g));
                    }
                }
            }
        }
        best.into_iter()
            .enumerate()
            .filter_map(|(u, b)| {
                let (rule, g) = b?;
                let (id, title) = &self.updates[u];
                Some(EffectiveUpdate {
                    update_id: id.clone(),
                    title: title.clone(),
                    action: rule.action,
                    deadline_utc: rule.deadline.as_deref().map(str::to_owned),
                    source_group_id: self.group_ids[g],
                    source_group_path: self.paths[g].clone(),
                    deployment_id: rule.deployment,
                })
            })
            .collect()
    }
}

impl PolicyCache {
    fn current(&self, site: &Site) -> Result<Arc<Snapshot>, ApiError> {
        let generation = site.state::<crate::catalog::list_cache::ListCache>().generation();
        let mut slot = self.snapshot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = slot.as_ref().filter(|s| s.generation == generation) {
            return Ok(s.clone());
        }
        let built = Arc::new(Snapshot::build(&site.store().reader(), generation)?);
        *slot = Some(built.clone());
        Ok(built)
    }
}

/// The target groups a managed computer is a member of (All Computers only when written
/// as a membership); refuses a computer the site does not manage.
pub(crate) fn computer_groups(c: &Connection, computer: i64) -> Result<Vec<i64>, ApiError> {
    if !c
        .prepare_cached("SELECT 1 FROM computers WHERE computer_id = ?1")?
        .exists([computer])?
    {
        return Err(not_found(format!("There is no managed computer with id {computer}.")));
    }
    let groups = c
        .prepare_cached("SELECT group_id FROM computer_group_members WHERE computer_id = ?1")?
        .query_map([computer], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(groups)
}

pub fn effective(site: &Site, _actor: &Actor, args: EffectivePolicyArgs) -> Result<EffectivePolicy, ApiError> {
    let group_ids: Vec<i64> = match (args.computer_id, args.group_ids.is_empty()) {
        (Some(_), false) => return Err(validation("Name either a computer or a set of groups, not both.")),
        (None, true) => return Err(validation("Name a computer or at least one target group.")),
        (Some(computer), true) => {
            let mut groups = computer_groups(&site.store().reader(), computer)?;
            // Every computer is in All Computers, member of a subgroup or not.
            if groups.is_empty() {
                groups.push(ROOT_GROUP);
            }
            groups
        }
        (None, false) => args.group_ids,
    };
    let snapshot = site.state::<PolicyCache>().current(site)?;
    let mut dense = Vec::with_capacity(group_ids.len());
    for g in &group_ids {
        match snapshot.index.get(g) {
            Some(i) if !dense.contains(i) => dense.push(*i),
            Some(_) => {}
            None => return Err(not_found(format!("There is no target group with id {g}."))),
        }
    }
    Ok(EffectivePolicy {
        updates: snapshot.resolve(&dense, &crate::clock::now_utc()),
        group_ids,
    })
}
