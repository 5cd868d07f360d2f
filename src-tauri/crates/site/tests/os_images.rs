//! OS images and OS upgrade packages through the command API (issue 17, points 1 and 2),
//! with real WIM files built in the test by wimlib-imagex: what the console shows equals what
//! `wimlib-imagex info` prints, the updates present equal the manifests put in the tree and
//! are matched to catalog updates by KB, and bad input is refused with nothing recorded.

mod common;

use std::path::Path;

use common::Fixture;
use serde_json::{json, Value};
use site::ErrorCode;
use wim::testing::{
    build_wim, fixture_manifest, printed, sample_manifests, two_image_wim, wimlib_info, ImageSpec, Manifest,
};

/// A KB number the generated catalog holds, with its update's id.
fn catalog_kb(f: &Fixture) -> (String, String) {
    f.raw
        .query_row(
            "SELECT kb_article_id, update_id FROM updates WHERE kb_article_id != '' ORDER BY upd_pk LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the generated catalog holds a KB")
}

fn manifests(kb: &str) -> Vec<Manifest> {
    sample_manifests("Package_for_ServicingStack_8035", "26100.8035.1.1", &format!("KB{kb}"))
}

fn wim(dir: &Path, kb: &str) -> std::path::PathBuf {
    two_image_wim(dir, manifests(kb), manifests(kb)[..1].to_vec())
}

fn recorded(f: &Fixture) -> (i64, i64, i64, usize) {
    (
        f.count("SELECT COUNT(*) FROM os_images"),
        f.count("SELECT COUNT(*) FROM os_image_indexes"),
        f.count("SELECT COUNT(*) FROM os_image_packages"),
        f.audit().len(),
    )
}

#[test]
fn an_added_image_shows_what_wimlib_prints_and_the_updates_put_in_it() {
    let f = Fixture::new("olga", 30);
    let (kb, update_id) = catalog_kb(&f);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = wim(dir.path(), &kb);

    let seen = f.call("inspect_os_image", json!({ "kind": "Image", "path": path }));
    assert_eq!(seen["indexes"].as_array().expect("indexes").len(), 2);
    assert_eq!(recorded(&f).0, 0, "inspecting records nothing");

    let added = f.call(
        "add_os_image",
        json!({ "path": path, "version": "23H2", "description": "gold image" }),
    );
    let id = added["image"]["id"].as_i64().expect("id");
    let details = f.call("get_os_image", json!({ "id": id }));
    let image = &details["image"];
    assert_eq!(
        image["name"], "Windows 11 Pro",
        "the name defaults to the first index's"
    );
    assert_eq!(
        (image["version"].as_str(), image["description"].as_str()),
        (Some("23H2"), Some("gold image"))
    );
    assert_eq!(image["fileBytes"], json!(std::fs::metadata(&path).expect("meta").len()));
    assert_eq!(image["indexCount"], 2);
    assert_eq!(image["architectures"], json!(["ARM64", "x64"]));
    assert_eq!(image["languages"], json!(["en-US", "fr-FR"]));
    assert_eq!(image["osVersion"], "10.0.22631.2861");
    // Every value shown equals what wimlib-imagex info prints.
    for index in details["indexes"].as_array().expect("indexes") {
        let n = index["index"].as_u64().expect("index") as u32;
        let p = wimlib_info(&path, n);
        assert_eq!(index["name"].as_str(), Some(printed(&p, "Name").as_str()));
        assert_eq!(index["description"].as_str(), Some(printed(&p, "Description").as_str()));
        assert_eq!(index["edition"].as_str(), Some(printed(&p, "Edition ID").as_str()));
        assert_eq!(index["totalBytes"].to_string(), printed(&p, "Total Bytes"));
        assert_eq!(
            index["version"].as_str().map(String::from),
            Some(format!(
                "{}.{}.{}.{}",
                printed(&p, "Major Version"),
                printed(&p, "Minor Version"),
                printed(&p, "Build"),
                printed(&p, "Service Pack Build")
            ))
        );
        let langs: Vec<String> = printed(&p, "Languages").split_whitespace().map(String::from).collect();
        assert_eq!(index["languages"], json!(langs));
        assert_eq!(
            index["defaultLanguage"].as_str(),
            Some(printed(&p, "Default Language").as_str())
        );
        let arch = match printed(&p, "Architecture").as_str() {
            "x86_64" => "x64".to_string(),
            other => other.to_string(),
        };
        assert_eq!(index["architecture"].as_str(), Some(arch.as_str()));
    }
    // The updates present equal the manifests put in each index's tree.
    let packages = details["packages"].as_array().expect("packages");
    for (n, put) in [(1, manifests(&kb)), (2, manifests(&kb)[..1].to_vec())] {
        let mut want: Vec<String> = put
            .iter()
            .map(|m| m.file_name.trim_end_matches(".mum").to_string())
            .collect();
        want.sort();
        let mut got: Vec<String> = packages
            .iter()
            .filter(|p| p["index"] == n)
            .map(|p| p["identity"].as_str().expect("identity").to_string())
            .collect();
        got.sort();
        assert_eq!(got, want, "index {n}");
    }
    let of_kb = |k: &str| {
        packages
            .iter()
            .find(|p| p["index"] == 1 && p["kb"] == k)
            .unwrap_or_else(|| panic!("no package of {k}"))
    };
    assert_eq!(of_kb("KB5026368")["name"], "Package_for_RollupFix");
    assert_eq!(of_kb("KB5026368")["releaseType"], "Security Update");
    assert_eq!(of_kb("KB5026368")["source"], "Import");
    assert_eq!(of_kb("KB5026368")["catalog"], json!([]), "not in the generated catalog");
    let matched = &of_kb(&format!("KB{kb}"))["catalog"];
    assert!(
        matched
            .as_array()
            .expect("matches")
            .iter()
            .any(|m| m["updateId"] == update_id.as_str()),
        "KB{kb} matched to {update_id}: {matched}"
    );
    assert_eq!(
        image["updateCount"], 3,
        "three KBs; the foundation package is no update"
    );

    let listed = f.call("list_os_images", json!({}));
    assert_eq!(listed.as_array().expect("list").len(), 1);
    assert_eq!(f.call("list_os_upgrade_packages", json!({})), json!([]));
    let audit = f.audit();
    assert!(
        audit
            .iter()
            .any(|a| a["action"] == "os_image.add" && a["actor"] == "olga"),
        "{audit:?}"
    );

    // The same name again is refused; another name is another image.
    let again = f.fail("add_os_image", json!({ "path": path }));
    assert_eq!(again.code, ErrorCode::Conflict, "{}", again.message);
    f.call("add_os_image", json!({ "path": path, "name": "Copy" }));
    assert_eq!(f.call("list_os_images", json!({})).as_array().expect("list").len(), 2);

    f.call("delete_os_image", json!({ "id": id }));
    let gone = f.fail("get_os_image", json!({ "id": id }));
    assert_eq!(gone.code, ErrorCode::NotFound);
    assert!(path.exists(), "the file is the administrator's and stays");
    assert_eq!(
        f.count(&format!("SELECT COUNT(*) FROM os_image_packages WHERE image_id = {id}")),
        0
    );
    assert!(f.audit().iter().any(|a| a["action"] == "os_image.delete"));
}

