//! The Download Software Updates wizard's source check, made before its Summary so that a
//! source that cannot work is refused on the page that chose it, not after Finish.
//!
//! A folder must exist and hold at least one of the files still to fetch (counted by name or
//! digest name, as the download finds them). The upstream server and Microsoft Update are
//! asked for one file still to fetch with a one-byte Range request under a short timeout:
//! any answer but "not found" means reachable. Nothing is recorded.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use super::download::{catalog_urls, held, index_folder, resolve_files, uss_path, Wanted};
use crate::handle::{Actor, Site};
use crate::update_point::settings::{self, MICROSOFT_UPDATE_URL};
use crate::wire::{
    ApiError, CheckDownloadSourceArgs, DownloadSource, DownloadSourceCheck, FieldIssue, StartDownloadArgs, SyncSource,
};

/// Long enough for a server on a slow link to answer, short enough that a wizard waiting on
/// an unreachable one (no network: the connection hangs until it times out) stays usable.
const PROBE_TIMEOUT: Duration = Duration::from_secs(6);

/// The wizard fields a refusal names (the Download Location page's).
const SOURCE_FIELD: &str = "source";
const FOLDER_FIELD: &str = "folder";

pub fn check(site: &Site, _actor: &Actor, args: CheckDownloadSourceArgs) -> Result<DownloadSourceCheck, ApiError> {
    let wanted = resolve_files(
        site,
        &StartDownloadArgs {
            package_id: None,
            new_package_name: None,
            new_package_description: None,
            update_ids: args.update_ids,
            update_group_id: args.update_group_id,
            source: args.source.clone(),
            languages: args.languages,
        },
    )?;
    let library = super::library_root(site);
    let mut missing = Vec::new();
    for w in &wanted {
        if !held(site, &w.sha1, &library)? {
            missing.push(w);
        }
    }
    let counts = Counts {
        wanted: wanted.len() as i64,
        held: (wanted.len() - missing.len()) as i64,
    };
    let sync = settings::load(site)?;
    // A source the site cannot use at all is refused whatever the library holds: the job
    // would fail on the first file anyone removes.
    if args.source == DownloadSource::Upstream && sync.source == SyncSource::MicrosoftUpdate {
        return Ok(counts.refused(
            SOURCE_FIELD,
            "This site synchronizes from Microsoft Update, so it has no upstream server to download from. \
             Choose Microsoft Update, or a folder that holds the files.",
        ));
    }
    if missing.is_empty() {
        return Ok(counts.ok(
            format!(
                "The content library holds all {} files already; nothing needs fetching.",
                counts.wanted
            ),
            Some(0),
        ));
    }
    match &args.source {
        DownloadSource::LocalFolder { path } => Ok(check_folder(path, &missing, counts)),
        DownloadSource::Upstream => {
            let root = settings::upstream_root(&sync);
            let first = missing[0];
            let urls = catalog_urls(site, &first.sha1);
            let Some(rel) = super::relative_path(&first.sha1, &first.file_name) else {
                return Ok(counts.refused(
                    SOURCE_FIELD,
                    format!(
                        "The catalog's digest of {} is not usable as a content path.",
                        first.file_name
                    ),
                ));
            };
            let url = format!("{root}/{}", uss_path(urls.uss_url.as_deref(), &rel));
            Ok(match probe(&sync, &url) {
                Probe::Answered => counts.ok(
                    format!("The upstream server {root} answers and holds {}.", first.file_name),
                    None,
                ),
                Probe::NotFound => counts.refused(
                    SOURCE_FIELD,
                    format!(
                        "The upstream server {root} answers but does not hold {}: download the updates there first, \
                         or choose Microsoft Update or a folder.",
                        first.file_name
                    ),
                ),
                Probe::Unreachable(e) => counts.refused(
                    SOURCE_FIELD,
                    format!(
                        "The upstream server {root} cannot be reached ({e}). Check that it runs and the proxy in the \
                         software update point's settings, or choose a folder that holds the files."
                    ),
                ),
                Probe::Unusable(e) => counts.refused(SOURCE_FIELD, e),
            })
        }
        DownloadSource::MicrosoftUpdate => {
            let addressed = missing.iter().find_map(|w| catalog_urls(site, &w.sha1).mu_url);
            // Without a recorded address, Microsoft Update's own server says whether it is reachable.
            let url = addressed.clone().unwrap_or_else(|| MICROSOFT_UPDATE_URL.to_string());
            Ok(match probe(&sync, &url) {
                Probe::Unreachable(e) => counts.refused(
                    SOURCE_FIELD,
                    format!(
                        "Microsoft Update cannot be reached from this site ({e}). Without Internet access, copy the \
                         files into a folder on a machine that has it and choose that folder, download from an \
                         upstream server, or set a proxy in the software update point's settings."
                    ),
                ),
                Probe::Unusable(e) => counts.refused(SOURCE_FIELD, e),
                _ if addressed.is_none() => counts.refused(
                    SOURCE_FIELD,
                    "Microsoft Update answers, but the catalog holds no Microsoft Update address for these files \
                     (synchronization does not record them yet). Choose the upstream server or a folder.",
                ),
                Probe::NotFound => counts.refused(
                    SOURCE_FIELD,
                    format!(
                        "Microsoft Update answers but does not hold {url}. Choose the upstream server or a folder."
                    ),
                ),
                Probe::Answered => counts.ok("Microsoft Update answers.".into(), None),
            })
        }
    }
}

