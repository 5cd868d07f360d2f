//! Driving DISM's command line: one command at a time, its output read as it comes, its
//! outcome taken from the words DISM prints ("The operation completed successfully." or
//! "Error: 0x…" and the reason after it), and the process killed when the run is cancelled.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What one DISM command came to.
#[derive(Debug)]
pub(super) enum Outcome {
    Done,
    /// DISM's error code and the sentence it gave for it.
    Failed {
        code: String,
        reason: String,
    },
    Cancelled,
}

/// The DISM executable the settings name, when it exists: an absolute path to a file, or a
/// bare name found on PATH.
pub(super) fn locate(configured: &str) -> Result<PathBuf, String> {
    let configured = configured.trim();
    let given = Path::new(configured);
    let missing = || {
        format!(
            "DISM was not found at '{configured}'. Offline servicing needs Windows' Deployment Image Servicing \
             and Management tool: set its path in Offline Servicing settings (on Windows, C:\\Windows\\System32\\Dism.exe)."
        )
    };
    if configured.is_empty() {
        return Err(missing());
    }
    if given.components().count() > 1 || given.is_absolute() {
        return if given.is_absolute() && given.is_file() {
            Ok(given.to_path_buf())
        } else {
            Err(missing())
        };
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(given))
        .find(|p| p.is_file())
        .ok_or_else(missing)
}

/// Runs DISM with `args`, handing each printed line to `line`, until it ends or `cancel`
/// is set (then it is killed).
pub(super) fn run(
    program: &Path,
    args: &[String],
    cancel: &AtomicBool,
    mut line: impl FnMut(&str),
) -> Result<Outcome, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("DISM ({}) could not be started: {e}", program.display()))?;
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        let tx = tx.clone();
        readers.push(std::thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        }));
    }
    if let Some(err) = child.stderr.take() {
        let tx = tx.clone();
        readers.push(std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        }));
    }
    drop(tx);
    let mut printed = Vec::new();
    let status = loop {
        while let Ok(l) = rx.try_recv() {
            line(&l);
            printed.push(l);
        }
        if cancel.load(Ordering::SeqCst) {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Outcome::Cancelled);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("waiting for DISM: {e}")),
        }
    };
    for r in readers {
        let _ = r.join();
    }
    for l in rx.try_iter() {
        line(&l);
        printed.push(l);
    }
    Ok(outcome(status.success(), &printed))
}

/// DISM's verdict from what it printed: success needs both the exit code and the sentence;
/// a failure names its code ("0x800f081e") and the reason printed after it.
pub(super) fn outcome(exit_ok: bool, printed: &[String]) -> Outcome {
    let completed = printed
        .iter()
        .any(|l| l.trim() == "The operation completed successfully.");
    if exit_ok && completed {
        return Outcome::Done;
    }
    let at = printed.iter().rposition(|l| l.trim_start().starts_with("Error:"));
    let code = at
        .and_then(|i| printed[i].trim().strip_prefix("Error:"))
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let reason = at
        .and_then(|i| {
            printed[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty() && !l.starts_with("The DISM log file"))
        })
        .unwrap_or("DISM ended without saying the operation completed.")
        .to_string();
    Outcome::Failed { code, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn dism_errors_are_read_with_their_reason() {
        let failed = lines(
            "\nDeployment Image Servicing and Management tool\nVersion: 10.0.26100.5074\n\nImage Version: 10.0.22631.2861\n\n\
             Processing 1 of 1 - Adding package Package_for_KB5000001~31bf3856ad364e35~amd64~~10.0.1.0\n\
             [==========================100.0%==========================]\n\
             An error occurred - Package_for_KB5000001 Error: 0x800f081e\n\nError: 0x800f081e\n\n\
             The specified package is not applicable to this image.\n\n\
             The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log\n",
        );
        match outcome(false, &failed) {
            Outcome::Failed { code, reason } => {
                assert_eq!(code, "0x800f081e");
                assert_eq!(reason, "The specified package is not applicable to this image.");
            }
            other => panic!("{other:?}"),
        }
        let done = lines("\nDeployment Image Servicing and Management tool\n\nThe operation completed successfully.\n");
        assert!(matches!(outcome(true, &done), Outcome::Done));
        assert!(
            matches!(outcome(false, &done), Outcome::Failed { .. }),
            "a failing exit code wins over the sentence"
        );
    }
}
