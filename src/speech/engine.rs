//! Playback: two rodio players on one mixer. The guide player speaks the screens; the announcer
//! plays calls one after the other. A call pauses the guide until every queued call has been
//! played, then the guide goes on where it stopped, so nothing is ever said over a call.

use super::compose::Part;
use super::pack::{Clip, ClipStore};
use rodio::buffer::SamplesBuffer;
use rodio::mixer::Mixer;
use rodio::source::SeekError;
use rodio::{ChannelCount, Player, SampleRate};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The speaker's rate: clips are decoded to it, the chime and silences are made at it. 16 kHz
/// keeps speech clear (telephone speech is 8 kHz) at 2 bytes a sample in memory.
pub use super::RATE;
/// Silence before a call's chime: rodio applies a pause every 5 ms of samples, so the guide is
/// quiet before the chime begins.
pub const CALL_LEAD_MS: u32 = 20;
/// Silence each new player starts with, in two pieces. rodio's queue starts at 48 kHz, and in
/// the mixer the first two changes of span drop samples (measured at 22.05 kHz: a 1000-sample
/// clip came out as 724, then 962); two primers absorb that instead of the first word.
const PRIME_MS: u32 = 20;
/// The visitor's volume steps (0 = silent, 5 = the hall's normal level, 10 = loudest).
pub const VOLUME_STEPS: i32 = 10;
pub const DEFAULT_VOLUME: i32 = 5;

pub struct Speaker {
    mixer: Mixer,
    store: Arc<ClipStore>,
    /// The guide's player. Each new guide gets a fresh player and the old one is dropped, which
    /// stops it within 5 ms without waiting (rodio's `clear` waits for the queue to drain).
    guide: Arc<Mutex<Arc<Player>>>,
    announcer: Arc<Player>,
    /// Calls queued or playing; the guide resumes when it drops to zero.
    calls_pending: Arc<AtomicUsize>,
    /// The visitor paused the guide: a finished call must not resume it.
    visitor_paused: Arc<AtomicBool>,
    guide_gain: f32,
    last_guide: Vec<Part>,
}

impl Speaker {
    /// A speaker whose players feed `mixer` (a sound card's, or one a test or WAV render pulls).
    pub fn new(mixer: &Mixer, store: Arc<ClipStore>) -> Speaker {
        Speaker {
            mixer: mixer.clone(),
            store,
            guide: Arc::new(Mutex::new(Arc::new(new_player(mixer)))),
            announcer: Arc::new(new_player(mixer)),
            calls_pending: Arc::new(AtomicUsize::new(0)),
            visitor_paused: Arc::new(AtomicBool::new(false)),
            guide_gain: 1.0,
            last_guide: Vec::new(),
        }
    }

    pub fn store(&self) -> &ClipStore {
        &self.store
    }

    /// Speaks from `store` from now on (voice packs installed while running).
    pub fn use_store(&mut self, store: Arc<ClipStore>) {
        self.store = store;
    }

