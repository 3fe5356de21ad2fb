# Where `scripts/setup.sh --for-tests` installs schemathesis: a virtual environment of its own,
# named after its pin list, so a new pin list makes a new environment.
schemathesis_pins() {
  echo "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/schemathesis-requirements.txt"
}
schemathesis_venv() {
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/legal-aid-kiosk/schemathesis-$(sha256sum "$(schemathesis_pins)" | cut -c1-12)"
}
