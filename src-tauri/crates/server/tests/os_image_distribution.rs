//! An OS image sent to a remote distribution point (issue 17, OSP-2): site A uploads a real
//! WIM to site B (another `patchdeck serve`) through the content upload path, B verifies
//! its digests before storing it, serves the same bytes, and a second distribution sends
//! nothing because B already serves the file.

mod common;

use std::io::Read;
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
