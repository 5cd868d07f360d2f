//! Patchdeck site engine.
//!
//! A site is one installation of the backend: its SQLite database, and the engines that
//! work on it. Everything a console can do goes through [`api::dispatch`].
//!
//! **API boundary:** this crate knows nothing of Tauri, axum or HTTP. Adapters hand it a
//! command name and JSON arguments and get JSON back; progress and changes come out of
//! [`Site::subscribe`].
//!
//! **Architecture invariant:** the modules stand on floors (docs/ARCHITECTURE.md, "Floors
//! of the site crate"): each imports only modules on lower floors, `wire` is the floor and
//! `api` the roof. `tests/floors.rs` fails on an upward import. Inside the crate, import an
//! item from its module, never through the re-exports below (they are for other crates).

pub mod admin;
pub mod alerts;
pub mod api;
pub mod audit;
pub mod automation;
pub mod catalog;
pub mod clients;
pub mod clock;
pub mod content;
pub mod handle;
pub mod images;
pub mod overview;
pub mod publishing;
pub mod schedule;
pub mod security;
mod signing;
pub mod store;
pub mod sync;
pub mod update_point;
pub mod uploads;
pub mod upstream;
pub mod wire;

pub use api::{dispatch, COMMAND_NAMES};
pub use clock::now_utc;
pub use handle::{default_site_folder, Actor, Site, DATABASE_FILE};
pub use store::StoreError;
pub use wire::{ApiError, ErrorCode, SiteEvent};
