//! A child site synchronizes from a parent `patchdeck serve` over loopback HTTP, through
//! the real MS-WSUSSS messages.

mod common;

use common::*;
use serde_json::{json, Value};
use site::Site;

fn sorted(mut ids: Vec<(String, i64)>) -> Vec<(String, i64)> {
    ids.sort();
    ids
}

/// What a site holds for a query, listed or declined: after each synchronization a site
/// declines expired and long-superseded updates (cleanup), which the default views leave out.
fn held(site: &Site, extra: Value) -> Vec<(String, i64)> {
    let list = |q| call(site, "list_updates", q);
    let mut declined = extra.clone();
    declined["declined"] = json!(true);
    let mut ids = all_ids(list, extra);
    ids.extend(all_ids(list, declined));
    sorted(ids)
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
    assert_eq!(held(&child, json!({ "productIds": products })), sorted(parent_ids));
    // Nothing of the other products came.
    let child_all = held(&child, json!({}));
    let defender_bundle = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";
    assert!(
        child_all.iter().any(|(id, _)| id == defender_bundle),
        "the captured Defender bundle came with its product"
    );
    // The chosen products in the chosen classifications (none chosen: every one) and the
    // members of what matched; a Defender leaf of no classification whose bundle the parent
    // does not hold stays out, as a WSUS upstream filters ([MS-WSUSSS] 3.1.4.5.3.1).
    let orphan_leaf = "7366a74a-ef29-44e1-b738-570b516aca1f";
    assert!(!child_all.iter().any(|(id, _)| id == orphan_leaf));
    assert_eq!(
        child_all.len(),
        held(&child, json!({ "productIds": products })).len() + 1,
        "only the chosen products (plus the Defender bundle)"
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
    // The new revision also supersedes another update the child holds.
    let (newly_superseded, _) = child_ids
        .iter()
        .find(|(id, _)| *id != changed_id)
        .expect("another update")
        .clone();
    let revised = doc
        .replace("RevisionNumber=\"200\"", "RevisionNumber=\"201\"")
        .replacen("PublicationState=\"Published\"", "PublicationState=\"Expired\"", 1)
        .replace(
            "</upd:Relationships>",
            &format!("<upd:SupersededUpdates><upd:UpdateIdentity UpdateID=\"{newly_superseded}\" /></upd:SupersededUpdates></upd:Relationships>"),
        );
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
    let s = call(&child, "get_update", json!({ "updateId": newly_superseded }));
    assert_eq!(s["row"]["superseded"], true, "the new supersedence arrived");
    assert!(s["supersededBy"]
        .as_array()
        .expect("by")
        .iter()
        .any(|u| u["updateId"] == changed_id.as_str()));
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
    assert_eq!(held(&child, json!({})), sorted(want));
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
    // The default schedule (weekly) is due at a known time.
    let fresh = call(&child, "get_sync_status", json!({}));
    assert!(
        fresh["nextScheduledUtc"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{fresh}"
    );
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
    assert_eq!(err.matches("127.0.0.1").count(), 1, "the address is named once: {err}");
    assert_eq!(call(&child, "site_info", json!(null))["revisionCount"], 0);
}

#[test]
fn a_parent_that_finishes_a_sync_asks_its_children_to_sync() {
    let top = start_parent();
    let products = parent_products(&top);
    let dir = tempfile::tempdir().expect("tempdir");
    let parent = serve(&dir.path().join("parent"), "parent-token-0123456789");
    let child = serve(&dir.path().join("child"), "child-token-01234567890");
    api(&parent, "set_sync_settings", child_settings(&top.base, &products, &[]));
    api(
        &child,
        "set_sync_settings",
        child_settings(&parent.base, &products, &[]),
    );
    let registered = api(
        &parent,
        "register_child_site",
        json!({ "url": child.base, "token": child.token }),
    );
    assert_eq!(registered["url"], child.base.as_str());

    // Only the parent is started by hand.
    api(&parent, "start_sync", json!({}));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let child_run = loop {
        let status = api(&child, "get_sync_status", json!({}));
        let last = status["history"][0].clone();
        if last["state"] == "Succeeded" || last["state"] == "Failed" {
            break last;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the child never synchronized: {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(child_run["state"], "Succeeded", "{child_run}");
    let ids = |s: &Served| {
        api(
            s,
            "list_updates",
            json!({ "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } }),
        )["rows"]
            .clone()
    };
    let want = ids(&parent);
    assert!(!want.as_array().expect("rows").is_empty());
    assert_eq!(ids(&child), want, "the child holds what the parent synchronized");
    let children = api(&parent, "list_child_sites", json!({}));
    assert!(
        children[0]["lastResult"]
            .as_str()
            .expect("result")
            .starts_with("started run"),
        "{children}"
    );
}

#[test]
fn products_that_arrive_after_the_settings_are_flagged_new() {
    let parent = start_parent();
    let products = parent_products(&parent);
    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(dir.path()).expect("child");
    let chosen = vec![products[0].clone()];
    call(&child, "set_sync_settings", child_settings(&parent.base, &chosen, &[]));
    assert_eq!(sync(&child)["state"], "Succeeded");
    let flags = |site: &Site| -> Vec<(String, bool)> {
        call(site, "list_categories", json!({}))
            .as_array()
            .expect("cats")
            .iter()
            .filter(|c| c["kind"] == "Product")
            .map(|c| {
                (
                    c["categoryId"].as_str().expect("id").to_string(),
                    c["isNew"].as_bool().expect("isNew"),
                )
            })
            .collect()
    };
    // After the first sync every product but the chosen one is new to the administrator.
    let first = flags(&child);
    assert!(first.iter().any(|(id, new)| *id == chosen[0] && !new));
    assert!(first.iter().filter(|(id, _)| *id != chosen[0]).all(|(_, new)| *new));
    // Saving the settings acknowledges them.
    call(&child, "set_sync_settings", child_settings(&parent.base, &chosen, &[]));
    assert!(flags(&child).iter().all(|(_, new)| !new));
    // A product the upstream adds later is flagged on the next sync.
    let oobe = std::fs::read_to_string(fixtures().join("wsusss/updates/dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202.xml"))
        .expect("product fixture");
    let new_id = "0a0a0a0a-1111-4222-8333-444444444444";
    let doc = oobe
        .replace("dd78b8a1-0b20-45c1-add6-4da72e9364cf", new_id)
        .replace("OOBE ZDP", "A product added later");
    parent_call(&parent, "import_xml", json!({ "documents": [doc] }));
    assert_eq!(sync(&child)["state"], "Succeeded");
    let after = flags(&child);
    assert!(after.iter().any(|(id, new)| id == new_id && *new), "{after:?}");
    assert_eq!(after.iter().filter(|(_, new)| *new).count(), 1, "{after:?}");
}

/// A forward proxy on loopback that counts the connections it relays.
fn start_connect_proxy() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let tunnels = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = tunnels.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let counted = counted.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(client.try_clone().expect("clone"));
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                // CONNECT host:port (tunnels, as for https), or an absolute-form request
                // (plain http through a proxy), which the upstream accepts as it is.
                let (target, first) = match line.strip_prefix("CONNECT ") {
                    Some(rest) => {
                        let target = rest.split_whitespace().next().unwrap_or("").to_string();
                        loop {
                            let mut h = String::new();
                            if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                                break;
                            }
                        }
                        (target, None)
                    }
                    None => {
                        let url = line.split_whitespace().nth(1).unwrap_or("");
                        let host = url
                            .strip_prefix("http://")
                            .and_then(|r| r.split('/').next())
                            .unwrap_or("");
                        (host.to_string(), Some(line.clone()))
                    }
                };
                let Ok(mut upstream) = std::net::TcpStream::connect(&target) else {
                    return;
                };
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut client = client;
                match first {
                    Some(line) => {
                        let _ = upstream.write_all(line.as_bytes());
                    }
                    None => {
                        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                    }
                }
                let (mut c2, mut u2) = (client.try_clone().expect("clone"), upstream.try_clone().expect("clone"));
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut reader, &mut upstream);
                });
                let _ = std::io::copy(&mut u2, &mut c2);
            });
        }
    });
    (url, tunnels)
}

