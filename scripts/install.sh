#!/usr/bin/env bash
# Installs baton and its dashboard assets under a prefix (default ~/.local):
# <prefix>/bin/baton and <prefix>/bin/site/, where `baton serve` finds them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prefix="${1:-$HOME/.local}"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-site.sh" --release
step "building baton (release)"
cargo build --manifest-path "$ROOT/Cargo.toml" -p server --release
mkdir -p "$prefix/bin"
install -m 0755 "$TARGET_DIR/release/baton" "$prefix/bin/baton"
rm -rf "$prefix/bin/site"
cp -R "$SITE_ROOT" "$prefix/bin/site"
echo "installed $prefix/bin/baton (dashboard assets in $prefix/bin/site)"
