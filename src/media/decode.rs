//! GStreamer pipelines: `probe` decodes a whole clip as fast as possible (for `media verify`);
//! `Playback` decodes one at the clip's own pace into RGBA frames of a given size.

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

/// Initialises GStreamer once; the error says what to install.
pub fn init() -> Result<(), String> {
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        gst::init()
            .map_err(|e| format!("GStreamer cannot start: {e} (install gstreamer1.0-plugins-base and -good)"))
    })
    .clone()
}

/// What a clip decodes to.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub frames: u64,
    pub duration_ms: u64,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
}

fn element_error(msg: &gst::message::Error) -> String {
    format!("{}", msg.error())
}

fn pipeline_for(path: &Path, tail: &str) -> Result<gst::Pipeline, String> {
    init()?;
    if !path.is_file() {
        return Err(format!("{} does not exist", path.display()));
    }
    let location = path.to_string_lossy().replace('"', "\\\"");
    let description = format!("filesrc location=\"{location}\" ! decodebin ! videoconvert ! {tail}");
    gst::parse::launch(&description)
        .map_err(|e| format!("cannot build a decoder: {e}"))?
        .downcast::<gst::Pipeline>()
        .map_err(|_| "not a pipeline".to_owned())
}

/// The decoding pipeline for `path` ending in `tail` (which names its appsink "sink").
fn with_appsink(path: &Path, tail: &str) -> Result<(gst::Pipeline, gst_app::AppSink), String> {
    let pipeline = pipeline_for(path, tail)?;
    let sink = pipeline
        .by_name("sink")
        .and_then(|s| s.downcast::<gst_app::AppSink>().ok())
        .ok_or("the decoding pipeline has no sink")?;
    Ok((pipeline, sink))
}

/// Scaling to the panel's RGBA frames.
fn rgba(width: u32, height: u32) -> String {
    format!("videoscale ! video/x-raw,format=RGBA,width={width},height={height},pixel-aspect-ratio=1/1")
}

/// Decodes the whole clip without pacing; fails on anything GStreamer cannot decode.
pub fn probe(path: &Path) -> Result<Probe, String> {
    let (pipeline, sink) = with_appsink(path, "appsink name=sink sync=false")?;
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|_| "the clip cannot be played".to_owned())?;
    let mut probe = Probe {
        frames: 0,
        duration_ms: 0,
        width: 0,
        height: 0,
        fps: 0.0,
    };
    let mut last_end = 0u64;
    let result = loop {
        match sink.try_pull_sample(gst::ClockTime::from_seconds(10)) {
            Some(sample) => {
                probe.frames += 1;
                if probe.frames == 1
                    && let Some(info) = sample
                        .caps()
                        .and_then(|c| gstreamer_video::VideoInfo::from_caps(c).ok())
                {
                    probe.width = info.width();
                    probe.height = info.height();
                    let f = info.fps();
                    probe.fps = f64::from(f.numer()) / f64::from(f.denom().max(1));
                }
                if let Some(b) = sample.buffer() {
                    let end = b.pts().map_or(0, |p| p.mseconds()) + b.duration().map_or(0, |d| d.mseconds());
                    last_end = last_end.max(end);
                }
            }
            None => {
                // End of stream, or an error: the bus says which.
                let bus = pipeline.bus().ok_or("no bus")?;
                let msg = bus.timed_pop_filtered(
                    gst::ClockTime::from_mseconds(100),
                    &[gst::MessageType::Error, gst::MessageType::Eos],
                );
                break match msg.as_ref().map(|m| m.view()) {
                    Some(gst::MessageView::Error(e)) => Err(element_error(e)),
                    _ if probe.frames == 0 => Err("no video frames".to_owned()),
                    _ => Ok(()),
                };
            }
        }
    };
    let _ = pipeline.set_state(gst::State::Null);
    result?;
    probe.duration_ms = last_end;
    Ok(probe)
}

