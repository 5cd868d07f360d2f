//! A real Windows Installer package built with msitools' wixl, for the tests of third-party
//! publishing (included by path from the site's and the server's tests).

// Each test file that includes it uses part of it.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the package says of itself.
pub struct Msi<'a> {
    pub file: &'a str,
    pub name: &'a str,
    pub version: &'a str,
    pub manufacturer: &'a str,
    pub product_code: &'a str,
    pub upgrade_code: &'a str,
    pub component_guid: &'a str,
}

/// Builds `msi.file` in `dir`, holding one readme.txt.
pub fn build_msi(dir: &Path, msi: &Msi) -> PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::write(dir.join("readme.txt"), "Lisez-moi\n").expect("readme");
    let Msi {
        file,
        name,
        version,
        manufacturer,
        product_code,
        upgrade_code,
        component_guid,
    } = msi;
    let wxs = include_str!("package.wxs")
        .replace("@PRODUCT_CODE@", product_code)
        .replace("@NAME@", name)
        .replace("@VERSION@", version)
        .replace("@MANUFACTURER@", manufacturer)
        .replace("@UPGRADE_CODE@", upgrade_code)
        .replace("@COMPONENT_GUID@", component_guid);
    let source = format!("{file}.wxs");
    std::fs::write(dir.join(&source), wxs).expect("wxs");
    let built = Command::new("wixl")
        .args([source.as_str(), "-o", file])
        .current_dir(dir)
        .output()
        .expect("wixl could not start: .ci/test-all.sh installs it");
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    dir.join(file)
}

/// Fabrikam Viewer 3.2.1.0, the package most tests publish.
pub const VIEWER: Msi<'static> = Msi {
    file: "viewer.msi",
    name: "Fabrikam Viewer",
    version: "3.2.1.0",
    manufacturer: "Fabrikam SARL",
    product_code: "{0D1B2C3A-4E5F-4A6B-8C7D-9E0F1A2B3C4D}",
    upgrade_code: "{1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D}",
    component_guid: "{2B3C4D5E-6F7A-4B8C-9D0E-1F2A3B4C5D6E}",
};
