//! An in-process mutation fuzzer that runs on the stable toolchain (no libFuzzer, no
//! sanitizers): seeds from the real fixtures, a byte-level mutator with a dictionary of the
//! tokens the parsers care about, and a target run under `catch_unwind` with its time per
//! input measured. It is blind (no coverage feedback); inputs the target accepts join the
//! corpus so that mutations keep reaching past the first checks.
//!
//! The site crate's fuzz test includes this file by path, so both crates share one engine.
//!
//! How long each harness runs: `PATCHDECK_FUZZ_SECS` (default 2, the short run `cargo test`
//! makes) and optionally `PATCHDECK_FUZZ_ITERATIONS` (stop earlier once reached). Inputs
//! that panicked or ran too long are written under `PATCHDECK_FUZZ_OUT` (default: the
//! system temporary folder), to be kept as regression inputs under the crate's
//! `tests/data/fuzz/<harness>/`, which every run replays first.
#![allow(dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// xorshift64*: deterministic for a given seed, so a run can be repeated.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Bytes that sit on boundaries parsers compare against.
const INTERESTING: [u8; 12] = [0, 1, 0x7f, 0x80, 0xff, b'<', b'>', b'&', b'"', b'/', b'0', b'9'];

/// One random change to `data`. `dict` holds tokens worth inserting whole; `corpus` gives
/// other inputs to splice from.
pub fn mutate(rng: &mut Rng, data: &mut Vec<u8>, dict: &[&[u8]], corpus: &[Vec<u8>]) {
    let len = data.len();
    match rng.below(11) {
        0 if len > 0 => {
            let at = rng.below(len);
            data[at] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let at = rng.below(len);
            data[at] = rng.next() as u8;
        }
        2 if len > 0 => {
            let at = rng.below(len);
            data[at] = INTERESTING[rng.below(INTERESTING.len())];
        }
        3 if len > 0 => {
            // Delete a run, usually short.
            let at = rng.below(len);
            let longest = if rng.below(4) == 0 { 4096 } else { 16 };
            let n = 1 + rng.below((len - at).min(longest));
            data.drain(at..at + n);
        }
        4 if len > 0 => {
            // Duplicate a run in place: repeated elements, overlong texts.
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(256));
            let piece = data[at..at + n].to_vec();
            let to = rng.below(len + 1);
            data.splice(to..to, piece);
        }
        5 | 6 if !dict.is_empty() => {
            let token = dict[rng.below(dict.len())];
            let to = rng.below(len + 1);
            if rng.below(2) == 0 || to + token.len() > len {
                data.splice(to..to, token.iter().copied());
            } else {
                data[to..to + token.len()].copy_from_slice(token);
            }
        }
        7 if len > 0 => data.truncate(rng.below(len)),
        8 if !corpus.is_empty() => {
            // Splice: our head, another input's tail.
            let other = &corpus[rng.below(corpus.len())];
            let cut = rng.below(len + 1);
            let from = rng.below(other.len() + 1);
            data.truncate(cut);
            data.extend_from_slice(&other[from..]);
        }
        9 if len > 0 => {
            // A number made large or negative where digits were.
            let at = rng.below(len);
            if data[at].is_ascii_digit() {
                let text: &[u8] = [&b"99999999999999999999"[..], b"-1", b"4294967296", b"0"][rng.below(4)];
                data.splice(at..at + 1, text.iter().copied());
            } else {
                data[at] ^= 0x20;
            }
        }
        _ => {
            let to = rng.below(len + 1);
            let n = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            data.splice(to..to, bytes);
        }
    }
}

/// What one input did, as the target reports it.
pub enum Outcome {
    /// Parsed.
    Accepted,
    /// Refused with an error (its text, which must not be empty).
    Refused(String),
}

/// What a run did, for the figures the long runs record.
#[derive(Debug, Default)]
pub struct Stats {
    pub executions: u64,
    pub accepted: u64,
    pub refused: u64,
    pub slowest: Duration,
    pub elapsed: Duration,
}

/// Longest time one input may take before it counts as a hang. Generous because the short
/// run is an unoptimised build on a shared 2-core machine; real hangs are unbounded.
const HANG: Duration = Duration::from_secs(5);

/// Largest input kept: mutations that only grow would otherwise slow every later execution.
const MAX_INPUT: usize = 1 << 20;

