//! The installer configuration (tauri.conf.json's `bundle`), checked without building a
//! release: it is read with the config types tauri's bundler reads (unknown keys refused, as
//! `tauri build` refuses them), and what each installer needs is present: the targets, the
//! Windows icon and WebView2 bootstrapper, the MSI upgrade code, the .deb's recommendations.
//! Making the packages themselves is `benches/bundle.sh` (not run in CI).

use std::path::{Path, PathBuf};

use serde_json::Value;
use tauri_utils::config::{BundleType, Config, NSISInstallerMode, WebviewInstallMode};

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn raw() -> Value {
    let text = std::fs::read_to_string(here().join("tauri.conf.json")).expect("tauri.conf.json is readable");
    serde_json::from_str(&text).expect("tauri.conf.json is JSON")
}

fn config(value: Value) -> Result<Config, serde_json::Error> {
    serde_json::from_value(value)
}

#[test]
fn the_config_reads_as_tauri_reads_it_and_a_misspelt_key_is_refused() {
    config(raw()).expect("tauri.conf.json is a valid Tauri v2 config");

    let mut wrong = raw();
    wrong["bundle"]["linux"]["deb"]["depend"] = Value::from(vec!["libwebkit2gtk-4.1-0"]);
    let refusal = config(wrong).expect_err("an unknown key is refused").to_string();
    assert!(refusal.contains("depend"), "{refusal}");
}

#[test]
fn windows_installers_and_a_debian_package_are_configured() {
    let c = config(raw()).expect("valid config");
    let b = &c.bundle;
    assert!(b.active);
    for kind in [BundleType::Nsis, BundleType::Msi, BundleType::Deb] {
        assert!(b.targets.to_vec().contains(&kind), "{kind:?} is a target");
    }
    assert_eq!(c.identifier, "org.patchdeck.console");
    assert!(
        b.publisher.as_deref().is_some_and(|p| !p.is_empty()),
        "a publisher for Add/Remove Programs"
    );
    assert_eq!(b.license.as_deref(), Some("Apache-2.0"));

    // WebView2: installers bring Microsoft's bootstrapper, so a machine without it still starts the app.
    assert!(
        matches!(
            b.windows.webview_install_mode,
            WebviewInstallMode::EmbedBootstrapper { .. }
        ),
        "{:?}",
        b.windows.webview_install_mode
    );
    let nsis = b.windows.nsis.as_ref().expect("NSIS settings");
    assert!(matches!(nsis.install_mode, NSISInstallerMode::PerMachine));
    // The MSI upgrade code never changes, or a new version installs beside the old one.
    let wix = b.windows.wix.as_ref().expect("WiX settings");
    assert_eq!(
        wix.upgrade_code.map(|u| u.to_string()).as_deref(),
        Some("1cd02d99-414a-4308-837f-310a71c094fe")
    );

    // The .deb: tauri's bundler itself makes it depend on libwebkit2gtk-4.1-0 and libgtk-3-0
    // (the runtime tauri 2 links; `benches/bundle.sh` prints the package's Depends), so the
    // config does not list them again (they would appear twice); the tools the site runs for
    // OS images and third-party publishing are recommended.
    let deb = &b.linux.deb;
    let depends = deb.depends.clone().unwrap_or_default();
    assert!(
        !depends
            .iter()
            .any(|d| d.starts_with("libwebkit2gtk") || d.starts_with("libgtk-3")),
        "{depends:?}"
    );
    let recommends = deb.recommends.clone().unwrap_or_default();
    assert_eq!(recommends, ["wimtools", "osslsigncode"]);
}

/// The first bytes of a PNG and of an ICO.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
const ICO: &[u8] = &[0, 0, 1, 0];

fn starts_with(path: &Path, magic: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.starts_with(magic))
}

#[test]
fn every_icon_named_exists_and_windows_has_an_ico() {
    let c = config(raw()).expect("valid config");
    let icons = &c.bundle.icon;
    for icon in icons {
        let path = here().join(icon);
        let magic = if icon.ends_with(".ico") { ICO } else { PNG };
        assert!(
            starts_with(&path, magic),
            "{} is missing or not what its name says",
            path.display()
        );
    }
    assert!(icons.iter().any(|i| i.ends_with(".ico")), "NSIS and MSI need an .ico");
    let installer_icon = c
        .bundle
        .windows
        .nsis
        .as_ref()
        .and_then(|n| n.installer_icon.clone())
        .expect("installer icon");
    assert!(starts_with(&here().join(installer_icon), ICO));
}
