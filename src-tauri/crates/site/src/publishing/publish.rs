//! Publishing a third-party update (issue 16, points 3 to 5): the wizard's pages checked
//! again, the storage quota and the disk's free space checked before any byte is stored,
//! the installer and its files packed into a cabinet signed with the publishing
//! certificate, the cabinet stored in the content library, and the update's documents
//! (vendor, product, update) imported through the normal catalog path, all in one
//! transaction with the update's own row and the audit. A failure leaves no file and no row.
//!
//! Edit publishes a new revision of the same update; delete removes the update, its
//! revisions and its content, refused while an approval or deployment names it. Only
//! updates published here have a `third_party_updates` row: Microsoft's refuse both.

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension, Transaction};
use sha1::Digest;

use super::certificate::{certificate, PublishingCertificate};
use super::{cabinet, kept, os_rules, spec, upload, PublishError};
use crate::catalog::import::{import_documents_then, Document};
use crate::content::{self, library_root, site_folder};
use crate::handle::{Actor, Site};
use crate::wire::{
    ApiError, Architecture, EditThirdPartyArgs, ErrorCode, ImportCertificateArgs, InspectInstallerArgs, NoArgs,
    PrerequisiteKind, PublishingCertificateExport, PublishingSettings, PublishingStorage, ReturnCodeResult, RuleKind,
    RuleSpec, ThirdPartyIdArgs, ThirdPartySpec, ThirdPartyUpdate, UploadPage,
};
use crate::{audit, clock};
use wsus::publishing::{
    CategoryPublication, InstallResult, Installer, Publication, PublishedCategory, PublishedFile, RebootBehavior,
    ReturnCode, Rule,
};
use wsus::RevisionId;

const SETTINGS_KEY: &str = "publishing_settings";
const PUBLISHER_KEY: &str = "publisher_id";
/// Third-party storage when the administrator has not chosen: 20 GB.
const DEFAULT_QUOTA_MB: i64 = 20 * 1024;
const MB: i64 = 1024 * 1024;
/// Where cabinets are packed and signed, inside the site folder (the same disk as the
/// library, so the signed cabinet is renamed into it, never copied).
const STAGING: &str = "publishing/staging";

impl From<PublishError> for ApiError {
    fn from(e: PublishError) -> Self {
        let code = match e {
            PublishError::ToolMissing { .. } => ErrorCode::Unavailable,
            _ => ErrorCode::Internal,
        };
        ApiError::new(code, e.to_string())
    }
}

// ---- settings -------------------------------------------------------------------------

pub fn load_settings(c: &rusqlite::Connection) -> Result<PublishingSettings, ApiError> {
    Ok(
        crate::store::meta::get_json(c, SETTINGS_KEY)?.unwrap_or(PublishingSettings {
            storage_quota_mb: DEFAULT_QUOTA_MB,
        }),
    )
}

