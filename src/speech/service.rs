//! The speech thread: loads the voice packs, opens the sound card and plays what the UI and the
//! queue send it. Callers only send messages, so nothing waits for audio. Without a sound card or
//! a voice pack the thread keeps running, logs why once, and drops what it is sent.

use super::Voice;
use super::compose::Part;
use super::engine::Speaker;
use super::pack::ClipStore;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Guide(Vec<Part>),
    Say(Vec<Part>),
    Repeat,
    TogglePause,
    Silence,
    Volume(i32),
    Announce(Vec<Part>),
    /// Load the voice packs in this folder and speak with them (after a technician's import).
    UseVoices(PathBuf),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SpeechStatus {
    Starting,
    Ready {
        clips: usize,
    },
    /// Sound is off; the reason is for the technician.
    Degraded(String),
    Off,
}

pub struct SpeechOptions {
    pub voice_dir: PathBuf,
    pub voices: Vec<Voice>,
    pub call_volume: i32,
}

/// The voices a terminal speaks: the three screen languages and the hall's call languages.
pub fn voices_for(config: &crate::config::Config) -> Vec<Voice> {
    let mut voices = vec![Voice::Zh, Voice::En, Voice::Ug];
    voices.extend(config.speech.call_languages.iter().copied());
    voices.sort();
    voices.dedup();
    voices
}

#[derive(Clone)]
pub struct SpeechService {
    tx: Sender<Command>,
    status: Arc<Mutex<SpeechStatus>>,
    /// Set for a recording service: commands are kept here instead of played.
    record: Option<Arc<Mutex<Vec<Command>>>>,
}

impl SpeechService {
    /// Starts the speech thread. The packs are decoded there, so the caller does not wait.
    pub fn spawn(options: SpeechOptions) -> std::io::Result<SpeechService> {
        let (tx, rx) = mpsc::channel();
        let status = Arc::new(Mutex::new(SpeechStatus::Starting));
        let s = status.clone();
        std::thread::Builder::new().name("speech".into()).spawn(move || {
            let failed =
                crate::supervise::guarded("speech", "start", || run(options, rx, s.clone())).is_none();
            if failed {
                set(
                    &s,
                    SpeechStatus::Degraded("the speech thread failed; see the log".into()),
                );
            }
        })?;
        Ok(SpeechService {
            tx,
            status,
            record: None,
        })
    }

    /// The speech thread for a provisioned terminal: the screen voices and the call voices.
    pub fn for_config(config: &crate::config::Config, data_dir: &std::path::Path) -> SpeechService {
        if !config.speech.enabled {
            return SpeechService::off();
        }
        Self::with_voices(config, data_dir, voices_for(config))
    }

    fn with_voices(
        config: &crate::config::Config,
        data_dir: &std::path::Path,
        mut voices: Vec<Voice>,
    ) -> SpeechService {
        voices.sort();
        voices.dedup();
        let options = SpeechOptions {
            voice_dir: crate::speech::pack::voice_dir_in(&config.speech, data_dir),
            voices,
            call_volume: i32::from(config.speech.call_volume),
        };
        match SpeechService::spawn(options) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "cannot start the speech thread; the kiosk runs without sound");
                SpeechService::off()
            }
        }
    }

    /// A service that says nothing (speech switched off in the configuration).
    pub fn off() -> SpeechService {
        let (tx, _rx) = mpsc::channel();
        SpeechService {
            tx,
            status: Arc::new(Mutex::new(SpeechStatus::Off)),
            record: None,
        }
    }

    /// A service that keeps every command instead of playing it, for tests of what the screens
    /// and the queue ask to be said.
    #[cfg(feature = "dev-tools")]
    pub fn recorder() -> (SpeechService, Arc<Mutex<Vec<Command>>>) {
        let (tx, _rx) = mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let service = SpeechService {
            tx,
            status: Arc::new(Mutex::new(SpeechStatus::Off)),
            record: Some(log.clone()),
        };
        (service, log)
    }

    pub fn send(&self, command: Command) {
        if let Some(log) = &self.record {
            if let Ok(mut l) = log.lock() {
                l.push(command);
            }
            return;
        }
        // A closed channel means speech is off or its thread ended; sound is optional.
        let _ = self.tx.send(command);
    }

    pub fn status(&self) -> SpeechStatus {
        self.status
            .lock()
            .map(|s| s.clone())
            .unwrap_or(SpeechStatus::Starting)
    }
}

fn set(status: &Mutex<SpeechStatus>, value: SpeechStatus) {
    if let Ok(mut s) = status.lock() {
        *s = value;
    }
}

fn run(options: SpeechOptions, rx: Receiver<Command>, status: Arc<Mutex<SpeechStatus>>) {
    let started = std::time::Instant::now();
    let (store, errors) = ClipStore::load(&options.voice_dir, &options.voices);
    for e in &errors {
        tracing::error!(error = %e, "a voice pack could not be loaded; its language is silent");
    }
    let clips: usize = store
        .voices()
        .iter()
        .filter_map(|v| store.pack(*v))
        .map(|p| p.len())
        .sum();
    tracing::info!(
        clips,
        ms = started.elapsed().as_millis() as u64,
        "voice packs loaded"
    );
    let device = match rodio::DeviceSinkBuilder::open_default_sink() {
        Ok(mut sink) => {
            sink.log_on_drop(false);
            sink
        }
        Err(e) => {
            let reason = format!("no sound output: {e}");
            tracing::warn!(%reason, "speech is off (degraded mode); the screens work without it");
            set(&status, SpeechStatus::Degraded(reason));
            // Keep receiving so that senders never see an error; nothing is played.
            for _ in rx {}
            return;
        }
    };
    if store.voices().is_empty() {
        set(
            &status,
            SpeechStatus::Degraded("no voice pack could be loaded".into()),
        );
    } else {
        set(&status, SpeechStatus::Ready { clips });
    }
    let mut speaker = Speaker::new(device.mixer(), Arc::new(store));
    speaker.set_call_volume(options.call_volume);
    for command in rx {
        if let Command::UseVoices(dir) = &command {
            let (store, errors) = ClipStore::load(dir, &options.voices);
            if errors.is_empty() {
                tracing::info!(dir = %dir.display(), "speaking with newly installed voice packs");
                speaker.use_store(Arc::new(store));
            } else {
                tracing::error!(dir = %dir.display(), errors = errors.len(), "the new voice packs cannot be loaded; the old ones speak");
            }
            continue;
        }
        crate::supervise::guarded("speech", "command", || apply(&mut speaker, command));
    }
}

/// Carries out one command (also used by tests and the WAV renderer).
pub fn apply(speaker: &mut Speaker, command: Command) {
    match command {
        Command::Guide(parts) => speaker.guide(parts),
        Command::Say(parts) => speaker.say(&parts),
        Command::Repeat => speaker.repeat(),
        Command::TogglePause => {
            speaker.toggle_pause();
        }
        Command::Silence => speaker.silence_guide(),
        Command::Volume(v) => speaker.set_volume(v),
        Command::Announce(parts) => speaker.announce(&parts),
        // Handled by the speech thread itself, which knows which voices to load.
        Command::UseVoices(_) => {}
    }
}
