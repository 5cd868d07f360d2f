//! Automatic deployment rules against a real site database: what the wizard refuses, the
//! rule's life (create, edit, disable, delete) and its audit rows, and runs on an imported
//! catalog: the group and one deployment per collection, "nothing selected", a group that
//! grows and drops an update declined since, and a delete that keeps what runs made.

/// An RFC 3339 instant, as the site computes with it.
fn utc(text: &str) -> site::clock::UtcTime {
    site::clock::parse_rfc3339(text).expect("a test time")
}

mod common;

use common::Fixture;
use serde_json::{json, Value};
use site::api::RuleRunTrigger;
use site::automation::adr::run_blocking;

const ACTOR: &str = "test:adr";

impl Fixture {
    /// A collection is a top-level target group.
    fn collection(&self, name: &str) -> i64 {
        self.group(name, None)
    }

    fn create(&self, spec: Value) -> i64 {
        self.call("create_adr", spec)["id"].as_i64().expect("rule id")
    }

    fn run(&self, rule: i64, now: site::clock::UtcTime) -> Value {
        let run = run_blocking(&self.site, rule, RuleRunTrigger::Manual, now).expect("run");
        serde_json::to_value(run).expect("json")
    }

    fn log(&self, run: &Value) -> Vec<String> {
        self.call("get_adr_run_log", json!({ "id": run["runId"] }))
            .as_array()
            .expect("log")
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    e["level"].as_str().expect("level"),
                    e["message"].as_str().expect("msg")
                )
            })
            .collect()
    }

    /// The updates the generated catalog holds that are not superseded (what the rules below select).
    fn not_superseded(&self) -> i64 {
        self.count("SELECT count(*) FROM updates WHERE listed = 1 AND is_superseded = 0 AND declined = 0")
    }

    fn deployments_of_group(&self, group: i64) -> Vec<Value> {
        self.call("list_deployments", json!({}))
            .as_array()
            .expect("deployments")
            .iter()
            .filter(|d| d["updateGroupId"] == group)
            .cloned()
            .collect()
    }

    fn members(&self, group: i64) -> Vec<String> {
        self.call("get_update_group", json!({ "id": group }))["members"]
            .as_array()
            .expect("members")
            .iter()
            .map(|m| m["updateId"].as_str().expect("id").to_string())
            .collect()
    }
}

fn settings(kind: &str) -> Value {
    json!({
        "deploymentType": kind,
        "wakeOnLan": false,
        "verbosity": "AllMessages",
        "timeBasis": "Utc",
        "availableUtc": "",
        "deadlineUtc": null,
        "userNotifications": "DisplayAll",
        "installOutsideMaintenanceWindow": false,
        "restartOutsideMaintenanceWindow": false,
        "suppressRestartServers": true,
        "suppressRestartWorkstations": false,
        "alertDaysAfterDeadline": 3,
        "alertBelowPercent": 90,
        "slowNetwork": "DoNotInstall",
        "fallbackToMicrosoftUpdate": true,
        "allowMeteredDownload": false
    })
}

/// A rule deploying what is not superseded to `targets`: the first Required with a
/// deadline a week after availability (one day after the run), the others Available.
fn spec(name: &str, mode: &str, targets: &[i64]) -> Value {
    let deployments: Vec<Value> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == 0 {
                json!({ "targetGroupId": t, "availableAfter": { "value": 1, "unit": "Days" },
                        "deadlineAfter": { "value": 1, "unit": "Weeks" }, "settings": settings("Required") })
            } else {
                json!({ "targetGroupId": t, "settings": settings("Available") })
            }
        })
        .collect();
    json!({
        "name": name,
        "description": "test rule",
        "groupMode": mode,
        "criteria": { "superseded": false },
        "evaluation": { "kind": "Manual", "timeUtc": "03:00" },
        "deployments": deployments,
        "package": { "kind": "NoPackage" },
        "downloadSource": { "kind": "Upstream" }
    })
}

fn fields(issues: &Value) -> Vec<(String, String)> {
    issues
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| {
            (
                i["field"].as_str().expect("field").to_string(),
                i["message"].as_str().expect("message").to_string(),
            )
        })
        .collect()
}

