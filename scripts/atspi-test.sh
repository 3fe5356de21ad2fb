#!/usr/bin/env bash
# The kiosk window through the real Linux accessibility stack: Xvfb, a private session D-Bus
# with the AT-SPI registry (at-spi2-core), and a checker that reads the tree as a screen reader
# does (scripts/atspi-check.py, with Debian's python3-pyatspi bindings).
# Usage: scripts/atspi-test.sh [path/to/kiosk]   (scripts/setup.sh installs what it needs)
set -euo pipefail
kiosk=$(realpath "${1:-target/debug/kiosk}")
source "$(dirname "$0")/lib/xvfb.sh"
display=:94
data=$(mktemp -d)
trap 'stop_xvfb; rm -rf "$data"' EXIT
start_xvfb $display 1080x1920
# The inactivity warning after the shortest time allowed, so the test sees it.
"$kiosk" --data-dir "$data" provision >/dev/null
sed -i 's/^warn_after_seconds = .*/warn_after_seconds = 10/' "$data/config.toml"
grep -q '^warn_after_seconds = 10$' "$data/config.toml"
# Debian's Python: the AT-SPI bindings are a Debian package, not a pip one.
DISPLAY=$display dbus-run-session -- /usr/bin/python3 "$(dirname "$0")/atspi-check.py" "$kiosk" "$data"
