#!/usr/bin/env python3
"""Makes the synthetic sign-language pack: one clip per prompt that has a sign-language guide.

    kiosk media list --json > /tmp/prompts.json
    python3 scripts/media-pack.py /tmp/prompts.json [OUT_DIR]     # default: assets/media

These are PLACEHOLDERS: a test pattern in a colour derived from the prompt id, the id written in
the middle and each frame's time stamp in the corner (frame n shows n × 40 ms), 4 s of 640x480 at 25 fps, WebM/VP8. Tests and demos
need real files to decode; the office's recordings replace them (`kiosk media import DIR`).

The manifest lists, for each clip: the prompt id, the file, its duration, its SHA-256 and the
message id of its caption (the caption is that message in the visitor's language, the same string
the screen and the spoken guide use).
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys

SECONDS = 4
FPS = 25
WIDTH, HEIGHT = 640, 480


def colour(prompt_id):
    """A colour per id, the same one the tests compute (first three bytes of its SHA-256)."""
    digest = hashlib.sha256(prompt_id.encode()).digest()
    r, g, b = (64 + digest[i] // 2 for i in range(3))
    return f"0xff{r:02x}{g:02x}{b:02x}"


def make_clip(prompt_id, path):
    frames = SECONDS * FPS
    args = [
        "videotestsrc", f"num-buffers={frames}", "pattern=solid-color",
        f"foreground-color={colour(prompt_id)}", "!",
        f"video/x-raw,width={WIDTH},height={HEIGHT},framerate={FPS}/1", "!",
        "textoverlay", f"text={prompt_id}", "valignment=center", "halignment=center",
        "font-desc=Sans 36", "!",
        "timeoverlay", "time-mode=buffer-time", "valignment=bottom", "halignment=right",
        "font-desc=Sans 24", "!",
        "videoconvert", "!", "vp8enc", "deadline=1", "target-bitrate=400000",
        f"keyframe-max-dist={FPS}", "!", "webmmux", "!", "filesink", f"location={path}",
    ]
    subprocess.run(["gst-launch-1.0", "-q", *args], check=True)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if shutil.which("gst-launch-1.0") is None:
        sys.exit("media-pack: gst-launch-1.0 is missing (scripts/setup.sh installs it)")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "assets", "media")
    with open(sys.argv[1], encoding="utf-8") as f:
        prompts = json.load(f)
    os.makedirs(out, exist_ok=True)
    clips = []
    for p in prompts:
        name = p["id"] + ".webm"
        path = os.path.join(out, name)
        make_clip(p["id"], path)
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        clips.append({"id": p["id"], "file": name, "duration_ms": SECONDS * 1000,
                      "sha256": sha, "caption": p["caption"]})
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"source": "synthetic placeholders (scripts/media-pack.py)", "clips": clips}, f,
                  ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(clips)} clips in {out}")


if __name__ == "__main__":
    main()