fn message<'a>(issues: &'a [(String, String)], field: &str) -> &'a str {
    issues
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
        .unwrap_or_else(|| panic!("no issue for {field} in {issues:?}"))
}

#[test]
fn the_wizard_names_each_problem_on_its_field() {
    let f = Fixture::new(ACTOR, 10);
    let a = f.collection("Pilot");
    let first = spec("Monthly", "NewGroupEachRun", &[a]);
    assert!(fields(&f.call("validate_adr", json!({ "spec": first }))).is_empty());
    let monthly = f.create(first.clone());
    // Properties and Add Deployment check the rule they edit: its own name is no clash,
    // another rule's still is.
    let more = spec("Monthly", "NewGroupEachRun", &[a, f.collection("Production")]);
    assert!(fields(&f.call("validate_adr", json!({ "id": monthly, "spec": more }))).is_empty());
    let other = f.create(spec("Weekly", "NewGroupEachRun", &[a]));
    let issues = fields(&f.call("validate_adr", json!({ "id": other, "spec": first })));
    assert!(
        message(&issues, "name").contains("'Monthly' already exists"),
        "{issues:?}"
    );

    let mut bad = spec("MONTHLY", "AddToExistingGroup", &[a, 999]);
    bad["existingUpdateGroupId"] = json!(4242);
    bad["deployments"][0]["deadlineAfter"] = Value::Null;
    bad["deployments"][1]["availableAfter"] = json!({ "value": -2, "unit": "Days" });
    bad["deployments"][1]["settings"]["alertBelowPercent"] = json!(0);
    bad["package"] = json!({ "kind": "Existing", "packageId": 77 });
    bad["distributionPointIds"] = json!([5]);
    bad["criteria"] = json!({});
    let issues = fields(&f.call("validate_adr", json!({ "spec": bad })));
    assert!(
        message(&issues, "name").contains("'MONTHLY' already exists"),
        "{issues:?}"
    );
    assert!(message(&issues, "existingUpdateGroupId").contains("4242"));
    assert!(
        message(&issues, "deployments[0].deadlineAfter").contains("required deployment needs an installation deadline")
    );
    assert!(message(&issues, "deployments[1].targetGroupId").contains("999"));
    assert!(message(&issues, "deployments[1].availableAfter").contains("cannot be negative"));
    assert!(message(&issues, "deployments[1].settings.alertBelowPercent").contains("1 to 99%"));
    assert!(message(&issues, "package").contains("77"));
    assert!(message(&issues, "distributionPointIds").contains("5"));
    assert!(
        !message(&issues, "criteria").is_empty(),
        "the criteria engine's own check is included"
    );

    let mut none = spec("", "NewGroupEachRun", &[]);
    none["package"] = json!({ "kind": "New", "name": "  " });
    let issues = fields(&f.call("validate_adr", json!({ "spec": none })));
    assert!(message(&issues, "name").contains("needs a name"));
    assert!(message(&issues, "deployments").contains("at least one deployment"));
    assert!(message(&issues, "package").contains("1 to 200 characters"));

    // Create refuses with the first problem; a clash is a conflict.
    let e = f.fail("create_adr", bad);
    assert_eq!(e.code, site::ErrorCode::Conflict, "{e}");
    let e = f.fail("create_adr", none);
    assert_eq!(e.code, site::ErrorCode::Validation, "{e}");
    assert!(e.message.contains("needs a name"), "{e}");
    assert_eq!(f.count("SELECT count(*) FROM adr_rules"), 2);
}

