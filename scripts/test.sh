#!/usr/bin/env bash
# Every test of the project: formatting, lints, unit, snapshot, property, CLI, SARIF and fuzz-smoke tests.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --all-targets --all-features --locked -- -D warnings
if command -v npm >/dev/null 2>&1; then
    bash scripts/install-sarif-multitool.sh
elif [ -n "${CI:-}" ]; then
    echo "npm is required in CI for the SARIF validator test" >&2
    exit 1
fi
bash scripts/e2e-assets.sh  # QEMU, busybox and a Debian kernel for the launcher's end-to-end tests (docs/launcher.md)
cargo test --all-targets --all-features --locked
# The library must build without the command-line feature (miette without `fancy`).
cargo build --lib --no-default-features --locked
