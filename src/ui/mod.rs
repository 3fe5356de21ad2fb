//! The visitor screen: the Rust side of the Slint adapters (ui/globals.slint for the visitor,
//! ui/shared.slint for what every role's window shares).
//! Business rules stay in the domain modules; this module only moves data between them and the
//! screen, and never blocks the UI thread (the queue runs on `worker`'s thread).

mod controller;
pub mod counter;
pub mod counter_shots;
mod devices;
pub mod display;
pub mod display_shots;
pub mod evaluator;
pub mod fonts;
mod inbox;
pub mod media;
mod preapp;
mod said;
pub mod screenshot;
pub mod session;
mod speech;
mod technician;
mod technician_hosts;
mod technician_shots;
mod visitor;
mod wizard;
mod worker;

slint::include_modules!();

pub use controller::{KioskBuilder, KioskUi, StartMode};
pub use technician::TechnicianWindow;
pub use technician_hosts::wire_overlay as wire_technician_overlay;
pub use worker::QueueSource;

/// Whether `screen` is technician mode's (its PIN screen or panel) rather than the visitor's.
pub(crate) fn is_technician_screen(screen: Screen) -> bool {
    matches!(screen, Screen::TechnicianPin | Screen::Technician)
}

/// The language of the person at this window (the `Appearance` global, shared by every role).
pub(crate) fn window_lang(window: &KioskWindow) -> crate::lang::Lang {
    use slint::ComponentHandle;
    window
        .global::<Appearance>()
        .get_language()
        .parse()
        .unwrap_or_default()
}
