//! Real WIM files built in the test with wimlib-imagex: every value read equals what
//! `wimlib-imagex info` prints, the packages read equal the manifests put in the tree, and
//! files that are not WIMs, damaged WIMs and relative paths are refused by name.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use wim::testing::{build_wim, printed, sample_manifests, two_image_wim, wimlib_info, ImageSpec, Manifest};
use wim::{upgrade_folder, WimError, Wimlib};

fn manifests() -> Vec<Manifest> {
    sample_manifests("Package_1_for_KB5054156", "26100.6717.1.4", "KB5054156")
}

fn wim_of(dir: &Path) -> std::path::PathBuf {
    two_image_wim(dir, manifests(), manifests()[..2].to_vec())
}

#[test]
fn every_value_read_equals_what_wimlib_prints() {
    let dir = tempfile::tempdir().unwrap();
    let wim = wim_of(dir.path());
    let info = Wimlib::default().info(&wim).expect("reads the WIM");
    assert_eq!(info.file_bytes, std::fs::metadata(&wim).unwrap().len());
    assert_eq!(info.images.iter().map(|i| i.index).collect::<Vec<_>>(), [1, 2]);
    for image in &info.images {
        let p = wimlib_info(&wim, image.index);
        assert_eq!(image.name, printed(&p, "Name"));
        assert_eq!(image.description, printed(&p, "Description"));
        assert_eq!(image.total_bytes.to_string(), printed(&p, "Total Bytes"));
        assert_eq!(image.flags.as_deref(), Some(printed(&p, "Flags").as_str()));
        assert_eq!(image.edition(), Some(printed(&p, "Edition ID").as_str()));
        assert_eq!(
            image.product_name.as_deref(),
            Some(printed(&p, "Product Name").as_str())
        );
        assert_eq!(
            image.build.map(|b| b.to_string()).as_deref(),
            Some(printed(&p, "Build").as_str())
        );
        assert_eq!(
            image.major.map(|b| b.to_string()).as_deref(),
            Some(printed(&p, "Major Version").as_str())
        );
        assert_eq!(
            image.minor.map(|b| b.to_string()).as_deref(),
            Some(printed(&p, "Minor Version").as_str())
        );
        assert_eq!(
            image.sp_build.map(|b| b.to_string()).as_deref(),
            Some(printed(&p, "Service Pack Build").as_str())
        );
        assert_eq!(
            image.languages,
            printed(&p, "Languages").split_whitespace().collect::<Vec<_>>()
        );
        assert_eq!(
            image.default_language.as_deref(),
            Some(printed(&p, "Default Language").as_str())
        );
        // wimlib names architectures its own way; the console uses Windows' names.
        let printed_arch = printed(&p, "Architecture");
        let arch = match printed_arch.as_str() {
            "x86_64" => "x64",
            "ARM64" => "ARM64",
            "x86" => "x86",
            other => other,
        };
        assert_eq!(image.architecture.map(|a| a.label()).as_deref(), Some(arch));
    }
    assert_eq!(info.images[0].version().as_deref(), Some("10.0.22631.2861"));
    assert_eq!(info.images[1].version().as_deref(), Some("10.0.26100.2861"));
    assert_eq!(info.images[1].architecture.map(|a| a.label()).as_deref(), Some("ARM64"));
}

#[test]
fn the_packages_read_equal_the_manifests_put_in_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let wim = wim_of(dir.path());
    let wimlib = Wimlib::default();
    for (index, expected) in [(1, manifests()), (2, manifests()[..2].to_vec())] {
        let read = wimlib.packages(&wim, index).expect("reads the manifests");
        let mut names: Vec<String> = expected.iter().map(|m| m.file_name.clone()).collect();
        names.sort();
        assert_eq!(read.iter().map(|m| m.file_name.clone()).collect::<Vec<_>>(), names);
        for m in &read {
            assert_eq!(
                format!("{}.mum", m.identity()),
                m.file_name,
                "identity of {}",
                m.file_name
            );
        }
    }
    let read = wimlib.packages(&wim, 1).unwrap();
    let kbs: Vec<Option<&str>> = read.iter().map(|m| m.kb.as_deref()).collect();
    assert_eq!(kbs, [None, Some("KB5054156"), Some("KB5017029"), Some("KB5026368")]);
    let rollup = read.iter().find(|m| m.name == "Package_for_RollupFix").unwrap();
    assert_eq!(
        (
            rollup.version.as_str(),
            rollup.architecture.as_str(),
            rollup.release_type.as_deref()
        ),
        ("22000.1936.1.9", "arm64", Some("Security Update"))
    );
}

#[test]
fn an_image_without_a_servicing_folder_holds_no_package() {
    let dir = tempfile::tempdir().unwrap();
    let wim = build_wim(dir.path(), "bare.wim", &[ImageSpec::windows("Bare", "Core", vec![])]);
    assert_eq!(Wimlib::default().packages(&wim, 1).unwrap(), vec![]);
}

