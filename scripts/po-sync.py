#!/usr/bin/env python3
"""Adds every @tr() string of ui/ to the .po files in assets/lang (with an empty translation) and
drops strings the UI no longer uses. Translators then fill in msgstr; the test suite fails while
any zh-CN or ug string is untranslated. English is the source language: its msgstr may stay empty.
Staff screens and technician mode mark their strings with a context, @tr("staff" => "…") or
@tr("technician" => "…"): those are written with msgctxt, need Chinese only (staff and
technicians choose Chinese or English) and are never spoken."""
import glob, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "legal-aid-kiosk"
LANGS = ["zh-CN", "en", "ug"]


STAFF = ("staff", "technician")
QUOTED = r'"((?:[^"\\]|\\.)*)"'


def ui_strings():
    """@tr() strings of the Slint UI as (context, id), then tr()/trf() strings of the Rust side
    (receipts, speech), which have no context, and tech!() strings (technicians' findings)."""
    ids = []
    for f in sorted(glob.glob(str(ROOT / "ui/**/*.slint"), recursive=True)):
        text = Path(f).read_text(encoding="utf-8")
        for m in re.finditer(r'@tr\(\s*' + QUOTED + r'(\s*=>\s*' + QUOTED + r')?', text):
            key = (m.group(1), m.group(3)) if m.group(2) else (None, m.group(1))
            if key not in ids:
                ids.append(key)
    rust = glob.glob(str(ROOT / "src/**/*.rs"), recursive=True)
    rust += glob.glob(str(ROOT / "crates/*/src/**/*.rs"), recursive=True)
    for f in sorted(rust):
        if f.endswith("i18n.rs"):
            continue
        text = Path(f).read_text(encoding="utf-8")
        # tr(lang, "…") / trf(lang, "…", …), and string lists marked `// i18n: msgids`.
        found = re.findall(r'\btrf?\(\s*[\w.:()]+,\s*"((?:[^"\\]|\\.)*)"', text)
        for block in re.findall(r'// i18n: msgids\n(.*?)\n\s*\]', text, re.S):
            found += re.findall(r'"((?:[^"\\]|\\.)*)"', block)
        for i in found:
            if (None, i) not in ids:
                ids.append((None, i))
        # tech!("…", …): technicians' findings (the doctor, technician mode).
        for i in re.findall(r'\btech!\(\s*' + QUOTED, text):
            if ("technician", i) not in ids:
                ids.append(("technician", i))
    return ids


def read_po(path):
    """Translations keyed by (context, msgid)."""
    entries = {}
    if not path.exists():
        return entries
    msgid, ctx = None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt "):
            ctx = line[8:].strip()[1:-1]
        elif line.startswith("msgid "):
            msgid = line[6:].strip()[1:-1]
        elif line.startswith("msgstr ") and msgid is not None:
            entries[(ctx, msgid)] = line[7:].strip()[1:-1]
            msgid, ctx = None, None
    return entries


def write_po(path, lang, ids, entries):
    path.parent.mkdir(parents=True, exist_ok=True)
    out = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {lang}\\n"',
        "",
    ]
    for ctx, i in ids:
        if ctx is not None:
            out.append(f'msgctxt "{ctx}"')
        out += [f'msgid "{i}"', f'msgstr "{entries.get((ctx, i), "")}"', ""]
    path.write_text("\n".join(out), encoding="utf-8")


def main(seed=None):
    ids = ui_strings()
    for lang in LANGS:
        path = ROOT / "assets/lang" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        entries = read_po(path)
        if seed:
            entries.update(seed.get(lang, {}))
        write_po(path, lang, ids, entries)
    def needed(lang, key):
        return lang == "zh-CN" or key[0] not in STAFF

    missing = {}
    for lang in ("zh-CN", "ug"):
        have = read_po(ROOT / "assets/lang" / lang / "LC_MESSAGES" / f"{DOMAIN}.po")
        missing[lang] = [k for k in ids if needed(lang, k) and not have.get(k)]
    for lang, m in missing.items():
        if m:
            print(f"{lang}: {len(m)} untranslated", file=sys.stderr)
    return missing


if __name__ == "__main__":
    main()
