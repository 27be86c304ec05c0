#!/usr/bin/env bash
# Installs what building and testing Baton needs, skipping whatever is already
# there: the wasm32 target, the wasm-bindgen and wasm-split CLIs matching
# Cargo.lock, the npm packages (Playwright, binaryen's wasm-opt) and, with
# --browser, Debian's Chromium.
# With --hermes it makes a Python venv with the reference implementation
# (hermes-agent from PyPI) for the import tests; with --fuzz one with
# schemathesis for the reliability suite's API fuzzing; with --stress the
# sqlite3 shell the suite opens boards with; with --agents the Claude Code,
# Codex, Gemini CLI and Qwen Code CLIs from npm (pinned, ~1 GB, cached). With --cargo-leptos it also
# installs cargo-leptos 0.3.10 (slow; only needed for `cargo leptos serve` / `watch`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

want_browser=0
want_cargo_leptos=0
want_hermes=0
want_fuzz=0
want_stress=0
want_agents=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --hermes) want_hermes=1 ;;
    --fuzz) want_fuzz=1 ;;
    --stress) want_stress=1 ;;
    --agents) want_agents=1 ;;
    --cargo-leptos) want_cargo_leptos=1 ;;
    *) die "unknown option $arg (use --browser, --hermes, --fuzz, --stress, --agents, --cargo-leptos)" ;;
  esac
done

command -v cargo >/dev/null || die "cargo is not installed; install Rust with rustup first"
command -v npm >/dev/null || die "npm is not installed; install Node.js 20 or newer"

if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
  step "adding clippy and rustfmt"
  rustup component add clippy rustfmt
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

bindgen_version="$(lock_version wasm-bindgen)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  step "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # Without --locked: the crate's own lockfile pins a webpki-roots release that
  # is no longer on crates.io.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# Splits the lazily loaded parts off the browser bundle; the same version as
# the runtime helpers in Cargo.lock.
split_version="$(lock_version wasm_split_helpers)"
if ! cargo install --list | grep -qx "wasm_split_cli_support v$split_version:"; then
  step "installing wasm-split-cli $split_version (under a minute, once)"
  cargo install wasm_split_cli_support --version "$split_version" --features build-binary --locked --force
fi

if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] \
   || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
  step "installing npm packages (Playwright, binaryen)"
  (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
fi

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  step "installing Debian's chromium"
  apt_install chromium
fi

# The reliability suite opens boards with the tools people already have.
if [ "$want_stress" = 1 ] && ! command -v sqlite3 >/dev/null; then
  step "installing Debian's sqlite3 shell"
  apt_install sqlite3
fi

# The import tests read its kanban database; the agent tests run it as a
# worker, whose board tools need its MCP extra.
if [ "$want_hermes" = 1 ] && ! "$HERMES_VENV/bin/python" -c 'import hermes_cli.kanban_db, mcp' 2>/dev/null; then
  step "installing the reference implementation (hermes-agent[mcp] $HERMES_VERSION) for the import and agent tests"
  command -v python3 >/dev/null || die "python3 is needed for the import tests"
  [ -x "$HERMES_VENV/bin/pip" ] || python3 -m venv "$HERMES_VENV"
  "$HERMES_VENV/bin/pip" install --quiet --disable-pip-version-check "hermes-agent[mcp]==$HERMES_VERSION"
fi

if [ "$want_fuzz" = 1 ] && [ "$("$FUZZ_VENV/bin/schemathesis" --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
  step "installing schemathesis $SCHEMATHESIS_VERSION for the API fuzzing"
  command -v python3 >/dev/null || die "python3 is needed for the API fuzzing"
  python3 -m venv "$FUZZ_VENV"
  "$FUZZ_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# One npm prefix per CLI and version, so a pinned version is installed once
# and a new pin sits beside the old one. Auto-update and telemetry are off
# when they run (the tests set the variables), so nothing reaches the network.
install_agent() { # name version
  local dir="$AGENTS_DIR/$(basename "$1")-$2"
  [ -f "$dir/.installed" ] && return 0
  step "installing $1@$2 (once, cached in $dir)"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$1@$2" >/dev/null)
  touch "$dir/.installed"
}
if [ "$want_agents" = 1 ]; then
  install_agent @anthropic-ai/claude-code "$CLAUDE_CODE_VERSION"
  install_agent @openai/codex "$CODEX_VERSION"
  install_agent @google/gemini-cli "$GEMINI_CLI_VERSION"
  install_agent @qwen-code/qwen-code "$QWEN_CODE_VERSION"
  install_agent opencode-ai "$OPENCODE_VERSION"
  install_agent @github/copilot "$COPILOT_VERSION"
  # aider comes from PyPI, into a venv of its own.
  if [ ! -f "$AIDER_VENV/.installed" ]; then
    step "installing aider-chat $AIDER_VERSION (once, cached in $AIDER_VENV)"
    rm -rf "$AIDER_VENV"
    python3 -m venv "$AIDER_VENV"
    "$AIDER_VENV/bin/pip" install --quiet --disable-pip-version-check "aider-chat==$AIDER_VERSION"
    touch "$AIDER_VENV/.installed"
  fi
fi

if [ "$want_cargo_leptos" = 1 ] && ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  step "installing cargo-leptos 0.3.10 (this takes a long time, once)"
  cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
fi
