#!/usr/bin/env bash
# The reliability suite on its own: `scripts/stress.sh` for the bounded mode
# the test command runs, `scripts/stress.sh --long` for the full one, and
# `--only SCENARIO` for one part. Prints a markdown table per scenario
# (docs/reliability.md holds the recorded figures).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/setup.sh" --fuzz --stress
cd "$ROOT"
cargo build --release -p server -p stress
BATON_BIN="$TARGET_DIR/release/baton" BATON_SCHEMATHESIS="$FUZZ_VENV/bin/schemathesis" \
  "$TARGET_DIR/release/baton-stress" "$@"