#[test]
fn bad_images_are_refused_with_the_reason_and_nothing_recorded() {
    let f = Fixture::new("olga", 0);
    let dir = tempfile::tempdir().expect("tempdir");
    let good = wim(dir.path(), "5000001");
    let bytes = std::fs::read(&good).expect("read");
    let notes = dir.path().join("notes.wim");
    std::fs::write(&notes, "not an image").expect("write");
    let truncated = dir.path().join("truncated.wim");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let flipped = dir.path().join("flipped.wim");
    let mut f_bytes = bytes.clone();
    f_bytes[12] ^= 0xff;
    std::fs::write(&flipped, &f_bytes).expect("write");
    let before = recorded(&f);
    let cases: [(Value, &str); 6] = [
        (json!("images/install.wim"), "not an absolute path"),
        (json!(notes), "is not a Windows image"),
        (json!(truncated), "damaged Windows image"),
        (json!(flipped), "damaged Windows image"),
        (json!(dir.path().join("absent.wim")), "does not exist"),
        (json!(""), "full path"),
    ];
    for (path, says) in cases {
        for command in ["inspect_os_image", "add_os_image"] {
            let e = f.fail(command, json!({ "kind": "Image", "path": path, "name": "x" }));
            assert_eq!(e.code, ErrorCode::Validation, "{command} {path}: {}", e.message);
            assert!(e.message.contains(says), "{command} {path}: {}", e.message);
            if let Some(p) = path.as_str().filter(|p| !p.is_empty()) {
                assert!(e.message.contains(p), "the message names the file: {}", e.message);
            }
        }
    }
    assert_eq!(recorded(&f), before, "nothing recorded");
}

