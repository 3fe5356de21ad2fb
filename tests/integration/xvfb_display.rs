//! The calling display as a hall runs it, all real processes: `kiosk serve` on loopback, a
//! terminal enrolled as a display running `kiosk display` in a real window under Xvfb, and a
//! counter calling with `kiosk queue call` on the host. The window's pixels (read back with
//! xwd) must turn to the highlight colour within a second of the call's commit.
//! Needs Xvfb, xdotool and xwd (scripts/setup.sh installs them).

use crate::common;
use crate::hall_procs;
use crate::x11;

use hall_procs::{enroll, free_port, join, provision_host, serve};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use x11::{KillOnDrop, need, pixel, wait_for};

const W: u32 = 1280;
const H: u32 = 720;
/// DisplayStyle.highlight and DisplayStyle.panel (ui/display.slint).
const HIGHLIGHT: [u8; 3] = [0xff, 0xd2, 0x00];
const PANEL: [u8; 3] = [0x1a, 0x1a, 0x1a];

#[test]
fn a_call_on_the_host_lights_the_real_display_window_within_a_second() {
    for tool in ["Xvfb", "xdotool", "xwd"] {
        need(tool);
    }
    let host = tempfile::tempdir().unwrap();
    provision_host(host.path());
    let port = free_port();
    let _serve = serve(host.path(), port);
    let wall = tempfile::tempdir().unwrap();
    let joined = join(wall.path(), port, &enroll(host.path(), "wall-1", "display", None));
    assert!(
        joined.status.success(),
        "{}",
        String::from_utf8_lossy(&joined.stderr)
    );
    let issued = common::kiosk(host.path(), &["queue", "issue", "--service", "A"]);
    assert!(
        issued.status.success(),
        "{}",
        String::from_utf8_lossy(&issued.stderr)
    );

    let xvfb = x11::start_xvfb(W, H);
    let display = xvfb.display.clone();
    let _window_process = KillOnDrop(
        Command::new(common::kiosk_bin())
            .arg("--data-dir")
            .arg(wall.path())
            .args(["display", "--windowed", "--size", &format!("{W}x{H}")])
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the display"),
    );
    let window = x11::find_window(&display, "the display window");
    // Inside the newest call's panel, clear of its text: the panel's colour while nothing is
    // called (grey, the "connecting" banner, until the display is connected), the highlight once
    // a call is news. (The layout scales with the window:
    // 1280x720 is two thirds of 1080p, so the panel starts at 16,89.)
    let inside_panel = (30, 104);
    wait_for("the empty board", || {
        pixel(&display, &window, inside_panel) == Some(PANEL)
    });

    let called = common::kiosk(host.path(), &["queue", "call", "--counter", "1"]);
    assert!(
        called.status.success(),
        "{}",
        String::from_utf8_lossy(&called.stderr)
    );
    let committed = Instant::now();
    wait_for("the call on the wall", || {
        pixel(&display, &window, inside_panel) == Some(HIGHLIGHT)
    });
    let shown = committed.elapsed();
    assert!(
        shown < Duration::from_secs(1),
        "the call showed {shown:?} after its commit"
    );
}
