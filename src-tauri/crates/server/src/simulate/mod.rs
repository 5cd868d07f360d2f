//! The fleet simulator (`patchdeck simulate-clients`, issue 12): N simulated Windows Update
//! Agents driven over HTTP against a server's client listener, with the requests the captured
//! agent sends (`wsus::wusp::ClientRequest::to_xml`). Tests, benchmarks and demos get their
//! computers from it; the site never runs it.
//!
//! - `profile`: who each computer is and what it finds for each update: pure functions of
//!   (seed, index, update id, core fragment), so a test recomputes them.
//! - `core`, `extended`: what it reads in the fragments it is sent.
//! - `agent`: one computer's cycle, call by call. `report`: the events it sends.
//! - `transport`: the HTTP calls and the failure kinds.
//!
//! **Architecture invariant:** speaks only MS-WUSP over HTTP to the server; knows nothing of
//! the site's database or engine. Never panics on what a server answers: every bad answer is
//! a failure counted by kind.

pub mod agent;
pub mod core;
pub mod extended;
pub mod profile;
pub mod report;
pub mod shared;
pub mod transport;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use agent::{Computer, Tally};
use transport::{SimError, Transport};

/// One run of the simulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// The client listener's base URL, e.g. `http://127.0.0.1:8530`.
    pub server: String,
    pub count: u64,
    pub seed: u64,
    /// Install approved updates (and remove those marked Uninstall) after downloading.
    pub install: bool,
    /// Keep scanning until this much time has passed; `None`: `cycles` cycles each.
    pub duration: Option<Duration>,
    /// Cycles of each computer, back to back, when `duration` is `None`: the second one
    /// reports what the first installed, as the agent's next scan does.
    pub cycles: u64,
    /// Time between two scans of one computer while `duration` runs.
    pub rescan_interval: Duration,
    /// Computers in a cycle at the same time.
    pub concurrency: usize,
    /// Stop each cycle after RegisterComputer (for a server that serves only the handshake).
    pub handshake_only: bool,
    /// Per HTTP call.
    pub timeout: Duration,
    /// Keep what each computer holds at the end in [`Summary::offers`] (tests compare it
    /// with what the approvals imply; a large fleet leaves it off).
    pub record_offers: bool,
}

impl Config {
    pub fn new(server: &str, count: u64, seed: u64) -> Config {
        Config {
            server: server.to_owned(),
            count,
            seed,
            install: false,
            duration: None,
            cycles: 1,
            rescan_interval: Duration::from_secs(10),
            concurrency: 32,
            handshake_only: false,
            timeout: Duration::from_secs(60),
            record_offers: false,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub computers: u64,
    pub cycles: u64,
    pub scans: u64,
    pub elapsed: Duration,
    pub scan_p50: Option<Duration>,
    pub scan_p95: Option<Duration>,
    /// Scans by computers that had completed one before in this run (`--duration`).
    pub rescans: u64,
    pub rescan_p50: Option<Duration>,
    pub rescan_p95: Option<Duration>,
    /// From the moment every computer had finished its first cycle to the end of the run,
    /// and the rescans that started within it: the steady state, first walks excluded.
    pub steady_window: Duration,
    pub steady_rescans: u64,
    pub events_reported: u64,
    pub bytes_downloaded: u64,
    pub installed: u64,
    pub simulated_install_failures: u64,
    pub uninstalled: u64,
    /// Failures by kind ([`SimError::kind`]).
    pub failures: BTreeMap<String, u64>,
    /// The first few failures, in words.
    pub failure_samples: Vec<String>,
    /// With [`Config::record_offers`]: by computer index, every update it holds at the end
    /// (update id, lower-case) with the deployment action it was last sent (`Install`,
    /// `Uninstall`, `PreDeploymentCheck`, `Bundle`, `Evaluate`).
    pub offers: BTreeMap<u64, BTreeMap<String, String>>,
    /// With [`Config::record_offers`]: by computer index, the revision number of every update
    /// it holds at the end (an edited update is offered as its newest revision).
    pub offered_revisions: BTreeMap<u64, BTreeMap<String, i64>>,
}

impl Summary {
    pub fn scans_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.scans as f64 / secs
        } else {
            0.0
        }
    }

    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Option<Duration>| d.map_or("-".into(), |d| format!("{:.1} ms", d.as_secs_f64() * 1000.0));
        writeln!(f, "computers:          {}", self.computers)?;
        writeln!(f, "cycles:             {}", self.cycles)?;
        writeln!(
            f,
            "scans:              {} in {:.1} s ({:.2} scans/s)",
            self.scans,
            self.elapsed.as_secs_f64(),
            self.scans_per_second()
        )?;
        writeln!(
            f,
            "scan latency:       p50 {}, p95 {}",
            ms(self.scan_p50),
            ms(self.scan_p95)
        )?;
        writeln!(f, "events reported:    {}", self.events_reported)?;
        writeln!(f, "bytes downloaded:   {}", self.bytes_downloaded)?;
        writeln!(
            f,
            "installs:           {} ({} simulated failures), {} uninstalls",
            self.installed, self.simulated_install_failures, self.uninstalled
        )?;
        if self.rescans > 0 {
            writeln!(
                f,
                "rescans:            {} (p50 {}, p95 {}); {} started in the last {:.1} s, after every first cycle ({:.2} rescans/s)",
                self.rescans,
                ms(self.rescan_p50),
                ms(self.rescan_p95),
                self.steady_rescans,
                self.steady_window.as_secs_f64(),
                if self.steady_window.is_zero() {
                    0.0
                } else {
                    self.steady_rescans as f64 / self.steady_window.as_secs_f64()
                }
            )?;
        }
        if self.failures.is_empty() {
            writeln!(f, "failures:           none")?;
        } else {
            let total: u64 = self.failures.values().sum();
            writeln!(f, "failures:           {total}")?;
            for (kind, n) in &self.failures {
                writeln!(f, "  {kind}: {n}")?;
            }
            for sample in &self.failure_samples {
                writeln!(f, "  e.g. {sample}")?;
            }
        }
        Ok(())
    }
}

