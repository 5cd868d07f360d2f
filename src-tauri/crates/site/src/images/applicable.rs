//! Choose updates of the Schedule Updates wizard (SRV-1, SRV-2): the catalog updates that
//! apply to an image (its product, architecture and build) and are not in it yet, and
//! whether each one's files are in the content library.
//!
//! The catalog says what an update is for in its product category and title ("… for
//! Windows 11 Version 23H2 for x64-based Systems"); the image says what it is in its
//! indexes (build, architecture, edition). Both are matched here and nowhere else.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rusqlite::{params, Connection};

use crate::wire::{ApiError, ApplicableUpdate, ErrorCode, OsImageIndex, ServicingArchitecture};

/// Classifications offline servicing applies (drivers, definitions, upgrades and tools are
/// not installed into an image by DISM's Add-Package).
const SERVICEABLE: &[&str] = &[
    "Security Updates",
    "Critical Updates",
    "Updates",
    "Update Rollups",
    "Service Packs",
];

/// The architecture an update's title names, in the image's words (x64, x86, ARM64);
/// empty when it names none.
pub(super) fn architecture_of(title: &str) -> &'static str {
    if title.contains("ARM64") {
        "ARM64"
    } else if title.contains("x64") {
        "x64"
    } else if title.contains("x86") {
        "x86"
    } else {
        ""
    }
}

fn build_of(version: &str) -> u32 {
    version.split('.').nth(2).and_then(|b| b.parse().ok()).unwrap_or(0)
}

/// The product category an image's updates are filed under.
fn product_of(index: &OsImageIndex) -> &'static str {
    let build = build_of(&index.version);
    if index.edition.contains("Server") {
        "Server"
    } else if build >= 22000 {
        "Windows 11"
    } else if build >= 10240 {
        "Windows 10"
    } else {
        "Windows"
    }
}

/// The feature-update name of a build, as titles write it ("Version 23H2").
fn release_of(build: u32) -> Option<&'static str> {
    Some(match build {
        19044 | 22000 => "21H2",
        19045 | 22621 => "22H2",
        22631 => "23H2",
        26100 => "24H2",
        26200 => "25H2",
        _ => return None,
    })
}

