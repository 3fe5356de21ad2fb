//! Sign-language guides: the media pack (manifest, verification, import) and playback of its
//! clips into frames for the picture-in-picture panel. Decoding is GStreamer's, on its own
//! threads; nothing here runs on the UI thread.

pub mod decode;
pub mod pack;
pub mod player;

pub use pack::{Manifest, PROMPTS, VerifyReport};
pub use player::{Event, Frame, MediaPlayer};
