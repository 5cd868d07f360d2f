//! Auto-approval rules (APR-5) across a real synchronization: a parent `patchdeck serve`
//! over loopback HTTP, a child site that synchronizes from it and holds the rule.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::{json, Value};
use site::Site;

const SECURITY: &str = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
const RULE: &str = "Security to the pilot";

/// The generated documents of `count` updates with the parent's seed, in a folder of `dir`.
fn generate(dir: &Path, count: usize) -> std::path::PathBuf {
    let out = dir.join(format!("gen-{count}"));
    let st = patchdeck(&dir.join("scratch-site"))
        .args(["gen-catalog", "--count", &count.to_string(), "--seed", "5", "--out"])
        .arg(&out)
        .status()
        .expect("gen");
    assert!(st.success());
    out
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Milliseconds since the epoch of the site's UTC form ("2026-11-29T08:10:14.123Z").
fn millis(t: &str) -> i64 {
    let n = |a: usize, b: usize| t[a..b].parse::<i64>().unwrap_or_else(|_| panic!("time {t}"));
    let day = days(n(0, 4), n(5, 7), n(8, 10));
    ((day * 24 + n(11, 13)) * 60 + n(14, 16)) * 60_000 + n(17, 19) * 1000 + n(20, 23)
}

fn security_updates(child: &Site) -> BTreeSet<String> {
    all_ids(
        |q| call(child, "list_updates", q),
        json!({ "classificationIds": [SECURITY], "includeExpired": false }),
    )
    .into_iter()
    .map(|(id, _)| id)
    .collect()
}

/// Approvals of the group: update id → the approval.
fn approvals(child: &Site, group: i64) -> Vec<Value> {
    call(child, "list_approvals", json!({ "groupId": group }))
        .as_array()
        .expect("approvals")
        .clone()
}

fn ids(list: &[Value]) -> BTreeSet<String> {
    list.iter()
        .map(|a| a["updateId"].as_str().expect("id").to_string())
        .collect()
}

/// ACCEPTANCE: a rule created after some updates exist approves only later arrivals; "Run
/// selected" approves the existing matches; deleting the rule keeps approvals.
#[test]
fn a_rule_approves_later_arrivals_run_selected_the_rest_and_deleting_it_keeps_them() {
    // Month 1: the parent holds the first 60 generated updates.
    let parent = start_parent_with(60);
    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(&dir.path().join("child")).expect("child");
    let products = parent_products(&parent);
    call(
        &child,
        "set_sync_settings",
        child_settings(&parent.base, &products, &[]),
    );
    let first = sync(&child);
    assert_eq!(first["state"], "Succeeded", "{first}");
    let existing = security_updates(&child);
    assert!(
        existing.len() >= 5,
        "month 1 brings security updates: {}",
        existing.len()
    );

    let pilot = call(&child, "create_target_group", json!({ "name": "Pilot" }))["id"]
        .as_i64()
        .expect("group");
    let rule = call(
        &child,
        "create_approval_rule",
        json!({ "name": RULE, "classificationIds": [SECURITY], "groupIds": [pilot], "deadlineDays": 7 }),
    );
    let rule_id = rule["id"].as_i64().expect("rule");
    assert!(
        approvals(&child, pilot).is_empty(),
        "creating a rule approves nothing that already exists"
    );

    // A sync that brings nothing new approves nothing either.
    assert_eq!(sync(&child)["state"], "Succeeded");
    assert!(approvals(&child, pilot).is_empty());

    // Month 2: the parent receives 40 more updates (the same generator, further along).
    let month2 = generate(dir.path(), 100);
    let held: BTreeSet<String> = xml_files(&parent.generated)
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    let documents: Vec<String> = xml_files(&month2)
        .into_iter()
        .filter(|p| !held.contains(&*p.file_name().expect("name").to_string_lossy()))
        .map(|p| std::fs::read_to_string(p).expect("doc"))
        .collect();
    assert!(documents.len() >= 40, "{} new documents", documents.len());
    let report = parent_call(&parent, "import_xml", json!({ "documents": documents }));
    assert!(report["newRevisions"].as_i64() >= Some(40), "{report}");
    let third = sync(&child);
    assert_eq!(third["state"], "Succeeded", "{third}");

    let now_all = security_updates(&child);
    let arrived: BTreeSet<String> = now_all.difference(&existing).cloned().collect();
    assert!(!arrived.is_empty(), "month 2 brings security updates");
    // Only the later arrivals were approved, Required, with the 7-day deadline, by the rule.
    let after_sync = approvals(&child, pilot);
    assert_eq!(ids(&after_sync), arrived);
    for a in &after_sync {
        assert_eq!(a["action"], "Required", "{a}");
        assert_eq!(a["explicit"], true);
        assert_eq!(a["approvedBy"], format!("rule:{RULE}"));
        let approved = millis(a["approvedUtc"].as_str().expect("approved"));
        let deadline = millis(a["deadlineUtc"].as_str().expect("a deadline"));
        assert_eq!(deadline - approved, 7 * 24 * 3600 * 1000, "{a}");
    }
    let listed = call(&child, "list_approval_rules", json!({}));
    assert_eq!(listed[0]["approvalsMade"], arrived.len() as i64);
    assert!(listed[0]["lastAppliedUtc"].is_string());

    // An administrator's own choice for an older update stays when the rule is run.
    let (kept, _) = existing.iter().next().map(|id| (id.clone(), ())).expect("one");
    call(
        &child,
        "approve_updates",
        json!({ "updateIds": [kept], "approvals": [{ "groupId": pilot, "action": "Available", "deadline": "None" }] }),
    );

    // "Run selected" approves the matches that were there before the rule.
    let run = call(&child, "run_approval_rules", json!({ "ids": [rule_id] }));
    assert_eq!(run["updates"], now_all.len() as i64, "{run}");
    assert_eq!(run["approvals"], existing.len() as i64 - 1, "{run}");
    let all = approvals(&child, pilot);
    assert_eq!(ids(&all), now_all);
    let kept_approval = all.iter().find(|a| a["updateId"] == kept.as_str()).expect("kept");
    assert_eq!(kept_approval["action"], "Available");
    assert_eq!(kept_approval["approvedBy"], "test:sync");

    // Deleting the rule keeps every approval it made.
    call(&child, "delete_approval_rule", json!({ "id": rule_id }));
    assert_eq!(call(&child, "list_approval_rules", json!({})), json!([]));
    let after_delete = approvals(&child, pilot);
    assert_eq!(ids(&after_delete), now_all);
    assert_eq!(
        after_delete
            .iter()
            .filter(|a| a["approvedBy"] == format!("rule:{RULE}"))
            .count(),
        now_all.len() - 1
    );

    // The audit trail names the rule as the approver, per group, and who ran and deleted it.
    let audit = call(&child, "list_audit", json!({ "limit": 1000 }));
    let audit = audit.as_array().expect("audit");
    let by_rule: Vec<&Value> = audit.iter().filter(|a| a["actor"] == format!("rule:{RULE}")).collect();
    assert_eq!(
        by_rule.len(),
        2,
        "one approval row for the sync, one for Run selected: {by_rule:?}"
    );
    for a in by_rule {
        assert_eq!(a["action"], "update.approve");
        assert_eq!(a["target"], "All Computers / Pilot");
        assert!(a["detail"]
            .as_str()
            .expect("detail")
            .starts_with("Required install: KB"));
    }
    for action in ["approval_rule.create", "approval_rule.run", "approval_rule.delete"] {
        assert!(
            audit.iter().any(|a| a["action"] == action && a["target"] == RULE),
            "{action} audited"
        );
    }
    let _ = &parent.dir;
}
