//! `kiosk screenshot` renders every screen headless, and the text really is drawn: without the
//! bundled fonts Slint would drop Chinese and Uyghur characters silently and the header would be
//! an empty blue band.

use crate::common;

fn decode(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    (info.width, info.height, buf)
}

/// Share of light (text) pixels in the header band: the title and welcome text are white on blue.
fn header_text_share(path: &std::path::Path) -> f64 {
    let (w, _, px) = decode(path);
    let band = 20..130u32;
    let light = band
        .clone()
        .flat_map(|y| (0..w).map(move |x| ((y * w + x) * 3) as usize))
        .filter(|&i| px[i] > 200 && px[i + 1] > 200 && px[i + 2] > 200)
        .count();
    light as f64 / (band.len() as f64 * f64::from(w))
}

#[test]
fn every_screen_is_rendered_with_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shots");
    for lang in ["zh-CN", "ug"] {
        let run = common::kiosk(
            dir.path(),
            &[
                "screenshot",
                "--out",
                out.to_str().unwrap(),
                "--lang",
                lang,
                "--theme",
                "normal",
                "--size",
                "1080x1920",
            ],
        );
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    }
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    for screen in [
        "home",
        "language",
        "accessibility",
        "help",
        "service",
        "priority",
        "confirmation",
        "out-of-service",
        "inactivity",
    ] {
        for lang in ["zh-CN", "ug"] {
            let name = format!("{screen}-{lang}-normal-1080x1920.png");
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
    }
    // The sign-language panel shows a decoded frame of the question's clip (its colour).
    use sha2::Digest;
    let d = sha2::Sha256::digest(b"AlreadyRepresented");
    let clip_colour = [64 + d[0] / 2, 64 + d[1] / 2, 64 + d[2] / 2];
    for lang in ["zh-CN", "ug"] {
        let path = out.join(format!("wizard-question-sign-video-{lang}-normal-1080x1920.png"));
        let (_, _, px) = decode(&path);
        let painted = px
            .chunks_exact(3)
            .filter(|p| p.iter().zip(clip_colour).all(|(a, b)| a.abs_diff(b) <= 12))
            .count();
        assert!(painted > 60_000, "{lang}: {painted} pixels of the clip's colour");
    }
    for lang in ["zh-CN", "ug"] {
        let path = out.join(format!("home-{lang}-normal-1080x1920.png"));
        let (w, h, _) = decode(&path);
        assert_eq!((w, h), (1080, 1920));
        let share = header_text_share(&path);
        assert!(
            share > 0.03,
            "{lang}: only {share:.3} of the header is text; are the bundled fonts used?"
        );
    }
}

#[test]
fn bad_screenshot_arguments_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (args, message) in [
        (
            vec!["screenshot", "--out", "x", "--size", "100x100"],
            "320 to 7680",
        ),
        (
            vec!["screenshot", "--out", "x", "--theme", "neon"],
            "unknown theme 'neon'",
        ),
        (
            vec!["screenshot", "--out", "x", "--lang", "fr"],
            "unknown language 'fr'",
        ),
    ] {
        let out = common::kiosk(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(message));
    }
}
