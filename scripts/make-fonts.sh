#!/usr/bin/env bash
# Rebuilds assets/fonts from Debian's font packages. The results are committed, so building and
# testing never need this script; run it only to refresh or change the bundled fonts.
# Chinese: Noto Sans CJK SC cut down to GB 2312 (all 6763 common hanzi) plus Latin, punctuation
# and full-width forms, so the repository carries a few MB instead of 40.
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/fonts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-noto-core fonts-noto-cjk >/dev/null && for d in *.deb; do dpkg-deb -x "$d" x; done)
python3 -m pip install --quiet fonttools
noto="$work/x/usr/share/fonts/truetype/noto"
cjk="$work/x/usr/share/fonts/opentype/noto"
cp "$noto/NotoSans-Regular.ttf" "$noto/NotoSans-Bold.ttf" "$out/"
cp "$noto/NotoSansArabic-Regular.ttf" "$noto/NotoSansArabic-Bold.ttf" "$out/"
python3 - "$work/chars.txt" <<'PY'
import sys
chars = set(chr(c) for c in range(0x20, 0x250))
chars |= set(chr(c) for c in range(0x2000, 0x2070))   # general punctuation
chars |= set(chr(c) for c in range(0x3000, 0x3040))   # CJK symbols and punctuation
chars |= set(chr(c) for c in range(0xFF00, 0xFFF0))   # full-width forms
chars |= set("¥×÷·—…※○●□■△▲☆★→←↑↓")
for hi in range(0xA1, 0xF8):                          # every GB 2312 code point
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(chars)))
PY
for weight in Regular Bold; do
  python3 -m fontTools.subset "$cjk/NotoSansCJK-$weight.ttc" --font-number=2 \
    --text-file="$work/chars.txt" --layout-features='*' --no-hinting \
    --output-file="$out/NotoSansSC-$weight-GB2312.otf"
done
cp "$work/x/usr/share/doc/fonts-noto-core/copyright" "$out/LICENSE-noto.txt"
cp "$work/x/usr/share/doc/fonts-noto-cjk/copyright" "$out/LICENSE-noto-cjk.txt"
ls -la "$out"
