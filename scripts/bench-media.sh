#!/usr/bin/env bash
# Sign-language playback cost: the kiosk's media thread next to gst-launch-1.0 decoding the same
# 480p 25 fps clip to a fakesink (with and without scaling to the panel's RGBA frames).
# Usage: scripts/bench-media.sh [path/to/kiosk]   (default: target/release/kiosk)
set -euo pipefail
cd "$(dirname "$0")/.."
KIOSK=${1:-target/release/kiosk}
CLIP=$(mktemp --suffix=.webm)
trap 'rm -f "$CLIP"' EXIT
# 30 s of moving colour bars, 640x480 at 25 fps, VP8 at about 1 Mbit/s (like a recorded guide).
gst-launch-1.0 -q videotestsrc pattern=smpte horizontal-speed=4 num-buffers=750 ! video/x-raw,width=640,height=480,framerate=25/1 \
  ! timeoverlay ! videoconvert ! vp8enc deadline=1 target-bitrate=1000000 ! webmmux ! filesink location="$CLIP"

measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" 2>"$CLIP.time" >"$CLIP.out" || { cat "$CLIP.time"; exit 1; }
  local cpu rss wall
  cpu=$(grep "Percent of CPU" "$CLIP.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident" "$CLIP.time" | awk '{print $NF}')
  wall=$(grep "Elapsed (wall" "$CLIP.time" | awk '{print $NF}')
  printf '%-48s CPU %6s  peak RSS %6d KiB  wall %s\n' "$name" "$cpu" "$rss" "$wall"
  rm -f "$CLIP.time" "$CLIP.out"
}

measure "kiosk bench media (decode+scale+RGBA+Slint image)" "$KIOSK" bench media --clip "$CLIP"
measure "gst-launch decode → fakesink (sync)" gst-launch-1.0 -q filesrc location="$CLIP" ! decodebin ! fakesink sync=true
measure "gst-launch decode+scale+RGBA → fakesink (sync)" gst-launch-1.0 -q filesrc location="$CLIP" ! decodebin \
  ! videoconvert ! videoscale ! video/x-raw,format=RGBA,width=480,height=360 ! fakesink sync=true