#[test]
fn a_rule_is_created_edited_disabled_and_deleted_with_audit_rows() {
    let f = Fixture::new(ACTOR, 10);
    let a = f.collection("Pilot");
    let b = f.collection("Production");
    let mut s = spec("Patch Tuesday", "NewGroupEachRun", &[a, b]);
    s["evaluation"] = json!({ "kind": "Daily", "timeUtc": "03:00" });
    let id = f.create(s.clone());
    let rule = f.call("get_adr", json!({ "id": id }));
    assert_eq!(rule["enabled"], true);
    assert_eq!(rule["spec"]["deployments"].as_array().map(Vec::len), Some(2));
    assert_eq!(rule["createdBy"], ACTOR);
    assert!(rule["lastRun"].is_null());
    let next = rule["nextEvaluationUtc"]
        .as_str()
        .expect("a daily rule has a next evaluation");
    assert!(next.ends_with("T03:00:00.000Z"), "{next}");

    s["name"] = json!("Patch Tuesday (servers)");
    s["deployments"] = json!([s["deployments"][1]]);
    let edited = f.call("edit_adr", json!({ "id": id, "spec": s }));
    assert_eq!(edited["spec"]["name"], "Patch Tuesday (servers)");
    assert_eq!(edited["spec"]["deployments"].as_array().map(Vec::len), Some(1));
    let off = f.call("set_adr_enabled", json!({ "id": id, "enabled": false }));
    assert_eq!(off["enabled"], false);
    assert!(off["nextEvaluationUtc"].is_null(), "a disabled rule does not evaluate");
    let listed = f.call("list_adrs", json!({}));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    f.call("delete_adr", json!({ "id": id }));
    assert_eq!(f.fail("get_adr", json!({ "id": id })).code, site::ErrorCode::NotFound);

    let audit = f.call("list_audit", json!({ "limit": 50 }));
    let rows: Vec<(String, String, String)> = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter(|r| r["action"].as_str().is_some_and(|a| a.starts_with("adr.")))
        .map(|r| {
            (
                r["action"].as_str().expect("a").into(),
                r["target"].as_str().expect("t").into(),
                r["actor"].as_str().expect("who").into(),
            )
        })
        .collect();
    let expected = [
        ("adr.delete", "Patch Tuesday (servers)"),
        ("adr.disable", "Patch Tuesday (servers)"),
        ("adr.edit", "Patch Tuesday"),
        ("adr.create", "Patch Tuesday"),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for ((action, target, actor), (want_action, want_target)) in rows.iter().zip(expected) {
        assert_eq!(
            (action.as_str(), target.as_str(), actor.as_str()),
            (want_action, want_target, ACTOR)
        );
    }
}

#[test]
fn a_run_creates_a_group_and_a_deployment_per_collection_each_time() {
    let f = Fixture::new(ACTOR, 40);
    let pilot = f.collection("Pilot");
    let prod = f.collection("Production");
    let id = f.create(spec("Monthly", "NewGroupEachRun", &[pilot, prod]));
    let expected = f.not_superseded();
    assert!(expected >= 3, "the catalog holds updates to select");

    let now = utc("2026-11-11T10:30:00Z");
    let run = f.run(id, now);
    assert_eq!(run["state"], "Succeeded", "{run} {:?}", f.log(&run));
    assert_eq!(run["selected"].as_i64(), Some(expected));
    assert_eq!(run["added"].as_i64(), Some(expected));
    assert_eq!(run["deployments"].as_i64(), Some(2));
    assert_eq!(run["trigger"], "Manual");
    let group = run["updateGroupId"].as_i64().expect("group");
    let info = f.call("get_update_group", json!({ "id": group }));
    assert_eq!(info["info"]["name"], "Monthly 2026-11-11 10:30 UTC");
    assert_eq!(f.members(group).len() as i64, expected);

    let deps = f.deployments_of_group(group);
    assert_eq!(deps.len(), 2, "{deps:?}");
    let to = |target: i64| deps.iter().find(|d| d["targetGroupId"] == target).expect("deployment");
    let (p, q) = (to(pilot), to(prod));
    assert_eq!(p["settings"]["deploymentType"], "Required");
    assert_eq!(
        p["settings"]["availableUtc"], "2026-11-12T10:30:00.000Z",
        "a day after the run"
    );
    assert_eq!(
        p["settings"]["deadlineUtc"], "2026-11-19T10:30:00.000Z",
        "a week after availability"
    );
    assert_eq!(q["settings"]["deploymentType"], "Available");
    assert_eq!(
        q["settings"]["availableUtc"], "2026-11-11T10:30:00.000Z",
        "available at the run"
    );
    assert!(q["settings"]["deadlineUtc"].is_null());
    assert_eq!(p["createdBy"], "rule:Monthly");

    let log = f.log(&run);
    let text = log.join("\n");
    assert!(
        text.contains(&format!("{expected} updates matched the criteria")),
        "{text}"
    );
    assert!(
        text.contains("Created the software update group 'Monthly 2026-11-11 10:30 UTC'"),
        "{text}"
    );
    assert!(
        text.contains("Deployed 'Monthly 2026-11-11 10:30 UTC' to 'All Computers / Pilot': Required"),
        "{text}"
    );
    assert!(text.contains("to 'All Computers / Production': Available"), "{text}");
    assert!(text.contains("no deployment package"), "{text}");
    assert!(log.iter().all(|l| !l.starts_with("Error")), "{text}");

    // The next month: a new group, two new deployments; the first ones stay.
    let run2 = f.run(id, utc("2026-12-09T10:30:00Z"));
    assert_eq!(run2["state"], "Succeeded");
    let group2 = run2["updateGroupId"].as_i64().expect("group");
    assert_ne!(group, group2);
    assert_eq!(f.deployments_of_group(group2).len(), 2);
    assert_eq!(f.deployments_of_group(group).len(), 2);
    let rule = f.call("get_adr", json!({ "id": id }));
    assert_eq!(rule["deploymentIds"].as_array().map(Vec::len), Some(4));
    assert_eq!(rule["updateGroupId"].as_i64(), Some(group2));
    assert_eq!(rule["lastRun"]["runId"], run2["runId"]);
    let runs = f.call("list_adr_runs", json!({ "ruleId": id }));
    assert_eq!(runs[0]["runId"], run2["runId"], "newest first");
    assert_eq!(runs.as_array().map(Vec::len), Some(2));
    // What runs change is audited under the rule's name.
    let audit = f.call("list_audit", json!({ "limit": 100 }));
    let by_rule = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter(|r| r["actor"] == "rule:Monthly")
        .count();
    assert_eq!(by_rule, 6, "two groups and four deployments: {audit}");

    // An edit applies to the next runs only: Production alone from now on.
    let mut edited = f.call("get_adr", json!({ "id": id }))["spec"].clone();
    edited["deployments"] = json!([edited["deployments"][1]]);
    f.call("edit_adr", json!({ "id": id, "spec": edited }));
    let run3 = f.run(id, utc("2027-01-12T10:30:00Z"));
    let group3 = run3["updateGroupId"].as_i64().expect("group");
    let deps3 = f.deployments_of_group(group3);
    assert_eq!(deps3.len(), 1);
    assert_eq!(deps3[0]["targetGroupId"], prod);
    assert_eq!(f.deployments_of_group(group).len(), 2, "earlier runs' deployments stay");
    assert_eq!(f.deployments_of_group(group2).len(), 2);
}

#[test]
fn nothing_selected_creates_nothing_and_says_why() {
    let f = Fixture::new(ACTOR, 10);
    let a = f.collection("Pilot");
    let mut s = spec("Nothing", "NewGroupEachRun", &[a]);
    s["criteria"] = json!({ "titleContains": "no update has this in its title" });
    let id = f.create(s);
    let run = f.run(id, site::clock::now());
    assert_eq!(run["state"], "NothingSelected");
    assert_eq!(run["selected"].as_i64(), Some(0));
    assert!(run["updateGroupId"].is_null());
    assert_eq!(f.count("SELECT count(*) FROM update_groups"), 0);
    assert_eq!(f.count("SELECT count(*) FROM assignments WHERE kind = 'Deployment'"), 0);
    let text = f.log(&run).join("\n");
    assert!(
        text.contains("No update matched the criteria: title or KB contains 'no update has this in its title'"),
        "{text}"
    );
}

#[test]
fn adding_to_one_group_drops_declined_updates_and_keeps_its_deployments() {
    let f = Fixture::new(ACTOR, 40);
    let pilot = f.collection("Pilot");
    let prod = f.collection("Production");
    let id = f.create(spec("Rolling", "AddToExistingGroup", &[pilot, prod]));
    let run = f.run(id, utc("2026-11-11T10:30:00Z"));
    assert_eq!(run["state"], "Succeeded", "{:?}", f.log(&run));
    let group = run["updateGroupId"].as_i64().expect("group");
    let info = f.call("get_update_group", json!({ "id": group }));
    assert_eq!(info["info"]["name"], "Rolling", "named after the rule");
    let first = f.members(group);
    let deps = f.deployments_of_group(group);
    assert_eq!(deps.len(), 2);

    // An administrator declines one member; the next run takes it out and adds nothing twice.
    let declined = first[0].clone();
    f.call("decline_updates", json!({ "updateIds": [declined] }));
    let run2 = f.run(id, utc("2026-12-09T10:30:00Z"));
    assert_eq!(run2["state"], "Succeeded");
    assert_eq!(run2["updateGroupId"].as_i64(), Some(group), "the same group");
    assert_eq!(run2["added"].as_i64(), Some(0));
    assert_eq!(
        run2["deployments"].as_i64(),
        Some(2),
        "both deployments cover the group"
    );
    let now_members = f.members(group);
    assert_eq!(now_members.len(), first.len() - 1);
    assert!(!now_members.contains(&declined));
    let ids = |v: &[Value]| {
        let mut x: Vec<i64> = v.iter().map(|d| d["id"].as_i64().expect("id")).collect();
        x.sort();
        x
    };
    assert_eq!(ids(&f.deployments_of_group(group)), ids(&deps), "no new deployment");
    let text = f.log(&run2).join("\n");
    assert!(
        text.contains("Removed from 'Rolling' 1 update now expired or declined"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Added 0 updates to 'Rolling' ({} already in it)",
            first.len() - 1
        )),
        "{text}"
    );
    assert!(
        text.contains("already deploys 'Rolling'; it now covers the updates added to it"),
        "{text}"
    );
}

