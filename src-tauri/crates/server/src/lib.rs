//! The `patchdeck` binary's pieces: the HTTP adapter over the site API, the one for Windows
//! Update Agents, and the CLI verbs.
//!
//! **Architecture invariant:** nothing here knows SQL or business rules. A route decodes,
//! makes one call into `site`, encodes.

pub mod cli;
pub mod clients_http;
pub mod http;
pub mod simulate;
pub mod token;
