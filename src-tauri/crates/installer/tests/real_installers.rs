//! Installers built here with the tools that build them for real (msitools' wixl for a
//! package, binutils' windres, as and ld for a program with a version resource), read back,
//! and compared with what msiinfo and windres read from the same files.

use std::path::{Path, PathBuf};

use installer::{read, read_bytes, InstallerError, Kind, Platform};

#[path = "support/exe.rs"]
mod exe;

use exe::{build_exe, run};

const PRODUCT_CODE: &str = "{6B3A1D42-8C1E-4F5B-9A77-2D4E51C0A9F3}";
const UPGRADE_CODE: &str = "{0F6C2B9E-7D41-4E8A-B3C5-91A2E4D7F608}";

fn build_msi(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("readme.txt"), "Lisez-moi\n").expect("write");
    let wxs = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="{PRODUCT_CODE}" Name="Contoso Reader" Language="1036" Version="24.3.1.0"
           Manufacturer="Contoso Ltd." UpgradeCode="{UPGRADE_CODE}">
    <Package InstallerVersion="200" Compressed="yes" Description="Contoso Reader 24.3" Comments="A PDF reader"/>
    <Media Id="1" Cabinet="app.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="Contoso">
          <Component Id="Main" Guid="{{A1E5C7D3-2B4F-4C6A-8E9D-0F1B3C5D7E92}}" Win64="yes">
            <File Id="readme" Source="readme.txt"/>
          </Component>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Complete" Level="1"><ComponentRef Id="Main"/></Feature>
  </Product>
</Wix>"#
    );
    std::fs::write(dir.join("reader.wxs"), wxs).expect("write");
    run(dir, "wixl", &["-a", "x64", "reader.wxs", "-o", "reader.msi"]);
    dir.join("reader.msi")
}

/// `Key<TAB>Value` lines of `msiinfo export`, or `Key: Value` lines of `msiinfo suminfo`.
fn field(text: &str, key: &str, sep: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}{sep}")))
        .unwrap_or_else(|| panic!("{key} in {text}"))
        .trim()
        .to_string()
}

#[test]
fn a_package_built_by_wixl_reads_as_msiinfo_reads_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let msi = build_msi(dir.path());
    let info = read(&msi).expect("a real package");
    let props = run(dir.path(), "msiinfo", &["export", "reader.msi", "Property"]);
    let summary = run(dir.path(), "msiinfo", &["suminfo", "reader.msi"]);

    assert_eq!(info.kind, Kind::Package);
    assert_eq!(
        info.product_name.as_deref(),
        Some(field(&props, "ProductName", "\t").as_str())
    );
    assert_eq!(
        info.product_version.as_deref(),
        Some(field(&props, "ProductVersion", "\t").as_str())
    );
    assert_eq!(
        info.manufacturer.as_deref(),
        Some(field(&props, "Manufacturer", "\t").as_str())
    );
    assert_eq!(
        info.product_code.as_deref(),
        Some(field(&props, "ProductCode", "\t").as_str())
    );
    assert_eq!(
        info.upgrade_code.as_deref(),
        Some(field(&props, "UpgradeCode", "\t").as_str())
    );
    assert_eq!(
        info.description.as_deref(),
        Some(field(&summary, "Subject", ": ").as_str())
    );
    let template = field(&summary, "Template", ": ");
    assert_eq!(template.split(';').next(), Some("x64"));
    assert_eq!(info.platform, Platform::X64);
    // The language it installs in first, then the template's.
    assert_eq!(info.languages.first(), Some(&1036));
    for lang in template.split(';').nth(1).unwrap_or_default().split(',') {
        assert!(
            info.languages.contains(&lang.parse().expect("a language id")),
            "{info:?}"
        );
    }
    // And what the source said, so a reader agreeing with msiinfo on nothing cannot pass.
    assert_eq!(info.product_name.as_deref(), Some("Contoso Reader"));
    assert_eq!(info.product_version.as_deref(), Some("24.3.1.0"));
    assert_eq!(info.product_code.as_deref(), Some(PRODUCT_CODE));
    assert_eq!(info.upgrade_code.as_deref(), Some(UPGRADE_CODE));
}

#[test]
fn a_program_linked_with_a_version_resource_reads_as_windres_reads_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exe = build_exe(dir.path());
    let info = read(&exe).expect("a real program");
    let rc = run(
        dir.path(),
        "x86_64-w64-mingw32-windres",
        &["-i", "setup.exe", "-O", "rc"],
    );
    let value = |key: &str| {
        let line = rc
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("VALUE \"{key}\"")))
            .unwrap_or_else(|| panic!("{key} in {rc}"));
        line.rsplit('"').nth(1).expect("a quoted value").to_string()
    };
    assert_eq!(info.kind, Kind::Executable);
    assert_eq!(info.product_name, Some(value("ProductName")));
    assert_eq!(info.manufacturer, Some(value("CompanyName")));
    assert_eq!(info.description, Some(value("FileDescription")));
    assert_eq!(info.product_version, Some(value("ProductVersion")));
    assert_eq!(info.platform, Platform::X64);
    assert_eq!(info.languages, [0x040c]);
    assert_eq!(info.product_name.as_deref(), Some("Fabrikam Viewer"));
    assert_eq!(info.product_code, None);
}

#[test]
fn damaged_and_mislabelled_installers_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let msi = std::fs::read(build_msi(dir.path())).expect("msi");
    let exe = std::fs::read(build_exe(dir.path())).expect("exe");

    let as_patch = read_bytes("reader.msp", &msi).expect_err("a package named .msp");
    assert_eq!(
        as_patch.to_string(),
        "reader.msp is not a Windows Installer patch (.msp): it is a Windows Installer package \
         (.msi). Choose the installer itself, with the extension that says what it is."
    );
    let exe_as_msi = read_bytes("setup.msi", &exe).expect_err("a program named .msi");
    assert!(
        matches!(exe_as_msi, InstallerError::NotWhatItSays { .. }),
        "{exe_as_msi}"
    );

    for cut in [msi.len() / 2, 600] {
        let e = read_bytes("reader.msi", &msi[..cut]).expect_err("a cut package");
        assert!(
            e.to_string()
                .starts_with("reader.msi is a damaged Windows Installer package (.msi): "),
            "{cut}: {e}"
        );
    }
    let e = read_bytes("setup.exe", &exe[..200]).expect_err("a cut program");
    assert!(
        e.to_string()
            .starts_with("setup.exe is a damaged Windows program (.exe): "),
        "{e}"
    );
    // Every single byte flipped in turn in the program's headers: an answer, never a panic.
    for i in 0..exe.len().min(1024) {
        let mut bad = exe.clone();
        bad[i] ^= 0xFF;
        let _ = read_bytes("setup.exe", &bad);
    }
    // And every 97th byte of the package.
    for i in (0..msi.len()).step_by(97) {
        let mut bad = msi.clone();
        bad[i] ^= 0xFF;
        let _ = read_bytes("reader.msi", &bad);
    }
}
