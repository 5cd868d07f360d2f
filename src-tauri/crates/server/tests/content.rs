//! Content over loopback: a parent `patchdeck serve` holds real update files in its library
//! and serves them at their UssUrl paths; a child site downloads them from it, verifying
//! every digest; a tampered file is refused; a killed download resumes with a Range
//! request; packages are copied to folder distribution points and uploaded to remote ones
//! (another `patchdeck serve`), and their state reported.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use site::Site;

/// Listed updates (ids) of a served site.
fn listed(s: &Served) -> Vec<String> {
    let page = api(
        s,
        "list_updates",
        json!({ "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } }),
    );
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["updateId"].as_str().expect("id").to_string())
        .collect()
}

fn wait_distribution(child: &Site, package: i64, dp: i64) -> Value {
    wait_distribution_with(|args| call(child, "get_distribution_status", args), package, dp)
}

/// Polls `status` (get_distribution_status, in process or over HTTP) until the package's
/// row for `dp` leaves InProgress.
fn wait_distribution_with(status: impl Fn(Value) -> Value, package: i64, dp: i64) -> Value {
    let start = Instant::now();
    loop {
        let all = status(json!({ "packageId": package }));
        let row = all
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["dpId"] == dp)
            .cloned()
            .expect("a status row for the distribution point");
        if row["state"] != "InProgress" {
            return row;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "distribution still running: {row}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn files_of<'a>(real: &'a [UpdateFile], ids: &[String], docs: &HashMap<String, Vec<String>>) -> Vec<&'a UpdateFile> {
    real.iter()
        .filter(|f| {
            ids.iter()
                .any(|id| docs.get(id).is_some_and(|d| d.contains(&f.update_doc)))
        })
        .collect()
}

/// Update id → the documents whose files a download of it brings (itself and, for a
/// bundle, its members), read from the served site's Properties.
fn documents_by_update(s: &Served, ids: &[String]) -> HashMap<String, Vec<String>> {
    let mut m = HashMap::new();
    for id in ids {
        let d = api(s, "get_update", json!({ "updateId": id }));
        let mut docs = vec![format!("{id}-r200.xml")];
        for b in d["bundledUpdates"].as_array().into_iter().flatten() {
            docs.push(format!("{}-r200.xml", b["updateId"].as_str().expect("member id")));
        }
        m.insert(id.clone(), docs);
    }
    m
}

#[test]
fn digests_are_of_the_bytes() {
    // The helper the test builds its metadata with gives the well-known SHA-1 of "abc".
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("abc");
    std::fs::write(&p, b"abc").expect("write");
    let (sha1, _) = site::content::digests_of(&p).expect("digest");
    assert_eq!(
        site::content::hex_of(&sha1).as_deref(),
        Some("A9993E364706816ABA3E25717850C26C9CD0D89D")
    );
}

#[test]
fn content_flows_from_a_parent_to_a_child_verified_and_distributed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (docs, files_dir, real) = updates_with_files(tmp.path(), 6, 11, |n| 20_000 + n * 7_919);
    let parent_site = tmp.path().join("parent");
    import_docs(&parent_site, &docs);
    let parent = serve(&parent_site, TOKEN);

    // The parent downloads every listed update's files from a local folder.
    let ids = listed(&parent);
    assert!(ids.len() >= 3, "{ids:?}");
    let by_update = documents_by_update(&parent, &ids);
    let job = api(
        &parent,
        "start_download",
        json!({ "newPackageName": "Everything", "updateIds": ids, "source": { "kind": "LocalFolder", "path": files_dir } }),
    );
    let id = job["id"].as_i64().expect("job id");
    let done = wait_job(|| api(&parent, "get_download_job", json!({ "id": id })));
    assert_eq!(done["state"], "Succeeded", "{done}");
    let all_files = files_of(&real, &ids, &by_update);
    assert_eq!(done["filesDownloaded"].as_u64(), Some(all_files.len() as u64), "{done}");
    for f in &all_files {
        let stored = std::fs::read(parent_site.join("content").join(f.rel())).expect("in the parent's library");
        assert_eq!(stored, f.bytes, "{} stored as its bytes", f.name);
    }
    let packages = api(&parent, "list_packages", json!({}));
    assert_eq!(packages[0]["name"], "Everything");
    assert_eq!(packages[0]["downloadedCount"].as_u64(), Some(all_files.len() as u64));

    // ...and serves them at their UssUrl paths, without a token, with Range and HEAD.
    let sample = all_files[0];
    let url = format!("{}/Content/{}", parent.base, sample.rel());
    let mut body = Vec::new();
    ureq::get(&url)
        .call()
        .expect("GET content")
        .into_reader()
        .read_to_end(&mut body)
        .expect("body");
    assert_eq!(body, sample.bytes);
    let ranged = ureq::get(&url).set("Range", "bytes=100-").call().expect("ranged GET");
    assert_eq!(ranged.status(), 206);
    let mut tail = Vec::new();
    ranged.into_reader().read_to_end(&mut tail).expect("tail");
    assert_eq!(tail, sample.bytes[100..]);
    let head = ureq::head(&url).call().expect("HEAD");
    assert_eq!(
        head.header("Content-Length"),
        Some(sample.bytes.len().to_string().as_str())
    );
    match ureq::get(&format!("{}/Content/00/0000.cab", parent.base)).call() {
        Err(ureq::Error::Status(404, _)) => {}
        other => panic!("a missing file is 404: {other:?}"),
    }
    match ureq::get(&format!("{}/Content/%2e%2e/site.db", parent.base)).call() {
        Err(ureq::Error::Status(s, _)) => assert!(s == 404 || s == 400, "{s}"),
        Ok(_) => panic!("the database is not content"),
        Err(e) => panic!("{e}"),
    }

    // A child synchronizes from the parent, then downloads content from it.
    let child_dir = tempfile::tempdir().expect("child");
    let child = Site::open(child_dir.path()).expect("child");
    call(
        &child,
        "set_sync_settings",
        child_settings(&parent.base, &products(&parent), &[]),
    );
    let run = sync(&child);
    assert_eq!(run["state"], "Succeeded", "{run}");
    let mut events = child.subscribe();

    // "Late": an update whose files no other chosen update brings (bundles bring members).
    let late = ids
        .iter()
        .rev()
        .find(|id| {
            let mine = files_of(&real, std::slice::from_ref(*id), &by_update);
            let others: Vec<String> = ids.iter().filter(|o| o != id).cloned().collect();
            let theirs = files_of(&real, &others, &by_update);
            !mine.is_empty() && mine.iter().all(|f| !theirs.iter().any(|t| t.sha1 == f.sha1))
        })
        .expect("an update with files of its own")
        .clone();
    let pilot_ids: Vec<String> = ids.iter().filter(|i| **i != late).cloned().collect();
    let late_ids = [late];
    let (pilot_ids, late_ids) = (&pilot_ids[..], &late_ids[..]);
    let pilot_files = files_of(&real, pilot_ids, &by_update);
    let late_files = files_of(&real, late_ids, &by_update);
    assert!(!pilot_files.is_empty() && !late_files.is_empty());
    let job = call(
        &child,
        "start_download",
        json!({ "newPackageName": "Pilot", "updateIds": pilot_ids, "source": { "kind": "Upstream" }, "languages": ["en"] }),
    );
    let pilot_job = job["id"].as_i64().expect("id");
    let done = wait_job(|| call(&child, "get_download_job", json!({ "id": pilot_job })));
    assert_eq!(done["state"], "Succeeded", "{done}");
    assert_eq!(done["filesDownloaded"].as_u64(), Some(pilot_files.len() as u64));
    for f in &pilot_files {
        let stored = std::fs::read(child_dir.path().join("content").join(f.rel())).expect("in the child's library");
        assert_eq!(stored, f.bytes, "{} arrived whole", f.name);
    }
    let mut progress = 0;
    while let Ok(e) = events.try_recv() {
        let e = serde_json::to_value(e).expect("event");
        if e["job"] == format!("download:{pilot_job}") {
            progress += 1;
        }
    }
    assert!(progress >= 2, "per-file progress events were sent");

    // A file altered on the parent after it was stored: the child refuses it.
    let bad = late_files[0];
    let on_parent = parent_site.join("content").join(bad.rel());
    let mut altered = bad.bytes.clone();
    altered[7] ^= 0x55;
    std::fs::write(&on_parent, &altered).expect("tamper");
    let job = call(
        &child,
        "start_download",
        json!({ "newPackageName": "Late", "updateIds": late_ids, "source": { "kind": "Upstream" } }),
    );
    let late_job = job["id"].as_i64().expect("id");
    let done = wait_job(|| call(&child, "get_download_job", json!({ "id": late_job })));
    assert_eq!(done["state"], "Failed", "{done}");
    let row = done["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["sha1"] == bad.sha1.as_str())
        .cloned()
        .expect("the tampered file's row");
    assert_eq!(row["state"], "Failed");
    let error = row["error"].as_str().expect("error text");
    assert!(
        error.contains("SHA-1 mismatch") && error.contains(&bad.sha1) && error.contains(&bad.name),
        "the error names the file and the digests: {error}"
    );
    assert!(error.contains(row["updateId"].as_str().expect("update id")), "{error}");
    assert!(
        !child_dir.path().join("content").join(bad.rel()).exists(),
        "a refused file is never in the library"
    );
    let leftovers: Vec<_> = std::fs::read_dir(child_dir.path().join("downloads"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "partial"))
                .collect()
        })
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "the refused download was deleted: {leftovers:?}");
    let late = call(&child, "list_packages", json!({}))
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "Late")
        .cloned()
        .expect("Late");
    assert_eq!(late["downloadedCount"].as_i64(), Some(late_files.len() as i64 - 1));

    // Distribution to a folder: every file copied under Content/ and verified.
    let pilot_pkg = done_package(&child, "Pilot");
    let dp_dir = tempfile::tempdir().expect("dp");
    let dp_folder = dp_dir.path().join("branch-office");
    let dp = call(
        &child,
        "add_distribution_point",
        json!({ "name": "Branch office", "kind": "Folder", "location": dp_folder }),
    );
    assert!(dp_folder.is_dir(), "the folder is created");
    let dp_id = dp["id"].as_i64().expect("dp id");
    call(
        &child,
        "distribute_package",
        json!({ "packageId": pilot_pkg, "dpIds": [dp_id] }),
    );
    let st = wait_distribution(&child, pilot_pkg, dp_id);
    assert_eq!(st["state"], "Installed", "{st}");
    for f in &pilot_files {
        let copy = std::fs::read(dp_folder.join("Content").join(f.rel())).expect("copied");
        assert_eq!(copy, f.bytes);
    }
    let summary = call(&child, "list_packages", json!({}));
    let pilot = summary
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "Pilot")
        .cloned()
        .expect("Pilot");
    assert_eq!(pilot["distribution"]["installed"], 1, "{pilot}");

    // A library file damaged after its download: its copy does not match and is refused.
    let victim = pilot_files[0];
    let in_child = child_dir.path().join("content").join(victim.rel());
    let mut damaged = victim.bytes.clone();
    damaged[0] ^= 1;
    std::fs::write(&in_child, &damaged).expect("damage");
    let dp2_folder = dp_dir.path().join("second");
    let dp2 = call(
        &child,
        "add_distribution_point",
        json!({ "name": "Second office", "kind": "Folder", "location": dp2_folder }),
    );
    let dp2_id = dp2["id"].as_i64().expect("id");
    call(
        &child,
        "distribute_package",
        json!({ "packageId": pilot_pkg, "dpIds": [dp2_id] }),
    );
    let st = wait_distribution(&child, pilot_pkg, dp2_id);
    assert_eq!(st["state"], "Failed", "{st}");
    let detail = st["detail"].as_str().expect("detail");
    assert!(
        detail.contains(&victim.name) && detail.contains("SHA-1 mismatch") && detail.contains(&victim.sha1),
        "{detail}"
    );
    assert!(!dp2_folder.join("Content").join(victim.rel()).exists());

    // Bad wizard values are refused with a reason.
    let err = site::dispatch(
        &child,
        &site::Actor::new("test"),
        "add_distribution_point",
        json!({ "name": "Relative", "kind": "Folder", "location": "relative/path" }),
    )
    .expect_err("relative path");
    assert!(err.message.contains("full folder path"), "{}", err.message);
    let err = site::dispatch(
        &child,
        &site::Actor::new("test"),
        "start_download",
        json!({ "newPackageName": "X", "updateIds": ["00000000-0000-0000-0000-000000000000"], "source": { "kind": "Upstream" } }),
    )
    .expect_err("unknown update");
    assert!(err.message.contains("not in this site's catalog"), "{}", err.message);

    // The fallback setting (CNT-2) round-trips; every change is in the audit log.
    call(
        &child,
        "set_content_settings",
        json!({ "allowMicrosoftUpdateFallback": true }),
    );
    assert_eq!(
        call(&child, "get_content_settings", json!({}))["allowMicrosoftUpdateFallback"],
        true
    );
    call(&child, "delete_package", json!({ "id": done_package(&child, "Late") }));
    assert!(
        !child_dir
            .path()
            .join("content")
            .join(late_files.last().expect("f").rel())
            .exists()
            || late_files.len() == 1,
        "files only the deleted package held leave the library"
    );
    let audit = call(&child, "list_audit", json!({ "limit": 100 }));
    let actions: Vec<&str> = audit
        .as_array()
        .expect("audit")
        .iter()
        .map(|a| a["action"].as_str().expect("action"))
        .collect();
    for a in [
        "content.package.create",
        "content.download.start",
        "content.dp.add",
        "content.distribute",
        "content.settings",
        "content.package.delete",
    ] {
        assert!(actions.contains(&a), "{a} audited: {actions:?}");
    }
}