#[test]
fn deleting_a_rule_keeps_its_groups_and_deployments() {
    let f = Fixture::new(ACTOR, 20);
    let a = f.collection("Pilot");
    let id = f.create(spec("Short lived", "NewGroupEachRun", &[a]));
    let run = f.run(id, utc("2026-11-11T10:30:00Z"));
    assert_eq!(run["state"], "Succeeded");
    let group = run["updateGroupId"].as_i64().expect("group");
    f.call("delete_adr", json!({ "id": id }));
    assert_eq!(f.deployments_of_group(group).len(), 1);
    assert!(!f.members(group).is_empty());
    assert_eq!(f.count("SELECT count(*) FROM adr_runs"), 0);
    assert_eq!(f.count("SELECT count(*) FROM adr_run_log"), 0);
    assert_eq!(f.call("list_adr_runs", json!({})).as_array().map(Vec::len), Some(0));
}

#[test]
fn a_run_cut_short_by_a_stopped_process_reads_as_interrupted() {
    let f = Fixture::new(ACTOR, 10);
    let a = f.collection("Pilot");
    let id = f.create(spec("Crashy", "NewGroupEachRun", &[a]));
    // What a killed process leaves: a Running row and half a log.
    f.raw
        .execute(
            "INSERT INTO adr_runs (rule_id, rule_name, trigger_kind, state, started_utc) VALUES (?1, 'Crashy', 'Manual', 'Running', '2026-11-11T10:30:00.000Z')",
            [id],
        )
        .expect("run row");
    let stale = f.raw.last_insert_rowid();
    f.raw
        .execute(
            "INSERT INTO adr_run_log (run_id, seq, at_utc, level, message) VALUES (?1, 1, '2026-11-11T10:30:00.000Z', 'Info', 'Run started')",
            [stale],
        )
        .expect("log row");
    let runs = f.call("list_adr_runs", json!({ "ruleId": id }));
    assert_eq!(runs[0]["state"], "Failed");
    assert!(runs[0]["error"].as_str().expect("error").starts_with("Interrupted"));
    let log = f.call("get_adr_run_log", json!({ "id": stale }));
    assert_eq!(log.as_array().map(Vec::len), Some(2));
    assert_eq!(log[1]["level"], "Error");
    // The next run writes the interruption down.
    let run = f.run(id, utc("2026-11-11T11:00:00Z"));
    assert_eq!(run["state"], "Succeeded");
    let state: String = f
        .raw
        .query_row("SELECT state FROM adr_runs WHERE run_id = ?1", [stale], |r| r.get(0))
        .expect("state");
    assert_eq!(state, "Failed");
}

