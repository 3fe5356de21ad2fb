//! The real kiosk window (winit + software renderer) under Xvfb, operated with simulated clicks:
//! home → take a ticket → service A → normal ticket. Each click waits until the window shows
//! the screen it expects (pixels read back with xwd), and the ticket is checked in the database.
//! Where to click is not written down: the same window is laid out headless in this process
//! (Slint's testing backend, the bundled fonts, the same size) and each button's centre is read
//! from its accessible-id, so a layout change moves the clicks with it.
//! Needs Xvfb, xdotool and xwd (scripts/setup.sh installs them).

use crate::common;
use crate::ui;
use crate::x11;

use kiosk::config::Config;
use kiosk::ui::Screen;
use slint::ComponentHandle;
use std::process::{Command, Stdio};
use x11::{KillOnDrop, click, need, pixel, wait_for};

const W: u32 = 1080;
const H: u32 = 1920;

/// The centres of the buttons a visitor presses for a normal ticket of service A, in a W×H
/// window: laid out headless, walking the same screens by their accessible-ids.
struct Buttons {
    take_ticket: (u32, u32),
    service_a: (u32, u32),
    normal_ticket: (u32, u32),
}

fn centre(k: &ui::Kiosk, id: &str) -> (u32, u32) {
    let e = ui::wait_for_element(k, id);
    let (at, size) = (e.absolute_position(), e.size());
    let x = (at.x + size.width / 2.0).round();
    let y = (at.y + size.height / 2.0).round();
    assert!(
        x > 0.0 && y > 0.0 && x < W as f32 && y < H as f32,
        "{id} is on screen at {x},{y}"
    );
    (x as u32, y as u32)
}

fn laid_out_buttons() -> Buttons {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = ui::kiosk_with(Config::default());
    k.ui.window.window().set_size(slint::PhysicalSize::new(W, H));
    let take_ticket = centre(&k, "home-take-ticket");
    ui::tap(&k, "home-take-ticket");
    ui::wait_for_screen(&k, Screen::Service);
    let service_a = centre(&k, "service-A");
    ui::tap(&k, "service-A");
    ui::wait_for_screen(&k, Screen::Priority);
    let normal_ticket = centre(&k, "priority-none");
    Buttons {
        take_ticket,
        service_a,
        normal_ticket,
    }
}
/// The primary button colour (Theme.accent) and a tile's surface colour.
const ACCENT: [u8; 3] = [11, 92, 173];
const SURFACE: [u8; 3] = [255, 255, 255];

fn start_kiosk(display: &str, data: &std::path::Path) -> KillOnDrop {
    KillOnDrop(
        Command::new(common::kiosk_bin())
            .arg("--data-dir")
            .arg(data)
            .args(["run", "--windowed", "--size", &format!("{W}x{H}")])
            .env("DISPLAY", display)
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the kiosk"),
    )
}

/// From the home screen to a normal ticket of service A, by clicks; the queue's tickets once
/// there are `count`.
fn take_ticket_by_clicks(
    display: &str,
    data: &std::path::Path,
    buttons: &Buttons,
    count: usize,
) -> serde_json::Value {
    let window = x11::find_window(display, "the kiosk window");
    wait_for("the home screen", || {
        pixel(display, &window, buttons.take_ticket) == Some(ACCENT)
    });
    click(display, &window, buttons.take_ticket);
    wait_for("the service screen", || {
        pixel(display, &window, buttons.service_a) == Some(SURFACE)
    });
    click(display, &window, buttons.service_a);
    wait_for("the priority question", || {
        pixel(display, &window, buttons.normal_ticket) == Some(ACCENT)
    });
    click(display, &window, buttons.normal_ticket);

    let mut tickets = serde_json::Value::Null;
    wait_for("the ticket in the queue", || {
        let out = common::kiosk(data, &["queue", "status", "--json"]);
        tickets =
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default()["tickets"].clone();
        tickets.as_array().is_some_and(|t| t.len() == count)
    });
    tickets
}

/// Ctrl-C (SIGINT) closes the kiosk cleanly.
fn stop_with_sigint(mut kiosk: KillOnDrop) {
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

/// The first start (a new data folder: the window comes up while the database is made) and a
/// later one (the database opened and checked before the window) each serve a visitor.
pub fn a_visitor_takes_a_ticket_in_the_real_window_by_clicks() {
    for tool in ["Xvfb", "xdotool", "xwd"] {
        need(tool);
    }
    let buttons = laid_out_buttons();
    let xvfb = x11::start_xvfb(W, H);
    let display = xvfb.display.clone();
    let data = tempfile::tempdir().unwrap();

    let first = start_kiosk(&display, data.path());
    let tickets = take_ticket_by_clicks(&display, data.path(), &buttons, 1);
    assert_eq!(tickets[0]["number"], "A001");
    assert_eq!(tickets[0]["service"], "A");
    assert_eq!(tickets[0]["language"], "zh-CN");
    stop_with_sigint(first);

    let again = start_kiosk(&display, data.path());
    let tickets = take_ticket_by_clicks(&display, data.path(), &buttons, 2);
    assert_eq!(tickets[1]["number"], "A002");
    stop_with_sigint(again);
}
