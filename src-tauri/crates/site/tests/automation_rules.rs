//! Agent policies (POL-1, POL-2), offered categories (APR-4), auto-approval rules (APR-5)
//! and the Software Library overview (APR-3) through the command API on a real site.

mod common;

use common::{settings, Fixture};
use serde_json::{json, Value};
use site::ErrorCode;

const ACTOR: &str = "test:automation";
const SECURITY: &str = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
const CRITICAL: &str = "e6cf1350-c01b-414d-a61f-263d14d133b4";

impl Fixture {
    fn strings(&self, sql: &str) -> Vec<String> {
        let mut stmt = self.raw.prepare(sql).expect(sql);
        let v = stmt
            .query_map([], |r| r.get(0))
            .expect(sql)
            .collect::<Result<Vec<String>, _>>()
            .expect(sql);
        v
    }
}

fn recommended() -> Value {
    json!({
        "detectionFrequencyHours": 8, "installBehavior": "AutomaticOnSchedule", "scheduledDay": "EveryDay",
        "scheduledTime": "03:00", "useAutomaticMaintenance": true, "allowImmediateInstall": true,
        "restartDelayMinutes": 15, "missedInstallDelayMinutes": 5, "userControlsRestart": true,
        "promptRestartForAgentUpdates": true, "agentUpdateSchedule": null, "restartPromptIntervalMinutes": 30
    })
}

fn policy(name: &str, settings: Value, groups: &[i64]) -> Value {
    json!({ "name": name, "description": "", "settings": settings, "groupIds": groups })
}

#[test]
fn recommended_values_are_the_seeds_and_each_setting_is_described() {
    let f = Fixture::new(ACTOR, 0);
    assert_eq!(
        serde_json::to_value(site::api::AgentPolicySettings::recommended()).expect("json"),
        recommended()
    );
    let info = f.call("agent_policy_settings_info", json!({}));
    let info = info.as_array().expect("info");
    let fields: Vec<&str> = info.iter().map(|i| i["field"].as_str().expect("field")).collect();
    let expected = recommended();
    assert_eq!(fields.len(), expected.as_object().expect("obj").len());
    for field in expected.as_object().expect("obj").keys() {
        assert!(fields.contains(&field.as_str()), "{field} is described");
    }
    let get = |field: &str| info.iter().find(|i| i["field"] == field).expect("field").clone();
    let d = get("detectionFrequencyHours");
    assert_eq!(
        (d["min"].clone(), d["max"].clone(), d["recommended"].clone()),
        (json!(8), json!(22), json!("8"))
    );
    assert_eq!(d["unit"], "hours");
    assert_eq!(get("restartPromptIntervalMinutes")["max"], 1440);
    assert_eq!(get("allowImmediateInstall")["recommended"], "Allow");
    assert_eq!(get("agentUpdateSchedule")["recommended"], "Not configured");
    assert_eq!(get("scheduledTime")["recommended"], "03:00");
}