#[test]
fn a_failed_download_fails_the_run_before_any_deployment() {
    let f = Fixture::new(ACTOR, 20);
    let a = f.collection("Pilot");
    let empty = tempfile::tempdir().expect("empty folder");
    let mut s = spec("Needs content", "NewGroupEachRun", &[a]);
    s["package"] = json!({ "kind": "New", "name": "Needs content files" });
    s["downloadSource"] = json!({ "kind": "LocalFolder", "path": empty.path() });
    let id = f.create(s);
    let run = f.run(id, utc("2026-11-11T10:30:00Z"));
    assert_eq!(run["state"], "Failed", "{:?}", f.log(&run));
    let error = run["error"].as_str().expect("error");
    assert!(error.contains("The download of the content failed"), "{error}");
    assert!(error.contains("No deployment was created"), "{error}");
    assert!(error.contains("; the first, "), "names a file and why: {error}");
    assert_eq!(run["deployments"].as_i64(), Some(0));
    assert_eq!(f.count("SELECT count(*) FROM assignments WHERE kind = 'Deployment'"), 0);
    let log = f.log(&run);
    assert!(
        log.iter()
            .any(|l| l.starts_with("Info: Created the software update group")),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.starts_with("Info: Created the deployment package 'Needs content files'")),
        "{log:?}"
    );
    assert!(log.iter().any(|l| l.starts_with("Info: Downloading ")), "{log:?}");
    assert_eq!(
        log.last()
            .map(|l| l.starts_with("Error: The download of the content failed")),
        Some(true),
        "{log:?}"
    );
    // The package stays the rule's: the next run reuses it rather than creating another.
    let rule = f.call("get_adr", json!({ "id": id }));
    assert!(rule["packageId"].as_i64().is_some());
    let again = f.run(id, utc("2026-11-12T10:30:00Z"));
    assert_eq!(again["state"], "Failed");
    assert!(!f
        .log(&again)
        .iter()
        .any(|l| l.contains("Created the deployment package")));
    assert_eq!(f.count("SELECT count(*) FROM packages"), 1);
}

