//! Monitoring › Alerts through the command API on a real site: alerts derived from failed
//! synchronization runs, deployments below their compliance alert and failed rule runs,
//! and their states (closed, postponed, active again) kept and audited.

mod common;

use common::{settings, Fixture};
use serde_json::{json, Value};
use site::ErrorCode;

const ACTOR: &str = "test:alerts";
const THEN: &str = "2026-11-01T00:00:00.000Z";

fn alerts(f: &Fixture) -> Vec<Value> {
    f.call("list_alerts", json!(null)).as_array().expect("alerts").clone()
}

fn find<'a>(all: &'a [Value], id: &str) -> Option<&'a Value> {
    all.iter().find(|a| a["id"] == id)
}

#[test]
fn failures_and_low_compliance_raise_alerts_with_links_to_their_objects() {
    let f = Fixture::new(ACTOR, 10);
    assert!(alerts(&f).is_empty(), "a quiet site has no alert");

    f.raw
        .execute_batch(&format!(
            "INSERT INTO sync_runs (run_id, started_utc, ended_utc, state, upstream, error) VALUES
               (4, '{THEN}', '{THEN}', 'Failed', 'https://wsus.example.org', 'the upstream refused the cookie'),
               (5, '{THEN}', '{THEN}', 'Succeeded', 'https://wsus.example.org', NULL);
             INSERT INTO adr_rules (rule_id, name, spec_json, created_utc, modified_utc, created_by)
               VALUES (1, 'Patch Tuesday', '{{}}', '{THEN}', '{THEN}', 't');
             INSERT INTO adr_runs (run_id, rule_id, rule_name, trigger_kind, state, started_utc, ended_utc, error) VALUES
               (9, 1, 'Patch Tuesday', 'Schedule', 'Failed', '{THEN}', '{THEN}', 'the disk is full'),
               (10, 1, 'Patch Tuesday', 'Schedule', 'Succeeded', '{THEN}', '{THEN}', NULL);"
        ))
        .expect("runs");
    let mut stmt = f
        .raw
        .prepare("SELECT update_id FROM updates WHERE listed = 1 LIMIT 1")
        .expect("ids");
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("ids")
        .collect::<Result<_, _>>()
        .expect("ids");
    drop(stmt);
    let group = f.call("create_update_group", json!({ "name": "January", "updateIds": ids }))["id"].clone();
    let servers = f.group("Servers", None);
    let dep = f.call(
        "create_deployment",
        json!({ "name": "January servers", "updateGroupId": group, "targetGroupId": servers,
                "settings": settings("Required", "2026-01-01T08:00:00Z", Some("2026-01-02T08:00:00Z")) }),
    );
    let pc = f.computer("SRV01", &[servers]);
    f.report(pc, &ids[0], "Required");

    let all = alerts(&f);
    let sync = find(&all, "sync-run:4").expect("the failed sync run");
    assert_eq!(sync["kind"], "SyncFailed");
    assert_eq!(sync["state"], "Active");
    assert_eq!(sync["link"], "monitoring/monitoring.supSync?run=4");
    assert!(sync["detail"].as_str().expect("detail").contains("refused the cookie"));
    assert!(find(&all, "sync-run:5").is_none(), "a run that succeeded is no alert");
    let rule = find(&all, "rule-run:9").expect("the failed rule run");
    assert_eq!(rule["kind"], "RuleRunFailed");
    assert_eq!(rule["detail"], "the disk is full");
    assert_eq!(rule["link"], "monitoring/monitoring.ruleRuns?run=9");
    let id = format!("deployment:{}", dep["id"]);
    let below = find(&all, &id).expect("the deployment below its alert");
    assert_eq!(below["kind"], "DeploymentBelowAlert");
    assert_eq!(
        below["raisedUtc"], "2026-01-05T08:00:00.000Z",
        "deadline plus the alert's three days"
    );
    assert_eq!(
        below["link"],
        format!("monitoring/monitoring.deployments?id={}", dep["id"])
    );
    assert_eq!(all.len(), 3, "{all:?}");

    // The computer complies: the deployment's alert is gone, being derived from it.
    f.report(pc, &ids[0], "Installed");
    assert!(find(&alerts(&f), &id).is_none());
}