/// Most inputs kept in the corpus (seeds plus accepted mutants).
const MAX_CORPUS: usize = 512;

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Runs `target` over the regression inputs in `regressions`, then over mutants of `seeds`
/// for the configured time. Panics (failing the test) on the first input that panics, runs
/// longer than [`HANG`], or is refused with an empty message, after saving it.
pub fn run(
    name: &str,
    regressions: &Path,
    seeds: Vec<Vec<u8>>,
    dict: &[&[u8]],
    target: impl Fn(&[u8]) -> Outcome,
) -> Stats {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let secs = env_number("PATCHDECK_FUZZ_SECS").unwrap_or(2);
    let max_iterations = env_number("PATCHDECK_FUZZ_ITERATIONS").unwrap_or(u64::MAX);
    let seed = env_number("PATCHDECK_FUZZ_SEED").unwrap_or(0x5EED_F022);
    let budget = Duration::from_secs(secs);
    let mut stats = Stats::default();
    let start = Instant::now();

    quiet_panics_while_fuzzing();
    let check = |input: &[u8], stats: &mut Stats| {
        let began = Instant::now();
        FUZZING.with(|f| f.set(true));
        let result = catch_unwind(AssertUnwindSafe(|| target(input)));
        FUZZING.with(|f| f.set(false));
        let took = began.elapsed();
        stats.executions += 1;
        stats.slowest = stats.slowest.max(took);
        let failure = match &result {
            Err(panic) => Some(format!("panicked: {}", panic_text(panic.as_ref()))),
            Ok(_) if took > HANG => Some(format!("took {took:?}, over the {HANG:?} bound")),
            Ok(Outcome::Refused(msg)) if msg.trim().is_empty() => Some("refused with an empty message".into()),
            _ => None,
        };
        if let Some(why) = failure {
            let saved = save(name, input);
            panic!(
                "fuzz {name}: an input {why}; saved to {} ({} bytes). Keep it under tests/data/fuzz/{name}/ once fixed.",
                saved.display(),
                input.len()
            );
        }
        match result {
            Ok(Outcome::Accepted) => {
                stats.accepted += 1;
                true
            }
            _ => {
                stats.refused += 1;
                false
            }
        }
    };

    for path in regression_inputs(regressions) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check(&bytes, &mut stats);
    }
    let mut corpus = seeds;
    for i in 0..corpus.len() {
        let input = corpus[i].clone();
        check(&input, &mut stats);
    }
    let mut rng = Rng::new(seed);
    while start.elapsed() < budget && stats.executions < max_iterations {
        let mut input = corpus[rng.below(corpus.len())].clone();
        // Stack a few changes: one alone rarely gets past a well-formedness check.
        for _ in 0..1 + rng.below(4) {
            mutate(&mut rng, &mut input, dict, &corpus);
        }
        input.truncate(MAX_INPUT);
        if check(&input, &mut stats) && corpus.len() < MAX_CORPUS {
            corpus.push(input);
        }
    }
    stats.elapsed = start.elapsed();
    println!(
        "fuzz {name}: {} executions in {:.1} s ({} accepted, {} refused), slowest input {:?}, no panic or hang",
        stats.executions,
        stats.elapsed.as_secs_f64(),
        stats.accepted,
        stats.refused,
        stats.slowest
    );
    stats
}

thread_local! {
    /// True while this thread runs a fuzz target: its panics are caught and reported by
    /// [`run`], so printing each one would only bury the report.
    static FUZZING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs, once per test binary, a panic hook that stays quiet on threads running a fuzz
/// target (unless `PATCHDECK_FUZZ_VERBOSE` is set) and behaves as before on all others, so
/// the other tests running in parallel still print their panics.
fn quiet_panics_while_fuzzing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("PATCHDECK_FUZZ_VERBOSE").is_some() {
            return;
        }
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !FUZZING.with(|f| f.get()) {
                previous(info);
            }
        }));
    });
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".into()
    }
}

fn regression_inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
}

fn save(name: &str, input: &[u8]) -> PathBuf {
    let dir = std::env::var_os("PATCHDECK_FUZZ_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("patchdeck-fuzz"))
        .join(name);
    let _ = std::fs::create_dir_all(&dir);
    // FNV-1a of the bytes names the file, so the same crash is saved once.
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("crash-{hash:016x}.bin"));
    let _ = std::fs::write(&path, input);
    path
}
