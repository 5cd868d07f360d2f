//! An OS image sent to a remote distribution point (issue 17, OSP-2): site A uploads a real
//! WIM to site B (another `patchdeck serve`) through the content upload path, B verifies
//! its digests before storing it, serves the same bytes, and a second distribution sends
//! nothing because B already serves the file. Once the image changes (as a servicing run
//! changes it, here with wimlib), the next distribution leaves B holding the new version
//! only. An OS upgrade package goes as its whole setup folder, every file verified, with a
//! manifest saying which served file is which path of the folder.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use site::Site;

/// The image's row for one point once it is no longer InProgress.
fn settled(s: &Served, image: i64, dp: i64) -> Value {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let rows = api(s, "os_image_distribution_status", json!({ "imageId": image }));
        if let Some(row) = rows
            .as_array()
            .and_then(|r| r.iter().find(|r| r["dpId"] == dp))
            .filter(|r| r["state"] != "InProgress")
        {
            return row.clone();
        }
        assert!(Instant::now() < until, "the distribution did not end: {rows}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn served(s: &Served, rel: &str) -> Option<Vec<u8>> {
    match ureq::get(&format!("{}/Content/{rel}", s.base)).call() {
        Ok(r) => {
            let mut body = Vec::new();
            r.into_reader().read_to_end(&mut body).expect("body");
            Some(body)
        }
        Err(ureq::Error::Status(404, _)) => None,
        Err(e) => panic!("GET /Content/{rel}: {e}"),
    }
}

/// Every file in a site's content library, as `<XX>/<NAME>` paths.
fn library(site: &Path) -> BTreeSet<String> {
    let root = site.join("content");
    let mut out = BTreeSet::new();
    for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(dir.path()).into_iter().flatten().flatten() {
            out.insert(format!(
                "{}/{}",
                dir.file_name().to_string_lossy(),
                f.file_name().to_string_lossy()
            ));
        }
    }
    out
}

fn capture(tree: &Path, wim: &Path) {
    let made = std::process::Command::new("wimlib-imagex")
        .arg("capture")
        .arg(tree)
        .arg(wim)
        .arg("Windows Test")
        .output()
        .expect("wimlib-imagex");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
}

/// Changes the image as an applied update would: a new package manifest in the tree, added
/// with wimlib (the file's digest changes).
fn service(wim: &Path, dir: &Path) {
    let mum = dir.join("update.mum");
    std::fs::write(&mum, bytes(11, 40_000)).expect("mum");
    let done = std::process::Command::new("wimlib-imagex")
        .args(["update".as_ref(), wim.as_os_str(), "1".as_ref(), "--rebuild".as_ref()])
        .arg(format!(
            "--command=add {} /Windows/servicing/Packages/Package_for_KB5000002.mum",
            mum.display()
        ))
        .output()
        .expect("wimlib-imagex");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
}

fn remote_point(a: &Served, b: &Served, token: &str) -> i64 {
    api(
        a,
        "add_distribution_point",
        json!({ "name": "B", "kind": "Remote", "location": b.base, "token": token, "allowPlainHttp": true }),
    )["id"]
        .as_i64()
        .expect("dp id")
}

