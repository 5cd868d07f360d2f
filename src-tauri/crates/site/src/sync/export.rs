//! Disconnected update points (SYNC-7): the catalog, and optionally the content library, as
//! one file, and loading it elsewhere.
//!
//! The file is a gzip-compressed tar: `manifest.json` first (format, source site, when, every
//! document and every content file with its SHA-256), then one
//! `revisions/<UpdateID>-r<revision>.xml` per revision as it was received, then, when content
//! is included, one `content/<XX>/<SHA1HEX>.<ext>` per library file. A catalog-only export
//! keeps format 1, which older sites read; format 2 adds content.
//!
//! Import reads and checks the whole file before it changes anything: a truncated or altered
//! file is refused and the site (database and content library) is left as it was. Content
//! files are streamed into a staging folder under `downloads/` while their digests are
//! computed, and renamed into the library only once everything checked out. Importing is
//! incremental: revisions and content files already held are skipped.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::catalog::import::{import_documents, inflate, Document};
use crate::content::receive::ContentName;
use crate::handle::{Actor, Site};
use crate::wire::{
    ApiError, CatalogImportReport, ErrorCode, ExportCatalogArgs, ExportCatalogReport, ImportCatalogExportArgs,
};
use crate::{audit, clock, content};

const FORMAT_CATALOG: &str = "patchdeck-catalog-export/1";
const FORMAT_WITH_CONTENT: &str = "patchdeck-catalog-export/2";
const MANIFEST: &str = "manifest.json";
const CONTENT_PREFIX: &str = "content/";
/// Update documents are kilobytes; a larger entry is damage or a decompression bomb.
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: String,
    source_site: String,
    created_utc: String,
    /// File name inside the archive → SHA-256 (hex) of its bytes.
    documents: BTreeMap<String, String>,
    /// `content/<XX>/<SHA1HEX>.<ext>` → the file (format 2).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    content: BTreeMap<String, ContentEntry>,
}

#[derive(Serialize, Deserialize)]
struct ContentEntry {
    /// SHA-256 (hex) of the bytes; the SHA-1 is the file's name.
    sha256: String,
    size: u64,
    /// The file's name in the update metadata.
    file_name: String,
}

/// The console command: `path` is on the machine that runs the site.
pub fn export_command(site: &Site, actor: &Actor, args: ExportCatalogArgs) -> Result<ExportCatalogReport, ApiError> {
    let path = full_path(&args.path)?;
    if path.is_dir() {
        return Err(invalid(format!(
            "{} is a folder; give the full path of the file to write, such as {}.",
            path.display(),
            path.join("catalog.tar.gz").display()
        )));
    }
    match path.parent() {
        Some(dir) if dir.is_dir() => {}
        _ => {
            return Err(invalid(format!(
                "The folder of {} does not exist on the machine that runs the site; create it first.",
                path.display()
            )))
        }
    }
    export(site, actor, &path, args.with_content)
}

/// The console command: `path` is on the machine that runs the site.
pub fn import_command(
    site: &Site,
    actor: &Actor,
    args: ImportCatalogExportArgs,
) -> Result<CatalogImportReport, ApiError> {
    let path = full_path(&args.path)?;
    if !path.is_file() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!(
                "There is no file {} on the machine that runs the site. Nothing was changed.",
                path.display()
            ),
        ));
    }
    import(site, actor, &path)
}

fn full_path(text: &str) -> Result<PathBuf, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(
            "Give the full path of the export file on the machine that runs the site.",
        ));
    }
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err(invalid(format!(
            "'{text}' is a relative path; give the full path of the export file on the machine that runs the site."
        )));
    }
    Ok(path)
}

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, msg)
}

/// A library file on its way into an export.
struct Outgoing {
    name: String,
    source: PathBuf,
    entry: ContentEntry,
}

