#!/usr/bin/env bash
# Everything CI checks: system packages, formatting, lints and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --for-tests
# A toolchain setup.sh installed with rustup lives here.
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
cargo fmt --all --check
# A run builds everything once: incremental caches would only double the size of target/
# (tens of GB across the lint and test builds) and can fill a small CI disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
cargo clippy --locked --workspace --all-targets -- -D warnings
# The terminal's own build, without the development tools (see Cargo.toml, feature dev-tools).
cargo clippy --locked --no-default-features -- -D warnings
# The fuzzing harness's budget per target (tests/integration/fuzz.rs); nightly runs set a larger one.
export KIOSK_FUZZ_CASES="${KIOSK_FUZZ_CASES:-256}"
cargo test --locked --workspace
# The real window through the Linux accessibility stack (AT-SPI), as a screen reader meets it.
./scripts/atspi-test.sh target/debug/kiosk
# The hall API against its contract (docs/hall-openapi.yaml), generated requests with a fixed budget.
./scripts/api-contract-test.sh target/debug/kiosk
# The Debian package: built, inspected, and installed, upgraded and purged where this is root.
# Its binary is the unoptimised build (the test build's dependencies are reused): with a release
# build from nothing the whole run took 33 minutes here instead of 21; `scripts/package.sh` alone
# builds the release package that terminals get, from the same packaging.
./scripts/package.sh --profile dev
