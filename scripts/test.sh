#!/usr/bin/env bash
# Runs every test: the Rust tests of each crate with its own features (never
# ssr and hydrate together), the wasm32 build of the frontend, and the
# Playwright tests in Debian's Chromium against a real `baton serve`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT/scripts/setup.sh" --browser --hermes
cd "$ROOT"

step "kernel tests (with the SQLite store)"
cargo test -p kernel --features store
step "kernel model builds without the store"
cargo test -p kernel --lib
step "app tests (server side)"
cargo test -p app --features ssr
step "server and CLI tests"
BATON_HERMES_PYTHON="$HERMES_VENV/bin/python" BATON_REQUIRE_HERMES=1 cargo test -p server

"$ROOT/scripts/build-site.sh"

step "browser tests"
e2e_home="$(mktemp -d "${TMPDIR:-/tmp}/baton-e2e.XXXXXX")"
trap 'rm -rf "$e2e_home"' EXIT
export BATON_E2E_HOME="$e2e_home"
export BATON_BIN="$TARGET_DIR/debug/baton"
export LEPTOS_SITE_ROOT="$SITE_ROOT"
(cd "$ROOT/end2end" && npx playwright test)
step "all tests passed"
