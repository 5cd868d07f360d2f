//! Effective policy of one computer: 1,000 updates over a 1,000-group tree.
//!
//! `cargo bench -p site --bench effective_policy`
//! Builds a site with 1,000 generated updates, a tree of 1,000 target groups (All Computers,
//! 9 groups under it, 90 under those, 900 leaves), approvals at every level (every update
//! Required at the root, overrides below), one deployment of 300 updates, and a computer in
//! three leaves of different branches. Then asks for that computer's policy again and
//! again. Prints a Markdown table for docs/BENCHMARKS.md. Not a test: nothing here asserts
//! a time.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use site::api::EffectivePolicyArgs;
use site::catalog::import::{import_documents, Document};
use site::{dispatch, Actor, Site};

const RUNS: usize = 5000;

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = Site::open(tmp.path()).expect("open site");
    let actor = Actor::new("bench");
    let call = |name: &str, a: Value| dispatch(&site, &actor, name, a).unwrap_or_else(|e| panic!("{name}: {e}"));

    let docs: Vec<Document> = site::catalog::generator::generate(1500, 3)
        .map(|d| Document {
            origin: d.file_name,
            xml: d.xml,
        })
        .collect();
    import_documents(&site, &actor, docs).expect("import");
    let ids: Vec<String> = {
        let c = site.store().reader();
        let mut stmt = c
            .prepare("SELECT update_id FROM updates WHERE listed = 1 ORDER BY upd_pk LIMIT 1000")
            .expect("prepare");
        let ids: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("ids");
        ids
    };
    assert_eq!(ids.len(), 1000, "the generated catalog holds 1,000 listed updates");

    let started = Instant::now();
    let mut level1 = Vec::new();
    let mut level2 = Vec::new();
    let mut leaves = Vec::new();
    let group = |name: String, parent: i64| {
        call("create_target_group", json!({ "name": name, "parentId": parent }))["id"]
            .as_i64()
            .expect("id")
    };
    for i in 0..9 {
        level1.push(group(format!("Region {i}"), 1));
    }
    for (i, p) in level1.iter().enumerate() {
        for j in 0..10 {
            level2.push(group(format!("Site {i}.{j}"), *p));
        }
    }
    for (i, p) in level2.iter().enumerate() {
        for j in 0..10 {
            leaves.push(group(format!("Room {i}.{j}"), *p));
        }
    }
    let groups = 1 + level1.len() + level2.len() + leaves.len();
    let approve = |slice: &[String], group: i64, action: &str, deadline: &str| {
        call(
            "approve_updates",
            json!({ "updateIds": slice, "approvals": [{ "groupId": group, "action": action, "deadline": deadline }] }),
        );
    };
    approve(&ids, 1, "Required", "OneWeek");
    for (i, g) in level1.iter().enumerate() {
        approve(&ids[i * 100..i * 100 + 100], *g, "DoNotInstall", "None");
    }
    for (i, g) in level2.iter().enumerate() {
        let from = (i * 10) % 990;
        approve(&ids[from..from + 10], *g, "Available", "None");
    }
    for (i, g) in leaves.iter().enumerate().step_by(10) {
        let from = (i * 7) % 995;
        approve(&ids[from..from + 5], *g, "Uninstall", "TwoWeeks");
    }
    call(
        "create_deployment",
        json!({ "name": "Bench deployment", "updateIds": &ids[300..600], "targetGroupId": level1[1],
                "settings": {
                    "deploymentType": "Required", "wakeOnLan": false, "verbosity": "AllMessages", "timeBasis": "Utc",
                    "availableUtc": "2026-11-10T08:00:00Z", "deadlineUtc": "2026-11-17T08:00:00Z",
                    "userNotifications": "DisplayAll", "installOutsideMaintenanceWindow": false,
                    "restartOutsideMaintenanceWindow": false, "suppressRestartServers": false,
                    "suppressRestartWorkstations": false, "alertDaysAfterDeadline": null, "alertBelowPercent": 90,
                    "slowNetwork": "DoNotInstall", "fallbackToMicrosoftUpdate": false, "allowMeteredDownload": false } }),
    );
    let assignments: i64 = site
        .store()
        .reader()
        .query_row("SELECT count(*) FROM assignments", [], |r| r.get(0))
        .expect("count");
    // Computers arrive with clients later; the bench writes one directly.
    let computer = {
        let c = site.store().writer();
        c.execute("INSERT INTO computers (name, os) VALUES ('BENCH-PC', 'Windows 11')", [])
            .expect("computer");
        let id = c.last_insert_rowid();
        for g in [leaves[5], leaves[455], leaves[899]] {
            c.execute(
                "INSERT INTO computer_group_members (group_id, computer_id) VALUES (?1, ?2)",
                [g, id],
            )
            .expect("member");
        }
        id
    };
    eprintln!("site built in {:.1} s", started.elapsed().as_secs_f64());

    let args = || EffectivePolicyArgs {
        computer_id: Some(computer),
        group_ids: Vec::new(),
    };
    let cold = Instant::now();
    let first = site::admin::policy::effective(&site, &actor, args()).expect("policy");
    let cold = cold.elapsed();
    for _ in 0..200 {
        site::admin::policy::effective(&site, &actor, args()).expect("policy");
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let p = site::admin::policy::effective(&site, &actor, args()).expect("policy");
            let e = t.elapsed();
            assert_eq!(p.updates.len(), first.updates.len());
            e
        })
        .collect();
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "Effective policy: {} updates, {groups} target groups, {assignments} assignments, a computer in 3 groups; \
         {} updates in its policy.\n",
        ids.len(),
        first.updates.len()
    );
    println!("| Case | p50 | p95 | max |");
    println!("|---|---|---|---|");
    println!(
        "| One computer, warm snapshot ({RUNS} runs) | {:.0} µs | {:.0} µs | {:.0} µs |",
        us(pct(0.5)),
        us(pct(0.95)),
        us(pct(1.0))
    );
    println!(
        "| First call (snapshot built from the database) | {:.1} ms | | |",
        cold.as_secs_f64() * 1e3
    );
}
