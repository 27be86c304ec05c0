#!/usr/bin/env bash
# Regenerates the CLI and REST references in docs/ from the binary.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
cargo build -p server
"$TARGET_DIR/debug/baton" reference cli > docs/cli.md
"$TARGET_DIR/debug/baton" reference rest > docs/rest.md
echo "docs/cli.md and docs/rest.md are up to date"