struct Counts {
    wanted: i64,
    held: i64,
}

impl Counts {
    fn ok(&self, message: String, found: Option<i64>) -> DownloadSourceCheck {
        DownloadSourceCheck {
            ok: true,
            message,
            issue: None,
            files_wanted: self.wanted,
            files_held: self.held,
            files_found: found,
        }
    }

    fn refused(&self, field: &str, message: impl Into<String>) -> DownloadSourceCheck {
        let message = message.into();
        DownloadSourceCheck {
            ok: false,
            issue: Some(FieldIssue {
                field: field.into(),
                message: message.clone(),
            }),
            message,
            files_wanted: self.wanted,
            files_held: self.held,
            files_found: None,
        }
    }
}

fn check_folder(path: &str, missing: &[&Wanted], counts: Counts) -> DownloadSourceCheck {
    let path = path.trim();
    if path.is_empty() {
        return counts.refused(FOLDER_FIELD, "Enter the folder to download from.");
    }
    let root = Path::new(path);
    if !root.is_dir() {
        return counts.refused(
            FOLDER_FIELD,
            format!("The folder {path} does not exist or this site cannot read it. Enter a folder that holds the update files."),
        );
    }
    let mut index = HashMap::new();
    index_folder(root, 0, &mut index);
    // Found as the download finds them: by the catalog's file name, or by the digest name.
    let found = missing
        .iter()
        .filter(|w| {
            let digest_name = super::relative_path(&w.sha1, &w.file_name)
                .and_then(|rel| rel.rsplit('/').next().map(str::to_ascii_lowercase));
            index.contains_key(&w.file_name.to_ascii_lowercase()) || digest_name.is_some_and(|n| index.contains_key(&n))
        })
        .count() as i64;
    let to_fetch = missing.len() as i64;
    if found == 0 {
        return counts.refused(
            FOLDER_FIELD,
            format!(
                "The folder {path} holds none of the {to_fetch} files to download (looked for by name three levels deep). \
                 Enter the folder the files were copied to."
            ),
        );
    }
    let message = if found == to_fetch {
        format!("The folder holds all {to_fetch} files to download.")
    } else {
        format!("The folder holds {found} of the {to_fetch} files to download; the others will be listed as failed.")
    };
    counts.ok(message, Some(found))
}

enum Probe {
    /// Any HTTP answer but 404: the server is there.
    Answered,
    NotFound,
    /// No answer: the network, the name, the proxy or the timeout, in the transport's words.
    Unreachable(String),
    /// The settings' proxy or certificates cannot be used.
    Unusable(String),
}

fn probe(sync: &crate::wire::SyncSettings, url: &str) -> Probe {
    let agent = match crate::update_point::transport::HttpTransport::for_settings(sync) {
        Ok(t) => t.client(),
        Err(e) => {
            return Probe::Unusable(format!(
                "The software update point's connection settings cannot be used: {e}"
            ))
        }
    };
    // One byte: enough to know the file is there without fetching it.
    match agent
        .get(url)
        .timeout(PROBE_TIMEOUT)
        .header("Range", "bytes=0-0")
        .send()
    {
        Ok(r) if r.status() == reqwest::StatusCode::NOT_FOUND => Probe::NotFound,
        Ok(_) => Probe::Answered,
        Err(e) => Probe::Unreachable(crate::update_point::transport::error_chain(&e)),
    }
}
