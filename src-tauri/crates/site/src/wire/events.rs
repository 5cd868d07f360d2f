//! Events pushed to every console as the site changes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::automation::RuleRunState;
use super::sync::SyncState;

/// Pushed to every console as the site changes; long work reports progress this way.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SiteEvent {
    #[serde(rename_all = "camelCase")]
    CatalogChanged {
        #[ts(type = "number")]
        new_updates: i64,
        #[ts(type = "number")]
        new_revisions: i64,
    },
    #[serde(rename_all = "camelCase")]
    SyncChanged {
        #[ts(type = "number")]
        run_id: i64,
        state: SyncState,
    },
    /// An automatic deployment rule run started or ended.
    #[serde(rename_all = "camelCase")]
    RuleRunChanged {
        #[ts(type = "number")]
        rule_id: i64,
        #[ts(type = "number")]
        run_id: i64,
        state: RuleRunState,
    },
    #[serde(rename_all = "camelCase")]
    Progress {
        job: String,
        #[ts(type = "number")]
        done: i64,
        #[ts(type = "number")]
        total: i64,
        message: String,
    },
}
