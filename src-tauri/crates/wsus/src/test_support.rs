//! Test helpers: where the shared fixtures live and how to read them.

use std::path::{Path, PathBuf};

/// `shared/fixtures` beside the repository root.
pub(crate) fn fixtures() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures");
    assert!(
        dir.join("README.md").is_file(),
        "fixtures not found at {}: the `shared` folder must sit beside the repository root",
        dir.display()
    );
    dir
}

/// The update documents of `wsusss/updates`, sorted by name.
pub(crate) fn update_files() -> Vec<PathBuf> {
    let dir = fixtures().join("wsusss/updates");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    files
}

pub(crate) fn fixture_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
