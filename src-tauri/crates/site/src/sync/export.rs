//! Disconnected update points (SYNC-7): the catalog as one file, and loading it elsewhere.
//!
//! The file is a gzip-compressed tar: `manifest.json` first (format, source site, when, and
//! every document with its SHA-256), then one `revisions/<UpdateID>-r<revision>.xml` per
//! revision as it was received. Import reads and checks the whole file before it changes
//! anything: a truncated or altered file is refused and the site is left as it was.
//! Importing is incremental: revisions already held are skipped.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::api::{ApiError, ErrorCode, ImportReport};
use crate::catalog::import::{import_documents, inflate, Document};
use crate::{audit, clock, Actor, Site};

const FORMAT: &str = "patchdeck-catalog-export/1";
const MANIFEST: &str = "manifest.json";

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: String,
    source_site: String,
    created_utc: String,
    /// File name inside the archive → SHA-256 (hex) of its bytes.
    documents: BTreeMap<String, String>,
}

/// Writes every revision the site holds to `path`. Returns how many.
pub fn export_catalog(site: &Site, actor: &Actor, path: &Path) -> Result<usize, ApiError> {
    let io = |e: std::io::Error| ApiError::new(ErrorCode::Internal, format!("Cannot write {}: {e}", path.display()));
    // Read everything first: the manifest, which leads the file, needs every digest.
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
    let manifest = Manifest {
        format: FORMAT.into(),
        source_site: site.name().into(),
        created_utc: clock::now_utc(),
        documents: docs.iter().map(|(n, b)| (n.clone(), hex(&Sha256::digest(b)))).collect(),
    };
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| ApiError::internal(e.to_string()))?;
    // Written beside the target and renamed, so a full disk never leaves half a file there.
    let partial = path.with_extension("partial");
    {
        let file = std::fs::File::create(&partial).map_err(io)?;
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        let mut add = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
            let mut h = tar::Header::new_gnu();
            h.set_size(bytes.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            tar.append_data(&mut h, name, bytes)
        };
        add(MANIFEST, &manifest).map_err(io)?;
        for (name, bytes) in &docs {
            add(name, bytes).map_err(io)?;
        }
        let gz = tar.into_inner().map_err(io)?;
        let mut file = gz.finish().map_err(io)?;
        file.flush().map_err(io)?;
        file.sync_all().map_err(io)?;
    }
    std::fs::rename(&partial, path).map_err(io)?;
    let c = site.store().writer();
    audit::record(
        &c,
        actor,
        "catalog.export",
        &path.display().to_string(),
        &format!("{} revisions", docs.len()),
    )?;
    Ok(docs.len())
}

/// Checks the whole file, then imports what the site does not hold yet.
pub fn import_catalog(site: &Site, actor: &Actor, path: &Path) -> Result<ImportReport, ApiError> {
    let refuse = |why: String| {
        ApiError::new(
            ErrorCode::Validation,
            format!(
                "{} cannot be imported: {why}. Nothing was changed; export the catalog again.",
                path.display()
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| refuse(format!("it cannot be opened ({e})")))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut manifest: Option<Manifest> = None;
    let mut docs = Vec::new();
    let entries = archive
        .entries()
        .map_err(|e| refuse(format!("it is not a catalog export ({e})")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| refuse(format!("it is damaged or cut short ({e})")))?;
        let name = entry
            .path()
            .map_err(|e| refuse(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(format!("it is damaged or cut short ({e})")))?;
        if name == MANIFEST {
            let m: Manifest =
                serde_json::from_slice(&bytes).map_err(|e| refuse(format!("its manifest is unreadable ({e})")))?;
            if m.format != FORMAT {
                return Err(refuse(format!("its format is '{}', not '{FORMAT}'", m.format)));
            }
            manifest = Some(m);
            continue;
        }
        let m = manifest
            .as_ref()
            .ok_or_else(|| refuse("it does not start with a manifest".into()))?;
        let want = m
            .documents
            .get(&name)
            .ok_or_else(|| refuse(format!("{name} is not in its manifest")))?;
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
    let report = import_documents(site, actor, docs)?;
    let c = site.store().writer();
    audit::record(
        &c,
        actor,
        "catalog.import-export",
        &path.display().to_string(),
        &format!(
            "from {} ({}): {} new revisions",
            m.source_site, m.created_utc, report.new_revisions
        ),
    )?;
    Ok(report)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
