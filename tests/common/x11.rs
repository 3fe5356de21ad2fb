//! The X server side of the window tests: Xvfb, pixels read back with xwd, clicks with xdotool.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct KillOnDrop(pub Child);
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn need(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success());
    assert!(found.unwrap_or(false), "{tool} is missing: run scripts/setup.sh");
}

pub fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The colour of a pixel of the window, from an xwd dump (ZPixmap, 32 bits per pixel).
pub fn pixel(display: &str, window: &str, (x, y): (u32, u32)) -> Option<[u8; 3]> {
    let out = Command::new("xwd")
        .args(["-silent", "-id", window])
        .env("DISPLAY", display)
        .output()
        .ok()?;
    let d = out.stdout;
    let be =
        |i: usize| -> Option<u32> { Some(u32::from_be_bytes(d.get(i * 4..i * 4 + 4)?.try_into().ok()?)) };
    let (header, byte_order, bpp, line, ncolors) = (be(0)?, be(7)?, be(11)?, be(12)?, be(19)?);
    if bpp != 32 {
        return None;
    }
    let at = header as usize + ncolors as usize * 12 + y as usize * line as usize + x as usize * 4;
    let p = d.get(at..at + 4)?;
    Some(if byte_order == 0 {
        [p[2], p[1], p[0]]
    } else {
        [p[1], p[2], p[3]]
    })
}

pub fn click(display: &str, window: &str, (x, y): (u32, u32)) {
    let status = Command::new("xdotool")
        .args([
            "mousemove",
            "--window",
            window,
            &x.to_string(),
            &y.to_string(),
            "click",
            "1",
        ])
        .env("DISPLAY", display)
        .status()
        .expect("xdotool");
    assert!(status.success());
}

pub fn free_display() -> String {
    (90..120)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .map(|n| format!(":{n}"))
        .expect("a free X display number")
}

/// An X server of `w`×`h` on a free display number; its display name.
pub fn start_xvfb(w: u32, h: u32) -> (KillOnDrop, String) {
    let display = free_display();
    let xvfb = KillOnDrop(
        Command::new("Xvfb")
            .args([
                &display,
                "-screen",
                "0",
                &format!("{w}x{h}x24"),
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    );
    let socket = format!("/tmp/.X11-unix/X{}", &display[1..]);
    wait_for("the X server", || Path::new(&socket).exists());
    (xvfb, display)
}

/// The id of the first visible window of a `kiosk` process on `display`.
pub fn find_window(display: &str, what: &str) -> String {
    let mut window = String::new();
    wait_for(what, || {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--class", "kiosk"])
            .env("DISPLAY", display)
            .output()
            .expect("xdotool");
        window = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned();
        !window.is_empty()
    });
    window
}
