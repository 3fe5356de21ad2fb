#!/usr/bin/env bash
# Installs the Debian 12 packages this project needs to build, run and test.
# Idempotent: when everything is present it only checks and returns (well under a second).
# `--for-tests` also installs what only the test suite uses (schemathesis, from PyPI).
set -euo pipefail
for_tests=false
[ "${1:-}" = "--for-tests" ] && for_tests=true

# One list for build, run and tests; grouped by what needs them.
PACKAGES=(
  # building (bundled SQLite and other C parts of crates; fontconfig for Slint's font lookup)
  build-essential pkg-config ca-certificates curl libfontconfig1-dev
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
  # accessibility test: a session D-Bus, the AT-SPI registry, and Debian's AT-SPI bindings for
  # Python to read the window as a screen reader does (scripts/atspi-test.sh)
  dbus at-spi2-core python3-pyatspi
  # the hall API contract test: a virtual environment for schemathesis (scripts/api-contract-test.sh)
  python3-venv
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

# The toolchain this project is built and tested with; rustup installs it where there is no cargo.
RUST_VERSION=1.95.0
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: installing Rust $RUST_VERSION with rustup (Debian 12's own rustc is too old)"
  tmp=$(mktemp -d)
  url="https://static.rust-lang.org/rustup/dist/$(uname -m)-unknown-linux-gnu/rustup-init"
  curl --proto '=https' --tlsv1.2 -sSf "$url" -o "$tmp/rustup-init"
  curl --proto '=https' --tlsv1.2 -sSf "$url.sha256" -o "$tmp/rustup-init.sha256"
  # The installer is checked against the checksum published beside it before it runs.
  (cd "$tmp" && echo "$(cut -d' ' -f1 rustup-init.sha256)  rustup-init" | sha256sum --check --quiet)
  chmod +x "$tmp/rustup-init"
  "$tmp/rustup-init" -y --no-modify-path --profile minimal \
    --default-toolchain "$RUST_VERSION" --component clippy,rustfmt >/dev/null
  rm -rf "$tmp"
  echo "setup: Rust installed in $HOME/.cargo (the project's scripts find it there)"
fi

# schemathesis for the hall API contract test, pinned with what it needs, in its own virtual
# environment (Debian's Python stays untouched); a new pin list makes a new environment.
if $for_tests; then
  source "$(dirname "$0")/lib/schemathesis.sh"
  venv=$(schemathesis_venv)
  if [ ! -x "$venv/bin/st" ]; then
    echo "setup: installing schemathesis into $venv"
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --requirement "$(schemathesis_pins)"
  fi
fi