#[test]
fn a_timed_rule_runs_once_when_its_evaluation_comes() {
    let f = Fixture::new(ACTOR, 20);
    let a = f.collection("Pilot");
    let mut s = spec("Daily", "NewGroupEachRun", &[a]);
    s["evaluation"] = json!({ "kind": "Daily", "timeUtc": "03:00" });
    let id = f.create(s);
    f.raw
        .execute(
            "UPDATE adr_rules SET created_utc = '2026-11-10T12:00:00.000Z' WHERE rule_id = ?1",
            [id],
        )
        .expect("backdate");
    let next = f.call("get_adr", json!({ "id": id }))["nextEvaluationUtc"].clone();
    assert_eq!(next, "2026-11-11T03:00:00.000Z");

    // Not yet due: nothing runs.
    site::automation::adr::run_due(&f.site, utc("2026-11-11T02:59:00Z"));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(f.count("SELECT count(*) FROM adr_runs"), 0);

    // Due: one run, in the background, marked as evaluated at once.
    site::automation::adr::run_due(&f.site, utc("2026-11-11T03:00:30Z"));
    site::automation::adr::run_due(&f.site, utc("2026-11-11T03:01:00Z"));
    let start = std::time::Instant::now();
    let run = loop {
        let runs = f.call("list_adr_runs", json!({ "ruleId": id }));
        if runs.as_array().is_some_and(|r| !r.is_empty()) && runs[0]["state"] != "Running" {
            break runs;
        }
        assert!(
            start.elapsed().as_secs() < 30,
            "the scheduled run did not finish: {runs}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(run.as_array().map(Vec::len), Some(1), "{run}");
    assert_eq!(run[0]["trigger"], "Schedule");
    assert_eq!(run[0]["state"], "Succeeded");
    let rule = f.call("get_adr", json!({ "id": id }));
    assert_eq!(rule["nextEvaluationUtc"], "2026-11-12T03:00:00.000Z");
    let group = run[0]["updateGroupId"].as_i64().expect("group");
    let info = f.call("get_update_group", json!({ "id": group }));
    assert_eq!(
        info["info"]["name"], "Daily 2026-11-11 03:00 UTC",
        "evaluated at the due tick"
    );
}