/// Runs the fleet on a runtime of its own (the CLI, and tests outside one).
pub fn run(config: Config) -> Result<Summary, SimError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| SimError::Connect {
            operation: "runtime".into(),
            detail: e.to_string(),
        })?;
    rt.block_on(run_async(config))
}

/// Runs the fleet on the caller's runtime.
pub async fn run_async(config: Config) -> Result<Summary, SimError> {
    let transport = Transport::new(&config.server, config.timeout)?;
    let permits = Arc::new(Semaphore::new(config.concurrency.max(1)));
    let shared = Arc::new(shared::Shared::default());
    let started = Instant::now();
    let deadline = config.duration.map(|d| started + d);
    tracing::info!(
        server = %config.server, count = config.count, seed = config.seed, install = config.install,
        "simulating Windows Update clients"
    );
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..config.count {
        let (transport, permits, config, shared) = (transport.clone(), permits.clone(), config.clone(), shared.clone());
        tasks.spawn(async move {
            let mut computer = Computer::new(config.seed, index, config.install, shared);
            let mut tally = Tally::default();
            let mut first_cycle_end = None;
            loop {
                {
                    // Closed only if the semaphore is dropped, which it is not while tasks run.
                    let Ok(_permit) = permits.acquire().await else { break };
                    computer.cycle(&transport, config.handshake_only, &mut tally).await;
                }
                first_cycle_end.get_or_insert_with(Instant::now);
                let Some(deadline) = deadline else {
                    if tally.cycles < config.cycles {
                        continue;
                    }
                    break;
                };
                // Spread the rescans so the fleet does not scan in lockstep.
                let jitter = profile::draw(config.seed, index, "rescan", &tally.cycles.to_string());
                let wait = config.rescan_interval.mul_f64(0.5 + jitter as f64 / 100.0);
                if Instant::now() + wait >= deadline {
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            let offers = config.record_offers.then(|| (computer.offers(), computer.revisions()));
            (index, tally, offers, first_cycle_end)
        });
    }
    let mut summary = Summary {
        computers: config.count,
        ..Summary::default()
    };
    let mut latencies = Vec::new();
    let mut rescans = Vec::new();
    let mut warmed_up = started;
    while let Some(joined) = tasks.join_next().await {
        let tally = match joined {
            Ok((index, t, offers, first_cycle_end)) => {
                if let Some((offers, revisions)) = offers {
                    summary.offers.insert(index, offers);
                    summary.offered_revisions.insert(index, revisions);
                }
                warmed_up = warmed_up.max(first_cycle_end.unwrap_or(started));
                t
            }
            Err(e) => {
                // A task that panicked: counted, never propagated.
                *summary.failures.entry("internal".into()).or_default() += 1;
                summary
                    .failure_samples
                    .push(format!("a simulated computer stopped: {e}"));
                continue;
            }
        };
        summary.cycles += tally.cycles;
        summary.scans += tally.scans;
        summary.events_reported += tally.events_reported;
        summary.bytes_downloaded += tally.bytes_downloaded;
        summary.installed += tally.installed;
        summary.simulated_install_failures += tally.simulated_install_failures;
        summary.uninstalled += tally.uninstalled;
        latencies.extend(tally.scan_latencies);
        rescans.extend(tally.rescans);
        for failure in tally.failures {
            *summary.failures.entry(failure.kind()).or_default() += 1;
            if summary.failure_samples.len() < 5 {
                summary.failure_samples.push(failure.to_string());
            }
        }
    }
    summary.elapsed = started.elapsed();
    latencies.sort_unstable();
    summary.scan_p50 = percentile(&latencies, 50);
    summary.scan_p95 = percentile(&latencies, 95);
    let ended = started + summary.elapsed;
    summary.rescans = rescans.len() as u64;
    summary.steady_window = ended.saturating_duration_since(warmed_up);
    summary.steady_rescans = rescans.iter().filter(|(at, _)| *at >= warmed_up).count() as u64;
    let mut rescan_latencies: Vec<Duration> = rescans.into_iter().map(|(_, d)| d).collect();
    rescan_latencies.sort_unstable();
    summary.rescan_p50 = percentile(&rescan_latencies, 50);
    summary.rescan_p95 = percentile(&rescan_latencies, 95);
    Ok(summary)
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], p: usize) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<Duration> = (1..=20).map(Duration::from_millis).collect();
        assert_eq!(percentile(&v, 50), Some(Duration::from_millis(10)));
        assert_eq!(percentile(&v, 95), Some(Duration::from_millis(19)));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn an_unreachable_server_is_a_failure_by_kind_not_a_panic() {
        let mut config = Config::new("http://127.0.0.1:9", 3, 1);
        config.timeout = Duration::from_secs(5);
        let summary = run(config).expect("run");
        assert_eq!(summary.failures.get("connect"), Some(&3));
        assert!(summary.failed());
        assert_eq!(summary.scans, 0);
    }
}