/// Writes every revision, and with `with_content` every library file, to `path`.
pub fn export(site: &Site, actor: &Actor, path: &Path, with_content: bool) -> Result<ExportCatalogReport, ApiError> {
    let io = |e: std::io::Error| ApiError::new(ErrorCode::Internal, format!("Cannot write {}: {e}", path.display()));
    // Documents are small: read them all, since the manifest, which leads the file, needs
    // every digest.
    let mut docs: Vec<(String, Vec<u8>)> = Vec::new();
    {
        let c = site.store().reader();
        let mut stmt = c.prepare("SELECT update_id, revision, xml_deflate FROM revisions ORDER BY rev_pk")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, rev, blob): (String, i64, Vec<u8>) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let xml = inflate(&blob)
                .map_err(|e| ApiError::internal(format!("stored revision {id} r{rev} is damaged: {e}")))?;
            docs.push((format!("revisions/{id}-r{rev}.xml"), xml.into_bytes()));
        }
    }
    // Content can be gigabytes: a first pass over each file computes its digests (and proves
    // it still matches its name); the second streams it into the archive.
    let outgoing = if with_content { library_files(site)? } else { Vec::new() };
    let manifest = Manifest {
        format: if with_content {
            FORMAT_WITH_CONTENT
        } else {
            FORMAT_CATALOG
        }
        .into(),
        source_site: site.name().into(),
        created_utc: clock::now_utc(),
        documents: docs.iter().map(|(n, b)| (n.clone(), hex(&Sha256::digest(b)))).collect(),
        content: outgoing
            .iter()
            .map(|o| {
                (
                    o.name.clone(),
                    ContentEntry {
                        sha256: o.entry.sha256.clone(),
                        size: o.entry.size,
                        file_name: o.entry.file_name.clone(),
                    },
                )
            })
            .collect(),
    };
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| ApiError::internal(e.to_string()))?;
    // Written beside the target and renamed, so a full disk never leaves half a file there.
    let partial = RemoveOnDrop(Some(path.with_extension("partial")));
    let partial_path = partial.0.clone().unwrap_or_default();
    {
        let file = File::create(&partial_path).map_err(io)?;
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        let header = |size: u64| {
            let mut h = tar::Header::new_gnu();
            h.set_size(size);
            h.set_mode(0o644);
            h.set_cksum();
            h
        };
        tar.append_data(&mut header(manifest.len() as u64), MANIFEST, &manifest[..])
            .map_err(io)?;
        for (name, bytes) in &docs {
            tar.append_data(&mut header(bytes.len() as u64), name, &bytes[..])
                .map_err(io)?;
        }
        for o in &outgoing {
            let file = File::open(&o.source).map_err(|e| library_changed(&o.source, &e.to_string()))?;
            let mut reader = Hashing::new(file.take(o.entry.size));
            tar.append_data(&mut header(o.entry.size), &o.name, &mut reader)
                .map_err(|e| library_changed(&o.source, &e.to_string()))?;
            let (_, sha256, n) = reader.finish();
            if n != o.entry.size || sha256 != o.entry.sha256 {
                return Err(library_changed(&o.source, "its bytes changed while it was exported"));
            }
        }
        let gz = tar.into_inner().map_err(io)?;
        let mut file = gz.finish().map_err(io)?;
        file.flush().map_err(io)?;
        file.sync_all().map_err(io)?;
    }
    std::fs::rename(&partial_path, path).map_err(io)?;
    drop(partial);
    let file_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let content_bytes: u64 = outgoing.iter().map(|o| o.entry.size).sum();
    let c = site.store().writer();
    audit::record(
        &c,
        actor,
        "catalog.export",
        &path.display().to_string(),
        &if with_content {
            format!(
                "{} revisions, {} content files ({content_bytes} bytes)",
                docs.len(),
                outgoing.len()
            )
        } else {
            format!("{} revisions", docs.len())
        },
    )?;
    tracing::info!(path = %path.display(), revisions = docs.len(), content = outgoing.len(), "catalog exported");
    Ok(ExportCatalogReport {
        path: path.display().to_string(),
        revisions: docs.len() as i64,
        content_files: outgoing.len() as i64,
        content_bytes: content_bytes as i64,
        file_bytes: file_bytes as i64,
    })
}

fn library_changed(path: &Path, why: &str) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        format!(
            "The library file {} cannot be exported ({why}). No export was written; download the file again, then export.",
            path.display()
        ),
    )
}

