//! The floor of the site crate: the wire types of the command API (what consoles send and
//! receive) and the error every command returns.
//!
//! **Architecture invariant:** imports no other module of the crate, so every engine can
//! use it and none is pulled in by it. These are the only types that cross to the UI;
//! their TypeScript twins in `ui/src/api/generated/` are generated from here by ts-rs and
//! committed; `cargo test -p site` rewrites them and CI fails on a diff. Files split by
//! what they describe and import each other one way only: `catalog`, `computers` and `args`
//! at the bottom, `events` and `overview` at the top.

mod admin;
mod args;
mod audit;
mod automation;
mod catalog;
mod computers;
mod content;
mod error;
mod events;
mod export;
mod images;
mod overview;
mod publishing;
mod security;
mod servicing;
mod sync;

pub use admin::*;
pub use args::*;
pub use audit::*;
pub use automation::*;
pub use catalog::*;
pub use computers::*;
pub use content::*;
pub use error::*;
pub use events::*;
pub use export::*;
pub use images::*;
pub use overview::*;
pub use publishing::*;
pub use security::*;
pub use servicing::*;
pub use sync::*;