fn done_package(site: &Site, name: &str) -> i64 {
    call(site, "list_packages", json!({}))
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["id"].as_i64())
        .unwrap_or_else(|| panic!("package {name}"))
}

/// A loopback proxy that relays `/Content/` answers slowly (SOAP at full speed) and
/// records each request's head and the bytes it relayed.
struct SlowProxy {
    base: String,
    log: Arc<Mutex<Vec<(String, usize)>>>,
}

fn slow_proxy(upstream: &str) -> SlowProxy {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let target = upstream.trim_start_matches("http://").to_string();
    let log: Arc<Mutex<Vec<(String, usize)>>> = Arc::default();
    let l = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let target = target.clone();
            let log = l.clone();
            std::thread::spawn(move || relay(stream, &target, &log));
        }
    });
    SlowProxy { base, log }
}

fn relay(client: TcpStream, target: &str, log: &Mutex<Vec<(String, usize)>>) {
    let mut reader = BufReader::new(client.try_clone().expect("clone"));
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if !lower.starts_with("connection:") {
            head.push_str(&line);
        }
    }
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let slow = head.starts_with("GET /Content/");
    let Ok(mut up) = TcpStream::connect(target) else { return };
    let _ = up.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes());
    let _ = up.write_all(&body);
    let mut client = client;
    let mut buf = vec![0u8; if slow { 32 * 1024 } else { 64 * 1024 }];
    let mut relayed = 0;
    loop {
        let n = match up.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if client.write_all(&buf[..n]).is_err() {
            break;
        }
        relayed += n;
        if slow {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    log.lock().expect("log").push((head, relayed));
}

#[test]
fn a_cancelled_then_killed_download_resumes_with_range_requests() {
    const BIG: usize = 12 * 1024 * 1024;
    let tmp = tempfile::tempdir().expect("tmp");
    // The first file is big enough to kill its transfer part-way; others are small.
    let (docs, files_dir, real) = updates_with_files(tmp.path(), 1, 23, |n| if n == 0 { BIG } else { 10_000 });
    let parent_site = tmp.path().join("parent");
    import_docs(&parent_site, &docs);
    let big = real[0].clone();
    let big_update = big.update_doc.trim_end_matches("-r200.xml").to_string();
    // The parent fills its library through the CLI verb, from the local folder.
    let out = patchdeck(&parent_site)
        .args(["download", "--package", "Parent", "--update", &big_update, "--from"])
        .arg(&files_dir)
        .output()
        .expect("download");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let parent = serve(&parent_site, TOKEN);
    let proxy = slow_proxy(&parent.base);

    let child_dir = tempfile::tempdir().expect("child");
    let partial = child_dir
        .path()
        .join("downloads")
        .join(format!("{}.partial", big.rel().rsplit('/').next().expect("name")));
    let partial_len = || std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
    let cancelled_at = {
        let child = Site::open(child_dir.path()).expect("child");
        call(
            &child,
            "set_sync_settings",
            child_settings(&proxy.base, &products(&parent), &[]),
        );
        assert_eq!(sync(&child)["state"], "Succeeded");
        // Cancelled part-way: the job stops and keeps what it has.
        let job = call(
            &child,
            "start_download",
            json!({ "newPackageName": "Big", "updateIds": [big_update], "source": { "kind": "Upstream" } }),
        );
        assert_eq!(job["id"], 1);
        let start = Instant::now();
        while partial_len() < 1024 * 1024 {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the download did not progress"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        call(&child, "cancel_download", json!({ "id": 1 }));
        let job = wait_job(|| call(&child, "get_download_job", json!({ "id": 1 })));
        assert_eq!(job["state"], "Cancelled", "{job}");
        let at = partial_len();
        assert!(at > 0 && at < BIG as u64, "{at}");
        let row = &job["files"][0];
        assert_eq!(row["state"], "Pending", "{row}");
        assert_eq!(row["bytesDone"].as_u64(), Some(at));
        at
    };

    // Resumed in another process, then killed part-way through the big file...
    let mut running = patchdeck(child_dir.path())
        .args(["download", "--resume", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("download");
    let start = Instant::now();
    while partial_len() < cancelled_at + 1024 * 1024 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the download did not progress"
        );
        assert!(
            running.try_wait().expect("wait").is_none(),
            "the download ended too early"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    {
        // Another process (a console on the same site) sees the job running and leaves it be.
        let child = Site::open(child_dir.path()).expect("child");
        assert_eq!(call(&child, "list_download_jobs", json!({}))[0]["state"], "Running");
        let err = site::dispatch(&child, &site::Actor::new("test"), "resume_download", json!({ "id": 1 }))
            .expect_err("a running job is not started twice");
        assert!(err.message.contains("running"), "{}", err.message);
    }
    running.kill().expect("kill");
    running.wait().expect("reap");
    let kept = std::fs::metadata(&partial).expect("partial kept").len();
    assert!(
        kept > cancelled_at,
        "the resumed run continued the cancelled one's file"
    );
    assert!(kept > 0 && kept < BIG as u64, "{kept}");
    assert!(!child_dir.path().join("content").join(big.rel()).exists());
    {
        let child = Site::open(child_dir.path()).expect("child");
        let jobs = call(&child, "list_download_jobs", json!({}));
        assert_eq!(jobs[0]["state"], "Interrupted", "{jobs}");
    }

    // ...continues from where it stopped.
    let out = patchdeck(child_dir.path())
        .args(["download", "--resume", "1"])
        .output()
        .expect("resume");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stored = std::fs::read(child_dir.path().join("content").join(big.rel())).expect("stored");
    assert!(stored == big.bytes, "the resumed file is whole and verified");
    assert!(!partial.exists());
    let log = proxy.log.lock().expect("log").clone();
    let content: Vec<&(String, usize)> = log.iter().filter(|(h, _)| h.starts_with("GET /Content/")).collect();
    assert!(
        content.iter().any(|(h, _)| h
            .to_ascii_lowercase()
            .contains(&format!("range: bytes={cancelled_at}-"))),
        "the cancelled download continued from byte {cancelled_at}: {content:?}"
    );
    let resumed = content
        .iter()
        .find(|(h, _)| h.to_ascii_lowercase().contains(&format!("range: bytes={kept}-")))
        .unwrap_or_else(|| panic!("a Range request from byte {kept}: {content:?}"));
    assert!(
        resumed.1 < BIG - kept as usize + 4096,
        "only the rest was transferred again ({} bytes)",
        resumed.1
    );
    let child = Site::open(child_dir.path()).expect("child");
    let job = call(&child, "get_download_job", json!({ "id": 1 }));
    assert_eq!(job["state"], "Succeeded", "{job}");
}

/// Polls a served site's distribution status for one package and point until it settles.
fn wait_remote_distribution(s: &Served, package: i64, dp: i64) -> Value {
    wait_distribution_with(|args| api(s, "get_distribution_status", args), package, dp)
}

/// Files (not lock files) anywhere under a folder.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else if !p.to_string_lossy().ends_with(".lock") {
                out.push(p);
            }
        }
    }
    out
}

