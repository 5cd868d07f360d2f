//! Issue 12's acceptance test: a served site holding the captured fixtures and a generated
//! catalog with real content, target groups, approvals of every kind, declines and a
//! deployment; 200 simulated computers (two fleets: one runs two cycles, one a single cycle)
//! scan, download, install and report. The test then recomputes, on its own, what each
//! computer is offered (from the groups, approvals and offered categories it set up, and the
//! simulator's public profile draws) and every state that must follow from the events, and
//! holds the site to it: each `update_states` row, the per-update and per-computer counts,
//! the deployment's state counts and the overview's "new updates to approve".
//!
//! The model here deliberately does not call the site's offer or policy code: it restates
//! the rules of `site/src/clients/offer.rs`, `graph.rs`, `admin/policy.rs` and the event
//! table of `reports.rs` from their documentation, so a change of either side shows up.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{api, fixtures, serve_with_clients, updates_with_files, wait_job, xml_files, Served, TOKEN};
use serde_json::{json, Value};
use server::simulate::core::{self as sim_core, CoreFacts};
use server::simulate::profile::{draw, Evaluator, State};
use server::simulate::{run, Config, Summary};

const ROOT: i64 = 1;
/// Two fleets: (seed, computers, cycles). The first shows what a second scan makes of the
/// installs (pending restarts done, uninstalled updates needed again); the second stops after
/// one cycle, with restarts still pending and uninstalled updates without a state.
const FLEETS: [(u64, u64, u64); 2] = [(12, 150, 2), (13, 50, 1)];
/// KB2267602, the captured bundle: approved Uninstall for Pilot.
const KB2267602: &str = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

// ---- The catalog, as the test imported it ----

struct Doc {
    facts: CoreFacts,
    expired: bool,
    explicitly_deployable: bool,
    generated: bool,
}

struct Category {
    kind: String,
    parent: Option<String>,
    title: String,
}

fn read_docs(paths: &[std::path::PathBuf], generated: bool, into: &mut BTreeMap<String, Doc>) -> Vec<String> {
    let mut texts = Vec::new();
    for p in paths {
        let xml = std::fs::read_to_string(p).expect("document");
        let facts = sim_core::read(&xml).expect("core facts");
        let doc = Doc {
            expired: xml.contains("PublicationState=\"Expired\""),
            explicitly_deployable: xml.contains("ExplicitlyDeployable=\"true\""),
            generated,
            facts,
        };
        assert!(
            into.insert(doc.facts.update_id.clone(), doc).is_none(),
            "one revision per update"
        );
        texts.push(xml);
    }
    texts
}

// ---- What the test set up ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Required,
    Available,
    Uninstall,
    DoNotInstall,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Required => "Required",
            Action::Available => "Available",
            Action::Uninstall => "Uninstall",
            Action::DoNotInstall => "DoNotInstall",
        }
    }

    /// `admin::policy`'s precedence across chains (and within one group).
    fn rank(self) -> u8 {
        match self {
            Action::Required => 3,
            Action::Available => 2,
            Action::Uninstall => 1,
            Action::DoNotInstall => 0,
        }
    }
}

#[derive(Default)]
struct Setup {
    parent: HashMap<i64, Option<i64>>,
    /// (group, update id) -> the actions assigned there (approvals and deployments alike).
    assigned: HashMap<(i64, String), Vec<Action>>,
    declined: HashSet<String>,
    offered_products: HashSet<String>,
    offered_classes: HashSet<String>,
}

impl Setup {
    /// The effective action for a computer that is a member of `groups`: the nearest level
    /// of each chain decides, chains combine by precedence.
    fn policy(&self, groups: &[i64], update: &str) -> Option<Action> {
        if self.declined.contains(update) {
            return None;
        }
        let mut best: Option<Action> = None;
        for &start in groups {
            let mut at = Some(start);
            while let Some(g) = at {
                if let Some(actions) = self.assigned.get(&(g, update.to_owned())) {
                    let chain = actions.iter().copied().max_by_key(|a| a.rank());
                    if let Some(a) = chain {
                        if best.is_none_or(|b| a.rank() > b.rank()) {
                            best = Some(a);
                        }
                    }
                    break;
                }
                at = self.parent.get(&g).copied().flatten();
            }
        }
        best
    }