#[test]
fn alert_states_are_kept_and_audited() {
    let f = Fixture::new(ACTOR, 0);
    f.raw
        .execute(
            "INSERT INTO sync_runs (run_id, started_utc, ended_utc, state, upstream, error)
             VALUES (1, ?1, ?1, 'Failed', 'https://sws.update.microsoft.com', 'no route to host')",
            [THEN],
        )
        .expect("run");
    let closed = f.call("set_alert_state", json!({ "id": "sync-run:1", "state": "Closed" }));
    assert_eq!(closed["state"], "Closed");
    assert_eq!(closed["stateChangedBy"], ACTOR);
    let listed = alerts(&f);
    assert_eq!(find(&listed, "sync-run:1").expect("still listed")["state"], "Closed");

    f.call("set_alert_state", json!({ "id": "sync-run:1", "state": "Postponed" }));
    assert_eq!(find(&alerts(&f), "sync-run:1").expect("listed")["state"], "Postponed");
    f.call("set_alert_state", json!({ "id": "sync-run:1", "state": "Active" }));
    let again = alerts(&f);
    let a = find(&again, "sync-run:1").expect("listed");
    assert_eq!(a["state"], "Active");
    assert!(a["stateChangedUtc"].is_null());

    let changes = f.audit().into_iter().filter(|a| a["action"] == "alert.state").count();
    assert_eq!(changes, 3, "every change of state is audited");

    let err = f.fail("set_alert_state", json!({ "id": "sync-run:99", "state": "Closed" }));
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("sync-run:99"), "{}", err.message);
}

#[test]
fn each_workspace_overview_counts_what_its_links_show() {
    let f = Fixture::new(ACTOR, 10);
    f.group("Servers", None);
    let items = f.call("workspace_overview", json!({ "workspace": "assets" }));
    let collections = items
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "collections")
        .expect("collections")
        .clone();
    assert_eq!(collections["count"], f.count("SELECT count(*) FROM target_groups"));
    assert_eq!(collections["link"], "assets/assets.collections");
    let library = f.call("workspace_overview", json!({ "workspace": "library" }));
    assert_eq!(library[0]["kind"], "updates");
    assert_eq!(
        library[0]["count"],
        f.count("SELECT count(*) FROM updates WHERE listed = 1")
    );
    for w in ["monitoring", "administration"] {
        assert!(!f
            .call("workspace_overview", json!({ "workspace": w }))
            .as_array()
            .expect("items")
            .is_empty());
    }
    let err = f.fail("workspace_overview", json!({ "workspace": "security" }));
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("not a workspace"), "{}", err.message);
}

#[test]
fn a_computer_silent_past_the_stale_threshold_raises_an_alert_until_it_is_heard_from() {
    let f = Fixture::new(ACTOR, 10);
    let now = site::clock::now();
    let days_ago = |d: i64| site::clock::format_utc(now - chrono::TimeDelta::days(d));
    f.raw
        .execute_batch(&format!(
            "INSERT INTO computers (computer_id, name, last_report_utc) VALUES
               (1, 'OLD-PC', '{}'), (2, 'FRESH-PC', '{}');
             INSERT INTO computers (computer_id, name) VALUES (3, 'NEVER-PC');",
            days_ago(40),
            days_ago(1)
        ))
        .expect("computers");
    let all = alerts(&f);
    let stale: Vec<&Value> = all.iter().filter(|a| a["kind"] == "ComputerStale").collect();
    assert_eq!(stale.len(), 1, "{all:?}");
    let alert = stale[0];
    assert_eq!(alert["id"], "stale-computer:1");
    assert_eq!(alert["title"], "Computer 'OLD-PC' has not been heard from");
    assert!(
        alert["detail"].as_str().is_some_and(|d| d.contains("30 days")),
        "{alert}"
    );
    assert_eq!(alert["link"], "assets/assets.devices?id=1");
    // Raised when the threshold passed: 40 days of silence, 30 allowed → ten days ago.
    assert_eq!(alert["raisedUtc"], days_ago(10).as_str());

    // A longer threshold, then a report, each take the alert away.
    f.call(
        "set_computer_settings",
        json!({ "targeting": "Server", "staleAfterDays": 60 }),
    );
    assert!(find(&alerts(&f), "stale-computer:1").is_none());
    f.call(
        "set_computer_settings",
        json!({ "targeting": "Server", "staleAfterDays": 30 }),
    );
    assert!(find(&alerts(&f), "stale-computer:1").is_some());
    f.raw
        .execute(
            "UPDATE computers SET last_report_utc = ?1 WHERE computer_id = 1",
            [days_ago(0)],
        )
        .expect("report");
    assert!(find(&alerts(&f), "stale-computer:1").is_none());
}