#[test]
fn the_upstream_can_be_reached_through_a_proxy() {
    let parent = start_parent();
    let products: Vec<String> = parent_products(&parent).into_iter().take(1).collect();
    let (proxy, tunnels) = start_connect_proxy();
    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(dir.path()).expect("child");
    let mut settings = child_settings(&parent.base, &products, &[]);
    settings["proxyUrl"] = json!(proxy);
    call(&child, "set_sync_settings", settings);
    let stored = site::update_point::settings::load(&child).expect("settings");
    let transport = site::update_point::transport::HttpTransport::for_settings(&stored).expect("transport");
    let run = site::sync::run_now(&child, &site::Actor::new("test"), &transport).expect("run");
    assert_eq!(run.state, site::api::SyncState::Succeeded, "{:?}", run.error);
    assert!(run.fetched_count > 0);
    assert!(
        tunnels.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "the calls went through the proxy"
    );
}

#[test]
fn proxy_and_certificate_settings_are_checked_when_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let child = Site::open(dir.path()).expect("child");
    let refused = |key: &str, value: &str| {
        let mut s = child_settings("https://wsus.example.org:8531", &[], &[]);
        s[key] = json!(value);
        let err = site::dispatch(&child, &site::Actor::new("test"), "set_sync_settings", s).expect_err("refused");
        assert_eq!(err.code, site::ErrorCode::Validation);
        err.message
    };
    assert!(refused("proxyUrl", "ftp://proxy:21").contains("not an http:// address"));
    let missing = dir.path().join("no-such-ca.pem");
    assert!(refused("caCertificateFile", missing.to_str().expect("path")).contains("cannot be read"));
    let not_pem = fixtures().join("wsusss/updates/56309036-4c77-4dd9-951a-99ee9c246a94-r101.xml");
    assert!(refused("caCertificateFile", not_pem.to_str().expect("path")).contains("no PEM certificate"));
    // The system's own bundle is a valid PEM file of authorities.
    let bundle = std::path::Path::new("/etc/ssl/certs/ca-certificates.crt");
    if bundle.exists() {
        let mut s = child_settings("https://wsus.example.org:8531", &[], &[]);
        s["caCertificateFile"] = json!(bundle);
        call(&child, "set_sync_settings", s);
        let stored = site::update_point::settings::load(&child).expect("settings");
        assert!(site::update_point::transport::HttpTransport::for_settings(&stored).is_ok());
    }
}

