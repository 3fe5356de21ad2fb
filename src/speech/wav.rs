//! Renders what the speaker would play into samples, without a sound card: the same players and
//! mixer as the kiosk, pulled by this code instead of the audio device.

use super::engine::{RATE, Speaker};
use super::pack::ClipStore;
use rodio::mixer::{self, MixerSource};
use rodio::{ChannelCount, SampleRate};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// A device-less speaker and the end of its mixer that stands in for the sound card.
pub struct Offline {
    pub speaker: Speaker,
    pub output: MixerSource,
}

impl Offline {
    pub fn new(store: Arc<ClipStore>) -> Offline {
        let rate = SampleRate::new(RATE).unwrap_or(SampleRate::MIN);
        let (mixer, output) = mixer::mixer(ChannelCount::MIN, rate);
        Offline {
            speaker: Speaker::new(&mixer, store),
            output,
        }
    }

    /// Pulls `n` samples, as the sound card would.
    pub fn pull(&mut self, n: usize) -> Vec<f32> {
        (&mut self.output).take(n).collect()
    }

    /// Pulls until everything queued has been played (at most `limit_seconds`).
    pub fn drain(&mut self, limit_seconds: u32) -> Vec<f32> {
        let chunk = (RATE / 50) as usize; // 20 ms, as a sound card asks
        let limit = (RATE * limit_seconds) as usize;
        let mut out = Vec::new();
        while out.len() < limit {
            out.extend(self.pull(chunk));
            if self.speaker.is_idle() {
                break;
            }
        }
        out
    }
}

/// Writes mono samples as a 16-bit PCM WAV file.
pub fn write_wav(path: &Path, samples: &[f32], rate: u32) -> std::io::Result<()> {
    let bytes = wav_bytes(samples, rate);
    let mut file = std::fs::File::create(path)?;
    file.write_all(&bytes)?;
    file.sync_all()
}

/// Mono samples as the bytes of a 16-bit PCM WAV file.
pub fn wav_bytes(samples: &[f32], rate: u32) -> Vec<u8> {
    let data_len = u32::try_from(samples.len() * 2).unwrap_or(u32::MAX - 64);
    let mut bytes = Vec::with_capacity(44 + samples.len() * 2);
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + data_len).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes()); // PCM
    bytes.extend_from_slice(&1u16.to_le_bytes()); // mono
    bytes.extend_from_slice(&rate.to_le_bytes());
    bytes.extend_from_slice(&(rate * 2).to_le_bytes());
    bytes.extend_from_slice(&2u16.to_le_bytes());
    bytes.extend_from_slice(&16u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        let v = (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    bytes
}
