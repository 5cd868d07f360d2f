//! One simulated computer: the calls a Windows Update Agent makes, in its order, with what it
//! holds between scans.
//!
//! A cycle is: the handshake when it has no session (GetConfig, SimpleAuth
//! GetAuthorizationCookie, GetCookie, RegisterComputer once); SyncUpdates pages, sending back
//! the non-leaf revisions it found installed and every other revision it holds, until a page
//! is not truncated and opens no new level; the driver pass; GetExtendedUpdateInfo for what
//! it needs; the approved files downloaded and checked (SHA-1 and SHA-256); with `--install`,
//! approved updates installed and Uninstall ones removed; then the events, in one batch.
//! A refused session cookie means a new handshake and the scan again, as the agent does.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use sha1::Digest as _;
use wsus::model::RevisionId;
use wsus::wusp::{
    ClientRequest, ClientResponse, ComputerInfo, Cookie, DeploymentAction, Device, FragmentType, GetCookieRequest,
    GetExtendedUpdateInfoRequest, InstalledDriver, ProductsParameters, ReportingEvent, SyncInfo, SyncUpdateParameters,
};

use super::core::{self, CoreFacts};
use super::extended::{self, FragmentFacts, UpdateFile};
use super::profile::{draw, Evaluator, Identity, State};
use super::report::{hresults, ids, Reporter};
use super::shared::Shared;
use super::transport::{SimError, Transport};

const PROTOCOL_VERSION: &str = "2.90";
/// Beyond this many pages in one scan the server is taken to be looping.
const MAX_PAGES: usize = 10_000;
/// `MaxExtendedUpdatesPerRequest` when GetConfig does not say (the captured WSUS says 50).
const DEFAULT_MAX_EXTENDED: usize = 50;

/// What one computer did, summed by the run.
#[derive(Debug, Default)]
pub struct Tally {
    pub cycles: u64,
    /// Completed scans (every SyncUpdates page and the driver pass answered).
    pub scans: u64,
    pub scan_latencies: Vec<Duration>,
    /// The scans after this computer's first complete one in this run (it held the catalog
    /// already): when each started and how long it took.
    pub rescans: Vec<(Instant, Duration)>,
    pub events_reported: u64,
    pub bytes_downloaded: u64,
    pub installed: u64,
    /// Installs the profile made fail (event 182): simulated, not failures of the run.
    pub simulated_install_failures: u64,
    pub uninstalled: u64,
    pub failures: Vec<SimError>,
}

/// An update the computer holds, as the server offered it.
#[derive(Debug, Clone)]
struct Held {
    rev_id: i32,
    revision: i64,
    is_leaf: bool,
    action: DeploymentAction,
}

struct Session {
    cookie: Cookie,
    max_extended: usize,
}

pub struct Computer {
    pub identity: Identity,
    seed: u64,
    install: bool,
    session: Option<Session>,
    registered: bool,
    held: HashMap<Arc<str>, Held>,
    facts: HashMap<Arc<str>, Arc<CoreFacts>>,
    by_rev: HashMap<i32, Arc<str>>,
    /// Revisions whose extended information this computer has: as the agent keeps it in its
    /// data store, it asks GetExtendedUpdateInfo only for revisions it has not seen.
    extended_known: HashSet<i32>,
    shared: Arc<Shared>,
    /// What this computer installed or removed itself, over the profile's draws.
    overrides: HashMap<String, State>,
}

/// What GetExtendedUpdateInfo said about the updates asked.
#[derive(Default)]
struct ExtendedInfo {
    files: HashMap<String, Vec<UpdateFile>>,
    titles: HashMap<String, String>,
    locations: HashMap<String, Arc<str>>,
}

impl Computer {
    pub fn new(seed: u64, index: u64, install: bool, shared: Arc<Shared>) -> Computer {
        Computer {
            identity: super::profile::identity(seed, index),
            seed,
            install,
            session: None,
            registered: false,
            held: HashMap::new(),
            facts: HashMap::new(),
            by_rev: HashMap::new(),
            extended_known: HashSet::new(),
            shared,
            overrides: HashMap::new(),
        }
    }

    /// One cycle. Failures are recorded in `tally`; the cycle stops at the first.
    pub async fn cycle(&mut self, t: &Transport, handshake_only: bool, tally: &mut Tally) {
        tally.cycles += 1;
        if let Err(e) = self.try_cycle(t, handshake_only, tally).await {
            tracing::warn!(computer = %self.identity.dns_name, kind = %e.kind(), error = %e, "simulated computer failed");
            if e.is_cookie_refused() {
                self.session = None;
            }
            tally.failures.push(e);
        }
    }

