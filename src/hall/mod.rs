//! The hall network: one hall host serving the queue to the hall's other terminals over HTTPS
//! with mutual TLS (the hall API), and those terminals' side of it.
//!
//! - `pki`: the hall's certificate authority, the host's certificate, terminals' keys.
//! - `tls`: rustls configurations for the host and the terminals.
//! - `access`: which role may do what.
//! - `enrolment`: one-time codes on the host, `kiosk join` on the terminal.
//! - `server`: the API (axum), its event stream, metrics and the public ticket status page.
//! - `remote`: `HallQueue` over the API, so screens and commands work the same on any terminal.
//! - `event_stream`, `feed`: following the hall (`HallFeed`) over the API's event stream, or on
//!   the hall host from its database.

pub mod access;
pub mod client;
pub mod enrolment;
pub mod event_stream;
pub mod feed;
pub mod pki;
pub mod remote;
pub mod server;
pub mod tls;
