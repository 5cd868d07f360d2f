//! A published third-party update in the hands of its consumers (issue 16, acceptance):
//! simulated Windows Update Agents (`server::simulate`, MS-WUSP over loopback HTTP) in the
//! group it is approved for are offered it, download its signed cabinet, install it and
//! report it, and Update Status reads Installed; after Edit, revision 2 is what they are
//! offered. A child site synchronizing from this one receives the update at the same
//! revision and downloads a cabinet that still verifies against the parent's certificate.

mod common;

#[path = "../../site/tests/support/msi.rs"]
mod msi;

#[path = "../../installer/tests/support/exe.rs"]
mod exe;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use server::simulate::core::{self as sim_core, CoreFacts};
use server::simulate::profile::{draw, Evaluator, State};
use server::simulate::{run, Config, Summary};
use site::Site;

const SECURITY_UPDATES: &str = "0fa1201d-4330-4fa8-8ae9-b877473b6441";

fn spec(installer: &Path, title: &str, arguments: &str) -> Value {
    json!({
        "files": { "path": installer },
        "description": {
            "title": title, "vendor": "Fabrikam SARL", "product": "Fabrikam Viewer",
            "description": "Fixes the viewer's PDF parser."
        },
        "classification": "Security Updates",
        "requirements": { "architecture": "Both", "operatingSystems": [] },
        "detection": { "kind": "Once" },
        "prerequisites": { "kind": "None" },
        "arguments": arguments,
        "returnCodes": []
    })
}