#[test]
fn an_os_image_is_uploaded_to_a_remote_point_that_verifies_it() {
    const TOKEN_B: &str = "remote-dp-token-osimage-0123456789";
    let tmp = tempfile::tempdir().expect("tmp");
    // A real WIM: wimlib-imagex captures a small tree (incompressible bytes, several chunks).
    let tree = tmp.path().join("tree");
    std::fs::create_dir_all(tree.join("Windows/System32")).expect("tree");
    std::fs::write(tree.join("Windows/System32/kernel.bin"), bytes(7, 3_000_000)).expect("file");
    let wim = tmp.path().join("install.wim");
    let made = std::process::Command::new("wimlib-imagex")
        .arg("capture")
        .arg(&tree)
        .arg(&wim)
        .arg("Windows Test")
        .output()
        .expect("wimlib-imagex");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let a_site = tmp.path().join("a");
    drop(Site::open(&a_site).expect("a"));
    let a = serve(&a_site, TOKEN);
    let b_site = tmp.path().join("b");
    drop(Site::open(&b_site).expect("b"));
    let b = serve(&b_site, TOKEN_B);

    let image = api(&a, "add_os_image", json!({ "path": wim }))["image"]["id"]
        .as_i64()
        .expect("image id");
    let dp = api(
        &a,
        "add_distribution_point",
        json!({ "name": "B", "kind": "Remote", "location": b.base, "token": TOKEN_B, "allowPlainHttp": true }),
    )["id"]
        .as_i64()
        .expect("dp id");
    api(
        &a,
        "distribute_os_image",
        json!({ "imageId": image, "distributionPointIds": [dp] }),
    );
    let row = settled(&a, image, dp);
    assert_eq!(row["state"], "Installed", "{row}");
    let rel = row["path"].as_str().expect("path").to_string();
    assert!(rel.ends_with(".wim"), "{rel}");
    let mut served = Vec::new();
    ureq::get(&format!("{}/Content/{rel}", b.base))
        .call()
        .expect("B serves the image")
        .into_reader()
        .read_to_end(&mut served)
        .expect("body");
    assert!(
        served == std::fs::read(&wim).expect("wim"),
        "B serves the image's bytes"
    );

    // B serves it already: nothing is sent the second time.
    api(&a, "distribute_os_image", json!({ "imageId": image }));
    let again = settled(&a, image, dp);
    assert_eq!(again["state"], "Installed", "{again}");
    assert!(
        again["detail"].as_str().unwrap_or_default().contains("not sent again"),
        "{again}"
    );
}

#[test]
fn a_changed_image_replaces_the_old_one_on_the_remote_point() {
    const TOKEN_B: &str = "remote-dp-token-osimage-replace-01234";
    let tmp = tempfile::tempdir().expect("tmp");
    let tree = tmp.path().join("tree");
    std::fs::create_dir_all(tree.join("Windows/System32")).expect("tree");
    std::fs::write(tree.join("Windows/System32/kernel.bin"), bytes(3, 1_000_000)).expect("file");
    let wim = tmp.path().join("install.wim");
    capture(&tree, &wim);
    let (a_site, b_site) = (tmp.path().join("a"), tmp.path().join("b"));
    drop(Site::open(&a_site).expect("a"));
    drop(Site::open(&b_site).expect("b"));
    let a = serve(&a_site, TOKEN);
    let b = serve(&b_site, TOKEN_B);
    let image = api(&a, "add_os_image", json!({ "path": wim }))["image"]["id"]
        .as_i64()
        .expect("image id");
    let dp = remote_point(&a, &b, TOKEN_B);

    api(&a, "distribute_os_image", json!({ "imageId": image }));
    let first = settled(&a, image, dp);
    assert_eq!(first["state"], "Installed", "{first}");
    let old = first["path"].as_str().expect("path").to_string();
    assert_eq!(library(&b_site), BTreeSet::from([old.clone()]));

    service(&wim, tmp.path());
    api(&a, "distribute_os_image", json!({ "imageId": image }));
    let second = settled(&a, image, dp);
    assert_eq!(second["state"], "Installed", "{second}");
    let new = second["path"].as_str().expect("path").to_string();
    assert_ne!(new, old, "the changed image has its own digest's name");
    assert!(
        served(&b, &new) == Some(std::fs::read(&wim).expect("wim")),
        "B serves the changed image's bytes"
    );
    assert_eq!(served(&b, &old), None, "B no longer serves the old image");
    assert_eq!(
        library(&b_site),
        BTreeSet::from([new.clone()]),
        "B holds exactly the current image"
    );
    let audit = api(&b, "list_audit", json!({ "limit": 100 }));
    assert!(
        audit
            .as_array()
            .expect("audit")
            .iter()
            .any(|e| e["action"] == "content.remove_received" && e["target"] == old.as_str()),
        "B audits the removal: {audit}"
    );

    // Only a library name can be asked for: nothing outside B's content library.
    let refused = ureq::post(&format!("{}/api/v1/commands/remove_received_content", b.base))
        .set("Authorization", &format!("Bearer {TOKEN_B}"))
        .send_json(json!({ "path": "../site.db" }));
    assert!(
        matches!(refused, Err(ureq::Error::Status(400, _))),
        "a path outside the library layout is refused: {refused:?}"
    );
}

