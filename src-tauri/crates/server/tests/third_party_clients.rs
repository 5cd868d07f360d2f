//! A published third-party update in the hands of its consumers (issue 16, acceptance):
//! simulated Windows Update Agents (`server::simulate`, MS-WUSP over loopback HTTP) in the
//! group it is approved for are offered it, download its signed cabinet, install it and
//! report it, and Update Status reads Installed; after Edit, revision 2 is what they are
//! offered. A child site synchronizing from this one receives the update at the same
//! revision and downloads a cabinet that still verifies against the parent's certificate.

mod common;

#[path = "../../site/tests/support/msi.rs"]
mod msi;

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
    let mut held: HashMap<Arc<str>, Arc<CoreFacts>> = HashMap::new();
    for xml in docs.values() {
        let facts = sim_core::read(xml).expect("core facts");
        held.insert(Arc::from(facts.update_id.as_str()), Arc::new(facts));
    }
    (0..10_000)
        .find(|&seed| {
            Evaluator::new(seed, 0, &held).state(update_id) == Some(State::Needed)
                && draw(seed, 0, "install-outcome", update_id) < 90
                // The other computer must not find it installed of itself, so Installed
                // counts the Pilot computer alone.
                && Evaluator::new(seed, 1, &held).state(update_id) != Some(State::Installed)
        })
        .expect("a seed under which computer 0 needs the update")
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
    let product_id = api(&served, "list_categories", json!({}))
        .as_array()
        .expect("categories")
        .iter()
        .find(|c| c["kind"] == "Product" && c["title"] == "Fabrikam Viewer")
        .and_then(|c| c["categoryId"].as_str())
        .expect("the publisher's product category")
        .to_string();
    api(
        &served,
        "set_offered_categories",
        json!({ "productIds": [product_id], "classificationIds": [SECURITY_UPDATES] }),
    );

    // Two computers: the first moved into Pilot, the one group the update is approved for.
    let seed = seed_that_needs(&documents(&folder), &update_id);
    simulate(&clients, seed, |c| c.handshake_only = true);
    let first = format!("sim-{seed}-0");
    let computers = api(&served, "list_computers", json!({}));
    let pilot_member = computers
        .as_array()
        .expect("computers")
        .iter()
        .find(|c| c["name"] == first.as_str())
        .and_then(|c| c["id"].as_i64())
        .expect("computer 0 registered");
    let pilot = api(
        &served,
        "create_target_group",
        json!({ "name": "Pilot", "parentId": 1 }),
    )["id"]
        .as_i64()
        .expect("group id");
    api(
        &served,
        "add_group_members",
        json!({ "groupId": pilot, "computerIds": [pilot_member] }),
    );
    api(
        &served,
        "approve_updates",
        json!({ "updateIds": [update_id], "approvals": [{ "groupId": pilot, "action": "Required", "deadline": "None" }] }),
    );

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
