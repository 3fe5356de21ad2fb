#!/usr/bin/env bash
# The kiosk's home screen against the same screen as a Chromium kiosk page
# (scripts/bench/home.html: the same words, colours, icons and bundled fonts), one after the
# other under the same Xvfb: time to a visible window, total PSS of the process tree once the
# screen has settled, and CPU over 30 s idle. Usage: scripts/bench-vs-browser.sh [path/to/kiosk]
# (default target/release/kiosk). Needs Xvfb, xdotool and chromium (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
kiosk=${1:-target/release/kiosk}
display=:94
idle=30
for tool in Xvfb xdotool chromium; do
  command -v $tool >/dev/null || { echo "$tool is not installed (apt-get install $tool; Xvfb is in xvfb)" >&2; exit 1; }
done
work=$(mktemp -d)
source scripts/lib/xvfb.sh
pid=
trap 'kill $pid 2>/dev/null || true; stop_xvfb; rm -rf "$work"' EXIT
start_xvfb $display 1080x1920

# A process and all its descendants.
tree() {
  local p=$1
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done
}
# The sum of one number of each process of a tree: `over_tree PID FILE AWK-PROGRAM`.
over_tree() {
  local total=0 p n
  for p in $(tree "$1"); do
    n=$(awk "$3" /proc/"$p"/"$2" 2>/dev/null || echo 0)
    total=$((total + ${n:-0}))
  done
  echo $total
}
pss_mib() { over_tree "$1" smaps_rollup '/^Pss:/ {print $2}' | awk '{ printf "%.0f", $1 / 1024 }'; }
ticks() { over_tree "$1" stat '{print $14 + $15}'; }

# Starts "$@" on the display, waits for a visible window of class $1's match, then measures.
measure() {
  local name=$1 class=$2
  shift 2
  local start ms t0 t1
  start=$(date +%s%N)
  DISPLAY=$display "$@" &>/dev/null &
  pid=$!
  until DISPLAY=$display xdotool search --onlyvisible --class "$class" >/dev/null 2>&1; do
    if [ $(( ($(date +%s%N) - start) / 1000000000 )) -ge 60 ]; then
      echo "$name: no visible window after 60 s" >&2
      exit 1
    fi
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 3 # the first frames, fonts and (for the kiosk) the first queue figures
  t0=$(ticks $pid)
  sleep $idle
  t1=$(ticks $pid)
  local cpu pss
  cpu=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v s=$idle 'BEGIN { printf "%.2f", 100 * d / hz / s }')
  pss=$(pss_mib $pid)
  # The whole tree goes (a browser's helpers would keep writing to its profile).
  kill $(tree $pid) 2>/dev/null || true
  wait $pid 2>/dev/null || true
  sleep 1
  pid=
  printf '%-10s %8s ms %8s MiB %8s %%\n' "$name" "$ms" "$pss" "$cpu"
  eval "${name}_ms=$ms ${name}_pss=$pss ${name}_cpu=$cpu"
}

printf '%-10s %11s %12s %10s\n' "" "to window" "PSS (tree)" "idle CPU"
# Each as it would be deployed: the kiosk as its packaged unit starts it, without a Compose table
# to parse (packaging/no-compose); Chromium as a browser kiosk is started.
measure kiosk kiosk env XCOMPOSEFILE="$PWD/packaging/no-compose" "$kiosk" --data-dir "$work/data" run --windowed --size 1080x1920
measure chromium chromium chromium --no-sandbox --kiosk --no-first-run --no-default-browser-check \
  --disable-extensions --user-data-dir="$work/chromium" --window-size=1080,1920 \
  "file://$PWD/scripts/bench/home.html"
awk -v km="$kiosk_ms" -v cm="$chromium_ms" -v kp="$kiosk_pss" -v cp="$chromium_pss" 'BEGIN {
  printf "Chromium / kiosk: %.1f× the time to a window, %.1f× the memory\n", cm / km, cp / kp }'
