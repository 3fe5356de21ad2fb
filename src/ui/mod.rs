//! The visitor screen: the Rust side of the Slint adapters (globals in ui/globals.slint).
//! Business rules stay in the domain modules; this module only moves data between them and the
//! screen, and never blocks the UI thread (the queue runs on `worker`'s thread).

mod controller;
mod devices;
pub mod fonts;
mod inbox;
pub mod media;
mod preapp;
pub mod screenshot;
pub mod session;
mod speech;
mod visitor;
mod wizard;
mod worker;

slint::include_modules!();

pub use controller::{CALL_WATCH, KioskBuilder, KioskUi, StartMode};
