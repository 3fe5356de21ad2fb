//! Speech: the clip catalogue of the voice packs, the announcement composer and rodio playback.
//!
//! What is said comes from the callers (the screens' guides, the queue's calls); this module only
//! turns it into clips and plays them. A missing sound card or voice pack is a degraded mode that
//! is logged and reported by `kiosk doctor`, never a crash.

pub mod catalogue;
pub mod compose;
pub mod engine;
mod number_words;
pub mod pack;
pub mod service;
pub mod wav;

pub use crate::voice::{Voice, parse_voices};
pub use compose::Part;
pub use engine::Speaker;
pub use pack::{ClipStore, PackError};
pub use service::{SpeechService, SpeechStatus};

/// The sample rate of every clip and of the players: packs are decoded to it, the mixer runs
/// at it (engine and pack both depend on this, not on each other).
pub const RATE: u32 = 16_000;
