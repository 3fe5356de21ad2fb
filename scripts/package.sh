#!/usr/bin/env bash
# Builds the terminal's Debian package with cargo-deb and checks it: its files, conffile, units and
# dependencies; then, where this machine allows (root, apt, no legal-aid-kiosk installed already),
# installs it, runs the doctor as the `kiosk` user with nothing but the installed files, upgrades it
# over itself (the queue survives), removes it (the data stays) and purges it (the data goes).
#
#   scripts/package.sh                  build, inspect, and install-test where possible
#   scripts/package.sh --build          build and inspect only
#   scripts/package.sh --profile dev    the same package around an unoptimised binary (the test
#                                       suite's: it reuses the test build's dependencies, where a
#                                       release build would add minutes to every CI run)
# The package is written to target/debian/.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0
PACKAGE=legal-aid-kiosk
install_test=yes
profile=release
while [ $# -gt 0 ]; do
  case "$1" in
    --build) install_test=no ;;
    --profile) profile="$2"; shift ;;
    *) echo "usage: scripts/package.sh [--build] [--profile release|dev]" >&2; exit 2 ;;
  esac
  shift
done
# Where cargo puts the profile's binary.
case "$profile" in
  dev) bin_dir=target/debug ;;
  *) bin_dir="target/$profile" ;;
esac

step() { echo "package: $*"; }
fail() { echo "package: FAILED: $*" >&2; exit 1; }

if ! cargo deb --version 2>/dev/null | grep -qF "$CARGO_DEB_VERSION"; then
  step "installing cargo-deb $CARGO_DEB_VERSION"
  cargo install cargo-deb --locked --version "$CARGO_DEB_VERSION" --quiet
fi

# The terminal's own build: without the development tools.
step "building ($profile, no dev-tools)"
cargo build --profile "$profile" --locked --no-default-features --quiet
# The conffile: the built-in defaults, written by the binary that will read them.
mkdir -p target/package
{
  echo "# The package's provisioning file: the built-in defaults until a technician changes them"
  echo "# with \`kiosk provision …\` (see /usr/share/doc/legal-aid-kiosk/operating.md, 'Provisioning')."
  "$bin_dir/kiosk" --data-dir "$(mktemp -d)" provision --show | grep -v 'does not exist'
} > target/package/config.toml
step "cargo deb"
deb=$(cargo deb --no-build --profile "$profile" --locked --quiet 2>/dev/null | tail -1)
[ -f "$deb" ] || fail "cargo deb wrote no package"
step "built $deb ($(du -h "$deb" | cut -f1))"

# ---- what is inside -------------------------------------------------------------------------
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/kiosk \
            ./usr/share/legal-aid-kiosk/assets/voice/zh/manifest.json \
            ./usr/share/legal-aid-kiosk/assets/voice/ug/manifest.json \
            ./usr/share/legal-aid-kiosk/assets/media/manifest.json \
            ./usr/share/legal-aid-kiosk/assets/policy/guangzhou.toml \
            ./etc/legal-aid-kiosk/config.toml \
            ./lib/udev/rules.d/99-legal-aid-kiosk-usb.rules \
            /systemd/system/legal-aid-kiosk-serve.service \
            /systemd/system/legal-aid-kiosk-ui.service; do
  grep -qF -- "$path" <<<"$contents" || fail "$path is not in the package"
done
info=$(dpkg-deb -I "$deb")
for dep in cage adduser libasound2 libgstreamer1.0-0 gstreamer1.0-plugins-good; do
  grep -E '^ Depends:' <<<"$info" | grep -qF "$dep" || fail "Depends lacks $dep"
done
dpkg-deb -f "$deb" Package | grep -qx "$PACKAGE" || fail "package name"
control=$(mktemp -d)
dpkg-deb -e "$deb" "$control"
grep -qx /etc/legal-aid-kiosk/config.toml "$control/conffiles" || fail "the configuration is not a conffile"
grep -q 'deb-systemd-helper' "$control/postinst" || fail "postinst does not enable the units"
grep -q 'adduser --system' "$control/postinst" || fail "postinst does not create the kiosk user"
grep -q 'rm -rf /var/lib/legal-aid-kiosk' "$control/postrm" || fail "purge does not remove the data"
step "contents, conffile, dependencies and maintainer scripts as expected"