    async fn try_cycle(&mut self, t: &Transport, handshake_only: bool, tally: &mut Tally) -> Result<(), SimError> {
        if self.session.is_none() {
            self.handshake(t).await?;
        }
        if handshake_only {
            return Ok(());
        }
        let started = Instant::now();
        match self.scan(t, tally).await {
            Err(e) if e.is_cookie_refused() => {
                tracing::debug!(computer = %self.identity.dns_name, "session cookie refused: authenticating again");
                self.handshake(t).await?;
                self.scan(t, tally).await?;
            }
            other => other?,
        }
        let latency = started.elapsed();
        if tally.scans > 0 {
            tally.rescans.push((started, latency));
        }
        tally.scans += 1;
        tally.scan_latencies.push(latency);
        self.after_scan(t, tally).await
    }

    async fn handshake(&mut self, t: &Transport) -> Result<(), SimError> {
        let config = match call(
            t,
            ClientRequest::GetConfig {
                protocol_version: Some(PROTOCOL_VERSION.into()),
            },
        )
        .await?
        {
            ClientResponse::GetConfig(c) => c,
            other => return Err(unexpected("GetConfig", &other)),
        };
        let max_extended = config
            .property("MaxExtendedUpdatesPerRequest")
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(DEFAULT_MAX_EXTENDED)
            .clamp(1, 10_000);
        let auth = match call(
            t,
            ClientRequest::GetAuthorizationCookie {
                client_id: self.identity.client_id.clone(),
                target_group_name: None,
                dns_name: Some(self.identity.dns_name.clone()),
            },
        )
        .await?
        {
            ClientResponse::GetAuthorizationCookie(a) => a,
            other => return Err(unexpected("GetAuthorizationCookie", &other)),
        };
        let cookie = match call(
            t,
            ClientRequest::GetCookie(GetCookieRequest {
                auth_cookies: vec![auth],
                old_cookie: None,
                last_change: Some(config.last_change.clone()),
                current_time: Some(now()),
                protocol_version: Some(PROTOCOL_VERSION.into()),
            }),
        )
        .await?
        {
            ClientResponse::GetCookie(c) => c,
            other => return Err(unexpected("GetCookie", &other)),
        };
        if !self.registered {
            match call(
                t,
                ClientRequest::RegisterComputer {
                    cookie: Some(cookie.clone()),
                    computer_info: self.computer_info(),
                },
            )
            .await?
            {
                ClientResponse::RegisterComputer => self.registered = true,
                other => return Err(unexpected("RegisterComputer", &other)),
            }
        }
        self.session = Some(Session { cookie, max_extended });
        Ok(())
    }

    fn cookie(&self) -> Option<Cookie> {
        self.session.as_ref().map(|s| s.cookie.clone())
    }

    async fn sync(&mut self, t: &Transport, parameters: SyncUpdateParameters) -> Result<SyncInfo, SimError> {
        let info = match call(
            t,
            ClientRequest::SyncUpdates {
                cookie: self.cookie(),
                parameters,
            },
        )
        .await?
        {
            ClientResponse::SyncUpdates(info) => info,
            other => return Err(unexpected("SyncUpdates", &other)),
        };
        if let Some(session) = self.session.as_mut() {
            if !info.new_cookie.expiration.is_empty() {
                session.cookie = info.new_cookie.clone();
            }
        }
        for rev in &info.out_of_scope_revision_ids {
            if let Some(id) = self.by_rev.remove(rev) {
                self.held.remove(&id);
                self.facts.remove(&id);
            }
            self.extended_known.remove(rev);
        }
        for update in info.new_updates.iter().chain(&info.changed_updates) {
            let known = self.shared.core(update.id, || {
                core::read(&update.xml).map_err(|e| SimError::Core {
                    update_id: format!("revision {}", update.id),
                    detail: e.to_string(),
                })
            })?;
            let id = known.update_id;
            if let Some(old) = self.held.get(&id) {
                if old.rev_id != update.id {
                    self.by_rev.remove(&old.rev_id);
                    self.extended_known.remove(&old.rev_id);
                }
            }
            self.by_rev.insert(update.id, id.clone());
            self.held.insert(
                id.clone(),
                Held {
                    rev_id: update.id,
                    revision: known.facts.revision,
                    is_leaf: update.is_leaf,
                    action: update.deployment.action.clone(),
                },
            );
            self.facts.insert(id, known.facts);
        }
        Ok(info)
    }

