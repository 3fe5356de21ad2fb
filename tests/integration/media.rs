//! Sign-language clips decoded for real with GStreamer: the synthetic pack in assets/media, the
//! player thread's frames, pause, switching, broken files, and `kiosk media verify|import`.

use crate::common;

use common::kiosk;
use kiosk::media::decode;
use kiosk::media::pack::{self, Manifest, shipped_dir};
use kiosk::media::{Event, MediaPlayer};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

fn clip(id: &str) -> PathBuf {
    let dir = shipped_dir();
    dir.join(&Manifest::read(&dir).unwrap().clip(id).unwrap().file)
}

/// The colour scripts/media-pack.py paints a prompt's clip in.
fn colour(id: &str) -> [u8; 3] {
    let d = Sha256::digest(id.as_bytes());
    [64 + d[0] / 2, 64 + d[1] / 2, 64 + d[2] / 2]
}

fn player() -> (MediaPlayer, Receiver<Event>) {
    let (tx, rx) = mpsc::channel();
    let p = MediaPlayer::spawn(160, 120, move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    (p, rx)
}

/// The next event that `want` accepts, within `limit`.
fn next(rx: &Receiver<Event>, limit: Duration, want: impl Fn(&Event) -> bool) -> Option<Event> {
    let deadline = Instant::now() + limit;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(e) if want(&e) => return Some(e),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

fn is_frame(e: &Event) -> bool {
    matches!(e, Event::Frame(_))
}

#[test]
fn the_shipped_pack_verifies_and_each_clip_decodes_at_25_fps() {
    let report = pack::verify(&shipped_dir());
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.clips, pack::PROMPTS.len());
    let p = decode::probe(&clip("Matter")).unwrap();
    assert_eq!((p.width, p.height), (640, 480));
    assert_eq!(p.frames, 100);
    assert!((p.fps - 25.0).abs() < 0.01);
    assert!(p.duration_ms.abs_diff(4000) <= 40, "{}", p.duration_ms);
}

#[test]
fn frames_arrive_at_the_clips_rate_and_show_the_right_clip() {
    let (p, rx) = player();
    p.play("Income", clip("Income"));
    let started = Instant::now();
    assert!(
        next(
            &rx,
            Duration::from_secs(5),
            |e| matches!(e, Event::Started { id } if id == "Income")
        )
        .is_some()
    );
    let mut frames = Vec::new();
    loop {
        match next(&rx, Duration::from_secs(10), |_| true) {
            Some(Event::Frame(f)) => frames.push(f),
            Some(Event::Ended { id }) => {
                assert_eq!(id, "Income");
                break;
            }
            Some(other) => panic!("unexpected {other:?}"),
            None => panic!("the clip did not end; {} frames", frames.len()),
        }
    }
    let took = started.elapsed();
    assert_eq!(frames.len(), 100, "every frame of 4 s at 25 fps");
    let steps: Vec<u64> = frames.windows(2).map(|w| w[1].pts_ms - w[0].pts_ms).collect();
    assert!(steps.iter().all(|s| *s == 40), "40 ms apart: {steps:?}");
    // Paced by the clock, not decoded as fast as possible (which takes a fraction of a second).
    assert!(took >= Duration::from_millis(3800), "played in {took:?}");
    // The frame is the clip's: its colour away from the drawn text.
    let f = &frames[50];
    assert_eq!((f.width, f.height, f.rgba.len()), (160, 120, 160 * 120 * 4));
    let at = (10 * 160 + 10) * 4;
    let want = colour("Income");
    for (c, w) in f.rgba[at..at + 3].iter().zip(want) {
        assert!(
            c.abs_diff(w) <= 12,
            "pixel {:?}, clip colour {want:?}",
            &f.rgba[at..at + 3]
        );
    }
}

#[test]
fn pausing_stops_frames_and_resuming_goes_on() {
    let (p, rx) = player();
    p.play("Matter", clip("Matter"));
    for _ in 0..5 {
        assert!(next(&rx, Duration::from_secs(5), is_frame).is_some());
    }
    p.pause();
    assert!(next(&rx, Duration::from_secs(5), |e| matches!(e, Event::Paused)).is_some());
    // Paused (the state change has completed): no frame for a good while.
    assert!(
        next(&rx, Duration::from_millis(800), is_frame).is_none(),
        "a frame while paused"
    );
    p.resume();
    assert!(
        next(&rx, Duration::from_secs(5), is_frame).is_some(),
        "frames after resume"
    );
}

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn two_hundred_screen_changes_leave_no_decoders_or_threads_behind() {
    let (p, rx) = player();
    let clips = [clip("Matter"), clip("Income"), clip("Review")];
    let switch = |n: usize| {
        for i in 0..n {
            p.play("x", clips[i % 3].clone());
            // Each clip really starts decoding before the next switch.
            assert!(
                next(&rx, Duration::from_secs(5), is_frame).is_some(),
                "switch {i}"
            );
        }
    };
    switch(10);
    p.stop();
    let (threads_before, rss_before) = (threads(), rss_kib());
    switch(200);
    p.stop();
    // The stop has been handled once the thread answers a later command.
    p.play("Matter", clips[0].clone());
    assert!(next(&rx, Duration::from_secs(5), is_frame).is_some());
    p.stop();
    let deadline = Instant::now() + Duration::from_secs(5);
    while threads() > threads_before && Instant::now() < deadline {
        std::thread::yield_now();
    }
    assert!(
        threads() <= threads_before,
        "{} threads, {threads_before} before",
        threads()
    );
    let grown = rss_kib().saturating_sub(rss_before);
    assert!(
        grown < 20 * 1024,
        "resident memory grew by {grown} KiB over 200 switches"
    );
}

#[test]
fn a_corrupt_or_missing_clip_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.webm");
    let mut bytes = std::fs::read(clip("Matter")).unwrap();
    bytes.truncate(300);
    bytes.extend(std::iter::repeat_n(0x5a, 4000));
    std::fs::write(&corrupt, bytes).unwrap();
    let (p, rx) = player();
    for (id, path) in [
        ("corrupt", corrupt.clone()),
        ("gone", dir.path().join("gone.webm")),
    ] {
        p.play(id, path);
        let failed = next(&rx, Duration::from_secs(10), |e| {
            matches!(e, Event::Failed { .. })
        });
        match failed {
            Some(Event::Failed { id: got, reason }) => {
                assert_eq!(got, id);
                assert!(!reason.is_empty());
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    assert!(decode::probe(&corrupt).is_err());
    // The player still plays a good clip afterwards.
    p.play("Matter", clip("Matter"));
    assert!(next(&rx, Duration::from_secs(5), is_frame).is_some());
}

fn copy_pack(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(shipped_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn media_verify_finds_each_defect_and_import_installs_only_a_sound_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad");
    copy_pack(&bad);
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(bad.join("manifest.json")).unwrap()).unwrap();
    let clips = m["clips"].as_array_mut().unwrap();
    let find = |clips: &Vec<serde_json::Value>, id: &str| clips.iter().position(|c| c["id"] == id).unwrap();
    // Missing file.
    std::fs::remove_file(bad.join("Income.webm")).unwrap();
    // Bad checksum: a byte changed at the end.
    let mut b = std::fs::read(bad.join("Matter.webm")).unwrap();
    let last = b.len() - 1;
    b[last] ^= 0xff;
    std::fs::write(bad.join("Matter.webm"), b).unwrap();
    // Does not decode (checksum updated, so only decoding fails).
    std::fs::write(bad.join("HouseholdSize.webm"), vec![0u8; 5000]).unwrap();
    let i = find(clips, "HouseholdSize");
    clips[i]["sha256"] = pack::sha256_file(&bad.join("HouseholdSize.webm")).unwrap().into();
    // Wrong duration.
    let i = find(clips, "Circumstances");
    clips[i]["duration_ms"] = 9000.into();
    // An id no screen uses, and a prompt left without a clip.
    let mut extra = clips[find(clips, "CaseOutsideCity")].clone();
    extra["id"] = "Nonsense".into();
    clips.push(extra);
    let i = find(clips, "Review");
    clips.remove(i);
    std::fs::write(bad.join("manifest.json"), m.to_string()).unwrap();

    let data = tmp.path().join("data");
    let out = kiosk(&data, &["media", "verify", bad.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let has = |key: &str, needle: &str| {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v.as_str().unwrap().contains(needle))
    };
    assert!(has("missing_files", "Income.webm"), "{r}");
    assert!(has("bad_checksums", "Matter.webm"), "{r}");
    assert!(has("undecodable", "HouseholdSize.webm"), "{r}");
    assert!(has("wrong_duration", "Circumstances.webm"), "{r}");
    assert!(has("unknown_ids", "Nonsense"), "{r}");
    assert!(has("prompts_without_clip", "Review"), "{r}");

    // A defective pack is refused and nothing is installed.
    let out = kiosk(&data, &["media", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!data.join("media").exists());

    // A sound pack is installed and becomes the one in use.
    let good = tmp.path().join("good");
    copy_pack(&good);
    let out = kiosk(&data, &["media", "import", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(data.join("media/manifest.json").is_file());
    assert_eq!(pack::active_dir(&data), data.join("media"));
    let out = kiosk(&data, &["media", "verify", "--json"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(out.status.success());
    assert_eq!(r["dir"], data.join("media").to_str().unwrap());

    // A second import keeps the first beside it; rollback swaps them, and a rollback past the
    // first import is the shipped pack again.
    let mut newer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(good.join("manifest.json")).unwrap()).unwrap();
    newer["source"] = "office recordings, second batch".into();
    std::fs::write(good.join("manifest.json"), newer.to_string()).unwrap();
    let source = || pack::Manifest::read(&pack::active_dir(&data)).unwrap().source;
    let first = source();
    assert!(
        kiosk(&data, &["media", "import", good.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(source(), "office recordings, second batch");
    assert!(kiosk(&data, &["media", "rollback"]).status.success());
    assert_eq!(source(), first);
    assert!(kiosk(&data, &["media", "rollback"]).status.success());
    assert_eq!(
        source(),
        "office recordings, second batch",
        "a second rollback undoes the first"
    );
    std::fs::remove_dir_all(data.join("media-previous")).unwrap();
    assert!(kiosk(&data, &["media", "rollback"]).status.success());
    assert_eq!(pack::active_dir(&data), pack::shipped_dir());
    let out = kiosk(&data, &["media", "rollback"]);
    assert!(out.status.success(), "back to the import set aside");
    assert_eq!(pack::active_dir(&data), data.join("media"));
}