    fn current_guide(&self) -> Arc<Player> {
        match self.guide.lock() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace_guide(&self, player: Player) {
        let player = Arc::new(player);
        match self.guide.lock() {
            Ok(mut g) => *g = player,
            Err(poisoned) => *poisoned.into_inner() = player,
        }
    }

    /// Says `parts` as the screen's guide, replacing whatever the guide was saying.
    pub fn guide(&mut self, parts: Vec<Part>) {
        self.say(&parts);
        self.last_guide = parts;
    }

    /// Says `parts` now in the guide's place (a typed digit, an error) but keeps the guide for
    /// Repeat.
    pub fn say(&self, parts: &[Part]) {
        let player = new_player(&self.mixer);
        player.pause();
        player.set_volume(self.guide_gain);
        let missing = self.append(&player, parts);
        if missing > 0 {
            tracing::warn!(
                missing,
                "guide clips missing from the voice pack; they are skipped"
            );
        }
        self.visitor_paused.store(false, Ordering::SeqCst);
        if self.calls_pending.load(Ordering::SeqCst) == 0 {
            player.play();
        }
        self.replace_guide(player);
    }

    /// The guide again from the start (the Repeat key).
    pub fn repeat(&mut self) {
        let parts = self.last_guide.clone();
        self.guide(parts);
    }

    /// Stops the guide (a new visitor, or the spoken guide switched off).
    pub fn silence_guide(&mut self) {
        self.replace_guide(new_player(&self.mixer));
        self.last_guide.clear();
    }

    /// Pauses or resumes the guide; returns whether it is now paused.
    pub fn toggle_pause(&self) -> bool {
        let paused = !self.visitor_paused.load(Ordering::SeqCst);
        self.visitor_paused.store(paused, Ordering::SeqCst);
        let guide = self.current_guide();
        if paused {
            guide.pause();
        } else if self.calls_pending.load(Ordering::SeqCst) == 0 {
            guide.play();
        }
        paused
    }

    /// The visitor's volume, 0..=10; 5 is the normal level, each step about 3 dB.
    pub fn set_volume(&mut self, level: i32) {
        self.guide_gain = gain(level);
        self.current_guide().set_volume(self.guide_gain);
    }

    /// The hall's level for calls, 0..=10.
    pub fn set_call_volume(&self, level: i32) {
        self.announcer.set_volume(gain(level));
    }

    /// Queues a call. It starts with silence and the chime, after any call still playing.
    pub fn announce(&self, parts: &[Part]) {
        self.calls_pending.fetch_add(1, Ordering::SeqCst);
        self.current_guide().pause();
        self.announcer.append(silence(CALL_LEAD_MS));
        let missing = self.append(&self.announcer, parts);
        if missing > 0 {
            tracing::warn!(
                missing,
                "call clips missing from the voice pack; they are skipped"
            );
        }
        let (pending, paused, guide) = (
            self.calls_pending.clone(),
            self.visitor_paused.clone(),
            self.guide.clone(),
        );
        self.announcer.append(Callback(Some(Box::new(move || {
            let left = pending.fetch_sub(1, Ordering::SeqCst).saturating_sub(1);
            if left == 0
                && !paused.load(Ordering::SeqCst)
                && let Ok(g) = guide.lock()
            {
                g.play();
            }
        }))));
    }

    /// Nothing is playing or queued.
    pub fn is_idle(&self) -> bool {
        self.current_guide().empty() && self.announcer.empty()
    }

    pub fn calls_pending(&self) -> usize {
        self.calls_pending.load(Ordering::SeqCst)
    }

    /// Appends one clip, decoded (or kept from lately); 1 when it cannot be decoded.
    fn append_clip(&self, player: &Player, clip: &Clip) -> usize {
        match self.store.pcm(clip) {
            Ok(pcm) => {
                player.append(pcm);
                0
            }
            Err(e) => {
                tracing::warn!(error = %e, "a clip that decoded when its pack was loaded no longer does");
                1
            }
        }
    }

    /// Appends the parts' sounds; returns how many clips were not in the packs.
    fn append(&self, player: &Player, parts: &[Part]) -> usize {
        let mut missing = 0;
        for part in parts {
            match part {
                Part::Clip { voice, id } => match self.store.clip(*voice, id) {
                    Some(clip) => missing += self.append_clip(player, clip),
                    None => {
                        tracing::debug!(%voice, id, "no clip");
                        missing += 1;
                    }
                },
                Part::Text { voice, text } => match self.store.clip_for_text(*voice, text) {
                    Some(clip) => missing += self.append_clip(player, clip),
                    None => {
                        tracing::debug!(%voice, "no clip for a text on the screen");
                        missing += 1;
                    }
                },
                Part::Chime => player.append(chime()),
                Part::Gap(ms) => player.append(silence(*ms)),
            }
        }
        missing
    }
}

/// The clips of `parts` that the packs do not have, as "voice:id".
pub fn missing_clips(store: &ClipStore, parts: &[Part]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Clip { voice, id } if store.clip(*voice, id).is_none() => Some(format!("{voice}:{id}")),
            Part::Text { voice, text } if store.clip_for_text(*voice, text).is_none() => {
                Some(format!("{voice}:\"{text}\""))
            }
            _ => None,
        })
        .collect()
}

fn new_player(mixer: &Mixer) -> Player {
    let player = Player::connect_new(mixer);
    player.append(silence(PRIME_MS));
    player.append(silence(PRIME_MS));
    player
}

/// A sound of no length that runs a function when the queue reaches it. Unlike rodio's
/// `EmptyCallback` (48 kHz) it has the clips' rate, so the queue never changes rate.
struct Callback(Option<Box<dyn FnOnce() + Send>>);

impl Iterator for Callback {
    type Item = f32;
    fn next(&mut self) -> Option<f32> {
        if let Some(f) = self.0.take() {
            f();
        }
        None
    }
}

impl rodio::Source for Callback {
    fn current_span_len(&self) -> Option<usize> {
        Some(0)
    }
    fn channels(&self) -> ChannelCount {
        ChannelCount::MIN
    }
    fn sample_rate(&self) -> SampleRate {
        SampleRate::new(RATE).unwrap_or(SampleRate::MIN)
    }
    fn total_duration(&self) -> Option<std::time::Duration> {
        Some(std::time::Duration::ZERO)
    }
    fn try_seek(&mut self, _: std::time::Duration) -> Result<(), SeekError> {
        Ok(())
    }
}

fn gain(level: i32) -> f32 {
    let level = level.clamp(0, VOLUME_STEPS);
    if level == 0 {
        return 0.0;
    }
    10f32.powf((level - DEFAULT_VOLUME) as f32 * 3.0 / 20.0)
}

