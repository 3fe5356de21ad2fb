#!/usr/bin/env bash
# The hall API against its contract, docs/hall-openapi.yaml: schemathesis generates valid and
# invalid requests for every operation and sends them, with a counter's certificate, to a real
# `kiosk serve` on loopback. It fails on any 5xx, any status the contract does not list for the
# operation, any error body that is not the documented JSON, any answer that breaks its schema,
# and any schema-violating request that is accepted (settings: scripts/schemathesis.toml).
# The budget is fixed (examples per operation, one seed), so a run is repeatable.
# Usage: scripts/api-contract-test.sh [path/to/kiosk]   (scripts/setup.sh --for-tests installs it)
set -euo pipefail
kiosk=$(realpath "${1:-target/debug/kiosk}")
scripts=$(cd "$(dirname "$0")" && pwd)
source "$scripts/lib/schemathesis.sh"
st="$(schemathesis_venv)/bin/st"
[ -x "$st" ] || { echo "api-contract-test: schemathesis is missing; run scripts/setup.sh --for-tests" >&2; exit 1; }
examples="${KIOSK_API_CONTRACT_EXAMPLES:-100}"

work=$(mktemp -d)
host_pid=
stop() {
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  rm -rf "$work"
}
trap stop EXIT

# A hall host on loopback, silent (no voice packs to load).
"$kiosk" --data-dir "$work/host" provision --terminal host-1 >/dev/null
sed -i '/^\[speech\]/,/^\[/ s/^enabled = true$/enabled = false/' "$work/host/config.toml"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$kiosk" --data-dir "$work/host" serve --listen "127.0.0.1:$port" 2>"$work/serve.log" &
host_pid=$!
for _ in $(seq 100); do grep -q "hall API listening" "$work/serve.log" && break; sleep 0.2; done
grep -q "hall API listening" "$work/serve.log" || { cat "$work/serve.log" >&2; exit 1; }
# A morning's tickets, so the contract's example numbers (A012, B003) name real ones and the
# answers with a body are checked too, not only the refusals.
for _ in $(seq 15); do "$kiosk" --data-dir "$work/host" queue issue --service A >/dev/null; done
for _ in $(seq 5); do "$kiosk" --data-dir "$work/host" queue issue --service B >/dev/null; done

# One terminal per role, enrolled before any generated request (those use up the enrolment
# rate limit of the address they come from, which is this one).
enrol() {
  local role=$1 enrolment
  enrolment=$("$kiosk" --data-dir "$work/host" provision --enroll "$role-1" --role "$role" "${@:2}" --json)
  field() { /usr/bin/python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])" <<<"$enrolment"; }
  "$kiosk" --data-dir "$work/$role" join --hall-host "https://127.0.0.1:$port" \
    --code "$(field code)" --fingerprint "$(field ca_fingerprint)" >/dev/null
}
enrol counter --counters 1
enrol secondary-kiosk
enrol evaluator --counters 1
enrol monitor

# schemathesis with one role's certificate. Workers 1: the queue's answers depend on order, and
# one seed then gives one run.
check_as() {
  local role=$1 examples=$2 tls="$work/$1/tls"
  echo "api-contract-test: with the $role certificate, $examples examples per operation"
  # In the scratch directory: schemathesis keeps files of its own where it runs.
  (cd "$work" && "$st" --config-file "$scripts/schemathesis.toml" run "$scripts/../docs/hall-openapi.yaml" \
    --url "https://127.0.0.1:$port" --tls-verify "$tls/hall-ca.crt" \
    --request-cert "$tls/client.crt" --request-cert-key "$tls/client.key" \
    --checks all --max-examples "$examples" --seed 20261207 --workers 1 \
    --generation-database none --no-color --output-truncate true \
    ${KIOSK_API_CONTRACT_REPORT:+--report ndjson --report-ndjson-path "$KIOSK_API_CONTRACT_REPORT.$role"})
}

# The counter console changes the most; the other roles meet the same paths answered or refused
# in their own ways (a kiosk issues, a rating screen rates, a monitor reads /metrics).
check_as counter "$examples"
check_as secondary-kiosk $(( (examples + 3) / 4 ))
check_as evaluator $(( (examples + 3) / 4 ))
check_as monitor $(( (examples + 3) / 4 ))
echo "api-contract-test: the hall API kept its contract"