/// Every recorded library file, checked against its name, with its SHA-256.
fn library_files(site: &Site) -> Result<Vec<Outgoing>, ApiError> {
    let rows: Vec<(String, String, String)> = {
        let c = site.store().reader();
        let mut stmt = c.prepare("SELECT sha1, path, file_name FROM content ORDER BY path")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let root = content::library_root(site);
    let mut out = Vec::with_capacity(rows.len());
    for (sha1, rel, file_name) in rows {
        let name = rel
            .split_once('/')
            .and_then(|(dir, file)| ContentName::parse(dir, file).ok())
            .filter(|n| n.rel == rel)
            .ok_or_else(|| {
                ApiError::internal(format!("the content table names '{rel}', which is not a library path"))
            })?;
        let source = root.join(&name.rel);
        let (got1, got256) =
            content::digests_of(&source).map_err(|e| library_changed(&source, &format!("it cannot be read: {e}")))?;
        if got1 != sha1 {
            return Err(library_changed(
                &source,
                &format!("its SHA-1 is {got1}, not the recorded {sha1}"),
            ));
        }
        let size = std::fs::metadata(&source)
            .map_err(|e| library_changed(&source, &e.to_string()))?
            .len();
        out.push(Outgoing {
            name: format!("{CONTENT_PREFIX}{}", name.rel),
            source,
            entry: ContentEntry {
                sha256: content::hex_of(&got256).unwrap_or_default().to_ascii_lowercase(),
                size,
                file_name,
            },
        });
    }
    Ok(out)
}

/// A content file checked and staged, waiting to be placed into the library.
struct Incoming {
    rel: String,
    sha1_b64: String,
    sha256_b64: String,
    size: u64,
    file_name: String,
    /// None when the library already holds the file.
    staged: Option<PathBuf>,
}

/// Checks the whole file, then imports the revisions and content files the site does not
/// hold yet.
pub fn import(site: &Site, actor: &Actor, path: &Path) -> Result<CatalogImportReport, ApiError> {
    let refuse = |why: String| {
        ApiError::new(
            ErrorCode::Validation,
            format!(
                "{} cannot be imported: {why}. Nothing was changed; export the catalog again.",
                path.display()
            ),
        )
    };
    let damaged = |e: std::io::Error| refuse(format!("it is damaged or cut short ({e})"));
    let file = File::open(path).map_err(|e| refuse(format!("it cannot be opened ({e})")))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut manifest: Option<Manifest> = None;
    let mut docs = Vec::new();
    let mut incoming: Vec<Incoming> = Vec::new();
    let mut seen = HashSet::new();
    let mut staging = Staging::new(site);
    let entries = archive
        .entries()
        .map_err(|e| refuse(format!("it is not a catalog export ({e})")))?;
    for entry in entries {
        let mut entry = entry.map_err(damaged)?;
        let name = entry
            .path()
            .map_err(|e| refuse(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        if !seen.insert(name.clone()) {
            return Err(refuse(format!("it holds {name} twice")));
        }
        if name == MANIFEST {
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MAX_DOCUMENT_BYTES)
                .read_to_end(&mut bytes)
                .map_err(damaged)?;
            let m: Manifest =
                serde_json::from_slice(&bytes).map_err(|e| refuse(format!("its manifest is unreadable ({e})")))?;
            if m.format != FORMAT_CATALOG && m.format != FORMAT_WITH_CONTENT {
                return Err(refuse(format!(
                    "its format is '{}', which this site does not read (it reads '{FORMAT_CATALOG}' and '{FORMAT_WITH_CONTENT}')",
                    m.format
                )));
            }
            manifest = Some(m);
            continue;
        }
        let m = manifest
            .as_ref()
            .ok_or_else(|| refuse("it does not start with a manifest".into()))?;
        if let Some(rel) = name.strip_prefix(CONTENT_PREFIX) {
            let want = m
                .content
                .get(&name)
                .ok_or_else(|| refuse(format!("{name} is not in its manifest")))?;
            let cname = rel
                .split_once('/')
                .and_then(|(dir, file)| ContentName::parse(dir, file).ok())
                .filter(|n| n.rel == rel)
                .ok_or_else(|| refuse(format!("{name} is not a content library name")))?;
            // The entry's own header says how many bytes follow: a file larger than its
            // manifest says is refused before one byte is staged, so a crafted archive cannot
            // fill the disk with a file the manifest never asked for.
            let in_archive = entry.header().size().map_err(damaged)?;
            if in_archive != want.size {
                return Err(refuse(format!(
                    "{name} is {in_archive} bytes in the archive, not the {} its manifest lists",
                    want.size
                )));
            }
            let sha1_b64 = content::b64(&unhex(&cname.sha1_hex));
            let held = already_held(site, &sha1_b64)?;
            let (sha1, sha256, size, staged) = if held {
                let mut sink = Hashing::new(std::io::sink());
                std::io::copy(&mut entry, &mut sink).map_err(damaged)?;
                let (a, b, n) = sink.finish();
                (a, b, n, None)
            } else {
                let target = staging.file()?;
                let out = File::options()
                    .write(true)
                    .create_new(true)
                    .open(&target)
                    .map_err(|e| staging_error(&target, e))?;
                let mut w = Hashing::new(out);
                std::io::copy(&mut entry, &mut w).map_err(|e| match e.kind() {
                    // Errors of the archive's side read as damage; the disk's are the site's.
                    std::io::ErrorKind::StorageFull | std::io::ErrorKind::PermissionDenied => staging_error(&target, e),
                    _ => damaged(e),
                })?;
                let (a, b, n) = w.finish();
                (a, b, n, Some(target))
            };
            if size != want.size {
                return Err(refuse(format!(
                    "{name} holds {size} bytes, not the {} its manifest lists",
                    want.size
                )));
            }
            if !sha1.eq_ignore_ascii_case(&cname.sha1_hex) {
                return Err(refuse(format!(
                    "{name} does not match its name: its SHA-1 is {}",
                    sha1.to_ascii_uppercase()
                )));
            }
            if !sha256.eq_ignore_ascii_case(&want.sha256) {
                return Err(refuse(format!("{name} does not match its SHA-256 in the manifest")));
            }
            incoming.push(Incoming {
                rel: cname.rel.clone(),
                sha1_b64,
                sha256_b64: content::b64(&unhex(&sha256)),
                size,
                file_name: plain_file_name(&want.file_name)
                    .unwrap_or_else(|| cname.rel.rsplit('/').next().unwrap_or(&cname.rel).to_string()),
                staged,
            });
            continue;
        }
        let want = m
            .documents
            .get(&name)
            .ok_or_else(|| refuse(format!("{name} is not in its manifest")))?;
        if entry.header().size().map_err(damaged)? > MAX_DOCUMENT_BYTES {
            return Err(refuse(format!("{name} is larger than any update document")));
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_DOCUMENT_BYTES)
            .read_to_end(&mut bytes)
            .map_err(damaged)?;
        if &hex(&Sha256::digest(&bytes)) != want {
            return Err(refuse(format!("{name} does not match its SHA-256 in the manifest")));
        }
        let xml = String::from_utf8(bytes).map_err(|_| refuse(format!("{name} is not UTF-8 text")))?;
        docs.push(Document { origin: name, xml });
    }
    let m = manifest.ok_or_else(|| refuse("it has no manifest".into()))?;
    if docs.len() != m.documents.len() {
        return Err(refuse(format!(
            "it holds {} of the {} documents its manifest lists",
            docs.len(),
            m.documents.len()
        )));
    }
    if incoming.len() != m.content.len() {
        return Err(refuse(format!(
            "it holds {} of the {} content files its manifest lists",
            incoming.len(),
            m.content.len()
        )));
    }

    // Everything checked out: from here on the site changes.
    let catalog = import_documents(site, actor, docs)?;
    site.store().checkpoint();
    let (placed, placing_failed) = place_content(site, &incoming);
    let stored: Vec<&Incoming> = incoming.iter().filter(|i| i.staged.is_some()).collect();
    let report = CatalogImportReport {
        source_site: m.source_site.clone(),
        created_utc: m.created_utc.clone(),
        content_stored: stored.len() as i64,
        content_already_held: (incoming.len() - stored.len()) as i64,
        content_bytes_stored: stored.iter().map(|i| i.size).sum::<u64>() as i64,
        catalog,
    };
    {
        let mut c = site.store().writer();
        let tx = c.transaction()?;
        for i in &placed {
            tx.execute(
                "INSERT INTO content (sha1, sha256, size, file_name, path, state, downloaded_utc)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'Downloaded', ?6)
                 ON CONFLICT(sha1) DO UPDATE SET path = excluded.path, size = excluded.size,
                     sha256 = excluded.sha256, downloaded_utc = excluded.downloaded_utc",
                params![
                    i.sha1_b64,
                    i.sha256_b64,
                    i.size as i64,
                    i.file_name,
                    i.rel,
                    clock::now_utc()
                ],
            )?;
        }
        audit::record(
            &tx,
            actor,
            "catalog.import-export",
            &path.display().to_string(),
            &format!(
                "from {} ({}): {} new revisions, {} content files stored ({} bytes), {} already held",
                m.source_site,
                m.created_utc,
                report.catalog.new_revisions,
                report.content_stored,
                report.content_bytes_stored,
                report.content_already_held
            ),
        )?;
        tx.commit()?;
    }
    if let Some(e) = placing_failed {
        return Err(e);
    }
    tracing::info!(
        path = %path.display(),
        revisions = report.catalog.new_revisions,
        content = report.content_stored,
        "catalog export imported"
    );
    drop(staging);
    Ok(report)
}

/// Renames each staged file into the library; returns the ones to record, and the error
/// that stopped it, if any (the files placed before it are recorded all the same).
fn place_content<'a>(site: &Site, incoming: &'a [Incoming]) -> (Vec<&'a Incoming>, Option<ApiError>) {
    let root = content::library_root(site);
    let mut placed = Vec::new();
    for i in incoming {
        let Some(staged) = &i.staged else { continue };
        let target = root.join(&i.rel);
        if let Some(dir) = target.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return (placed, Some(placing_error(dir, e)));
            }
        }
        if let Err(e) = std::fs::rename(staged, &target) {
            return (placed, Some(placing_error(&target, e)));
        }
        placed.push(i);
    }
    (placed, None)
}

