//! The terminal's pure rules. Everything here takes the time and the data as arguments and
//! returns decisions: no database, no device, no network, no window, no async runtime. The
//! dependency check in `tests/integration/architecture.rs` keeps it that way.

pub mod clock;
pub mod dates;
pub mod delivery;
pub mod digest;
pub mod eligibility;
pub mod fonts;
pub mod i18n;
pub mod lang;
pub mod queue;
pub mod receipt;
pub mod shorten;
pub mod voice;