    /// (installed non-leaf revisions, every other revision held), each sorted.
    fn cached_ids(&self) -> (Vec<i32>, Vec<i32>) {
        let mut eval = Evaluator::new(self.seed, self.identity.index, &self.facts).with_overrides(&self.overrides);
        let (mut installed, mut other) = (Vec::new(), Vec::new());
        for (id, held) in &self.held {
            let present = !held.is_leaf && matches!(eval.state(id), Some(State::Present | State::Installed));
            if present {
                installed.push(held.rev_id);
            } else {
                other.push(held.rev_id);
            }
        }
        installed.sort_unstable();
        other.sort_unstable();
        (installed, other)
    }

    async fn scan(&mut self, t: &Transport, _tally: &mut Tally) -> Result<(), SimError> {
        let mut pages = 0;
        loop {
            let (installed, other) = self.cached_ids();
            let info = self.sync(t, self.software_parameters(installed.clone(), other)).await?;
            pages += 1;
            if pages > MAX_PAGES {
                return Err(SimError::EndlessScan { pages });
            }
            // As the agent: a page that brought non-leaf updates found installed opens the
            // next level of the catalog, so it asks again even when not truncated
            // (scan/000006-8).
            let opened = self.cached_ids().0 != installed;
            if !info.truncated && !opened {
                break;
            }
        }
        let (installed, other) = self.cached_ids();
        let mut driver = self.software_parameters(installed, other);
        driver.skip_software_sync = true;
        driver.system_spec = Some(devices());
        driver.computer_hardware_ids = vec![self.identity.client_id.clone()];
        driver.feature_score_matching_key = Some(format!("{}.10.0", self.identity.architecture.0));
        self.sync(t, driver).await?;
        Ok(())
    }

    fn software_parameters(&self, installed: Vec<i32>, other: Vec<i32>) -> SyncUpdateParameters {
        SyncUpdateParameters {
            express_query: false,
            installed_non_leaf_update_ids: installed,
            other_cached_update_ids: other,
            skip_software_sync: false,
            system_spec: None,
            filter_category_ids: Vec::new(),
            need_two_group_out_of_scope_updates: true,
            also_perform_regular_sync: true,
            computer_hardware_ids: Vec::new(),
            feature_score_matching_key: None,
            products: Some(ProductsParameters {
                sync_current_version_only: false,
                device_attributes: Some(self.device_attributes()),
                caller_attributes: Some(caller_attributes()),
                products: None,
            }),
        }
    }

    /// Software update ids by state, after the scan (the `U` and `V` lists).
    fn software_states(&self) -> (Vec<String>, Vec<String>) {
        let mut eval = Evaluator::new(self.seed, self.identity.index, &self.facts).with_overrides(&self.overrides);
        let (mut needed, mut installed) = (Vec::new(), Vec::new());
        for (id, facts) in &self.facts {
            if !facts.is_software() {
                continue;
            }
            match eval.state(id) {
                Some(State::Needed) => needed.push(id.to_string()),
                Some(State::Installed) => installed.push(id.to_string()),
                _ => {}
            }
        }
        needed.sort();
        installed.sort();
        (needed, installed)
    }