    /// Approved or deployed anywhere with an action that installs or removes.
    fn approved_anywhere(&self) -> HashSet<String> {
        self.assigned
            .iter()
            .filter(|(_, a)| a.iter().any(|a| *a != Action::DoNotInstall))
            .map(|((_, u), _)| u.clone())
            .filter(|u| !self.declined.contains(u))
            .collect()
    }
}

// ---- The offer graph, restated ----

struct Model<'a> {
    docs: &'a BTreeMap<String, Doc>,
    setup: &'a Setup,
    /// Offerable: neither declined nor expired.
    nodes: BTreeSet<&'a str>,
    /// Prerequisite groups with the targets the site does not offer left out (and groups
    /// left empty dropped): the site cannot hold an update back for what it cannot offer.
    site_prereqs: HashMap<&'a str, Vec<Vec<&'a str>>>,
    non_leaf: HashSet<&'a str>,
    bundled_only: HashSet<&'a str>,
    in_scope: HashSet<&'a str>,
}

impl<'a> Model<'a> {
    fn new(docs: &'a BTreeMap<String, Doc>, categories: &HashMap<String, Category>, setup: &'a Setup) -> Self {
        let nodes: BTreeSet<&str> = docs
            .iter()
            .filter(|(id, d)| !d.expired && !setup.declined.contains(*id))
            .map(|(id, _)| id.as_str())
            .collect();
        let mut site_prereqs = HashMap::new();
        let mut non_leaf = HashSet::new();
        for &id in &nodes {
            let groups: Vec<Vec<&str>> = docs[id]
                .facts
                .prerequisites
                .iter()
                .map(|g| {
                    g.iter()
                        .map(String::as_str)
                        .filter(|t| nodes.contains(t))
                        .collect::<Vec<_>>()
                })
                .filter(|g| !g.is_empty())
                .collect();
            non_leaf.extend(groups.iter().flatten().copied());
            site_prereqs.insert(id, groups);
        }
        // A member of some bundle (whatever the bundle's state) that is not deployable on
        // its own.
        let members: HashSet<&str> = docs
            .values()
            .flat_map(|d| d.facts.bundled.iter().map(String::as_str))
            .collect();
        let bundled_only: HashSet<&str> = nodes
            .iter()
            .copied()
            .filter(|id| members.contains(id) && !docs[*id].explicitly_deployable)
            .collect();

        // Scope: software in an offered product (or a product's subcategory) whose
        // classification is offered or absent...
        let cats_of = |id: &str| -> Vec<&str> {
            docs[id]
                .facts
                .prerequisites
                .iter()
                .flatten()
                .map(String::as_str)
                .filter(|t| categories.contains_key(*t))
                .collect()
        };
        let mut in_scope: HashSet<&str> = HashSet::new();
        for &id in &nodes {
            if !docs[id].facts.is_software() {
                continue;
            }
            let cats = cats_of(id);
            let product = cats.iter().any(|c| {
                setup.offered_products.contains(*c)
                    || categories[*c]
                        .parent
                        .as_ref()
                        .is_some_and(|p| setup.offered_products.contains(p))
            });
            let classes: Vec<&&str> = cats
                .iter()
                .filter(|c| categories[**c].kind == "UpdateClassification")
                .collect();
            assert!(
                classes.len() <= 1,
                "the model takes one classification per update: {id}"
            );
            let class = classes.first().is_none_or(|c| setup.offered_classes.contains(**c));
            if product && class {
                in_scope.insert(id);
            }
        }
        // ...what in-scope and approved bundles hold...
        let approved: HashSet<String> = setup.approved_anywhere();
        let approved: Vec<&str> = nodes.iter().copied().filter(|n| approved.contains(*n)).collect();
        for &b in &nodes {
            if in_scope.contains(b) || approved.contains(&b) {
                for m in &docs[b].facts.bundled {
                    if let Some(&m) = nodes.get(m.as_str()) {
                        in_scope.insert(m);
                    }
                }
            }
        }
        // ...and what all of those, and the approved updates, stand on.
        let mut stack: Vec<&str> = in_scope.iter().copied().chain(approved.iter().copied()).collect();
        while let Some(n) = stack.pop() {
            for &t in site_prereqs[n].iter().flatten() {
                if in_scope.insert(t) {
                    stack.push(t);
                }
            }
        }
        Model {
            docs,
            setup,
            nodes,
            site_prereqs,
            non_leaf,
            bundled_only,
            in_scope,
        }
    }

