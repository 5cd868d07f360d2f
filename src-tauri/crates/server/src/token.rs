//! The API token: every HTTP request that reaches the site API must carry it.

use std::path::{Path, PathBuf};

use rand::RngCore;

pub const TOKEN_FILE: &str = "api-token";

/// `PATCHDECK_TOKEN` if set, else the token stored in the site folder, else a new random
/// one written there (owner-only permissions).
pub fn load_or_create(site_folder: &Path) -> anyhow::Result<String> {
    if let Ok(t) = std::env::var("PATCHDECK_TOKEN") {
        let t = t.trim().to_string();
        anyhow::ensure!(t.len() >= 16, "PATCHDECK_TOKEN must be at least 16 characters long.");
        return Ok(t);
    }
    let path = token_path(site_folder);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let t = existing.trim().to_string();
        if t.len() >= 16 {
            return Ok(t);
        }
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&path, &token)?;
    Ok(token)
}

pub fn token_path(site_folder: &Path) -> PathBuf {
    site_folder.join(TOKEN_FILE)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text)?;
    Ok(())
}

/// Compares without stopping at the first differing byte, so timing tells nothing.
pub fn matches(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
