#!/usr/bin/env bash
# Installs the Debian 12 packages this project needs to build, run and test.
# Idempotent: when everything is present it only checks and returns (well under a second).
set -euo pipefail

# One list for build, run and tests; grouped by what needs them.
PACKAGES=(
  # building (bundled SQLite and other C parts of crates; fontconfig for Slint's font lookup)
  build-essential pkg-config ca-certificates libfontconfig1-dev
  # the kiosk window (winit loads these at run time: X11 and Wayland clients)
  libx11-xcb1 libxkbcommon-x11-0 libxcursor1 libxi6 libxrandr2 libwayland-client0
  # tests: a virtual X display and simulated clicks on the real window
  xvfb xauth xdotool x11-apps
  # speech: ALSA for rodio (cpal); espeak-ng and sox make the voice packs (scripts/voice-pack.py)
  libasound2-dev espeak-ng sox libsox-fmt-base
  # sign-language video: GStreamer to build against and to decode WebM (VP8/VP9, -good) and
  # MP4/H.264 (libav); -x has textoverlay for the synthetic clips, -tools has gst-launch-1.0
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-libav gstreamer1.0-x gstreamer1.0-tools
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run this script as root (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is not installed. Install the current stable toolchain with rustup" >&2
  echo "setup: (https://rustup.rs; Debian 12's own rustc is too old for this project), then run again." >&2
  exit 1
fi