/// Whether a title that names a release ("Version 23H2") names this build's.
fn same_release(title: &str, build: u32) -> bool {
    let Some(at) = title.find("Version ") else {
        return true;
    };
    let named: String = title[at + 8..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    match release_of(build) {
        Some(release) => named == release,
        None => true,
    }
}

/// Whether `update` (title, products) applies to one of `indexes`.
pub(super) fn applies(indexes: &[OsImageIndex], title: &str, products: &str) -> bool {
    let arch = architecture_of(title);
    indexes.iter().any(|i| {
        (arch.is_empty() || arch == i.architecture)
            && products.contains(product_of(i))
            && same_release(title, build_of(&i.version))
    })
}

/// The KB numbers an image holds already (any index).
fn present(c: &Connection, image: i64) -> Result<BTreeSet<String>, ApiError> {
    let mut stmt =
        c.prepare_cached("SELECT DISTINCT kb FROM os_image_packages WHERE image_id = ?1 AND kb IS NOT NULL")?;
    let kbs = stmt
        .query_map([image], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<BTreeSet<_>>>()?;
    Ok(kbs)
}

/// Updates that apply to the image, are not in it and pass the wizard's filters.
pub(super) fn list(
    c: &Connection,
    image: i64,
    indexes: &[OsImageIndex],
    text: &str,
    architecture: ServicingArchitecture,
    library: &std::path::Path,
) -> Result<Vec<ApplicableUpdate>, ApiError> {
    let have = present(c, image)?;
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let mut stmt = c.prepare_cached(
        "SELECT upd_pk, update_id, title, kb_article_id, classification, products, creation_date, size,
                coalesce(description, '')
         FROM updates
         WHERE update_type = 'Software' AND declined = 0 AND listed = 1 AND kb_article_id != ''
           AND classification IN (?1, ?2, ?3, ?4, ?5)
         ORDER BY creation_date DESC, title",
    )?;
    let rows = stmt.query_map(
        params![
            SERVICEABLE[0],
            SERVICEABLE[1],
            SERVICEABLE[2],
            SERVICEABLE[3],
            SERVICEABLE[4]
        ],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                ApplicableUpdate {
                    update_id: r.get(1)?,
                    title: r.get(2)?,
                    kb: format!("KB{}", r.get::<_, String>(3)?),
                    classification: r.get(4)?,
                    architecture: String::new(),
                    creation_date: r.get(6)?,
                    size: r.get(7)?,
                    downloaded: false,
                },
                r.get::<_, String>(5)?,
                r.get::<_, String>(8)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (pk, mut u, products, description) = row?;
        if have.contains(&u.kb) || !applies(indexes, &u.title, &products) {
            continue;
        }
        u.architecture = architecture_of(&u.title).to_string();
        let wanted = match architecture {
            ServicingArchitecture::All => true,
            ServicingArchitecture::X86 => u.architecture == "x86",
            ServicingArchitecture::X64 => u.architecture == "x64",
        };
        let haystack = format!("{} {} {}", u.title, u.kb, description).to_lowercase();
        if !wanted || !words.iter().all(|w| haystack.contains(w.as_str())) {
            continue;
        }
        u.downloaded = files(c, pk, library)?.iter().all(|f| f.path.is_some());
        out.push(u);
    }
    Ok(out)
}

/// One file of an update and where the library holds it.
pub(super) struct UpdateFile {
    pub file_name: String,
    pub path: Option<PathBuf>,
}

/// The installable files of an update (its own and its bundle members'), each with its
/// place in the library when it has been downloaded.
pub(super) fn files(c: &Connection, upd_pk: i64, library: &std::path::Path) -> Result<Vec<UpdateFile>, ApiError> {
    let mut stmt = c.prepare_cached(
        "SELECT f.file_name, c.path FROM files f LEFT JOIN content c ON c.sha1 = f.sha1
         WHERE f.upd_pk = ?1
            OR f.upd_pk IN (SELECT m.upd_pk FROM bundle_members b JOIN updates m ON m.update_id = b.member_id
                            WHERE b.bundle_pk = ?1)
         ORDER BY f.file_name",
    )?;
    let rows = stmt
        .query_map([upd_pk], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(file_name, rel)| UpdateFile {
            path: rel.map(|p| library.join(p)).filter(|p| p.is_file()),
            file_name,
        })
        .collect())
}

/// The catalog row of an update chosen in the wizard.
pub(super) struct Chosen {
    pub upd_pk: i64,
    pub update_id: String,
    pub title: String,
    pub kb: String,
    pub products: String,
}

pub(super) fn chosen(c: &Connection, update_id: &str) -> Result<Chosen, ApiError> {
    use rusqlite::OptionalExtension;
    c.query_row(
        "SELECT upd_pk, update_id, title, kb_article_id, products FROM updates WHERE update_id = ?1",
        [update_id],
        |r| {
            Ok(Chosen {
                upd_pk: r.get(0)?,
                update_id: r.get(1)?,
                title: r.get(2)?,
                kb: r
                    .get::<_, String>(3)
                    .map(|k| if k.is_empty() { k } else { format!("KB{k}") })?,
                products: r.get(4)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("The catalog holds no update {update_id}; synchronize, then choose again."),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(arch: &str, version: &str, edition: &str) -> OsImageIndex {
        OsImageIndex {
            index: 1,
            name: String::new(),
            description: String::new(),
            edition: edition.into(),
            architecture: arch.into(),
            version: version.into(),
            languages: Vec::new(),
            default_language: String::new(),
            total_bytes: 0,
        }
    }

    #[test]
    fn product_architecture_and_release_must_all_match() {
        let i = [index("x64", "10.0.22631.2861", "Professional")];
        let t = "2026-05 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5058405)";
        assert!(applies(&i, t, "Windows 11"));
        assert!(!applies(&i, &t.replace("x64", "ARM64"), "Windows 11"));
        assert!(!applies(&i, &t.replace("23H2", "24H2"), "Windows 11"));
        assert!(!applies(&i, t, "Windows 10, version 1903 and later"));
        assert!(!applies(
            &[index("x64", "10.0.20348.1", "ServerStandard")],
            t,
            "Windows 11"
        ));
    }
}
