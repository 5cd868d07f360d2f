//! A child site synchronizes from a parent `patchdeck serve` over loopback HTTP, through
//! the real MS-WSUSSS messages.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use site::sync::transport::HttpTransport;
use site::{dispatch, Actor, Site};

const TOKEN: &str = "sync-test-token-0123456789";
/// Microsoft Defender Antivirus: the product of the captured fixture updates.
const DEFENDER: &str = "8c3fcc84-7410-4a95-8b89-a166a0190486";

struct Parent {
    child: Child,
    base: String,
    dir: tempfile::TempDir,
    generated: PathBuf,
}

impl Drop for Parent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures")
}

fn patchdeck(site: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_patchdeck"));
    c.arg("--site").arg(site).env("PATCHDECK_LOG", "warn");
    c
}

fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

fn start_parent() -> Parent {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let generated = dir.path().join("generated");
    assert!(patchdeck(&site)
        .arg("import-xml")
        .args(xml_files(&fixtures().join("wsusss/updates")))
        .status()
        .expect("run")
        .success());
    let st = patchdeck(&site)
        .args(["gen-catalog", "--count", "400", "--seed", "5", "--out"])
        .arg(&generated)
        .status()
        .expect("gen");
    assert!(st.success());
    assert!(patchdeck(&site)
        .arg("import-xml")
        .args(xml_files(&generated))
        .status()
        .expect("run")
        .success());
    let mut child = patchdeck(&site)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("PATCHDECK_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("line").expect("read");
    let base = first
        .split("serving on ")
        .nth(1)
        .expect("address")
        .trim_end_matches('/')
        .to_string();
    std::thread::spawn(move || for _ in lines {});
    Parent {
        child,
        base,
        dir,
        generated,
    }
}

fn parent_call(p: &Parent, name: &str, args: Value) -> Value {
    let r = ureq::post(&format!("{}/api/v1/commands/{name}", p.base))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .send_json(args)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    r.into_json().expect("json")
}

fn call(site: &Site, name: &str, args: Value) -> Value {
    dispatch(site, &Actor::new("test:sync"), name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn all_ids(list: impl Fn(Value) -> Value, extra: Value) -> Vec<(String, i64)> {
    let mut q = json!({ "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } });
    for (k, v) in extra.as_object().expect("obj") {
        q[k] = v.clone();
    }
    let page = list(q);
    assert!(page["total"].as_i64().expect("total") < 1000);
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["updateId"].as_str().expect("id").to_string(),
                r["revision"].as_i64().expect("rev"),
            )
        })
        .collect()
}

fn sync(child: &Site) -> Value {
    let run = site::sync::run_now(child, &Actor::new("test:sync"), &HttpTransport::new()).expect("run");
    serde_json::to_value(run).expect("json")
}

#[test]
fn a_child_site_synchronizes_from_its_parent() {
    let parent = start_parent();
    let cats = parent_call(&parent, "list_categories", json!({}));
    let products: Vec<String> = cats
        .as_array()
        .expect("cats")
        .iter()
        .filter(|c| c["kind"] == "Product" && c["updateCount"].as_i64() > Some(0))
        .map(|c| c["categoryId"].as_str().expect("id").to_string())
        .take(3)
        .collect();
    assert_eq!(products.len(), 3);

    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(dir.path()).expect("child");
    let mut subscribed = products.clone();
    subscribed.push(DEFENDER.into());
    let settings = json!({
        "source": "ParentSite", "upstreamUrl": parent.base, "allowPlainHttp": true,
        "productIds": subscribed, "classificationIds": [], "languages": ["en"],
        "schedule": { "kind": "Manual", "everyHours": 24, "dayOfWeek": 6, "timeUtc": "02:00" }
    });
    call(&child, "set_sync_settings", settings);

    let first = sync(&child);
    assert_eq!(first["state"], "Succeeded", "{first}");
    assert!(first["fetchedCount"].as_i64() > Some(0));

    // The child holds exactly the parent's updates of the chosen products.
    let parent_ids = all_ids(
        |q| parent_call(&parent, "list_updates", q),
        json!({ "productIds": products }),
    );
    let child_ids = all_ids(|q| call(&child, "list_updates", q), json!({ "productIds": products }));
    assert!(!parent_ids.is_empty());
    assert_eq!(child_ids, parent_ids);
    // Nothing of the other products came.
    let child_all = all_ids(|q| call(&child, "list_updates", q), json!({}));
    let defender_bundle = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";
    assert!(
        child_all.iter().any(|(id, _)| id == defender_bundle),
        "the captured Defender bundle came with its product"
    );
    assert_eq!(
        child_all.len(),
        child_ids.len() + 1 + 1,
        "only the chosen products (plus the Defender bundle and its deployable leaf)"
    );
    // Metadata arrived whole: the same Properties on both sides.
    for (id, _) in child_ids
        .iter()
        .take(25)
        .chain(std::iter::once(&(defender_bundle.to_string(), 0)))
    {
        let p = parent_call(&parent, "get_update", json!({ "updateId": id }));
        let c = call(&child, "get_update", json!({ "updateId": id }));
        for key in [
            "row",
            "supersedes",
            "supersededBy",
            "bundledUpdates",
            "files",
            "bundledFiles",
            "prerequisites",
            "localized",
            "categories",
        ] {
            assert_eq!(c[key], p[key], "{key} of {id}");
        }
    }

    // A second sync with no change on the parent transfers no update data.
    let second = sync(&child);
    assert_eq!(second["state"], "Succeeded", "{second}");
    assert_eq!(second["fetchedCount"], 0);
    assert_eq!(second["newCount"], 0);

    // A change on the parent (a new revision that expires an update) arrives next time.
    let (changed_id, _) = child_ids[0].clone();
    let doc = std::fs::read_to_string(parent.generated.join(format!("{changed_id}-r200.xml"))).expect("generated doc");
    let revised = doc
        .replace("RevisionNumber=\"200\"", "RevisionNumber=\"201\"")
        .replacen("PublicationState=\"Published\"", "PublicationState=\"Expired\"", 1);
    let report = parent_call(&parent, "import_xml", json!({ "documents": [revised] }));
    assert_eq!(report["newRevisions"], 1);
    let third = sync(&child);
    assert_eq!(third["state"], "Succeeded", "{third}");
    assert_eq!(third["fetchedCount"], 1, "{third}");
    assert_eq!(third["changedCount"], 1);
    assert_eq!(third["expiredCount"], 1);
    let d = call(&child, "get_update", json!({ "updateId": changed_id }));
    assert_eq!(d["row"]["revision"], 201);
    assert_eq!(d["row"]["expired"], true);
    assert_eq!(d["revisions"], json!([201, 200]));
    let _ = &parent.dir;
}

#[test]
fn a_classification_filter_keeps_only_that_classification() {
    let parent = start_parent();
    let cats = parent_call(&parent, "list_categories", json!({}));
    let find = |title: &str| {
        cats.as_array()
            .expect("c")
            .iter()
            .find(|c| c["title"] == title)
            .map(|c| c["categoryId"].clone())
            .expect("category")
    };
    let products: Vec<Value> = cats
        .as_array()
        .expect("cats")
        .iter()
        .filter(|c| c["kind"] == "Product" && c["updateCount"].as_i64() > Some(0))
        .map(|c| c["categoryId"].clone())
        .collect();
    let security = find("Security Updates");
    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(dir.path()).expect("child");
    call(
        &child,
        "set_sync_settings",
        json!({
            "source": "UpstreamServer", "upstreamUrl": parent.base, "allowPlainHttp": true,
            "productIds": products, "classificationIds": [security], "languages": ["en"],
            "schedule": { "kind": "Manual", "everyHours": 24, "dayOfWeek": 6, "timeUtc": "02:00" }
        }),
    );
    let run = sync(&child);
    assert_eq!(run["state"], "Succeeded", "{run}");
    let want = all_ids(
        |q| parent_call(&parent, "list_updates", q),
        json!({ "classificationIds": [security] }),
    );
    let got = all_ids(|q| call(&child, "list_updates", q), json!({}));
    assert_eq!(got, want);
    // The status and the log say what happened.
    let status = call(&child, "get_sync_status", json!({}));
    assert_eq!(status["history"][0]["state"], "Succeeded");
    assert!(status["running"].is_null());
    let log = call(&child, "get_sync_log", json!({ "runId": run["runId"] }));
    let text: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .map(|l| l["message"].as_str().expect("m"))
        .collect();
    assert!(text.iter().any(|m| m.contains("synchronization succeeded")), "{text:?}");
}

#[test]
fn an_unreachable_upstream_fails_clearly_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(dir.path()).expect("child");
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    call(
        &child,
        "set_sync_settings",
        json!({
            "source": "UpstreamServer", "upstreamUrl": format!("http://127.0.0.1:{port}"), "allowPlainHttp": true,
            "productIds": [DEFENDER], "classificationIds": [], "languages": ["en"],
            "schedule": { "kind": "Manual", "everyHours": 24, "dayOfWeek": 6, "timeUtc": "02:00" }
        }),
    );
    let run = sync(&child);
    assert_eq!(run["state"], "Failed");
    let err = run["error"].as_str().expect("error");
    assert!(
        err.contains("could not be reached") && err.contains(&port.to_string()),
        "{err}"
    );
    assert_eq!(call(&child, "site_info", json!(null))["revisionCount"], 0);
}
