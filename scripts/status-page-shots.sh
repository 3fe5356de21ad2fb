#!/bin/sh
# The ticket status page as a visitor's phone shows it, rendered by headless Chromium in the
# three languages into images/status-page-<lang>.png. Runs a throwaway hall host on loopback
# with the repository's bundled fonts (so the pictures are the same on every machine).
#
#   scripts/status-page-shots.sh            # installs chromium with apt if missing (as root)
set -eu
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
cargo build --quiet
kiosk=target/debug/kiosk
data=$(mktemp -d)
trap 'kill "$host" 2>/dev/null || true; rm -rf "$data"' EXIT

# Fonts: only the bundled ones.
mkdir -p "$data/fontconfig"
cat > "$data/fontconfig/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$(pwd)/assets/fonts</dir><cachedir>$data/fontconfig/cache</cachedir></fontconfig>
EOF
export FONTCONFIG_FILE="$data/fontconfig/fonts.conf"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$kiosk" --data-dir "$data" provision --terminal host-1 --public-url "http://127.0.0.1:$port" >/dev/null
"$kiosk" --data-dir "$data" serve --public-listen "127.0.0.1:$port" 2>/dev/null &
host=$!
until python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null; do sleep 0.2; done

# Two visitors ahead, then one ticket per language.
"$kiosk" --data-dir "$data" queue issue --service A >/dev/null
"$kiosk" --data-dir "$data" queue issue --service A >/dev/null
mkdir -p images
for lang in zh-CN en ug; do
    id=$("$kiosk" --data-dir "$data" queue issue --service A --lang "$lang" --json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=390,700 \
        --screenshot="images/status-page-$lang.png" "http://127.0.0.1:$port/t/$id" 2>/dev/null
    echo "images/status-page-$lang.png"
done
