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
        /// Also serve them over HTTPS on this address (WSUS uses 8531), with the certificate
        /// and key given by --clients-cert and --clients-key.
        #[arg(long, value_name = "ADDR", requires_all = ["clients_cert", "clients_key"])]
        clients_tls_listen: Option<SocketAddr>,
        /// PEM certificate chain of the clients' HTTPS listener.
        #[arg(long, value_name = "FILE")]
        clients_cert: Option<PathBuf>,
        /// PEM private key of that certificate.
        #[arg(long, value_name = "FILE")]
        clients_key: Option<PathBuf>,
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
    /// Drive simulated Windows Update Agents against a client listener
    /// (`serve --clients-listen`), with the requests a real agent sends; print a summary and
    /// exit 1 if any call failed.
    ///
    /// Each computer (client id derived from seed and index, DNS name sim-<seed>-<index>, an
    /// OS and architecture drawn from the seed) does the handshake, the SyncUpdates pages and
    /// the driver pass, GetExtendedUpdateInfo for what it needs, downloads the approved files
    /// checking SHA-1 and SHA-256, installs them with --install, and reports its events.
    ///
    /// Applicability: only the constant <True/> IsInstalled rule is evaluated. Registry, file,
    /// version, WMI, processor, MSI and licence rules are NOT evaluated; instead, with
    /// draw = SHA-256("seed:index:salt:update-id") mod 100: a category without prerequisites
    /// is installed; another category is installed when draw(product) < 50, a detectoid when
    /// draw(detectoid) < 50; a software update is applicable when draw(applicable) < 70 and then
    /// installed when draw(installed) < 30; a bundle is needed when a member is; every
    /// prerequisite group needs an installed member first. An install succeeds when
    /// draw(install-outcome) < 90, is pending a restart below 95, else fails.
    SimulateClients {
        /// The client listener's base URL, e.g. http://127.0.0.1:8530.
        #[arg(long)]
        server: String,
        /// How many computers.
        #[arg(long, default_value_t = 10)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Install approved updates (and uninstall those marked Uninstall) after downloading.
        #[arg(long)]
        install: bool,
        /// Keep rescanning until this much time has passed (e.g. 90s, 5m, 1h); without it
        /// each computer does one cycle.
        #[arg(long, value_parser = parse_duration)]
        duration: Option<std::time::Duration>,
        /// Seconds between two scans of one computer (with --duration; jittered ±50%).
        #[arg(long, default_value_t = 10)]
        rescan_interval: u64,
        /// Computers in a cycle at the same time.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// Stop after RegisterComputer (for a server that serves only the handshake).
        #[arg(long)]
        handshake_only: bool,
    },
    /// Administrators of the site: who signs in to the console, with which role and scope.
    Admin {
        #[command(subcommand)]
        action: AdminVerb,
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

#[derive(Subcommand)]
pub enum AdminVerb {
    /// Create an administrator. The password is read from --password-file, else from the
    /// first line of standard input (never from the command line, which others can see).
    Create {
        #[arg(long)]
        name: String,
        /// Full Administrator, Software Update Manager, Read-only Analyst, or a composed role.
        #[arg(long)]
        role: String,
        /// Target groups (names, paths or ids, comma-separated) the administrator is limited to.
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
    /// List the administrators with their role and scope.
    List,
}

pub fn site_folder(cli: &Cli) -> PathBuf {
    cli.site.clone().unwrap_or_else(site::default_site_folder)
}

/// Where `serve` listens for Windows Update Agents.
struct ClientListeners {
    http: Option<SocketAddr>,
    https: Option<(SocketAddr, Arc<rustls::ServerConfig>)>,
}

/// The command line's addresses when it names any; else the site's client service
/// settings (all interfaces on their ports, as WSUS listens).
fn client_listeners(
    site: &Site,
    http: Option<SocketAddr>,
    https: Option<SocketAddr>,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
) -> anyhow::Result<ClientListeners> {
    use site::update_point::client_service;
    if http.is_some() || https.is_some() {
        let https = match (https, cert, key) {
            (Some(addr), Some(cert), Some(key)) => {
                let settings = site::api::ClientServiceSettings {
                    certificate_file: cert.display().to_string(),
                    private_key_file: key.display().to_string(),
                    ..client_service::defaults()
                };
                Some((addr, client_service::tls_config(&settings).map_err(anyhow::Error::msg)?))
            }
            _ => None,
        };
        return Ok(ClientListeners { http, https });
    }
    let s = client_service::load(site).map_err(|e| anyhow::anyhow!("{}", e.message))?;
    if !s.enabled {
        return Ok(ClientListeners {
            http: None,
            https: None,
        });
    }
    let any = |port: u16| SocketAddr::from(([0, 0, 0, 0], port));
    let https = if s.certificate_file.is_empty() {
        None
    } else {
        let tls = client_service::tls_config(&s).map_err(|e| {
            anyhow::anyhow!("The client service's HTTPS certificate cannot be used: {e} Fix it in Administration › Sites › Software Update Point › Clients, or start with --clients-listen.")
        })?;
        Some((any(s.https_port), tls))
    };
    if !s.require_ssl {
        tracing::warn!(port = s.http_port, "serving Windows Update clients over plain HTTP: update metadata and reports can be read and altered on the network; set a certificate and require SSL");
    }
    Ok(ClientListeners {
        http: (!s.require_ssl).then(|| any(s.http_port)),
        https,
    })
}

fn open(folder: &std::path::Path) -> anyhow::Result<Site> {
    Site::open(folder).map_err(|e| anyhow::anyhow!("{e}"))
}

/// `90`, `90s`, `5m`, `1h`.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("not a duration: {text:?} (e.g. 90s, 5m, 1h)"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("not a duration: {text:?} (e.g. 90s, 5m, 1h)")),
    };
    Ok(std::time::Duration::from_secs(secs))
}

