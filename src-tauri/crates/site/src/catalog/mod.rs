//! The update catalog: loading update documents and reading them back for the console.
//!
//! `import` turns parsed update XML into rows (one transaction per batch); `queries`
//! answers the grid and the Properties dialog; `generator` writes synthetic documents in
//! the real schema for scale tests and benchmarks.

pub(crate) mod derived;
pub mod generator;
pub mod import;
pub mod list_cache;
pub(crate) mod list_counts;
pub(crate) mod pk_bits;
pub mod queries;
pub(crate) mod search_hits;

/// Update types All Software Updates lists.
pub(crate) const LISTED_TYPES: &[&str] = &["Software", "Driver"];
