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
# Neovim drives the language server end to end (tests/lsp_nvim.rs); only a local run may skip it.
if ! command -v nvim >/dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then
        echo "nvim is required in CI for the editor end-to-end test (apt-get install neovim)" >&2
        exit 1
    fi
    echo "nvim not found: the editor end-to-end test is skipped (WSLCFG_SKIP_NVIM=1)" >&2
    export WSLCFG_SKIP_NVIM=1
fi
bash scripts/e2e-assets.sh  # QEMU, busybox and a Debian kernel for the launcher's end-to-end tests (docs/launcher.md)
cargo test --all-targets --all-features --locked
# The library must build without the command-line feature (miette without `fancy`).
cargo build --lib --no-default-features --locked