pub fn run(cli: Cli) -> anyhow::Result<i32> {
    if let Verb::SimulateClients {
        server,
        count,
        seed,
        install,
        duration,
        rescan_interval,
        concurrency,
        handshake_only,
    } = &cli.verb
    {
        // Needs no site: it only talks to one over HTTP.
        let mut config = crate::simulate::Config::new(server, *count, *seed);
        config.install = *install;
        config.duration = *duration;
        config.rescan_interval = std::time::Duration::from_secs(*rescan_interval);
        config.concurrency = *concurrency;
        config.handshake_only = *handshake_only;
        let summary = crate::simulate::run(config).map_err(|e| anyhow::anyhow!("{e}"))?;
        print!("{summary}");
        return Ok(if summary.failed() { 1 } else { 0 });
    }
    let folder = site_folder(&cli);
    let actor = Actor::local_user();
    match cli.verb {
        Verb::Serve {
            listen,
            ui,
            clients_listen,
            clients_tls_listen,
            clients_cert,
            clients_key,
        } => {
            let site = Arc::new(open(&folder)?);
            let clients = client_listeners(&site, clients_listen, clients_tls_listen, clients_cert, clients_key)?;
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
                let mut served_on = Vec::new();
                if let Some(addr) = clients.http {
                    let l = crate::clients_http::bind(addr).await?;
                    served_on.push(format!("http://{}/", l.local_addr()?));
                    let site = state.site.clone();
                    tokio::spawn(async move {
                        if let Err(e) = crate::clients_http::serve(l, site).await {
                            tracing::error!(error = %e, "the Windows Update clients' listener stopped");
                        }
                    });
                }
                if let Some((addr, tls)) = clients.https {
                    let l = crate::clients_http::bind_tls(addr)?;
                    served_on.push(format!("https://{}/", l.local_addr()?));
                    let site = state.site.clone();
                    tokio::spawn(async move {
                        if let Err(e) = crate::clients_http::serve_tls(l, site, tls).await {
                            tracing::error!(error = %e, "the Windows Update clients' HTTPS listener stopped");
                        }
                    });
                }
                crate::http::serve(state, listen, ui, |addr| {
                    println!("Patchdeck site {} serving on http://{addr}/", folder.display());
                    for c in &served_on {
                        println!("Windows Update clients served on {c}");
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
                        new_package_description: None,
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
        // Handled before the site folder is opened.
        Verb::SimulateClients { .. } => Ok(0),
        Verb::Admin { action } => {
            let site = open(&folder)?;
            admin(&site, &actor, action)
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

fn call(site: &Site, actor: &Actor, name: &str, args: serde_json::Value) -> anyhow::Result<serde_json::Value> {
    site::dispatch(site, actor, name, args).map_err(|e| anyhow::anyhow!("{}", e.message))
}

fn admin(site: &Site, actor: &Actor, action: AdminVerb) -> anyhow::Result<i32> {
    match action {
        AdminVerb::Create {
            name,
            role,
            scope,
            password_file,
        } => {
            let password = match password_file {
                Some(f) => std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?,
                None => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("reading the password from standard input")?;
                    line
                }
            };
            let password = password.lines().next().unwrap_or("").to_string();
            let groups = call(site, actor, "list_target_groups", serde_json::Value::Null)?;
            let groups = groups.as_array().cloned().unwrap_or_default();
            let mut ids = Vec::new();
            for wanted in scope.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                let found = groups.iter().find(|g| {
                    g["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(wanted)
                        || g["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(wanted))
                        || g["path"].as_str().is_some_and(|p| p.eq_ignore_ascii_case(wanted))
                });
                match found.and_then(|g| g["id"].as_i64()) {
                    Some(id) => ids.push(id),
                    None => anyhow::bail!(
                        "There is no target group '{wanted}' to scope {name} to. `patchdeck admin list` and the console's Devices show them; give a name, a path or an id."
                    ),
                }
            }
            let args = serde_json::json!({ "name": name, "password": password, "role": role, "scope": ids });
            let made = call(site, actor, "create_admin", args)?;
            println!(
                "Administrator {} created with the role {}.",
                made["name"].as_str().unwrap_or(""),
                made["role"].as_str().unwrap_or("")
            );
            Ok(0)
        }
        AdminVerb::List => {
            let admins = call(site, actor, "list_admins", serde_json::Value::Null)?;
            println!("{:<24} {:<26} {:<10} scope", "name", "role", "state");
            for a in admins.as_array().into_iter().flatten() {
                let scope: Vec<String> = a["scope"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|g| g.to_string())
                    .collect();
                println!(
                    "{:<24} {:<26} {:<10} {}",
                    a["name"].as_str().unwrap_or(""),
                    a["role"].as_str().unwrap_or(""),
                    if a["disabled"].as_bool() == Some(true) {
                        "disabled"
                    } else {
                        "enabled"
                    },
                    if scope.is_empty() {
                        "whole site".to_string()
                    } else {
                        scope.join(",")
                    }
                );
            }
            Ok(0)
        }
    }
}
