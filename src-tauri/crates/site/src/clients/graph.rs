//! The catalog as clients walk it: every update that can be offered, with its current
//! revision id, its prerequisite groups and whether anything depends on it, in the order
//! pages are filled. Built once per catalog / admin change generation (the same counter
//! the lists and the effective policy follow) and shared by every client call until then,
//! so a scan page never reads the update tables.
//!
//! Revision ids are the site's own (`revisions.rev_pk`): the numbers a client caches and
//! sends back, as WSUS's `RevisionID`s are its own.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use rusqlite::{Connection, OptionalExtension};
use wsus::wusp::fragments::Fragments;

use crate::automation::offered;
use crate::catalog::list_cache::ListCache;
use crate::handle::Site;
use crate::wire::ApiError;

/// What kind of node an update is for the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A category or a detectoid: evaluated by the client, never installed.
    NonSoftware,
    /// A software or driver update.
    Software,
    /// A software update that bundles others.
    Bundle,
}

pub(super) struct Node {
    pub upd_pk: i64,
    pub update_id: Arc<str>,
    pub rev_id: i32,
    pub kind: Kind,
    /// No update in the catalog names it as a prerequisite (WSUS's `IsLeaf`).
    pub is_leaf: bool,
    /// A member of a bundle, not deployable on its own: offered as part of its bundle.
    pub bundled_only: bool,
    /// Each group holds when one of its nodes is installed; every group must hold.
    /// Targets the site does not hold are left out: the site cannot offer them, so it does
    /// not hold the update back for them (the client still evaluates its own copy).
    pub prereqs: Vec<Vec<u32>>,
    /// Offered for detection: software within the offered categories (APR-4) or bundled
    /// by such, and the categories and detectoids those, and every approved update, depend
    /// on. An approved update outside them (its product unknown to the site) is still offered
    /// to the computers its approval names: the administrator asked for it by name.
    pub in_scope: bool,
    /// Its categories, for a scan that filters on categories (`FilterCategoryIds`).
    pub categories: Vec<Arc<str>>,
    /// Published here with "install once per computer" (`once.rs`): its revision's
    /// `IsInstalled` is the never-true rule, so the site remembers who installed it.
    pub installs_once: bool,
    /// The MS-WUSP fragments of its revision, made on first use (`fragments.rs`).
    pub fragments: OnceLock<Arc<Fragments>>,
}

impl Node {
    /// Every prerequisite group has a member among `installed` (graph indexes).
    pub(super) fn prerequisites_met(&self, installed: &HashSet<u32>) -> bool {
        self.prereqs.iter().all(|g| g.iter().any(|t| installed.contains(t)))
    }
}

pub(super) struct Graph {
    generation: u64,
    /// In page order: categories and detectoids from the roots down, then software, bundles
    /// last (a bundle's members reach the client no later than the bundle).
    pub nodes: Vec<Node>,
    pub by_rev: HashMap<i32, u32>,
    pub by_update_id: HashMap<Arc<str>, u32>,
    /// When an administrator (or a rule) last changed anything: every such change is
    /// audited and moves the generation, so it is read with the graph.
    pub last_admin_change_utc: Option<String>,
    /// Whether any node installs once per computer: a site without one skips reading
    /// `once_installs` at every scan.
    pub any_installs_once: bool,
}

/// The graph of one site, rebuilt when stale.
#[derive(Default)]
pub struct GraphCache {
    graph: Mutex<Option<Arc<Graph>>>,
}

impl GraphCache {
    pub(super) fn current(&self, site: &Site) -> Result<Arc<Graph>, ApiError> {
        let generation = site.state::<ListCache>().generation();
        let mut slot = self.graph.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(g) = slot.as_ref().filter(|g| g.generation == generation) {
            return Ok(g.clone());
        }
        let started = std::time::Instant::now();
        let built = Arc::new(Graph::build(&site.store().reader(), generation)?);
        tracing::debug!(
            nodes = built.nodes.len(),
            ms = started.elapsed().as_millis() as u64,
            "client offer graph built"
        );
        *slot = Some(built.clone());
        Ok(built)
    }
}

