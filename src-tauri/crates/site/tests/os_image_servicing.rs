//! Offline servicing of OS images through the command API (issue 17, SRV-1..7): the
//! Schedule Updates wizard's checks, a run at its scheduled time driven through a stand-in
//! of DISM's command line (`tests/support/dism-standin.sh`, which prints DISM's output and
//! changes the WIM with wimlib-imagex as an install does), the image read back with wimlib,
//! Cancel while DISM works, and a site process killed mid-run.
//!
//! Update content is real: cabinets built here (update.mum and a payload), the catalog's
//! file rows given their digests, and downloaded into the library from a local folder by
//! the Download Software Updates path.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::Fixture;
use serde_json::{json, Value};
use sha2::Digest;
use site::ErrorCode;
use wim::testing::{build_wim, manifest, sample_manifests, ImageSpec};
use wim::Wimlib;

fn standin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/dism-standin.sh")
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `n` bytes that do not compress (a new kernel's worth of payload).
fn payload(seed: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 32);
    let mut block = sha2::Sha256::digest(seed.as_bytes());
    while out.len() < n {
        out.extend_from_slice(&block);
        block = sha2::Sha256::digest(block);
    }
    out.truncate(n);
    out
}

/// An update cabinet as Windows packages them: update.mum named by its identity (absent for
/// a package DISM finds not applicable) and a new ntoskrnl.exe.
fn cabinet(dir: &Path, kb: &str, applicable: bool) -> PathBuf {
    let stage = dir.join(format!("stage-{kb}"));
    std::fs::create_dir_all(&stage).expect("stage");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    if applicable {
        let m = manifest(&format!("Package_for_{kb}"), "10.0.1.0", "amd64", kb, "Security Update");
        let p = stage.join(&m.file_name);
        std::fs::write(&p, &m.xml).expect("mum");
        files.push((m.file_name.clone(), p));
    }
    let kernel = stage.join("ntoskrnl.exe");
    std::fs::write(&kernel, payload(kb, 300_000)).expect("payload");
    files.push(("Windows\\System32\\ntoskrnl.exe".into(), kernel));
    let out = dir.join(format!("windows11.0-{}-x64.cab", kb.to_lowercase()));
    let mut builder = cab::CabinetBuilder::new();
    let folder = builder.add_folder(cab::CompressionType::MsZip);
    for (name, _) in &files {
        folder.add_file(name.as_str());
    }
    let mut writer = builder.build(std::fs::File::create(&out).expect("cab")).expect("build");
    let mut sources = files.iter();
    while let Some(mut entry) = writer.next_file().expect("next") {
        let (_, p) = sources.next().expect("a source");
        std::io::copy(&mut std::fs::File::open(p).expect("open"), &mut entry).expect("copy");
    }
    writer.finish().expect("finish");
    out
}

struct Setup {
    f: Fixture,
    dir: tempfile::TempDir,
    image: i64,
    wim: PathBuf,
    /// (update id, title, KB) of the applicable updates used, in order.
    updates: Vec<(String, String, String)>,
}

impl Setup {
    fn site_folder(&self) -> PathBuf {
        self.f.site.database_path().parent().expect("folder").to_path_buf()
    }
}

