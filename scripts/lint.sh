#!/usr/bin/env bash
# The gates the test command runs first: formatting, and clippy with
# warnings as errors for each package with its own features (never ssr and
# hydrate together; the browser crates for wasm32).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

step "cargo fmt --check"
cargo fmt --all -- --check

clippy() { cargo clippy "$@" -- -D warnings; }
step "clippy: kernel (model only, and with the store)"
clippy -p kernel --all-targets
clippy -p kernel --features store --all-targets
step "clippy: app (server side, and the browser)"
clippy -p app --features ssr --all-targets
clippy -p app --features hydrate --target wasm32-unknown-unknown --lib
clippy -p frontend --target wasm32-unknown-unknown --lib
step "clippy: server and the reliability suite"
clippy -p server --all-targets
clippy -p stress --all-targets