/// ACCEPTANCE: each POL-1 range tested at both bounds and outside them.
#[test]
fn policy_validation_each_range_at_both_bounds_and_outside() {
    let f = Fixture::new(ACTOR, 0);
    let cases: [(&str, i64, i64, &str); 4] = [
        ("detectionFrequencyHours", 8, 22, "hours"),
        ("restartDelayMinutes", 1, 30, "minutes"),
        ("missedInstallDelayMinutes", 1, 60, "minutes"),
        ("restartPromptIntervalMinutes", 1, 1440, "minutes"),
    ];
    let mut n = 0;
    for (field, min, max, unit) in cases {
        for ok in [min, max] {
            let mut s = recommended();
            s[field] = json!(ok);
            let issues = f.call("validate_agent_policy", policy("check", s.clone(), &[]));
            assert_eq!(issues, json!([]), "{field} = {ok} is inside the range");
            n += 1;
            let made = f.call("create_agent_policy", policy(&format!("p{n}"), s, &[]));
            assert_eq!(made["spec"]["settings"][field], ok);
        }
        for bad in [min - 1, max + 1] {
            let mut s = recommended();
            s[field] = json!(bad);
            let issues = f.call("validate_agent_policy", policy("check", s.clone(), &[]));
            let issues = issues.as_array().expect("issues");
            assert_eq!(issues.len(), 1, "{field} = {bad}: {issues:?}");
            assert_eq!(issues[0]["field"], field);
            let msg = issues[0]["message"].as_str().expect("message");
            assert!(msg.contains(&format!("between {min} and {max} {unit}")), "{msg}");
            assert!(msg.contains(&format!("{bad} is outside")), "{msg}");
            let e = f.fail("create_agent_policy", policy("refused", s, &[]));
            assert_eq!(e.code, ErrorCode::Validation);
            assert!(
                e.message.contains(&format!("between {min} and {max} {unit}")),
                "{}",
                e.message
            );
        }
    }
    let mut s = recommended();
    s["detectionFrequencyHours"] = json!(23);
    let e = f.fail("create_agent_policy", policy("refused", s, &[]));
    assert_eq!(
        e.message,
        "Detection frequency must be between 8 and 22 hours; 23 is outside that range (recommended: 8)."
    );
    for bad in ["24:00", "3:00", "03:60", "noon"] {
        let mut s = recommended();
        s["scheduledTime"] = json!(bad);
        let e = f.fail("create_agent_policy", policy("refused", s, &[]));
        assert!(e.message.contains("HH:MM"), "{bad}: {}", e.message);
    }
    let mut s = recommended();
    s["agentUpdateSchedule"] = json!({ "day": "Sunday", "time": "25:00" });
    assert!(f
        .fail("create_agent_policy", policy("refused", s, &[]))
        .message
        .contains("25:00"));
    assert_eq!(
        f.fail("create_agent_policy", policy("  ", recommended(), &[])).code,
        ErrorCode::Validation
    );
    assert_eq!(
        f.fail("create_agent_policy", policy("P1", recommended(), &[])).code,
        ErrorCode::Conflict
    );
    assert_eq!(
        f.fail("create_agent_policy", policy("x", recommended(), &[9999])).code,
        ErrorCode::NotFound
    );
    // Refusals wrote nothing.
    assert_eq!(f.count("SELECT count(*) FROM agent_policies"), 8);
}

