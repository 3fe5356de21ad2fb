//! The integration tests that need no platform of their own: the queue, the hall and its
//! network, the agency, printing, speech, media, the command line and the code's own rules, each
//! module a subject. They share one binary so the test build links the application once for all
//! of them; the role screens' scenarios are in `tests/screens`, one process each.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/hall.rs"]
mod hall;
#[path = "../common/hall_procs.rs"]
mod hall_procs;
#[path = "../common/x11.rs"]
mod x11;

mod agency;
mod architecture;
mod cli;
mod crash;
mod display;
mod fuzz;
mod hall_cli;
mod hall_host;
mod hall_network;
mod hardening;
mod media;
mod outbox_store;
mod policy;
mod printing;
mod queue_props;
mod queue_rules;
mod screening;
mod screenshots;
mod speech;
mod staff_and_ratings;
mod technician_packs;
mod translations;
mod xvfb_display;