pub fn get_storage(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<PublishingStorage, ApiError> {
    let c = site.store().reader();
    Ok(PublishingStorage {
        settings: load_settings(&c)?,
        used_bytes: used_bytes(&c, None)?,
        free_bytes: free_bytes(&site_folder(site)),
    })
}

pub fn set_settings(site: &Site, actor: &Actor, s: PublishingSettings) -> Result<PublishingSettings, ApiError> {
    if !(1..=100 * 1024 * 1024).contains(&s.storage_quota_mb) {
        return Err(ApiError::new(
            ErrorCode::Validation,
            format!(
                "The third-party storage quota must be between 1 MB and 100 TB: {} MB is not.",
                s.storage_quota_mb
            ),
        ));
    }
    let mut c = site.store().writer();
    let tx = c.transaction()?;
    let text = crate::store::meta::put_json(&tx, SETTINGS_KEY, &s)?;
    audit::record(&tx, actor, "publishing.settings", "Third-party Updates", &text)?;
    tx.commit()?;
    Ok(s)
}

/// Bytes of third-party content stored, without one update's (the one being edited).
fn used_bytes(c: &rusqlite::Connection, except: Option<&str>) -> rusqlite::Result<i64> {
    c.query_row(
        "SELECT coalesce(sum(cab_size), 0) FROM third_party_updates WHERE update_id IS NOT ?1",
        [except],
        |r| r.get(0),
    )
}

/// Free space of the disk holding `folder`, when the platform says.
pub(crate) fn free_bytes(folder: &Path) -> Option<i64> {
    #[cfg(unix)]
    {
        let mut at = folder;
        while !at.exists() {
            at = at.parent()?;
        }
        let s = rustix::fs::statvfs(at).ok()?;
        i64::try_from(s.f_bavail.saturating_mul(s.f_frsize)).ok()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        None
    }
}

fn mb(bytes: i64) -> String {
    let v = bytes as f64 / MB as f64;
    if v < 10.0 {
        format!("{v:.2} MB")
    } else {
        format!("{v:.0} MB")
    }
}

// ---- the certificate --------------------------------------------------------------------

pub(crate) fn site_certificate(site: &Site) -> Result<PublishingCertificate, PublishError> {
    certificate(&site_folder(site), site.name())
}

pub fn export_certificate(site: &Site, actor: &Actor, _args: NoArgs) -> Result<PublishingCertificateExport, ApiError> {
    let existed = site_folder(site).join("publishing/certificate.pem").is_file();
    let cert = site_certificate(site)?;
    if !existed {
        let c = site.store().writer();
        audit::record(
            &c,
            actor,
            "publishing.certificate",
            "Third-party Updates",
            "made the site's publishing certificate",
        )?;
    }
    use base64::Engine;
    Ok(PublishingCertificateExport {
        subject: format!("Patchdeck publisher ({})", site.name()),
        cer_base64: base64::engine::general_purpose::STANDARD.encode(cert.to_cer()?),
        pem: cert.cert_pem,
    })
}

/// Makes an imported .pfx (base64, with its password) the site's publishing certificate;
/// audited. What was published before stays signed by the certificate it was signed with.
pub fn import_certificate(
    site: &Site,
    actor: &Actor,
    args: ImportCertificateArgs,
) -> Result<PublishingCertificateExport, ApiError> {
    use base64::Engine;
    let file = if args.file_name.trim().is_empty() {
        "The file".to_string()
    } else {
        args.file_name.trim().to_string()
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(args.pfx_base64.trim())
        .map_err(|_| {
            ApiError::new(
                ErrorCode::Validation,
                format!("{file} did not arrive whole (not base64): choose it again."),
            )
        })?;
    let (cert, subject) =
        super::certificate::import_pfx(&site_folder(site), &file, &bytes, &args.password).map_err(|e| match e {
            super::certificate::PfxError::Store(inner) => ApiError::from(inner),
            refused => ApiError::new(ErrorCode::Validation, refused.to_string()),
        })?;
    let c = site.store().writer();
    audit::record(
        &c,
        actor,
        "publishing.certificate.import",
        "Third-party Updates",
        &format!("imported {file}: {subject}"),
    )?;
    Ok(PublishingCertificateExport {
        subject,
        cer_base64: base64::engine::general_purpose::STANDARD.encode(cert.to_cer()?),
        pem: cert.cert_pem,
    })
}

// ---- listing ----------------------------------------------------------------------------

pub fn list(site: &Site, _actor: &Actor, _args: NoArgs) -> Result<Vec<ThirdPartyUpdate>, ApiError> {
    let c = site.store().reader();
    let mut stmt = c.prepare(
        "SELECT t.update_id, t.revision, t.title, t.vendor, t.product, coalesce(u.classification, ''),
                t.installer_kind, t.installer_file, t.cab_size, t.published_utc, t.published_by, t.spec,
                (SELECT count(*) FROM assignments a WHERE a.upd_pk = u.upd_pk
                    OR a.update_group_id IN (SELECT group_id FROM update_group_members m WHERE m.upd_pk = u.upd_pk))
         FROM third_party_updates t LEFT JOIN updates u ON u.update_id = t.update_id
         ORDER BY t.title COLLATE NOCASE, t.update_id",
    )?;
    let rows = stmt.query_map([], |r| {
        let spec: String = r.get(11)?;
        Ok(ThirdPartyUpdate {
            update_id: r.get(0)?,
            revision: r.get(1)?,
            title: r.get(2)?,
            vendor: r.get(3)?,
            product: r.get(4)?,
            classification: r.get(5)?,
            installer_kind: r.get(6)?,
            installer_file: r.get(7)?,
            size: r.get(8)?,
            published_utc: r.get(9)?,
            published_by: r.get(10)?,
            assignments: r.get(12)?,
            // Written by this module from the same type: a row that no longer reads shows
            // empty pages in Edit rather than hiding the update.
            spec: serde_json::from_str(&spec).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn one(site: &Site, update_id: &str) -> Result<ThirdPartyUpdate, ApiError> {
    let all = list(site, &Actor::new("site"), NoArgs {})?;
    all.into_iter()
        .find(|u| u.update_id.eq_ignore_ascii_case(update_id))
        .ok_or_else(|| ApiError::internal(format!("the published update {update_id} has no row")))
}

/// The third-party row of `update_id`, or the refusal naming why it cannot be changed.
fn published_row(site: &Site, update_id: &str, doing: &str) -> Result<(String, i64, String), ApiError> {
    let c = site.store().reader();
    let row: Option<(String, i64, String)> = c
        .query_row(
            "SELECT update_id, revision, cab_sha1 FROM third_party_updates WHERE update_id = ?1 COLLATE NOCASE",
            [update_id.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some(row) = row {
        return Ok(row);
    }
    let title: Option<String> = c
        .query_row(
            "SELECT title FROM updates WHERE update_id = ?1 COLLATE NOCASE",
            [update_id.trim()],
            |r| r.get(0),
        )
        .optional()?;
    Err(match title {
        Some(title) => ApiError::new(
            ErrorCode::Validation,
            format!(
                "'{title}' was not published at this site (a Microsoft update, or one synchronized from the upstream): it cannot be {doing}. Only third-party updates published at this site can be edited or deleted; decline it instead."
            ),
        ),
        None => ApiError::new(
            ErrorCode::NotFound,
            format!("There is no third-party update {update_id} at this site."),
        ),
    })
}

// ---- publish and edit -------------------------------------------------------------------

pub fn publish(site: &Site, actor: &Actor, spec: ThirdPartySpec) -> Result<ThirdPartyUpdate, ApiError> {
    let id = RevisionId {
        update_id: new_uuid(),
        revision: 1,
    };
    publish_revision(site, actor, spec, id, None, None)
}

pub fn edit(site: &Site, actor: &Actor, args: EditThirdPartyArgs) -> Result<ThirdPartyUpdate, ApiError> {
    let (update_id, revision, old_cab) = published_row(site, &args.update_id, "edited")?;
    let mut spec = args.spec;
    // The stored values keep the files as they were chosen; only this publication reads
    // them from the unpacked cabinet.
    let mut stored_files = None;
    let kept = if args.keep_files {
        let (installer_file, chosen) = current_files(site, &update_id)?;
        let kept = kept::unpack(site, &update_id, &old_cab, &installer_file)?;
        stored_files = Some(chosen);
        spec.files = kept.files.clone();
        Some(kept)
    } else {
        None
    };
    // The next revision after any the catalog holds (a child's import never goes back).
    let newest: i64 = site.store().reader().query_row(
        "SELECT coalesce(max(revision), 0) FROM revisions WHERE update_id = ?1",
        [&update_id],
        |r| r.get(0),
    )?;
    let id = RevisionId {
        update_id,
        revision: revision.max(newest) + 1,
    };
    let published = publish_revision(site, actor, spec, id, Some(old_cab), stored_files);
    drop(kept);
    published
}

/// The installer's name in the current cabinet and the files as the wizard chose them.
fn current_files(site: &Site, update_id: &str) -> Result<(String, InspectInstallerArgs), ApiError> {
    let (installer_file, spec): (String, String) = site.store().reader().query_row(
        "SELECT installer_file, spec FROM third_party_updates WHERE update_id = ?1",
        [update_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let chosen = serde_json::from_str::<ThirdPartySpec>(&spec)
        .map(|s| s.files)
        .unwrap_or_default();
    Ok((installer_file, chosen))
}

/// Room for `total` bytes of third-party content: the quota (less what is stored, without
/// the update being edited), then the disk holding the site folder, which must hold
/// `copies` times the files for a moment (the unsigned and the signed cabinet while
/// publishing). Refused with both sizes, before any byte is stored.
pub(crate) fn check_room(site: &Site, except: Option<&str>, total: i64, copies: i64) -> Result<(), ApiError> {
    {
        let c = site.store().reader();
        let settings = load_settings(&c)?;
        let used = used_bytes(&c, except)?;
        let quota = settings.storage_quota_mb.saturating_mul(MB);
        if used.saturating_add(total) > quota {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!(
                    "The update needs {} of third-party storage but only {} is left ({} quota, {} used). Nothing was stored: raise the third-party storage quota or delete third-party updates, then publish again.",
                    mb(total),
                    mb((quota - used).max(0)),
                    mb(quota),
                    mb(used)
                ),
            ));
        }
    }
    check_free_disk(site, "The update", total.saturating_mul(copies), "publish again")
}

/// Room for `needed` bytes on the disk holding the site folder, refused with both sizes
/// before any byte is stored. `what` names what needs it, `then` what to do after freeing space.
pub(crate) fn check_free_disk(site: &Site, what: &str, needed: i64, then: &str) -> Result<(), ApiError> {
    if let Some(free) = free_bytes(&site_folder(site)) {
        if needed > free {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!(
                    "{what} needs {} of free disk space but the disk holding the site folder has {} free. Nothing was stored: free some space, then {then}.",
                    mb(needed),
                    mb(free)
                ),
            ));
        }
    }
    Ok(())
}

/// The staging folder of one publication, removed with everything in it when dropped.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A cabinet renamed into the library by this publication: removed again unless the
/// publication commits.
struct Stored {
    path: PathBuf,
    keep: bool,
}

impl Drop for Stored {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn publish_revision(
    site: &Site,
    actor: &Actor,
    spec: ThirdPartySpec,
    id: RevisionId,
    replaces_cab: Option<String>,
    stored_files: Option<InspectInstallerArgs>,
) -> Result<ThirdPartyUpdate, ApiError> {
    let issues = spec::check(site, UploadPage::Summary, &spec)?;
    if !issues.is_empty() {
        return Err(spec::refusal(&issues));
    }
    let gathered = upload::gather(&spec.files)?;
    let info = &gathered.info;
    let total = gathered.total_size();

    check_room(site, Some(&id.update_id), total, 2)?;
    let folder = site_folder(site);

    // Pack and sign in a staging folder of the site folder.
    let cert = site_certificate(site)?;
    let staging = Staging(folder.join(STAGING).join(&id.update_id));
    let _ = std::fs::remove_dir_all(&staging.0);
    std::fs::create_dir_all(&staging.0).map_err(PublishError::io("creating", &staging.0))?;
    let unsigned = staging.0.join("content.cab");
    let signed = staging.0.join("signed.cab");
    let sources: Vec<(String, &Path)> = gathered
        .files
        .iter()
        .map(|f| (f.name.replace('/', "\\"), f.path.as_path()))
        .collect();
    cabinet::pack(&sources, &unsigned)?;
    let title = spec.description.title.trim().to_string();
    cabinet::sign(&cert, &title, &unsigned, &signed)?;
    cabinet::verify(&cert, &signed)?;
    let (sha1, sha256) = content::digests_of(&signed).map_err(PublishError::io("reading", &signed))?;
    let cab_size = std::fs::metadata(&signed)
        .map_err(PublishError::io("reading", &signed))?
        .len();
    let cab_name = format!("{}.cab", id.update_id);
    let relative = content::relative_path(&sha1, &cab_name)
        .ok_or_else(|| ApiError::internal("the cabinet's digest gave no library path"))?;
    let destination = library_root(site).join(&relative);
    let mut stored = None;
    if !destination.is_file() {
        if let Some(parent) = destination.parent() {
            std::fs::create_dir_all(parent).map_err(PublishError::io("creating", parent))?;
        }
        std::fs::rename(&signed, &destination).map_err(PublishError::io("storing", &destination))?;
        stored = Some(Stored {
            path: destination.clone(),
            keep: false,
        });
    }

    // The documents.
    let now = clock::now_utc();
    let publisher_id = publisher_id(site)?;
    let vendor = spec.description.vendor.trim().to_string();
    let product = spec.description.product.trim().to_string();
    let vendor_id = name_uuid(&format!("vendor:{}", vendor.to_lowercase()));
    let product_id = name_uuid(&format!("product:{}:{}", vendor.to_lowercase(), product.to_lowercase()));
    let category = |uuid: &str, title: &str, kind, parent: Option<String>| CategoryPublication {
        id: RevisionId {
            update_id: uuid.into(),
            revision: 1,
        },
        publisher_id: publisher_id.clone(),
        creation_date: now.clone(),
        title: title.into(),
        description: String::new(),
        kind,
        parent,
    };
    let vendor_doc = category(&vendor_id, &vendor, PublishedCategory::Company, None);
    let product_doc = category(
        &product_id,
        &product,
        PublishedCategory::Product,
        Some(vendor_id.clone()),
    );
    let installer_file = gathered.files.first().map(|f| f.name.clone()).unwrap_or_default();
    let publication = Publication {
        id: id.clone(),
        publisher_id: publisher_id.clone(),
        creation_date: now.clone(),
        language: "en".into(),
        title: title.clone(),
        description: spec.description.description.trim().to_string(),
        support_url: Some(spec.description.support_url.trim().to_string()).filter(|u| !u.is_empty()),
        classification_id: spec::classification_id(&spec.classification)
            .unwrap_or_default()
            .to_string(),
        categories: vec![vendor_id.clone(), product_id.clone()],
        prerequisites: match spec.prerequisites.kind {
            PrerequisiteKind::Update => vec![spec.prerequisites.update_id.trim().to_lowercase()],
            _ => vec![],
        },
        is_installed: is_installed(info, &spec),
        is_installable: is_installable(info, &spec, operating_systems(site, &spec)?),
        installer: installer_of(info, &spec, &installer_file),
        files: vec![PublishedFile {
            name: cab_name,
            size: cab_size,
            sha1: sha1.clone(),
            sha256: sha256.clone(),
            modified: now.clone(),
        }],
        reboot: reboot_of(info, &spec),
    };
    let docs = vec![
        Document {
            origin: format!("vendor {vendor}"),
            xml: vendor_doc.to_xml(),
        },
        Document {
            origin: format!("product {product}"),
            xml: product_doc.to_xml(),
        },
        Document {
            origin: format!("update {title}"),
            xml: publication.to_xml(),
        },
    ];
    let values = ThirdPartySpec {
        files: stored_files.unwrap_or_else(|| spec.files.clone()),
        ..spec.clone()
    };
    let spec_json =
        serde_json::to_string(&values).map_err(|e| ApiError::internal(format!("writing the wizard's values: {e}")))?;
    let kind = format!("{:?}", info.kind);
    let cab_size = i64::try_from(cab_size).unwrap_or(i64::MAX);
    let edited = replaces_cab.is_some();
    let replaced = replaces_cab.clone().filter(|old| *old != sha1);
    import_documents_then(site, actor, docs, |tx, report| {
        if !report.errors.is_empty() {
            return Err(ApiError::internal(format!(
                "the update's own documents were refused by the catalog: {}",
                report.errors.join("; ")
            )));
        }
        tx.execute(
            "INSERT INTO content (sha1, sha256, size, file_name, path, state, downloaded_utc)
             VALUES (?1, ?2, ?3, ?4, ?5, 'Downloaded', ?6) ON CONFLICT(sha1) DO NOTHING",
            params![sha1, sha256, cab_size, format!("{}.cab", id.update_id), relative, now],
        )?;
        tx.execute(
            "INSERT INTO third_party_updates (update_id, revision, title, vendor, product, installer_kind,
                installer_file, cab_sha1, cab_size, spec, published_utc, published_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT(update_id) DO UPDATE SET revision = excluded.revision, title = excluded.title,
                vendor = excluded.vendor, product = excluded.product, installer_kind = excluded.installer_kind,
                installer_file = excluded.installer_file, cab_sha1 = excluded.cab_sha1, cab_size = excluded.cab_size,
                spec = excluded.spec, published_utc = excluded.published_utc, published_by = excluded.published_by",
            params![
                id.update_id,
                id.revision,
                title,
                vendor,
                product,
                kind,
                installer_file,
                sha1,
                cab_size,
                spec_json,
                now,
                actor.name
            ],
        )?;
        if let Some(old) = replaces_cab.as_deref().filter(|old| *old != sha1) {
            forget_content(tx, old)?;
        }
        audit::record(
            tx,
            actor,
            if edited {
                "publishing.edit"
            } else {
                "publishing.publish"
            },
            &title,
            &format!(
                "update {} revision {}: {installer_file} and {} more file(s), {} in a signed cabinet",
                id.update_id,
                id.revision,
                gathered.files.len().saturating_sub(1),
                mb(cab_size)
            ),
        )?;
        Ok(())
    })?;
    if let Some(s) = stored.as_mut() {
        s.keep = true;
    }
    drop(staging);
    if let Some(old) = replaced {
        remove_unreferenced_files(site, &old);
    }
    crate::content::upload_folders::forget(site, &spec.files.path);
    one(site, &id.update_id)
}

/// Drops the content row of a cabinet no third-party update names any more (the file goes
/// once the transaction has committed: see [`remove_unreferenced_files`]).
fn forget_content(tx: &Transaction, sha1: &str) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM content WHERE sha1 = ?1
           AND NOT EXISTS (SELECT 1 FROM third_party_updates WHERE cab_sha1 = ?1)
           AND NOT EXISTS (SELECT 1 FROM files WHERE sha1 = ?1)",
        [sha1],
    )?;
    Ok(())
}

/// Library files of the cabinets whose content rows are gone.
fn remove_unreferenced_files(site: &Site, sha1: &str) {
    let Some(hex) = content::hex_of(sha1) else {
        return;
    };
    let still: bool = site
        .store()
        .reader()
        .query_row("SELECT count(*) FROM content WHERE sha1 = ?1", [sha1], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n > 0)
        .unwrap_or(true);
    if still || hex.len() != 40 {
        return;
    }
    let path = library_root(site).join(&hex[38..]).join(format!("{hex}.cab"));
    if let Err(e) = std::fs::remove_file(&path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(path = %path.display(), error = %e, "a deleted update's cabinet could not be removed");
        }
    }
}

fn rule_of(r: &RuleSpec) -> Option<Rule> {
    match r.kind {
        RuleKind::Once => None,
        RuleKind::FileExists => Some(Rule::FileExists {
            path: r.path.trim().into(),
            csidl: None,
        }),
        RuleKind::MsiProductInstalled => Some(Rule::MsiProductInstalled {
            product_code: r.product_code.trim().to_uppercase(),
        }),
        RuleKind::RegistryKeyExists => Some(Rule::RegKeyExists {
            key: r.key.trim().into(),
            subkey: r.subkey.trim().into(),
        }),
    }
}

/// What a client evaluates to know the update is in place. "Once per computer" has no
/// artefact to detect: `lar:False` (Microsoft's shape for a rule that never holds, where an
/// empty `lar:Or` is not a rule the schema allows) leaves the installed state to the
/// agent's own history of the install.
/// `Rule::False` is "install once per computer": nothing on the computer can say the
/// installer ran, so the site remembers who installed it (`clients/once.rs`).
fn is_installed(info: &installer::InstallerInfo, spec: &ThirdPartySpec) -> Rule {
    match (info.kind, &info.product_code) {
        (installer::Kind::Package, Some(code)) => Rule::MsiProductInstalled {
            product_code: code.clone(),
        },
        (installer::Kind::Executable, _) => rule_of(&spec.detection).unwrap_or(Rule::False),
        // A patch, or a package without a code: installed once per computer.
        _ => Rule::False,
    }
}

/// The operating systems chosen on the Requirements page, one rule each, any of them.
fn operating_systems(site: &Site, spec: &ThirdPartySpec) -> Result<Option<Rule>, ApiError> {
    let c = site.store().reader();
    let mut any = Vec::new();
    for id in &spec.requirements.operating_systems {
        let rule = os_rules::rule_of_product(&c, id)?
            .ok_or_else(|| ApiError::internal(format!("{id} gave no Windows version rule after its check")))?;
        any.push(rule);
    }
    Ok(match any.len() {
        0 => None,
        1 => any.pop(),
        _ => Some(Rule::Or(any)),
    })
}

fn is_installable(info: &installer::InstallerInfo, spec: &ThirdPartySpec, systems: Option<Rule>) -> Rule {
    let mut all = Vec::new();
    all.extend(systems);
    match spec.requirements.architecture {
        Architecture::X86 => all.push(Rule::Processor { architecture: 0 }),
        Architecture::X64 => all.push(Rule::Processor { architecture: 9 }),
        Architecture::Both => {}
    }
    if info.kind == installer::Kind::Patch && !info.targets.is_empty() {
        all.push(Rule::Or(
            info.targets
                .iter()
                .map(|t| Rule::MsiProductInstalled {
                    product_code: t.clone(),
                })
                .collect(),
        ));
    }
    if spec.prerequisites.kind == PrerequisiteKind::Rule {
        all.extend(rule_of(&spec.prerequisites.rule));
    }
    match is_installed(info, spec) {
        Rule::False => {}
        installed => all.push(Rule::Not(Box::new(installed))),
    }
    if all.is_empty() {
        Rule::True
    } else {
        Rule::And(all)
    }
}

fn installer_of(info: &installer::InstallerInfo, spec: &ThirdPartySpec, file: &str) -> Installer {
    match (info.kind, &info.product_code) {
        (installer::Kind::Executable, _) | (_, None) => Installer::CommandLine {
            program: file.into(),
            arguments: spec.arguments.trim().into(),
            return_codes: spec
                .return_codes
                .iter()
                .map(|rc| ReturnCode {
                    code: rc.code,
                    result: match rc.result {
                        ReturnCodeResult::Succeeded => InstallResult::Succeeded,
                        ReturnCodeResult::Failed => InstallResult::Failed,
                        ReturnCodeResult::Cancelled => InstallResult::Cancelled,
                    },
                    reboot: rc.reboot,
                })
                .collect(),
        },
        (_, Some(code)) => Installer::WindowsInstaller {
            product_code: code.clone(),
            msi_file: file.into(),
            command_line: Some(spec.arguments.trim().to_string()).filter(|a| !a.is_empty()),
        },
    }
}

fn reboot_of(info: &installer::InstallerInfo, spec: &ThirdPartySpec) -> RebootBehavior {
    if info.kind != installer::Kind::Executable || spec.return_codes.iter().any(|rc| rc.reboot) {
        RebootBehavior::CanRequestReboot
    } else {
        RebootBehavior::NeverReboots
    }
}

/// This site's publisher id, made on first use.
fn publisher_id(site: &Site) -> Result<String, ApiError> {
    let c = site.store().writer();
    if let Some(id) = crate::store::meta::get(&c, PUBLISHER_KEY)? {
        return Ok(id);
    }
    let id = new_uuid();
    crate::store::meta::put(&c, PUBLISHER_KEY, &id)?;
    Ok(id)
}

fn new_uuid() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    uuid_text(b, 4)
}

/// A stable id for a vendor or product name (the same name, the same category).
fn name_uuid(name: &str) -> String {
    let digest = sha1::Sha1::digest(format!("patchdeck-publishing:{name}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    uuid_text(b, 5)
}

fn uuid_text(mut b: [u8; 16], version: u8) -> String {
    b[6] = (b[6] & 0x0f) | (version << 4);
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

// ---- delete -----------------------------------------------------------------------------

pub fn delete(site: &Site, actor: &Actor, args: ThirdPartyIdArgs) -> Result<NoArgs, ApiError> {
    let (update_id, _, cab_sha1) = published_row(site, &args.update_id, "deleted")?;
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        let row: Option<(i64, String)> = tx
            .query_row(
                "SELECT upd_pk, title FROM updates WHERE update_id = ?1",
                [&update_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let title = row.as_ref().map(|r| r.1.clone()).unwrap_or_else(|| update_id.clone());
        if let Some((pk, _)) = &row {
            let assigned: i64 = tx.query_row(
                "SELECT count(*) FROM assignments WHERE upd_pk = ?1
                    OR update_group_id IN (SELECT group_id FROM update_group_members WHERE upd_pk = ?1)",
                [pk],
                |r| r.get(0),
            )?;
            if assigned > 0 {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!(
                        "'{title}' is approved or deployed ({assigned} approval(s) or deployment(s) name it): remove them first, then delete it."
                    ),
                ));
            }
            tx.execute("DELETE FROM update_search WHERE rowid = ?1", [pk])?;
            tx.execute("DELETE FROM updates WHERE upd_pk = ?1", [pk])?;
        }
        tx.execute("DELETE FROM revisions WHERE update_id = ?1", [&update_id])?;
        tx.execute("DELETE FROM package_content WHERE update_id = ?1", [&update_id])?;
        tx.execute("DELETE FROM third_party_updates WHERE update_id = ?1", [&update_id])?;
        forget_content(&tx, &cab_sha1)?;
        audit::record(
            &tx,
            actor,
            "publishing.delete",
            &title,
            &format!("update {update_id}, its revisions and its signed cabinet"),
        )?;
        tx.commit()?;
    }
    site.state::<crate::catalog::list_cache::ListCache>().invalidate();
    remove_unreferenced_files(site, &cab_sha1);
    Ok(NoArgs {})
}