    async fn after_scan(&mut self, t: &Transport, tally: &mut Tally) -> Result<(), SimError> {
        let (needed, installed) = self.software_states();
        // The reporter keeps its own copy: the installs below change the computer.
        let identity = self.identity.clone();
        let reporter = Reporter {
            identity: &identity,
            time: now(),
        };
        let mut events = vec![
            reporter.detection_succeeded(needed.len()),
            reporter.status(&needed, &installed),
        ];
        let info = self.extended_info(t, &needed).await?;
        let approved: Vec<String> = needed
            .iter()
            .filter(|id| self.held.get(id.as_str()).map(|h| &h.action) == Some(&DeploymentAction::Install))
            .cloned()
            .collect();
        let mut fetched: HashMap<String, bool> = HashMap::new();
        let mut failure = None;
        for id in &approved {
            let (revision, title) = self.named(id, &info);
            events.push(reporter.about(ids::DOWNLOAD_STARTED, &revision, &title, 0, Vec::new()));
            let mut with_members = vec![id.clone()];
            if let Some(f) = self.facts.get(id.as_str()) {
                with_members.extend(f.bundled.iter().filter(|m| needed.contains(m)).cloned());
            }
            let mut bytes = 0u64;
            let mut result = Ok(());
            'files: for part in &with_members {
                for file in info.files.get(part).into_iter().flatten() {
                    if let Some(&ok) = fetched.get(&file.sha1_base64) {
                        if !ok {
                            result = Err(hresults::NOT_DOWNLOADED);
                            break 'files;
                        }
                        continue;
                    }
                    match fetch(t, part, file, &info).await {
                        Ok(n) => {
                            bytes += n;
                            fetched.insert(file.sha1_base64.clone(), true);
                        }
                        Err(e) => {
                            fetched.insert(file.sha1_base64.clone(), false);
                            result = Err(if matches!(e, SimError::Digest { .. }) {
                                hresults::INCORRECT_FILE_HASH
                            } else {
                                hresults::NOT_DOWNLOADED
                            });
                            tracing::warn!(computer = %self.identity.dns_name, update = %part, error = %e, "download failed");
                            failure.get_or_insert(e);
                            break 'files;
                        }
                    }
                }
            }
            tally.bytes_downloaded += bytes;
            if let Err(hresult) = result {
                events.push(reporter.about(ids::DOWNLOAD_FAILED, &revision, &title, hresult, Vec::new()));
                continue;
            }
            events.push(reporter.about(
                ids::DOWNLOAD_SUCCEEDED,
                &revision,
                &title,
                0,
                vec![format!("B={bytes}")],
            ));
            if self.install {
                events.extend(self.install_one(&reporter, id, &revision, &title, &with_members, tally));
            }
        }
        if self.install {
            events.extend(self.uninstall_approved(&reporter, &installed, &info, tally));
        }
        self.report(t, events, tally).await?;
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// 181, then 183 (or 201 with a restart pending, or 182) by the profile's
    /// `draw("install-outcome")`: below 90 succeeded, below 95 pending restart, else failed.
    fn install_one(
        &mut self,
        reporter: &Reporter,
        id: &str,
        revision: &RevisionId,
        title: &str,
        parts: &[String],
        tally: &mut Tally,
    ) -> Vec<ReportingEvent> {
        let mut events = vec![reporter.about(ids::INSTALL_STARTED, revision, title, 0, Vec::new())];
        let outcome = draw(self.seed, self.identity.index, "install-outcome", id);
        if outcome < 95 {
            for part in parts {
                self.overrides.insert(part.clone(), State::Installed);
            }
            tally.installed += 1;
            events.push(if outcome < 90 {
                reporter.about(ids::INSTALL_SUCCEEDED, revision, title, 0, Vec::new())
            } else {
                reporter.about(
                    ids::INSTALL_PENDING,
                    revision,
                    title,
                    hresults::REBOOT_REQUIRED,
                    vec!["D=1".into()],
                )
            });
        } else {
            tally.simulated_install_failures += 1;
            events.push(reporter.about(
                ids::INSTALL_FAILED,
                revision,
                title,
                hresults::INSTALL_FAILED,
                vec![format!("F={}", hresults::INSTALL_FAILED)],
            ));
        }
        events
    }

    /// Installed updates the server marks Uninstall: 226, then 222; they are needed again.
    fn uninstall_approved(
        &mut self,
        reporter: &Reporter,
        installed: &[String],
        info: &ExtendedInfo,
        tally: &mut Tally,
    ) -> Vec<ReportingEvent> {
        let mut events = Vec::new();
        for id in installed {
            if self.held.get(id.as_str()).map(|h| &h.action) != Some(&DeploymentAction::Uninstall) {
                continue;
            }
            let (revision, title) = self.named(id, info);
            events.push(reporter.about(ids::UNINSTALL_STARTED, &revision, &title, 0, Vec::new()));
            events.push(reporter.about(ids::UNINSTALL_SUCCEEDED, &revision, &title, 0, Vec::new()));
            self.overrides.insert(id.clone(), State::Needed);
            tally.uninstalled += 1;
        }
        events
    }

    fn named(&self, id: &str, info: &ExtendedInfo) -> (RevisionId, String) {
        let revision = RevisionId {
            update_id: id.to_owned(),
            revision: self.held.get(id).map(|h| h.revision).unwrap_or_default(),
        };
        let title = info.titles.get(id).cloned().unwrap_or_else(|| id.to_owned());
        (revision, title)
    }