/// One clip being played: frames arrive on GStreamer's streaming thread at the clip's rate.
pub struct Playback {
    pipeline: gst::Pipeline,
}

/// An RGBA frame, `width * height * 4` bytes, and its time in the clip.
#[derive(Debug, Clone)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
    pub pts_ms: u64,
}

impl Playback {
    /// Starts playing `path` scaled to `width` × `height`; `on_frame` runs for each frame.
    pub fn start(
        path: &Path,
        width: u32,
        height: u32,
        on_frame: impl Fn(Frame) + Send + 'static,
    ) -> Result<Playback, String> {
        // sync: frames are released at the clip's pace; two buffers at most, the old one dropped.
        let tail = format!(
            "{} ! appsink name=sink sync=true max-buffers=2 drop=true",
            rgba(width, height)
        );
        let (pipeline, sink) = with_appsink(path, &tail)?;
        sink.set_callbacks(
            gst_app::AppSinkCallbacks::builder()
                .new_sample(move |sink| {
                    let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                    let buffer = sample.buffer().ok_or(gst::FlowError::Error)?;
                    let map = buffer.map_readable().map_err(|_| gst::FlowError::Error)?;
                    let expected = (width * height * 4) as usize;
                    if map.len() >= expected {
                        on_frame(Frame {
                            width,
                            height,
                            rgba: map[..expected].to_vec(),
                            pts_ms: buffer.pts().map_or(0, |p| p.mseconds()),
                        });
                    }
                    Ok(gst::FlowSuccess::Ok)
                })
                .build(),
        );
        pipeline
            .set_state(gst::State::Playing)
            .map_err(|_| format!("{} cannot be played", path.display()))?;
        Ok(Playback { pipeline })
    }

    pub fn pause(&self) {
        let _ = self.pipeline.set_state(gst::State::Paused);
    }

    pub fn resume(&self) {
        let _ = self.pipeline.set_state(gst::State::Playing);
    }

    /// Back to the first frame.
    pub fn replay(&self) {
        let _ = self.pipeline.seek_simple(
            gst::SeekFlags::FLUSH | gst::SeekFlags::KEY_UNIT,
            gst::ClockTime::ZERO,
        );
        self.resume();
    }

    /// The clip's end or an error, if one happened since the last look.
    pub fn poll(&self) -> Option<Result<(), String>> {
        let bus = self.pipeline.bus()?;
        let msg = bus.pop_filtered(&[gst::MessageType::Error, gst::MessageType::Eos])?;
        Some(match msg.view() {
            gst::MessageView::Error(e) => Err(element_error(e)),
            _ => Ok(()),
        })
    }

    /// Waits (up to `limit`) until a pause or resume has taken effect.
    pub fn settle(&self, limit: Duration) {
        let _ = self
            .pipeline
            .state(gst::ClockTime::from_mseconds(limit.as_millis() as u64));
    }
}

impl Drop for Playback {
    fn drop(&mut self) {
        // Stops the streaming threads and frees the decoder before the next clip starts.
        let _ = self.pipeline.set_state(gst::State::Null);
    }
}

/// The first frame of a clip, decoded at once (for screenshots).
pub fn first_frame(path: &Path, width: u32, height: u32) -> Result<Frame, String> {
    let tail = format!("{} ! appsink name=sink sync=false", rgba(width, height));
    let (pipeline, sink) = with_appsink(path, &tail)?;
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|_| "the clip cannot be played".to_owned())?;
    let sample = sink.try_pull_sample(gst::ClockTime::from_seconds(10));
    let _ = pipeline.set_state(gst::State::Null);
    let sample = sample.ok_or("no frame")?;
    let buffer = sample.buffer().ok_or("no buffer")?;
    let map = buffer.map_readable().map_err(|_| "unreadable frame")?;
    Ok(Frame {
        width,
        height,
        rgba: map.as_slice().to_vec(),
        pts_ms: 0,
    })
}