/// The stored document of every newest revision, by lower-case update id.
fn documents(site: &Path) -> HashMap<String, String> {
    let db = rusqlite::Connection::open_with_flags(
        site.join(site::DATABASE_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("db");
    let mut stmt = db
        .prepare(
            "SELECT r.update_id, r.xml_deflate FROM revisions r
             WHERE r.revision = (SELECT max(revision) FROM revisions o WHERE o.update_id = r.update_id)",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .expect("query");
    rows.map(|r| {
        let (id, blob) = r.expect("row");
        (
            id.to_ascii_lowercase(),
            site::catalog::import::inflate(&blob).expect("inflate"),
        )
    })
    .collect()
}

/// A seed whose computer 0 finds the update needed and installs it successfully (and whose
/// computer 1 does not find it installed), by the
/// simulator's own profile (its draws are pure functions a test recomputes): the walk over
/// the classification, vendor and product categories the update's prerequisites name.
fn seed_that_needs(docs: &HashMap<String, String>, update_id: &str) -> u64 {
    seed_where(
        docs,
        |seed, state| {
            state(seed, 0) == Some(State::Needed)
            && draw(seed, 0, "install-outcome", update_id) < 90
            // The other computer must not find it installed of itself, so Installed
            // counts the Pilot computer alone.
            && state(seed, 1) != Some(State::Installed)
        },
        update_id,
    )
}

/// The first seed for which `wanted(seed, state of the update on computer i)` holds.
fn seed_where(
    docs: &HashMap<String, String>,
    wanted: impl Fn(u64, &dyn Fn(u64, u64) -> Option<State>) -> bool,
    update_id: &str,
) -> u64 {
    let mut held: HashMap<Arc<str>, Arc<CoreFacts>> = HashMap::new();
    for xml in docs.values() {
        let facts = sim_core::read(xml).expect("core facts");
        held.insert(Arc::from(facts.update_id.as_str()), Arc::new(facts));
    }
    let state = |seed: u64, index: u64| Evaluator::new(seed, index, &held).state(update_id);
    (0..10_000)
        .find(|&seed| wanted(seed, &state))
        .expect("a seed under which the computers find the update as the test needs")
}

fn simulate(clients: &str, seed: u64, f: impl FnOnce(&mut Config)) -> Summary {
    let mut config = Config::new(clients, 2, seed);
    config.timeout = Duration::from_secs(60);
    config.record_offers = true;
    f(&mut config);
    let summary = run(config).expect("simulator");
    assert!(!summary.failed(), "{summary}");
    summary
}

fn osslsigncode_verifies(cert_pem: &Path, cab: &Path) -> bool {
    Command::new("osslsigncode")
        .args(["verify", "-CAfile"])
        .arg(cert_pem)
        .arg("-in")
        .arg(cab)
        .output()
        .expect("osslsigncode")
        .status
        .success()
}

#[test]
fn simulated_clients_install_the_approved_update_then_its_next_revision_and_a_child_receives_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("site");
    // Microsoft's classification documents (the update names one as a prerequisite).
    let generated = patchdeck(&folder)
        .args(["gen-catalog", "--count", "1", "--seed", "3", "--import"])
        .status()
        .expect("gen-catalog");
    assert!(generated.success());
    let installer = msi::build_msi(&dir.path().join("src"), &msi::VIEWER);
    let (served, clients) = serve_with_clients(&folder, TOKEN);

    let published = api(
        &served,
        "publish_third_party_update",
        spec(&installer, "Fabrikam Viewer 3.2.1", "REBOOT=ReallySuppress"),
    );
    let update_id = published["updateId"].as_str().expect("id").to_ascii_lowercase();
    let product_id = offer_the_product(&served);

    // Two computers: the first moved into Pilot, the one group the update is approved for.
    let seed = seed_that_needs(&documents(&folder), &update_id);
    simulate(&clients, seed, |c| c.handshake_only = true);
    let first = format!("sim-{seed}-0");
    pilot_approved(&served, &update_id, computer_id(&served, &first));

    // Scan, download, install, report; the second cycle's scan reports it installed.
    let summary = simulate(&clients, seed, |c| {
        c.install = true;
        c.cycles = 2;
    });
    assert_eq!(
        summary.offers[&0].get(&update_id).map(String::as_str),
        Some("Install"),
        "offered to the Pilot computer for install: {summary}"
    );
    assert_eq!(summary.offered_revisions[&0].get(&update_id), Some(&1));
    assert_ne!(
        summary.offers[&1].get(&update_id).map(String::as_str),
        Some("Install"),
        "not approved for the other computer's group"
    );
    assert!(summary.installed >= 1, "{summary}");
    assert!(
        summary.bytes_downloaded >= published["size"].as_u64().expect("size"),
        "the signed cabinet was downloaded: {summary}"
    );
    let status = api(&served, "get_update_status", json!({ "updateId": update_id }));
    assert_eq!(status["installed"], 1, "{status}");
    assert_eq!(status["total"], 2, "{status}");
    let installed = api(
        &served,
        "list_update_status_computers",
        json!({ "updateId": update_id, "status": "Installed" }),
    );
    assert_eq!(installed["rows"][0]["name"], first.as_str(), "{installed}");

    // Edit: revision 2, offered next, installed and reported again.
    let edited = api(
        &served,
        "edit_third_party_update",
        json!({ "updateId": update_id, "spec": spec(&installer, "Fabrikam Viewer 3.2.1 (quiet)", "REBOOT=ReallySuppress /qn") }),
    );
    assert_eq!(edited["revision"], 2, "{edited}");
    let summary = simulate(&clients, seed, |c| {
        c.install = true;
        c.cycles = 2;
    });
    assert_eq!(summary.offered_revisions[&0].get(&update_id), Some(&2), "{summary}");
    assert_eq!(summary.offers[&0].get(&update_id).map(String::as_str), Some("Install"));
    let status = api(&served, "get_update_status", json!({ "updateId": update_id }));
    assert_eq!(status["installed"], 1, "{status}");

    // A child site synchronizing from this one: the update at revision 2, its cabinet
    // downloaded from the parent and still signed by the parent's certificate.
    let child_dir = tempfile::tempdir().expect("child");
    let child = Site::open(child_dir.path()).expect("child");
    call(
        &child,
        "set_sync_settings",
        child_settings(
            &served.base,
            std::slice::from_ref(&product_id),
            &[SECURITY_UPDATES.to_string()],
        ),
    );
    let run = sync(&child);
    assert_eq!(run["state"], "Succeeded", "{run}");
    let listed: Vec<(String, i64, String)> = catalog(&child)
        .into_iter()
        .filter(|(id, _, _)| id.eq_ignore_ascii_case(&update_id))
        .collect();
    assert_eq!(
        listed,
        // `catalog` keeps each title as JSON text.
        [(update_id.clone(), 2, json!("Fabrikam Viewer 3.2.1 (quiet)").to_string())]
    );
    assert_eq!(
        documents(child_dir.path()).get(&update_id),
        documents(&folder).get(&update_id),
        "the child holds the parent's document unchanged"
    );
    let job = call(
        &child,
        "start_download",
        json!({ "newPackageName": "Fabrikam", "updateIds": [update_id], "source": { "kind": "Upstream" } }),
    );
    let job_id = job["id"].as_i64().expect("job id");
    let done = wait_job(|| call(&child, "get_download_job", json!({ "id": job_id })));
    assert_eq!(done["state"], "Succeeded", "{done}");
    let details = api(&served, "get_update", json!({ "updateId": update_id }));
    let sha1 = details["files"][0]["sha1"].as_str().expect("sha1").to_uppercase();
    let relative = format!("{}/{sha1}.cab", &sha1[38..]);
    let in_child = child_dir.path().join("content").join(&relative);
    assert_eq!(
        std::fs::read(&in_child).expect("in the child's library"),
        std::fs::read(folder.join("content").join(&relative)).expect("on the parent")
    );
    let exported = api(&served, "export_publishing_certificate", json!({}));
    let pem = dir.path().join("publisher.pem");
    std::fs::write(&pem, exported["pem"].as_str().expect("pem")).expect("pem");
    assert!(osslsigncode_verifies(&pem, &in_child), "the child's copy verifies");
    // Not published at the child: it cannot edit or delete it there.
    let refused = site::dispatch(
        &child,
        &site::Actor::new("test"),
        "delete_third_party_update",
        json!({ "updateId": update_id }),
    )
    .expect_err("not published at the child");
    assert!(
        refused.message.contains("was not published at this site"),
        "{}",
        refused.message
    );
}

/// Publishes, with the site's own `gen-catalog` classifications, offers the update's product
/// and Security Updates, and registers two simulated computers under a seed both of which
/// need `update_id` and install it successfully. Returns (site folder, served, clients URL,
/// seed, update id, published answer).
fn two_computers_needing(dir: &Path, spec: Value) -> (std::path::PathBuf, Served, String, u64, String, Value) {
    let folder = dir.join("site");
    let generated = patchdeck(&folder)
        .args(["gen-catalog", "--count", "1", "--seed", "3", "--import"])
        .status()
        .expect("gen-catalog");
    assert!(generated.success());
    let (served, clients) = serve_with_clients(&folder, TOKEN);
    let published = api(&served, "publish_third_party_update", spec);
    let update_id = published["updateId"].as_str().expect("id").to_ascii_lowercase();
    offer_the_product(&served);
    let seed = seed_where(
        &documents(&folder),
        |seed, state| {
            (0..2).all(|i| state(seed, i) == Some(State::Needed) && draw(seed, i, "install-outcome", &update_id) < 90)
        },
        &update_id,
    );
    simulate(&clients, seed, |c| c.handshake_only = true);
    (folder, served, clients, seed, update_id, published)
}

/// An .exe with the wizard's default detection, "install once per computer".
fn exe_spec(setup: &Path, title: &str, arguments: &str) -> Value {
    let mut spec = spec(setup, title, arguments);
    spec["returnCodes"] = json!([{ "code": 0, "result": "Succeeded" }]);
    spec
}

/// Offers the publisher's product (Fabrikam Viewer) and Security Updates; its id.
fn offer_the_product(served: &Served) -> String {
    let product_id = api(served, "list_categories", json!({}))
        .as_array()
        .expect("categories")
        .iter()
        .find(|c| c["kind"] == "Product" && c["title"] == "Fabrikam Viewer")
        .and_then(|c| c["categoryId"].as_str())
        .expect("the publisher's product category")
        .to_string();
    api(
        served,
        "set_offered_categories",
        json!({ "productIds": [product_id], "classificationIds": [SECURITY_UPDATES] }),
    );
    product_id
}

/// A Pilot group holding `computer`, the update approved Required for it alone; its id.
fn pilot_approved(served: &Served, update_id: &str, computer: i64) -> i64 {
    let pilot = api(served, "create_target_group", json!({ "name": "Pilot", "parentId": 1 }))["id"]
        .as_i64()
        .expect("group id");
    api(
        served,
        "add_group_members",
        json!({ "groupId": pilot, "computerIds": [computer] }),
    );
    api(
        served,
        "approve_updates",
        json!({ "updateIds": [update_id], "approvals": [{ "groupId": pilot, "action": "Required", "deadline": "None" }] }),
    );
    pilot
}

fn computer_id(served: &Served, name: &str) -> i64 {
    api(served, "list_computers", json!({}))
        .as_array()
        .expect("computers")
        .iter()
        .find(|c| c["name"] == name)
        .and_then(|c| c["id"].as_i64())
        .unwrap_or_else(|| panic!("{name} registered"))
}

/// "Install once per computer" (the wizard's default detection) with a real agent's
/// evaluation: an .exe published so has the never-true IsInstalled rule, so the agent (the
/// simulator evaluates `<False />` as the agent does) finds it needed even right after
/// installing it. The site remembers the install: the next cycles do not install it again on
/// that computer and Update Status keeps it Installed, while a computer that has not
/// installed it is offered it; Edit's new revision is installed once more, once.
#[test]
fn an_update_installed_once_per_computer_is_installed_once_and_stays_installed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("src");
    let setup = exe::build_exe(&src);
    let (_folder, served, clients, seed, update_id, published) =
        two_computers_needing(dir.path(), exe_spec(&setup, "Fabrikam Viewer Setup 3.2.1", "/S"));
    let first = computer_id(&served, &format!("sim-{seed}-0"));
    let second = computer_id(&served, &format!("sim-{seed}-1"));
    let pilot = pilot_approved(&served, &update_id, first);
    let installed_names = || -> Vec<String> {
        let rows = api(
            &served,
            "list_update_status_computers",
            json!({ "updateId": update_id, "status": "Installed" }),
        );
        let mut names: Vec<String> = rows["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .filter_map(|r| r["name"].as_str().map(str::to_owned))
            .collect();
        names.sort();
        names
    };

    // Three cycles of one agent (it keeps what it holds between them): installed at the
    // first, then reported needed at each scan, yet not installed again.
    let summary = simulate(&clients, seed, |c| {
        c.install = true;
        c.cycles = 3;
    });
    assert_eq!(summary.installed, 1, "installed once, not at every cycle: {summary}");
    assert!(summary.bytes_downloaded >= published["size"].as_u64().expect("size"));
    assert_eq!(
        summary.offers[&0].get(&update_id).map(String::as_str),
        Some("PreDeploymentCheck"),
        "the agent now holds it for detection only: {summary}"
    );
    let status = api(&served, "get_update_status", json!({ "updateId": update_id }));
    assert_eq!(
        status["installed"], 1,
        "Installed despite later reports of it needed: {status}"
    );
    assert_eq!(installed_names(), [format!("sim-{seed}-0")]);

    // A new agent cache (the computer's data store reset): the site still does not ask it to
    // install; the second computer, now in Pilot, has not installed it and is offered it.
    api(
        &served,
        "add_group_members",
        json!({ "groupId": pilot, "computerIds": [second] }),
    );
    let summary = simulate(&clients, seed, |c| {
        c.install = true;
        c.cycles = 1;
    });
    assert_eq!(
        summary.offers[&0].get(&update_id).map(String::as_str),
        Some("PreDeploymentCheck")
    );
    assert_eq!(
        summary.offers[&1].get(&update_id).map(String::as_str),
        Some("Install"),
        "{summary}"
    );
    assert_eq!(
        summary.installed, 1,
        "the second computer alone installed it: {summary}"
    );
    let status = api(&served, "get_update_status", json!({ "updateId": update_id }));
    assert_eq!(status["installed"], 2, "{status}");
    assert_eq!(installed_names(), [format!("sim-{seed}-0"), format!("sim-{seed}-1")]);

    // Edit: revision 2 is a new install, once on each computer.
    let edited = api(
        &served,
        "edit_third_party_update",
        json!({ "updateId": update_id, "spec": exe_spec(&setup, "Fabrikam Viewer Setup 3.2.1 (quiet)", "/S /quiet") }),
    );
    assert_eq!(edited["revision"], 2, "{edited}");
    let summary = simulate(&clients, seed, |c| {
        c.install = true;
        c.cycles = 3;
    });
    assert_eq!(
        summary.installed, 2,
        "revision 2 installed once on each computer: {summary}"
    );
    for computer in [0, 1] {
        assert_eq!(
            summary.offered_revisions[&computer].get(&update_id),
            Some(&2),
            "{summary}"
        );
        assert_eq!(
            summary.offers[&computer].get(&update_id).map(String::as_str),
            Some("PreDeploymentCheck")
        );
    }
    let status = api(&served, "get_update_status", json!({ "updateId": update_id }));
    assert_eq!(status["installed"], 2, "{status}");
}

/// A child site that synchronized a parent's once-per-computer update (it has no record of
/// publishing it, only the vendor's company and product categories) installs it once on its
/// own computers too: installed at the first cycle, then held for detection only, and
/// Installed kept against the later reports of it needed.
#[test]
fn a_child_site_installs_a_parents_once_per_computer_update_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("src");
    let setup = exe::build_exe(&src);
    let parent = dir.path().join("parent");
    let generated = patchdeck(&parent)
        .args(["gen-catalog", "--count", "1", "--seed", "3", "--import"])
        .status()
        .expect("gen-catalog");
    assert!(generated.success());
    let parent_served = serve(&parent, TOKEN);
    let published = api(
        &parent_served,
        "publish_third_party_update",
        exe_spec(&setup, "Fabrikam Viewer Setup 3.2.1", "/S"),
    );
    let update_id = published["updateId"].as_str().expect("id").to_ascii_lowercase();
    let product_id = offer_the_product(&parent_served);

    let child_folder = dir.path().join("child");
    {
        let child = Site::open(&child_folder).expect("child");
        call(
            &child,
            "set_sync_settings",
            child_settings(
                &parent_served.base,
                std::slice::from_ref(&product_id),
                &[SECURITY_UPDATES.to_string()],
            ),
        );
        let run = sync(&child);
        assert_eq!(run["state"], "Succeeded", "{run}");
        let job = call(
            &child,
            "start_download",
            json!({ "newPackageName": "Fabrikam", "updateIds": [update_id], "source": { "kind": "Upstream" } }),
        );
        let job_id = job["id"].as_i64().expect("job id");
        let done = wait_job(|| call(&child, "get_download_job", json!({ "id": job_id })));
        assert_eq!(done["state"], "Succeeded", "{done}");
    }
    let (served, clients) = serve_with_clients(&child_folder, TOKEN);
    offer_the_product(&served);
    let seed = seed_where(
        &documents(&child_folder),
        |seed, state| state(seed, 0) == Some(State::Needed) && draw(seed, 0, "install-outcome", &update_id) < 90,
        &update_id,
    );
    simulate(&clients, seed, |c| c.handshake_only = true);
    pilot_approved(&served, &update_id, computer_id(&served, &format!("sim-{seed}-0")));

    let summary = simulate(&clients, seed, |c| {
        c.install = true;
        c.cycles = 3;
    });
    assert_eq!(summary.installed, 1, "installed once, not at every cycle: {summary}");
    assert_eq!(
        summary.offers[&0].get(&update_id).map(String::as_str),
        Some("PreDeploymentCheck"),
        "the child's computer now holds it for detection only: {summary}"
    );
    let status = api(&served, "get_update_status", json!({ "updateId": update_id }));
    assert_eq!(status["installed"], 1, "{status}");
}