/// The library holds the file: a row for its SHA-1 and the file at the row's path.
fn already_held(site: &Site, sha1_b64: &str) -> Result<bool, ApiError> {
    let rel: Option<String> = site
        .store()
        .reader()
        .query_row("SELECT path FROM content WHERE sha1 = ?1", [sha1_b64], |r| r.get(0))
        .optional()?;
    Ok(rel.is_some_and(|rel| content::library_root(site).join(rel).is_file()))
}

fn plain_file_name(name: &str) -> Option<String> {
    let n = name.trim();
    (!n.is_empty() && n.len() <= 255 && !n.contains(['/', '\\'])).then(|| n.to_string())
}

fn staging_error(path: &Path, e: std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!(
            "The site cannot write {}: {e}. Nothing was imported; free space or fix permissions, then import again.",
            path.display()
        ),
    )
}

fn placing_error(path: &Path, e: std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!(
            "The site cannot write {} into its content library: {e}. The catalog was imported; fix the library \
             folder, then import the file again for its content.",
            path.display()
        ),
    )
}

/// `downloads/import-*` in the site folder, deleted with whatever is left in it (files not
/// moved into the library) when the import ends, however it ends.
struct Staging {
    root: PathBuf,
    dir: Option<PathBuf>,
    /// `downloads/` did not exist before: remove it again if it is left empty.
    made_root: bool,
    next: u64,
}

