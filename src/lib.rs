//! Legal aid lobby terminal. See ARCHITECTURE.md for the map of modules and their invariants.

// The pure rules live in the `kiosk-core` crate and the contract in `kiosk-contract`; they are
// re-exported under their old paths so `crate::queue` means the same everywhere.
pub use kiosk_contract as contract;
pub use kiosk_core::{clock, dates, eligibility, fonts, i18n, lang, queue, receipt, shorten, tech, voice};

pub mod agency;
pub mod assets;
pub mod calls;
pub mod cli;
pub mod config;
pub mod display;
pub mod following;
pub mod fsutil;
pub mod hall;
pub mod hall_host;
pub mod hall_queue;
pub mod media;
pub mod pack_install;
pub mod policy_store;
pub mod printer;
pub mod printing;
pub mod queue_service;
pub mod speech;
pub mod staff;
pub mod supervise;
pub mod technician;
pub mod ui;