if [ "$install_test" = no ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  step "not root with apt: the installation test is skipped"
  exit 0
fi
if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q "install ok installed"; then
  step "$PACKAGE is already installed here: the installation test is skipped (it would purge it)"
  exit 0
fi

# ---- installed -------------------------------------------------------------------------------
step "installing (apt resolves cage and the libraries)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
cleanup() { apt-get purge -y -qq "$PACKAGE" >/dev/null 2>&1 || true; }
trap cleanup EXIT

id kiosk >/dev/null || fail "no kiosk user"
[ "$(stat -c %U /var/lib/legal-aid-kiosk)" = kiosk ] || fail "/var/lib/legal-aid-kiosk is not the kiosk user's"
as_kiosk() { (cd / && runuser -u kiosk -- env -u KIOSK_ASSETS -u KIOSK_DATA_DIR -u KIOSK_CONFIG /usr/bin/kiosk "$@"); }

# The doctor, with nothing from the source tree: the installed binary, /etc and /var/lib only.
report=$(as_kiosk doctor --json) || true
python3 - "$report" <<'EOF' || fail "doctor as the kiosk user"
import json, sys
checks = {c["name"]: c for c in json.loads(sys.argv[1])["checks"]}
def need(name, status, text):
    c = checks[name]
    assert c["status"] in status and text in c["detail"], f"{name}: {c}"
need("config", ("ok", "warn"), "/etc/legal-aid-kiosk/config.toml")
need("database", ("ok",), "/var/lib/legal-aid-kiosk/")
need("media", ("ok", "warn"), "")
need("policy", ("ok", "warn"), "shipped policy")
for name, c in checks.items():
    print(f"  {c['status']:<5} {name:<9} {c['detail'][:100]}")
EOF
as_kiosk speak --check >/dev/null || fail "the voice packs are not found from the installed binary"
# A technician provisions as the kiosk user: the file stays out of other users' reach.
as_kiosk provision --terminal kiosk-9 >/dev/null || fail "provision as the kiosk user"
[ "$(stat -c %a /etc/legal-aid-kiosk/config.toml)" = 660 ] || fail "provisioning changed the file's mode"

for unit in /lib/systemd/system/legal-aid-kiosk-serve.service /lib/systemd/system/legal-aid-kiosk-ui.service; do
  if command -v systemd-analyze >/dev/null; then
    out=$(systemd-analyze verify "$unit" 2>&1 | grep -F "$(basename "$unit")" || true)
    [ -z "$out" ] || fail "systemd-analyze verify $unit: $out"
  fi
done
systemctl is-enabled legal-aid-kiosk-serve.service >/dev/null 2>&1 \
  || [ -L /etc/systemd/system/multi-user.target.wants/legal-aid-kiosk-serve.service ] \
  || fail "the serve unit is not enabled"
for unit in serve ui; do
  grep -q "^LimitNOFILE=8192$" "/lib/systemd/system/legal-aid-kiosk-$unit.service" || fail "the $unit unit sets no LimitNOFILE"
done
step "installed: kiosk user, data directory, doctor and units as expected"

# An upgrade keeps the queue: a ticket issued before is there after.
number=$(as_kiosk queue issue --service A --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')
apt-get install -y -qq --reinstall "$deb" >/dev/null
as_kiosk queue show --number "$number" --json >/dev/null || fail "ticket $number lost in the upgrade"
grep -q '^id = "kiosk-9"' /etc/legal-aid-kiosk/config.toml || fail "the upgrade replaced the provisioning"
step "upgrade kept ticket $number and the provisioning"

apt-get remove -y -qq "$PACKAGE" >/dev/null
[ -f /var/lib/legal-aid-kiosk/kiosk.sqlite3 ] || fail "remove deleted the queue"
[ -f /etc/legal-aid-kiosk/config.toml ] || fail "remove deleted the configuration"
apt-get purge -y -qq "$PACKAGE" >/dev/null
[ ! -e /var/lib/legal-aid-kiosk ] || fail "purge left /var/lib/legal-aid-kiosk"
! id kiosk >/dev/null 2>&1 || fail "purge left the kiosk user"
trap - EXIT
step "remove kept the data; purge removed it"