    /// The deployment action each offerable update reaches a computer in `groups` with,
    /// prerequisites aside.
    fn offers(&self, groups: &[i64]) -> HashMap<&'a str, &'static str> {
        let mut out = HashMap::new();
        for &id in &self.nodes {
            let scoped = self.in_scope.contains(id);
            let action = if !self.docs[id].facts.is_software() {
                scoped.then_some("Evaluate")
            } else if self.bundled_only.contains(id) {
                scoped.then_some("Bundle")
            } else {
                match self.setup.policy(groups, id) {
                    Some(Action::Required | Action::Available) => Some("Install"),
                    Some(Action::Uninstall) => Some("Uninstall"),
                    Some(Action::DoNotInstall) => None,
                    None => scoped.then_some("PreDeploymentCheck"),
                }
            };
            if let Some(a) = action {
                out.insert(id, a);
            }
        }
        out
    }

    /// What one computer holds after a scan: level by level, an update is offered once each
    /// of its prerequisite groups has a member the computer holds and found installed.
    fn walk(
        &self,
        seed: u64,
        index: u64,
        offers: &HashMap<&'a str, &'static str>,
        overrides: &HashMap<String, State>,
    ) -> BTreeMap<&'a str, &'static str> {
        let mut held: BTreeMap<&str, &str> = BTreeMap::new();
        loop {
            let facts = self.facts_of(held.keys().copied());
            let mut eval = Evaluator::new(seed, index, &facts).with_overrides(overrides);
            let installed: HashSet<&str> = held
                .keys()
                .copied()
                .filter(|u| {
                    self.non_leaf.contains(u) && matches!(eval.state(u), Some(State::Present | State::Installed))
                })
                .collect();
            let new: Vec<(&str, &str)> = offers
                .iter()
                .filter(|(u, _)| !held.contains_key(*u))
                .filter(|(u, _)| {
                    self.site_prereqs[**u]
                        .iter()
                        .all(|g| g.iter().any(|t| installed.contains(t)))
                })
                .map(|(u, a)| (*u, *a))
                .collect();
            if new.is_empty() {
                return held;
            }
            held.extend(new);
        }
    }

    fn facts_of(&self, ids: impl Iterator<Item = &'a str>) -> HashMap<Arc<str>, Arc<CoreFacts>> {
        ids.map(|u| (Arc::from(u), Arc::new(self.docs[u].facts.clone())))
            .collect()
    }
}

/// One simulated computer as the model runs it: its statuses as the site must store them.
#[derive(Default)]
struct Machine {
    status: BTreeMap<String, &'static str>,
    overrides: HashMap<String, State>,
    held: BTreeMap<String, &'static str>,
    installed: u64,
    install_failures: u64,
    uninstalled: u64,
}

impl Machine {
    /// `cycles` cycles of the agent (scan, status event 156, downloads and installs of what
    /// is needed and offered Install, removals of what is installed and offered Uninstall),
    /// with the event table of `clients/reports.rs` applied to each.
    fn run(model: &Model<'_>, groups: &[i64], seed: u64, index: u64, cycles: u64) -> Machine {
        let offers = model.offers(groups);
        let mut m = Machine::default();
        for _ in 0..cycles {
            let held = model.walk(seed, index, &offers, &m.overrides);
            let facts = model.facts_of(held.keys().copied());
            let states: BTreeMap<&str, State> = {
                let mut eval = Evaluator::new(seed, index, &facts).with_overrides(&m.overrides);
                held.keys()
                    .copied()
                    .filter(|u| model.docs[*u].facts.is_software())
                    .filter_map(|u| eval.state(u).map(|s| (u, s)))
                    .collect()
            };
            for (u, s) in &states {
                let now = m.status.get(*u).copied();
                let next = match s {
                    State::Installed => "Installed",
                    State::Needed if matches!(now, Some("Downloaded" | "Failed" | "InstalledPendingRestart")) => {
                        continue
                    }
                    State::Needed => "Needed",
                    _ => "NotApplicable",
                };
                m.status.insert(u.to_string(), next);
            }
            let needed: Vec<&str> = states
                .iter()
                .filter(|(_, s)| **s == State::Needed)
                .map(|(u, _)| *u)
                .collect();
            for &u in &needed {
                if held[u] != "Install" {
                    continue;
                }
                if !matches!(m.status.get(u).copied(), Some("Installed" | "InstalledPendingRestart")) {
                    m.status.insert(u.to_owned(), "Downloaded");
                }
                let outcome = draw(seed, index, "install-outcome", u);
                if outcome < 95 {
                    m.overrides.insert(u.to_owned(), State::Installed);
                    for member in &model.docs[u].facts.bundled {
                        if needed.contains(&member.as_str()) {
                            m.overrides.insert(member.clone(), State::Installed);
                        }
                    }
                    m.installed += 1;
                    m.status.insert(
                        u.to_owned(),
                        if outcome < 90 {
                            "Installed"
                        } else {
                            "InstalledPendingRestart"
                        },
                    );
                } else {
                    m.install_failures += 1;
                    m.status.insert(u.to_owned(), "Failed");
                }
            }
            for (u, s) in &states {
                if *s == State::Installed && held[*u] == "Uninstall" {
                    m.status.remove(*u);
                    m.overrides.insert(u.to_string(), State::Needed);
                    m.uninstalled += 1;
                }
            }
            m.held = held.iter().map(|(u, a)| (u.to_string(), *a)).collect();
        }
        m
    }
}

