//! One synchronization run: the MS-WSUSSS sequence against an upstream, applied to the
//! catalog batch by batch.
//!
//! Authenticate (GetAuthConfig, GetAuthorizationCookie, GetCookie) → GetConfigData (batch
//! limit) → GetRevisionIdList with GetConfig (categories first) → GetUpdateData for what is
//! missing → GetRevisionIdList for the chosen products and classifications → GetUpdateData
//! for what is missing. Every batch lands in its own transaction, and an anchor is stored
//! only once its pass is complete, so a run killed part-way leaves a consistent catalog and
//! the next run asks again from the old anchor and fetches only what is still missing.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, RwLock};

use wsus::protocol::{AuthorizationCookie, Cookie, IdAndDelta, ServerSyncFilter, PROTOCOL_VERSION};
use wsus::{Request, Response, RevisionId};

use super::RunLog;
use crate::catalog::import::{import_documents, Document};
use crate::handle::{Actor, Site};
use crate::update_point::transport::{CallError, Retry, Transport};
use crate::wire::{ApiError, SyncSettings};

/// What a run did, for its row in Monitoring; for a failed run, what arrived before.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub new: i64,
    pub changed: i64,
    pub expired: i64,
    pub fetched: i64,
    pub anchor: Option<String>,
    /// Revisions the upstream holds in products this site holds that were not chosen.
    pub not_chosen: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Call(#[from] CallError),
    #[error("the site database failed: {0}")]
    Site(String),
    #[error("the upstream sent {0}")]
    Protocol(String),
    #[error(
        "{call}: asked for alone, update {update} still gets InternalServerError. The upstream \
         lists it but cannot give it (WSUS answers so for an update it does not hold); the other \
         updates asked for with it were imported"
    )]
    Unavailable { call: Box<CallError>, update: String },
}

/// A run that stopped: why, and what it committed before (kept, so the next run goes on
/// from there).
#[derive(Debug)]
pub struct Failed {
    pub error: SyncError,
    pub arrived: Outcome,
}

impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        SyncError::Site(e.message)
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Site(e.to_string())
    }
}

/// GetUpdateData calls in flight at once.
const PARALLEL_CALLS: usize = 4;
/// Documents imported per transaction.
const IMPORT_GROUP: usize = 1000;

/// Batch size when the upstream states none (Microsoft's limit).
const DEFAULT_BATCH: usize = 100;

struct Session<'a> {
    site: &'a Site,
    transport: &'a dyn Transport,
    root: String,
    cookie: Option<Cookie>,
    log: &'a RunLog,
}

