#!/usr/bin/env bash
# Builds the dashboard's browser bundle into target/site, the way cargo-leptos
# would: the frontend crate for wasm32, wasm-bindgen, the stylesheet and the
# public assets. --release uses the size-optimised profile and wasm-opt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

profile=dev
out_profile=debug
if [ "${1:-}" = "--release" ]; then
  profile=wasm-release
  out_profile=wasm-release
fi

step "building the frontend for wasm32 ($profile)"
cargo build --manifest-path "$ROOT/Cargo.toml" -p frontend --lib --target wasm32-unknown-unknown --profile "$profile"

wasm="$TARGET_DIR/wasm32-unknown-unknown/$out_profile/frontend.wasm"
pkg="$SITE_ROOT/pkg"
rm -rf "$SITE_ROOT"
mkdir -p "$pkg"
step "generating JS bindings"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name baton "$wasm"
# The server is built with LEPTOS_OUTPUT_NAME set, so it asks for baton.wasm.
mv "$pkg/baton_bg.wasm" "$pkg/baton.wasm"
if [ "$profile" = wasm-release ]; then
  step "optimising the wasm (wasm-opt -Oz)"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$pkg/baton.wasm" -o "$pkg/baton.wasm"
fi
cp "$ROOT/style/main.css" "$pkg/baton.css"
cp -R "$ROOT/public/." "$SITE_ROOT/"
printf 'site built in %s (%s bytes of wasm)\n' "$SITE_ROOT" "$(wc -c < "$pkg/baton.wasm")" >&2
