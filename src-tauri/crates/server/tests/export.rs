//! Disconnected sites: `patchdeck export` at a connected site, `patchdeck import` at a
//! disconnected one; damaged files are refused and change nothing.

mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Value};
use site::Site;

fn everything(site: &Site) -> (Value, Vec<Value>) {
    let page = call(
        site,
        "list_updates",
        json!({ "limit": 1000, "includeExpired": true, "sort": { "column": "title", "descending": false } }),
    );
    let details = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| call(site, "get_update", json!({ "updateId": r["updateId"] })))
        .map(|mut d| {
            // When a revision arrived is the one thing that differs between two sites.
            d["arrivalUtc"] = Value::Null;
            d
        })
        .collect();
    (page, details)
}

fn revision_count(site_dir: &Path) -> Value {
    call(&Site::open(site_dir).expect("site"), "site_info", json!(null))["revisionCount"].clone()
}

#[test]
fn export_then_import_reproduces_the_catalog_and_damaged_files_change_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    let generated = dir.path().join("gen");
    assert!(patchdeck(&a)
        .arg("import-xml")
        .args(xml_files(&fixtures().join("wsusss/updates")))
        .status()
        .expect("run")
        .success());
    assert!(patchdeck(&a)
        .args(["gen-catalog", "--count", "300", "--seed", "11", "--out"])
        .arg(&generated)
        .status()
        .expect("gen")
        .success());
    assert!(patchdeck(&a)
        .arg("import-xml")
        .args(xml_files(&generated))
        .status()
        .expect("run")
        .success());

    let file = dir.path().join("catalog.tar.gz");
    assert!(patchdeck(&a)
        .arg("export")
        .arg("--out")
        .arg(&file)
        .status()
        .expect("export")
        .success());
    let out = patchdeck(&b).arg("import").arg(&file).output().expect("import");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (sa, sb) = (Site::open(&a).expect("a"), Site::open(&b).expect("b"));
    assert_eq!(
        everything(&sb),
        everything(&sa),
        "the imported catalog is the exported one"
    );
    assert_eq!(revision_count(&b), revision_count(&a));
    drop((sa, sb));

    // Importing again changes nothing.
    let again = patchdeck(&b).arg("import").arg(&file).output().expect("import");
    assert!(
        String::from_utf8_lossy(&again.stdout).starts_with("0 new updates, 0 new revisions"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );

    // A site with something already, and damaged copies of the file.
    assert!(patchdeck(&c)
        .arg("import-xml")
        .arg(fixtures().join("wsusss/updates/56309036-4c77-4dd9-951a-99ee9c246a94-r101.xml"))
        .status()
        .expect("run")
        .success());
    let before = revision_count(&c);
    let bytes = std::fs::read(&file).expect("read");
    let truncated = dir.path().join("truncated.tar.gz");
    std::fs::write(&truncated, &bytes[..bytes.len() * 6 / 10]).expect("write");
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let altered = dir.path().join("altered.tar.gz");
    std::fs::write(&altered, &flipped).expect("write");
    let not_export = fixtures().join("wsusss/updates/56309036-4c77-4dd9-951a-99ee9c246a94-r101.xml");
    for bad in [truncated.as_path(), altered.as_path(), not_export.as_path()] {
        let out = patchdeck(&c).arg("import").arg(bad).output().expect("import");
        assert_eq!(out.status.code(), Some(1), "{} refused", bad.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("cannot be imported") && err.contains("Nothing was changed"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(revision_count(&c), before, "{} changed nothing", bad.display());
    }
}