/// An upload to a served site's content route: its status and JSON answer.
fn put_content(s: &Served, rel: &str, token: Option<&str>, body: &[u8]) -> (u16, Value) {
    let mut req = ureq::put(&format!("{}/api/v1/content/{rel}", s.base));
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    let r = match req.send_bytes(body) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("PUT {rel}: {e}"),
    };
    (r.status(), r.into_json().unwrap_or(Value::Null))
}

#[test]
fn a_package_is_uploaded_to_a_remote_distribution_point_that_verifies_every_file() {
    const TOKEN_B: &str = "remote-dp-token-abcdef0123456789";
    let tmp = tempfile::tempdir().expect("tmp");
    let (docs, files_dir, real) = updates_with_files(tmp.path(), 3, 31, |n| 30_000 + n * 4_099);
    let a_site = tmp.path().join("a");
    import_docs(&a_site, &docs);
    let a = serve(&a_site, TOKEN);
    let b_site = tmp.path().join("b");
    drop(Site::open(&b_site).expect("b"));
    let b = serve(&b_site, TOKEN_B);

    // Site A downloads every listed update's files into a package.
    let ids = listed(&a);
    let by_update = documents_by_update(&a, &ids);
    let job = api(
        &a,
        "start_download",
        json!({ "newPackageName": "Remote pilot", "updateIds": ids, "source": { "kind": "LocalFolder", "path": files_dir } }),
    );
    let id = job["id"].as_i64().expect("job id");
    let done = wait_job(|| api(&a, "get_download_job", json!({ "id": id })));
    assert_eq!(done["state"], "Succeeded", "{done}");
    let package = done["packageId"].as_i64().expect("package");
    let files = files_of(&real, &ids, &by_update);
    assert!(files.len() >= 2, "{files:?}");

    // A plain http:// remote is refused unless allowed explicitly, as for sync.
    let (status, err) = api_refused(
        &a,
        "add_distribution_point",
        json!({ "name": "B", "kind": "Remote", "location": b.base, "token": TOKEN_B }),
    );
    assert_eq!(status, 400, "{err}");
    assert!(err["message"].as_str().expect("msg").contains("plain HTTP"), "{err}");
    let dp = api(
        &a,
        "add_distribution_point",
        json!({ "name": "B", "kind": "Remote", "location": b.base, "token": TOKEN_B, "allowPlainHttp": true }),
    );
    let dp_id = dp["id"].as_i64().expect("dp id");
    api(
        &a,
        "distribute_package",
        json!({ "packageId": package, "dpIds": [dp_id] }),
    );
    let st = wait_remote_distribution(&a, package, dp_id);
    assert_eq!(st["state"], "Installed", "{st}");
    for f in &files {
        let mut body = Vec::new();
        ureq::get(&format!("{}/Content/{}", b.base, f.rel()))
            .call()
            .unwrap_or_else(|e| panic!("B serves {}: {e}", f.name))
            .into_reader()
            .read_to_end(&mut body)
            .expect("body");
        assert!(body == f.bytes, "{} arrived at B as its bytes", f.name);
    }
    // B's library knows the files (their rows) and its audit log says who sent them.
    {
        let db = rusqlite::Connection::open(b_site.join("site.db")).expect("b db");
        let mut stmt = db
            .prepare("SELECT path, file_name FROM content ORDER BY path")
            .expect("q");
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        let mut want: Vec<(String, String)> = files.iter().map(|f| (f.rel(), f.name.clone())).collect();
        want.sort();
        assert_eq!(rows, want);
    }
    let audit = api(&b, "list_audit", json!({ "limit": 100 }));
    let received: Vec<&Value> = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter(|e| e["action"] == "content.receive")
        .collect();
    assert_eq!(received.len(), files.len(), "{audit}");
    assert!(received.iter().all(|e| e["actor"] == "api-token"), "{received:?}");

    // Distributing again finds every file served already and stays Installed.
    api(
        &a,
        "distribute_package",
        json!({ "packageId": package, "dpIds": [dp_id] }),
    );
    assert_eq!(wait_remote_distribution(&a, package, dp_id)["state"], "Installed");

    // A wrong token: Failed, naming the 401 and the token; an unreachable server: Failed.
    let wrong = api(
        &a,
        "add_distribution_point",
        json!({ "name": "B wrong token", "kind": "Remote", "location": b.base, "token": "not-the-token-0000000", "allowPlainHttp": true }),
    );
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let gone = api(
        &a,
        "add_distribution_point",
        json!({ "name": "Gone", "kind": "Remote", "location": closed, "token": TOKEN_B, "allowPlainHttp": true }),
    );
    api(
        &a,
        "distribute_package",
        json!({ "packageId": package, "dpIds": [wrong["id"], gone["id"]] }),
    );
    let st = wait_remote_distribution(&a, package, wrong["id"].as_i64().expect("id"));
    assert_eq!(st["state"], "Failed", "{st}");
    let detail = st["detail"].as_str().expect("detail");
    assert!(detail.contains("401") && detail.contains("token"), "{detail}");
    let st = wait_remote_distribution(&a, package, gone["id"].as_i64().expect("id"));
    assert_eq!(st["state"], "Failed", "{st}");
    assert!(st["detail"].as_str().expect("detail").contains("unreachable"), "{st}");

    // A library file damaged at A after its download: the remote refuses its upload (422)
    // and the state names the file and the digests.
    let c_site = tmp.path().join("c");
    drop(Site::open(&c_site).expect("c"));
    let c = serve(&c_site, TOKEN_B);
    let victim = files[0];
    let mut damaged = victim.bytes.clone();
    damaged[3] ^= 0x20;
    std::fs::write(a_site.join("content").join(victim.rel()), &damaged).expect("damage");
    let dp_c = api(
        &a,
        "add_distribution_point",
        json!({ "name": "C", "kind": "Remote", "location": c.base, "token": TOKEN_B, "allowPlainHttp": true }),
    );
    api(
        &a,
        "distribute_package",
        json!({ "packageId": package, "dpIds": [dp_c["id"]] }),
    );
    let st = wait_remote_distribution(&a, package, dp_c["id"].as_i64().expect("id"));
    assert_eq!(st["state"], "Failed", "{st}");
    let detail = st["detail"].as_str().expect("detail");
    let victim_hex = site::content::hex_of(&victim.sha1).expect("hex");
    assert!(
        detail.contains("422") && detail.contains(&victim.name) && detail.contains(&victim_hex),
        "{detail}"
    );
    assert!(!c_site.join("content").join(victim.rel()).exists());
    assert!(files_under(&c_site.join("downloads")).is_empty());
    drop(c);

    // The upload route itself: a new file, as a sender would name it.
    let fresh = bytes(777, 5_000);
    let fresh_path = tmp.path().join("fresh.cab");
    std::fs::write(&fresh_path, &fresh).expect("write");
    let (sha1, _) = site::content::digests_of(&fresh_path).expect("digest");
    let rel = site::content::relative_path(&sha1, "fresh.cab").expect("rel");
    let in_b = b_site.join("content").join(&rel);
    let partials = || files_under(&b_site.join("downloads"));

    // Without a token: 401, nothing stored.
    let (status, _) = put_content(&b, &rel, None, &fresh);
    assert_eq!(status, 401);
    let (status, _) = put_content(&b, &rel, Some("not-the-token-0000000"), &fresh);
    assert_eq!(status, 401);
    assert!(!in_b.exists() && partials().is_empty());

    // Bytes that do not match the name: 422 naming both digests, nothing stored.
    let mut altered = fresh.clone();
    altered[10] ^= 0xFF;
    let (status, err) = put_content(&b, &rel, Some(TOKEN_B), &altered);
    assert_eq!(status, 422, "{err}");
    let message = err["message"].as_str().expect("message");
    let expected_hex = site::content::hex_of(&sha1).expect("hex");
    std::fs::write(&fresh_path, &altered).expect("write");
    let actual_hex = site::content::hex_of(&site::content::digests_of(&fresh_path).expect("d").0).expect("hex");
    assert!(
        message.contains(&expected_hex) && message.contains(&actual_hex),
        "the refusal names expected and actual digests: {message}"
    );
    assert!(!in_b.exists(), "a refused upload is not in the library");
    assert!(
        partials().is_empty(),
        "a refused upload leaves nothing behind: {:?}",
        partials()
    );

    // A name outside the library layout: 400.
    let (status, _) = put_content(&b, "00/not-a-digest.cab", Some(TOKEN_B), &fresh);
    assert_eq!(status, 400);

    // The true bytes: 201 and stored; the same again: 200, nothing changed.
    let (status, answer) = put_content(&b, &rel, Some(TOKEN_B), &fresh);
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["stored"], true);
    assert_eq!(std::fs::read(&in_b).expect("stored"), fresh);
    let (status, answer) = put_content(&b, &rel, Some(TOKEN_B), &fresh);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["stored"], false);
    let mut served = Vec::new();
    ureq::get(&format!("{}/Content/{rel}", b.base))
        .call()
        .expect("GET")
        .into_reader()
        .read_to_end(&mut served)
        .expect("body");
    assert!(served == fresh);
    assert!(partials().is_empty());
}