impl Staging {
    fn new(site: &Site) -> Self {
        Self {
            root: content::partial_root(site),
            dir: None,
            made_root: false,
            next: 0,
        }
    }

    fn file(&mut self) -> Result<PathBuf, ApiError> {
        let dir = match &self.dir {
            Some(d) => d.clone(),
            None => {
                static N: AtomicU64 = AtomicU64::new(0);
                self.made_root = !self.root.exists();
                let d = self.root.join(format!(
                    "import-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::create_dir_all(&d).map_err(|e| staging_error(&d, e))?;
                self.dir = Some(d.clone());
                d
            }
        };
        self.next += 1;
        Ok(dir.join(format!("{}.partial", self.next)))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(d) = self.dir.take() {
            if let Err(e) = std::fs::remove_dir_all(&d) {
                tracing::warn!(dir = %d.display(), error = %e, "import staging folder left behind");
            }
            if self.made_root {
                let _ = std::fs::remove_dir(&self.root);
            }
        }
    }
}

struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Passes bytes through (either way) while computing SHA-1 and SHA-256.
struct Hashing<T> {
    inner: T,
    sha1: Sha1,
    sha256: Sha256,
    n: u64,
}

impl<T> Hashing<T> {
    fn new(inner: T) -> Self {
        Self {
            inner,
            sha1: Sha1::new(),
            sha256: Sha256::new(),
            n: 0,
        }
    }

    /// SHA-1 and SHA-256 (lower-case hex) and the byte count.
    fn finish(self) -> (String, String, u64) {
        (hex(&self.sha1.finalize()), hex(&self.sha256.finalize()), self.n)
    }

    fn seen(&mut self, bytes: &[u8]) {
        self.sha1.update(bytes);
        self.sha256.update(bytes);
        self.n += bytes.len() as u64;
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen(&buf[..n]);
        Ok(n)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.seen(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_paths_are_full_paths() {
        assert!(full_path("catalog.tar.gz").is_err(), "relative");
        assert!(full_path("  ").is_err(), "empty");
        assert_eq!(full_path(" /srv/x.tar.gz ").ok(), Some(PathBuf::from("/srv/x.tar.gz")));
    }

    #[test]
    fn hashing_reader_sees_every_byte() {
        let mut r = Hashing::new(&b"abc"[..]);
        let mut out = Vec::new();
        r.read_to_end(&mut out).expect("read");
        let (sha1, sha256, n) = r.finish();
        assert_eq!(sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert!(sha256.starts_with("ba7816bf"), "{sha256}");
        assert_eq!((n, out.as_slice()), (3, &b"abc"[..]));
        assert_eq!(unhex(&sha1), Sha1::digest(b"abc").to_vec());
    }
}