#[test]
fn effective_policy_is_inherited_and_the_deepest_decision_wins() {
    let f = Fixture::new(ACTOR, 0);
    let servers = f.group("Servers", None);
    let web = f.group("Web", Some(servers));
    let desktops = f.group("Desktops", None);
    let labs = f.group("Labs", None);
    let effective = |args: Value| f.call("effective_agent_policy", args);

    // Nothing deployed: the operating system's defaults.
    let none = effective(json!({ "groupIds": [web] }));
    assert_eq!(none["settings"], Value::Null);
    assert_eq!(none["policyId"], Value::Null);

    let mut slow = recommended();
    slow["detectionFrequencyHours"] = json!(22);
    let all = f.call("create_agent_policy", policy("Everyone", recommended(), &[1]));
    let srv = f.call(
        "create_agent_policy",
        policy("Servers policy", slow.clone(), &[servers]),
    );
    let all_id = all["id"].as_i64().expect("id");
    let srv_id = srv["id"].as_i64().expect("id");
    assert_eq!(srv["spec"]["groupIds"], json!([servers]));

    // Web inherits from its parent; Desktops from the root.
    let e = effective(json!({ "groupIds": [web] }));
    assert_eq!(e["policyId"], srv_id);
    assert_eq!(e["sourceGroupId"], servers);
    assert_eq!(e["sourceGroupPath"], "All Computers / Servers");
    assert_eq!(e["settings"]["detectionFrequencyHours"], 22);
    assert_eq!(effective(json!({ "groupIds": [desktops] }))["policyId"], all_id);
    // Across groups, the decision deepest in the tree wins, whatever the order given.
    assert_eq!(effective(json!({ "groupIds": [desktops, web] }))["policyId"], srv_id);
    assert_eq!(effective(json!({ "groupIds": [web, desktops] }))["policyId"], srv_id);
    // A computer: its groups, and All Computers.
    let pc = f.computer("WEB01", &[web]);
    assert_eq!(effective(json!({ "computerId": pc }))["policyId"], srv_id);
    let loose = f.computer("LOOSE", &[]);
    assert_eq!(effective(json!({ "computerId": loose }))["policyId"], all_id);

    // Ties at the same depth go to the older policy.
    let lab = f.call("create_agent_policy", policy("Labs policy", recommended(), &[labs]));
    let lab_id = lab["id"].as_i64().expect("id");
    assert!(lab_id > srv_id);
    assert_eq!(effective(json!({ "groupIds": [labs, servers] }))["policyId"], srv_id);
    assert_eq!(effective(json!({ "groupIds": [labs, desktops] }))["policyId"], lab_id);

    // A group holds one policy of its own; assigning another names the one it has.
    let e = f.fail("create_agent_policy", policy("Second", recommended(), &[servers]));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(
        e.message.contains("Servers policy") && e.message.contains("All Computers / Servers"),
        "{}",
        e.message
    );
    let e = f.fail(
        "edit_agent_policy",
        json!({ "id": lab_id, "spec": policy("Labs policy", recommended(), &[labs, servers]) }),
    );
    assert_eq!(e.code, ErrorCode::Conflict);
    // Editing a policy keeps its own groups without conflicting with itself.
    let edited = f.call(
        "edit_agent_policy",
        json!({ "id": srv_id, "spec": policy("Servers policy", slow.clone(), &[servers, web]) }),
    );
    assert_eq!(edited["spec"]["groupIds"], json!([servers, web]));
    assert_eq!(effective(json!({ "groupIds": [web] }))["sourceGroupId"], web);

    // POL-2: deleting a policy returns its computers to what is above them...
    f.call("delete_agent_policy", json!({ "id": srv_id }));
    assert_eq!(effective(json!({ "computerId": pc }))["policyId"], all_id);
    // ... and, with nothing above, to the operating system's defaults.
    f.call("delete_agent_policy", json!({ "id": all_id }));
    let back = effective(json!({ "computerId": pc }));
    assert_eq!(back["settings"], Value::Null);
    assert_eq!(back["policyName"], Value::Null);
    assert_eq!(f.count("SELECT count(*) FROM agent_policy_groups"), 1);

    let actions: Vec<String> = f
        .audit()
        .iter()
        .map(|a| a["action"].as_str().expect("action").to_string())
        .collect();
    for a in ["agent_policy.create", "agent_policy.edit", "agent_policy.delete"] {
        assert!(actions.iter().any(|x| x == a), "{a} audited");
    }
    assert_eq!(f.fail("effective_agent_policy", json!({})).code, ErrorCode::Validation);
    assert_eq!(
        f.fail("effective_agent_policy", json!({ "groupIds": [777] })).code,
        ErrorCode::NotFound
    );
}

#[test]
fn offered_categories_default_to_the_common_ones_until_saved() {
    let f = Fixture::new(ACTOR, 40);
    let got = f.call("get_offered_categories", json!({}));
    assert_eq!(got["isDefault"], true);
    let classes: Vec<String> = serde_json::from_value(got["classificationIds"].clone()).expect("ids");
    let titles = f.strings("SELECT title FROM categories WHERE kind = 'UpdateClassification' ORDER BY title");
    assert!(titles.len() >= 10);
    assert_eq!(classes.len(), 5);
    assert!(classes.contains(&SECURITY.to_string()) && classes.contains(&CRITICAL.to_string()));
    let updates_class = "cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83";
    assert!(!classes.contains(&updates_class.to_string()));
    let mut products: Vec<String> = serde_json::from_value(got["productIds"].clone()).expect("ids");
    products.sort();
    let mut windows_office = f.strings(
        "SELECT p.category_id FROM categories p JOIN categories fam ON fam.category_id = p.parent_id
         WHERE fam.title IN ('Windows', 'Office') AND p.kind = 'Product'",
    );
    windows_office.sort();
    assert_eq!(
        windows_office.len(),
        7,
        "the generated catalog's Windows and Office products"
    );
    assert_eq!(products, windows_office);

    // Unknown ids are refused by name; nothing is saved.
    let e = f.fail(
        "set_offered_categories",
        json!({ "productIds": [products[0], "00000000-0000-0000-0000-00000000abcd"], "classificationIds": [] }),
    );
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(
        e.message.contains("00000000-0000-0000-0000-00000000abcd"),
        "{}",
        e.message
    );
    let e = f.fail(
        "set_offered_categories",
        json!({ "productIds": [], "classificationIds": [products[0]] }),
    );
    assert!(
        e.message.contains(&products[0]),
        "a product is not a classification: {}",
        e.message
    );
    assert_eq!(f.call("get_offered_categories", json!({}))["isDefault"], true);

    let saved = f.call(
        "set_offered_categories",
        json!({ "productIds": [products[0].to_uppercase()], "classificationIds": [CRITICAL] }),
    );
    assert_eq!(saved["isDefault"], false);
    assert_eq!(saved["productIds"], json!([products[0]]));
    assert_eq!(f.call("get_offered_categories", json!({})), saved);
    assert!(f
        .audit()
        .iter()
        .any(|a| a["action"] == "offered_categories.set" && a["actor"] == ACTOR));
}

