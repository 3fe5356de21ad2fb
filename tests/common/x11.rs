//! The X server side of the window tests: Xvfb, pixels read back with xwd, clicks with xdotool.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
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

/// A virtual X server; ended with SIGTERM so that it removes its lock file and socket (a
/// killed Xvfb leaves `/tmp/.X<n>-lock` behind for good).
pub struct XServer {
    child: Child,
    pub display: String,
}

impl Drop for XServer {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An X server of `w`×`h`. Xvfb picks a free display number itself (`-displayfd`) and writes it
/// once it accepts connections, so parallel tests never race for a number and stale lock files
/// of dead servers do not count as taken.
pub fn start_xvfb(w: u32, h: u32) -> XServer {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            &format!("{w}x{h}x24"),
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb (scripts/setup.sh installs it)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("Xvfb's stdout"))
        .read_line(&mut line)
        .expect("the display number from Xvfb");
    let number = line.trim();
    assert!(
        !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
        "Xvfb gave no display number: {line:?}"
    );
    XServer {
        display: format!(":{number}"),
        child,
    }
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
