//! The first-run wizard's commands on a real site: when it opens by itself, closing it
//! (kept and audited), and `validate_sync_settings` naming the field of each problem.

mod common;

use common::Fixture;
use serde_json::{json, Value};

const ACTOR: &str = "test:first-run";
const SECURITY: &str = "0fa1201d-4330-4fa8-8ae9-b877473b6441";

fn fields(issues: &Value) -> Vec<String> {
    issues
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["field"].as_str().expect("field").to_string())
        .collect()
}

#[test]
fn opens_on_an_empty_site_until_closed() {
    let f = Fixture::new(ACTOR, 0);
    let s = f.call("first_run_status", json!(null));
    assert_eq!(s["openOnStart"], true);
    assert_eq!(s["listedUpdates"], 0);
    let closed = f.call("close_first_run", json!(null));
    assert_eq!(closed["openOnStart"], false);
    assert!(closed["closedUtc"].is_string());
    assert_eq!(f.call("first_run_status", json!(null))["openOnStart"], false);
    assert!(f
        .audit()
        .iter()
        .any(|a| a["action"] == "sync.first_run.close" && a["actor"] == ACTOR));
}

#[test]
fn does_not_open_on_a_site_that_lists_updates() {
    let f = Fixture::new(ACTOR, 5);
    let s = f.call("first_run_status", json!(null));
    assert_eq!(s["openOnStart"], false);
    assert!(s["listedUpdates"].as_i64().expect("count") > 0);
}

#[test]
fn validate_sync_settings_names_the_field_of_each_problem() {
    let f = Fixture::new(ACTOR, 0);
    let mut s = f.call("get_sync_settings", json!(null));
    assert_eq!(
        f.call("validate_sync_settings", s.clone()),
        json!([]),
        "the defaults save"
    );

    s["source"] = json!("UpstreamServer");
    s["upstreamUrl"] = json!("http://wsus.example.org:8530");
    s["proxyUrl"] = json!("not a proxy");
    s["languages"] = json!([]);
    s["schedule"] = json!({ "kind": "Daily", "everyHours": 0, "dayOfWeek": 0, "timeUtc": "25:00" });
    let issues = f.call("validate_sync_settings", s.clone());
    assert_eq!(
        fields(&issues),
        vec!["upstreamUrl", "languages", "proxyUrl", "schedule.timeUtc"],
        "{issues}"
    );
    let msg = issues[0]["message"].as_str().expect("message");
    assert!(msg.contains("plain HTTP"), "{msg}");

    // A well-formed id the site never received is refused too: it would filter nothing.
    let mut s = f.call("get_sync_settings", json!(null));
    s["classificationIds"] = json!([SECURITY]);
    s["productIds"] = json!(["Windows 11"]);
    let issues = f.call("validate_sync_settings", s);
    assert_eq!(fields(&issues), vec!["productIds", "classificationIds"], "{issues}");
    assert!(issues[0]["message"].as_str().expect("m").contains("not a product id"));
    assert!(issues[1]["message"]
        .as_str()
        .expect("m")
        .contains("not a classification this site received"));
    // Nothing was saved by checking.
    assert_eq!(f.call("get_sync_settings", json!(null))["classificationIds"], json!([]));
}