#[test]
fn a_download_keeps_language_neutral_files_and_those_of_the_chosen_languages() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (docs, files_dir, real) = updates_with_files(tmp.path(), 4, 41, |n| 2_000 + n * 101);
    // Tag files as Microsoft does for language-specific payloads: one in three French, one
    // in three German and Italian, the rest neutral.
    let tag = |n: usize| match n % 3 {
        1 => vec!["fr"],
        2 => vec!["de", "it"],
        _ => vec![],
    };
    for (n, f) in real.iter().enumerate() {
        let path = docs.join(&f.update_doc);
        let xml = std::fs::read_to_string(&path).expect("doc");
        let at = xml.find(&format!("FileName=\"{}\"", f.name)).expect("file element");
        let end = at + xml[at..].find("</upd:File>").expect("file end");
        let langs: String = tag(n)
            .iter()
            .map(|l| format!("<upd:Language>{l}</upd:Language>"))
            .collect();
        std::fs::write(&path, format!("{}{langs}{}", &xml[..end], &xml[end..])).expect("rewrite");
    }
    let site_dir = tmp.path().join("site");
    import_docs(&site_dir, &docs);
    let site = Site::open(&site_dir).expect("site");
    let ids = update_ids(&site);
    let languages_of = |name: &str| {
        let n = real.iter().position(|f| f.name == name).expect("known file");
        tag(n)
    };
    let download = |package: &str, langs: &[&str]| -> Vec<String> {
        let job = call(
            &site,
            "start_download",
            json!({ "newPackageName": package, "updateIds": ids, "languages": langs,
                    "source": { "kind": "LocalFolder", "path": files_dir } }),
        );
        let id = job["id"].as_i64().expect("id");
        let done = wait_job(|| call(&site, "get_download_job", json!({ "id": id })));
        assert_eq!(done["state"], "Succeeded", "{done}");
        let mut names: Vec<String> = done["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["fileName"].as_str().expect("name").to_string())
            .collect();
        names.sort();
        names
    };
    let all = download("All languages", &[]);
    assert!(all.iter().any(|n| languages_of(n).is_empty()), "{all:?}");
    assert!(all.iter().any(|n| languages_of(n) == ["fr"]), "{all:?}");
    assert!(all.iter().any(|n| languages_of(n) == ["de", "it"]), "{all:?}");
    let french = download("French", &["FR"]);
    let expected: Vec<String> = all
        .iter()
        .filter(|n| {
            let l = languages_of(n);
            l.is_empty() || l.contains(&"fr")
        })
        .cloned()
        .collect();
    assert_eq!(french, expected, "neutral and French files only");
    let italian_and_french = download("Italian and French", &["it", "fr"]);
    assert_eq!(italian_and_french, all, "every file is neutral, French or Italian");

    // Properties shows each file's languages.
    let tagged = real
        .iter()
        .enumerate()
        .find(|(n, _)| tag(*n) == ["de", "it"])
        .map(|(_, f)| f)
        .expect("a German and Italian file");
    let update_id = tagged.update_doc.trim_end_matches("-r200.xml");
    let details = call(&site, "get_update", json!({ "updateId": update_id }));
    let row = details["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["fileName"] == tagged.name.as_str())
        .cloned()
        .expect("the file in Properties");
    assert_eq!(row["languages"], json!(["de", "it"]));
}
