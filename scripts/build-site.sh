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
# `baton_split` turns on Leptos' #[lazy] for the parts of the dashboard not
# needed to show the board; wasm-split (below) needs the linker's relocations
# to cut them out. A build without it (cargo leptos) is one module.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components --cfg baton_split -Clink-args=--emit-relocs"
cargo build --manifest-path "$ROOT/Cargo.toml" -p frontend --lib --target wasm32-unknown-unknown --profile "$profile"

wasm="$TARGET_DIR/wasm32-unknown-unknown/$out_profile/frontend.wasm"
pkg="$SITE_ROOT/pkg"
split="$TARGET_DIR/wasm-split"
rm -rf "$SITE_ROOT" "$split"
mkdir -p "$pkg" "$split"
# Code behind #[lazy] moves into chunks fetched on first use; the rest is the
# main module, which wasm-bindgen then finishes as usual.
step "splitting off lazily loaded chunks"
wasm-split-cli --target web --out-name baton "$wasm" "$split"
step "generating JS bindings"
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir "$pkg" --out-name baton "$split/baton.wasm"
# The server is built with LEPTOS_OUTPUT_NAME set, so it asks for baton.wasm.
mv "$pkg/baton_bg.wasm" "$pkg/baton.wasm"
for f in "$split"/*; do
  [ "$(basename "$f")" = baton.wasm ] || cp "$f" "$pkg/"
done
if [ "$profile" = wasm-release ]; then
  step "optimising the wasm (wasm-opt -Oz)"
  for f in "$pkg"/*.wasm; do
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$f" -o "$f"
  done
fi
cp "$ROOT/style/main.css" "$pkg/baton.css"
cp -R "$ROOT/public/." "$SITE_ROOT/"
printf 'site built in %s (main wasm %s bytes; %s lazy chunks)\n' "$SITE_ROOT" \
  "$(wc -c < "$pkg/baton.wasm")" "$(ls "$pkg"/*.wasm | grep -vc '/baton.wasm$')" >&2
