#!/usr/bin/env bash
# The visitor screen under cage, the compositor halls run it in (its headless backend, so no
# screen is needed), started as the packaged unit starts it, and as it was started before:
# with DISPLAY left set, where the toolkit's clipboard falls back to X11 and cage starts
# Xwayland for it. Reports, for each start, the milliseconds from the kiosk's first log line to
# "visitor screen started" (the window created and shown) and whether Xwayland is running.
# Usage (as root: cage refuses to run as root, so the kiosk runs as `nobody`):
#   scripts/bench-cage.sh [path/to/kiosk] [starts]      (needs the Debian packages cage, xwayland)
set -euo pipefail
cd "$(dirname "$0")/.."
kiosk=$(realpath "${1:-target/release/kiosk}")
starts=${2:-4}
command -v cage >/dev/null || { echo "cage is not installed (apt-get install cage xwayland)" >&2; exit 1; }
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/run" && chown nobody "$work/run"
mkdir -m 777 "$work/data"
no_compose=$PWD/packaging/no-compose

# One start; $1: "unit" (DISPLAY dropped, as packaged) or "before" (DISPLAY as cage sets it).
one_start() {
  local drop=()
  [ "$1" = unit ] && drop=(/usr/bin/env -u DISPLAY)
  runuser -u nobody -- env XDG_RUNTIME_DIR="$work/run" WLR_BACKENDS=headless \
    WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman XCOMPOSEFILE="$no_compose" RUST_LOG=info \
    timeout 5 cage -d -- "${drop[@]}" "$kiosk" --data-dir "$work/data" run >"$work/log" 2>&1 &
  local runner=$!
  sleep 3.5
  local xwayland
  xwayland=$(ps -C Xwayland -o rss= | awk '{ printf "running, %.0f MiB resident", $1 / 1024 }' || true)
  wait $runner || true
  python3 - "$1" "${xwayland:-not running}" "$work/log" <<'PY'
import datetime, re, sys
how, xwayland, log = sys.argv[1:]
times = []
for line in open(log, encoding="utf-8", errors="replace"):
    m = re.match(r"(\d{4}-\d\d-\d\dT[\d:.]+)Z\s", line)
    if m:
        times.append((datetime.datetime.fromisoformat(m.group(1)), line))
shown = [t for t, line in times if "visitor screen started" in line]
if not shown:
    sys.exit(f"{how}: the visitor screen did not start; the log:\n" + open(log).read())
ms = (shown[0] - times[0][0]).total_seconds() * 1000
print(f"{how:>6}: visitor screen started {ms:4.0f} ms after the first log line; Xwayland {xwayland}")
PY
}

for how in unit before; do
  for _ in $(seq "$starts"); do one_start $how; done
done