/// A site with a Windows 11 x64 image, DISM's stand-in as its tool, and `n` applicable
/// updates, each with one cabinet (the third not applicable to DISM), of which the first
/// `downloaded` are in the content library.
fn setup(n: usize, downloaded: usize, dism: &Path) -> Setup {
    let f = Fixture::new("olga", 400);
    let dir = tempfile::tempdir().expect("tempdir");
    f.call(
        "set_servicing_settings",
        json!({ "servicingDrive": "Automatic", "dismPath": dism }),
    );
    let wim = build_wim(
        dir.path(),
        "install.wim",
        &[ImageSpec::windows(
            "Windows 11 Pro",
            "Professional",
            sample_manifests("Package_for_ServicingStack_8035", "26100.8035.1.1", "KB5000001"),
        )],
    );
    // The shipped kernel, which the updates replace: its old payload is what the export drops.
    let kernel = dir.path().join("ntoskrnl.exe");
    std::fs::write(&kernel, payload("RTM", 300_000)).expect("kernel");
    let put = std::process::Command::new("wimlib-imagex")
        .args(["update".as_ref(), wim.as_os_str(), "1".as_ref(), "--rebuild".as_ref()])
        .arg(format!(
            "--command=add {} /Windows/System32/ntoskrnl.exe",
            kernel.display()
        ))
        .output()
        .expect("wimlib-imagex");
    assert!(put.status.success(), "{}", String::from_utf8_lossy(&put.stderr));
    let image = f.call("add_os_image", json!({ "path": wim }))["image"]["id"]
        .as_i64()
        .expect("id");
    let listed = f.call("list_applicable_os_image_updates", json!({ "imageId": image }));
    assert_eq!(listed["dismMissing"], Value::Null, "the stand-in is found");
    let all = listed["updates"].as_array().expect("updates").clone();
    // Single-file updates keep each one's cabinet its whole content.
    let chosen: Vec<&Value> = all
        .iter()
        .filter(|u| {
            let id = u["updateId"].as_str().expect("id");
            f.count(&format!(
                "SELECT COUNT(*) FROM files f JOIN updates u USING (upd_pk) WHERE u.update_id = '{id}'"
            )) == 1
        })
        .take(n)
        .collect();
    assert_eq!(
        chosen.len(),
        n,
        "the generated catalog holds {n} applicable updates: {all:?}"
    );
    let source = dir.path().join("source");
    std::fs::create_dir_all(&source).expect("source");
    let mut updates = Vec::new();
    for (i, u) in chosen.iter().enumerate() {
        let id = u["updateId"].as_str().expect("id").to_string();
        let kb = u["kb"].as_str().expect("kb").to_string();
        let cab = cabinet(dir.path(), &kb, i != 2);
        let bytes = std::fs::read(&cab).expect("read");
        let name = cab.file_name().expect("name").to_string_lossy().to_string();
        std::fs::copy(&cab, source.join(&name)).expect("copy");
        // The catalog's metadata for this file, as Microsoft's would describe the cabinet.
        f.raw
            .execute(
                "UPDATE files SET file_name = ?2, size = ?3, sha1 = ?4, sha256 = ?5
                 WHERE upd_pk = (SELECT upd_pk FROM updates WHERE update_id = ?1)",
                rusqlite::params![
                    id,
                    name,
                    bytes.len() as i64,
                    b64(&sha1::Sha1::digest(&bytes)),
                    b64(&sha2::Sha256::digest(&bytes))
                ],
            )
            .expect("files");
        updates.push((id, u["title"].as_str().expect("title").to_string(), kb));
    }
    let setup = Setup {
        f,
        dir,
        image,
        wim,
        updates,
    };
    if downloaded > 0 {
        download(
            &setup,
            &setup.updates[..downloaded]
                .iter()
                .map(|u| u.0.clone())
                .collect::<Vec<_>>(),
        );
    }
    setup
}

fn download(s: &Setup, ids: &[String]) {
    let job = s.f.call(
        "start_download",
        json!({
            "newPackageName": format!("Servicing {}", ids.join(",")).chars().take(150).collect::<String>(),
            "updateIds": ids,
            "source": { "kind": "LocalFolder", "path": s.dir.path().join("source") },
        }),
    );
    let id = job["id"].as_i64().expect("job id");
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let j = s.f.call("get_download_job", json!({ "id": id }));
        match j["state"].as_str() {
            Some("Succeeded") => return,
            Some("Running") if Instant::now() < until => std::thread::sleep(Duration::from_millis(50)),
            other => panic!("download ended {other:?}: {j}"),
        }
    }
}

fn run_of(s: &Setup, id: i64) -> Value {
    s.f.call("get_servicing_log", json!({ "id": id }))
}