#[test]
fn the_common_classifications_are_preselected_once_unless_an_administrator_chose() {
    const CRITICAL: &str = "e6cf1350-c01b-414d-a61f-263d14d133b4";
    const SECURITY: &str = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
    const DEFINITION: &str = "e0789628-ce08-4437-be74-2495b842f43b";
    let parent = start_parent();
    let products = parent_products(&parent);
    let settings = |site: &Site| call(site, "get_sync_settings", json!({}));
    let log_of = |site: &Site, run: &Value| -> Vec<String> {
        call(site, "get_sync_log", json!({ "runId": run["runId"] }))
            .as_array()
            .expect("log")
            .iter()
            .map(|l| l["message"].as_str().expect("m").to_string())
            .collect()
    };

    // A fresh site told only where its upstream is: the first synchronization brings the
    // categories and ticks the common classifications, and no product.
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = Site::open(&dir.path().join("fresh")).expect("site");
    call(&fresh, "set_sync_settings", child_settings(&parent.base, &[], &[]));
    assert_eq!(settings(&fresh)["classificationIds"], json!([]));
    let first = sync(&fresh);
    assert_eq!(first["state"], "Succeeded", "{first}");
    let chosen = settings(&fresh);
    let mut common = vec![CRITICAL, SECURITY, DEFINITION];
    common.sort();
    assert_eq!(chosen["classificationIds"], json!(common), "{chosen}");
    assert_eq!(chosen["productIds"], json!([]));
    assert_eq!(chosen["upstreamUrl"], parent.base.as_str(), "the rest is kept");
    let log = log_of(&fresh, &first);
    assert!(
        log.iter()
            .any(|m| m
                .starts_with("Preselected classifications: Critical Updates, Definition Updates, Security Updates")),
        "{log:?}"
    );
    // They show as chosen, so they are not flagged New; the others are.
    let cats = call(&fresh, "list_categories", json!({}));
    for c in cats
        .as_array()
        .expect("cats")
        .iter()
        .filter(|c| c["kind"] == "UpdateClassification")
    {
        let id = c["categoryId"].as_str().expect("id");
        assert_eq!(c["isNew"], !common.contains(&id), "{c}");
    }
    let audit = call(&fresh, "list_audit", json!({ "limit": 50, "offset": 0 }));
    assert!(
        audit
            .as_array()
            .expect("audit")
            .iter()
            .any(|a| a["action"] == "sync.settings.defaults"),
        "{audit}"
    );

    // Offered once: an administrator who clears them (every classification) keeps that.
    let mine = child_settings(&parent.base, &products[..1], &[]);
    call(&fresh, "set_sync_settings", mine);
    let second = sync(&fresh);
    assert_eq!(second["state"], "Succeeded", "{second}");
    assert_eq!(settings(&fresh)["classificationIds"], json!([]));
    assert!(!log_of(&fresh, &second).iter().any(|m| m.contains("Preselected")));

    // Classifications chosen before the first synchronization are kept.
    let only_security = Site::open(&dir.path().join("security")).expect("site");
    call(
        &only_security,
        "set_sync_settings",
        child_settings(&parent.base, &[], &[SECURITY.to_string()]),
    );
    let run = sync(&only_security);
    assert_eq!(run["state"], "Succeeded", "{run}");
    assert_eq!(settings(&only_security)["classificationIds"], json!([SECURITY]));
    assert!(log_of(&only_security, &run)
        .iter()
        .any(|m| m.contains("choice of products and classifications is kept")));

    // Products chosen with no classification (every classification) are kept as they are.
    let all_classes = Site::open(&dir.path().join("all")).expect("site");
    call(
        &all_classes,
        "set_sync_settings",
        child_settings(&parent.base, &products[..1], &[]),
    );
    assert_eq!(sync(&all_classes)["state"], "Succeeded");
    let kept = settings(&all_classes);
    assert_eq!(kept["classificationIds"], json!([]));
    assert_eq!(kept["productIds"], json!([products[0]]));
}