#[test]
fn an_upgrade_package_goes_to_the_remote_point_as_its_whole_setup_folder() {
    const TOKEN_B: &str = "remote-dp-token-osupgrade-0123456789";
    let tmp = tempfile::tempdir().expect("tmp");
    let tree = tmp.path().join("tree");
    std::fs::create_dir_all(tree.join("Windows/System32")).expect("tree");
    std::fs::write(tree.join("Windows/System32/kernel.bin"), bytes(5, 1_500_000)).expect("file");
    // The setup folder as a Windows ISO lays it out (stand-ins for the binaries).
    let media = tmp.path().join("media");
    let files: &[(&str, Vec<u8>)] = &[
        ("setup.exe", [b"MZ".to_vec(), bytes(21, 80_000)].concat()),
        ("autorun.inf", b"[AutoRun.Amd64]\r\nopen=setup.exe\r\n".to_vec()),
        ("boot/boot.sdi", bytes(22, 30_000)),
        ("efi/microsoft/boot/bcd", bytes(23, 16_384)),
        (
            "sources/lang.ini",
            b"[Available UI Languages]\r\nen-us = 3\r\n".to_vec(),
        ),
    ];
    for (rel, body) in files {
        let p = media.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dirs");
        std::fs::write(&p, body).expect("write");
    }
    let install = media.join("sources/install.wim");
    capture(&tree, &install);
    let (a_site, b_site) = (tmp.path().join("a"), tmp.path().join("b"));
    drop(Site::open(&a_site).expect("a"));
    drop(Site::open(&b_site).expect("b"));
    let a = serve(&a_site, TOKEN);
    let b = serve(&b_site, TOKEN_B);
    let package = api(
        &a,
        "add_os_upgrade_package",
        json!({ "folder": media, "name": "Windows 11 24H2" }),
    )["image"]["id"]
        .as_i64()
        .expect("package id");
    let dp = remote_point(&a, &b, TOKEN_B);

    api(&a, "distribute_os_image", json!({ "imageId": package }));
    let row = settled(&a, package, dp);
    assert_eq!(row["state"], "Installed", "{row}");
    let manifest_rel = row["path"].as_str().expect("path").to_string();
    assert!(manifest_rel.ends_with(".json"), "{manifest_rel}");
    let manifest: Value =
        serde_json::from_slice(&served(&b, &manifest_rel).expect("B serves the manifest")).expect("manifest JSON");
    let listed = manifest["files"].as_array().expect("files");
    let mut paths: Vec<&str> = listed.iter().map(|f| f["path"].as_str().expect("path")).collect();
    paths.sort_unstable();
    let mut want: Vec<&str> = files.iter().map(|(r, _)| *r).chain(["sources/install.wim"]).collect();
    want.sort_unstable();
    assert_eq!(paths, want, "every file of the folder, and nothing else");
    for f in listed {
        let source = std::fs::read(media.join(f["path"].as_str().expect("path"))).expect("source");
        let got = served(&b, f["content"].as_str().expect("content")).expect("B serves the file");
        assert!(got == source, "{} arrives as its bytes", f["path"]);
    }
    let first_library = library(&b_site);
    assert_eq!(first_library.len(), want.len() + 1, "the files and the manifest");

    api(&a, "distribute_os_image", json!({ "imageId": package }));
    let again = settled(&a, package, dp);
    assert!(
        again["detail"].as_str().unwrap_or_default().contains("not sent again"),
        "{again}"
    );

    // Serviced: B ends up holding the folder with the new install image, and nothing else.
    service(&install, tmp.path());
    api(&a, "distribute_os_image", json!({ "imageId": package }));
    let after = settled(&a, package, dp);
    assert_eq!(after["state"], "Installed", "{after}");
    let new_manifest = after["path"].as_str().expect("path").to_string();
    assert_ne!(new_manifest, manifest_rel);
    let manifest: Value = serde_json::from_slice(&served(&b, &new_manifest).expect("manifest")).expect("JSON");
    let mut expected: BTreeSet<String> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["content"].as_str().expect("content").to_string())
        .collect();
    expected.insert(new_manifest.clone());
    assert_eq!(library(&b_site), expected, "B holds exactly the current folder");
    let wim_rel = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == "sources/install.wim")
        .and_then(|f| f["content"].as_str())
        .expect("install.wim")
        .to_string();
    assert!(served(&b, &wim_rel) == Some(std::fs::read(&install).expect("wim")));
}
