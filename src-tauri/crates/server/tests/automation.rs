//! Automatic deployment rules over two Patch Tuesdays, with the real binary: a parent
//! `patchdeck serve` receives a month of updates (real files in its content library), a
//! child site synchronizes from it, and its rules, evaluated after every synchronization,
//! group, download (from the parent's /Content/) and deploy them to two collections. The
//! next month new updates and new revisions arrive; the child synchronizes again. One rule
//! makes a new group each month, the other adds to its one group, dropping an update that
//! expired meanwhile.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use serde_json::{json, Value};
use site::Site;

/// "YYYY-MM-DDT10:00:00Z" `days` before today (UTC): creation dates relative to the real
/// clock, which the rules' "released within 1 month" is evaluated against.
fn days_ago(days: i64) -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs() as i64;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = secs / 86_400 - days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T10:00:00Z")
}

/// Rewrites every CreationDate of the documents in `docs`.
fn set_creation_dates(docs: &Path, date: &str) {
    for path in xml_files(docs) {
        let xml = std::fs::read_to_string(&path).expect("doc");
        let mut out = String::new();
        let mut rest = xml.as_str();
        while let Some(s) = rest.find("CreationDate=\"") {
            let s = s + "CreationDate=\"".len();
            let e = s + rest[s..].find('"').expect("quote");
            out.push_str(&rest[..s]);
            out.push_str(date);
            rest = &rest[e..];
        }
        out.push_str(rest);
        std::fs::write(&path, out).expect("write doc");
    }
}

fn documents(docs: &Path) -> Vec<String> {
    xml_files(docs)
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("doc"))
        .collect()
}

/// A new revision of an update document: revision 300, optionally expired, with a new title.
fn revision(xml: &str, id: &str, expired: bool) -> String {
    let ident = format!("<upd:UpdateIdentity UpdateID=\"{id}\" RevisionNumber=\"");
    let s = xml.find(&ident).expect("identity") + ident.len();
    let e = s + xml[s..].find('"').expect("quote");
    let mut out = format!("{}300{}", &xml[..s], &xml[e..]);
    if expired {
        out = out.replacen("PublicationState=\"Published\"", "PublicationState=\"Expired\"", 1);
    }
    out.replacen("<upd:Title>", "<upd:Title>(revised) ", 1)
}