fn mono(samples: Vec<f32>) -> SamplesBuffer {
    let rate = SampleRate::new(RATE).unwrap_or(SampleRate::MIN);
    SamplesBuffer::new(ChannelCount::MIN, rate, samples)
}

fn silence(ms: u32) -> SamplesBuffer {
    mono(vec![0.0; (RATE * ms / 1000) as usize])
}

/// Two soft tones (E6 then C6) with short fades, so the hall turns to listen.
pub fn chime() -> SamplesBuffer {
    let mut samples = Vec::new();
    for (freq, ms) in [(1318.5f32, 260u32), (1046.5, 420)] {
        let n = (RATE * ms / 1000) as usize;
        let fade = (RATE / 100) as usize;
        for i in 0..n {
            let t = i as f32 / RATE as f32;
            let envelope = (i.min(n - i) as f32 / fade as f32).min(1.0) * (1.0 - i as f32 / n as f32 * 0.6);
            samples.push(0.35 * envelope * (std::f32::consts::TAU * freq * t).sin());
        }
    }
    samples.extend(std::iter::repeat_n(0.0, (RATE / 5) as usize));
    mono(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_steps_are_about_three_decibels() {
        assert_eq!(gain(0), 0.0);
        assert!((gain(5) - 1.0).abs() < 1e-6);
        assert!((gain(6) / gain(5) - 1.4125).abs() < 1e-3);
        assert_eq!(gain(42), gain(10));
    }

    #[test]
    fn the_chime_is_audible_and_fades_out() {
        let c: Vec<f32> = chime().collect();
        let peak = c.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!(peak > 0.2 && peak <= 0.35, "{peak}");
        assert_eq!(c.last().copied(), Some(0.0));
    }
}

/// Playback through the device-less mixer, pulled sample by sample as a sound card would.
#[cfg(test)]
mod playback {
    use super::*;
    use crate::speech::Voice;
    use crate::speech::pack::pack_from_samples;
    use crate::speech::wav::Offline;

    const GUIDE: f32 = 0.1;
    const CALL_A: f32 = 0.5;
    const CALL_B: f32 = 0.7;

    /// Clips of constant level, so the output shows which clip sounded when, and any overlap
    /// shows as a sum.
    fn offline() -> Offline {
        let clip = |id: &str, level: f32, n: usize| (id.to_owned(), id.to_owned(), vec![level; n]);
        let pack = pack_from_samples(
            Voice::Zh,
            RATE,
            [
                clip("guide", GUIDE, RATE as usize),
                clip("a", CALL_A, 4410),
                clip("b", CALL_B, 2205),
                clip("one", 0.2, 1000),
                clip("two", 0.3, 1000),
                clip("three", 0.4, 1000),
            ],
        );
        let mut store = ClipStore::default();
        store.insert(pack);
        Offline::new(Arc::new(store))
    }

    fn part(id: &str) -> Part {
        Part::Clip {
            voice: Voice::Zh,
            id: id.into(),
        }
    }

    fn count(samples: &[f32], level: f32) -> usize {
        samples.iter().filter(|s| (**s - level).abs() < 1e-4).count()
    }

    /// The levels in the order they sound, each run of equal samples once (silence left out).
    fn runs(samples: &[f32]) -> Vec<(f32, usize)> {
        let mut out: Vec<(f32, usize)> = Vec::new();
        for &s in samples {
            let level = (s * 100.0).round() / 100.0;
            if level == 0.0 {
                continue;
            }
            match out.last_mut() {
                Some((l, n)) if *l == level => *n += 1,
                _ => out.push((level, 1)),
            }
        }
        // Boundary samples of a resampled span may be in between; they are a few at most.
        out.retain(|(_, n)| *n > 8);
        out
    }

    #[test]
    fn a_guide_plays_its_clips_in_order_and_completely() {
        let mut o = offline();
        o.speaker
            .guide(vec![part("one"), part("two"), Part::Gap(50), part("three")]);
        let out = o.drain(5);
        let levels: Vec<f32> = runs(&out).iter().map(|r| r.0).collect();
        assert_eq!(levels, [0.2, 0.3, 0.4]);
        for level in [0.2, 0.3, 0.4] {
            assert_eq!(count(&out, level), 1000, "every sample of the clip at {level}");
        }
        assert!(o.speaker.is_idle());
    }

    #[test]
    fn a_call_pauses_the_guide_which_then_goes_on_where_it_stopped() {
        let mut o = offline();
        o.speaker.guide(vec![part("guide")]);
        let before = o.pull(4410);
        o.speaker.announce(&[part("a")]);
        let after = o.drain(10);
        let out: Vec<f32> = before.into_iter().chain(after).collect();
        // Nothing sounded at once: no sample is a sum of the guide and the call.
        assert_eq!(count(&out, GUIDE + CALL_A), 0);
        assert!(out.iter().all(|s| *s <= CALL_A + 1e-4));
        let levels: Vec<f32> = runs(&out).iter().map(|r| r.0).collect();
        assert_eq!(levels, [GUIDE, CALL_A, GUIDE], "guide, call, rest of the guide");
        assert_eq!(count(&out, CALL_A), 4410, "the whole call");
        assert_eq!(
            count(&out, GUIDE),
            RATE as usize,
            "the guide, nothing lost or repeated"
        );
        assert_eq!(o.speaker.calls_pending(), 0);
    }

    #[test]
    fn calls_queue_one_after_the_other_and_never_overlap() {
        let mut o = offline();
        o.speaker.announce(&[part("a")]);
        o.speaker.announce(&[part("b")]);
        assert_eq!(o.speaker.calls_pending(), 2);
        let out = o.drain(10);
        assert_eq!(count(&out, CALL_A + CALL_B), 0);
        let r = runs(&out);
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [CALL_A, CALL_B]);
        assert_eq!((count(&out, CALL_A), count(&out, CALL_B)), (4410, 2205));
        // The lead silence before each call: the second starts after the first ended + lead.
        let first_b = out.iter().position(|s| (*s - CALL_B).abs() < 1e-4).unwrap();
        let last_a = out.iter().rposition(|s| (*s - CALL_A).abs() < 1e-4).unwrap();
        let lead = (RATE * CALL_LEAD_MS / 1000) as usize;
        assert!(
            first_b - last_a > lead - 2,
            "{} samples between calls",
            first_b - last_a
        );
        assert_eq!(o.speaker.calls_pending(), 0);
    }

    #[test]
    fn a_new_guide_replaces_the_old_one_at_once() {
        let mut o = offline();
        o.speaker.guide(vec![part("guide")]);
        let _ = o.pull(2205);
        o.speaker.guide(vec![part("one")]);
        let out = o.drain(5);
        // The old guide stops within rodio's 5 ms control period, then the new one plays whole.
        assert!(
            count(&out, GUIDE) <= (RATE / 200) as usize + 1,
            "{}",
            count(&out, GUIDE)
        );
        assert_eq!(count(&out, 0.2), 1000);
        assert_eq!(count(&out, GUIDE + 0.2), 0);
    }

    #[test]
    fn repeat_plays_the_guide_again_and_a_said_error_does_not_replace_it() {
        let mut o = offline();
        o.speaker.guide(vec![part("one")]);
        let first = o.drain(5);
        o.speaker.say(&[part("two")]);
        let said = o.drain(5);
        o.speaker.repeat();
        let again = o.drain(5);
        assert_eq!(count(&first, 0.2), 1000);
        assert_eq!(count(&said, 0.3), 1000);
        assert_eq!(count(&again, 0.2), 1000, "Repeat says the guide, not the error");
    }

    #[test]
    fn pause_stops_the_guide_and_resume_goes_on() {
        let mut o = offline();
        o.speaker.guide(vec![part("guide")]);
        let first = o.pull(4410);
        assert!(count(&first, GUIDE) > 3000);
        assert!(o.speaker.toggle_pause());
        let paused = o.pull(22050);
        assert!(
            count(&paused, GUIDE) <= (RATE / 200) as usize + 1,
            "silent within 5 ms"
        );
        // A call during the pause plays, and does not resume the guide.
        o.speaker.announce(&[part("b")]);
        let call = o.pull(11025);
        assert_eq!(count(&call, CALL_B), 2205);
        assert!(count(&call, GUIDE) == 0);
        assert!(!o.speaker.toggle_pause());
        let rest = o.drain(5);
        let total = count(&first, GUIDE) + count(&paused, GUIDE) + count(&rest, GUIDE);
        assert_eq!(total, RATE as usize);
    }

    #[test]
    fn volume_scales_the_guide_only() {
        let mut o = offline();
        o.speaker.set_volume(0);
        o.speaker.guide(vec![part("one")]);
        o.speaker.announce(&[part("b")]);
        let out = o.drain(5);
        assert_eq!(count(&out, 0.2), 0, "guide at volume 0 is silent");
        assert_eq!(count(&out, CALL_B), 2205, "calls keep the hall's level");
    }

    #[test]
    fn missing_clips_are_skipped_and_named() {
        let mut o = offline();
        let parts = vec![part("one"), part("no-such-clip"), part("two")];
        assert_eq!(missing_clips(o.speaker.store(), &parts), ["zh:no-such-clip"]);
        o.speaker.guide(parts);
        let out = o.drain(5);
        assert_eq!((count(&out, 0.2), count(&out, 0.3)), (1000, 1000));
    }
}