impl Session<'_> {
    fn authenticate(&mut self) -> Result<(), SyncError> {
        self.log.info("authenticating with the upstream");
        let config = self.call_raw(&Request::GetAuthConfig)?;
        if let Response::AuthConfig(c) = &config {
            self.log.info(&format!(
                "authorization plug-ins: {}",
                c.plugins
                    .iter()
                    .map(|p| p.plugin_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let (account_name, account_guid) = account(self.site)?;
        let auth = match self.call_raw(&Request::GetAuthorizationCookie {
            account_name,
            account_guid,
        })? {
            Response::AuthorizationCookie(c) => c,
            other => return Err(unexpected("GetAuthorizationCookie", &other)),
        };
        let request = Request::GetCookie {
            authorization_cookies: vec![AuthorizationCookie {
                plugin_id: auth.plugin_id,
                cookie_data: auth.cookie_data,
            }],
            old_cookie: self.cookie.take(),
            protocol_version: PROTOCOL_VERSION.to_string(),
        };
        let cookie = match self.call_raw(&request)? {
            Response::Cookie(c) => c,
            other => return Err(unexpected("GetCookie", &other)),
        };
        self.log.info(&format!("cookie valid until {}", cookie.expiration));
        self.cookie = Some(cookie);
        Ok(())
    }

    fn call_raw(&self, request: &Request) -> Result<Response, SyncError> {
        Ok(self.transport.call(&self.root, request, &|r| log_retry(self.log, r))?)
    }

    /// A call that needs the cookie: an expired or refused cookie means authenticating
    /// again and repeating the call once.
    fn call(&mut self, make: &dyn Fn(Option<Cookie>) -> Request) -> Result<Response, SyncError> {
        match self.call_raw(&make(self.cookie.clone())) {
            Err(SyncError::Call(e)) if cookie_refused(&e) => {
                self.log.warn(&format!("{e}; authenticating again"));
                self.authenticate()?;
                self.call_raw(&make(self.cookie.clone()))
            }
            other => other,
        }
    }

    /// Downloads the revisions this site does not hold: several GetUpdateData calls in
    /// flight at once, their documents imported in transactions of about a thousand.
    fn fetch_missing(
        &mut self,
        ids: &[RevisionId],
        batch: usize,
        what: &str,
        out: &mut Outcome,
    ) -> Result<(), SyncError> {
        let missing = missing_revisions(self.site, ids)?;
        self.log.info(&format!(
            "{what}: {} revisions listed, {} to download",
            ids.len(),
            missing.len()
        ));
        let total = missing.len() as i64;
        let chunks: Vec<Vec<RevisionId>> = missing.chunks(batch.max(1)).map(<[RevisionId]>::to_vec).collect();
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let cookie = RwLock::new(self.cookie.clone());
        // Bounded: when importing is the slower side, the workers wait instead of piling up
        // answers in memory.
        let (tx, rx) = mpsc::sync_channel::<(usize, Result<Response, CallError>)>(PARALLEL_CALLS * 2);
        let (transport, root, log) = (self.transport, self.root.clone(), self.log);
        std::thread::scope(|scope| -> Result<(), SyncError> {
            for _ in 0..PARALLEL_CALLS.min(chunks.len()) {
                let tx = tx.clone();
                let (chunks, next, stop, cookie, root) = (&chunks, &next, &stop, &cookie, &root);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= chunks.len() || stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let current = cookie.read().map(|c| c.clone()).unwrap_or(None);
                    let answer = transport.call(
                        root,
                        &Request::GetUpdateData {
                            cookie: current,
                            update_ids: chunks[i].clone(),
                        },
                        &|r| log_retry(log, r),
                    );
                    if tx.send((i, answer)).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            let result = self.receive(&rx, &chunks, &cookie, &stop, what, total, out);
            // Whatever happened, the workers stop taking new calls, and one blocked on a
            // full channel is released.
            stop.store(true, Ordering::SeqCst);
            drop(rx);
            result
        })
    }

    /// Takes the workers' answers, retries a refused cookie on this thread, checks and
    /// imports the documents. A request that failed after its retries does not stop the
    /// others: everything that arrives whole is imported, and the pass then fails with the
    /// first failure, so the next run fetches only what is still missing. Only when
    /// `PARALLEL_CALLS` requests in a row fail (the upstream is gone, not flaky) does no new
    /// call start.
    #[allow(clippy::too_many_arguments)]
    fn receive(
        &mut self,
        rx: &mpsc::Receiver<(usize, Result<Response, CallError>)>,
        chunks: &[Vec<RevisionId>],
        shared_cookie: &RwLock<Option<Cookie>>,
        stop: &AtomicBool,
        what: &str,
        total: i64,
        out: &mut Outcome,
    ) -> Result<(), SyncError> {
        let mut pending: Vec<Document> = Vec::new();
        let mut received = 0i64;
        let mut failed: Option<SyncError> = None;
        let (mut failures, mut in_a_row) = (0usize, 0usize);
        for (i, answer) in rx.iter() {
            let stopping = stop.load(Ordering::SeqCst);
            let (docs, problem) = match self.take_answer(&chunks[i], answer, shared_cookie, !stopping) {
                Ok(taken) => taken,
                Err(e) => (Vec::new(), Some(e)),
            };
            pending.extend(docs);
            match problem {
                None => {
                    received += chunks[i].len() as i64;
                    in_a_row = 0;
                }
                Some(e) => {
                    failures += 1;
                    in_a_row += 1;
                    self.log.error(&format!(
                        "{e}; what it did not bring is asked for again by the next synchronization"
                    ));
                    if in_a_row >= PARALLEL_CALLS && !stopping {
                        self.log.warn(&format!(
                            "{in_a_row} requests in a row failed: no new request is sent in this run"
                        ));
                        stop.store(true, Ordering::SeqCst);
                    }
                    failed.get_or_insert(e);
                }
            }
            if pending.len() >= IMPORT_GROUP {
                self.import(std::mem::take(&mut pending), out)?;
                self.log
                    .progress(received, total, &format!("{what}: {received} of {total} downloaded"));
            }
        }
        if !pending.is_empty() {
            self.import(pending, out)?;
        }
        self.log
            .progress(received, total, &format!("{what}: {received} of {total} downloaded"));
        match failed {
            Some(e) => {
                if failures > 1 {
                    self.log
                        .error(&format!("{what}: {failures} requests failed; the first is reported"));
                }
                Err(e)
            }
            None => Ok(()),
        }
    }

    /// The documents of one GetUpdateData answer that were asked for and whose digests check,
    /// and what was wrong with the others. A refused cookie is renewed and the call repeated
    /// here, unless the run is already stopping (`may_call` false).
    fn take_answer(
        &mut self,
        ids: &[RevisionId],
        answer: Result<Response, CallError>,
        shared_cookie: &RwLock<Option<Cookie>>,
        may_call: bool,
    ) -> Result<(Vec<Document>, Option<SyncError>), SyncError> {
        let answer = match answer {
            Err(e) if may_call && cookie_refused(&e) => {
                self.log.warn(&format!("{e}; authenticating again"));
                self.authenticate()?;
                if let Ok(mut c) = shared_cookie.write() {
                    *c = self.cookie.clone();
                }
                self.call(&|cookie| Request::GetUpdateData {
                    cookie,
                    update_ids: ids.to_vec(),
                })?
            }
            // WSUS answers a batch holding one id it does not have with InternalServerError,
            // as it does when it is failing (exchange 000017): halves tell the two apart and
            // keep the rest of the batch.
            Err(e) if may_call && ids.len() > 1 && internal_error(&e) => {
                return self.bisect(ids, &e, shared_cookie);
            }
            Err(e) if ids.len() == 1 && internal_error(&e) => {
                let update = format!("{} r{}", ids[0].update_id, ids[0].revision);
                return Ok((
                    Vec::new(),
                    Some(SyncError::Unavailable {
                        call: Box::new(e),
                        update,
                    }),
                ));
            }
            other => other?,
        };
        let data = match answer {
            Response::UpdateData(d) => d,
            other => return Err(unexpected("GetUpdateData", &other)),
        };
        let expected: BTreeSet<&RevisionId> = ids.iter().collect();
        let mut docs = Vec::with_capacity(data.updates.len());
        let mut problem = None;
        for u in data.updates {
            if !expected.contains(&u.id) {
                continue;
            }
            // The digests listed beside each document must be the ones its metadata names:
            // otherwise content fetched later could not be trusted.
            if let Some(d) = u
                .file_digests
                .iter()
                .find(|d| !u.xml.contains(&format!("Digest=\"{d}\"")))
            {
                problem.get_or_insert(SyncError::Protocol(format!(
                    "a file digest ({d}) for update {} r{} that its metadata does not name",
                    u.id.update_id, u.id.revision
                )));
                continue;
            }
            docs.push(Document {
                origin: format!("{} r{}", u.id.update_id, u.id.revision),
                xml: u.xml,
            });
        }
        Ok((docs, problem))
    }

    /// Asks for each half of a batch the upstream refused with InternalServerError, down
    /// to the single revisions it cannot give.
    fn bisect(
        &mut self,
        ids: &[RevisionId],
        failure: &CallError,
        shared_cookie: &RwLock<Option<Cookie>>,
    ) -> Result<(Vec<Document>, Option<SyncError>), SyncError> {
        self.log.warn(&format!(
            "{failure}: asking for its {} revisions in halves to find what the upstream cannot give",
            ids.len()
        ));
        let (mut docs, mut problem) = (Vec::new(), None);
        for half in ids.chunks(ids.len().div_ceil(2)) {
            let answer = self.transport.call(
                &self.root,
                &Request::GetUpdateData {
                    cookie: self.cookie.clone(),
                    update_ids: half.to_vec(),
                },
                &|r| log_retry(self.log, r),
            );
            let (got, p) = self.take_answer(half, answer, shared_cookie, true)?;
            docs.extend(got);
            if let Some(p) = p {
                problem.get_or_insert(p);
            }
        }
        Ok((docs, problem))
    }

    fn import(&self, docs: Vec<Document>, out: &mut Outcome) -> Result<(), SyncError> {
        let expired = docs
            .iter()
            .filter(|d| d.xml.contains("PublicationState=\"Expired\""))
            .count() as i64;
        let got = docs.len() as i64;
        let report = import_documents(self.site, &Actor::new("sync"), docs)?;
        for e in &report.errors {
            self.log.error(&format!("refused from the upstream: {e}"));
        }
        if let Some(first) = report.errors.first() {
            return Err(SyncError::Protocol(format!(
                "{} update documents that could not be read (first: {first})",
                report.errors.len()
            )));
        }
        out.fetched += got;
        out.new += report.new_updates;
        out.changed += report.new_revisions - report.new_updates;
        out.expired += expired;
        Ok(())
    }
}

/// Runs one synchronization to completion, or to the failure that stops it.
pub fn run(site: &Site, settings: &SyncSettings, transport: &dyn Transport, log: &RunLog) -> Result<Outcome, Failed> {
    let mut out = Outcome::default();
    match run_into(site, settings, transport, log, &mut out) {
        Ok(()) => Ok(out),
        Err(error) => Err(Failed { error, arrived: out }),
    }
}

fn run_into(
    site: &Site,
    settings: &SyncSettings,
    transport: &dyn Transport,
    log: &RunLog,
    out: &mut Outcome,
) -> Result<(), SyncError> {
    let root = crate::update_point::settings::upstream_root(settings);
    let mut s = Session {
        site,
        transport,
        root: root.clone(),
        cookie: None,
        log,
    };
    log.info(&format!("synchronizing from {root}"));
    s.authenticate()?;

    let config_anchor = meta(site, "sync.config_anchor")?;
    let config = match s.call(&|cookie| Request::GetConfigData {
        cookie,
        config_anchor: config_anchor.clone(),
    })? {
        Response::ConfigData(c) => c,
        other => return Err(unexpected("GetConfigData", &other)),
    };
    let batch = match usize::try_from(config.max_updates_per_request) {
        Ok(n) if n > 0 => n,
        _ => DEFAULT_BATCH,
    };
    log.info(&format!("upstream allows {batch} updates per request"));

    // Categories (companies, products, classifications) and detectoids first.
    let anchor = meta(site, "sync.anchor.config")?;
    let list = match s.call(&|cookie| Request::GetRevisionIdList {
        cookie,
        filter: ServerSyncFilter::config(anchor.clone()),
    })? {
        Response::RevisionIdList(l) => l,
        other => return Err(unexpected("GetRevisionIdList", &other)),
    };
    s.fetch_missing(&list.new_revisions, batch, "categories", out)?;
    set_meta(site, "sync.anchor.config", list.anchor.as_deref())?;
    // The catalog version shown for a categories-only run; the update pass replaces it.
    out.anchor = list.anchor.clone();
    match crate::update_point::settings::preselect_common(site)? {
        crate::update_point::settings::Preselection::Chosen(titles) => log.info(&format!(
            "Preselected classifications: {} (the common ones; choose products and review them in the Software Update Point properties)",
            titles.join(", ")
        )),
        crate::update_point::settings::Preselection::KeptChoice => {
            log.info("the upstream's classifications arrived; the administrator's choice of products and classifications is kept")
        }
        crate::update_point::settings::Preselection::NotDue => {}
    }

    // Then the updates of the chosen products and classifications.
    if settings.product_ids.is_empty() {
        log.warn("no products are chosen: only categories were synchronized");
    } else {
        let anchor = meta(site, "sync.anchor.updates")?;
        let subscribed: BTreeSet<String> = meta(site, "sync.anchor.filter")?
            .map(|t| t.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        // No classification chosen means all of them; an upstream lists only updates in
        // a chosen product and a chosen classification ([MS-WSUSSS] 3.1.4.5.3.1).
        let classifications = if settings.classification_ids.is_empty() {
            every_classification(site)?
        } else {
            settings.classification_ids.clone()
        };
        let mut filter = ServerSyncFilter::updates(anchor, settings.product_ids.clone(), classifications.clone());
        // Products or classifications added since the anchor need everything, not a delta.
        let mark_new = |entries: &mut Vec<IdAndDelta>| {
            for e in entries.iter_mut() {
                if !subscribed.contains(&e.id) {
                    e.delta = false;
                }
            }
        };
        mark_new(&mut filter.categories);
        mark_new(&mut filter.classifications);
        let list = match s.call(&|cookie| Request::GetRevisionIdList {
            cookie,
            filter: filter.clone(),
        })? {
            Response::RevisionIdList(l) => l,
            other => return Err(unexpected("GetRevisionIdList", &other)),
        };
        s.fetch_missing(&list.new_revisions, batch, "updates", out)?;
        let mut now: Vec<String> = settings.product_ids.iter().chain(&classifications).cloned().collect();
        now.sort();
        set_meta(site, "sync.anchor.updates", list.anchor.as_deref())?;
        set_meta(site, "sync.anchor.filter", Some(&now.join(",")))?;
        out.anchor = list.anchor;
    }
    if let Some(a) = config.new_config_anchor.as_deref() {
        set_meta(site, "sync.config_anchor", Some(a))?;
    }
    // Only worth knowing: a failure to count does not fail the run.
    match count_not_chosen(&mut s, settings) {
        Ok(n) => {
            set_meta(site, NOT_CHOSEN, Some(&n.to_string()))?;
            out.not_chosen = Some(n);
        }
        Err(e) => log.warn(&format!(
            "cannot count the upstream's updates that were not chosen: {e}"
        )),
    }
    Ok(())
}

/// Where the last count of `count_not_chosen` is kept.
pub(crate) const NOT_CHOSEN: &str = "sync.not_chosen";

/// Revisions the upstream lists for every product this site holds as a category (any
/// classification) that this site does not hold: left out by the choice of products and
/// classifications. No request when everything is chosen.
fn count_not_chosen(s: &mut Session, settings: &SyncSettings) -> Result<i64, SyncError> {
    let held: Vec<String> = {
        let c = s.site.store().reader();
        let mut stmt = c.prepare_cached("SELECT category_id FROM categories WHERE kind = 'Product' AND synced = 1")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids
    };
    let chosen: BTreeSet<&str> = settings.product_ids.iter().map(String::as_str).collect();
    let everything = settings.classification_ids.is_empty() && held.iter().all(|p| chosen.contains(p.as_str()));
    if everything || held.is_empty() {
        return Ok(0);
    }
    // Every classification: an upstream lists only updates in a named product and a named
    // classification ([MS-WSUSSS] 3.1.4.5.3.1).
    let classifications = every_classification(s.site)?;
    let list = match s.call(&|cookie| Request::GetRevisionIdList {
        cookie,
        filter: ServerSyncFilter::updates(None, held.clone(), classifications.clone()),
    })? {
        Response::RevisionIdList(l) => l,
        other => return Err(unexpected("GetRevisionIdList", &other)),
    };
    Ok(missing_revisions(s.site, &list.new_revisions)?.len() as i64)
}

fn cookie_refused(e: &CallError) -> bool {
    matches!(e.fault_code(), Some("InvalidCookie") | Some("CookieExpired"))
}

fn internal_error(e: &CallError) -> bool {
    e.fault_code() == Some(wsus::protocol::error_codes::INTERNAL_SERVER_ERROR)
}

fn log_retry(log: &RunLog, retry: &Retry) {
    log.warn(&retry.to_string());
}

/// The classifications the upstream has sent this site.
fn every_classification(site: &Site) -> Result<Vec<String>, SyncError> {
    let c = site.store().reader();
    let mut stmt = c.prepare(
        "SELECT category_id FROM categories WHERE kind = 'UpdateClassification' AND synced = 1 ORDER BY category_id",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

fn unexpected(op: &str, got: &Response) -> SyncError {
    SyncError::Protocol(format!("an answer of the wrong kind to {op} ({:?})", got.operation()))
}

/// This site's identity towards its upstream: its name and a GUID made once.
fn account(site: &Site) -> Result<(String, String), SyncError> {
    let guid = match meta(site, "sync.account_guid")? {
        Some(g) => g,
        None => {
            use rand::RngCore;
            let mut b = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut b);
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            let g = format!(
                "{}-{}-4{}-8{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[13..16],
                &hex[17..20],
                &hex[20..32]
            );
            set_meta(site, "sync.account_guid", Some(&g))?;
            g
        }
    };
    Ok((format!("patchdeck-{}", site.name()), guid))
}

fn missing_revisions(site: &Site, ids: &[RevisionId]) -> Result<Vec<RevisionId>, SyncError> {
    let c = site.store().reader();
    let mut stmt = c.prepare_cached("SELECT 1 FROM revisions WHERE update_id = ?1 AND revision = ?2")?;
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for id in ids {
        if seen.insert(id.clone()) && !stmt.exists(rusqlite::params![id.update_id, id.revision])? {
            out.push(id.clone());
        }
    }
    Ok(out)
}

pub(crate) fn meta(site: &Site, key: &str) -> Result<Option<String>, SyncError> {
    Ok(crate::store::meta::get(&site.store().reader(), key)?)
}

fn set_meta(site: &Site, key: &str, value: Option<&str>) -> Result<(), SyncError> {
    let c = site.store().writer();
    match value {
        Some(v) => crate::store::meta::put(&c, key, v)?,
        None => {
            c.execute("DELETE FROM site_meta WHERE key = ?1", [key])?;
        }
    };
    Ok(())
}
