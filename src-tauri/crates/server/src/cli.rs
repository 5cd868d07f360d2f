//! The admin CLI verbs. Each verb is argument parsing plus calls into `site`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use site::catalog::import::{expand_input, import_documents, Document};
use site::{Actor, Site};

#[derive(Parser)]
#[command(
    name = "patchdeck",
    version,
    about = "Patchdeck: software-update management for Windows fleets"
)]
pub struct Cli {
    /// Site folder (database, API token). Default: $PATCHDECK_SITE, else the user's data folder.
    #[arg(long, global = true)]
    pub site: Option<PathBuf>,
    #[command(subcommand)]
    pub verb: Verb,
}

#[derive(Subcommand)]
pub enum Verb {
    /// Serve the console and the HTTP API of a site.
    Serve {
        /// Address to listen on. Loopback unless you say otherwise.
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: SocketAddr,
        /// Folder of the built console UI (ui/dist).
        #[arg(long)]
        ui: Option<PathBuf>,
        /// Also serve Windows Update Agents (MS-WUSP: the client, SimpleAuth and reporting
        /// services and /Content/) on this address, without API token. WSUS uses port 8530,
        /// e.g. 0.0.0.0:8530. Off unless given.
        #[arg(long, value_name = "ADDR")]
        clients_listen: Option<SocketAddr>,
    },
    /// Load update documents (update XML, or GetUpdateData SOAP answers) into the site.
    ImportXml {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Show the site's name, schema and counts.
    Info,
    /// Synchronize from the configured upstream now, in this process, and report.
    Sync,
    /// Write the whole catalog to one file, for a disconnected site.
    Export {
        #[arg(long)]
        out: PathBuf,
        /// Also put every file of the content library in the export.
        #[arg(long)]
        with_content: bool,
    },
    /// Load a catalog export, and the content it holds (checked whole first; a damaged file
    /// changes nothing).
    Import { file: PathBuf },
    /// Download update files into the site's content library, in this process, and report.
    /// A killed download continues where it stopped with `--resume JOB`.
    Download {
        /// Package to download into (created when no package has this name).
        #[arg(long, required_unless_present = "resume")]
        package: Option<String>,
        /// Update id whose files to download (repeat for more).
        #[arg(long = "update")]
        updates: Vec<String>,
        /// Software update group whose members' files to download.
        #[arg(long)]
        group: Option<i64>,
        /// Where from: `upstream` (the sync upstream's Content/ paths), `microsoft-update`,
        /// or a folder path holding the files.
        #[arg(long, default_value = "upstream")]
        from: String,
        /// Continue a download job that was interrupted, failed or cancelled.
        #[arg(long, conflicts_with_all = ["package", "updates", "group"])]
        resume: Option<i64>,
    },
    /// Generate update documents in the real schema (for scale tests and benchmarks).
    GenCatalog {
        #[arg(long)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write one XML file per document into this folder.
        #[arg(long, conflicts_with = "import")]
        out: Option<PathBuf>,
        /// Import the documents into the site instead of writing files.
        #[arg(long)]
        import: bool,
    },
}

pub fn site_folder(cli: &Cli) -> PathBuf {
    cli.site.clone().unwrap_or_else(site::default_site_folder)
}

fn open(folder: &std::path::Path) -> anyhow::Result<Site> {
    Site::open(folder).map_err(|e| anyhow::anyhow!("{e}"))
}

pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let folder = site_folder(&cli);
    let actor = Actor::local_user();
    match cli.verb {
        Verb::Serve {
            listen,
            ui,
            clients_listen,
        } => {
            let site = Arc::new(open(&folder)?);
            let token = crate::token::load_or_create(&folder)?;
            site::sync::scheduler::spawn_scheduler(site.as_ref().clone());
            let ui = ui.or_else(default_ui_dir);
            if !listen.ip().is_loopback() {
                tracing::warn!(%listen, "listening beyond loopback: anyone who can reach this address and holds the token can administer the site");
            }
            let state = Arc::new(crate::http::AppState {
                site,
                token: token.clone(),
            });
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
            rt.block_on(async {
                let clients = match clients_listen {
                    Some(addr) => Some(crate::clients_http::bind(addr).await?),
                    None => None,
                };
                let clients_addr = clients.as_ref().map(|l| l.local_addr()).transpose()?;
                if let Some(l) = clients {
                    let site = state.site.clone();
                    tokio::spawn(async move {
                        if let Err(e) = crate::clients_http::serve(l, site).await {
                            tracing::error!(error = %e, "the Windows Update clients' listener stopped");
                        }
                    });
                }
                crate::http::serve(state, listen, ui, |addr| {
                    println!("Patchdeck site {} serving on http://{addr}/", folder.display());
                    if let Some(c) = clients_addr {
                        println!("Windows Update clients served on http://{c}/");
                    }
                    println!("Open the console: http://{addr}/#token={token}");
                    println!("API token stored in {}", crate::token::token_path(&folder).display());
                })
                .await
            })?;
            Ok(0)
        }
        Verb::ImportXml { files } => {
            let site = open(&folder)?;
            let mut docs = Vec::new();
            let mut refused = Vec::new();
            for f in &files {
                let text = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
                let text = match String::from_utf8(text) {
                    Ok(t) => t,
                    Err(_) => {
                        refused.push(format!("{}: not UTF-8 text", f.display()));
                        continue;
                    }
                };
                match expand_input(&f.display().to_string(), &text) {
                    Ok(d) => docs.extend(d),
                    Err(e) => refused.push(e),
                }
            }
            let report = import_documents(&site, &actor, docs).map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!(
                "{} new updates, {} new revisions ({} categories), {} already held",
                report.new_updates, report.new_revisions, report.categories, report.unchanged
            );
            refused.extend(report.errors);
            for e in &refused {
                eprintln!("refused: {e}");
            }
            Ok(if refused.is_empty() { 0 } else { 2 })
        }
        Verb::Sync => {
            let site = open(&folder)?;
            let settings = site::update_point::settings::load(&site).map_err(|e| anyhow::anyhow!("{}", e.message))?;
            let transport = site::update_point::transport::HttpTransport::for_settings(&settings)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let run = site::sync::run_now(&site, &actor, &transport).map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!("{}", serde_json::to_string_pretty(&run)?);
            Ok(if run.state == site::api::SyncState::Succeeded {
                0
            } else {
                1
            })
        }
        Verb::Export { out, with_content } => {
            let site = open(&folder)?;
            let r = site::sync::export::export(&site, &actor, &out, with_content)
                .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            if with_content {
                println!(
                    "{} revisions and {} content files ({} bytes) exported to {}",
                    r.revisions,
                    r.content_files,
                    r.content_bytes,
                    out.display()
                );
            } else {
                println!("{} revisions exported to {}", r.revisions, out.display());
            }
            Ok(0)
        }
        Verb::Import { file } => {
            let site = open(&folder)?;
            let r = site::sync::export::import(&site, &actor, &file).map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!(
                "{} new updates, {} new revisions, {} already held; {} content files stored ({} bytes), {} already held",
                r.catalog.new_updates,
                r.catalog.new_revisions,
                r.catalog.unchanged,
                r.content_stored,
                r.content_bytes_stored,
                r.content_already_held
            );
            Ok(0)
        }
        Verb::Download {
            package,
            updates,
            group,
            from,
            resume,
        } => {
            let site = open(&folder)?;
            let job = match resume {
                Some(job) => {
                    site::content::download::reopen(&site, &actor, job)
                        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
                    job
                }
                None => {
                    let name = package.unwrap_or_default();
                    let existing = site::content::packages::list(&site, &actor, site::api::NoArgs {})
                        .map_err(|e| anyhow::anyhow!("{}", e.message))?
                        .into_iter()
                        .find(|p| p.name == name)
                        .map(|p| p.id);
                    let source = match from.as_str() {
                        "upstream" => site::api::DownloadSource::Upstream,
                        "microsoft-update" => site::api::DownloadSource::MicrosoftUpdate,
                        path => site::api::DownloadSource::LocalFolder { path: path.into() },
                    };
                    let args = site::api::StartDownloadArgs {
                        package_id: existing,
                        new_package_name: existing.is_none().then_some(name),
                        update_ids: updates,
                        update_group_id: group,
                        source,
                        languages: Vec::new(),
                    };
                    site::content::download::prepare(&site, &actor, args)
                        .map_err(|e| anyhow::anyhow!("{}", e.message))?
                }
            };
            eprintln!("download job {job}");
            let done = site::content::download::run(&site, job).map_err(|e| anyhow::anyhow!("{}", e.message))?;
            for f in &done.files {
                if let Some(e) = &f.error {
                    eprintln!("failed: {e}");
                }
            }
            println!("{}", serde_json::to_string_pretty(&done)?);
            Ok(if done.state == site::api::DownloadJobState::Succeeded {
                0
            } else {
                1
            })
        }
        Verb::Info => {
            let site = open(&folder)?;
            let info = site::dispatch(&site, &actor, "site_info", serde_json::Value::Null)
                .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!("{}", serde_json::to_string_pretty(&info)?);
            Ok(0)
        }
        Verb::GenCatalog {
            count,
            seed,
            out,
            import,
        } => {
            let docs = site::catalog::generator::generate(count, seed);
            if let Some(dir) = out {
                std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                let mut n = 0;
                for d in docs {
                    std::fs::write(dir.join(&d.file_name), d.xml)
                        .with_context(|| format!("writing into {}", dir.display()))?;
                    n += 1;
                }
                println!("{n} documents written to {}", dir.display());
            } else if import {
                let site = open(&folder)?;
                let started = std::time::Instant::now();
                let mut batch = Vec::with_capacity(BATCH);
                let mut total = 0usize;
                for d in docs {
                    batch.push(Document {
                        origin: d.file_name,
                        xml: d.xml,
                    });
                    if batch.len() == BATCH {
                        total += batch.len();
                        import_batch(&site, &actor, std::mem::take(&mut batch))?;
                        eprintln!("imported {total} documents ({:.1}s)", started.elapsed().as_secs_f64());
                    }
                }
                total += batch.len();
                import_batch(&site, &actor, batch)?;
                println!("{total} documents imported in {:.1}s", started.elapsed().as_secs_f64());
            } else {
                anyhow::bail!("Say where the documents go: --out DIR or --import.");
            }
            Ok(0)
        }
    }
}

const BATCH: usize = 5000;

fn import_batch(site: &Site, actor: &Actor, docs: Vec<Document>) -> anyhow::Result<()> {
    let report = import_documents(site, actor, docs).map_err(|e| anyhow::anyhow!("{}", e.message))?;
    anyhow::ensure!(
        report.errors.is_empty(),
        "generated documents were refused: {:?}",
        report.errors
    );
    Ok(())
}

/// The UI built in this checkout, when the binary runs from it.
fn default_ui_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("PATCHDECK_UI") {
        return Some(PathBuf::from(d));
    }
    let here = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../ui/dist"));
    here.join("index.html").exists().then_some(here)
}
