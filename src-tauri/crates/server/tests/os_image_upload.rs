//! The browser console's upload of an OS image (issue 17, point 1) through the real
//! `patchdeck serve`: a WIM made here with wimlib-imagex is declared (its size checked
//! against the free disk space before any byte), streamed, read where it arrived and added:
//! the indexes equal what `wimlib-imagex info` says and the file is then the image's, in the
//! site's image folder. A file that is not a WIM, a connection cut mid-file and a cancelled
//! upload each leave nothing in the upload or image folders.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const TOKEN_HERE: &str = "t0ken-os-image-upload";

/// Every file under a folder of the site, by its path below it.
fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(root).unwrap_or(&path).display().to_string());
            }
        }
    }
    out.sort();
    out
}

fn uploads(site: &Path) -> Vec<String> {
    files_under(&site.join("publishing/uploads"))
}

fn kept_images(site: &Path) -> Vec<String> {
    files_under(&site.join("os-images"))
}

fn put(served: &Served, upload: &str, name: &str, bytes: &[u8]) -> Result<Value, (u16, Value)> {
    let request = ureq::put(&format!("{}/api/v1/publishing/uploads/{upload}/{name}", served.base))
        .set("Authorization", &format!("Bearer {TOKEN_HERE}"));
    match request.send_bytes(bytes) {
        Ok(r) => Ok(r.into_json().expect("json")),
        Err(ureq::Error::Status(status, r)) => Err((status, r.into_json().unwrap_or(Value::Null))),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn begin(served: &Served, name: &str, size: u64) -> (String, String) {
    let session = api(
        served,
        "begin_upload",
        json!({ "purpose": "OsImage", "files": [{ "name": name, "size": size }] }),
    );
    (
        session["uploadId"].as_str().expect("id").to_string(),
        session["paths"][0].as_str().expect("path").to_string(),
    )
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(20), "{what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wimlib(args: &[&std::ffi::OsStr]) -> String {
    let out = std::process::Command::new("wimlib-imagex")
        .args(args)
        .output()
        .expect("wimlib-imagex");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (index, name, description, total bytes) of each image, as `wimlib-imagex info` prints them.
fn info_indexes(wim: &Path) -> Vec<(i64, String, String, i64)> {
    let text = wimlib(&["info".as_ref(), wim.as_os_str()]);
    let mut out: Vec<(i64, String, String, i64)> = Vec::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match key.trim() {
            "Index" => out.push((value.parse().expect("index"), String::new(), String::new(), 0)),
            "Name" => out.last_mut().expect("index first").1 = value,
            "Description" => out.last_mut().expect("index first").2 = value,
            "Total Bytes" => out.last_mut().expect("index first").3 = value.parse().expect("bytes"),
            _ => {}
        }
    }
    out
}

fn read_indexes(indexes: &Value) -> Vec<(i64, String, String, i64)> {
    indexes
        .as_array()
        .expect("indexes")
        .iter()
        .map(|i| {
            (
                i["index"].as_i64().expect("index"),
                i["name"].as_str().expect("name").to_string(),
                i["description"].as_str().expect("description").to_string(),
                i["totalBytes"].as_i64().expect("bytes"),
            )
        })
        .collect()
}

#[test]
fn an_uploaded_wim_becomes_an_image_and_a_bad_or_broken_upload_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("Windows/System32")).expect("tree");
    let payload: Vec<u8> = (0..400_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(tree.join("Windows/System32/kernel.bin"), &payload).expect("file");
    let wim = dir.path().join("install.wim");
    wimlib(&[
        "capture".as_ref(),
        tree.as_os_str(),
        wim.as_os_str(),
        "Windows Test Pro".as_ref(),
        "The first edition".as_ref(),
    ]);
    std::fs::write(tree.join("Windows/extra.txt"), b"second image").expect("file");
    wimlib(&[
        "append".as_ref(),
        tree.as_os_str(),
        wim.as_os_str(),
        "Windows Test Home".as_ref(),
    ]);
    let wim_bytes = std::fs::read(&wim).expect("wim");
    let expected = info_indexes(&wim);
    assert_eq!(expected.len(), 2, "{expected:?}");
    let served = serve(&site, TOKEN_HERE);

    // More than the disk holds: refused from the declared size, both sizes said, nothing made.
    let (status, error) = api_refused(
        &served,
        "begin_upload",
        json!({ "purpose": "OsImage", "files": [{ "name": "huge.wim", "size": 1_i64 << 60 }] }),
    );
    assert_eq!(status, 400, "{error}");
    let message = error["message"].as_str().expect("message");
    assert!(
        message.contains("huge.wim needs 1099511627776 MB of free disk space")
            && message.contains(" free. Nothing was stored"),
        "{message}"
    );
    // Not an image by its name, or more than one file: refused before any byte.
    let (status, error) = api_refused(
        &served,
        "begin_upload",
        json!({ "purpose": "OsImage", "files": [{ "name": "install.zip", "size": 10 }] }),
    );
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("choose a .wim or .esd file")),
        "{error}"
    );
    assert!(uploads(&site).is_empty(), "{:?}", uploads(&site));

    // Uploaded, read where it arrived, added: the indexes are wimlib's, the file the site's.
    let (upload, path) = begin(&served, "install.wim", wim_bytes.len() as u64);
    let received = put(&served, &upload, "install.wim", &wim_bytes).expect("stored");
    assert_eq!(received["size"], wim_bytes.len());
    let inspected = api(&served, "inspect_os_image", json!({ "kind": "Image", "path": path }));
    assert_eq!(read_indexes(&inspected["indexes"]), expected);
    let added = api(
        &served,
        "add_os_image",
        json!({ "path": path, "name": "Uploaded image" }),
    );
    assert_eq!(read_indexes(&added["indexes"]), expected, "{added}");
    assert!(uploads(&site).is_empty(), "{:?}", uploads(&site));
    assert_eq!(kept_images(&site), vec![format!("{upload}/install.wim")]);
    let kept = site.join("os-images").join(&upload).join("install.wim");
    assert!(
        std::fs::read(&kept).expect("kept") == wim_bytes,
        "the image's file is the uploaded bytes"
    );
    let listed = api(&served, "list_os_images", json!({}));
    assert_eq!(listed[0]["name"], "Uploaded image", "{listed}");
    let audit = api(&served, "list_audit", json!({ "offset": 0, "limit": 100 })).to_string();
    assert!(
        audit.contains("os_image.upload") && audit.contains("os_image.add"),
        "{audit}"
    );

    // A file named .wim that is not one: refused with the reason once it arrived; nothing stays.
    let text = b"These are notes, not a Windows image.".repeat(50);
    let (upload, _) = begin(&served, "notes.wim", text.len() as u64);
    let (status, error) = put(&served, &upload, "notes.wim", &text).expect_err("not a WIM");
    assert_eq!(status, 400, "{error}");
    let message = error["message"].as_str().expect("message");
    assert!(
        message.starts_with("notes.wim is not a Windows image (.wim or .esd)")
            && message.contains("Nothing of the upload is kept"),
        "{message}"
    );
    assert!(uploads(&site).is_empty(), "{:?}", uploads(&site));
    assert_eq!(kept_images(&site).len(), 1, "{:?}", kept_images(&site));

    // The connection cut in the middle of the file: nothing of the upload stays.
    let (upload, _) = begin(&served, "install.wim", wim_bytes.len() as u64);
    cut_upload_midway(&served, &upload, "install.wim", &wim_bytes, || {
        uploads(&site).iter().any(|f| f.ends_with("install.wim.part"))
    });
    wait_until("a cut upload leaves nothing", || uploads(&site).is_empty());
    assert_eq!(kept_images(&site).len(), 1, "{:?}", kept_images(&site));

    // A name already taken: refused, and the upload stays for the wizard to try another
    // name without sending the file again; then Cancel removes it, audited.
    let (upload, path) = begin(&served, "install.wim", wim_bytes.len() as u64);
    put(&served, &upload, "install.wim", &wim_bytes).expect("stored");
    let (status, error) = api_refused(
        &served,
        "add_os_image",
        json!({ "path": path, "name": "Uploaded image" }),
    );
    assert_eq!(status, 409, "{error}");
    assert_eq!(
        uploads(&site),
        vec![format!("{upload}/declared.json"), format!("{upload}/install.wim")]
    );
    assert_eq!(kept_images(&site).len(), 1, "{:?}", kept_images(&site));
    api(&served, "cancel_upload", json!({ "uploadId": upload }));
    assert!(uploads(&site).is_empty(), "{:?}", uploads(&site));
    let audit = api(&served, "list_audit", json!({ "offset": 0, "limit": 100 })).to_string();
    assert!(audit.contains("os_image.upload.cancel"), "{audit}");

    // Deleting the uploaded image removes its file: the site kept it, not the administrator.
    let id = added["image"]["id"].as_i64().expect("id");
    api(&served, "delete_os_image", json!({ "id": id }));
    assert!(kept_images(&site).is_empty(), "{:?}", kept_images(&site));
}