impl Graph {
    fn build(c: &Connection, generation: u64) -> Result<Graph, ApiError> {
        struct Raw {
            upd_pk: i64,
            update_id: Arc<str>,
            rev_id: i32,
            kind: Kind,
            bundled_only: bool,
        }
        let mut raw: Vec<Raw> = Vec::new();
        {
            // Declined and expired updates are never offered; superseded ones still are
            // (WSUS offers them until declined: a computer may lack the superseding one).
            let mut stmt = c.prepare(
                "SELECT u.upd_pk, u.update_id, r.rev_pk, u.update_type, u.is_bundle, u.bundled_only FROM updates u
                 JOIN revisions r ON r.update_id = u.update_id AND r.revision = u.revision
                 WHERE u.declined = 0 AND u.publication_state <> 'Expired'
                 ORDER BY u.upd_pk",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let Ok(rev_id) = i32::try_from(r.get::<_, i64>(2)?) else {
                    continue; // beyond what the protocol's int can name
                };
                let update_type: String = r.get(3)?;
                let kind = match (update_type.as_str(), r.get::<_, bool>(4)?) {
                    ("Software" | "Driver", true) => Kind::Bundle,
                    ("Software" | "Driver", false) => Kind::Software,
                    _ => Kind::NonSoftware,
                };
                raw.push(Raw {
                    upd_pk: r.get(0)?,
                    update_id: Arc::from(r.get::<_, String>(1)?.as_str()),
                    rev_id,
                    kind,
                    bundled_only: r.get(5)?,
                });
            }
        }
        let by_pk: HashMap<i64, usize> = raw.iter().enumerate().map(|(i, n)| (n.upd_pk, i)).collect();
        let by_id: HashMap<Arc<str>, usize> = raw.iter().enumerate().map(|(i, n)| (n.update_id.clone(), i)).collect();

        let mut prereqs: Vec<Vec<Vec<usize>>> = vec![Vec::new(); raw.len()];
        let mut depended_on = vec![false; raw.len()];
        {
            let mut stmt = c.prepare("SELECT upd_pk, grp, target_id FROM prerequisites ORDER BY upd_pk, grp")?;
            let mut rows = stmt.query([])?;
            let mut last: Option<(usize, i64)> = None;
            while let Some(r) = rows.next()? {
                let Some(&node) = by_pk.get(&r.get::<_, i64>(0)?) else {
                    continue;
                };
                let grp: i64 = r.get(1)?;
                let target: String = r.get(2)?;
                let Some(&t) = by_id.get(target.as_str()) else { continue };
                depended_on[t] = true;
                if last != Some((node, grp)) {
                    prereqs[node].push(Vec::new());
                    last = Some((node, grp));
                }
                if let Some(g) = prereqs[node].last_mut() {
                    g.push(t);
                }
            }
        }

