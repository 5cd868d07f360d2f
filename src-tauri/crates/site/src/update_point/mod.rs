//! The software update point: where this site gets updates from and how to reach it
//! (upstream, proxy, trusted authorities), what it synchronizes and when (`settings`), and
//! the HTTP transport to that upstream (`transport`), which synchronization, content
//! downloads and remote distribution points share; and how Windows Update Agents reach the
//! site (`client_service`: ports, HTTPS certificate).
//!
//! **Architecture invariant:** knows no engine above it; it holds settings and opens
//! connections, it does not synchronize.

pub mod client_service;
pub mod settings;
pub mod transport;
