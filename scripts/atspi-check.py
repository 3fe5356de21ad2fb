#!/usr/bin/python3
"""The kiosk window through the Linux accessibility stack, as a screen reader meets it.

Run by scripts/atspi-test.sh inside Xvfb and a private session D-Bus. Turns accessibility on
(as a screen reader does), starts the kiosk, finds it in the AT-SPI registry and checks on the
home, service, language and a screening screen: every control has a name and the right role,
exactly one control is `focused` and it follows the keypad (with a focus event each time), a
focus request from assistive technology moves the kiosk's own keypad focus, and the screen's
paging buttons, pressed through their accessible action, bring what was scrolled out of view
into the tree. Then the rating screen (`kiosk evaluator`) on the same hall: after a visit is
completed at its counter, the keys alone move the focus along its faces, best first, AT-SPI
reporting each with a focus event, and Enter rates.

Usage: atspi-check.py KIOSK DATA_DIR   (the data directory's provisioning file sets a short
inactivity warning: scripts/atspi-test.sh writes it)
"""

import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402

CONTROL_ROLES = {
    Atspi.Role.PUSH_BUTTON: "push button",
    Atspi.Role.CHECK_BOX: "check box",
    Atspi.Role.RADIO_BUTTON: "radio button",
}


def fail(message):
    print(f"atspi: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def turn_on_accessibility():
    """What a screen reader does when it starts: org.a11y.Status.IsEnabled on the session bus."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    bus.call_sync(
        "org.a11y.Bus",
        "/org/a11y/bus",
        "org.freedesktop.DBus.Properties",
        "Set",
        GLib.Variant("(ssv)", ("org.a11y.Status", "IsEnabled", GLib.Variant("b", True))),
        None,
        Gio.DBusCallFlags.NONE,
        5000,
        None,
    )


def pump(seconds=0.0):
    """Delivers pending AT-SPI events to the listener, for at least `seconds`."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while True:
        while context.pending():
            context.iteration(False)
        if time.monotonic() >= end:
            return
        time.sleep(0.02)


def walk(node):
    yield node
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield from walk(child)


def app_with(landmark):
    """The application whose window shows the element with this accessible id."""
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and any(n.get_accessible_id() == landmark for n in walk(app)):
            return app
    return None


def kiosk_app():
    return app_with("home-take-ticket")


def window_of(proc_name):
    """The X window of the process just started, given the keyboard (no window manager)."""
    window = subprocess.run(
        ["xdotool", "search", "--sync", "--onlyvisible", "--class", proc_name],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.split()[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", window], check=True)
    return window


def wait_for(what, probe, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pump()
        found = probe()
        if found:
            return found
        time.sleep(0.1)
    fail(f"timed out waiting for {what}")


class Screen:
    """The controls of the window as AT-SPI shows them now."""

    def __init__(self, app):
        # The tree may change under the walk (a screen scrolling): read it again then.
        for _ in range(20):
            try:
                self.controls = [n for n in walk(app) if n.get_role() in CONTROL_ROLES]
                return
            except GLib.Error:
                pump(0.1)
        fail("the accessible tree kept changing while it was read")

    def by_id(self, wanted):
        for node in self.controls:
            if node.get_accessible_id() == wanted:
                return node
        return None

    def focused(self):
        return [n for n in self.controls if n.get_state_set().contains(Atspi.StateType.FOCUSED)]


def focused_id(app):
    focused = Screen(app).focused()
    return focused[0].get_accessible_id() if len(focused) == 1 else None


class FocusEvents:
    def __init__(self):
        self.gained = []
        self.listener = Atspi.EventListener.new(self.on_event)
        self.listener.register("object:state-changed:focused")

    def on_event(self, event):
        if event.detail1 == 1:
            self.gained.append(event.source.get_accessible_id())


def key(window, name):
    subprocess.run(["xdotool", "key", "--window", window, name], check=True)


def expect_focus(app, wanted, events, why):
    # Exactly one control focused, this one; and still so once the screen has settled (a
    # control scrolled into view enters the tree as it appears).
    got = wait_for(f"{wanted} alone focused ({why})", lambda: focused_id(app) == wanted and wanted)
    pump(0.3)
    wait_for(f"{wanted} still alone focused ({why})", lambda: focused_id(app) == wanted)
    if wanted not in events.gained:
        fail(f"{why}: no focus event for {wanted} (events: {events.gained})")
    events.gained.clear()
    print(f"atspi: {why}: {got} focused, with its focus event")


def expect_moved_on(app, window, events, first, why):
    """Down from `first`: the focus goes to another control of the same kind (id prefix)."""
    events.gained.clear()
    key(window, "Down")
    kind = first.split("-")[0] + "-"
    moved = wait_for(f"the focus moving on from {first}", lambda: focused_id(app) not in (None, first) and focused_id(app))
    if not moved.startswith(kind):
        fail(f"{why}, keypad down: {moved} focused, expected the next {kind}…")
    print(f"atspi: {why}, keypad down: {moved} focused")
    events.gained.clear()


def open_from_home(app, window, events, choice, landmark, why):
    """Assistive technology asks for the focus on a home screen choice; Enter opens it."""
    events.gained.clear()
    Screen(app).by_id(choice).grab_focus()
    expect_focus(app, choice, events, f"home, focus asked for {why}")
    key(window, "Return")
    wait_for(f"the {why} screen", lambda: Screen(app).by_id(landmark))


def page_until(app, button, wanted):
    """Presses a paging button through its AT-SPI action until `wanted` enters the tree."""
    for presses in range(1, 11):
        node = Screen(app).by_id(button)
        if node is None or not node.get_name().strip():
            fail(f"no named paging button {button}")
        node.do_action(0)
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            pump(0.1)
            if Screen(app).by_id(wanted) is not None:
                print(f"atspi: {button} pressed {presses} time(s) through its action: {wanted} in view")
                return
    fail(f"{wanted} never came into view by {button}")


def expect_focus_asked(app, wanted, events, why):
    events.gained.clear()
    Screen(app).by_id(wanted).grab_focus()
    expect_focus(app, wanted, events, f"{why}, focus asked")


def back_home(app, window):
    key(window, "Escape")
    wait_for("the home screen again", lambda: Screen(app).by_id("home-take-ticket"))


def check_names_and_roles(app, expected, screen_name):
    """Every control named; the expected ids there with the expected roles. A screen that has
    just appeared may name its controls a moment after they enter the tree (a screen reader
    hears the names change): they get five seconds."""
    end = time.monotonic() + 5
    while True:
        screen = Screen(app)
        unnamed = [n.get_accessible_id() or "?" for n in screen.controls if not n.get_name().strip()]
        if not unnamed:
            break
        if time.monotonic() > end:
            fail(f"{screen_name}: controls without a name: {unnamed}")
        pump(0.1)
    for wanted_id, role in expected.items():
        node = screen.by_id(wanted_id)
        if node is None:
            fail(f"{screen_name}: no control {wanted_id}")
        if CONTROL_ROLES.get(node.get_role()) != role:
            fail(f"{screen_name}: {wanted_id} is a {node.get_role_name()}, expected {role}")
    print(f"atspi: {screen_name}: {len(screen.controls)} controls, all named; roles as expected")
    return screen


def main():
    kiosk, data_dir = sys.argv[1], sys.argv[2]
    turn_on_accessibility()
    Atspi.init()
    events = FocusEvents()
    proc = subprocess.Popen(
        [kiosk, "--data-dir", data_dir, "run", "--windowed", "--size", "1080x1920"],
        stdout=subprocess.DEVNULL,
    )
    try:
        window = window_of("kiosk")
        app = wait_for("the kiosk in the AT-SPI registry", kiosk_app)

        # Home: the first choice has the focus; the keypad moves it, and the focus follows.
        check_names_and_roles(
            app,
            {"home-take-ticket": "push button", "home-screening": "push button", "home-language": "push button"},
            "home",
        )
        expect_focus(app, "home-take-ticket", events, "home, as it opens")
        key(window, "Down")
        expect_focus(app, "home-screening", events, "home, keypad down")
        key(window, "Down")
        expect_focus(app, "home-language", events, "home, keypad down again")

        # A screen reader asks for the focus: the kiosk's keypad focus moves there, so the
        # select key takes that choice.
        open_from_home(app, window, events, "home-take-ticket", "service-A", "taking a ticket")
        check_names_and_roles(app, {"service-A": "push button", "nav-back": "push button"}, "service")
        expect_focus(app, "service-A", events, "service, as it opens")
        expect_moved_on(app, window, events, "service-A", "service")
        back_home(app, window)

        # Languages: one of three, a radio group with the current one checked.
        open_from_home(app, window, events, "home-language", "language-en", "the languages")
        screen = check_names_and_roles(
            app,
            {"language-zh-CN": "radio button", "language-en": "radio button", "language-ug": "radio button"},
            "language",
        )
        checked = [
            n.get_accessible_id()
            for n in screen.controls
            if n.get_role() == Atspi.Role.RADIO_BUTTON and n.get_state_set().contains(Atspi.StateType.CHECKED)
        ]
        if checked != ["language-zh-CN"]:
            fail(f"language: checked {checked}, expected only language-zh-CN")
        group = screen.by_id("language-en").get_parent()
        if group is None or group.get_role() == Atspi.Role.FRAME or not group.get_name():
            fail("language: the three languages are not in a named group of their own")
        print(f"atspi: language: radio buttons, zh-CN checked, in the {group.get_role_name()} {group.get_name()!r}")
        back_home(app, window)

        # A screening screen: the matters, and the focus following the keypad there too.
        open_from_home(app, window, events, "home-screening", "matter-unsure", "the screening")
        check_names_and_roles(app, {"matter-unsure": "push button", "nav-back": "push button"}, "screening")
        expect_focus(app, "matter-unsure", events, "screening, as it opens")
        expect_moved_on(app, window, events, "matter-unsure", "screening")
        # The last matter lies below the fold, out of the tree until it is scrolled to: the
        # keypad going there (up past Help and Back) brings it into view, focused.
        if Screen(app).by_id("matter-other") is not None:
            fail("screening: the last matter was expected below the fold")
        for _ in range(4):
            key(window, "Up")
        expect_focus(app, "matter-other", events, "screening, keypad up to the last matter, scrolled into view")

        # Without the keypad: the screen's paging buttons, pressed through their accessible
        # action, bring the first matter back into the tree and then the last, and a focus
        # request moves the keypad focus there (as a screen reader or switch access does).
        if Screen(app).by_id("matter-unsure") is not None:
            fail("screening: the first matter was expected scrolled out of view")
        page_until(app, "page-up", "matter-unsure")
        expect_focus_asked(app, "matter-unsure", events, "screening, paged up by the accessible action")
        page_until(app, "page-down", "matter-other")
        expect_focus_asked(app, "matter-other", events, "screening, paged down by the accessible action")

        # Left alone, the inactivity warning: a modal box whose button has the focus; the screen
        # underneath has left the tree (a screen reader finds nothing else to go to). A key
        # closes it (and does nothing else) and gives the focus back to where it was.
        wait_for("the inactivity warning", lambda: Screen(app).by_id("inactivity-more-time"), timeout=30)
        expect_focus(app, "inactivity-more-time", events, "inactivity warning, as it opens")
        others = [n.get_accessible_id() for n in Screen(app).controls if n.get_accessible_id() != "inactivity-more-time"]
        if others:
            fail(f"inactivity warning: controls underneath still reachable: {others}")
        print("atspi: inactivity warning: its button is the only control")
        key(window, "Down")
        wait_for("the warning closed", lambda: Screen(app).by_id("inactivity-more-time") is None)
        expect_focus(app, "matter-other", events, "inactivity warning closed")
    finally:
        stop(proc)
    check_rating_screen(kiosk, data_dir, events)
    print("atspi: all checks passed")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def check_rating_screen(kiosk, data_dir, events):
    """The rating screen by keys alone: the focus (and AT-SPI's) moves along the faces."""
    proc = subprocess.Popen(
        [kiosk, "--data-dir", data_dir, "evaluator", "--windowed", "--counter", "1"],
        stdout=subprocess.DEVNULL,
    )
    try:
        window = window_of("kiosk")
        app = wait_for("the rating screen in the AT-SPI registry", lambda: app_with("rating-counter"))
        for command in (["issue", "--service", "A"], ["call", "--counter", "1"], ["complete", "--counter", "1"]):
            subprocess.run([kiosk, "--data-dir", data_dir, "queue", *command], check=True, stdout=subprocess.DEVNULL)
        wait_for("the rating question", lambda: Screen(app).by_id("rating-level-1"))
        check_names_and_roles(
            app,
            {f"rating-level-{n}": "push button" for n in range(1, 6)},
            "rating, asking",
        )
        if Screen(app).focused():
            fail("rating: a face was focused before any key (it would be offered first)")
        events.gained.clear()
        key(window, "Right")
        expect_focus(app, "rating-level-5", events, "rating, right arrow: the best face first")
        key(window, "Tab")
        expect_focus(app, "rating-level-4", events, "rating, Tab")
        key(window, "Return")
        wait_for("the thanks", lambda: app_with("rating-thanks"))
        print("atspi: rating: rated 4 by keys alone")
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
