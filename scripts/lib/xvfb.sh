# Sourced by the scripts that run a window under a virtual X display (tests and benchmarks).
# start_xvfb DISPLAY SIZE starts Xvfb on DISPLAY (":94") at SIZE ("1080x1920"), keeps its pid in
# $xvfb and returns once it accepts clients; stop_xvfb ends it and waits, so that a run straight
# after this one finds the display free.
start_xvfb() {
  Xvfb "$1" -screen 0 "${2}x24" -nolisten tcp &>/dev/null &
  xvfb=$!
  while [ ! -e "/tmp/.X11-unix/X${1#:}" ]; do
    kill -0 "$xvfb" 2>/dev/null || { echo "Xvfb did not start on $1 (is the display taken?)" >&2; return 1; }
    sleep 0.05
  done
}

stop_xvfb() {
  [ -n "${xvfb:-}" ] || return 0
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
}
