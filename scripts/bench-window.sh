#!/usr/bin/env bash
# Measures the real kiosk window under Xvfb: start to a visible window (the first start, which
# creates the database, and a second), idle CPU over 30 s on the home screen, and memory
# (resident, peak, PSS). Usage: scripts/bench-window.sh [path/to/kiosk] [--starts N]
# With --starts N it measures only the two kinds of start, N times each (a new data folder each
# time for the first start).
set -euo pipefail
kiosk=${1:-target/release/kiosk}
starts=0
[ "${2:-}" = "--starts" ] && starts=${3:?--starts needs a number}
display=:93
data=$(mktemp -d)
source "$(dirname "$0")/lib/xvfb.sh"
# As the packaged unit starts it: no Compose table to parse (packaging/no-compose says why).
no_compose=$(realpath "$(dirname "$0")/../packaging/no-compose")
pid=
trap 'kill $pid 2>/dev/null || true; stop_xvfb; rm -rf "$data" "$data.log"' EXIT
start_xvfb $display 1080x1920
# Starts the kiosk and waits for its window to be visible; sets pid and ms (the time it took).
start_kiosk() {
  local start
  start=$(date +%s%N)
  DISPLAY=$display XCOMPOSEFILE="$no_compose" "$kiosk" --data-dir "$data" run --windowed --size 1080x1920 2>"$data.log" &
  pid=$!
  until DISPLAY=$display xdotool search --onlyvisible --class kiosk >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "the kiosk stopped before its window showed:" >&2; cat "$data.log" >&2; exit 1; }
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
}
# The first start creates the database; a terminal's every later start finds it.
if [ "$starts" -gt 0 ]; then
  for _ in $(seq "$starts"); do
    rm -rf "$data" "$data.log" && data=$(mktemp -d)
    start_kiosk; first=$ms; kill $pid; wait $pid 2>/dev/null || true
    start_kiosk; later=$ms; kill $pid; wait $pid 2>/dev/null || true
    echo "first start $first ms, later start $later ms"
  done
  exit 0
fi
start_kiosk
echo "first start (new data folder) to visible window: $ms ms"
kill $pid; wait $pid 2>/dev/null || true
start_kiosk
echo "start to visible window: $ms ms"
sleep 2   # let the first frames and the first queue figures settle
ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
t0=$(ticks)
sleep 30
t1=$(ticks)
hz=$(getconf CLK_TCK)
echo "idle CPU over 30 s on the home screen: $(awk -v d=$((t1 - t0)) -v hz=$hz 'BEGIN { printf "%.2f%% of one core", 100 * d / hz / 30 }')"
echo "memory at the home screen: $(grep VmRSS /proc/$pid/status | awk '{print $2 / 1024 " MiB"}') resident, peak $(grep VmHWM /proc/$pid/status | awk '{print $2 / 1024 " MiB"}'), PSS $(awk '/^Pss:/ {print $2 / 1024 " MiB"}' /proc/$pid/smaps_rollup)"
kill $pid; wait $pid 2>/dev/null || true
