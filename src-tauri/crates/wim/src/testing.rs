//! Real WIM files for tests, built with `wimlib-imagex capture` from a Windows-like tree that
//! holds package manifests shaped like the real ones in `shared/fixtures/servicing/cbs`.
//! Test code: it panics when a tool fails.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The servicing fixtures (real CBS metadata).
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures/servicing/cbs")
}

/// A package manifest file: its name in `Windows\servicing\Packages` and its text.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub file_name: String,
    pub xml: String,
}

/// The package manifest of a real CBS update: the `assembly` element of its applicability
/// metadata (`cbs-rollupfix-core-reduced.xml`, `cbs-dotnet-core-reduced.xml`), under the
/// file name Windows gives it (its identity).
pub fn fixture_manifest(fixture: &str) -> Manifest {
    let path = fixtures_dir().join(fixture);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let start = text.find("<assembly ").expect("an assembly element");
    let end = text.find("</assembly>").expect("its end") + "</assembly>".len();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n{}",
        &text[start..end]
    );
    let m = crate::parse_manifest("fixture", xml.as_bytes()).expect("the fixture is a manifest");
    Manifest {
        file_name: format!("{}.mum", m.identity()),
        xml,
    }
}

/// A manifest of the same shape for another package (`identifier` is the `package`
/// element's, e.g. `KB5054156` or `Default`).
pub fn manifest(name: &str, version: &str, arch: &str, identifier: &str, release_type: &str) -> Manifest {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n<assembly xmlns=\"urn:schemas-microsoft-com:asm.v3\" \
         manifestVersion=\"1.0\" description=\"Fix for {identifier}\" displayName=\"default\" company=\"Microsoft Corporation\" \
         copyright=\"Microsoft Corporation\"><assemblyIdentity name=\"{name}\" version=\"{version}\" \
         processorArchitecture=\"{arch}\" language=\"neutral\" publicKeyToken=\"31bf3856ad364e35\" />\
         <package identifier=\"{identifier}\" releaseType=\"{release_type}\" restart=\"possible\"></package></assembly>"
    );
    Manifest {
        file_name: format!("{name}~31bf3856ad364e35~{arch}~~{version}.mum"),
        xml,
    }
}

/// One image to put in a WIM.
#[derive(Debug, Clone)]
pub struct ImageSpec {
    pub name: String,
    pub description: String,
    pub flags: String,
    /// `WINDOWS/*` properties set after capture, e.g. `("ARCH", "9")`, `("VERSION/BUILD", "22631")`,
    /// `("LANGUAGES/LANGUAGE[2]", "fr-FR")`.
    pub windows: Vec<(String, String)>,
    /// Put under `Windows/servicing/Packages`; none: the image has no such folder.
    pub manifests: Vec<Manifest>,
}

