//! Legal aid lobby terminal. See ARCHITECTURE.md for the map of modules and their invariants.

pub mod agency;
pub mod calls;
pub mod cli;
pub mod clock;
pub mod config;
pub mod dates;
pub mod eligibility;
pub mod fonts;
pub mod fsutil;
pub mod hall_host;
pub mod i18n;
pub mod lang;
pub mod media;
pub mod printer;
pub mod printing;
pub mod queue;
pub mod queue_service;
pub mod receipt;
pub mod shorten;
pub mod speech;
pub mod store;
pub mod supervise;
pub mod ui;
pub mod voice;
