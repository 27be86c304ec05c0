# Shared by the scripts: paths and tool locations. Source it, don't run it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SITE_ROOT="$ROOT/target/site"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

CACHE_DIR="${BATON_CACHE:-$HOME/.cache/baton}"
HERMES_VENV="$CACHE_DIR/hermes-venv"
HERMES_VERSION=0.19.0
# schemathesis, for the API fuzzing in the reliability suite.
FUZZ_VENV="$CACHE_DIR/fuzz-venv"
SCHEMATHESIS_VERSION=4.32.5
# The coding-agent CLIs the agent tests drive against a scripted model
# server, each in its own npm prefix under AGENTS_DIR/<package>-<version>.
AGENTS_DIR="$CACHE_DIR/agents"
CLAUDE_CODE_VERSION=2.1.332
CODEX_VERSION=0.171.0
GEMINI_CLI_VERSION=0.61.0
QWEN_CODE_VERSION=0.24.4
OPENCODE_VERSION=1.18.33
COPILOT_VERSION=1.0.102
CLAUDE_BIN="$AGENTS_DIR/claude-code-$CLAUDE_CODE_VERSION/node_modules/@anthropic-ai/claude-code-linux-x64/claude"
CODEX_BIN="$AGENTS_DIR/codex-$CODEX_VERSION/node_modules/.bin/codex"
GEMINI_BIN="$AGENTS_DIR/gemini-cli-$GEMINI_CLI_VERSION/node_modules/.bin/gemini"
QWEN_BIN="$AGENTS_DIR/qwen-code-$QWEN_CODE_VERSION/node_modules/.bin/qwen"
OPENCODE_BIN="$AGENTS_DIR/opencode-ai-$OPENCODE_VERSION/node_modules/.bin/opencode"
COPILOT_BIN="$AGENTS_DIR/copilot-$COPILOT_VERSION/node_modules/.bin/copilot"
AIDER_VERSION=0.86.2
AIDER_VENV="$AGENTS_DIR/aider-$AIDER_VERSION"
AIDER_BIN="$AIDER_VENV/bin/aider"

step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Installs Debian packages as root, through sudo, or says what to run.
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    die "missing Debian packages: run 'sudo apt-get install $*'"
  fi
}