impl ImageSpec {
    /// A Windows 11 x64 image (build 22631.2861, en-US and fr-FR) holding `manifests`.
    pub fn windows(name: &str, edition: &str, manifests: Vec<Manifest>) -> Self {
        let windows = [
            ("ARCH", "9"),
            ("EDITIONID", edition),
            ("PRODUCTNAME", "Microsoft® Windows® Operating System"),
            ("VERSION/MAJOR", "10"),
            ("VERSION/MINOR", "0"),
            ("VERSION/BUILD", "22631"),
            ("VERSION/SPBUILD", "2861"),
            ("LANGUAGES/LANGUAGE", "en-US"),
            ("LANGUAGES/LANGUAGE[2]", "fr-FR"),
            ("LANGUAGES/DEFAULT", "en-US"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Self {
            name: name.into(),
            description: format!("{name} for tests"),
            flags: edition.into(),
            windows,
            manifests,
        }
    }
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (apt-get install wimtools)"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Builds `dir/<file>` holding one image per spec (capture, then append), each from its own
/// tree with a few system files and its manifests, and sets the `WINDOWS` properties.
pub fn build_wim(dir: &Path, file: &str, images: &[ImageSpec]) -> PathBuf {
    let wim = dir.join(file);
    for (i, spec) in images.iter().enumerate() {
        let tree = dir.join(format!("tree-{file}-{i}"));
        let system32 = tree.join("Windows/System32");
        std::fs::create_dir_all(&system32).unwrap();
        std::fs::write(
            system32.join("ntoskrnl.exe"),
            format!("kernel of {}", spec.name).repeat(200),
        )
        .unwrap();
        std::fs::write(tree.join("Windows/win.ini"), "; for 16-bit app support\r\n").unwrap();
        if !spec.manifests.is_empty() {
            let packages = tree.join("Windows/servicing/Packages");
            std::fs::create_dir_all(&packages).unwrap();
            for m in &spec.manifests {
                std::fs::write(packages.join(&m.file_name), &m.xml).unwrap();
            }
        }
        let verb = if i == 0 { "capture" } else { "append" };
        let mut cmd = Command::new("wimlib-imagex");
        cmd.arg(verb)
            .arg(&tree)
            .arg(&wim)
            .arg(&spec.name)
            .arg(&spec.description);
        if !spec.flags.is_empty() {
            cmd.arg(format!("--flags={}", spec.flags));
        }
        run(&mut cmd);
        std::fs::remove_dir_all(&tree).unwrap();
        if !spec.windows.is_empty() {
            let mut cmd = Command::new("wimlib-imagex");
            cmd.arg("info").arg(&wim).arg((i + 1).to_string());
            for (k, v) in &spec.windows {
                cmd.arg("--image-property").arg(format!("WINDOWS/{k}={v}"));
            }
            run(&mut cmd);
        }
    }
    wim
}

/// What `wimlib-imagex info <wim> <index>` prints, as `(label, value)` pairs in order.
pub fn wimlib_info(wim: &Path, index: u32) -> Vec<(String, String)> {
    let out = Command::new("wimlib-imagex")
        .arg("info")
        .arg(wim)
        .arg(index.to_string())
        .output()
        .expect("wimlib-imagex runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// `dir/install.wim` with two images: Windows 11 Pro (x64, 10.0.22631.2861) holding `first`
/// and Windows 11 Enterprise (ARM64, 10.0.26100.2861) holding `second`.
pub fn two_image_wim(dir: &Path, first: Vec<Manifest>, second: Vec<Manifest>) -> PathBuf {
    let mut enterprise = ImageSpec::windows("Windows 11 Enterprise", "Enterprise", second);
    for (k, v) in &mut enterprise.windows {
        match k.as_str() {
            "ARCH" => *v = "12".into(),
            "VERSION/BUILD" => *v = "26100".into(),
            _ => {}
        }
    }
    build_wim(
        dir,
        "install.wim",
        &[ImageSpec::windows("Windows 11 Pro", "Professional", first), enterprise],
    )
}

/// The value `wimlib-imagex info` prints for `label`.
pub fn printed(info: &[(String, String)], label: &str) -> String {
    info.iter()
        .find(|(k, _)| k == label)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("wimlib-imagex info prints no {label}: {info:?}"))
}

/// Four manifests of the shapes an image holds: the two real CBS packages of the fixtures
/// (KB5026368 and KB5017029), `name` `version` for update `kb` (e.g. `KB5054156`), and a
/// foundation package that belongs to no update.
pub fn sample_manifests(name: &str, version: &str, kb: &str) -> Vec<Manifest> {
    vec![
        fixture_manifest("cbs-rollupfix-core-reduced.xml"),
        fixture_manifest("cbs-dotnet-core-reduced.xml"),
        manifest(name, version, "amd64", kb, "Update"),
        manifest(
            "Microsoft-Windows-Foundation-Package",
            "10.0.22621.1",
            "amd64",
            "Foundation",
            "Foundation",
        ),
    ]
}
