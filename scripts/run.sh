#!/usr/bin/env bash
# Runs Baton: installs what is missing, builds the dashboard and the server
# (release), then serves the dashboard, API and dispatcher on 127.0.0.1:3000
# with the home in $BATON_HOME (default ~/.baton). Extra arguments go to
# `baton serve` (e.g. --addr 127.0.0.1:8080).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-site.sh" --release
step "building baton (release)"
cargo build --manifest-path "$ROOT/Cargo.toml" -p server --release
export LEPTOS_SITE_ROOT="$SITE_ROOT"
exec "$TARGET_DIR/release/baton" serve "$@"
