//! Full synchronization of a generated catalog from a loopback parent `patchdeck serve`.
//!
//! `cargo bench -p server --bench sync_full -- [UPDATES]` (default 80,000 updates, which is
//! about 100,000 revisions with categories and bundle leaves). Prints a Markdown table for
//! docs/BENCHMARKS.md: the full sync's time and this process's peak memory, an incremental
//! sync with no change, and the ratio to a raw parse+insert loop of the same documents in
//! transactions of the same size, and the syncing process's CPU time (which holds when other
//! work shares the machine). Not a test: nothing asserts a time.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::json;
use site::catalog::import::{import_documents, Document};
use site::update_point::transport::HttpTransport;
use site::{dispatch, Actor, Site};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(-1.0)
}

/// This process's CPU time (user + system, all threads) in seconds: a figure that holds
/// when other work shares the machine, unlike the wall time.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the stat line, indexes 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .and_then(|a| a.parse().ok())
        .unwrap_or(80_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let parent = dir.path().join("parent");
    let bin = env!("CARGO_BIN_EXE_patchdeck");
    let t = Instant::now();
    let st = Command::new(bin)
        .arg("--site")
        .arg(&parent)
        .args(["gen-catalog", "--count", &count.to_string(), "--seed", "1", "--import"])
        .env("PATCHDECK_LOG", "warn")
        .stderr(Stdio::null())
        .status()
        .expect("gen");
    assert!(st.success());
    eprintln!("parent catalog ready in {:.0}s", t.elapsed().as_secs_f64());
    let mut server = Command::new(bin)
        .arg("--site")
        .arg(&parent)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("PATCHDECK_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let base = lines
        .next()
        .expect("line")
        .expect("read")
        .split("serving on ")
        .nth(1)
        .expect("addr")
        .trim_end_matches('/')
        .to_string();
    std::thread::spawn(move || for _ in lines {});

    let actor = Actor::new("bench");
    let child = Site::open(&dir.path().join("child")).expect("child");
    let parent_site = Site::open(&parent).expect("parent read");
    let cats = dispatch(&parent_site, &actor, "list_categories", json!({})).expect("cats");
    let products: Vec<String> = cats
        .as_array()
        .expect("cats")
        .iter()
        .filter(|c| c["kind"] == "Product")
        .map(|c| c["categoryId"].as_str().expect("id").to_string())
        .collect();
    let revisions = dispatch(&parent_site, &actor, "site_info", json!(null)).expect("info")["revisionCount"].clone();
    drop(parent_site);
    dispatch(
        &child,
        &actor,
        "set_sync_settings",
        json!({
            "source": "ParentSite", "upstreamUrl": base, "allowPlainHttp": true, "productIds": products,
            "classificationIds": [], "languages": ["en"],
            "schedule": { "kind": "Manual", "everyHours": 24, "dayOfWeek": 6, "timeUtc": "02:00" }
        }),
    )
    .expect("settings");

    let t = Instant::now();
    let cpu0 = cpu_seconds();
    let run = site::sync::run_now(&child, &actor, &HttpTransport::new()).expect("sync");
    let full = t.elapsed().as_secs_f64();
    let full_cpu = cpu_seconds() - cpu0;
    assert_eq!(run.state, site::api::SyncState::Succeeded, "{:?}", run.error);
    let peak = peak_rss_mb();
    let wal_mb = |site_dir: &std::path::Path| {
        std::fs::metadata(site_dir.join(format!("{}-wal", site::DATABASE_FILE)))
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    };
    let wal_after_sync = wal_mb(&dir.path().join("child"));
    let t = Instant::now();
    let again = site::sync::run_now(&child, &actor, &HttpTransport::new()).expect("sync");
    let incremental = t.elapsed().as_secs_f64();

    // The same documents, parsed and inserted with no protocol, a thousand per transaction
    // as the sync imports them.
    let raw_site = Site::open(&dir.path().join("raw")).expect("raw");
    let t = Instant::now();
    let mut batch = Vec::with_capacity(1000);
    for d in site::catalog::generator::generate(count, 1) {
        batch.push(Document {
            origin: d.file_name,
            xml: d.xml,
        });
        if batch.len() == 1000 {
            import_documents(&raw_site, &actor, std::mem::take(&mut batch)).expect("import");
        }
    }
    import_documents(&raw_site, &actor, batch).expect("import");
    let raw = t.elapsed().as_secs_f64();
    let _ = server.kill();
    let _ = server.wait();

    println!("Parent: {count} generated updates, {revisions} revisions; child subscribed to every product.\n");
    println!("| measure | value |");
    println!("|---|---:|");
    println!(
        "| full sync over loopback HTTP | {full:.1} s ({} documents downloaded) |",
        run.fetched_count
    );
    println!("| peak resident memory of the syncing process | {peak:.0} MB |");
    println!(
        "| incremental sync, no change | {incremental:.2} s ({} documents downloaded) |",
        again.fetched_count
    );
    println!("| write-ahead log beside the child after the full sync | {wal_after_sync:.1} MB |");
    println!("| raw parse + insert of the same documents | {raw:.1} s |");
    println!("| ratio full sync / raw loop | {:.2} |", full / raw);
    println!("| CPU time of the syncing process during the full sync | {full_cpu:.1} s |");
}
