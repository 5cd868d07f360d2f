//! A child Patchdeck and its parent over MS-WSUSSS: a child whose anchors came from another
//! upstream (a real WSUS) syncs in full and then incrementally without a fault; compressed
//! blobs make a child's sync transfer fewer bytes than plain ones, which the parent still
//! sends to a downstream that declares an old protocol version.

mod common;

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use serde_json::json;
use site::Site;

/// Anchors as a real WSUS gave them (exchanges-client 000004 to 000013), as a downstream
/// that used to sync from that WSUS holds them.
const WSUS_CONFIG_ANCHOR: &str = "9438,2026-10-04 16:09:27.167";
const WSUS_CATEGORIES_ANCHOR: &str = "9438,2026-10-04 16:09:27.227";
const WSUS_UPDATES_ANCHOR: &str = "9438,2026-10-04 16:09:27.371";

fn every_classification(p: &Parent) -> Vec<String> {
    parent_call(p, "list_categories", json!({}))
        .as_array()
        .expect("cats")
        .iter()
        .filter(|c| c["kind"] == "UpdateClassification")
        .map(|c| c["categoryId"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn a_child_whose_anchors_came_from_another_upstream_syncs_fully_then_incrementally() {
    let parent = start_parent_with(120);
    let products = parent_products(&parent);
    let classifications = every_classification(&parent);

    let settings = child_settings(&parent.base, &products, &classifications);

    // The reference: a child that never synchronized before.
    let clean_dir = tempfile::tempdir().expect("tempdir");
    let clean = Site::open(clean_dir.path()).expect("site");
    call(&clean, "set_sync_settings", settings.clone());
    assert_eq!(sync(&clean)["state"], "Succeeded");
    let want = catalog(&clean);
    assert!(want.len() > 50, "{}", want.len());

    // A child that synchronized from a WSUS before: its anchors are that server's, and
    // its subscription is unchanged, so it asks with Delta true.
    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(dir.path()).expect("site");
    call(&child, "set_sync_settings", settings);
    let mut subscribed: Vec<String> = products.iter().chain(&classifications).cloned().collect();
    subscribed.sort();
    {
        let c = child.store().writer();
        for (key, value) in [
            ("sync.config_anchor", WSUS_CONFIG_ANCHOR.to_string()),
            ("sync.anchor.config", WSUS_CATEGORIES_ANCHOR.to_string()),
            ("sync.anchor.updates", WSUS_UPDATES_ANCHOR.to_string()),
            ("sync.anchor.filter", subscribed.join(",")),
        ] {
            site::store::meta::put(&c, key, &value).expect("meta");
        }
    }
    let first = sync(&child);
    assert_eq!(first["state"], "Succeeded", "a foreign anchor is no fault: {first}");
    assert_eq!(catalog(&child), want, "the first sync from this upstream is a full one");
    assert!(first["fetchedCount"].as_i64() > Some(50), "{first}");

    let second = sync(&child);
    assert_eq!(second["state"], "Succeeded", "{second}");
    assert_eq!(second["fetchedCount"], 0, "then incremental: {second}");
    assert_eq!(catalog(&child), want);
    let _ = &parent.dir;
}

/// A loopback proxy that counts the bytes of the parent's answers, and rewrites the
/// protocol version a child declares when `declare` is given.
fn counting_proxy(upstream: String, declare: Option<&'static str>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let bytes = Arc::new(AtomicUsize::new(0));
    let counted = bytes.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let Some(mut req) = read_soap_request(&mut reader) else {
                continue;
            };
            if let Some(version) = declare {
                let body = String::from_utf8_lossy(&req.body).replace(
                    "<protocolVersion>1.20</protocolVersion>",
                    &format!("<protocolVersion>{version}</protocolVersion>"),
                );
                req.body = body.into_bytes();
            }
            let (status, text) = forward_soap(&upstream, &req);
            counted.fetch_add(text.len(), Ordering::SeqCst);
            let _ = stream.write_all(soap_answer_head(status, text.len()).as_bytes());
            let _ = stream.write_all(text.as_bytes());
        }
    });
    (base, bytes)
}

#[test]
fn compressed_blobs_cut_the_bytes_of_a_childs_sync_and_plain_ones_still_sync() {
    let parent = start_parent_with(400);
    let products = parent_products(&parent);
    let classifications = every_classification(&parent);
    let mut runs = Vec::new();
    for declare in [Some("1.1"), None] {
        let dir = tempfile::tempdir().expect("tempdir");
        let child = Site::open(dir.path()).expect("site");
        let (base, bytes) = counting_proxy(parent.base.clone(), declare);
        call(
            &child,
            "set_sync_settings",
            child_settings(&base, &products, &classifications),
        );
        let run = sync(&child);
        assert_eq!(run["state"], "Succeeded", "{declare:?}: {run}");
        runs.push((
            catalog(&child),
            run["fetchedCount"].clone(),
            bytes.load(Ordering::SeqCst),
        ));
    }
    let (plain, compressed) = (&runs[0], &runs[1]);
    assert_eq!(plain.0, compressed.0, "the same catalog either way");
    assert_eq!(plain.1, compressed.1);
    println!(
        "child sync of {} documents: {} bytes with plain blobs, {} with compressed blobs ({:.0}%)",
        compressed.1,
        plain.2,
        compressed.2,
        100.0 * compressed.2 as f64 / plain.2 as f64
    );
    assert!(compressed.2 < plain.2, "fewer bytes: {} vs {}", compressed.2, plain.2);
}
