//! The fleet simulator (`server::simulate`) against the real `patchdeck serve
//! --clients-listen`: simulated computers do the handshake and appear in the console's list
//! with the names and editions their profile gives them; the full cycle (scan, extended
//! info, report; rescans while a duration runs) against a generated catalog.

mod common;

use std::time::Duration;

use common::{api, patchdeck, serve_with_clients, TOKEN};
use serde_json::{json, Value};
use server::simulate::{profile, run, Config};

const SEED: u64 = 7;
const COUNT: u64 = 5;

fn computers(served: &common::Served) -> Vec<Value> {
    api(served, "list_computers", json!({}))
        .as_array()
        .expect("computers")
        .clone()
}

#[test]
fn simulated_computers_register_and_appear_in_the_console() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (served, clients) = serve_with_clients(&dir.path().join("site"), TOKEN);
    let mut config = Config::new(&clients, COUNT, SEED);
    config.handshake_only = true;
    config.timeout = Duration::from_secs(30);
    let summary = run(config.clone()).expect("run");
    assert!(!summary.failed(), "{summary}");
    assert_eq!((summary.computers, summary.cycles), (COUNT, COUNT), "{summary}");

    let mut listed: Vec<(String, String)> = computers(&served)
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_string(),
                c["os"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    listed.sort();
    let mut expected: Vec<(String, String)> = (0..COUNT)
        .map(|i| {
            let id = profile::identity(SEED, i);
            (id.dns_name, id.os.description.to_string())
        })
        .collect();
    expected.sort();
    assert_eq!(listed, expected);

    // The same seed is the same computers: a second run registers nobody new.
    let summary = run(config).expect("run again");
    assert!(!summary.failed(), "{summary}");
    assert_eq!(computers(&served).len(), COUNT as usize);
}

#[test]
fn the_full_cycle_scans_downloads_installs_and_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let status = patchdeck(&site)
        .args(["gen-catalog", "--count", "300", "--seed", "3", "--import"])
        .status()
        .expect("gen-catalog");
    assert!(status.success());
    let (served, clients) = serve_with_clients(&site, TOKEN);
    let mut config = Config::new(&clients, COUNT, SEED);
    config.install = true;
    let summary = run(config).expect("run");
    assert!(!summary.failed(), "{summary}");
    assert_eq!(summary.scans, COUNT, "{summary}");
    // At least detection (147) and status (156) from each computer.
    assert!(summary.events_reported >= 2 * COUNT, "{summary}");
    assert_eq!(computers(&served).len(), COUNT as usize);

    // A rescan of the same computers in one run: each scans again and still nothing fails.
    let mut config = Config::new(&clients, COUNT, SEED);
    config.duration = Some(Duration::from_secs(3));
    config.rescan_interval = Duration::from_secs(1);
    let summary = run(config).expect("run with duration");
    assert!(!summary.failed(), "{summary}");
    assert!(summary.scans > COUNT, "{summary}");
}