#[test]
fn monitoring_says_why_a_child_holds_fewer_updates_than_its_parent() {
    let parent = start_parent();
    let products = parent_products(&parent);
    assert!(products.len() > 2, "{products:?}");
    let coverage = |site: &Site| call(site, "get_sync_status", json!(null))["coverage"].clone();
    let revisions = |site: &Site| call(site, "site_info", json!(null))["revisionCount"].as_i64();

    let dir = tempfile::tempdir().expect("tempdir");
    let all = Site::open(&dir.path().join("all")).expect("site");
    call(&all, "set_sync_settings", child_settings(&parent.base, &products, &[]));
    assert_eq!(sync(&all)["state"], "Succeeded");
    let some = Site::open(&dir.path().join("some")).expect("site");
    call(
        &some,
        "set_sync_settings",
        child_settings(&parent.base, &products[..2], &[]),
    );
    let run = sync(&some);
    assert_eq!(run["state"], "Succeeded", "{run}");

    // Everything the parent lists reaches a child that chose every product, but for the
    // updates in no product the parent holds as a category.
    let (of_parent, of_all, of_some) = (
        api(&parent.server, "get_sync_status", json!(null))["coverage"].clone(),
        coverage(&all),
        coverage(&some),
    );
    let held = |c: &Value| c["held"].as_i64().expect("held");
    assert_eq!(
        held(&of_all) + of_parent["productNotHeld"].as_i64().expect("count"),
        held(&of_parent),
        "{of_parent} {of_all}"
    );
    assert_eq!(of_all["notChosen"], 0, "{of_all}");
    // A child that chose two products is told how much more the others hold.
    let left_out = revisions(&all).expect("all") - revisions(&some).expect("some");
    assert!(left_out > 0);
    assert_eq!(of_some["notChosen"], left_out, "{of_some}");
    assert!(held(&of_some) < held(&of_all));
    let summary = sync_log(&some, &run)
        .into_iter()
        .map(|(_, m)| m)
        .find(|m| m.starts_with("synchronization succeeded"))
        .expect("a summary");
    assert!(
        summary.ends_with(&format!(
            "; {left_out} more revisions at the upstream are in products or classifications not chosen"
        )),
        "{summary}"
    );
}
