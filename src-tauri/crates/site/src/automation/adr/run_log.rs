//! What one rule run writes as it goes: its log lines (`adr_run_log`) and its counts. The
//! run (`run.rs`) and its steps (`steps.rs`) both write here, and neither imports the other
//! for it.

use crate::clock::UtcTime;
use rusqlite::params;

use crate::handle::Site;
use crate::wire::LogLevel;

pub(super) struct RunLog<'a> {
    pub(super) site: &'a Site,
    pub(super) run: i64,
    pub(super) seq: i64,
}

impl RunLog<'_> {
    fn write(&mut self, level: LogLevel, message: &str) {
        self.seq += 1;
        let level_text = match level {
            LogLevel::Info => "Info",
            LogLevel::Warning => "Warning",
            LogLevel::Error => "Error",
        };
        let c = self.site.store().writer();
        if let Err(e) = c.execute(
            "INSERT INTO adr_run_log (run_id, seq, at_utc, level, message) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![self.run, self.seq, crate::clock::now_utc(), level_text, message],
        ) {
            tracing::error!(run = self.run, error = %e, message, "rule run log line not written");
        }
    }
    pub(super) fn info(&mut self, message: impl AsRef<str>) {
        self.write(LogLevel::Info, message.as_ref())
    }
    pub(super) fn warn(&mut self, message: impl AsRef<str>) {
        self.write(LogLevel::Warning, message.as_ref())
    }
    pub(super) fn error(&mut self, message: impl AsRef<str>) {
        self.write(LogLevel::Error, message.as_ref())
    }
}

#[derive(Default)]
pub(super) struct Counts {
    pub selected: i64,
    pub added: i64,
    pub downloaded: i64,
    pub deployments: i64,
    pub group: Option<i64>,
}

pub(super) fn minute(t: UtcTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}
