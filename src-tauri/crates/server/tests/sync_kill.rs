//! `patchdeck sync` killed at random points, 20 times, then run to the end: the catalog
//! equals a clean synchronization's, with no duplicate and nothing half-written.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use site::Site;

#[test]
fn a_sync_killed_twenty_times_ends_like_a_clean_one() {
    let parent = start_parent_with(1500);
    let products = parent_products(&parent);
    let settings = child_settings(&parent.base, &products, &[]);

    let clean_dir = tempfile::tempdir().expect("tempdir");
    let clean = Site::open(clean_dir.path()).expect("site");
    call(&clean, "set_sync_settings", settings.clone());
    assert_eq!(sync(&clean)["state"], "Succeeded");
    let want = catalog(&clean);
    let revisions_wanted = call(&clean, "site_info", json!(null))["revisionCount"].clone();

    let dir = tempfile::tempdir().expect("tempdir");
    call(&Site::open(dir.path()).expect("site"), "set_sync_settings", settings);
    // A fixed sequence of kill delays, so a failure can be replayed.
    let mut seed: u64 = 0x5eed;
    let mut killed_mid_way = 0;
    for _ in 0..20 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_millis(20 + (seed >> 33) % 300);
        let mut run = patchdeck(dir.path())
            .arg("sync")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("sync");
        std::thread::sleep(delay);
        if run.try_wait().expect("wait").is_none() {
            killed_mid_way += 1;
        }
        let _ = run.kill();
        let _ = run.wait();
    }
    eprintln!("{killed_mid_way} of 20 kills landed during a run");
    assert!(killed_mid_way >= 10, "most kills land during a run ({killed_mid_way})");
    let out = patchdeck(dir.path()).arg("sync").output().expect("final sync");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let child = Site::open(dir.path()).expect("the killed site still opens");
    assert_eq!(catalog(&child), want);
    assert_eq!(
        call(&child, "site_info", json!(null))["revisionCount"],
        revisions_wanted,
        "no revision twice, none missing"
    );
    // Runs cut short are shown as failed, not as running forever.
    let status = call(&child, "get_sync_status", json!({}));
    assert!(status["running"].is_null());
    assert!(status["history"]
        .as_array()
        .expect("h")
        .iter()
        .all(|h| h["state"] != "Running"));
}
