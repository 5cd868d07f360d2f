//! The Download Software Updates wizard's site side: the source check before its Summary
//! (a real folder; a real loopback HTTP server standing for the upstream, holding a file or
//! not; a closed port standing for an unreachable one, or for the proxy to Microsoft Update
//! on a machine without network), and a start refused at any step
//! leaving no package, job or audit line behind.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::{json, Value};
use site::{dispatch, Actor, Site};

/// A site under `root` holding `count` generated updates with real files (in the returned
/// folder, not in its library), and the updates' ids.
fn site_with_files(root: &Path, count: usize, seed: u64) -> (Site, PathBuf, Vec<UpdateFile>, Vec<String>) {
    let (docs, files_dir, real) = updates_with_files(root, count, seed, |n| 900 + n * 53);
    let site_dir = root.join("site");
    import_docs(&site_dir, &docs);
    let site = Site::open(&site_dir).expect("site");
    let ids = update_ids(&site);
    (site, files_dir, real, ids)
}

fn refused(site: &Site, name: &str, args: Value) -> String {
    match dispatch(site, &Actor::new("test:download"), name, args) {
        Ok(v) => panic!("{name} was not refused: {v}"),
        Err(e) => e.message,
    }
}

fn audit_actions(site: &Site) -> Vec<String> {
    call(site, "list_audit", json!({ "offset": 0, "limit": 1000 }))
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().expect("action").to_string())
        .collect()
}

fn packages(site: &Site) -> Vec<Value> {
    call(site, "list_packages", json!({}))
        .as_array()
        .expect("packages")
        .clone()
}

fn jobs(site: &Site) -> usize {
    call(site, "list_download_jobs", json!({}))
        .as_array()
        .expect("jobs")
        .len()
}

fn check(site: &Site, ids: &[String], source: Value) -> Value {
    call(
        site,
        "check_download_source",
        json!({ "updateIds": ids, "languages": [], "source": source }),
    )
}

/// The check's refusal: the field it names and its message.
fn refusal(answer: &Value) -> (String, String) {
    assert_eq!(answer["ok"], false, "{answer}");
    let issue = &answer["issue"];
    (
        issue["field"].as_str().expect("field").to_string(),
        issue["message"].as_str().expect("message").to_string(),
    )
}

/// An HTTP server on loopback answering every request with `status` (206 with one byte, or
/// 404); its address.
fn upstream(status: u16) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            // The request line and headers, up to the blank line.
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let mut out = stream;
            let answer = if status == 206 {
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-0/10\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"
                    .to_string()
            } else {
                format!("HTTP/1.1 {status} Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            };
            let _ = out.write_all(answer.as_bytes());
        }
    });
    format!("http://{addr}")
}

fn syncs_from(site: &Site, url: &str) {
    call(site, "set_sync_settings", child_settings(url, &[], &[]));
}