    /// What `updates` need to be downloaded and named: GetExtendedUpdateInfo (at most
    /// `MaxExtendedUpdatesPerRequest` a call) for the revisions this computer has not asked
    /// about yet, the rest from what it kept.
    async fn extended_info(&mut self, t: &Transport, updates: &[String]) -> Result<ExtendedInfo, SimError> {
        let revs: Vec<(i32, &String)> = updates
            .iter()
            .filter_map(|id| self.held.get(id.as_str()).map(|h| (h.rev_id, id)))
            .collect();
        let unseen: Vec<i32> = revs
            .iter()
            .map(|(rev, _)| *rev)
            .filter(|rev| !self.extended_known.contains(rev))
            .collect();
        let chunk = self
            .session
            .as_ref()
            .map(|s| s.max_extended)
            .unwrap_or(DEFAULT_MAX_EXTENDED);
        for part in unseen.chunks(chunk) {
            let request = ClientRequest::GetExtendedUpdateInfo(GetExtendedUpdateInfoRequest {
                cookie: self.cookie(),
                revision_ids: part.to_vec(),
                info_types: vec![FragmentType::Extended, FragmentType::LocalizedProperties],
                locales: vec!["en-US".into(), "en".into()],
                device_attributes: Some(self.device_attributes()),
                geo_id: Some("USA".into()),
                caller_attributes: Some(caller_attributes()),
            });
            let answer = match call(t, request).await? {
                ClientResponse::GetExtendedUpdateInfo(a) => a,
                other => return Err(unexpected("GetExtendedUpdateInfo", &other)),
            };
            // Every computer asking about a revision gets the same fragments: read them only
            // when no computer has yet (two at once both read; the first kept wins).
            let mut read: HashMap<i32, FragmentFacts> = HashMap::new();
            for fragment in &answer.updates {
                if !self.by_rev.contains_key(&fragment.id) || self.shared.extended(fragment.id).is_some() {
                    continue;
                }
                let facts = extended::read(&fragment.xml).map_err(|detail| SimError::Malformed {
                    operation: "GetExtendedUpdateInfo".into(),
                    detail: format!("revision {}: {detail}", fragment.id),
                })?;
                let merged = read.entry(fragment.id).or_default();
                merged.files.extend(facts.files);
                if merged.title.is_none() {
                    merged.title = facts.title;
                }
            }
            for (rev, facts) in read {
                self.shared.put_extended(rev, facts);
            }
            for location in answer.file_locations {
                self.shared.add_location(location.file_digest, location.url);
            }
            self.extended_known.extend(part.iter().copied());
        }
        let mut out = ExtendedInfo::default();
        for (rev, id) in revs {
            let Some(facts) = self.shared.extended(rev) else {
                continue;
            };
            for file in &facts.files {
                if let Some(url) = self.shared.location(&file.sha1_base64) {
                    out.locations.insert(file.sha1_base64.clone(), url);
                }
            }
            if !facts.files.is_empty() {
                out.files.insert(id.clone(), facts.files.clone());
            }
            if let Some(title) = &facts.title {
                out.titles.insert(id.clone(), title.clone());
            }
        }
        Ok(out)
    }

    async fn report(&mut self, t: &Transport, events: Vec<ReportingEvent>, tally: &mut Tally) -> Result<(), SimError> {
        let count = events.len() as u64;
        let request = ClientRequest::ReportEventBatch {
            cookie: self.cookie(),
            client_time: Some(now()),
            events,
        };
        match call(t, request).await? {
            ClientResponse::ReportEventBatch(true) => {
                tally.events_reported += count;
                Ok(())
            }
            ClientResponse::ReportEventBatch(false) => Err(SimError::Malformed {
                operation: "ReportEventBatch".into(),
                detail: "the server answered false: the events were not stored".into(),
            }),
            other => Err(unexpected("ReportEventBatch", &other)),
        }
    }

    fn computer_info(&self) -> ComputerInfo {
        let os = self.identity.os;
        ComputerInfo {
            dns_name: Some(self.identity.dns_name.clone()),
            os_major_version: os.major,
            os_minor_version: os.minor,
            os_build_number: os.build,
            os_service_pack_major_number: 0,
            os_service_pack_minor_number: 0,
            os_locale: Some("en-US".into()),
            computer_manufacturer: Some("Patchdeck".into()),
            computer_model: Some("Simulated PC".into()),
            bios_version: Some("unknown".into()),
            bios_name: Some("unknown".into()),
            bios_release_date: Some("2022-02-02T00:00:00Z".into()),
            processor_architecture: Some(self.identity.architecture.0.into()),
            suite_mask: Some(256),
            old_product_type: Some(os.product_type),
            new_product_type: Some(if os.product_type == 1 { 48 } else { 8 }),
            system_metrics: Some(0),
            client_version_major_number: 1507,
            client_version_minor_number: 2601,
            client_version_build_number: 30012,
            client_version_qfe_number: 0,
            os_description: Some(os.description.into()),
            oem: Some("Patchdeck".into()),
            device_type: Some("Simulated PC".into()),
            firmware_version: Some("unknown".into()),
            mobile_operator: Some("Not Present".into()),
        }
    }