/// The coarse state the counts read (migration 0008).
fn coarse(status: &str) -> &'static str {
    match status {
        "NotApplicable" => "NotRequired",
        "Needed" | "Downloaded" | "InstalledPendingRestart" => "Required",
        "Installed" => "Installed",
        "Failed" => "Failed",
        other => panic!("unknown status {other}"),
    }
}

// ---- The site ----

fn import(served: &Served, texts: Vec<String>) {
    for chunk in texts.chunks(100) {
        api(served, "import_xml", json!({ "documents": chunk }));
    }
}

fn group(served: &Served, name: &str, parent: i64) -> i64 {
    api(
        served,
        "create_target_group",
        json!({ "name": name, "parentId": parent }),
    )["id"]
        .as_i64()
        .expect("group id")
}

fn approve(served: &Served, setup: &mut Setup, ids: &[&str], group: i64, action: Action) {
    api(
        served,
        "approve_updates",
        json!({ "updateIds": ids, "approvals": [{ "groupId": group, "action": action.name(), "deadline": "None" }] }),
    );
    for id in ids {
        setup.assigned.entry((group, id.to_string())).or_default().push(action);
    }
}

fn deployment_settings(kind: &str) -> Value {
    json!({
        "deploymentType": kind, "wakeOnLan": false, "verbosity": "AllMessages", "timeBasis": "Utc",
        "availableUtc": "2025-01-01T00:00:00Z", "deadlineUtc": "2025-01-08T00:00:00Z", "userNotifications": "DisplayAll",
        "installOutsideMaintenanceWindow": false, "restartOutsideMaintenanceWindow": false,
        "suppressRestartServers": true, "suppressRestartWorkstations": false,
        "alertDaysAfterDeadline": 3, "alertBelowPercent": 90, "slowNetwork": "DoNotInstall",
        "fallbackToMicrosoftUpdate": false, "allowMeteredDownload": false
    })
}

fn simulate(clients: &str, seed: u64, count: u64, f: impl FnOnce(&mut Config)) -> Summary {
    let mut config = Config::new(clients, count, seed);
    config.timeout = Duration::from_secs(60);
    config.concurrency = 16;
    f(&mut config);
    let summary = run(config).expect("simulator");
    assert!(!summary.failed(), "{summary}");
    summary
}

