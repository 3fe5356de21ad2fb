//! The real kiosk window (winit + software renderer) under Xvfb, operated with simulated clicks:
//! home → take a ticket → service A → normal ticket. Each click waits until the window shows
//! the screen it expects (pixels read back with xwd), and the ticket is checked in the database.
//! Needs Xvfb, xdotool and xwd (scripts/setup.sh installs them).

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const W: u32 = 1080;
const H: u32 = 1920;
/// Button centres in a 1080x1920 window on the default configuration (see `kiosk screenshot`).
const TAKE_TICKET: (u32, u32) = (540, 309);
const SERVICE_A: (u32, u32) = (540, 298);
const NORMAL_TICKET: (u32, u32) = (540, 289);
/// The primary button colour (Theme.accent) and a tile's surface colour.
const ACCENT: [u8; 3] = [11, 92, 173];
const SURFACE: [u8; 3] = [255, 255, 255];

struct KillOnDrop(Child);
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn need(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success());
    assert!(found.unwrap_or(false), "{tool} is missing: run scripts/setup.sh");
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The colour of a pixel of the window, from an xwd dump (ZPixmap, 32 bits per pixel).
fn pixel(display: &str, window: &str, (x, y): (u32, u32)) -> Option<[u8; 3]> {
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

fn click(display: &str, window: &str, (x, y): (u32, u32)) {
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

fn free_display() -> String {
    (90..120)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .map(|n| format!(":{n}"))
        .expect("a free X display number")
}

#[test]
fn a_visitor_takes_a_ticket_in_the_real_window_by_clicks() {
    for tool in ["Xvfb", "xdotool", "xwd"] {
        need(tool);
    }
    let display = free_display();
    let _xvfb = KillOnDrop(
        Command::new("Xvfb")
            .args([
                &display,
                "-screen",
                "0",
                &format!("{W}x{H}x24"),
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

    let data = tempfile::tempdir().unwrap();
    let mut kiosk = KillOnDrop(
        Command::new(common::kiosk_bin())
            .arg("--data-dir")
            .arg(data.path())
            .args(["run", "--windowed", "--size", &format!("{W}x{H}")])
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the kiosk"),
    );
    let mut window = String::new();
    wait_for("the kiosk window", || {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--class", "kiosk"])
            .env("DISPLAY", &display)
            .output()
            .expect("xdotool");
        window = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned();
        !window.is_empty()
    });

    wait_for("the home screen", || {
        pixel(&display, &window, TAKE_TICKET) == Some(ACCENT)
    });
    click(&display, &window, TAKE_TICKET);
    wait_for("the service screen", || {
        pixel(&display, &window, SERVICE_A) == Some(SURFACE)
    });
    click(&display, &window, SERVICE_A);
    wait_for("the priority question", || {
        pixel(&display, &window, NORMAL_TICKET) == Some(ACCENT)
    });
    click(&display, &window, NORMAL_TICKET);

    let mut tickets = serde_json::Value::Null;
    wait_for("the ticket in the queue", || {
        let out = common::kiosk(data.path(), &["queue", "status", "--json"]);
        tickets =
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default()["tickets"].clone();
        tickets.as_array().is_some_and(|t| !t.is_empty())
    });
    assert_eq!(tickets[0]["number"], "A001");
    assert_eq!(tickets[0]["service"], "A");
    assert_eq!(tickets[0]["language"], "zh-CN");

    // Ctrl-C (SIGINT) closes the kiosk cleanly.
    let pid = kiosk.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let mut exit = None;
    wait_for("the kiosk to stop after SIGINT", || {
        exit = kiosk.0.try_wait().unwrap();
        exit.is_some()
    });
    assert!(exit.is_some_and(|s| s.success()), "exit status {exit:?}");
}
