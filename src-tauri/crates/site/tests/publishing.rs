//! The publishing certificate and signed cabinets of locally published updates (issue 16,
//! point 4), checked with the tools a client's administrator would use: osslsigncode,
//! cabextract and openssl.

use std::process::Command;

#[path = "support/msi.rs"]
mod msi;

use site::publishing::cabinet::{pack, sign, verify};
use site::publishing::certificate::certificate;
use site::publishing::PublishError;

fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not start ({e}): .ci/test-all.sh installs it"))
}

#[test]
fn content_is_packed_signed_verified_and_a_flipped_byte_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let cert = certificate(&site, "test site").expect("certificate");
    // Made once: the same certificate the next time, so signed content stays valid.
    let again = certificate(&site, "test site").expect("again");
    assert_eq!(cert.cert_pem, again.cert_pem);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cert.key_path).expect("key").permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key is readable by its owner only: {mode:o}");
    }
    // The .cer clients import is the certificate, DER-encoded.
    let cer = dir.path().join("publisher.cer");
    std::fs::write(&cer, cert.to_cer().expect("cer")).expect("write cer");
    let x509 = run(
        "openssl",
        &[
            "x509",
            "-inform",
            "DER",
            "-in",
            cer.to_str().expect("path"),
            "-noout",
            "-subject",
            "-ext",
            "extendedKeyUsage",
        ],
    );
    let said = String::from_utf8_lossy(&x509.stdout);
    assert!(
        x509.status.success() && said.contains("Patchdeck publisher (test site)") && said.contains("Code Signing"),
        "{said}"
    );

    let installer = dir.path().join("reader.msi");
    let extra = dir.path().join("settings.ini");
    std::fs::write(&installer, vec![0x5Au8; 200_000]).expect("installer");
    std::fs::write(&extra, "[Reader]\nTelemetry=0\n").expect("extra");
    let unsigned = dir.path().join("content.cab");
    let signed = dir.path().join("content-signed.cab");
    pack(
        &[
            ("reader.msi".to_string(), installer.as_path()),
            ("settings.ini".to_string(), extra.as_path()),
        ],
        &unsigned,
    )
    .expect("pack");
    sign(&cert, "Contoso Reader 24.3.2", &unsigned, &signed).expect("sign");
    verify(&cert, &signed).expect("the signature checks");

    // As an administrator would check it.
    let checked = run(
        "osslsigncode",
        &[
            "verify",
            "-CAfile",
            cert.cert_path.to_str().expect("path"),
            "-in",
            signed.to_str().expect("path"),
        ],
    );
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stdout));
    let listed = run("cabextract", &["-l", signed.to_str().expect("path")]);
    let listing = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listing.contains("reader.msi") && listing.contains("settings.ini"),
        "{listing}"
    );
    // An unsigned cabinet is not served either.
    assert!(matches!(verify(&cert, &unsigned), Err(PublishError::NotSigned { .. })));

    let mut bytes = std::fs::read(&signed).expect("read");
    let middle = bytes.len() / 3;
    bytes[middle] ^= 0x01;
    let tampered = dir.path().join("tampered.cab");
    std::fs::write(&tampered, bytes).expect("write");
    let refused = verify(&cert, &tampered).expect_err("one flipped byte");
    let text = refused.to_string();
    assert!(
        text.starts_with(&format!("{} does not carry a valid signature", tampered.display()))
            && text.contains("it is not served"),
        "{text}"
    );

    // Another site's certificate does not vouch for this content.
    let other = certificate(&dir.path().join("other"), "other site").expect("other");
    assert!(verify(&other, &signed).is_err());
}

fn call(site: &site::Site, name: &str, args: serde_json::Value) -> Result<serde_json::Value, site::api::ApiError> {
    site::dispatch(site, &site::Actor::new("test"), name, args)
}

#[test]
fn the_upload_wizard_reads_the_installer_and_sizes_what_goes_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = site::Site::open(&dir.path().join("site")).expect("site");
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("extras/lang")).expect("dirs");
    let msi = msi::build_msi(&src, &msi::VIEWER);
    std::fs::write(src.join("extras/settings.ini"), "a=1\n").expect("extra");
    std::fs::write(src.join("extras/lang/fr.mst"), vec![7u8; 1000]).expect("extra");

    let details = call(
        &site,
        "inspect_installer",
        serde_json::json!({ "path": msi, "extraPaths": [src.join("extras")] }),
    )
    .expect("inspected");
    assert_eq!(details["kind"], "Package");
    assert_eq!(details["productName"], "Fabrikam Viewer");
    assert_eq!(details["productVersion"], "3.2.1.0");
    assert_eq!(details["manufacturer"], "Fabrikam SARL");
    assert_eq!(details["productCode"], "{0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3C4D}");
    assert_eq!(details["platform"], "x86");
    let names: Vec<&str> = details["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["viewer.msi", "extras/lang/fr.mst", "extras/settings.ini"]);
    let msi_size = std::fs::metadata(&msi).expect("msi").len() as i64;
    assert_eq!(details["totalSize"], msi_size + 1000 + 4);

    let refused = |args: serde_json::Value| call(&site, "inspect_installer", args).expect_err("refused").message;
    assert!(refused(serde_json::json!({ "path": "viewer.msi" })).contains("must be given as an absolute path"));
    assert!(refused(serde_json::json!({ "path": src.join("missing.msi") }))
        .contains("does not exist on the site's machine"));
    std::fs::write(src.join("fake.msi"), "not an installer").expect("fake");
    assert_eq!(
        refused(serde_json::json!({ "path": src.join("fake.msi") })),
        "fake.msi is not a Windows Installer package (.msi): it is neither. Choose the installer itself, with the extension that says what it is."
    );
}