#[test]
fn two_hundred_computers_get_what_their_profiles_and_the_approvals_imply() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tmp");
    // A generated catalog whose every file is real bytes in `files`, small so content is quick.
    let (docs_dir, files_dir, _) = updates_with_files(tmp.path(), 220, 12, |n| 300 + n % 13 * 97);
    let site_dir = tmp.path().join("site");
    let (served, clients) = serve_with_clients(&site_dir, TOKEN);

    let mut docs = BTreeMap::new();
    let fixture_texts = read_docs(&xml_files(&fixtures().join("wsusss/updates")), false, &mut docs);
    let generated_texts = read_docs(&xml_files(&docs_dir), true, &mut docs);
    import(&served, fixture_texts);
    import(&served, generated_texts);

    let categories: HashMap<String, Category> = api(&served, "list_categories", json!({}))
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            (
                c["categoryId"].as_str().expect("id").to_ascii_lowercase(),
                Category {
                    kind: c["kind"].as_str().expect("kind").to_owned(),
                    parent: c["parentId"].as_str().map(str::to_ascii_lowercase),
                    title: c["title"].as_str().expect("title").to_owned(),
                },
            )
        })
        .collect();
    let product_of = |id: &str| -> Option<&str> {
        docs[id]
            .facts
            .prerequisites
            .iter()
            .flatten()
            .find(|t| categories.get(*t).is_some_and(|c| c.kind == "Product"))
            .map(|t| categories[t].title.as_str())
    };

    // Offered to computers: every product but Office 2016, every classification but Tools.
    let mut setup = Setup::default();
    for (id, c) in &categories {
        match c.kind.as_str() {
            "Product" if c.title != "Office 2016" => {
                setup.offered_products.insert(id.clone());
            }
            "UpdateClassification" if c.title != "Tools" => {
                setup.offered_classes.insert(id.clone());
            }
            _ => {}
        }
    }
    api(
        &served,
        "set_offered_categories",
        json!({ "productIds": setup.offered_products.iter().collect::<Vec<_>>(),
                "classificationIds": setup.offered_classes.iter().collect::<Vec<_>>() }),
    );

    // Content: every generated update's files, from the folder they were written to.
    let deployable: Vec<&str> = docs
        .iter()
        .filter(|(_, d)| d.generated && d.facts.is_software() && !d.expired && d.explicitly_deployable)
        .map(|(id, _)| id.as_str())
        .collect();
    let job = api(
        &served,
        "start_download",
        json!({ "newPackageName": "Fleet", "updateIds": deployable, "source": { "kind": "LocalFolder", "path": files_dir } }),
    );
    let job_id = job["id"].as_i64().expect("job id");
    let done = wait_job(|| api(&served, "get_download_job", json!({ "id": job_id })));
    assert_eq!(done["state"], "Succeeded", "{done}");

    // Every computer registers first, so the groups can hold them.
    for (seed, count, _) in FLEETS {
        simulate(&clients, seed, count, |c| c.handshake_only = true);
    }
    let ids_by_name: HashMap<String, i64> = api(&served, "list_computers", json!({}))
        .as_array()
        .expect("computers")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().expect("name").to_owned(),
                c["id"].as_i64().expect("id"),
            )
        })
        .collect();
    assert_eq!(ids_by_name.len() as u64, FLEETS.iter().map(|f| f.1).sum::<u64>());

    // Groups: Pilot and Production under All Computers, Servers under Production. By index
    // modulo 5 a computer is moved to Pilot, Production, Servers, both Pilot and Production
    // (two chains), or left in All Computers.
    let pilot = group(&served, "Pilot", ROOT);
    let production = group(&served, "Production", ROOT);
    let servers = group(&served, "Servers", production);
    setup.parent = HashMap::from([
        (ROOT, None),
        (pilot, Some(ROOT)),
        (production, Some(ROOT)),
        (servers, Some(production)),
    ]);
    let groups_of = |index: u64| -> Vec<i64> {
        match index % 5 {
            0 => vec![pilot],
            1 => vec![production],
            2 => vec![servers],
            3 => vec![pilot, production],
            _ => vec![ROOT],
        }
    };
    let mut memberships: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (seed, count, _) in FLEETS {
        for index in 0..count {
            let id = ids_by_name[&format!("sim-{seed}-{index}")];
            for g in groups_of(index) {
                memberships.entry(g).or_default().push(id);
            }
        }
    }
    for (g, members) in &memberships {
        if *g != ROOT {
            api(
                &served,
                "add_group_members",
                json!({ "groupId": g, "computerIds": members }),
            );
        }
    }
    // Moved: no longer a direct member of All Computers (which every chain still reaches).
    let moved: Vec<i64> = memberships
        .iter()
        .filter(|(g, _)| **g != ROOT)
        .flat_map(|(_, m)| m.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    api(
        &served,
        "remove_group_members",
        json!({ "groupId": ROOT, "computerIds": moved }),
    );

    // Approvals of every kind, from the generated updates the offered categories hold.
    let pick = |f: &dyn Fn(&Doc) -> bool| -> Vec<&str> {
        docs.iter()
            .filter(|(id, d)| {
                d.generated
                    && d.facts.is_software()
                    && !d.expired
                    && d.explicitly_deployable
                    && product_of(id) != Some("Office 2016")
                    && f(d)
            })
            .map(|(id, _)| id.as_str())
            .collect()
    };
    let plain = pick(&|d| !d.facts.is_bundle());
    let bundles = pick(&|d| d.facts.is_bundle());
    assert!(
        plain.len() >= 40 && bundles.len() >= 4,
        "{} plain, {} bundles",
        plain.len(),
        bundles.len()
    );
    let office: Vec<&str> = docs
        .iter()
        .filter(|(id, d)| {
            d.generated
                && d.explicitly_deployable
                && !d.expired
                && !d.facts.is_bundle()
                && product_of(id) == Some("Office 2016")
        })
        .map(|(id, _)| id.as_str())
        .collect();
    assert!(!office.is_empty());

    let root_required: Vec<&str> = plain[0..6].iter().chain(&bundles[0..2]).copied().collect();
    approve(&served, &mut setup, &root_required, ROOT, Action::Required);
    // Pilot says no to two of them: nearer than All Computers on its chain.
    approve(&served, &mut setup, &plain[0..2], pilot, Action::DoNotInstall);
    let pilot_required: Vec<&str> = plain[6..11].iter().chain(&bundles[2..3]).copied().collect();
    approve(&served, &mut setup, &pilot_required, pilot, Action::Required);
    approve(&served, &mut setup, &plain[11..16], production, Action::Available);
    approve(&served, &mut setup, &plain[16..22], ROOT, Action::Uninstall);
    approve(&served, &mut setup, &plain[16..17], servers, Action::Required);
    approve(&served, &mut setup, &plain[22..26], ROOT, Action::DoNotInstall);
    approve(&served, &mut setup, &plain[22..23], production, Action::Available);
    // Outside the offered categories: offered to Pilot only, by its approval.
    approve(&served, &mut setup, &office[0..1], pilot, Action::Required);
    // The captured bundle: Uninstall for Pilot (every computer finds it not applicable).
    approve(&served, &mut setup, &[KB2267602], pilot, Action::Uninstall);

    // A software update group deployed (Required) to Production, subgroups included; Servers
    // asks to remove one of its members, nearer than the deployment.
    let members: Vec<&str> = plain[26..31]
        .iter()
        .chain(&bundles[3..4])
        .chain(&plain[0..1])
        .copied()
        .collect();
    let update_group = api(
        &served,
        "create_update_group",
        json!({ "name": "Patch Tuesday", "updateIds": members }),
    )["id"]
        .as_i64()
        .expect("update group");
    api(
        &served,
        "create_deployment",
        json!({ "name": "Patch Tuesday to Production", "updateGroupId": update_group,
                "targetGroupId": production, "settings": deployment_settings("Required") }),
    );
    for m in &members {
        setup
            .assigned
            .entry((production, m.to_string()))
            .or_default()
            .push(Action::Required);
    }
    approve(&served, &mut setup, &plain[27..28], servers, Action::Uninstall);

    // Declined: never offered, whatever was approved (one had an approval, one is in the
    // deployed group, which keeps it).
    let declined: Vec<&str> = plain[31..34]
        .iter()
        .chain(&plain[5..6])
        .chain(&plain[28..29])
        .copied()
        .collect();
    let report = api(&served, "decline_updates", json!({ "updateIds": declined }));
    assert_eq!(report["declined"], declined.len() as i64, "{report}");
    setup.declined.extend(declined.iter().map(|d| d.to_string()));

    // The fleets scan, download, install and report.
    let mut summaries = Vec::new();
    for (seed, count, cycles) in FLEETS {
        summaries.push(simulate(&clients, seed, count, |c| {
            c.install = true;
            c.cycles = cycles;
            c.record_offers = true;
        }));
    }
    let simulated = started.elapsed();

    // ---- The model's answer ----
    let model = Model::new(&docs, &categories, &setup);
    let mut expected: BTreeMap<(String, String), &str> = BTreeMap::new();
    let mut machines: HashMap<i64, (Vec<i64>, Machine)> = HashMap::new();
    for ((seed, count, cycles), summary) in FLEETS.iter().zip(&summaries) {
        let (mut installed, mut failures, mut uninstalled) = (0, 0, 0);
        for index in 0..*count {
            let groups = groups_of(index);
            let machine = Machine::run(&model, &groups, *seed, index, *cycles);
            let recorded = summary.offers.get(&index).expect("offers recorded");
            let recorded: BTreeMap<&str, &str> = recorded.iter().map(|(u, a)| (u.as_str(), a.as_str())).collect();
            let want: BTreeMap<&str, &str> = machine.held.iter().map(|(u, a)| (u.as_str(), *a)).collect();
            let keys: BTreeSet<&str> = recorded.keys().chain(want.keys()).copied().collect();
            let wrong: Vec<String> = keys
                .into_iter()
                .filter(|u| recorded.get(u) != want.get(u))
                .map(|u| format!("{u}: held {:?}, expected {:?}", recorded.get(u), want.get(u)))
                .collect();
            assert!(
                wrong.is_empty(),
                "computer {seed}/{index} in groups {groups:?}, what it holds and with which action:\n{}",
                wrong.join("\n")
            );
            // Never offered: declined, and Do not install for this computer.
            for (u, a) in &recorded {
                assert!(!setup.declined.contains(*u), "declined {u} offered to {seed}/{index}");
                let policy = setup.policy(&groups, u);
                assert_ne!(
                    policy,
                    Some(Action::DoNotInstall),
                    "{u} offered to {seed}/{index} as {a}"
                );
                if policy == Some(Action::Uninstall) {
                    assert_eq!(*a, "Uninstall", "{u} for {seed}/{index}");
                }
            }
            installed += machine.installed;
            failures += machine.install_failures;
            uninstalled += machine.uninstalled;
            let client = server::simulate::profile::identity(*seed, index).client_id;
            for (u, s) in &machine.status {
                expected.insert((client.clone(), u.clone()), s);
            }
            machines.insert(ids_by_name[&format!("sim-{seed}-{index}")], (groups, machine));
        }
        assert_eq!(
            (
                summary.installed,
                summary.simulated_install_failures,
                summary.uninstalled
            ),
            (installed, failures, uninstalled),
            "fleet {seed}: installs, failed installs, removals"
        );
    }

    // ---- The site's answer ----
    let db = rusqlite::Connection::open_with_flags(
        site_dir.join(site::DATABASE_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("site database");
    let mut stored: BTreeMap<(String, String), String> = BTreeMap::new();
    {
        let mut stmt = db
            .prepare(
                "SELECT c.client_id, u.update_id, s.status, s.state FROM update_states s
                 JOIN computers c ON c.computer_id = s.computer_id JOIN updates u ON u.upd_pk = s.upd_pk",
            )
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .expect("query");
        for row in rows {
            let (client, update, status, state) = row.expect("row");
            assert_eq!(state, coarse(&status), "{client} {update}: {status} counted as {state}");
            stored.insert((client.to_ascii_lowercase(), update.to_ascii_lowercase()), status);
        }
    }
    let differences: Vec<String> = expected
        .iter()
        .filter(|(k, s)| stored.get(*k).map(String::as_str) != Some(**s))
        .map(|((c, u), s)| {
            format!(
                "{c} {u}: expected {s}, stored {:?}",
                stored.get(&(c.clone(), u.clone()))
            )
        })
        .chain(
            stored
                .iter()
                .filter(|(k, _)| !expected.contains_key(*k))
                .map(|((c, u), s)| format!("{c} {u}: stored {s}, expected no state")),
        )
        .collect();
    assert!(
        differences.is_empty(),
        "{} of {} states differ, e.g.:\n{}",
        differences.len(),
        expected.len(),
        differences[..differences.len().min(15)].join("\n")
    );

    // Per update: Required / Installed / Not required counts are those of the states.
    let mut per_update: HashMap<&str, [i64; 3]> = HashMap::new();
    for ((_, u), s) in &expected {
        let slot = per_update.entry(u.as_str()).or_default();
        match coarse(s) {
            "Required" => slot[0] += 1,
            "Installed" => slot[1] += 1,
            "NotRequired" => slot[2] += 1,
            _ => {}
        }
    }
    {
        let mut stmt = db
            .prepare("SELECT update_id, required_count, installed_count, not_required_count FROM updates")
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, [r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?]))
            })
            .expect("query");
        for row in rows {
            let (u, counts) = row.expect("row");
            let want = per_update
                .get(u.to_ascii_lowercase().as_str())
                .copied()
                .unwrap_or_default();
            assert_eq!(counts, want, "{u}: required, installed, not required");
        }
    }
    // Per computer: the Devices grid's counts.
    {
        let mut stmt = db
            .prepare(
                "SELECT computer_id, needed_count, failed_count, installed_count, not_applicable_count FROM computers",
            )
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    [r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                ))
            })
            .expect("query");
        for row in rows {
            let (id, counts) = row.expect("row");
            let mut want = [0i64; 4];
            for s in machines[&id].1.status.values() {
                want[match coarse(s) {
                    "Required" => 0,
                    "Failed" => 1,
                    "Installed" => 2,
                    _ => 3,
                }] += 1;
            }
            assert_eq!(counts, want, "computer {id}: needed, failed, installed, not applicable");
        }
    }

    // Monitoring › Deployments: each computer of Production (subgroups included) by the
    // states of the group's members: Error, In progress, Compliant, else Unknown.
    let deployments = api(&served, "list_deployments", json!({}));
    let counts = &deployments[0]["counts"];
    let mut want = BTreeMap::from([("compliant", 0i64), ("inProgress", 0), ("error", 0), ("unknown", 0)]);
    for (groups, machine) in machines.values() {
        if !groups.iter().any(|g| *g == production || *g == servers) {
            continue;
        }
        let states: Vec<&str> = members
            .iter()
            .filter_map(|m| machine.status.get(*m))
            .map(|s| coarse(s))
            .collect();
        let kind = if states.contains(&"Failed") {
            "error"
        } else if states.contains(&"Required") {
            "inProgress"
        } else if !states.is_empty() {
            "compliant"
        } else {
            "unknown"
        };
        *want.entry(kind).or_default() += 1;
    }
    for (k, n) in &want {
        assert_eq!(counts[*k].as_i64(), Some(*n), "deployment {k}: {counts}");
    }
    assert_eq!(counts["requirementsNotMet"], 0);

    // The overview's "new updates to approve" (APR-3): listed updates some computer requires
    // that no group has Required or Available, by approval or deployment.
    let installing: HashSet<&str> = setup
        .assigned
        .iter()
        .filter(|(_, a)| a.iter().any(|a| matches!(a, Action::Required | Action::Available)))
        .map(|((_, u), _)| u.as_str())
        .collect();
    let to_approve = per_update
        .iter()
        .filter(|(u, c)| c[0] > 0 && !installing.contains(**u) && !model.bundled_only.contains(**u))
        .count() as i64;
    let overview = api(&served, "library_overview", json!({}));
    assert_eq!(overview["newUpdatesToApprove"].as_i64(), Some(to_approve), "{overview}");
    assert_eq!(overview["managedComputers"].as_u64(), Some(ids_by_name.len() as u64));

    // Not vacuous: every state and action appears, and the approvals moved computers.
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for s in expected.values() {
        *kinds.entry(*s).or_default() += 1;
    }
    let mut actions: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, m) in machines.values() {
        for a in m.held.values() {
            *actions.entry(*a).or_default() += 1;
        }
    }
    eprintln!(
        "fleet: {} computers, {} states {kinds:?}, offers {actions:?}, deployment {counts}, to approve {to_approve}, \
         simulated in {:.1} s, {:.1} s in all",
        machines.len(),
        expected.len(),
        simulated.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    for kind in [
        "NotApplicable",
        "Needed",
        "Installed",
        "InstalledPendingRestart",
        "Failed",
    ] {
        assert!(kinds.get(kind).is_some_and(|n| *n > 0), "no {kind} state: {kinds:?}");
    }
    for action in ["Install", "Uninstall", "PreDeploymentCheck", "Bundle", "Evaluate"] {
        assert!(
            actions.get(action).is_some_and(|n| *n > 0),
            "no {action} offer: {actions:?}"
        );
    }
    assert!(
        summaries.iter().all(|s| s.uninstalled > 0 && s.bytes_downloaded > 0),
        "{summaries:?}"
    );
    assert!(to_approve > 0);
}