#[test]
fn bad_files_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let wim = wim_of(dir.path());
    let bytes = std::fs::read(&wim).unwrap();
    let wimlib = Wimlib::default();

    let text = dir.path().join("notes.wim");
    std::fs::write(&text, "these are notes, not an image").unwrap();
    let e = wimlib.info(&text).unwrap_err();
    assert!(matches!(e, WimError::NotAWim { .. }), "{e}");
    assert!(e.to_string().contains("notes.wim"), "{e}");
    let empty = dir.path().join("empty.wim");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(wimlib.info(&empty), Err(WimError::NotAWim { .. })));

    let truncated = dir.path().join("truncated.wim");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let e = wimlib.info(&truncated).unwrap_err();
    assert!(matches!(e, WimError::Damaged { .. }), "{e}");
    assert!(e.to_string().contains("truncated.wim"), "{e}");

    // The header's size field (bytes 8..12) and its version (12..16), flipped.
    for at in [8, 12] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0xff;
        let path = dir.path().join(format!("flipped-{at}.wim"));
        std::fs::write(&path, &flipped).unwrap();
        let e = wimlib.info(&path).unwrap_err();
        assert!(matches!(e, WimError::Damaged { .. }), "byte {at}: {e}");
        assert!(e.to_string().contains(&format!("flipped-{at}.wim")), "{e}");
    }

    let e = wimlib.info(Path::new("images/install.wim")).unwrap_err();
    assert!(matches!(e, WimError::NotAbsolute { .. }), "{e}");
    assert!(e.to_string().contains("images/install.wim"), "{e}");
    let e = wimlib.info(&dir.path().join("absent.wim")).unwrap_err();
    assert!(matches!(e, WimError::Unreadable { .. }), "{e}");
    assert!(matches!(wimlib.info(dir.path()), Err(WimError::Unreadable { .. })));
}

#[test]
fn a_missing_wimlib_says_which_package_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let wim = build_wim(dir.path(), "one.wim", &[ImageSpec::windows("One", "Core", vec![])]);
    let e = Wimlib::new(dir.path().join("no-such-wimlib-imagex"))
        .info(&wim)
        .unwrap_err();
    assert!(matches!(e, WimError::ToolMissing { .. }), "{e}");
    assert!(e.to_string().contains("apt-get install wimtools"), "{e}");
}

#[test]
fn an_upgrade_folder_needs_setup_and_an_install_image() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("media");
    std::fs::create_dir_all(folder.join("sources")).unwrap();
    let e = upgrade_folder(&folder).unwrap_err();
    assert!(e.to_string().contains("setup.exe"), "{e}");
    std::fs::write(folder.join("Setup.EXE"), b"MZ").unwrap();
    let e = upgrade_folder(&folder).unwrap_err();
    assert!(e.to_string().contains("sources/install.wim"), "{e}");
    std::fs::write(folder.join("sources/install.esd"), b"MSWIM\0\0\0").unwrap();
    let found = upgrade_folder(&folder).unwrap();
    assert_eq!(found.install_image, folder.join("sources/install.esd"));
    assert_eq!(found.setup, folder.join("Setup.EXE"));
    std::fs::write(folder.join("sources/install.wim"), b"MSWIM\0\0\0").unwrap();
    assert_eq!(
        upgrade_folder(&folder).unwrap().install_image,
        folder.join("sources/install.wim")
    );
    assert!(matches!(
        upgrade_folder(Path::new("media")),
        Err(WimError::NotAbsolute { .. })
    ));
    assert!(upgrade_folder(&folder.join("setup.exe")).is_err());
}

#[test]
fn a_solid_esd_reads_as_its_wim_does() {
    let dir = tempfile::tempdir().unwrap();
    let wim = wim_of(dir.path());
    let esd = dir.path().join("install.esd");
    let out = std::process::Command::new("wimlib-imagex")
        .arg("export")
        .arg(&wim)
        .arg("all")
        .arg(&esd)
        .arg("--solid")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let wimlib = Wimlib::default();
    let (from_wim, from_esd) = (wimlib.info(&wim).unwrap(), wimlib.info(&esd).unwrap());
    assert_eq!(from_esd.images, from_wim.images);
    assert_eq!(wimlib.packages(&esd, 1).unwrap(), wimlib.packages(&wim, 1).unwrap());
}

#[test]
fn a_damaged_manifest_inside_the_image_names_the_image_and_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let broken = Manifest {
        file_name: "Package_for_KB5000001~31bf3856ad364e35~amd64~~1.0.0.0.mum".into(),
        xml: "<assembly><assemblyIdentity name=\"Package_for_KB5000001\"".into(),
    };
    let wim = build_wim(
        dir.path(),
        "broken.wim",
        &[ImageSpec::windows("Broken", "Core", vec![broken])],
    );
    let e = Wimlib::default().packages(&wim, 1).unwrap_err();
    assert!(matches!(e, WimError::Damaged { .. }), "{e}");
    let said = e.to_string();
    assert!(
        said.contains("broken.wim") && said.contains("Package_for_KB5000001~") && said.contains("image 1"),
        "{said}"
    );
}