fn wait_end(s: &Setup, id: i64) -> Value {
    let until = Instant::now() + Duration::from_secs(120);
    loop {
        let r = run_of(s, id);
        let state = r["run"]["state"].as_str().unwrap_or_default().to_string();
        if state != "InProgress" && state != "Scheduled" {
            return r;
        }
        assert!(Instant::now() < until, "the run did not end: {r}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn digest(p: &Path) -> Vec<u8> {
    sha2::Sha256::digest(std::fs::read(p).expect("read")).to_vec()
}

fn kbs_in(wim: &Path) -> Vec<String> {
    let mut kbs: Vec<String> = Wimlib::default()
        .packages(wim, 1)
        .expect("packages")
        .into_iter()
        .filter_map(|p| p.kb)
        .collect();
    kbs.sort();
    kbs
}

fn lines(log: &Value) -> Vec<String> {
    log["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            format!(
                "{}: {}",
                l["source"].as_str().unwrap_or_default(),
                l["line"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn a_scheduled_run_applies_the_updates_drops_superseded_payload_and_records_what_the_image_holds() {
    let s = setup(4, 3, &standin());
    let (f, image) = (&s.f, s.image);
    let ids: Vec<String> = s.updates.iter().map(|u| u.0.clone()).collect();
    let before_kbs = kbs_in(&s.wim);

    // Choose updates: filters narrow the list; what is downloaded says so.
    let listed = f.call(
        "list_applicable_os_image_updates",
        json!({ "imageId": image, "text": s.updates[1].2 }),
    );
    let found: Vec<&str> = listed["updates"]
        .as_array()
        .expect("updates")
        .iter()
        .map(|u| u["updateId"].as_str().expect("id"))
        .collect();
    assert_eq!(found, vec![ids[1].as_str()], "the KB filter finds that update alone");
    let x86 = f.call(
        "list_applicable_os_image_updates",
        json!({ "imageId": image, "architecture": "X86" }),
    );
    assert_eq!(x86["updates"], json!([]), "an x64 image has no x86 update");
    let all = f.call("list_applicable_os_image_updates", json!({ "imageId": image }));
    let of = |id: &str| {
        all["updates"]
            .as_array()
            .expect("updates")
            .iter()
            .find(|u| u["updateId"] == id)
            .cloned()
            .expect("listed")
    };
    assert_eq!(of(&ids[0])["downloaded"], true);
    assert_eq!(of(&ids[3])["downloaded"], false);
    assert!(all["updates"]
        .as_array()
        .expect("updates")
        .iter()
        .all(|u| u["architecture"] == "x64" && u["title"].as_str().is_some_and(|t| t.contains("Windows 11"))));

    // SRV-2: content not in the library is refused by name; nothing is scheduled.
    let refused = f.fail(
        "schedule_os_image_updates",
        json!({ "imageId": image, "updateIds": ids }),
    );
    assert_eq!(refused.code, ErrorCode::Validation);
    assert!(refused.message.contains(&s.updates[3].1), "{}", refused.message);
    assert!(refused.message.contains("Download them first"), "{}", refused.message);
    assert_eq!(f.count("SELECT COUNT(*) FROM servicing_runs"), 0);

    // SRV-7: a servicing drive that does not exist falls back to Automatic.
    f.call(
        "set_servicing_settings",
        json!({ "servicingDrive": "/no/such/drive", "dismPath": standin() }),
    );
    let later = site::clock::now() + chrono::TimeDelta::hours(1);
    let when = site::clock::format_utc(later);
    let run = f.call(
        "schedule_os_image_updates",
        json!({ "imageId": image, "updateIds": ids[..3], "whenUtc": when, "continueOnError": true }),
    );
    let id = run["id"].as_i64().expect("run id");
    assert_eq!(run["state"], "Scheduled");
    let row = &f.call("list_os_images", json!({}))[0];
    assert_eq!(row["scheduledUpdatesStatus"], "Scheduled");
    assert!(row["scheduledUpdatesDate"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(f
        .audit()
        .iter()
        .any(|a| a["action"] == "os_image.schedule_updates" && a["actor"] == "olga"));

    // Not before its time; at its time by the scheduler's call.
    site::images::servicing::run_due(&f.site, site::clock::now());
    assert_eq!(run_of(&s, id)["run"]["state"], "Scheduled");
    site::images::servicing::run_due(&f.site, later + chrono::TimeDelta::minutes(1));
    let log = wait_end(&s, id);
    let r = &log["run"];
    assert_eq!(r["state"], "Failed", "one update failed: {r}");
    let states: Vec<&str> = r["updates"]
        .as_array()
        .expect("updates")
        .iter()
        .map(|u| u["state"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(states, vec!["Installed", "Installed", "Failed"]);
    assert!(
        r["updates"][2]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("0x800f081e")),
        "{r}"
    );
    assert!(
        r["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("Applied 2 of 3 updates")),
        "{r}"
    );

    // The image read back holds the two, and only they were added.
    let mut want = before_kbs.clone();
    want.extend([s.updates[0].2.clone(), s.updates[1].2.clone()]);
    want.sort();
    assert_eq!(kbs_in(&s.wim), want);
    // Smaller than the copy with the new payload appended.
    let on_disk = std::fs::metadata(&s.wim).expect("meta").len() as i64;
    assert_eq!(r["bytesAfter"].as_i64(), Some(on_disk));
    let committed = r["bytesCommitted"].as_i64().expect("committed");
    assert!(
        committed - on_disk > 250_000,
        "the export drops the shipped 300 kB kernel the updates replaced: exported {on_disk}, committed {committed}"
    );
    eprintln!(
        "measured: before {} bytes, committed (copy and append) {committed} bytes, exported {on_disk} bytes",
        r["bytesBefore"]
    );

    // Columns, Installed Updates and the log say so.
    let row = &f.call("list_os_images", json!({}))[0];
    assert_eq!(row["scheduledUpdatesStatus"], "Failed");
    assert_eq!(row["fileBytes"].as_i64(), Some(on_disk));
    let details = f.call("get_os_image", json!({ "id": image }));
    let source = format!("Servicing run {id}");
    let mut added: Vec<String> = details["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| p["source"] == source.as_str())
        .filter_map(|p| p["kb"].as_str().map(String::from))
        .collect();
    added.sort();
    let mut two = vec![s.updates[0].2.clone(), s.updates[1].2.clone()];
    two.sort();
    assert_eq!(added, two);
    let text = lines(&log);
    for step in [
        "falling back to Automatic".to_string(),
        "Copying".into(),
        "Mount index 1: the operation completed successfully.".into(),
        format!("Add {}", s.updates[0].2),
        format!("Add {}", s.updates[2].2),
        "Commit index 1: the operation completed successfully.".into(),
        "Export index 1: the operation completed successfully.".into(),
        "The serviced image replaced".into(),
        "removed".into(),
    ] {
        assert!(
            text.iter().any(|l| l.starts_with("Servicing: ") && l.contains(&step)),
            "no '{step}' in {text:#?}"
        );
    }
    assert!(
        text.iter()
            .any(|l| l.starts_with("Dism: ") && l.contains("Adding package")),
        "{text:#?}"
    );
    let work = s.site_folder().join("servicing").join(format!("run-{id}"));
    assert!(!work.exists(), "the working folder is cleaned");

    // The updates applied are no longer offered.
    let again = f.call("list_applicable_os_image_updates", json!({ "imageId": image }));
    assert!(!again["updates"]
        .as_array()
        .expect("updates")
        .iter()
        .any(|u| u["updateId"] == ids[0].as_str()));
}

/// DISM's stand-in behind a wrapper that makes /Add-Package wait while `hold` exists and
/// touch `started` when it begins: (folder, hold, started, wrapper).
fn held_dism() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let hold = dir.path().join("hold");
    let started = dir.path().join("started");
    let wrapper = dir.path().join("dism");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nDISM_STANDIN_HOLD='{}' DISM_STANDIN_STARTED='{}' exec '{}' \"$@\"\n",
            hold.display(),
            started.display(),
            standin().display()
        ),
    )
    .expect("wrapper");
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    (dir, hold, started, wrapper)
}

#[test]
fn cancel_while_dism_works_leaves_the_image_untouched() {
    let (_dir, hold, started, wrapper) = held_dism();
    let s = setup(2, 2, &wrapper);
    let f = &s.f;
    let original = digest(&s.wim);

    // A scheduled run cancelled before its time never starts.
    let later = site::clock::format_utc(site::clock::now() + chrono::TimeDelta::hours(2));
    let scheduled = f.call(
        "schedule_os_image_updates",
        json!({ "imageId": s.image, "updateIds": [s.updates[0].0], "whenUtc": later }),
    );
    let sid = scheduled["id"].as_i64().expect("id");
    assert_eq!(
        f.call("cancel_os_image_updates", json!({ "id": sid }))["state"],
        "Cancelled"
    );

    std::fs::write(&hold, "").expect("hold");
    let run = f.call(
        "schedule_os_image_updates",
        json!({ "imageId": s.image, "updateIds": [s.updates[0].0, s.updates[1].0] }),
    );
    let id = run["id"].as_i64().expect("id");
    let until = Instant::now() + Duration::from_secs(60);
    while !started.exists() {
        assert!(Instant::now() < until, "DISM never started adding a package");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(run_of(&s, id)["run"]["state"], "InProgress");
    assert_eq!(
        f.call("list_os_images", json!({}))[0]["scheduledUpdatesStatus"],
        "In progress"
    );
    let cancelled = f.call("cancel_os_image_updates", json!({ "id": id }));
    assert_eq!(cancelled["state"], "Cancelled", "{cancelled}");
    assert_eq!(digest(&s.wim), original, "the image is byte-identical");
    assert!(!s.site_folder().join("servicing").join(format!("run-{id}")).exists());
    let text = lines(&run_of(&s, id));
    assert!(
        text.iter().any(|l| l.contains("DISM was stopped (cancel)")),
        "{text:#?}"
    );
    assert!(text.iter().any(|l| l.contains("/Discard")), "{text:#?}");
    assert!(f.audit().iter().any(|a| a["action"] == "os_image.cancel_updates"));
    assert_eq!(
        f.call("list_os_images", json!({}))[0]["scheduledUpdatesStatus"],
        "Cancelled"
    );
    let _ = std::fs::remove_file(&hold);
}

#[test]
fn where_dism_is_absent_the_wizard_says_so_and_nothing_is_scheduled() {
    let s = setup(1, 1, &standin());
    let f = &s.f;
    f.call(
        "set_servicing_settings",
        json!({ "servicingDrive": "Automatic", "dismPath": "/nowhere/Dism.exe" }),
    );
    let listed = f.call("list_applicable_os_image_updates", json!({ "imageId": s.image }));
    assert!(
        listed["dismMissing"]
            .as_str()
            .is_some_and(|m| m.contains("DISM was not found at '/nowhere/Dism.exe'")),
        "{listed}"
    );
    let e = f.fail(
        "schedule_os_image_updates",
        json!({ "imageId": s.image, "updateIds": [s.updates[0].0] }),
    );
    assert_eq!(e.code, ErrorCode::Unavailable, "{}", e.message);
    assert_eq!(f.count("SELECT COUNT(*) FROM servicing_runs"), 0);
}

/// The site process of `a_site_killed_mid_run_reads_interrupted_and_leaves_the_image_untouched`:
/// opens the site its parent prepared and starts the due run, then waits to be killed.
#[test]
#[ignore = "run by the kill test as its child process"]
fn servicing_child_process() {
    let Some(folder) = std::env::var_os("PATCHDECK_SERVICING_CHILD") else {
        return;
    };
    let site = site::Site::open(Path::new(&folder)).expect("open");
    site::images::servicing::run_due(&site, site::clock::now() + chrono::TimeDelta::days(1));
    std::thread::sleep(Duration::from_secs(600));
}

#[test]
fn a_site_killed_mid_run_reads_interrupted_and_leaves_the_image_untouched() {
    let (_dir, hold, started, wrapper) = held_dism();
    let s = setup(1, 1, &wrapper);
    let f = &s.f;
    let original = digest(&s.wim);
    let later = site::clock::format_utc(site::clock::now() + chrono::TimeDelta::hours(2));
    let run = f.call(
        "schedule_os_image_updates",
        json!({ "imageId": s.image, "updateIds": [s.updates[0].0], "whenUtc": later }),
    );
    let id = run["id"].as_i64().expect("id");
    std::fs::write(&hold, "").expect("hold");
    let mut child = std::process::Command::new(std::env::current_exe().expect("exe"))
        .args(["servicing_child_process", "--exact", "--ignored", "--nocapture"])
        .env("PATCHDECK_SERVICING_CHILD", s.site_folder())
        .spawn()
        .expect("child");
    let until = Instant::now() + Duration::from_secs(60);
    while !started.exists() {
        assert!(Instant::now() < until, "the child's run never reached DISM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let work = s.site_folder().join("servicing").join(format!("run-{id}"));
    assert!(work.join("image.wim").exists(), "the copy is being serviced");
    assert_eq!(run_of(&s, id)["run"]["state"], "InProgress", "held by the live child");
    child.kill().expect("kill");
    child.wait().expect("wait");
    // DISM outlives the site that started it; let it end before the next start.
    std::fs::remove_file(&hold).expect("release");
    std::thread::sleep(Duration::from_millis(800));

    let after = run_of(&s, id);
    assert_eq!(after["run"]["state"], "Interrupted", "{after}");
    assert_eq!(
        f.call("list_os_images", json!({}))[0]["scheduledUpdatesStatus"],
        "Interrupted"
    );
    assert_eq!(digest(&s.wim), original, "the image is byte-identical");
    assert!(!work.exists(), "the working folder is cleaned");
}

#[test]
fn an_upgrade_package_is_serviced_in_its_install_image() {
    let s = setup(1, 1, &standin());
    let f = &s.f;
    let media = s.dir.path().join("media");
    std::fs::create_dir_all(media.join("sources")).expect("media");
    std::fs::write(media.join("setup.exe"), "MZ").expect("setup");
    let install = media.join("sources").join("install.wim");
    std::fs::copy(&s.wim, &install).expect("copy");
    let package = f.call(
        "add_os_upgrade_package",
        json!({ "folder": media, "name": "Windows 11 23H2" }),
    )["image"]["id"]
        .as_i64()
        .expect("id");
    let run = f.call(
        "schedule_os_image_updates",
        json!({ "imageId": package, "updateIds": [s.updates[0].0] }),
    );
    let log = wait_end(&s, run["id"].as_i64().expect("id"));
    assert_eq!(log["run"]["state"], "Successful", "{log}");
    assert!(kbs_in(&install).contains(&s.updates[0].2));
    assert!(
        !kbs_in(&s.wim).contains(&s.updates[0].2),
        "the OS image beside it is another file, untouched"
    );
    assert_eq!(
        f.call("list_os_upgrade_packages", json!({}))[0]["scheduledUpdatesStatus"],
        "Successful"
    );
}

// ---- Distribution (OSP-2) ----

fn folder_point(f: &Fixture, name: &str, folder: &Path) -> i64 {
    f.call(
        "add_distribution_point",
        json!({ "name": name, "kind": "Folder", "location": folder }),
    )["id"]
        .as_i64()
        .expect("dp id")
}

/// The image's rows once no point is InProgress.
fn distributed(f: &Fixture, image: i64) -> Vec<Value> {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let rows = f.call("os_image_distribution_status", json!({ "imageId": image }));
        let rows = rows.as_array().expect("rows").clone();
        if rows.iter().all(|r| r["state"] != "InProgress") {
            return rows;
        }
        assert!(Instant::now() < until, "the distribution did not end: {rows:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn at_point(folder: &Path, row: &Value) -> PathBuf {
    folder.join("Content").join(row["path"].as_str().expect("path"))
}

#[test]
fn an_image_on_a_folder_point_holds_its_bytes_and_a_servicing_run_sends_the_new_one() {
    let s = setup(1, 1, &standin());
    let (f, image) = (&s.f, s.image);
    let folder = s.dir.path().join("dp-branch");
    let dp = folder_point(f, "Branch", &folder);

    f.call(
        "distribute_os_image",
        json!({ "imageId": image, "distributionPointIds": [dp] }),
    );
    let rows = distributed(f, image);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["state"], "Installed", "{rows:?}");
    let first = at_point(&folder, &rows[0]);
    assert_eq!(digest(&first), digest(&s.wim), "the point holds the image's bytes");
    assert!(f
        .audit()
        .iter()
        .any(|a| a["action"] == "os_image.distribute" && a["actor"] == "olga"));

    // Sent again: the intact copy stays, nothing is copied.
    let written = std::fs::metadata(&first).and_then(|m| m.modified()).expect("mtime");
    f.call("distribute_os_image", json!({ "imageId": image }));
    let rows = distributed(f, image);
    assert_eq!(rows[0]["state"], "Installed");
    assert!(
        rows[0]["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("not sent again"),
        "{rows:?}"
    );
    assert_eq!(
        std::fs::metadata(&first).and_then(|m| m.modified()).expect("mtime"),
        written
    );

    // A servicing run that updates distribution points sends the serviced image.
    let before = digest(&s.wim);
    let run = f.call(
        "schedule_os_image_updates",
        json!({ "imageId": image, "updateIds": [s.updates[0].0], "updateDistributionPoints": true }),
    );
    let log = wait_end(&s, run["id"].as_i64().expect("id"));
    assert_eq!(log["run"]["state"], "Successful", "{log}");
    assert_ne!(digest(&s.wim), before, "the run changed the image");
    let logged = lines(&log);
    assert!(
        logged
            .iter()
            .any(|l| l.contains("Update distribution points: Branch: Installed")),
        "{logged:?}"
    );
    let rows = distributed(f, image);
    assert_eq!(rows[0]["state"], "Installed", "{rows:?}");
    let second = at_point(&folder, &rows[0]);
    assert_ne!(second, first, "the new image has its own digest's name");
    assert_eq!(digest(&second), digest(&s.wim), "the point holds the serviced image");
    assert!(!first.exists(), "the earlier version left the point");
}

#[test]
fn a_point_that_cannot_be_written_reads_failed_with_the_reason_and_the_others_get_the_image() {
    let s = setup(1, 0, &standin());
    let (f, image) = (&s.f, s.image);
    let good = s.dir.path().join("dp-good");
    let bad = s.dir.path().join("dp-bad");
    let ok = folder_point(f, "Good", &good);
    let broken = folder_point(f, "Blocked", &bad);
    // Content/ is a file here: nothing can be written under it (tests run as root, where
    // permission bits would not stop a write).
    std::fs::write(bad.join("Content"), "not a folder").expect("block");

    f.call("distribute_os_image", json!({ "imageId": image }));
    let rows = distributed(f, image);
    let of = |id: i64| rows.iter().find(|r| r["dpId"] == id).expect("row").clone();
    assert_eq!(of(ok)["state"], "Installed", "{rows:?}");
    assert_eq!(digest(&at_point(&good, &of(ok))), digest(&s.wim));
    let failed = of(broken);
    assert_eq!(failed["state"], "Failed", "{rows:?}");
    assert!(
        failed["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("cannot be created"),
        "the reason names the folder: {failed}"
    );

    assert_eq!(
        f.fail(
            "distribute_os_image",
            json!({ "imageId": image, "distributionPointIds": [9999] })
        )
        .code,
        ErrorCode::NotFound
    );
    assert_eq!(
        f.fail("distribute_os_image", json!({ "imageId": 9999 })).code,
        ErrorCode::NotFound
    );
}

/// Every file under a point's Content/, as `<XX>/<NAME>`.
fn point_files(folder: &Path) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for dir in std::fs::read_dir(folder.join("Content"))
        .into_iter()
        .flatten()
        .flatten()
    {
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

#[test]
fn an_upgrade_package_goes_to_a_folder_point_as_its_whole_setup_folder_and_servicing_replaces_it() {
    let s = setup(1, 1, &standin());
    let f = &s.f;
    // The setup folder as a Windows ISO lays it out (stand-ins for the binaries), with an
    // install image made by wimlib.
    let media = s.dir.path().join("media");
    let files: &[(&str, &[u8])] = &[
        ("setup.exe", b"MZ\x90\x00 setup stand-in"),
        ("autorun.inf", b"[AutoRun.Amd64]\r\nopen=setup.exe\r\n"),
        ("boot/boot.sdi", &[7u8; 20_000]),
        ("efi/microsoft/boot/bcd", &[9u8; 16_384]),
        ("sources/lang.ini", b"[Available UI Languages]\r\nen-us = 3\r\n"),
    ];
    for (rel, body) in files {
        let p = media.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dirs");
        std::fs::write(&p, body).expect("write");
    }
    let install = media.join("sources/install.wim");
    std::fs::copy(&s.wim, &install).expect("install.wim");
    let package = f.call(
        "add_os_upgrade_package",
        json!({ "folder": media, "name": "Windows 11 24H2" }),
    )["image"]["id"]
        .as_i64()
        .expect("id");
    let folder = s.dir.path().join("dp-branch");
    let dp = folder_point(f, "Branch", &folder);

    f.call(
        "distribute_os_image",
        json!({ "imageId": package, "distributionPointIds": [dp] }),
    );
    let rows = distributed(f, package);
    assert_eq!(rows[0]["state"], "Installed", "{rows:?}");
    let manifest_at = at_point(&folder, &rows[0]);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(&manifest_at).expect("the point holds the manifest")).expect("JSON");
    let listed = manifest["files"].as_array().expect("files").clone();
    let mut paths: Vec<&str> = listed.iter().map(|m| m["path"].as_str().expect("path")).collect();
    paths.sort_unstable();
    let mut want: Vec<&str> = files.iter().map(|(r, _)| *r).chain(["sources/install.wim"]).collect();
    want.sort_unstable();
    assert_eq!(paths, want, "every file of the folder, and nothing else");
    for m in &listed {
        let source = media.join(m["path"].as_str().expect("path"));
        let copy = folder.join("Content").join(m["content"].as_str().expect("content"));
        assert_eq!(digest(&copy), digest(&source), "{} arrives as its bytes", m["path"]);
        assert_eq!(
            m["sha256"].as_str(),
            Some(b64(&digest(&source)).as_str()),
            "the manifest names each file's SHA-256"
        );
    }
    let first = point_files(&folder);
    assert_eq!(first.len(), want.len() + 1, "the files and the manifest: {first:?}");
    assert!(
        first.iter().all(|p| !p.ends_with(".partial")),
        "no partial copy is left: {first:?}"
    );
    assert_eq!(
        f.count(&format!(
            "SELECT COUNT(*) FROM os_image_files WHERE image_id = {package}"
        )),
        want.len() as i64,
        "each file's digests are kept"
    );

    // Sent again: intact copies stay; a damaged one is sent again.
    let setup_copy = listed
        .iter()
        .find(|m| m["path"] == "setup.exe")
        .map(|m| folder.join("Content").join(m["content"].as_str().expect("content")))
        .expect("setup.exe");
    let bcd_copy = listed
        .iter()
        .find(|m| m["path"] == "efi/microsoft/boot/bcd")
        .map(|m| folder.join("Content").join(m["content"].as_str().expect("content")))
        .expect("bcd");
    let bcd_written = std::fs::metadata(&bcd_copy).and_then(|m| m.modified()).expect("mtime");
    f.call("distribute_os_image", json!({ "imageId": package }));
    let rows = distributed(f, package);
    assert!(
        rows[0]["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("not sent again"),
        "{rows:?}"
    );
    std::fs::write(&setup_copy, b"damaged").expect("damage");
    f.call("distribute_os_image", json!({ "imageId": package }));
    let rows = distributed(f, package);
    assert!(
        rows[0]["detail"].as_str().unwrap_or_default().contains("1 sent"),
        "{rows:?}"
    );
    assert_eq!(
        digest(&setup_copy),
        digest(&media.join("setup.exe")),
        "the damaged copy was replaced"
    );
    assert_eq!(
        std::fs::metadata(&bcd_copy).and_then(|m| m.modified()).expect("mtime"),
        bcd_written,
        "an intact copy is not written again"
    );

    // A servicing run that updates distribution points: the point holds the folder with the
    // serviced install image, and nothing of the earlier version.
    let run = f.call(
        "schedule_os_image_updates",
        json!({ "imageId": package, "updateIds": [s.updates[0].0], "updateDistributionPoints": true }),
    );
    let log = wait_end(&s, run["id"].as_i64().expect("id"));
    assert_eq!(log["run"]["state"], "Successful", "{log}");
    let rows = distributed(f, package);
    assert_eq!(rows[0]["state"], "Installed", "{rows:?}");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(at_point(&folder, &rows[0])).expect("manifest")).expect("JSON");
    let mut expected: std::collections::BTreeSet<String> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|m| m["content"].as_str().expect("content").to_string())
        .collect();
    expected.insert(rows[0]["path"].as_str().expect("path").to_string());
    assert_eq!(
        point_files(&folder),
        expected,
        "the point holds exactly the current folder"
    );
    let wim_copy = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|m| m["path"] == "sources/install.wim")
        .map(|m| folder.join("Content").join(m["content"].as_str().expect("content")))
        .expect("install.wim");
    assert_eq!(digest(&wim_copy), digest(&install), "the serviced install image");
    assert!(kbs_in(&wim_copy).contains(&s.updates[0].2));
}