#[test]
fn the_source_is_checked_before_the_summary_and_refusals_name_the_field() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (site, files_dir, real, ids) = site_with_files(tmp.path(), 3, 17);
    assert!(!ids.is_empty());

    // A folder: missing, holding nothing, holding every file.
    let (field, message) = refusal(&check(
        &site,
        &ids,
        json!({ "kind": "LocalFolder", "path": tmp.path().join("nowhere") }),
    ));
    assert_eq!(field, "folder");
    assert!(message.contains("does not exist"), "{message}");
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let (field, message) = refusal(&check(&site, &ids, json!({ "kind": "LocalFolder", "path": empty })));
    assert_eq!(field, "folder");
    assert!(message.contains("holds none"), "{message}");
    let full = check(&site, &ids, json!({ "kind": "LocalFolder", "path": files_dir }));
    assert_eq!(full["ok"], true, "{full}");
    assert!(full["filesWanted"].as_i64().expect("wanted") > 0);
    assert_eq!(full["filesFound"], full["filesWanted"], "{full}");
    // One file taken away: still usable, and the answer says how many it holds.
    let first = real.first().expect("a file");
    std::fs::remove_file(files_dir.join(&first.name)).expect("remove");
    let partly = check(&site, &ids, json!({ "kind": "LocalFolder", "path": files_dir }));
    assert_eq!(partly["ok"], true, "{partly}");
    assert_eq!(
        partly["filesFound"].as_i64(),
        partly["filesWanted"].as_i64().map(|n| n - 1),
        "{partly}"
    );

    // The upstream server of a site that synchronizes from Microsoft Update: there is none.
    let (field, message) = refusal(&check(&site, &ids, json!({ "kind": "Upstream" })));
    assert_eq!(field, "source");
    assert!(message.contains("synchronizes from Microsoft Update"), "{message}");

    // An upstream that answers and holds the file; one that answers without it; one that is not there.
    syncs_from(&site, &upstream(206));
    let answered = check(&site, &ids, json!({ "kind": "Upstream" }));
    assert_eq!(answered["ok"], true, "{answered}");
    syncs_from(&site, &upstream(404));
    let (field, message) = refusal(&check(&site, &ids, json!({ "kind": "Upstream" })));
    assert_eq!(field, "source");
    assert!(message.contains("does not hold"), "{message}");
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    syncs_from(&site, &closed);
    let (field, message) = refusal(&check(&site, &ids, json!({ "kind": "Upstream" })));
    assert_eq!(field, "source");
    assert!(message.contains("cannot be reached"), "{message}");
    assert!(message.contains("choose a folder"), "names what to do: {message}");

    // Microsoft Update out of reach (here a proxy that is not there, as a machine without
    // network): said so, with what to do instead.
    let mut offline = child_settings("", &[], &[]);
    offline["source"] = json!("MicrosoftUpdate");
    offline["proxyUrl"] = json!(closed);
    call(&site, "set_sync_settings", offline);
    let (field, message) = refusal(&check(&site, &ids, json!({ "kind": "MicrosoftUpdate" })));
    assert_eq!(field, "source");
    assert!(message.contains("Microsoft Update cannot be reached"), "{message}");
    assert!(message.contains("choose that folder"), "names what to do: {message}");

    // Nothing was recorded by any check.
    assert!(packages(&site).is_empty());
    assert_eq!(jobs(&site), 0);
}

#[test]
fn a_refused_start_leaves_no_new_package_job_or_audit_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (site, files_dir, _, ids) = site_with_files(tmp.path(), 2, 23);
    let before = audit_actions(&site);
    let start = |source: Value| {
        json!({ "newPackageName": "December", "newPackageDescription": "Patch Tuesday",
                "updateIds": ids, "languages": [], "source": source })
    };

    // Refused by its checks: the upstream of a site on Microsoft Update, a missing folder.
    let message = refused(&site, "start_download", start(json!({ "kind": "Upstream" })));
    assert!(message.contains("Microsoft Update"), "{message}");
    let message = refused(
        &site,
        "start_download",
        start(json!({ "kind": "LocalFolder", "path": tmp.path().join("nowhere") })),
    );
    assert!(message.contains("does not exist"), "{message}");

    // Refused after the rows are written: the download folder cannot be made (a file is in
    // its way), so the job cannot be registered and the transaction rolls back.
    let downloads = site::content::partial_root(&site);
    if downloads.is_dir() {
        std::fs::remove_dir_all(&downloads).expect("rmdir");
    }
    std::fs::write(&downloads, b"in the way").expect("block");
    let message = refused(
        &site,
        "start_download",
        start(json!({ "kind": "LocalFolder", "path": files_dir })),
    );
    assert!(message.contains("cannot be written"), "{message}");

    assert!(packages(&site).is_empty(), "{:?}", packages(&site));
    assert_eq!(jobs(&site), 0);
    assert_eq!(audit_actions(&site), before, "only what happened is audited");

    // Once the way is clear, the same start creates the package with its description.
    std::fs::remove_file(&downloads).expect("unblock");
    let job = call(
        &site,
        "start_download",
        start(json!({ "kind": "LocalFolder", "path": files_dir })),
    );
    let id = job["id"].as_i64().expect("id");
    let done = wait_job(|| call(&site, "get_download_job", json!({ "id": id })));
    assert_eq!(done["state"], "Succeeded", "{done}");
    let list = packages(&site);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["name"], "December");
    assert_eq!(list[0]["description"], "Patch Tuesday");
    let added: Vec<String> = audit_actions(&site)
        .into_iter()
        .filter(|a| !before.contains(a))
        .collect();
    assert!(added.contains(&"content.package.create".to_string()), "{added:?}");
    assert!(added.contains(&"content.download.start".to_string()), "{added:?}");
}
