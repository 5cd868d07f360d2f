//! Arguments shared by many commands: none, one id, an id and a switch.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Arguments of a command that takes none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoArgs {}

/// Arguments naming one object by its numeric id.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct IdArgs {
    #[ts(type = "number")]
    pub id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct EnableArgs {
    #[ts(type = "number")]
    pub id: i64,
    pub enabled: bool,
}
