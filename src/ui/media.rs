//! The sign-language panel, Rust side: screens name their prompt through `MediaAdapter.show`;
//! this plays its clip on the media thread and hands the newest frame to the UI thread (older
//! frames are dropped rather than queued, so a slow screen never falls behind the clip).

use super::{KioskWindow, MediaAdapter, MediaState, Settings};
use crate::lang::Lang;
use crate::media::pack::{Manifest, caption_of};
use crate::media::{Event, Frame, MediaPlayer};
use slint::{ComponentHandle, Rgba8Pixel, SharedPixelBuffer};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// The frame size decoded for the panel (4:3).
pub const FRAME_SIZE: (u32, u32) = (480, 360);

struct Media {
    dir: PathBuf,
    manifest: Option<Manifest>,
    player: MediaPlayer,
}

/// Connects the panel to the clips in `dir`. Without this the panel says there is no video.
pub fn enable(window: &KioskWindow, dir: &Path) -> std::io::Result<()> {
    let manifest = match Manifest::read(dir) {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::error!(error = %e, "no sign-language clips; the panel will say so");
            None
        }
    };
    let latest: Arc<Mutex<Option<Frame>>> = Arc::new(Mutex::new(None));
    let weak = window.as_weak();
    let slot = latest.clone();
    let player = MediaPlayer::spawn(FRAME_SIZE.0, FRAME_SIZE.1, move |event| match event {
        Event::Frame(frame) => {
            // Only the newest frame matters; schedule the UI update only if none is pending.
            let schedule = slot
                .lock()
                .map(|mut s| s.replace(frame).is_none())
                .unwrap_or(false);
            if schedule {
                let slot = slot.clone();
                let _ = weak.upgrade_in_event_loop(move |w| show_frame(&w, &slot));
            }
        }
        other => {
            let _ = weak.upgrade_in_event_loop(move |w| show_event(&w, other));
        }
    })?;
    let media = Rc::new(Media {
        dir: dir.to_owned(),
        manifest,
        player,
    });
    let ma = window.global::<MediaAdapter>();
    let (m, weak) = (media.clone(), window.as_weak());
    ma.on_show(move |prompt| {
        if let Some(w) = weak.upgrade() {
            show(&w, &m, &prompt);
        }
    });
    let (m, weak) = (media.clone(), window.as_weak());
    ma.on_toggle_pause(move || {
        let Some(w) = weak.upgrade() else { return };
        match w.global::<MediaAdapter>().get_state() {
            MediaState::Playing | MediaState::Loading => m.player.pause(),
            MediaState::Paused => m.player.resume(),
            MediaState::Ended => m.player.replay(),
            _ => {}
        }
    });
    ma.on_replay(move || media.player.replay());
    Ok(())
}

fn show(w: &KioskWindow, media: &Media, prompt: &str) {
    let ma = w.global::<MediaAdapter>();
    if prompt.is_empty() || !w.global::<Settings>().get_sign_video() {
        media.player.stop();
        ma.set_state(MediaState::Off);
        return;
    }
    let lang: Lang = super::window_lang(w);
    ma.set_caption(
        caption_of(prompt)
            .map(|c| crate::i18n::tr(lang, c))
            .unwrap_or_default()
            .into(),
    );
    match media.manifest.as_ref().and_then(|m| m.clip(prompt)) {
        Some(clip) => {
            ma.set_state(MediaState::Loading);
            media.player.play(prompt, media.dir.join(&clip.file));
        }
        None => {
            media.player.stop();
            ma.set_state(MediaState::Missing);
        }
    }
}

fn show_frame(w: &KioskWindow, slot: &Mutex<Option<Frame>>) {
    let Some(frame) = slot.lock().ok().and_then(|mut s| s.take()) else {
        return;
    };
    let buffer = SharedPixelBuffer::<Rgba8Pixel>::clone_from_slice(&frame.rgba, frame.width, frame.height);
    let ma = w.global::<MediaAdapter>();
    ma.set_frame(slint::Image::from_rgba8(buffer));
    if ma.get_state() == MediaState::Loading {
        ma.set_state(MediaState::Playing);
    }
}

fn show_event(w: &KioskWindow, event: Event) {
    let ma = w.global::<MediaAdapter>();
    match event {
        Event::Paused => ma.set_state(MediaState::Paused),
        Event::Resumed => ma.set_state(MediaState::Playing),
        Event::Ended { .. } => ma.set_state(MediaState::Ended),
        Event::Failed { id, reason } => {
            tracing::error!(clip = %id, %reason, "a sign-language clip cannot be played");
            ma.set_state(MediaState::Failed);
        }
        Event::Started { .. } | Event::Frame(_) => {}
    }
}
