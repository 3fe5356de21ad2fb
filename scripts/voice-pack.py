#!/usr/bin/env python3
"""Synthesises the voice packs in assets/voice/<voice>/ from the clip list the kiosk prints.

    cargo run --release -- speak --list > /tmp/clips.json
    python3 scripts/voice-pack.py /tmp/clips.json            # writes assets/voice/*

The clip list comes from the same .po files as the screens (plus numbers, letters, call phrases
and the provisioned names), so this script never decides what is said, only how it sounds.
Synthesis: espeak-ng (Debian 12, 1.51). Mandarin uses the `cmn-latn-pinyin` voice fed with
pinyin from pypinyin (pinned below), because the `cmn` voice misreads many Hanzi. Cantonese uses
`yue`, English `en-gb`, Uyghur `ug`; letters are spelled with the English voice in every pack,
as halls call "A012" with English letter names.

A clip is synthesised again only when its text (or, in Mandarin, its pinyin) changed, so a human
recording that replaces a file (same id, same text) is kept. Mandarin entries record the pinyin
they were made from; pypinyin's readings are corrected where it misreads the kiosk's sentences
(为 is wéi in 为准, 仅为 and before a figure) and it applies the tone sandhi of 一 and 不 itself. Each file is mono Ogg Vorbis at 16 kHz with the leading and
trailing silence trimmed and peaks normalised to -6 dBFS (headroom for the hall's call volume).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PYPINYIN_VERSION = "0.55.0"
RATE = "16000"
ESPEAK = {"zh": "cmn-latn-pinyin", "yue": "yue", "en": "en-gb", "ug": "ug"}
SPEED = "150"  # words per minute: slower than espeak's 175, for older listeners


def need(tool):
    if shutil.which(tool) is None:
        sys.exit(f"voice-pack: {tool} is missing; install espeak-ng and sox (scripts/setup.sh)")


def pinyin_converter():
    try:
        import pypinyin
    except ImportError:
        sys.exit(f"voice-pack: pip install pypinyin=={PYPINYIN_VERSION}")
    if pypinyin.__version__ != PYPINYIN_VERSION:
        print(f"voice-pack: warning: pypinyin {pypinyin.__version__}, pinned {PYPINYIN_VERSION}",
              file=sys.stderr)
    from pypinyin import Style, lazy_pinyin

    # Readings pypinyin gets wrong in the kiosk's sentences.
    pypinyin.load_phrases_dict({"为准": [["wéi"], ["zhǔn"]], "仅为": [["jǐn"], ["wéi"]]})

    punctuation = str.maketrans({"，": ", ", "。": ". ", "：": ": ", "；": "; ", "？": "? ",
                                 "！": "! ", "、": ", ", "（": " (", "）": ") ", "—": ", ",
                                 "·": ", ", "…": ". ", "“": "", "”": "", "《": "", "》": ""})

    def convert(text):
        syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
        joined = " ".join(syllables).translate(punctuation)
        # 为 before a figure is "to be" (号码为18位): wéi.
        joined = re.sub(r"\bwei4 (?=\d)", "wei2 ", joined)
        # pypinyin passes Latin words and digits through; keep them, collapse spaces.
        return re.sub(r"\s+", " ", joined).strip()

    return convert


def reading(voice, clip_id, text, to_pinyin):
    """What espeak-ng is given: pinyin for Mandarin clips (letters are spelled in English)."""
    if voice == "zh" and not clip_id.startswith("letter-"):
        return to_pinyin(text)
    return text


def synthesise(voice, clip_id, text, out_path, to_pinyin):
    espeak_voice = ESPEAK[voice]
    spoken = reading(voice, clip_id, text, to_pinyin)
    if clip_id.startswith("letter-"):
        espeak_voice = ESPEAK["en"]
    with tempfile.NamedTemporaryFile(suffix=".wav") as raw:
        # The text goes on standard input: one starting with "-" would be read as an option.
        subprocess.run(["espeak-ng", "-v", espeak_voice, "-s", SPEED, "-w", raw.name, "--stdin"],
                       input=spoken.encode("utf-8"), check=True)
        subprocess.run(["sox", raw.name, "-r", RATE, "-c", "1", "-C", "0", out_path,
                        "silence", "1", "0.01", "0.5%", "reverse",
                        "silence", "1", "0.01", "0.5%", "reverse",
                        "pad", "0.03", "0.06", "gain", "-n", "-6"], check=True)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    need("espeak-ng")
    need("sox")
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "assets", "voice")
    with open(sys.argv[1], encoding="utf-8") as f:
        specs = json.load(f)
    to_pinyin = pinyin_converter()
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True,
                             check=True).stdout.split("Data")[0].strip()
    by_voice = {}
    for spec in specs:
        by_voice.setdefault(spec["voice"], []).append(spec)
    for voice, clips in sorted(by_voice.items()):
        folder = os.path.join(root, voice)
        os.makedirs(folder, exist_ok=True)
        manifest_path = os.path.join(folder, "manifest.json")
        old = {}
        if os.path.exists(manifest_path):
            with open(manifest_path, encoding="utf-8") as f:
                old = {c["id"]: c for c in json.load(f)["clips"]}
        entries, made = [], 0
        for clip in sorted(clips, key=lambda c: c["id"]):
            name = clip["id"] + ".ogg"
            path = os.path.join(folder, name)
            # What is said can differ from what is shown (catalogue::spoken_text: no Chinese in
            # English and Uyghur clips, no Latin words in Mandarin ones).
            spoken = clip.get("spoken", clip["text"])
            before = old.get(clip["id"], {})
            pinyin = reading(voice, clip["id"], spoken, to_pinyin) if voice == "zh" else None
            # A Mandarin entry made before pinyin was recorded was read without the corrections,
            # which so far concern 为 only: those are made again, the others kept.
            was_read = before.get("pinyin", pinyin if "为" not in spoken else None)
            unchanged = (before.get("text") == clip["text"]
                         and before.get("spoken", before.get("text")) == spoken
                         and (voice != "zh" or clip["id"].startswith("letter-") or was_read == pinyin)
                         and os.path.exists(path))
            if not unchanged:
                synthesise(voice, clip["id"], spoken, path, to_pinyin)
                made += 1
            entry = {"id": clip["id"], "file": name, "text": clip["text"]}
            if spoken != clip["text"]:
                entry["spoken"] = spoken
            if pinyin is not None and not clip["id"].startswith("letter-"):
                entry["pinyin"] = pinyin
            entries.append(entry)
        wanted = {e["file"] for e in entries}
        for stale in os.listdir(folder):
            if stale.endswith(".ogg") and stale not in wanted:
                os.remove(os.path.join(folder, stale))
        source = f"{version}, voice {ESPEAK[voice]}"
        if voice == "zh":
            source += f", pinyin by pypinyin {PYPINYIN_VERSION}"
        with open(manifest_path, "w", encoding="utf-8") as f:
            json.dump({"voice": voice, "source": source, "clips": entries}, f, ensure_ascii=False,
                      indent=1)
            f.write("\n")
        print(f"{voice}: {len(entries)} clips, {made} synthesised")


if __name__ == "__main__":
    main()
