//! The media thread: one clip at a time. Callers send commands and get events back through a
//! callback; starting, pausing and tearing down pipelines (which waits for GStreamer's threads)
//! happens here, never on the caller's thread.

pub use super::decode::Frame;
use super::decode::Playback;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Debug, Clone)]
pub enum Event {
    /// A frame of the current clip.
    Frame(Frame),
    Started {
        id: String,
    },
    Paused,
    Resumed,
    /// The clip played to its end (its last frame stays).
    Ended {
        id: String,
    },
    /// The clip could not be played; the reason is for the technician.
    Failed {
        id: String,
        reason: String,
    },
}

enum Command {
    Play { id: String, path: PathBuf },
    Pause,
    Resume,
    Replay,
    Stop,
}

pub struct MediaPlayer {
    tx: Option<Sender<Command>>,
    thread: Option<JoinHandle<()>>,
}

/// How often the thread looks for the end of a clip or an error while one plays.
const POLL: Duration = Duration::from_millis(50);

impl MediaPlayer {
    /// Starts the thread; frames are scaled to `width` × `height`.
    pub fn spawn(
        width: u32,
        height: u32,
        on_event: impl Fn(Event) + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel::<Command>();
        let on_event: Arc<dyn Fn(Event) + Send + Sync> = Arc::new(on_event);
        let thread = std::thread::Builder::new().name("media".into()).spawn(move || {
            let policy = crate::supervise::Restarts::DEFAULT;
            let ended = crate::supervise::keep_running("media", policy, || {
                // Frames of a clip that was replaced are dropped, even if GStreamer had one in flight.
                let generation = Arc::new(AtomicU64::new(0));
                let mut current: Option<(String, Playback)> = None;
                loop {
                    // Nothing playing: sleep until asked (an idle kiosk wakes nobody 20 times a second).
                    let received = match current {
                        Some(_) => rx.recv_timeout(POLL),
                        None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    };
                    match received {
                        Ok(Command::Play { id, path }) => {
                            current = None;
                            let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
                            let (latest, events) = (generation.clone(), on_event.clone());
                            let started = Playback::start(&path, width, height, move |frame| {
                                if latest.load(Ordering::SeqCst) == mine {
                                    events(Event::Frame(frame));
                                }
                            });
                            match started {
                                Ok(p) => {
                                    on_event(Event::Started { id: id.clone() });
                                    current = Some((id, p));
                                }
                                Err(reason) => on_event(Event::Failed { id, reason }),
                            }
                        }
                        Ok(Command::Pause) => {
                            if let Some((_, p)) = &current {
                                p.pause();
                                p.settle(Duration::from_secs(2));
                                on_event(Event::Paused);
                            }
                        }
                        Ok(Command::Resume) => {
                            if let Some((_, p)) = &current {
                                p.resume();
                                on_event(Event::Resumed);
                            }
                        }
                        Ok(Command::Replay) => {
                            if let Some((_, p)) = &current {
                                p.replay();
                                on_event(Event::Resumed);
                            }
                        }
                        Ok(Command::Stop) => {
                            generation.fetch_add(1, Ordering::SeqCst);
                            current = None;
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                    let outcome = current.as_ref().and_then(|(id, p)| Some((id.clone(), p.poll()?)));
                    match outcome {
                        Some((id, Ok(()))) => on_event(Event::Ended { id }),
                        Some((id, Err(reason))) => {
                            current = None;
                            on_event(Event::Failed { id, reason });
                        }
                        None => {}
                    }
                }
            });
            if ended == crate::supervise::Ended::GaveUp {
                tracing::error!("sign-language video is off until the kiosk restarts");
            }
        })?;
        Ok(MediaPlayer {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    fn send(&self, command: Command) {
        if let Some(tx) = &self.tx
            && tx.send(command).is_err()
        {
            tracing::error!("the media thread has stopped");
        }
    }

    pub fn play(&self, id: &str, path: PathBuf) {
        self.send(Command::Play {
            id: id.to_owned(),
            path,
        });
    }
    pub fn pause(&self) {
        self.send(Command::Pause);
    }
    pub fn resume(&self) {
        self.send(Command::Resume);
    }
    pub fn replay(&self) {
        self.send(Command::Replay);
    }
    pub fn stop(&self) {
        self.send(Command::Stop);
    }
}

impl Drop for MediaPlayer {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