    fn device_attributes(&self) -> String {
        let os = self.identity.os;
        format!(
            "App=WU_OS;AppVer=1507.2601.30012.0;DeviceFamily={};DL_OSVersion={}.{}.{}.0;OSArchitecture={};",
            if os.product_type == 1 {
                "Windows.Desktop"
            } else {
                "Windows.Server"
            },
            os.major,
            os.minor,
            os.build,
            self.identity.architecture.0
        )
    }

    /// Updates held by update id, with the action each was last sent with.
    pub fn offers(&self) -> BTreeMap<String, String> {
        self.held
            .iter()
            .map(|(id, h)| (id.to_string(), h.action.name().to_owned()))
            .collect()
    }

    /// Updates held by update id, with the revision number each was last sent as.
    pub fn revisions(&self) -> BTreeMap<String, i64> {
        self.held.iter().map(|(id, h)| (id.to_string(), h.revision)).collect()
    }

    /// Updates held, for tests: (update id, revision id, action).
    pub fn held(&self) -> BTreeSet<(String, i32, String)> {
        self.held
            .iter()
            .map(|(id, h)| (id.to_string(), h.rev_id, h.action.name().to_owned()))
            .collect()
    }
}

fn caller_attributes() -> String {
    "Interactive=0;SheddingAware=1;Id=Patchdeck fleet simulator;".into()
}

/// A small `SystemSpec`: two devices with their installed drivers, shaped as scan/000009's.
fn devices() -> Vec<Device> {
    let device = |hwid: &str, class: &str, model: &str| Device {
        hardware_ids: vec![hwid.to_owned()],
        compatible_ids: Vec::new(),
        installed_driver: Some(InstalledDriver {
            matching_id: Some(hwid.to_owned()),
            driver_ver_date: Some("2006-06-21T00:00:00Z".into()),
            driver_ver_version: Some(2_814_751_477_604_196),
            class: Some(class.to_owned()),
            manufacturer: Some("Microsoft".into()),
            provider: Some("Microsoft".into()),
            model: Some(model.to_owned()),
            matching_computer_hwid: None,
            driver_rank: Some(-1),
            skip_provider_filtering: None,
            is_generic: None,
        }),
        device_flags: Some(1),
        extension_drivers: Vec::new(),
    };
    vec![
        device(
            "{6d170653-5280-44c2-ba44-2c04bc9d46da}",
            "Printer",
            "Universal Print Class Driver",
        ),
        device("ACPI\\PNP0303", "Keyboard", "Standard PS/2 Keyboard"),
    ]
}

/// Downloads one file and checks it against both digests the update names.
async fn fetch(t: &Transport, update_id: &str, file: &UpdateFile, info: &ExtendedInfo) -> Result<u64, SimError> {
    let url = info
        .locations
        .get(&file.sha1_base64)
        .ok_or_else(|| SimError::NoLocation {
            update_id: update_id.to_owned(),
            name: file.name.clone(),
        })?;
    let bytes = t.download(url).await?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let sha1 = b64.encode(sha1::Sha1::digest(&bytes));
    if sha1 != file.sha1_base64 {
        return Err(SimError::Digest {
            url: url.to_string(),
            algorithm: "SHA-1",
            expected: file.sha1_base64.clone(),
            got: sha1,
        });
    }
    if let Some(expected) = &file.sha256_base64 {
        let sha256 = b64.encode(sha2::Sha256::digest(&bytes));
        if &sha256 != expected {
            return Err(SimError::Digest {
                url: url.to_string(),
                algorithm: "SHA-256",
                expected: expected.clone(),
                got: sha256,
            });
        }
    }
    Ok(bytes.len() as u64)
}

async fn call(t: &Transport, request: ClientRequest) -> Result<ClientResponse, SimError> {
    t.call(&request).await.map(|(answer, _)| answer)
}

fn unexpected(operation: &str, answer: &ClientResponse) -> SimError {
    SimError::Malformed {
        operation: operation.to_owned(),
        detail: format!("answered as {}", answer.operation().name()),
    }
}

fn now() -> String {
    site::now_utc()
}