#[test]
fn upgrade_packages_need_setup_and_an_install_image() {
    let f = Fixture::new("olga", 0);
    let dir = tempfile::tempdir().expect("tempdir");
    let media = dir.path().join("media");
    std::fs::create_dir_all(media.join("sources")).expect("mkdir");
    let add = |name: &str| json!({ "folder": media, "name": name, "version": "23H2", "comment": "from the ISO" });
    let before = recorded(&f);
    let e = f.fail("add_os_upgrade_package", add("Windows 11 23H2"));
    assert!(
        e.message.contains("setup.exe") && e.message.contains("media"),
        "{}",
        e.message
    );
    std::fs::write(media.join("setup.exe"), b"MZ").expect("setup");
    let e = f.fail("add_os_upgrade_package", add("Windows 11 23H2"));
    assert!(e.message.contains("sources/install.wim"), "{}", e.message);
    std::fs::write(media.join("sources/install.wim"), b"not a wim").expect("write");
    let e = f.fail("add_os_upgrade_package", add("Windows 11 23H2"));
    assert!(
        e.message.contains("install.wim") && e.message.contains("not a Windows image"),
        "{}",
        e.message
    );
    let e = f.fail("add_os_upgrade_package", add(" "));
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(recorded(&f), before, "nothing recorded");

    std::fs::remove_file(media.join("sources/install.wim")).expect("rm");
    build_wim(
        &media.join("sources"),
        "install.wim",
        &[ImageSpec::windows(
            "Windows 11 Education",
            "Education",
            vec![fixture_manifest("cbs-dotnet-core-reduced.xml")],
        )],
    );
    let added = f.call("add_os_upgrade_package", add("Windows 11 23H2"));
    let id = added["image"]["id"].as_i64().expect("id");
    assert_eq!(added["image"]["kind"], "UpgradePackage");
    assert_eq!(added["image"]["sourcePath"], json!(media));
    assert_eq!(added["image"]["wimPath"], json!(media.join("sources/install.wim")));
    assert_eq!(added["indexes"][0]["edition"], "Education");
    assert_eq!(added["packages"][0]["kb"], "KB5017029");
    assert_eq!(f.call("list_os_images", json!({})), json!([]));
    assert_eq!(
        f.call("list_os_upgrade_packages", json!({}))
            .as_array()
            .expect("list")
            .len(),
        1
    );
    // An upgrade package is not deleted as an image.
    assert_eq!(f.fail("delete_os_image", json!({ "id": id })).code, ErrorCode::NotFound);
    f.call("delete_os_upgrade_package", json!({ "id": id }));
    assert_eq!(f.call("list_os_upgrade_packages", json!({})), json!([]));
    let actions: Vec<Value> = f.audit().iter().map(|a| a["action"].clone()).collect();
    assert!(
        actions.contains(&json!("os_upgrade_package.add")) && actions.contains(&json!("os_upgrade_package.delete"))
    );
}

#[test]
fn properties_rename_and_describe_an_image_with_the_site_checking_and_auditing_each_change() {
    let f = Fixture::new("olga", 30);
    let (kb, _) = catalog_kb(&f);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = wim(dir.path(), &kb);
    let gold = f.call("add_os_image", json!({ "path": path, "name": "Gold" }))["image"]["id"]
        .as_i64()
        .expect("id");
    let other = f.call("add_os_image", json!({ "path": path, "name": "Other" }))["image"]["id"]
        .as_i64()
        .expect("id");
    let digest_before = std::fs::read(&path).expect("read");

    let edited = f.call(
        "edit_os_image",
        json!({ "id": gold, "name": "  Gold 24H2 ", "version": "24H2", "comment": "monthly" }),
    );
    assert_eq!(edited["image"]["name"], "Gold 24H2", "the name is kept trimmed");
    assert_eq!(edited["image"]["version"], "24H2");
    assert_eq!(edited["image"]["description"], "monthly");
    assert_eq!(
        edited["indexes"].as_array().map(Vec::len),
        Some(2),
        "what the image holds stays"
    );
    let listed = f.call("list_os_images", json!({}));
    assert!(listed
        .as_array()
        .expect("list")
        .iter()
        .any(|i| i["id"] == gold && i["name"] == "Gold 24H2" && i["description"] == "monthly"));
    let entry = f
        .audit()
        .into_iter()
        .find(|a| a["action"] == "os_image.edit")
        .expect("the edit is audited");
    assert_eq!(entry["actor"], "olga");
    assert_eq!(entry["target"], "Gold 24H2");
    let detail = entry["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("name: 'Gold' -> 'Gold 24H2'") && detail.contains("comment: '' -> 'monthly'"),
        "{detail}"
    );

    // Refusals name the problem and change nothing.
    let unchanged = f.call("get_os_image", json!({ "id": gold }));
    let e = f.fail("edit_os_image", json!({ "id": gold, "name": "Other" }));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("'Other'"), "{}", e.message);
    let e = f.fail("edit_os_image", json!({ "id": gold, "name": "   " }));
    assert_eq!(e.code, ErrorCode::Validation);
    let e = f.fail(
        "edit_os_image",
        json!({ "id": gold, "name": "Gold", "version": "v".repeat(101) }),
    );
    assert!(e.message.contains("version"), "{}", e.message);
    let e = f.fail(
        "edit_os_image",
        json!({ "id": gold, "name": "Gold", "comment": "c".repeat(1001) }),
    );
    assert!(e.message.contains("comment"), "{}", e.message);
    assert_eq!(
        f.fail("edit_os_image", json!({ "id": 9999, "name": "X" })).code,
        ErrorCode::NotFound
    );
    assert_eq!(f.call("get_os_image", json!({ "id": gold })), unchanged);
    assert_eq!(
        f.audit().iter().filter(|a| a["action"] == "os_image.edit").count(),
        1,
        "a refusal is not audited as an edit"
    );
    // The other image's name is free again once it is renamed.
    f.call("edit_os_image", json!({ "id": other, "name": "Spare" }));
    f.call("edit_os_image", json!({ "id": gold, "name": "Other" }));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        digest_before,
        "the file is never written"
    );
}
