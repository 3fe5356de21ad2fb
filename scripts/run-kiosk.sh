#!/usr/bin/env bash
# Installs what is needed, builds, and starts the visitor kiosk on its built-in defaults.
# With a display (X11 or Wayland) the kiosk opens full screen; without one (a server, a container)
# it runs on a virtual X display so it still starts: `kiosk screenshot` shows what it draws.
# Extra arguments go to `kiosk run` (e.g. --windowed --size 1080x1920).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# A toolchain setup.sh installed with rustup lives here.
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release --locked
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec ./target/release/kiosk run "$@"
fi
echo "run-kiosk: no display found; starting the kiosk on a virtual X display (Xvfb)" >&2
exec xvfb-run --auto-servernum --server-args="-screen 0 1080x1920x24 -nolisten tcp" \
  ./target/release/kiosk run --windowed --size 1080x1920 "$@"
