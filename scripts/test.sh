#!/usr/bin/env bash
# Runs every test: the gates (cargo fmt, clippy -D warnings per package), the
# Rust tests of each crate with its own features (never ssr and hydrate
# together), the wasm32 build of the frontend, the Playwright tests in
# Debian's Chromium against a real `baton serve`, and the reliability suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT/scripts/setup.sh" --browser --hermes --fuzz --stress --agents
cd "$ROOT"

"$ROOT/scripts/lint.sh"

step "kernel tests (with the SQLite store)"
cargo test -p kernel --features store
step "kernel model builds without the store"
cargo test -p kernel --lib
step "app tests (server side)"
cargo test -p app --features ssr
step "server and CLI tests"
BATON_HERMES_PYTHON="$HERMES_VENV/bin/python" BATON_REQUIRE_HERMES=1 \
  BATON_CLAUDE_BIN="$CLAUDE_BIN" BATON_CODEX_BIN="$CODEX_BIN" BATON_GEMINI_BIN="$GEMINI_BIN" \
  BATON_QWEN_BIN="$QWEN_BIN" BATON_OPENCODE_BIN="$OPENCODE_BIN" BATON_COPILOT_BIN="$COPILOT_BIN" BATON_AIDER_BIN="$AIDER_BIN" BATON_HERMES_BIN="$HERMES_VENV/bin/hermes" BATON_REQUIRE_AGENTS=1 \
  cargo test -p server

"$ROOT/scripts/build-site.sh"

step "browser tests"
e2e_home="$(mktemp -d "${TMPDIR:-/tmp}/baton-e2e.XXXXXX")"
trap 'rm -rf "$e2e_home"' EXIT
export BATON_E2E_HOME="$e2e_home"
export BATON_BIN="$TARGET_DIR/debug/baton"
export LEPTOS_SITE_ROOT="$SITE_ROOT"
(cd "$ROOT/end2end" && npx playwright test)
step "tutorial screenshot script (bounded: the first screenshot)"
(cd "$ROOT/end2end" && BATON_SHOTS_ONLY=1 BATON_SHOTS_DIR="$e2e_home/shots" \
  npx playwright test -c playwright.shots.config.ts --reporter=line)
[ -s "$e2e_home/shots/board-overview.png" ] || die "the screenshot script wrote no screenshot"

step "reliability suite (bounded mode; scripts/stress.sh --long for the full one)"
cargo build -p stress
BATON_SCHEMATHESIS="$FUZZ_VENV/bin/schemathesis" "$TARGET_DIR/debug/baton-stress"
step "all tests passed"