        let mut categories: Vec<Vec<Arc<str>>> = vec![Vec::new(); raw.len()];
        {
            let mut stmt = c.prepare("SELECT upd_pk, category_id FROM update_categories")?;
            let mut interned: HashMap<String, Arc<str>> = HashMap::new();
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let Some(&node) = by_pk.get(&r.get::<_, i64>(0)?) else {
                    continue;
                };
                let id: String = r.get(1)?;
                let id = interned
                    .entry(id.clone())
                    .or_insert_with(|| Arc::from(id.as_str()))
                    .clone();
                categories[node].push(id);
            }
        }

        // Scope: software within the offered categories, what such bundles hold, and the
        // prerequisite closure of all of them.
        let mut in_scope = vec![false; raw.len()];
        {
            let (cond, values) = offered::offered_condition(c, "u")?;
            let sql = format!("SELECT u.upd_pk FROM updates u WHERE {cond}");
            let mut stmt = c.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
            while let Some(r) = rows.next()? {
                if let Some(&i) = by_pk.get(&r.get::<_, i64>(0)?) {
                    in_scope[i] = raw[i].kind != Kind::NonSoftware;
                }
            }
        }
        let mut members: Vec<(usize, usize)> = Vec::new();
        {
            let mut stmt = c.prepare("SELECT bundle_pk, member_id FROM bundle_members")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let bundle: i64 = r.get(0)?;
                let member: String = r.get(1)?;
                if let (Some(&b), Some(&m)) = (by_pk.get(&bundle), by_id.get(member.as_str())) {
                    members.push((b, m));
                }
            }
        }
        for &(b, m) in &members {
            if in_scope[b] {
                in_scope[m] = true;
            }
        }
        let mut approved: Vec<usize> = Vec::new();
        {
            // Approved anywhere (install or remove): their prerequisites must be reachable.
            let mut stmt = c.prepare(
                "SELECT a.upd_pk FROM assignments a
                 WHERE a.kind = 'Approval' AND a.enabled = 1 AND a.action IN ('Required', 'Available', 'Uninstall')
                 UNION
                 SELECT m.upd_pk FROM assignments a JOIN update_group_members m ON m.group_id = a.update_group_id
                 WHERE a.kind = 'Deployment' AND a.enabled = 1 AND a.action IN ('Required', 'Available', 'Uninstall')",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(&i) = by_pk.get(&r.get::<_, i64>(0)?) {
                    approved.push(i);
                }
            }
        }
        // What an approved bundle holds goes with it, in scope or not.
        let mut is_approved = vec![false; raw.len()];
        for &i in &approved {
            is_approved[i] = true;
        }
        for &(b, m) in &members {
            if is_approved[b] {
                in_scope[m] = true;
            }
        }
        let mut stack: Vec<usize> = (0..raw.len()).filter(|&i| in_scope[i]).collect();
        stack.extend(approved);
        while let Some(i) = stack.pop() {
            for &t in prereqs[i].iter().flatten() {
                if !in_scope[t] {
                    in_scope[t] = true;
                    stack.push(t);
                }
            }
        }

        // Page order: non-software by depth (a node after every prerequisite), then
        // software, then bundles.
        let mut depth: Vec<Option<u32>> = vec![None; raw.len()];
        fn depth_of(i: usize, prereqs: &[Vec<Vec<usize>>], depth: &mut [Option<u32>], guard: u32) -> u32 {
            if let Some(d) = depth[i] {
                return d;
            }
            if guard > 64 {
                return 0; // a prerequisite cycle the catalog should never hold: stop here
            }
            let d = prereqs[i]
                .iter()
                .flatten()
                .map(|&t| depth_of(t, prereqs, depth, guard + 1) + 1)
                .max()
                .unwrap_or(0);
            depth[i] = Some(d);
            d
        }
        let mut order: Vec<usize> = (0..raw.len()).collect();
        let keys: Vec<(u8, u32)> = (0..raw.len())
            .map(|i| {
                let class = match raw[i].kind {
                    Kind::NonSoftware => 0,
                    Kind::Software => 1,
                    Kind::Bundle => 2,
                };
                (class, depth_of(i, &prereqs, &mut depth, 0))
            })
            .collect();
        order.sort_by_key(|&i| (keys[i], raw[i].upd_pk));
        let position: Vec<u32> = {
            let mut p = vec![0u32; raw.len()];
            for (at, &i) in order.iter().enumerate() {
                p[i] = at as u32;
            }
            p
        };

        let once = super::once::revisions(c)?;
        let mut nodes = Vec::with_capacity(raw.len());
        let mut taken: Vec<Option<Raw>> = raw.into_iter().map(Some).collect();
        for &i in &order {
            let Some(r) = taken[i].take() else { continue };
            nodes.push(Node {
                upd_pk: r.upd_pk,
                update_id: r.update_id,
                rev_id: r.rev_id,
                kind: r.kind,
                is_leaf: !depended_on[i],
                bundled_only: r.bundled_only,
                prereqs: std::mem::take(&mut prereqs[i])
                    .into_iter()
                    .map(|g| g.into_iter().map(|t| position[t]).collect())
                    .collect(),
                in_scope: in_scope[i],
                categories: std::mem::take(&mut categories[i]),
                installs_once: once.contains(&i64::from(r.rev_id)),
                fragments: OnceLock::new(),
            });
        }
        let by_rev = nodes.iter().enumerate().map(|(i, n)| (n.rev_id, i as u32)).collect();
        let by_update_id = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.update_id.clone(), i as u32))
            .collect();
        // Rows append in time order; clients' own rows (registrations) are passed over.
        let last_admin_change_utc = c
            .query_row(
                "SELECT at_utc FROM audit_log WHERE actor NOT LIKE 'client:%' ORDER BY audit_id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(Graph {
            generation,
            last_admin_change_utc,
            any_installs_once: !once.is_empty(),
            nodes,
            by_rev,
            by_update_id,
        })
    }

    /// The graph indexes of the revisions in `revs` the site holds.
    pub(super) fn nodes_of(&self, revs: &[i32]) -> HashSet<u32> {
        revs.iter().filter_map(|r| self.by_rev.get(r).copied()).collect()
    }

    /// The nodes a category-filtered scan may see: software in one of `filter`'s
    /// categories, the filter categories themselves, and their prerequisite closure.
    pub(super) fn filtered(&self, filter: &[String]) -> Option<HashSet<u32>> {
        if filter.is_empty() {
            return None;
        }
        let wanted: HashSet<&str> = filter.iter().map(String::as_str).collect();
        let mut seen: HashSet<u32> = HashSet::new();
        let mut stack: Vec<u32> = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            let hit = wanted.contains(&*n.update_id)
                || (n.kind != Kind::NonSoftware && n.categories.iter().any(|c| wanted.contains(&**c)));
            if hit && seen.insert(i as u32) {
                stack.push(i as u32);
            }
        }
        while let Some(i) = stack.pop() {
            for &t in self.nodes[i as usize].prereqs.iter().flatten() {
                if seen.insert(t) {
                    stack.push(t);
                }
            }
        }
        Some(seen)
    }
}