#[test]
fn overview_asks_for_approval_only_when_a_computer_needs_an_unapproved_update() {
    let f = Fixture::new(ACTOR, 40);
    let item = |o: &Value| {
        o["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["kind"] == "newUpdatesToApprove")
            .cloned()
    };
    let o = f.call("library_overview", json!({}));
    assert_eq!(o["managedComputers"], 0);
    assert_eq!(o["newUpdatesToApprove"], 0);
    assert!(item(&o).is_none(), "no computers, nothing to approve: {o}");
    assert_eq!(o["items"], json!([]), "nothing needs attention on a fresh site");

    let ids = f.strings("SELECT update_id FROM updates WHERE listed = 1 ORDER BY upd_pk LIMIT 2");
    let pc = f.computer("PC01", &[]);
    // A computer that needs nothing raises nothing.
    f.report(pc, &ids[0], "Installed");
    let o = f.call("library_overview", json!({}));
    assert_eq!(o["managedComputers"], 1);
    assert!(item(&o).is_none());

    f.report(pc, &ids[0], "Required");
    f.report(pc, &ids[1], "Required");
    let o = f.call("library_overview", json!({}));
    let it = item(&o).expect("the item appears");
    assert_eq!(it["count"], 2);
    assert_eq!(it["link"], "library/library.allUpdates?minRequired=0&deployed=false");
    // The link's grid shows what was counted.
    let grid = f.call(
        "list_updates",
        json!({ "minRequired": 0, "deployed": false, "limit": 50 }),
    );
    assert_eq!(grid["total"], 2);

    // Do not install is not an approval to install: still counted.
    f.call(
        "approve_updates",
        json!({ "updateIds": [ids[0]], "approvals": [{ "groupId": 1, "action": "DoNotInstall", "deadline": "None" }] }),
    );
    assert_eq!(item(&f.call("library_overview", json!({}))).expect("item")["count"], 2);
    f.call(
        "approve_updates",
        json!({ "updateIds": ids, "approvals": [{ "groupId": 1, "action": "Required", "deadline": "None" }] }),
    );
    let o = f.call("library_overview", json!({}));
    assert!(item(&o).is_none(), "gone once approved: {o}");
    assert_eq!(o["newUpdatesToApprove"], 0);
}

#[test]
fn overview_lists_failed_rules_by_their_latest_run() {
    let f = Fixture::new(ACTOR, 0);
    let now = "2026-11-01T00:00:00.000Z";
    f.raw
        .execute_batch(&format!(
            "INSERT INTO adr_rules (rule_id, name, spec_json, created_utc, modified_utc, created_by)
               VALUES (1, 'Patch Tuesday', '{{}}', '{now}', '{now}', 't'), (2, 'Defs', '{{}}', '{now}', '{now}', 't');
             INSERT INTO adr_runs (rule_id, rule_name, trigger_kind, state, started_utc, error) VALUES
               (1, 'Patch Tuesday', 'Schedule', 'Failed', '{now}', 'the disk is full'),
               (2, 'Defs', 'Manual', 'Failed', '{now}', 'old failure'),
               (2, 'Defs', 'AfterSync', 'Succeeded', '{now}', NULL);"
        ))
        .expect("runs");
    let o = f.call("library_overview", json!({}));
    let failed = o["failedRules"].as_array().expect("failed");
    assert_eq!(
        failed.len(),
        1,
        "a rule whose latest run succeeded is not failing: {failed:?}"
    );
    assert_eq!(failed[0]["ruleName"], "Patch Tuesday");
    assert_eq!(failed[0]["error"], "the disk is full");
    let it = o["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "failedRules")
        .expect("item")
        .clone();
    assert_eq!(it["link"], "monitoring/monitoring.ruleRuns?state=Failed");
    assert_eq!(it["count"], 1);
}

fn rule(name: &str, products: &[&str], classes: &[&str], groups: &[i64], deadline: Option<i64>) -> Value {
    json!({ "name": name, "productIds": products, "classificationIds": classes, "groupIds": groups, "deadlineDays": deadline })
}

#[test]
fn approval_rule_validation_and_run_selected() {
    let f = Fixture::new(ACTOR, 120);
    let g = f.group("Pilot", None);
    let refused = |spec: Value, code: ErrorCode, text: &str| {
        let e = f.fail("create_approval_rule", spec);
        assert_eq!(e.code, code, "{}", e.message);
        assert!(e.message.contains(text), "{}", e.message);
    };
    refused(
        rule(" ", &[], &[SECURITY], &[g], None),
        ErrorCode::Validation,
        "needs a name",
    );
    refused(
        rule("r", &[], &[], &[g], None),
        ErrorCode::Validation,
        "at least one product",
    );
    refused(
        rule("r", &[], &[SECURITY], &[], None),
        ErrorCode::Validation,
        "at least one computer group",
    );
    refused(rule("r", &[], &[SECURITY], &[4242], None), ErrorCode::NotFound, "4242");
    refused(
        rule("r", &[], &[SECURITY], &[g], Some(366)),
        ErrorCode::Validation,
        "between 0 and 365",
    );
    refused(
        rule("r", &[], &[SECURITY], &[g], Some(-1)),
        ErrorCode::Validation,
        "between 0 and 365",
    );
    refused(rule("r", &["nope"], &[], &[g], None), ErrorCode::NotFound, "nope");
    assert_eq!(f.count("SELECT count(*) FROM approval_rules"), 0);

    let security: Vec<String> = f.strings(&format!(
        "SELECT update_id FROM updates WHERE listed = 1 AND classification_id = '{SECURITY}' ORDER BY upd_pk"
    ));
    assert!(security.len() >= 3);
    // An administrator's explicit choice comes first and stays.
    f.call(
        "approve_updates",
        json!({ "updateIds": [security[0]], "approvals": [{ "groupId": g, "action": "DoNotInstall", "deadline": "None" }] }),
    );
    let made = f.call(
        "create_approval_rule",
        rule("Security", &[], &[SECURITY], &[g], Some(365)),
    );
    let id = made["id"].as_i64().expect("id");
    assert_eq!(made["approvalsMade"], 0);
    refused(
        rule("SECURITY", &[], &[CRITICAL], &[g], None),
        ErrorCode::Conflict,
        "already exists",
    );
    // Creating it approved nothing already in the catalog.
    assert_eq!(
        f.count("SELECT count(*) FROM assignments WHERE created_by = 'rule:Security'"),
        0
    );
    // Nor does a sync that brought nothing new.
    let after = site::automation::approval_rules::after_sync(&f.site, "2000-01-01T00:00:00.000Z").expect("after sync");
    assert_eq!(
        after.approvals, 0,
        "a rule takes only updates that arrive after it is created"
    );

    let report = f.call("run_approval_rules", json!({ "ids": [id] }));
    assert_eq!(report["updates"], security.len() as i64);
    assert_eq!(report["approvals"], security.len() as i64 - 1);
    let approvals = f.call("list_approvals", json!({ "groupId": g }));
    let approvals = approvals.as_array().expect("approvals");
    assert_eq!(approvals.len(), security.len());
    for a in approvals {
        if a["updateId"] == security[0].as_str() {
            assert_eq!(a["action"], "DoNotInstall");
            assert_eq!(a["approvedBy"], ACTOR);
        } else {
            assert_eq!(a["action"], "Required");
            assert_eq!(a["approvedBy"], "rule:Security");
            let deadline = a["deadlineUtc"].as_str().expect("deadline");
            assert!(deadline > "2027-", "a year from now: {deadline}");
        }
    }
    let listed = f.call("list_approval_rules", json!({}));
    assert_eq!(listed[0]["approvalsMade"], security.len() as i64 - 1);
    assert!(listed[0]["lastAppliedUtc"].is_string());
    // Running again writes nothing new.
    assert_eq!(f.call("run_approval_rules", json!({ "ids": [id] }))["approvals"], 0);

    let disabled = f.call("set_approval_rule_enabled", json!({ "id": id, "enabled": false }));
    assert_eq!(disabled["enabled"], false);
    let edited = f.call(
        "edit_approval_rule",
        json!({ "id": id, "spec": rule("Security and critical", &[], &[SECURITY, CRITICAL], &[g], None) }),
    );
    assert_eq!(edited["spec"]["classificationIds"], json!([SECURITY, CRITICAL]));
    f.call("delete_approval_rule", json!({ "id": id }));
    assert_eq!(f.call("list_approval_rules", json!({})), json!([]));
    assert_eq!(
        f.count("SELECT count(*) FROM assignments WHERE created_by = 'rule:Security'"),
        security.len() as i64 - 1,
        "deleting the rule keeps its approvals"
    );
    let audit = f.audit();
    assert!(audit
        .iter()
        .any(|a| a["actor"] == "rule:Security" && a["action"] == "update.approve"));
    for a in [
        "approval_rule.create",
        "approval_rule.run",
        "approval_rule.disable",
        "approval_rule.edit",
        "approval_rule.delete",
    ] {
        assert!(
            audit.iter().any(|x| x["action"] == a && x["actor"] == ACTOR),
            "{a} audited"
        );
    }
}

#[test]
fn deployments_count_their_collections_computers_and_raise_their_alert() {
    let f = Fixture::new(ACTOR, 30);
    let servers = f.group("Servers", None);
    let web = f.group("Web", Some(servers));
    let ids = f.strings("SELECT update_id FROM updates WHERE listed = 1 ORDER BY upd_pk LIMIT 2");
    let group = f.call("create_update_group", json!({ "name": "January", "updateIds": ids }))["id"].clone();
    // Long past: the alert (below 90% three days after the deadline) is due.
    let dep = f.call(
        "create_deployment",
        json!({ "name": "January servers", "updateGroupId": group, "targetGroupId": servers,
                "settings": settings("Required", "2026-01-01T08:00:00Z", Some("2026-01-02T08:00:00Z")) }),
    );
    let everyone = f.call(
        "create_deployment",
        json!({ "name": "January everyone", "updateGroupId": group, "targetGroupId": 1,
                "settings": settings("Available", "2026-01-01T08:00:00Z", None) }),
    );
    let s1 = f.computer("SRV01", &[servers]);
    let s2 = f.computer("WEB01", &[web]);
    let pc = f.computer("PC01", &[]);
    let silent = f.computer("SRV02", &[servers]);
    f.report(s1, &ids[0], "Installed");
    f.report(s1, &ids[1], "NotRequired");
    f.report(s2, &ids[0], "Installed");
    f.report(s2, &ids[1], "Required");
    f.report(pc, &ids[0], "Failed");

    let counts = |id: &Value| {
        let all = f.call("list_deployments", json!(null));
        all.as_array()
            .expect("list")
            .iter()
            .find(|d| d["id"] == *id)
            .expect("listed")["counts"]
            .clone()
    };
    // The collection and its subgroup: compliant, still requiring, never reported.
    assert_eq!(
        counts(&dep["id"]),
        json!({ "compliant": 1, "inProgress": 1, "error": 0, "requirementsNotMet": 0, "unknown": 1 })
    );
    // All Computers: every computer, the failure too.
    assert_eq!(
        counts(&everyone["id"]),
        json!({ "compliant": 1, "inProgress": 1, "error": 1, "requirementsNotMet": 0, "unknown": 1 })
    );

    let alert = |o: &Value| {
        o["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["kind"] == "deploymentsBelowAlert")
            .cloned()
    };
    let o = f.call("library_overview", json!({}));
    let below: Vec<&Value> = o["deploymentsBelowAlert"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| &d["name"])
        .collect();
    assert_eq!(
        below,
        vec!["January servers"],
        "1 of 3 compliant is below 90%; the other has no alert deadline"
    );
    let it = alert(&o).expect("the alert item");
    assert_eq!(it["link"], "monitoring/monitoring.deployments");

    // Every computer of the collection compliant: the alert goes.
    f.report(s2, &ids[1], "Installed");
    f.report(silent, &ids[0], "Installed");
    assert_eq!(counts(&dep["id"])["compliant"], 3);
    assert!(alert(&f.call("library_overview", json!({}))).is_none());
}
