#!/usr/bin/env bash
# Measures the calling display's real window under Xvfb, following a `kiosk serve` host on
# loopback as a hall runs it: idle CPU over 30 s (nothing called) and memory, at a size and with
# a short or a scrolling notice. Usage: scripts/bench-display.sh [kiosk] [WxH] [short|long]
set -euo pipefail
# Nothing here reads the caller's input; a child that tried would stop the run.
exec </dev/null
kiosk=${1:-target/release/kiosk}
size=${2:-1920x1080}
notice=${3:-short}
display=:94
host=$(mktemp -d)
wall=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
source "$(dirname "$0")/lib/xvfb.sh"
cleanup() { kill ${pid:-} ${serve:-} 2>/dev/null || true; stop_xvfb; rm -rf "$host" "$wall"; }
trap cleanup EXIT
"$kiosk" --data-dir "$host" provision --terminal host-1 >/dev/null
code=$("$kiosk" --data-dir "$host" provision --enroll wall-1 --role display --json)
"$kiosk" --data-dir "$host" serve --listen 127.0.0.1:$port &>/dev/null &
serve=$!
until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.05; done
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])" <<<"$code"; }
"$kiosk" --data-dir "$wall" join --hall-host https://127.0.0.1:$port --code "$(field code)" \
  --fingerprint "$(field ca_fingerprint)" >/dev/null
if [ "$notice" = long ]; then
  text="zh-CN=法律援助免费。请凭身份证件到窗口办理；如需手语、少数民族语言翻译或无障碍服务，请告诉工作人员，我们会优先为您安排，谢谢合作。"
  text+=";en=Legal aid is free. Please bring your ID to the counter; tell staff if you need sign language or an interpreter."
  text+=";ug=قانۇن ياردىمى ھەقسىز. كىملىكىڭىزنى ئېلىپ كۆزنەككە كېلىڭ؛ ئىشارەت تىلى ياكى تەرجىمان لازىم بولسا خادىملارغا ئېيتىڭ."
else
  text="zh-CN=法律援助免费;en=Legal aid is free;ug=قانۇن ياردىمى ھەقسىز"
fi
"$kiosk" --data-dir "$wall" provision --notice "$text" >/dev/null
start_xvfb $display "$size"
start=$(date +%s%N)
DISPLAY=$display "$kiosk" --data-dir "$wall" display --windowed --size "$size" &>/dev/null &
pid=$!
until DISPLAY=$display xdotool search --onlyvisible --class kiosk >/dev/null 2>&1; do sleep 0.01; done
echo "$size, $notice notice: start to a visible window $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 5   # the first frames and the connection settle
ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
t0=$(ticks)
sleep 30
t1=$(ticks)
hz=$(getconf CLK_TCK)
echo "  idle CPU over 30 s: $(awk -v d=$((t1 - t0)) -v hz=$hz 'BEGIN { printf "%.2f%% of one core", 100 * d / hz / 30 }')"
pss=$(awk '/^Pss:/ {print $2 / 1024}' /proc/$pid/smaps_rollup)
echo "  memory: $(grep VmRSS /proc/$pid/status | awk '{print $2 / 1024}') MiB resident, ${pss} MiB PSS, peak $(grep VmHWM /proc/$pid/status | awk '{print $2 / 1024}') MiB"