/// The parent imports documents over its API and stores their files from a local folder,
/// as an upstream that already downloaded its content.
fn publish(parent: &Served, docs: &Path, files: &Path) {
    let report = api(parent, "import_xml", json!({ "documents": documents(docs) }));
    assert!(report["newUpdates"].as_i64() > Some(0), "{report}");
    let ids: Vec<String> = api(
        parent,
        "list_updates",
        json!({ "limit": 1000, "sort": { "column": "title", "descending": false } }),
    )["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["updateId"].as_str().expect("id").to_string())
        .collect();
    let job = api(
        parent,
        "start_download",
        json!({ "newPackageName": format!("Upstream {}", docs.display()), "updateIds": ids,
                "source": { "kind": "LocalFolder", "path": files } }),
    );
    let id = job["id"].as_i64().expect("job");
    let done = wait_job(|| api(parent, "get_download_job", json!({ "id": id })));
    assert_eq!(done["state"], "Succeeded", "{done}");
}

fn settings(kind: &str) -> Value {
    json!({
        "deploymentType": kind, "wakeOnLan": false, "verbosity": "AllMessages", "timeBasis": "Utc",
        "availableUtc": "", "deadlineUtc": null, "userNotifications": "DisplayAll",
        "installOutsideMaintenanceWindow": false, "restartOutsideMaintenanceWindow": false,
        "suppressRestartServers": true, "suppressRestartWorkstations": false,
        "alertDaysAfterDeadline": 3, "alertBelowPercent": 90, "slowNetwork": "DoNotInstall",
        "fallbackToMicrosoftUpdate": false, "allowMeteredDownload": false
    })
}

/// "Updates released within the last month", after every sync, to Pilot (required a week
/// after it is available, two days after the run) and Production (available).
fn rule(name: &str, mode: &str, pilot: i64, production: i64) -> Value {
    json!({
        "name": name,
        "groupMode": mode,
        "criteria": { "releasedWithin": { "value": 1, "unit": "Months" } },
        "evaluation": { "kind": "AfterSync", "timeUtc": "00:00" },
        "deployments": [
            { "targetGroupId": pilot, "availableAfter": { "value": 2, "unit": "Days" },
              "deadlineAfter": { "value": 1, "unit": "Weeks" }, "settings": settings("Required") },
            { "targetGroupId": production, "settings": settings("Available") }
        ],
        "package": { "kind": "New", "name": format!("{name} content") },
        "downloadSource": { "kind": "Upstream" }
    })
}

struct Child {
    dir: tempfile::TempDir,
    site: Site,
}

impl Child {
    fn call(&self, name: &str, args: Value) -> Value {
        call(&self.site, name, args)
    }

    fn runs(&self, rule: i64) -> Vec<Value> {
        self.call("list_adr_runs", json!({ "ruleId": rule }))
            .as_array()
            .expect("runs")
            .clone()
    }

    fn log(&self, run: &Value) -> String {
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
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn members(&self, group: i64) -> Vec<(String, i64)> {
        self.call("get_update_group", json!({ "id": group }))["members"]
            .as_array()
            .expect("members")
            .iter()
            .map(|m| {
                (
                    m["updateId"].as_str().expect("id").to_string(),
                    m["revision"].as_i64().expect("rev"),
                )
            })
            .collect()
    }

    /// Collections (target group ids) the group is deployed to, with each deployment's id.
    fn deployments(&self, group: i64) -> Vec<(i64, i64, String)> {
        let mut v: Vec<(i64, i64, String)> = self
            .call("list_deployments", json!({}))
            .as_array()
            .expect("deployments")
            .iter()
            .filter(|d| d["updateGroupId"] == group)
            .map(|d| {
                (
                    d["targetGroupId"].as_i64().expect("target"),
                    d["id"].as_i64().expect("id"),
                    d["settings"]["deploymentType"].as_str().expect("type").to_string(),
                )
            })
            .collect();
        v.sort();
        v
    }

    /// Listed updates (neither expired nor declined): what "released within a month"
    /// selects when every update is that recent.
    fn listed(&self) -> HashSet<String> {
        let page = self.call(
            "list_updates",
            json!({ "limit": 1000, "sort": { "column": "title", "descending": false } }),
        );
        page["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["updateId"].as_str().expect("id").to_string())
            .collect()
    }

    /// The package's files are in the library, each the very bytes the parent published.
    fn check_package(&self, name: &str, real: &[UpdateFile]) -> usize {
        let packages = self.call("list_packages", json!({}));
        let p = packages
            .as_array()
            .expect("packages")
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("package {name} in {packages}"));
        assert_eq!(
            p["downloadedCount"], p["fileCount"],
            "every file of {name} is held: {p}"
        );
        let raw = rusqlite::Connection::open(self.dir.path().join(site::DATABASE_FILE)).expect("raw");
        let sha1s: Vec<String> = raw
            .prepare("SELECT sha1 FROM package_content WHERE package_id = ?1")
            .expect("prepare")
            .query_map([p["id"].as_i64().expect("id")], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        for sha1 in &sha1s {
            let f = real
                .iter()
                .find(|f| &f.sha1 == sha1)
                .unwrap_or_else(|| panic!("{sha1} is a published file"));
            let path = self.dir.path().join("content").join(f.rel());
            assert_eq!(std::fs::read(&path).expect("in the library"), f.bytes, "{}", f.name);
            let (digest, _) = site::content::digests_of(&path).expect("digest");
            assert_eq!(&digest, sha1);
        }
        sha1s.len()
    }
}

/// Files published for these updates' own documents.
fn own_files<'a>(real: &'a [UpdateFile], ids: &HashSet<String>) -> Vec<&'a UpdateFile> {
    real.iter()
        .filter(|f| ids.iter().any(|id| f.update_doc.starts_with(id.as_str())))
        .collect()
}

#[test]
fn rules_deploy_two_patch_tuesdays_to_every_collection() {
    let tmp = tempfile::tempdir().expect("tmp");
    // Month 1: four updates released five days ago, files on the parent.
    let (docs1, files1, real1) = updates_with_files(&tmp.path().join("m1"), 4, 31, |n| 6_000 + n * 1_013);
    set_creation_dates(&docs1, &days_ago(5));
    let parent_site = tmp.path().join("parent");
    let parent = serve(&parent_site, TOKEN);
    publish(&parent, &docs1, &files1);

    let dir = tempfile::tempdir().expect("child");
    let child = Child {
        site: Site::open(dir.path()).expect("child"),
        dir,
    };
    let mut subscribed = products(&parent);
    child.call("set_sync_settings", child_settings(&parent.base, &subscribed, &[]));
    let group = |name: &str| {
        child.call("create_target_group", json!({ "name": name, "parentId": null }))["id"]
            .as_i64()
            .expect("id")
    };
    let (pilot, production) = (group("Pilot"), group("Production"));
    // The monthly rule also copies its package to a branch office's distribution point.
    let dp_folder = tmp.path().join("branch-office");
    let dp = child.call(
        "add_distribution_point",
        json!({ "name": "Branch office", "kind": "Folder", "location": dp_folder }),
    )["id"]
        .clone();
    let mut monthly_spec = rule("Monthly", "NewGroupEachRun", pilot, production);
    monthly_spec["distributionPointIds"] = json!([dp]);
    let monthly = child.call("create_adr", monthly_spec)["id"].as_i64().expect("id");
    let rolling = child.call("create_adr", rule("Rolling", "AddToExistingGroup", pilot, production))["id"]
        .as_i64()
        .expect("id");

    // Patch Tuesday 1: the sync brings the updates; both rules run after it.
    let run = sync(&child.site);
    assert_eq!(run["state"], "Succeeded", "{run}");
    let month1 = child.listed();
    assert!(month1.len() >= 3, "{month1:?}");
    let m1 = &child.runs(monthly)[0];
    assert_eq!(m1["state"], "Succeeded", "{m1}\n{}", child.log(m1));
    assert_eq!(m1["trigger"], "AfterSync");
    assert_eq!(m1["selected"].as_u64(), Some(month1.len() as u64));
    let g1 = m1["updateGroupId"].as_i64().expect("group");
    let ids = |m: &[(String, i64)]| m.iter().map(|(id, _)| id.clone()).collect::<HashSet<_>>();
    assert_eq!(ids(&child.members(g1)), month1);
    let d1 = child.deployments(g1);
    assert_eq!(
        d1.iter().map(|(t, _, k)| (*t, k.as_str())).collect::<Vec<_>>(),
        vec![(pilot, "Required"), (production, "Available")]
    );
    // Content: downloaded from the parent, whole and verified.
    let held1 = child.check_package("Monthly content", &real1);
    assert!(held1 >= own_files(&real1, &month1).len() && held1 > 0);
    assert_eq!(m1["downloaded"].as_u64(), Some(held1 as u64), "{}", child.log(m1));
    let copied = |real: &[UpdateFile]| {
        real.iter()
            .filter(|f| dp_folder.join("Content").join(f.rel()).is_file())
            .inspect(|f| {
                let copy = std::fs::read(dp_folder.join("Content").join(f.rel())).expect("copy");
                assert_eq!(copy, f.bytes, "{} copied whole", f.name);
            })
            .count()
    };
    assert_eq!(copied(&real1), held1, "the package reached the distribution point");
    let text = child.log(m1);
    for want in [
        &format!("{} updates matched the criteria", month1.len()),
        "Created the software update group 'Monthly ",
        "Created the deployment package 'Monthly content'",
        &format!("Downloading {held1} files from the upstream server into the package 'Monthly content'"),
        &format!("Downloaded {held1} files"),
        "to 'All Computers / Pilot': Required",
        "to 'All Computers / Production': Available",
        "Distribution point 'Branch office': installed",
        "Run finished",
    ] {
        assert!(text.contains(want), "'{want}' in:\n{text}");
    }
    assert!(!text.contains("Error:"), "{text}");

    let r1 = &child.runs(rolling)[0];
    assert_eq!(r1["state"], "Succeeded", "{}", child.log(r1));
    let rolling_group = r1["updateGroupId"].as_i64().expect("group");
    assert_eq!(ids(&child.members(rolling_group)), month1);
    assert_eq!(
        r1["downloaded"].as_i64(),
        Some(0),
        "the files were in the library already"
    );
    assert_eq!(child.check_package("Rolling content", &real1), held1);
    let rolling_deployments = child.deployments(rolling_group);
    assert_eq!(rolling_deployments.len(), 2);

    // Patch Tuesday 2: three new updates released yesterday, a new revision of one update
    // and an expired revision of another.
    let (docs2, files2, real2) = updates_with_files(&tmp.path().join("m2"), 3, 32, |n| 7_000 + n * 977);
    set_creation_dates(&docs2, &days_ago(1));
    let mut old: Vec<String> = month1
        .iter()
        .filter(|id| docs1.join(format!("{id}-r200.xml")).is_file())
        .cloned()
        .collect();
    old.sort();
    assert!(old.len() >= 2, "{old:?}");
    let (revised, expired) = (old[0].clone(), old[1].clone());
    for (id, is_expired) in [(&revised, false), (&expired, true)] {
        let xml = std::fs::read_to_string(docs1.join(format!("{id}-r200.xml"))).expect("doc");
        std::fs::write(docs2.join(format!("{id}-r300.xml")), revision(&xml, id, is_expired)).expect("write");
    }
    publish(&parent, &docs2, &files2);
    // The generated updates of month 2 belong to other products: subscribe to them too.
    subscribed.extend(products(&parent));
    subscribed.sort();
    subscribed.dedup();
    child.call("set_sync_settings", child_settings(&parent.base, &subscribed, &[]));
    let run = sync(&child.site);
    assert_eq!(run["state"], "Succeeded", "{run}");
    let month2 = child.listed();
    assert!(!month2.contains(&expired), "the expired revision is not deployable");
    let new: HashSet<String> = month2.difference(&month1).cloned().collect();
    assert!(new.len() >= 3, "{new:?}");

    // New group each run: a second group, deployed to both collections; the first stays.
    let runs = child.runs(monthly);
    assert_eq!(runs.len(), 2);
    let m2 = &runs[0];
    assert_eq!(m2["state"], "Succeeded", "{}", child.log(m2));
    let g2 = m2["updateGroupId"].as_i64().expect("group");
    assert_ne!(g2, g1);
    let members2 = child.members(g2);
    assert_eq!(ids(&members2), month2, "every update released within the month");
    assert!(
        members2.contains(&(revised.clone(), 300)),
        "the new revision: {members2:?}"
    );
    assert_eq!(child.deployments(g2).len(), 2);
    assert_eq!(child.deployments(g1), d1, "last month's deployments stay");
    let all = child.check_package("Monthly content", &[real1.clone(), real2.clone()].concat());
    assert_eq!(
        m2["downloaded"].as_u64(),
        Some((all - held1) as u64),
        "only the new files"
    );
    assert!(all - held1 >= own_files(&real2, &new).len());
    assert_eq!(
        copied(&[real1.clone(), real2.clone()].concat()),
        all,
        "distributed again"
    );
    let text = child.log(m2);
    assert!(text.contains(&format!("Downloaded {} files", all - held1)), "{text}");
    assert!(
        !text.contains("Created the deployment package"),
        "the package is reused:\n{text}"
    );

    // Add to existing group: the same group grew by the new updates and lost the expired
    // one; its two deployments cover them.
    let r2 = &child.runs(rolling)[0];
    assert_eq!(r2["state"], "Succeeded", "{}", child.log(r2));
    assert_eq!(r2["updateGroupId"].as_i64(), Some(rolling_group));
    assert_eq!(r2["added"].as_u64(), Some(new.len() as u64));
    assert_eq!(ids(&child.members(rolling_group)), month2);
    assert_eq!(
        child.deployments(rolling_group),
        rolling_deployments,
        "no new deployment"
    );
    let text = child.log(r2);
    for want in [
        "Removed from 'Rolling' 1 update now expired or declined",
        &format!("Added {} updates to 'Rolling'", new.len()),
        "already deploys 'Rolling'; it now covers the updates added to it",
    ] {
        assert!(text.contains(want), "'{want}' in:\n{text}");
    }
    let rule = child.call("get_adr", json!({ "id": rolling }));
    assert_eq!(rule["deploymentIds"].as_array().map(Vec::len), Some(2));
    let rule = child.call("get_adr", json!({ "id": monthly }));
    assert_eq!(rule["deploymentIds"].as_array().map(Vec::len), Some(4));
}

#[test]
fn run_now_over_http_answers_at_once_and_the_run_finishes_in_the_background() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (docs, _files, _real) = updates_with_files(&tmp.path().join("m1"), 3, 41, |n| 3_000 + n * 101);
    set_creation_dates(&docs, &days_ago(2));
    let site_dir = tmp.path().join("site");
    assert!(patchdeck(&site_dir)
        .arg("import-xml")
        .args(xml_files(&docs))
        .status()
        .expect("import")
        .success());
    let served = serve(&site_dir, TOKEN);
    let pilot = api(
        &served,
        "create_target_group",
        json!({ "name": "Pilot", "parentId": null }),
    )["id"]
        .clone();
    let mut spec = rule(
        "Manual",
        "NewGroupEachRun",
        pilot.as_i64().expect("id"),
        pilot.as_i64().expect("id"),
    );
    spec["evaluation"] = json!({ "kind": "Manual", "timeUtc": "00:00" });
    spec["package"] = json!({ "kind": "NoPackage" });
    let id = api(&served, "create_adr", spec)["id"].clone();
    let started = api(&served, "run_adr", json!({ "id": id }));
    assert_eq!(started["trigger"], "Manual");
    let start = Instant::now();
    let done = loop {
        let runs = api(&served, "list_adr_runs", json!({ "ruleId": id }));
        if runs[0]["state"] != "Running" {
            break runs[0].clone();
        }
        assert!(start.elapsed() < Duration::from_secs(60), "still running: {runs}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(done["runId"], started["runId"]);
    assert_eq!(done["state"], "Succeeded", "{done}");
    assert_eq!(done["deployments"].as_i64(), Some(2));
    let log = api(&served, "get_adr_run_log", json!({ "id": done["runId"] }));
    assert!(log.to_string().contains("no deployment package"), "{log}");
    let audit = api(&served, "list_audit", json!({ "limit": 20 }));
    assert!(
        audit
            .as_array()
            .expect("audit")
            .iter()
            .any(|r| r["action"] == "adr.run"),
        "Run now is audited: {audit}"
    );
}
